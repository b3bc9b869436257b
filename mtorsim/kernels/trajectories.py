"""Trajectory kernels for the sync, async (rates) and random-order update schemes.

Shared arguments: ``program`` (compiler tuple), ``fixed`` (int8, -1 free else the held
value), ``fix_p`` (float64: the probability a hold applies at each update of that node, 1 for
a complete inhibition; when it does not, the node follows its rule), the initial-state arrays (``init``, see ``kernels.initial``), one ``seeds`` word per run, ``sample_steps`` (sorted
step counts at which the state is recorded), the schedule (``ev_step``, ``ev_node``,
``ev_val``: sorted by step; after that many steps the node is held at ``ev_val``, or released
to its rule or released and set to 0 / 1 (the codes of ``kernels.events``); a hold sets
the value at once) and ``out`` (runs x samples
x nodes, uint8).
"""

import numpy as np

from mtorsim.kernels._jit import jit
from mtorsim.kernels.evaluate import eval_bytecode
from mtorsim.kernels.events import RELEASE_SET_0
from mtorsim.kernels.initial import draw_initial
from mtorsim.kernels.rng import next_double


@jit
def apply_events(e, step, ev_step, ev_node, ev_val, fix, state):
    """Apply the schedule's events due after ``step`` steps; returns the next event index."""
    while e < ev_step.shape[0] and ev_step[e] <= step:
        i = ev_node[e]
        v = ev_val[e]
        if v >= 0:  # hold at v
            fix[i] = v
            state[i] = v
        else:  # release; RELEASE_SET_0/1 also set the value to 0 or 1
            fix[i] = -1
            if v <= RELEASE_SET_0:
                state[i] = RELEASE_SET_0 - v
        e += 1
    return e


@jit
def start_run(r, seeds, st, fixed, fix, state, init, ev_step, ev_node, ev_val, sample_steps, out):
    """Seed run ``r``, draw its initial state (``init``: the ``kernels.initial`` arrays), hold the
    fixed nodes, apply time-0 events and record sample 0; returns (next event, next sample)."""
    st[0] = seeds[r]
    fix[:] = fixed
    init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals = init
    draw_initial(state, init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals, st)
    for i in range(state.shape[0]):
        if fix[i] >= 0:
            state[i] = fix[i]
    e = apply_events(0, 0, ev_step, ev_node, ev_val, fix, state)
    if sample_steps[0] == 0:
        out[r, 0, :] = state
        return e, 1
    return e, 0


@jit
def run_sync(program, fixed, fix_p, init, seeds, sample_steps, ev_step, ev_node, ev_val, out, max_stack):
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    n = fixed.shape[0]
    cur = np.empty(n, np.uint8)
    nxt = np.empty(n, np.uint8)
    stack = np.empty(max_stack + 1, np.uint8)
    st = np.empty(1, np.uint64)
    fix = fixed.copy()
    n_ev = ev_step.shape[0]
    last = sample_steps[-1]
    for r in range(seeds.shape[0]):
        e, s = start_run(r, seeds, st, fixed, fix, cur, init, ev_step, ev_node, ev_val, sample_steps, out)
        for step in range(1, last + 1):
            for i in range(n):
                f = fix[i]
                if f >= 0 and (fix_p[i] >= 1.0 or next_double(st) < fix_p[i]):
                    nxt[i] = f
                elif tt_ptr[i] >= 0:
                    idx = 0
                    j = 0
                    for p in range(reg_ptr[i], reg_ptr[i + 1]):
                        idx |= np.int64(cur[reg_idx[p]]) << j
                        j += 1
                    nxt[i] = tt[tt_ptr[i] + idx]
                else:
                    nxt[i] = eval_bytecode(i, cur, code_ptr, code_op, code_arg, stack)
            cur, nxt = nxt, cur
            if e < n_ev and ev_step[e] <= step:
                e = apply_events(e, step, ev_step, ev_node, ev_val, fix, cur)
            if step == sample_steps[s]:
                out[r, s, :] = cur
                s += 1


@jit
def run_async(
    program, fixed, fix_p, alias_p, alias, init, seeds, sample_steps, ev_step, ev_node, ev_val, out, max_stack
):
    """One node per step, node ``i`` with probability rate_i / sum(rates), drawn from a
    Walker alias table: ``u = n * U``, column ``c = floor(u)``, take ``c`` if
    ``u - c < alias_p[c]`` else ``alias[c]``."""
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    n = fixed.shape[0]
    state = np.empty(n, np.uint8)
    stack = np.empty(max_stack + 1, np.uint8)
    st = np.empty(1, np.uint64)
    fix = fixed.copy()
    n_ev = ev_step.shape[0]
    last = sample_steps[-1]
    for r in range(seeds.shape[0]):
        e, s = start_run(r, seeds, st, fixed, fix, state, init, ev_step, ev_node, ev_val, sample_steps, out)
        for step in range(1, last + 1):
            u = next_double(st) * n
            lo = np.int64(u)
            if u - lo >= alias_p[lo]:
                lo = alias[lo]
            f = fix[lo]
            if f >= 0 and (fix_p[lo] >= 1.0 or next_double(st) < fix_p[lo]):
                state[lo] = f
            elif tt_ptr[lo] >= 0:
                idx = 0
                j = 0
                for p in range(reg_ptr[lo], reg_ptr[lo + 1]):
                    idx |= np.int64(state[reg_idx[p]]) << j
                    j += 1
                state[lo] = tt[tt_ptr[lo] + idx]
            else:
                state[lo] = eval_bytecode(lo, state, code_ptr, code_op, code_arg, stack)
            if e < n_ev and ev_step[e] <= step:
                e = apply_events(e, step, ev_step, ev_node, ev_val, fix, state)
            if step == sample_steps[s]:
                out[r, s, :] = state
                s += 1


@jit
def run_random_order(program, fixed, fix_p, init, seeds, sample_steps, ev_step, ev_node, ev_val, out, max_stack):
    """Each step updates every node once, in a fresh random order, reading the latest values."""
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    n = fixed.shape[0]
    state = np.empty(n, np.uint8)
    order = np.empty(n, np.int64)
    stack = np.empty(max_stack + 1, np.uint8)
    st = np.empty(1, np.uint64)
    fix = fixed.copy()
    n_ev = ev_step.shape[0]
    last = sample_steps[-1]
    for r in range(seeds.shape[0]):
        e, s = start_run(r, seeds, st, fixed, fix, state, init, ev_step, ev_node, ev_val, sample_steps, out)
        for step in range(1, last + 1):
            for i in range(n):
                order[i] = i
            for i in range(n - 1, 0, -1):  # Fisher-Yates
                j = np.int64(next_double(st) * (i + 1))
                t = order[i]
                order[i] = order[j]
                order[j] = t
            for k in range(n):
                i = order[k]
                f = fix[i]
                if f >= 0 and (fix_p[i] >= 1.0 or next_double(st) < fix_p[i]):
                    state[i] = f
                elif tt_ptr[i] >= 0:
                    idx = 0
                    j = 0
                    for p in range(reg_ptr[i], reg_ptr[i + 1]):
                        idx |= np.int64(state[reg_idx[p]]) << j
                        j += 1
                    state[i] = tt[tt_ptr[i] + idx]
                else:
                    state[i] = eval_bytecode(i, state, code_ptr, code_op, code_arg, stack)
            if e < n_ev and ev_step[e] <= step:
                e = apply_events(e, step, ev_step, ev_node, ev_val, fix, state)
            if step == sample_steps[s]:
                out[r, s, :] = state
                s += 1
