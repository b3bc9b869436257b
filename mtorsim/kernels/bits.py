"""Bit-parallel trajectories: 64 runs per machine word, one word program per node.

A block of runs keeps its state as rows of words (``wordcode``: current state, next state,
ZERO, ONE, temporaries). Sync: one step runs every node's instructions over all the words of
the block, so interpreting an instruction is shared by ``64 * words`` runs and the word loops
vectorise. Async: each run draws its node from the alias table as the per-run kernel does, a
mask per node marks the runs that drew it, and every drawn node is evaluated over the block's
words and merged under its mask (a run changes one node per step, so runs never see each
other's updates). Runs keep their own random streams (``seeds``): initial states, node choices
and partial holds are drawn per run in the per-run kernels' order, so trajectories are the same
bit for bit. Counts (runs on per sample and node, and per ``term``: an AND of literals) are
integers summed per worker over a fixed split of the blocks: totals do not depend on the thread
count.

Arguments: ``code``/``ptr`` (``WordProgram``), ``rows``, ``fixed``/``fix_p``, the initial-state
arrays, ``seeds`` (one per run), ``sample_steps``, the schedule (``ev_step``, ``ev_node``,
``ev_val`` as in ``trajectories``), terms (``t_ptr``, ``t_node``, ``t_neg``), ``words`` per
block, ``workers``; async also ``alias_p``/``alias``. Returns (counts[samples, n], term
counts[samples, terms]).
"""

import numpy as np
from numba import prange

from mtorsim.kernels._jit import jit, jit_inline, jit_parallel
from mtorsim.kernels.events import RELEASE_SET_0, RELEASE_SET_1
from mtorsim.kernels.flags import stop_requested
from mtorsim.kernels.initial import draw_initial
from mtorsim.kernels.rng import split_double

ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
ZERO = np.uint64(0)
ONE64 = np.uint64(1)
M1 = np.uint64(0x5555555555555555)
M2 = np.uint64(0x3333333333333333)
M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
H01 = np.uint64(0x0101010101010101)
S56 = np.uint64(56)


@jit_inline
def popcount(x):
    """Set bits of a uint64 (SWAR; LLVM turns it into one instruction where the CPU has one)."""
    x = x - ((x >> ONE64) & M1)
    x = (x & M2) + ((x >> np.uint64(2)) & M2)
    x = (x + (x >> np.uint64(4))) & M4
    return np.int64((x * H01) >> S56)


@jit
def start_block(B, st, state, one_st, fix, fixed, init, seeds, r0, cnt, W, n):
    """Clear the block, draw each run's initial state (as the per-run kernels do), hold the
    fixed nodes; ``st`` keeps each run's random stream."""
    init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals = init
    for k in range(B.shape[0]):
        for w in range(W):
            B[k, w] = 0
    for w in range(W):
        B[2 * n + 1, w] = ALL
    fix[:] = fixed
    for q in range(cnt):
        one_st[0] = seeds[r0 + q]
        draw_initial(state, init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals, one_st)
        st[q] = one_st[0]
        w = q >> 6
        bit = ONE64 << np.uint64(q & 63)
        for i in range(n):
            if state[i]:
                B[i, w] |= bit
    for i in range(n):
        if fix[i] >= 0:
            v = ALL if fix[i] == 1 else ZERO
            for w in range(W):
                B[i, w] = v


@jit
def apply_events(e, step, ev_step, ev_node, ev_val, fix, B, W):
    """The schedule's events due after ``step`` steps, on every run; returns the next event."""
    while e < ev_step.shape[0] and ev_step[e] <= step:
        i = ev_node[e]
        v = ev_val[e]
        if v >= 0:
            fix[i] = v
            fill = ALL if v == 1 else ZERO
            for w in range(W):
                B[i, w] = fill
        else:
            fix[i] = -1
            if v <= RELEASE_SET_0:
                fill = ALL if v == RELEASE_SET_1 else ZERO
                for w in range(W):
                    B[i, w] = fill
        e += 1
    return e


@jit
def record(B, counts, tcounts, wk, s, n, W, tail, t_ptr, t_node, t_neg):
    """Add the block's runs that are on, per node and per term, to sample ``s``."""
    for i in range(n):
        c = 0
        for w in range(W):
            x = B[i, w]
            if w == W - 1:
                x &= tail
            c += popcount(x)
        counts[wk, s, i] += c
    for t in range(t_ptr.shape[0] - 1):
        c = 0
        for w in range(W):
            x = ALL if w < W - 1 else tail
            for k in range(t_ptr[t], t_ptr[t + 1]):
                x &= B[t_node[k], w] ^ (ALL if t_neg[k] else ZERO)
            c += popcount(x)
        tcounts[wk, s, t] += c


@jit_inline
def run_code(code, ptr, i, B, W):
    """Node ``i``'s instructions over the first ``W`` words of every row."""
    for k in range(ptr[i], ptr[i + 1]):
        op = code[k, 0]
        d = code[k, 1]
        a = code[k, 2]
        ma = ALL if code[k, 3] else ZERO
        b = code[k, 4]
        mb = ALL if code[k, 5] else ZERO
        if op == 0:
            for w in range(W):
                B[d, w] = (B[a, w] ^ ma) & (B[b, w] ^ mb)
        elif op == 1:
            for w in range(W):
                B[d, w] = (B[a, w] ^ ma) | (B[b, w] ^ mb)
        else:
            for w in range(W):
                B[d, w] = B[a, w] ^ ma


@jit_inline
def mark(lo, q, sq, held, fix_p, force_m, rule_m, drawn):
    """Run ``q`` updates node ``lo`` this step: its hold applies (a partial one draws from the
    run's stream ``sq``) or its rule does; returns the stream."""
    bit = ONE64 << np.uint64(q & 63)
    forced = False
    if held[lo]:
        if fix_p[lo] >= 1.0:
            forced = True
        else:
            sq, v = split_double(sq)
            forced = v < fix_p[lo]
    if forced:
        force_m[lo, q >> 6] |= bit
    else:
        rule_m[lo, q >> 6] |= bit
    drawn[lo] = 1
    return sq


@jit_inline
def apply_marked(code, ptr, B, W, n, fix, force_m, rule_m, drawn):
    """Every marked node: its rule over the block's words, taken by the runs that drew it; its
    hold by the runs whose hold applied. Clears the marks."""
    for i in range(n):
        if not drawn[i]:
            continue
        drawn[i] = 0
        run_code(code, ptr, i, B, W)
        for w in range(W):
            mk = rule_m[i, w]
            B[i, w] = (B[i, w] & ~mk) | (B[n + i, w] & mk)
            rule_m[i, w] = 0
        f = fix[i]
        if f >= 0:
            for w in range(W):
                mk = force_m[i, w]
                B[i, w] = (B[i, w] | mk) if f == 1 else (B[i, w] & ~mk)
                force_m[i, w] = 0


# complexity: a numba kernel, one loop nest (an interpreter or a scan), left whole rather than split into jitted calls
@jit_parallel
def bit_trajectories(  # noqa: C901
    mode,
    code,
    ptr,
    rows,
    fixed,
    fix_p,
    alias_p,
    alias,
    init,
    seeds,
    sample_steps,
    ev_step,
    ev_node,
    ev_val,
    t_ptr,
    t_node,
    t_neg,
    words,
    workers,
    stop,
):
    """``mode`` 0: sync (every node from the previous state); 1: async, one node per run and
    step drawn from the alias table (``alias_p``, ``alias``) as ``trajectories.run_async``; 2:
    random order, every node once per step in each run's own shuffled order, as
    ``trajectories.run_random_order`` (the n positions of a step go as n async-like updates).
    ``stop`` (one uint8) is read at every step: set to 1 from another thread, every worker
    returns at once (the counts are then incomplete and the caller discards them)."""
    n = fixed.shape[0]
    runs = seeds.shape[0]
    per_block = 64 * words
    n_blocks = (runs + per_block - 1) // per_block
    n_samples = sample_steps.shape[0]
    counts = np.zeros((workers, n_samples, n), np.int64)
    tcounts = np.zeros((workers, n_samples, t_ptr.shape[0] - 1), np.int64)
    last = sample_steps[-1]
    for wk in prange(workers):
        B = np.zeros((rows, words), np.uint64)
        rule_m = np.zeros((n, words), np.uint64)  # async: runs that apply node i's rule this step
        force_m = np.zeros((n, words), np.uint64)  # async: runs whose hold on node i applies this step
        drawn = np.zeros(n, np.uint8)
        held = np.zeros(n, np.uint8)
        st = np.empty(per_block, np.uint64)
        one_st = np.empty(1, np.uint64)
        state = np.empty(n, np.uint8)
        fix = np.empty(n, np.int8)
        perm = np.empty((per_block if mode == 2 else 0, n), np.int32)
        for blk in range(n_blocks * wk // workers, n_blocks * (wk + 1) // workers):
            r0 = blk * per_block
            cnt = min(per_block, runs - r0)
            W = (cnt + 63) // 64
            tail = ALL if cnt % 64 == 0 else (ONE64 << np.uint64(cnt % 64)) - ONE64
            start_block(B, st, state, one_st, fix, fixed, init, seeds, r0, cnt, W, n)
            e = 0
            s = 0
            refresh = True
            for step in range(0, last + 1):
                if stop_requested(stop):
                    break
                if step > 0 and mode == 0:
                    for i in range(n):
                        f = fix[i]
                        if f >= 0 and fix_p[i] >= 1.0:
                            fill = ALL if f == 1 else ZERO
                            for w in range(W):
                                B[n + i, w] = fill
                            continue
                        run_code(code, ptr, i, B, W)
                        if f >= 0:  # a partial hold: each run draws whether it applies now
                            p = fix_p[i]
                            for q in range(cnt):
                                sq, v = split_double(st[q])
                                st[q] = sq
                                if v < p:
                                    bit = ONE64 << np.uint64(q & 63)
                                    if f == 1:
                                        B[n + i, q >> 6] |= bit
                                    else:
                                        B[n + i, q >> 6] &= ~bit
                    for i in range(n):
                        for w in range(W):
                            B[i, w] = B[n + i, w]
                elif step > 0:
                    if refresh:  # holds change only at events
                        refresh = False
                        for i in range(n):
                            held[i] = 1 if fix[i] >= 0 else 0
                    if mode == 1:
                        for q in range(cnt):  # each run draws its node, as the per-run kernel does
                            sq, u = split_double(st[q])
                            u *= n
                            lo = np.int64(u)
                            alt = alias[lo]
                            # u - lo >= alias_p[lo] takes the alias; as arithmetic (floor of the
                            # difference: -1 keeps lo, 0 takes alt), since a branch here is a coin flip
                            keep = np.int64(np.floor((u - lo) - alias_p[lo]))
                            st[q] = mark(alt ^ ((alt ^ lo) & keep), q, sq, held, fix_p, force_m, rule_m, drawn)
                        apply_marked(code, ptr, B, W, n, fix, force_m, rule_m, drawn)
                    else:
                        for q in range(cnt):  # each run shuffles its order (Fisher-Yates), as before
                            sq = st[q]
                            for i in range(n):
                                perm[q, i] = i
                            for i in range(n - 1, 0, -1):
                                sq, v = split_double(sq)
                                j = np.int64(v * (i + 1))
                                t = perm[q, i]
                                perm[q, i] = perm[q, j]
                                perm[q, j] = t
                            st[q] = sq
                        for k in range(n):
                            for q in range(cnt):
                                st[q] = mark(np.int64(perm[q, k]), q, st[q], held, fix_p, force_m, rule_m, drawn)
                            apply_marked(code, ptr, B, W, n, fix, force_m, rule_m, drawn)
                e0 = e
                e = apply_events(e, step, ev_step, ev_node, ev_val, fix, B, W)
                refresh = refresh or e != e0
                if s < n_samples and step == sample_steps[s]:
                    record(B, counts, tcounts, wk, s, n, W, tail, t_ptr, t_node, t_neg)
                    s += 1
    return counts.sum(axis=0), tcounts.sum(axis=0)
