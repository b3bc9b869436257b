"""Continuous-time trajectories (Gillespie), MaBoSS semantics, over compiled rates.

One ``ct_block`` call simulates a block of runs and accumulates, per ``tick`` window, the time
each node is on, the transition entropy (when ``entropy``: a sum over every node at each
transition), the Hamming distance to a reference state and (when ``track``) the time spent in
each output state (open-addressing tables keyed by window and packed state). Per-run sums are
also squared, for standard errors.

The transition loop (``run_transitions``) is written out by hand, with no call that passes an
array: numba counts references to arrays handed to a helper, and in a loop this large its
pruning pass gives up, so each such call costs atomic updates (measured: 90% of the time).
Rare work (events, rates given as code, nodes above the truth-table limit) goes through helpers.

Arguments: ``program`` (Boolean rules, compiler tuple), ``rp`` (``RateProgram.arrays()``),
``simple`` (1: a standard-rate node with a truth table, the fast path), ``lu``/``ld``
(``ku log2 ku`` and ``kd log2 kd``), ``base_up``/``base_down`` (rates a partial hold pushes with),
``hold_val``/``hold_eff`` (-1 free, else the held value and its efficacy; a hold sets the value
when it starts; efficacy 1 fixes the node), the initial-state arrays (``kernels.initial``), the
events (time, node, value, efficacy; value >= 0 holds, else a code of ``kernels.events``: release,
release and set 0/1, set 0/1 leaving holds alone), ``internal`` (1: left out of states and transition
entropy), ``instant`` (1: an observer, never chosen to flip, that takes its rule's value as soon
as a node it reads changes; nothing may read it), ``out_word``/``out_bit`` (where each output node
sits in the packed state), ``ref`` (-1, or the reference value for the Hamming distance),
``seeds``, and ``keep``/``run_keep`` (a node's column or -1; per run of the block, window and
kept node, the fraction of the window the node was on). An event that cuts a wait keeps the drawn transition time (rescaled if the total rate
changed): the rest of an exponential wait is exponential, and an event that changes nothing then
leaves the random draws of a run as they were.

A worker's (window, state) entries are summed per run (their time, and its shifted square) and
appended to its entry list ``ent``; ``table_add`` then adds lists into tables, each table
holding the windows of one part (``w % parts``), so that workers fill disjoint tables. Whole
windows spent in one state go to per-worker difference counts (``stab``, ``sdiff``), added at
the end (``add_stretches``). Times are fixed point (``scale`` = 2**31 / tick per time unit), so
totals are exact integers whatever the order of the runs. ``info[0]`` counts transitions; a bad
rate leaves its node and run in ``info[1:3]`` (status 2); a run that makes more than ``info[4]``
transitions stops the block (status 6, its run in ``info[2]``).
"""

import numpy as np

from mtorsim.kernels._jit import jit, jit_inline, jit_reassoc
from mtorsim.kernels.events import RELEASE_SET_0, RELEASE_SET_1, SET_0
from mtorsim.kernels.initial import draw_initial
from mtorsim.kernels.lookup import node_value
from mtorsim.kernels.rng import next_double

LOG2E = 1.4426950408889634
H1 = np.uint64(0x9E3779B97F4A7C15)
H2 = np.uint64(0xBF58476D1CE4E5B9)
S29 = np.uint64(29)


@jit_inline
def fdiv(a, b):
    """a / b with IEEE results for b = 0 (numba would raise)."""
    if b == 0.0:
        if a == 0.0 or a != a:
            return np.nan
        return np.inf if a > 0.0 else -np.inf
    return a / b


@jit_inline
def flog(x):
    return np.log(x) if x > 0.0 else (-np.inf if x == 0.0 else np.nan)


# complexity: a numba kernel, one loop nest (an interpreter or a scan), left whole rather than split into jitted calls
@jit
def eval_float(  # noqa: C901
    lo, hi, f_op, f_arg, f_val, state, reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg, bstack, fstack
):
    """Run rate code ``[lo, hi)`` on a float stack; IEEE results, never an exception."""
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
            fstack[top] = np.float64(
                node_value(f_arg[p], state, reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg, bstack)
            )
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
            fstack[top - 1] = flog(fstack[top - 1])
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
                v = fdiv(a, b)
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
                v = np.exp(a * flog(b))
            else:  # log(a, base b)
                v = fdiv(flog(a), flog(b))
            fstack[top - 1] = v
    return fstack[0]


@jit
def general_rate(k, state, program, rp, bstack, fstack):
    """The rule-given rate of a node off the fast path (rate code, or logic above the table limit)."""
    kind, ku, kd, f_ptr, f_op, f_arg, f_val, dep_ptr, dep_idx = rp
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    s = state[k]
    if kind[k] == 0:
        logic = node_value(k, state, reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg, bstack)
        if s:
            return 0.0 if logic else kd[k]
        return ku[k] if logic else 0.0
    lo = f_ptr[2 * k + 1] if s else f_ptr[2 * k]
    hi = f_ptr[2 * k + 2] if s else f_ptr[2 * k + 1]
    return eval_float(
        lo, hi, f_op, f_arg, f_val, state, reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg, bstack, fstack
    )


@jit
def observer_value(k, state, program, bstack):
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    return node_value(k, state, reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg, bstack)


@jit_inline
def add_partial(frac, touch_w, touch_i, ntouch, w, i, d):
    """Add ``d`` to node ``i``'s partial window ``w``, listing the entry the first time."""
    if frac[w, i] == 0.0:
        k = ntouch[0]
        if k < touch_w.shape[0]:
            touch_w[k] = w
            touch_i[k] = i
        ntouch[0] = k + 1
    frac[w, i] += d


@jit
def close_interval(frac, full, touch_w, touch_i, ntouch, i, a, b, tick, W):
    """Node ``i`` was on over [a, b): partial windows go to ``frac`` (touched entries listed),
    a stretch of whole windows (the run's value there is 1) to the list ``full`` (rows: first
    window, end window, node; ``full[0, 0]`` counts them). Returns False when that list is full."""
    wa = np.int64(a / tick)
    if wa > 0 and wa * tick > a:
        wa -= 1
    if wa >= W:
        return True
    wb = np.int64(b / tick)
    if wb > 0 and wb * tick > b:
        wb -= 1
    first = wa
    if a > wa * tick or wa == wb:
        lo = a
        hi = min(b, (wa + 1) * tick)
        if hi > lo:
            add_partial(frac, touch_w, touch_i, ntouch, wa, i, hi - lo)
        first = wa + 1
        if wa == wb:
            return True
    last = min(wb, W)
    if first < last:
        k = full[0, 0] + 1
        if k >= full.shape[0]:
            return False
        full[k, 0] = first
        full[k, 1] = last
        full[k, 2] = i
        full[0, 0] = k
    if wb < W and b > wb * tick:
        add_partial(frac, touch_w, touch_i, ntouch, wb, i, b - wb * tick)
    return True


@jit
def start_run(
    r,
    seeds,
    st,
    state,
    hv,
    he,
    hold_val,
    hold_eff,
    init,
    instant,
    program,
    bstack,
    on_t,
    run_th,
    run_hd,
    keyw,
    out_word,
    out_bit,
    ref,
):
    """Seed run ``r``, draw its initial state, apply whole-run holds, set the observers; returns
    the Hamming distance to the reference state."""
    st[0] = seeds[r]
    hv[:] = hold_val
    he[:] = hold_eff
    init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals = init
    draw_initial(state, init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals, st)
    n = state.shape[0]
    for i in range(n):
        if hv[i] >= 0:  # a hold sets the value at once, whatever its efficacy
            state[i] = hv[i]
    for i in range(n):
        if instant[i]:
            state[i] = observer_value(i, state, program, bstack)
    run_th[:] = 0.0
    run_hd[:, :] = 0.0
    keyw[:] = 0
    hd = 0
    for i in range(n):
        on_t[i] = 0.0
        if state[i] and out_word[i] >= 0:
            keyw[out_word[i]] |= np.uint64(1) << np.uint64(out_bit[i])
        if ref[i] >= 0 and state[i] != ref[i]:
            hd += 1
    return hd


@jit
def close_run(  # noqa: C901 (one run's window sums: a kernel, written out; see the module docstring)
    r,
    state,
    on_t,
    frac,
    full,
    node_full,
    touch_w,
    touch_i,
    ntouch,
    run_th,
    run_hd,
    max_time,
    tick,
    W,
    node_sum,
    node_sq,
    th_sum,
    th_sq,
    hd_sum,
    final,
    keep,
    run_keep,
):
    """Close the on-intervals still open and add the run's window sums and squares (whole
    windows as difference counts in ``node_full``); the kept nodes' (``keep[i]`` >= 0: their
    column) time fractions per window go to the run's row of ``run_keep``. False, with nothing
    added, when the list of whole-window stretches is full."""
    n = state.shape[0]
    end = min(max_time, W * tick)
    for i in range(n):
        if state[i]:
            if not close_interval(frac, full, touch_w, touch_i, ntouch, i, on_t[i], end, tick, W):
                return False
    for k in range(1, full[0, 0] + 1):
        node_full[full[k, 0], full[k, 2]] += 1
        node_full[full[k, 1], full[k, 2]] -= 1
        c = keep[full[k, 2]]
        if c >= 0:
            for w in range(full[k, 0], full[k, 1]):
                run_keep[r, w, c] += 1.0
    full[0, 0] = 0
    if ntouch[0] <= touch_w.shape[0]:
        for k in range(ntouch[0]):
            w = touch_w[k]
            i = touch_i[k]
            f = frac[w, i] / tick
            node_sum[w, i] += f
            node_sq[w, i] += f * f
            frac[w, i] = 0.0
            if keep[i] >= 0:
                run_keep[r, w, keep[i]] += f
    else:  # more partial windows than the list holds: scan them all
        for w in range(W):
            for i in range(n):
                if frac[w, i] != 0.0:
                    f = frac[w, i] / tick
                    node_sum[w, i] += f
                    node_sq[w, i] += f * f
                    frac[w, i] = 0.0
                    if keep[i] >= 0:
                        run_keep[r, w, keep[i]] += f
    ntouch[0] = 0
    for w in range(W):
        f = run_th[w] / tick
        th_sum[w] += f
        th_sq[w] += f * f
        for k in range(run_hd.shape[1]):
            hd_sum[w, k] += run_hd[w, k] / tick
    for i in range(n):
        if state[i]:
            final[r, i // 64] |= np.uint64(1) << np.uint64(i % 64)
    return True


@jit
def apply_events(e, t, ev_time, ev_node, ev_val, ev_eff, state, hv, he, flipq):
    """Apply the events due at time ``t``: holds, releases, set values. Nodes whose value must
    change are put in ``flipq`` (from ``flipq[0]``); returns (next event, queue length)."""
    nq = 0
    while e < ev_time.shape[0] and ev_time[e] <= t:
        i = ev_node[e]
        v = ev_val[e]
        new = -1
        if v >= 0:
            hv[i] = v
            he[i] = ev_eff[e]
            new = v
        elif v >= RELEASE_SET_1:
            hv[i] = -1
            if v <= RELEASE_SET_0:
                new = RELEASE_SET_0 - v
        else:  # SET_0 / SET_1
            new = SET_0 - v
        if new >= 0:
            queued = -1
            for q in range(nq):
                if flipq[q] == i:
                    queued = q
            if queued >= 0:
                if new == state[i]:  # a later event at this time undoes the flip
                    nq -= 1
                    flipq[queued] = flipq[nq]
            elif state[i] != new:
                flipq[nq] = i
                nq += 1
        e += 1
    return e, nq


# complexity: a numba kernel, one loop nest (an interpreter or a scan), left whole rather than split into jitted calls
@jit_reassoc
def run_transitions(  # noqa: C901
    r,
    program,
    rp,
    simple,
    lu,
    ld,
    base_up,
    base_down,
    hv,
    he,
    ev_time,
    ev_node,
    ev_val,
    ev_eff,
    internal,
    instant,
    out_word,
    out_bit,
    ref,
    max_time,
    tick,
    W,
    discrete,
    track,
    entropy,
    state,
    on_t,
    frac,
    full,
    touch_w,
    touch_i,
    ntouch,
    run_th,
    run_hd,
    keyw,
    hd,
    rate,
    rni,
    rln,
    flipq,
    upd,
    mark,
    bstack,
    fstack,
    st,
    buf_w,
    buf_key,
    buf_d,
    nbuf,
    scale,
    reached,
    info,
):
    """One run's transitions, from its initial state to ``max_time``; returns a status."""
    kind, ku, kd, f_ptr, f_op, f_arg, f_val, dep_ptr, dep_idx = rp
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    n = state.shape[0]
    nkey = keyw.shape[0]
    n_ev = ev_time.shape[0]
    w_end = W * tick
    one = np.uint64(1)
    nbuf[0] = 0
    full[0, 0] = 0
    stretch = -1
    nb = (n + 7) // 8
    bsum = np.zeros(nb, np.float64)
    dirty = np.ones(nb, np.uint8)
    t = 0.0
    e = 0
    ntr = 0  # this run's transitions (status 6 past info[4]: rates too fast for max_time)
    nq = 0  # nodes queued to flip at time t
    kept_next = -1.0  # the next transition time drawn before an event, and the total rate then
    kept_total = 0.0
    nu = n  # nodes whose rate must be recomputed
    for i in range(n):
        upd[i] = i
        mark[i] = 1
    while True:
        # 1. events due now (holds change: every rate is recomputed)
        if e < n_ev and ev_time[e] <= t:
            e, nq = apply_events(e, t, ev_time, ev_node, ev_val, ev_eff, state, hv, he, flipq)
            for i in range(n):
                upd[i] = i
                mark[i] = 1
            nu = n
        # 2. flips at time t: close or open on-intervals, the packed state, the Hamming distance;
        #    observers reading a flipped node follow at once; readers get their rates recomputed
        q = 0
        while q < nq:
            i = flipq[q]
            q += 1
            if state[i]:
                a = on_t[i]
                wa = np.int64(a / tick)
                if wa > 0 and wa * tick > a:
                    wa -= 1
                wb = np.int64(t / tick)
                if wb > 0 and wb * tick > t:
                    wb -= 1
                if wa == wb and wa < W and a > wa * tick:  # within one window, the usual case
                    if frac[wa, i] == 0.0:
                        if ntouch[0] < touch_w.shape[0]:
                            touch_w[ntouch[0]] = wa
                            touch_i[ntouch[0]] = i
                        ntouch[0] += 1
                    frac[wa, i] += t - a
                elif wa < W:
                    if not close_interval(frac, full, touch_w, touch_i, ntouch, i, a, t, tick, W):
                        return 4
                state[i] = 0
            else:
                on_t[i] = t
                state[i] = 1
            if out_word[i] >= 0:
                keyw[out_word[i]] ^= one << np.uint64(out_bit[i])
            if ref[i] >= 0:
                hd += 1 if state[i] != ref[i] else -1
            for p in range(dep_ptr[i], dep_ptr[i + 1]):
                k = dep_idx[p]
                if instant[k]:
                    if tt_ptr[k] >= 0:
                        idx = 0
                        j = 0
                        for p2 in range(reg_ptr[k], reg_ptr[k + 1]):
                            idx |= np.int64(state[reg_idx[p2]]) << j
                            j += 1
                        v = tt[tt_ptr[k] + idx]
                    else:
                        v = observer_value(k, state, program, bstack)
                    if v != state[k]:
                        flipq[nq] = k
                        nq += 1
                elif not mark[k]:
                    mark[k] = 1
                    upd[nu] = k
                    nu += 1
        nq = 0
        # 3. rates of the nodes that read a flipped node (or of all nodes)
        for u in range(nu):
            k = upd[u]
            mark[k] = 0
            h = hv[k]
            if instant[k] or (h >= 0 and he[k] >= 1.0):
                x = 0.0
                xl = 0.0
            else:
                s = state[k]
                if simple[k]:
                    idx = 0
                    j = 0
                    for p in range(reg_ptr[k], reg_ptr[k + 1]):
                        idx |= np.int64(state[reg_idx[p]]) << j
                        j += 1
                    logic = tt[tt_ptr[k] + idx]
                    if s:
                        x = 0.0 if logic else kd[k]
                        xl = 0.0 if logic else ld[k]
                    else:
                        x = ku[k] if logic else 0.0
                        xl = lu[k] if logic else 0.0
                else:
                    x = general_rate(k, state, program, rp, bstack, fstack)
                    xl = -1.0
                if h >= 0:
                    x = (1.0 - he[k]) * x
                    if s != h:
                        x += he[k] * (base_up[k] if h == 1 else base_down[k])
                    xl = -1.0
                if not (x >= 0.0) or x == np.inf:
                    info[1] = k
                    info[2] = r
                    return 2
                if xl < 0.0 and entropy:
                    xl = x * np.log(x) * LOG2E if x > 0.0 else 0.0
            rate[k] = x
            dirty[k >> 3] = 1
            if internal[k]:
                rni[k] = 0.0
                rln[k] = 0.0
            else:
                rni[k] = x
                rln[k] = xl
        nu = 0
        # 4. total rate and transition entropy (non-internal transitions, bits)
        for b in range(nb):  # block sums (8 nodes), for the total and to find the chosen node fast
            if dirty[b]:
                dirty[b] = 0
                acc = 0.0
                for i in range(b * 8, min(n, b * 8 + 8)):
                    acc += rate[i]
                bsum[b] = acc
        total = 0.0
        for b in range(nb):
            total += bsum[b]
        th = 0.0
        if entropy:
            tni = 0.0
            tln = 0.0
            for i in range(n):
                tni += rni[i]
                tln += rln[i]
            if tni > 0.0:
                th = np.log(tni) * LOG2E - tln / tni
                if th < 0.0:
                    th = 0.0
        # 5. the time of the next transition; the state holds until then, or an event, or the end
        if total > 0.0:
            if discrete:
                t_next = t + tick
            elif kept_next >= 0.0:  # an event cut the last wait: its unused part carries over
                t_next = kept_next if total == kept_total else t + (kept_next - t) * kept_total / total
            else:
                t_next = t - np.log(1.0 - next_double(st)) / total
        else:
            t_next = np.inf
        kept_next = -1.0
        t_ev = ev_time[e] if e < n_ev else np.inf
        cut = min(t_next, t_ev, max_time)
        a = t
        b = min(cut, w_end)
        if b > a:
            w = np.int64(a / tick)
            if w > 0 and w * tick > a:
                w -= 1
            while w < W:
                lo = max(a, w * tick)
                hi = min(b, (w + 1) * tick)
                if hi > lo:
                    d = hi - lo
                    run_th[w] += th * d
                    run_hd[w, hd] += d
                    if track:
                        if a <= w * tick and b >= (w + 1) * tick:  # a whole window
                            if stretch < 0:
                                stretch = w
                        else:
                            if nbuf[0] == buf_w.shape[0]:
                                return 3
                            q = nbuf[0]
                            buf_w[q] = w
                            for k in range(nkey):
                                buf_key[q, k] = keyw[k]
                            buf_d[q] = np.int64(d * scale)
                            nbuf[0] = q + 1
                if (w + 1) * tick >= b:
                    break
                w += 1
            if stretch >= 0:  # whole windows [stretch, w_last]: one entry, window -(first + 1), end in d
                if nbuf[0] == buf_w.shape[0]:
                    return 3
                q = nbuf[0]
                buf_w[q] = -(stretch + 1)
                for k in range(nkey):
                    buf_key[q, k] = keyw[k]
                last = w if a <= w * tick and b >= (w + 1) * tick else w - 1
                buf_d[q] = last + 1
                nbuf[0] = q + 1
                stretch = -1
        if cut >= max_time:
            reached[r] = 1 if total == 0.0 else 0
            return 0
        if t_ev <= t_next:
            if t_next < np.inf:  # memoryless: the rest of this wait is still exponential, so keep it
                kept_next = t_next
                kept_total = total
            t = t_ev
            continue
        # 6. one transition: a node chosen in proportion to its rate
        x = next_double(st) * total
        block = -1
        for b in range(nb):
            if bsum[b] > 0.0:
                block = b
                if x < bsum[b]:
                    break
                x -= bsum[b]
        chosen = -1
        for i in range(block * 8, min(n, block * 8 + 8)):
            if rate[i] > 0.0:
                chosen = i
                if x < rate[i]:
                    break
                x -= rate[i]
        t = t_next
        info[0] += 1
        ntr += 1
        if ntr > info[4]:
            info[2] = r
            return 6
        flipq[0] = chosen
        nq = 1


SQ_SHIFT = 12
"""Per-run window sums (fixed point, at most 2**31) are squared after a shift by this many bits:
squares stay below 2**38, so 64-bit sums hold 2**25 runs; the per-run value keeps 19 bits."""


@jit_inline
def table_find(src, row, nkey, w, tab, counts, which):
    """The row of (window ``w``, state ``src[row, :nkey]``) in ``tab``, claimed if new (linear
    probing; ``counts[which]`` counts claimed rows). A row is ``[key words..., window + 1 (0:
    empty), sum, ...]``, all uint64. Keys are read in place: a slice would cost a view per call."""
    cap = tab.shape[0]
    wk = np.uint64(w + 1)
    h = wk * H1
    for k in range(nkey):
        h = (h ^ src[row, k]) * H2
        h ^= h >> S29
    slot = np.int64(h & np.uint64(cap - 1))
    while True:
        x = tab[slot, nkey]
        if x == 0:
            tab[slot, nkey] = wk
            for k in range(nkey):
                tab[slot, k] = src[row, k]
            counts[which] += 1
            return slot
        if x == wk:
            same = True
            for k in range(nkey):
                if tab[slot, k] != src[row, k]:
                    same = False
                    break
            if same:
                return slot
        slot = (slot + 1) & (cap - 1)


@jit
def merge_run(buf_w, buf_key, buf_d, nbuf, loc, loc_used, ent, stab, sdiff, counts):
    """Add a run's buffered entries to the worker's lists. A partial window (``buf_w >= 0``:
    window, state, time) is first summed per (window, state) in the small table ``loc`` (a row:
    key words, window + 1, time; at least twice the buffer), then appended to ``ent`` as a
    table row (key words, window + 1, sum, shifted square; ``counts[0]`` rows used), for
    ``table_add`` to add to the (window, state) tables. A stretch of whole windows (``buf_w =
    -(first + 1)``, end window in ``buf_d``: the run's value is 1 there) adds +1/-1 to the
    state's row of difference counts ``sdiff``, found through ``stab`` (a row: key words, 1, row
    number). Times are integers (fixed point), so totals do not depend on the order runs are
    added in. ``counts``: rows used in ``ent``, in ``loc``, in ``stab``."""
    nkey = buf_key.shape[1]
    used = 0
    for q in range(nbuf):
        if buf_w[q] < 0:
            before = counts[2]
            slot = table_find(buf_key, q, nkey, 0, stab, counts, 2)
            if counts[2] != before:
                stab[slot, nkey + 1] = np.uint64(counts[2] - 1)
            row = np.int64(stab[slot, nkey + 1])
            sdiff[row, -buf_w[q] - 1] += 1
            sdiff[row, buf_d[q]] -= 1
            continue
        before = counts[1]
        slot = table_find(buf_key, q, nkey, buf_w[q], loc, counts, 1)
        if counts[1] != before:  # a new (window, state) in this run
            loc_used[used] = slot
            used += 1
        loc[slot, nkey + 1] += np.uint64(buf_d[q])
    shift = np.uint64(SQ_SHIFT)
    e = counts[0]
    for u in range(used):
        q = loc_used[u]
        for k in range(nkey + 1):
            ent[e, k] = loc[q, k]
        c = loc[q, nkey + 1]
        ent[e, nkey + 1] = c
        c2 = c >> shift
        ent[e, nkey + 2] = c2 * c2
        e += 1
        for k in range(nkey + 2):
            loc[q, k] = 0
    counts[0] = e
    counts[1] = 0


@jit
def add_stretches(stab, sdiff, W, part, parts, start, tab, counts):
    """Turn the difference counts of whole windows into (window, state) sums in ``tab``, for
    the windows ``w`` with ``w % parts == part``, from state slot ``start`` on. Stops before a
    state whose windows could take ``tab`` past half full, and returns the slot to go on from
    (``stab.shape[0]`` when all are in)."""
    nkey = stab.shape[1] - 2
    one = np.uint64(1) << np.uint64(31)
    sq = (one >> np.uint64(SQ_SHIFT)) * (one >> np.uint64(SQ_SHIFT))
    room = tab.shape[0] // 2 - (W + parts - 1) // parts
    for slot in range(start, stab.shape[0]):
        if stab[slot, nkey] == 0:
            continue
        if counts[0] > room:
            return slot
        row = np.int64(stab[slot, nkey + 1])
        running = 0
        for w in range(W):
            running += sdiff[row, w]
            if running > 0 and w % parts == part:
                t = table_find(stab, slot, nkey, w, tab, counts, 0)
                tab[t, nkey + 1] += np.uint64(running) * one
                tab[t, nkey + 2] += np.uint64(running) * sq
    return stab.shape[0]


@jit
def table_add(src, start, stop, part, parts, tab, counts):
    """Add rows ``[start, stop)`` of ``src`` (rows as in a table; empty ones skipped) whose
    window ``w`` has ``w % parts == part`` into ``tab``, exact integer sums (also used to
    rehash). Stops before ``tab`` would pass half full and returns the row to go on from
    (``stop`` when all are in)."""
    nkey = tab.shape[1] - 3
    half = tab.shape[0] // 2
    for s in range(start, stop):
        wk = src[s, nkey]
        if wk == 0 or (parts > 1 and (np.int64(wk) - 1) % parts != part):
            continue
        if counts[0] >= half:
            return s
        slot = table_find(src, s, nkey, np.int64(wk) - 1, tab, counts, 0)
        tab[slot, nkey + 1] += src[s, nkey + 1]
        tab[slot, nkey + 2] += src[s, nkey + 2]
    return stop


@jit
def rehash_states(src, stab, counts):
    """Copy the state -> row entries of ``src`` into the larger ``stab``."""
    nkey = stab.shape[1] - 2
    for s in range(src.shape[0]):
        if src[s, nkey] != 0:
            slot = table_find(src, s, nkey, 0, stab, counts, 2)
            stab[slot, nkey + 1] = src[s, nkey + 1]


@jit_inline
def ranks_before(tab, a, b, nkey):
    """Row ``a`` before row ``b``: larger sum first, then the smaller packed state (a total order,
    so the listing does not depend on where rows sit in the table)."""
    if tab[a, nkey + 1] != tab[b, nkey + 1]:
        return tab[a, nkey + 1] > tab[b, nkey + 1]
    for k in range(nkey - 1, -1, -1):
        if tab[a, k] != tab[b, k]:
            return tab[a, k] < tab[b, k]
    return False


@jit
def table_summary(tab, nkey, W, runs, top_row, entropy):
    """One pass over the table: per window the rows of the ``top_row.shape[1]`` most probable
    states (-1 where fewer) and the entropy (bits) of the window's state probabilities. The
    entropy terms are summed in fixed point (2**-40 bits), so the result does not depend on
    the order of the rows."""
    k = top_row.shape[1]
    norm = 1.0 / (2.0**31 * runs)
    acc = np.zeros(W, np.int64)
    for s in range(tab.shape[0]):
        wk = tab[s, nkey]
        if wk == 0:
            continue
        w = np.int64(wk) - 1
        p = np.float64(tab[s, nkey + 1]) * norm
        if p > 0.0:
            acc[w] += np.int64(np.round(-p * np.log(p) * LOG2E * 2.0**40))
        if top_row[w, k - 1] >= 0 and not ranks_before(tab, s, top_row[w, k - 1], nkey):
            continue
        j = k - 1
        while j > 0 and (top_row[w, j - 1] < 0 or ranks_before(tab, s, top_row[w, j - 1], nkey)):
            top_row[w, j] = top_row[w, j - 1]
            j -= 1
        top_row[w, j] = s
    for w in range(W):
        entropy[w] = acc[w] / 2.0**40


@jit
def ct_block(
    program,
    rp,
    simple,
    lu,
    ld,
    base_up,
    base_down,
    hold_val,
    hold_eff,
    max_stack,
    fmax_stack,
    init,
    ev_time,
    ev_node,
    ev_val,
    ev_eff,
    internal,
    instant,
    out_word,
    out_bit,
    nkey,
    ref,
    nref,
    seeds,
    r0,
    max_time,
    tick,
    W,
    discrete,
    track,
    entropy,
    scale,
    node_sum,
    node_sq,
    node_full,
    th_sum,
    th_sq,
    hd_sum,
    buf_w,
    buf_key,
    buf_d,
    full,
    loc,
    loc_used,
    ent,
    stab,
    sdiff,
    tcount,
    final,
    reached,
    info,
    keep,
    run_keep,
):
    """Runs ``r0``.. of the block. Returns 0; 1 when the entry list ``ent`` has no room for the
    run's entries, 5 when ``stab``/``sdiff`` (whole-window stretches) is full, 3 when the per-run
    state buffer or 4 when the list ``full`` of whole-window stretches is too small (``info[3]``:
    the run to start again from, with nothing of it counted); 2 for a bad rate, 6 for a runaway
    run."""
    n = hold_val.shape[0]
    state = np.zeros(n, np.uint8)
    hv = np.empty(n, np.int8)
    he = np.empty(n, np.float64)
    rate = np.zeros(n, np.float64)
    rni = np.zeros(n, np.float64)
    rln = np.zeros(n, np.float64)
    flipq = np.zeros(n + 1, np.int64)
    upd = np.zeros(n, np.int64)
    mark = np.zeros(n, np.uint8)
    on_t = np.zeros(n, np.float64)
    frac = np.zeros((W, n), np.float64)
    touch_w = np.zeros(4 * n + 64, np.int64)
    touch_i = np.zeros(4 * n + 64, np.int64)
    ntouch = np.zeros(1, np.int64)
    run_th = np.zeros(W, np.float64)
    run_hd = np.zeros((W, nref + 1), np.float64)
    keyw = np.zeros(max(nkey, 1), np.uint64)
    bstack = np.zeros(max_stack + 1, np.uint8)
    fstack = np.zeros(fmax_stack + 1, np.float64)
    st = np.empty(1, np.uint64)
    nbuf = np.zeros(1, np.int64)
    cap = ent.shape[0]
    for r in range(r0, seeds.shape[0]):
        counted = info[0]  # a run started again (more room) must not count its transitions twice
        hd = start_run(
            r,
            seeds,
            st,
            state,
            hv,
            he,
            hold_val,
            hold_eff,
            init,
            instant,
            program,
            bstack,
            on_t,
            run_th,
            run_hd,
            keyw,
            out_word,
            out_bit,
            ref,
        )
        status = run_transitions(
            r,
            program,
            rp,
            simple,
            lu,
            ld,
            base_up,
            base_down,
            hv,
            he,
            ev_time,
            ev_node,
            ev_val,
            ev_eff,
            internal,
            instant,
            out_word,
            out_bit,
            ref,
            max_time,
            tick,
            W,
            discrete,
            track,
            entropy,
            state,
            on_t,
            frac,
            full,
            touch_w,
            touch_i,
            ntouch,
            run_th,
            run_hd,
            keyw,
            hd,
            rate,
            rni,
            rln,
            flipq,
            upd,
            mark,
            bstack,
            fstack,
            st,
            buf_w,
            buf_key,
            buf_d,
            nbuf,
            scale,
            reached,
            info,
        )
        if status == 2 or status == 6:
            return status
        if status == 0 and track and tcount[0] + nbuf[0] > cap:
            status = 1
        if (
            status == 0
            and track
            and (4 * (tcount[2] + nbuf[0]) > 3 * stab.shape[0] or tcount[2] + nbuf[0] > sdiff.shape[0])
        ):
            status = 5
        if status == 0 and not close_run(
            r,
            state,
            on_t,
            frac,
            full,
            node_full,
            touch_w,
            touch_i,
            ntouch,
            run_th,
            run_hd,
            max_time,
            tick,
            W,
            node_sum,
            node_sq,
            th_sum,
            th_sq,
            hd_sum,
            final,
            keep,
            run_keep,
        ):
            status = 4
        if status:  # start again from this run, with more room: forget what it touched
            info[0] = counted
            info[3] = r
            frac[:, :] = 0.0
            ntouch[0] = 0
            full[0, 0] = 0
            return status
        if track:
            merge_run(buf_w, buf_key, buf_d, nbuf[0], loc, loc_used, ent, stab, sdiff, tcount)
    return 0
