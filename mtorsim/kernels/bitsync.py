"""Bit-parallel synchronous trajectories: 64 runs per machine word, one word program per node.

A block of runs keeps its state as rows of words (``wordcode``: current state, next state,
ZERO, ONE, temporaries); one step runs every node's instructions over all the words of the
block, so the cost of interpreting an instruction is shared by ``64 * words`` runs and the
word loops vectorise. Runs are independent and keep their own random stream (``seeds``): the
initial state is drawn per run exactly as in ``trajectories.run_sync``, and a partial hold
draws one uniform per run, node and step in the same order, so the trajectories are the same
bit for bit. Counts (runs on per sample and node, and per ``term``: an AND of literals) are
integers, summed per worker over a fixed split of the blocks: the totals do not depend on the
thread count.

Arguments: ``code``/``ptr`` (``WordProgram``), ``rows``, ``fixed``/``fix_p``, the initial-state
arrays, ``seeds`` (one per run), ``sample_steps``, the schedule (``ev_step``, ``ev_node``,
``ev_val`` as in ``trajectories``), terms (``t_ptr``, ``t_node``, ``t_neg``), ``words`` per
block, ``workers``; returns (counts[samples, n], term counts[samples, terms]).
"""

import numpy as np
from numba import prange

from mtorsim.kernels._jit import jit_parallel
from mtorsim.kernels.initial import draw_initial
from mtorsim.kernels.rng import next_double

ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
ONE64 = np.uint64(1)
M1 = np.uint64(0x5555555555555555)
M2 = np.uint64(0x3333333333333333)
M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
H01 = np.uint64(0x0101010101010101)
S56 = np.uint64(56)


@jit_parallel
def bit_sync(code, ptr, rows, fixed, fix_p, init, seeds, sample_steps, ev_step, ev_node, ev_val, t_ptr, t_node,
             t_neg, words, workers):
    n = fixed.shape[0]
    runs = seeds.shape[0]
    per_block = 64 * words
    n_blocks = (runs + per_block - 1) // per_block
    n_samples = sample_steps.shape[0]
    n_terms = t_ptr.shape[0] - 1
    counts = np.zeros((workers, n_samples, n), np.int64)
    tcounts = np.zeros((workers, n_samples, n_terms), np.int64)
    init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals = init
    n_ev = ev_step.shape[0]
    last = sample_steps[-1]
    for wk in prange(workers):
        b_lo = n_blocks * wk // workers
        b_hi = n_blocks * (wk + 1) // workers
        B = np.zeros((rows, words), np.uint64)
        st = np.empty(per_block, np.uint64)
        one_st = np.empty(1, np.uint64)
        state = np.empty(n, np.uint8)
        fix = np.empty(n, np.int8)
        for blk in range(b_lo, b_hi):
            r0 = blk * per_block
            cnt = min(per_block, runs - r0)
            W = (cnt + 63) // 64
            tail = ALL if cnt % 64 == 0 else (ONE64 << np.uint64(cnt % 64)) - ONE64
            for k in range(rows):
                for w in range(W):
                    B[k, w] = 0
            for w in range(W):
                B[2 * n + 1, w] = ALL
            fix[:] = fixed
            # initial states, run by run, as the per-run kernel draws them
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
                    v = ALL if fix[i] == 1 else np.uint64(0)
                    for w in range(W):
                        B[i, w] = v
            e = 0
            s = 0
            for step in range(0, last + 1):
                if step > 0:
                    for i in range(n):
                        f = fix[i]
                        out = n + i
                        if f >= 0 and fix_p[i] >= 1.0:
                            fill = ALL if f == 1 else np.uint64(0)
                            for w in range(W):
                                B[out, w] = fill
                            continue
                        for k in range(ptr[i], ptr[i + 1]):
                            op = code[k, 0]
                            d = code[k, 1]
                            a = code[k, 2]
                            ma = ALL if code[k, 3] else np.uint64(0)
                            b = code[k, 4]
                            mb = ALL if code[k, 5] else np.uint64(0)
                            if op == 0:
                                for w in range(W):
                                    B[d, w] = (B[a, w] ^ ma) & (B[b, w] ^ mb)
                            elif op == 1:
                                for w in range(W):
                                    B[d, w] = (B[a, w] ^ ma) | (B[b, w] ^ mb)
                            else:
                                for w in range(W):
                                    B[d, w] = B[a, w] ^ ma
                        if f >= 0:  # a partial hold: each run draws whether it applies now
                            p = fix_p[i]
                            for q in range(cnt):
                                one_st[0] = st[q]
                                hit = next_double(one_st) < p
                                st[q] = one_st[0]
                                if hit:
                                    w = q >> 6
                                    bit = ONE64 << np.uint64(q & 63)
                                    if f == 1:
                                        B[out, w] |= bit
                                    else:
                                        B[out, w] &= ~bit
                    for i in range(n):
                        for w in range(W):
                            B[i, w] = B[n + i, w]
                while e < n_ev and ev_step[e] <= step:  # events due after this step (time 0: at the start)
                    i = ev_node[e]
                    v = ev_val[e]
                    if v >= 0:
                        fix[i] = v
                        fill = ALL if v == 1 else np.uint64(0)
                        for w in range(W):
                            B[i, w] = fill
                    else:
                        fix[i] = -1
                        if v <= -2:
                            fill = ALL if v == -3 else np.uint64(0)
                            for w in range(W):
                                B[i, w] = fill
                    e += 1
                if s < n_samples and step == sample_steps[s]:
                    for i in range(n):
                        c = 0
                        for w in range(W):
                            x = B[i, w]
                            if w == W - 1:
                                x &= tail
                            x = x - ((x >> ONE64) & M1)
                            x = (x & M2) + ((x >> np.uint64(2)) & M2)
                            x = (x + (x >> np.uint64(4))) & M4
                            c += np.int64((x * H01) >> S56)
                        counts[wk, s, i] += c
                    for t in range(n_terms):
                        c = 0
                        for w in range(W):
                            x = ALL if w < W - 1 else tail
                            for k in range(t_ptr[t], t_ptr[t + 1]):
                                x &= B[t_node[k], w] ^ (ALL if t_neg[k] else np.uint64(0))
                            x = x - ((x >> ONE64) & M1)
                            x = (x & M2) + ((x >> np.uint64(2)) & M2)
                            x = (x + (x >> np.uint64(4))) & M4
                            c += np.int64((x * H01) >> S56)
                        tcounts[wk, s, t] += c
                    s += 1
    return counts.sum(axis=0), tcounts.sum(axis=0)
