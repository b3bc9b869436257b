"""Asynchronous reachability from single states: random walks that stop in target subspaces,
and the explicit set of states reachable from a state (bit-packed, at most 62 nodes).

A target is a subspace given per node (``t_ptr/t_id/t_val``: the targets that fix node ``i`` and
the value they fix it to; ``t_size``: how many nodes each target fixes). A state is inside a
target when it differs from it on none of the fixed nodes.
"""

import numpy as np

from mtorsim.kernels._jit import jit, jit_inline
from mtorsim.kernels.lookup import node_value, packed_bytecode
from mtorsim.kernels.rng import next_u64

HASH_MUL = np.uint64(0x9E3779B97F4A7C15)


@jit_inline
def _find(table, hashes, starts, state, h, active):
    """The active start equal to ``state`` (hash ``h``), or -1."""
    mask = np.uint64(table.shape[0] - 1)
    slot = (h >> np.uint64(11)) & mask
    while table[slot] >= 0:
        j = table[slot]
        if hashes[j] == h and active[j] != 0:
            same = True
            for q in range(state.shape[0]):
                if starts[j, q] != state[q]:
                    same = False
                    break
            if same:
                return j
        slot = (slot + np.uint64(1)) & mask
    return -1


# complexity: a numba kernel, one loop nest (an interpreter or a scan), left whole rather than split into jitted calls
@jit
def walk_to_targets(  # noqa: C901
    reg_ptr,
    reg_idx,
    tt_ptr,
    tt,
    code_ptr,
    code_op,
    code_arg,
    max_stack,
    starts,
    t_ptr,
    t_id,
    t_val,
    t_size,
    zobrist,
    table,
    hashes,
    active,
    steps,
    seed,
):
    """From each active start in turn, a random asynchronous walk of at most ``steps`` node
    picks (a picked node takes its function's value). A walk that enters a target subspace or
    meets another active start deactivates its own start (``active[k] = 0``) before the next
    walk begins. Starts are found by their Zobrist hash (``hashes``: xor of ``zobrist[q]`` over
    the nodes on; ``table``: open addressing over those hashes, -1 empty)."""
    k_all, m = starts.shape
    n_t = t_size.shape[0]
    state = np.zeros(m, np.uint8)
    stack = np.zeros(max_stack + 1, np.uint8)
    miss = np.zeros(n_t, np.int64)
    st = np.zeros(1, np.uint64)
    st[0] = np.uint64(seed)
    for k in range(k_all):
        if active[k] == 0:
            continue
        for q in range(m):
            state[q] = starts[k, q]
        h = hashes[k]
        for t in range(n_t):
            miss[t] = 0
        for i in range(m):
            for p in range(t_ptr[i], t_ptr[i + 1]):
                if state[i] != t_val[p]:
                    miss[t_id[p]] += 1
        hit = False
        for t in range(n_t):
            if miss[t] == 0:
                hit = True
        s = 0
        while not hit and s < steps:
            s += 1
            i = np.int64(next_u64(st) % np.uint64(m))
            v = node_value(i, state, reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg, stack)
            if v == state[i]:
                continue
            state[i] = v
            h ^= zobrist[i]
            for p in range(t_ptr[i], t_ptr[i + 1]):
                t = t_id[p]
                if v == t_val[p]:
                    miss[t] -= 1
                    if miss[t] == 0:
                        hit = True
                else:
                    miss[t] += 1
            if not hit:
                j = _find(table, hashes, starts, state, h, active)
                hit = j >= 0 and j != k
        if hit:
            active[k] = 0


@jit_inline
def _slot(table, s):
    """The slot of ``s`` in the open-addressing ``table`` (its own, or the empty one to take)."""
    mask = np.uint64(table.shape[0] - 1)
    h = (np.uint64(s) * HASH_MUL) >> np.uint64(17)
    h = h & mask
    while table[h] != -1 and table[h] != s:
        h = (h + np.uint64(1)) & mask
    return h


@jit
def reachable_set(
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg, max_stack, m, start, t_mask, t_val, table, out
):
    """Every state reachable from ``start`` (packed), breadth first, into ``out`` (its length
    is the cap) and the hash ``table`` (length a power of two above twice the cap, filled with
    -1). Returns the count; -1 - t when a state inside target ``t`` (``s & t_mask[t] ==
    t_val[t]``) is reached; -(2 + number of targets) when the cap is exceeded."""
    state = np.zeros(m, np.uint8)
    stack = np.zeros(max_stack + 1, np.uint8)
    cap = out.shape[0]
    n_t = t_mask.shape[0]
    table[_slot(table, start)] = start
    out[0] = start
    count = 1
    head = 0
    while head < count:
        s = out[head]
        head += 1
        for i in range(m):
            if tt_ptr[i] >= 0:
                idx = 0
                j = 0
                for p in range(reg_ptr[i], reg_ptr[i + 1]):
                    idx |= ((s >> reg_idx[p]) & 1) << j
                    j += 1
                v = np.int64(tt[tt_ptr[i] + idx])
            else:
                v = packed_bytecode(i, s, state, code_ptr, code_op, code_arg, stack)
            if v == ((s >> i) & 1):
                continue
            u = s ^ (np.int64(1) << i)
            h = _slot(table, u)
            if table[h] == u:
                continue
            for t in range(n_t):
                if (u & t_mask[t]) == t_val[t]:
                    return -1 - t
            if count == cap:
                return -2 - n_t
            table[h] = u
            out[count] = u
            count += 1
    return count


@jit
def all_reach_start(
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg, max_stack, m, states, count, table, seen, queue
):
    """Whether every one of ``states[:count]`` (closed under successors, in ``table``) reaches
    ``states[0]``: a backward breadth-first search from it inside the set. ``seen`` is aligned
    with ``table`` (zeros); ``queue`` holds ``count`` states."""
    state = np.zeros(m, np.uint8)
    stack = np.zeros(max_stack + 1, np.uint8)
    s0 = states[0]
    seen[_slot(table, s0)] = 1
    queue[0] = s0
    got = 1
    head = 0
    while head < got:
        s = queue[head]
        head += 1
        for i in range(m):
            u = s ^ (np.int64(1) << i)  # a predecessor if u's update of i gives s's value
            h = _slot(table, u)
            if table[h] != u or seen[h] != 0:
                continue
            if tt_ptr[i] >= 0:
                idx = 0
                j = 0
                for p in range(reg_ptr[i], reg_ptr[i + 1]):
                    idx |= ((u >> reg_idx[p]) & 1) << j
                    j += 1
                v = np.int64(tt[tt_ptr[i] + idx])
            else:
                v = packed_bytecode(i, u, state, code_ptr, code_op, code_arg, stack)
            if v != ((s >> i) & 1):
                continue
            seen[h] = 1
            queue[got] = u
            got += 1
    return got == count
