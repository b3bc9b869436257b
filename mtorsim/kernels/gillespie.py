"""Continuous-time trajectories (Gillespie), MaBoSS semantics, over compiled rates.

One call simulates a block of runs and accumulates, per ``tick`` window, the time each node is
on, the transition entropy, the Hamming distance to a reference state and (when ``track``) the
time spent in each output state (an open-addressing table keyed by window and packed state).
Per-run sums are also squared, for standard errors.

Arguments: ``program`` (Boolean rules, compiler tuple), ``rp`` (``RateProgram.arrays()``),
``base_up``/``base_down`` (rates a partial hold pushes with), ``hold_val``/``hold_eff`` (-1 free,
else the held value and its efficacy; a hold sets the value when it starts; efficacy 1 fixes the
node), the initial-state arrays
(``kernels.initial``), the events (time, node, value, efficacy; value >= 0 holds, -1 releases,
-2/-3 release and set 0/1, -4/-5 set 0/1 and leave holds alone), ``internal`` (1: left out of
states and transition entropy), ``out_word``/``out_bit`` (where each output node sits in the
packed state), ``ref`` (-1, or the reference value for the Hamming distance), ``seeds``.

Returns 0, or 1 when the state table passed half full (grow it and run the block again), or 2
when a rate was negative or not a number (``info[1]`` node, ``info[2]`` run, ``info[3]`` the
state's packed value is not kept). ``info[0]`` counts transitions.
"""

import numpy as np

from mtorsim.kernels._jit import jit, jit_inline
from mtorsim.kernels.initial import draw_initial
from mtorsim.kernels.lookup import node_value
from mtorsim.kernels.rng import next_double

BLOCK = 32
LOG2E = 1.4426950408889634
H1 = np.uint64(0x9E3779B97F4A7C15)
H2 = np.uint64(0xBF58476D1CE4E5B9)
S29 = np.uint64(29)


@jit
def eval_float(lo, hi, rp, state, me, program, bstack, fstack):
    """Run rate code ``[lo, hi)`` on a float stack; IEEE results, never an exception."""
    f_op = rp[4]
    f_arg = rp[5]
    f_val = rp[6]
    top = 0
    for p in range(lo, hi):
        op = f_op[p]
        if op == 0:
            fstack[top] = np.float64(state[f_arg[p]])
            top += 1
        elif op == 1:
            fstack[top] = f_val[p]
            top += 1
        elif op == 2:
            fstack[top] = np.float64(node_value(f_arg[p], state, program, bstack))
            top += 1
        elif op == 3:
            fstack[top - 1] = -fstack[top - 1]
        elif op == 4:
            fstack[top - 1] = 1.0 if fstack[top - 1] == 0.0 else 0.0
        elif op == 18:
            c = fstack[top - 3]
            fstack[top - 3] = fstack[top - 2] if c != 0.0 else fstack[top - 1]
            top -= 2
        elif op == 19:
            fstack[top - 1] = np.exp(fstack[top - 1])
        elif op == 20:
            x = fstack[top - 1]
            fstack[top - 1] = np.log(x) if x > 0.0 else (-np.inf if x == 0.0 else np.nan)
        else:
            b = fstack[top - 1]
            a = fstack[top - 2]
            top -= 1
            if op == 5:
                v = a + b
            elif op == 6:
                v = a - b
            elif op == 7:
                v = a * b
            elif op == 8:
                if b == 0.0:
                    v = np.nan if (a == 0.0 or a != a) else (np.inf if a > 0.0 else -np.inf)
                else:
                    v = a / b
            elif op == 9:
                v = 1.0 if a < b else 0.0
            elif op == 10:
                v = 1.0 if a <= b else 0.0
            elif op == 11:
                v = 1.0 if a > b else 0.0
            elif op == 12:
                v = 1.0 if a >= b else 0.0
            elif op == 13:
                v = 1.0 if a == b else 0.0
            elif op == 14:
                v = 1.0 if a != b else 0.0
            elif op == 15:
                v = 1.0 if (a != 0.0 and b != 0.0) else 0.0
            elif op == 16:
                v = 1.0 if (a != 0.0 or b != 0.0) else 0.0
            elif op == 17:
                v = 1.0 if ((a != 0.0) != (b != 0.0)) else 0.0
            elif op == 21:  # exp(a, base b) = b ** a
                lb = np.log(b) if b > 0.0 else (-np.inf if b == 0.0 else np.nan)
                v = np.exp(a * lb)
            else:  # log(a, base b)
                la = np.log(a) if a > 0.0 else (-np.inf if a == 0.0 else np.nan)
                lb = np.log(b) if b > 0.0 else (-np.inf if b == 0.0 else np.nan)
                v = la / lb
            fstack[top - 1] = v
    return fstack[0]


@jit_inline
def node_rate(i, state, program, rp, hv, he, base_up, base_down, bstack, fstack):
    """The rate at which node ``i`` flips in ``state`` (holds applied)."""
    h = hv[i]
    e = he[i]
    if h >= 0 and e >= 1.0:
        return 0.0
    s = state[i]
    if rp[0][i] == 0:
        logic = node_value(i, state, program, bstack)
        if s:
            r = 0.0 if logic else rp[2][i]
        else:
            r = rp[1][i] if logic else 0.0
    else:
        f_ptr = rp[3]
        if s:
            r = eval_float(f_ptr[2 * i + 1], f_ptr[2 * i + 2], rp, state, i, program, bstack, fstack)
        else:
            r = eval_float(f_ptr[2 * i], f_ptr[2 * i + 1], rp, state, i, program, bstack, fstack)
    if h >= 0:
        r = (1.0 - e) * r
        if s != h:
            r += e * (base_up[i] if h == 1 else base_down[i])
    return r


@jit_inline
def key_hash(keyw, w):
    h = np.uint64(w) * H1
    for k in range(keyw.shape[0]):
        h = (h ^ keyw[k]) * H2
        h ^= h >> S29
    return h


@jit_inline
def table_add(keyw, w, dur, r, tkeys, twin, tsum, tsq, tlast, tcur, tcount):
    """Add ``dur`` to (window ``w``, state ``keyw``) for run ``r``; returns False when half full."""
    cap = twin.shape[0]
    slot = np.int64(key_hash(keyw, w) & np.uint64(cap - 1))
    nk = keyw.shape[0]
    while True:
        if twin[slot] < 0:
            twin[slot] = w
            for k in range(nk):
                tkeys[slot, k] = keyw[k]
            tlast[slot] = r
            tcur[slot] = dur
            tsum[slot] = dur
            tcount[0] += 1
            return 2 * tcount[0] <= cap
        if twin[slot] == w:
            same = True
            for k in range(nk):
                if tkeys[slot, k] != keyw[k]:
                    same = False
                    break
            if same:
                if tlast[slot] != r:
                    tsq[slot] += tcur[slot] * tcur[slot]
                    tcur[slot] = 0.0
                    tlast[slot] = r
                tcur[slot] += dur
                tsum[slot] += dur
                return True
        slot = (slot + 1) & (cap - 1)


@jit_inline
def first_window(a, tick):
    """The window that holds time ``a`` (robust to rounding at window edges)."""
    w = np.int64(a / tick)
    if w > 0 and w * tick > a:
        w -= 1
    return w


@jit_inline
def store_rate(k, x, internal, rate, rni, rln):
    """Record node ``k``'s rate; non-internal nodes also in the transition-entropy sums."""
    rate[k] = x
    if internal[k]:
        rni[k] = 0.0
        rln[k] = 0.0
    else:
        rni[k] = x
        rln[k] = x * np.log(x) * LOG2E if x > 0.0 else 0.0


@jit_inline
def add_interval(frac, i, a, b, tick, W):
    """Add the part of [a, b) inside each window to ``frac[w, i]``."""
    w = first_window(a, tick)
    while w < W:
        lo = max(a, w * tick)
        hi = min(b, (w + 1) * tick)
        if hi > lo:
            frac[w, i] += hi - lo
        if (w + 1) * tick >= b:
            break
        w += 1


@jit
def ct_block(program, rp, base_up, base_down, hold_val, hold_eff, max_stack, fmax_stack,
             init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals,
             ev_time, ev_node, ev_val, ev_eff,
             internal, out_word, out_bit, nkey, ref, nref,
             seeds, max_time, tick, W, discrete, track,
             node_sum, node_sq, th_sum, th_sq, hd_sum,
             tkeys, twin, tsum, tsq, tlast, tcur, tcount, final, reached, info):
    n = hold_val.shape[0]
    dep_ptr = rp[7]
    dep_idx = rp[8]
    nb = (n + BLOCK - 1) // BLOCK
    state = np.zeros(n, np.uint8)
    hv = np.empty(n, np.int8)
    he = np.empty(n, np.float64)
    rate = np.zeros(n, np.float64)
    rni = np.zeros(n, np.float64)
    rln = np.zeros(n, np.float64)
    bsum = np.zeros(nb, np.float64)
    bni = np.zeros(nb, np.float64)
    bln = np.zeros(nb, np.float64)
    dirty = np.zeros(nb, np.uint8)
    on_t = np.zeros(n, np.float64)
    frac = np.zeros((W, n), np.float64)
    run_th = np.zeros(W, np.float64)
    run_hd = np.zeros((W, nref + 1), np.float64)
    keyw = np.zeros(max(nkey, 1), np.uint64)
    bstack = np.zeros(max_stack + 1, np.uint8)
    fstack = np.zeros(fmax_stack + 1, np.float64)
    st = np.empty(1, np.uint64)
    n_ev = ev_time.shape[0]
    w_end = W * tick
    one = np.uint64(1)
    for r in range(seeds.shape[0]):
        st[0] = seeds[r]
        hv[:] = hold_val
        he[:] = hold_eff
        draw_initial(state, init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals, st)
        for i in range(n):
            if hv[i] >= 0:  # a hold sets the value at once, whatever its efficacy
                state[i] = hv[i]
        frac[:, :] = 0.0
        run_th[:] = 0.0
        run_hd[:, :] = 0.0
        keyw[:] = 0
        hd = 0
        for i in range(n):
            if state[i]:
                on_t[i] = 0.0
                if out_word[i] >= 0:
                    keyw[out_word[i]] |= one << np.uint64(out_bit[i])
            if ref[i] >= 0 and state[i] != ref[i]:
                hd += 1
        t = 0.0
        e = 0
        recompute = True
        while True:
            # events due now: holds, releases, scheduled values
            while e < n_ev and ev_time[e] <= t:
                i = ev_node[e]
                v = ev_val[e]
                new = -1
                if v >= 0:
                    hv[i] = v
                    he[i] = ev_eff[e]
                    new = v
                elif v >= -3:
                    hv[i] = -1
                    if v <= -2:
                        new = -v - 2
                else:
                    new = -v - 4
                if new >= 0 and state[i] != new:
                    if new == 0:
                        add_interval(frac, i, on_t[i], t, tick, W)
                    else:
                        on_t[i] = t
                    state[i] = new
                    if out_word[i] >= 0:
                        keyw[out_word[i]] ^= one << np.uint64(out_bit[i])
                    if ref[i] >= 0:
                        hd += 1 if state[i] != ref[i] else -1
                e += 1
                recompute = True
            if recompute:
                for i in range(n):
                    x = node_rate(i, state, program, rp, hv, he, base_up, base_down, bstack, fstack)
                    if not (x >= 0.0) or x == np.inf:
                        info[1] = i
                        info[2] = r
                        return 2
                    store_rate(i, x, internal, rate, rni, rln)
                for b in range(nb):
                    dirty[b] = 1
                recompute = False
            for b in range(nb):
                if dirty[b]:
                    s0 = 0.0
                    s1 = 0.0
                    s2 = 0.0
                    for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
                        s0 += rate[i]
                        s1 += rni[i]
                        s2 += rln[i]
                    bsum[b] = s0
                    bni[b] = s1
                    bln[b] = s2
                    dirty[b] = 0
            total = 0.0
            tni = 0.0
            tln = 0.0
            for b in range(nb):
                total += bsum[b]
                tni += bni[b]
                tln += bln[b]
            th = 0.0
            if tni > 0.0:
                th = np.log(tni) * LOG2E - tln / tni
                if th < 0.0:
                    th = 0.0
            if total > 0.0:
                if discrete:
                    dt = tick
                else:
                    dt = -np.log(1.0 - next_double(st)) / total
                t_next = t + dt
            else:
                t_next = np.inf
            t_ev = ev_time[e] if e < n_ev else np.inf
            cut = min(t_next, t_ev, max_time)
            # the current state holds over [t, cut)
            a = t
            b = min(cut, w_end)
            if b > a:
                w = first_window(a, tick)
                while w < W:
                    lo = max(a, w * tick)
                    hi = min(b, (w + 1) * tick)
                    if hi > lo:
                        d = hi - lo
                        run_th[w] += th * d
                        run_hd[w, hd] += d
                        if track:
                            if not table_add(keyw, w, d, r, tkeys, twin, tsum, tsq, tlast, tcur, tcount):
                                return 1
                    if (w + 1) * tick >= b:
                        break
                    w += 1
            if cut >= max_time:
                if total == 0.0:
                    reached[r] = 1
                break
            if t_ev <= t_next:
                t = t_ev
                continue
            # one transition: node chosen in proportion to its rate
            x = next_double(st) * total
            target = 0
            for b in range(nb):
                if bsum[b] > 0.0:
                    target = b
                    if x < bsum[b]:
                        break
                    x -= bsum[b]
            chosen = -1
            for i in range(target * BLOCK, min(n, (target + 1) * BLOCK)):
                if rate[i] > 0.0:
                    chosen = i
                    if x < rate[i]:
                        break
                    x -= rate[i]
            t = t_next
            info[0] += 1
            i = chosen
            if state[i]:
                add_interval(frac, i, on_t[i], t, tick, W)
                state[i] = 0
            else:
                on_t[i] = t
                state[i] = 1
            if out_word[i] >= 0:
                keyw[out_word[i]] ^= one << np.uint64(out_bit[i])
            if ref[i] >= 0:
                hd += 1 if state[i] != ref[i] else -1
            for q in range(dep_ptr[i], dep_ptr[i + 1]):
                k = dep_idx[q]
                x = node_rate(k, state, program, rp, hv, he, base_up, base_down, bstack, fstack)
                if not (x >= 0.0) or x == np.inf:
                    info[1] = k
                    info[2] = r
                    return 2
                store_rate(k, x, internal, rate, rni, rln)
                dirty[k // BLOCK] = 1
        # close the run: nodes still on, then the per-run sums and squares
        for i in range(n):
            if state[i]:
                add_interval(frac, i, on_t[i], min(max_time, w_end), tick, W)
        for w in range(W):
            for i in range(n):
                f = frac[w, i] / tick
                node_sum[w, i] += f
                node_sq[w, i] += f * f
            f = run_th[w] / tick
            th_sum[w] += f
            th_sq[w] += f * f
            for k in range(nref + 1):
                hd_sum[w, k] += run_hd[w, k] / tick
        for i in range(n):
            if state[i]:
                final[r, i // 64] |= one << np.uint64(i % 64)
    return 0
