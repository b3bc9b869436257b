"""Exhaustive state-space kernels over bit-packed states (bit i of a state = node i).

Used on reduced networks of at most ~30 nodes: the synchronous successor of every state, the
attractors and basins of that functional graph, and the terminal strongly connected components
of the asynchronous graph (Tarjan, iterative).
"""

import numpy as np

from mtorsim.kernels._jit import jit
from mtorsim.kernels.lookup import packed_bytecode


@jit
def sync_successors(program, m, max_stack, succ):
    """``succ[s]`` = synchronous successor of every packed state ``s`` in [0, 2^m)."""
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    state = np.zeros(m, np.uint8)
    stack = np.zeros(max_stack + 1, np.uint8)
    for s in range(np.int64(1) << m):
        t = np.int64(0)
        for i in range(m):
            if tt_ptr[i] >= 0:
                idx = 0
                j = 0
                for p in range(reg_ptr[i], reg_ptr[i + 1]):
                    idx |= ((s >> reg_idx[p]) & 1) << j
                    j += 1
                t |= np.int64(tt[tt_ptr[i] + idx]) << i
            else:
                t |= packed_bytecode(i, s, state, code_ptr, code_op, code_arg, stack) << i
        succ[s] = t


@jit
def sync_successors_incremental(program, m, rd_ptr, rd_node, rd_pos, succ):
    """``sync_successors`` for table-only programs, visiting states in counting order and
    updating only the nodes that read a flipped bit (about 2 flips per state on average).
    ``rd_*`` list, for each bit j, the (node, position) pairs that read it."""
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    idx = np.zeros(m, np.int64)
    val = np.zeros(m, np.int64)
    t = np.int64(0)
    for i in range(m):
        val[i] = tt[tt_ptr[i]]
        t |= val[i] << i
    succ[0] = t
    for s in range(1, np.int64(1) << m):
        flips = s ^ (s - 1)
        j = 0
        while (flips >> j) & 1:
            for q in range(rd_ptr[j], rd_ptr[j + 1]):
                i = rd_node[q]
                idx[i] ^= np.int64(1) << rd_pos[q]
                v = np.int64(tt[tt_ptr[i] + idx[i]])
                if v != val[i]:
                    val[i] = v
                    t ^= np.int64(1) << i
            j += 1
        succ[s] = t


@jit
def label_functional_graph(succ, label, reps):
    """Label every state with its attractor (1, 2, ...) in the graph s -> succ[s].

    ``label`` must be zeros; walks mark states with a negative walk id, a walk that meets its
    own mark has found a new cycle. ``reps[a-1]`` receives a state of attractor ``a``.
    Returns the number of attractors, or -1 if there are more than ``len(reps)``.
    """
    n_att = 0
    for s0 in range(succ.shape[0]):
        if label[s0] != 0:
            continue
        w = -(s0 + 1)
        x = s0
        while label[x] == 0:
            label[x] = w
            x = succ[x]
        if label[x] == w:
            if n_att == reps.shape[0]:
                return -1
            reps[n_att] = x
            n_att += 1
            y = x
            while True:
                label[y] = n_att
                y = succ[y]
                if y == x:
                    break
            final = n_att
        else:
            final = label[x]
        y = s0
        while label[y] == w:
            label[y] = final
            y = succ[y]
    return n_att


@jit
def basin_sizes(label, n_att):
    out = np.zeros(n_att + 1, np.int64)
    for s in range(label.shape[0]):
        out[label[s]] += 1
    return out


@jit
def cycle_from(succ, start, cap, out):
    """The cycle through ``start`` in order; writes up to ``cap`` states, returns its length."""
    n = 0
    x = start
    while True:
        if n < cap:
            out[n] = x
        n += 1
        x = succ[x]
        if x == start:
            return n


# complexity: a numba kernel, one loop nest (an interpreter or a scan), left whole rather than split into jitted calls
@jit
def async_terminal_sccs(program, m, max_stack, comp, terminal):  # noqa: C901
    """Tarjan's algorithm (iterative) on the asynchronous graph over packed states.

    ``comp[s]`` receives the component id of every state; ``terminal[c]`` is 1 for components
    with no edge leaving them (the attractors). ``comp`` and ``terminal`` must have length 2^m.
    Returns the number of components.
    """
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    n = np.int64(1) << m
    index = np.full(n, -1, np.int32)
    low = np.zeros(n, np.int32)
    onstack = np.zeros(n, np.uint8)
    leaks = np.zeros(n, np.uint8)
    stack = np.empty(n, np.int32)
    call_node = np.empty(n, np.int32)
    call_edge = np.empty(n, np.int8)
    state = np.zeros(m, np.uint8)
    bstack = np.zeros(max_stack + 1, np.uint8)
    counter = 0
    sp = 0
    n_comp = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        depth = 0
        call_node[0] = root
        call_edge[0] = 0
        index[root] = counter
        low[root] = counter
        counter += 1
        stack[sp] = root
        sp += 1
        onstack[root] = 1
        while depth >= 0:
            v = np.int64(call_node[depth])
            e = call_edge[depth]
            descended = False
            while e < m:
                i = e
                e += 1
                if tt_ptr[i] >= 0:
                    idx = 0
                    j = 0
                    for p in range(reg_ptr[i], reg_ptr[i + 1]):
                        idx |= ((v >> reg_idx[p]) & 1) << j
                        j += 1
                    fv = np.int64(tt[tt_ptr[i] + idx])
                else:
                    fv = packed_bytecode(i, v, state, code_ptr, code_op, code_arg, bstack)
                if fv == (v >> i) & 1:
                    continue
                w = v ^ (np.int64(1) << i)
                if index[w] < 0:
                    call_edge[depth] = e
                    depth += 1
                    call_node[depth] = w
                    call_edge[depth] = 0
                    index[w] = counter
                    low[w] = counter
                    counter += 1
                    stack[sp] = w
                    sp += 1
                    onstack[w] = 1
                    descended = True
                    break
                elif onstack[w]:
                    if index[w] < low[v]:
                        low[v] = index[w]
                else:
                    leaks[v] = 1  # edge into a finished component
            if descended:
                continue
            # v is done: pop its component if it is a root, then return to the caller
            if low[v] == index[v]:
                leak = 0
                while True:
                    sp -= 1
                    w = stack[sp]
                    onstack[w] = 0
                    comp[w] = n_comp
                    leak |= leaks[w]
                    if w == v:
                        break
                terminal[n_comp] = 1 - leak
                n_comp += 1
            depth -= 1
            if depth >= 0:
                u = call_node[depth]
                if low[v] < low[u]:
                    low[u] = low[v]
                if not onstack[v]:
                    leaks[u] = 1  # v's component finished and is not u's
    return n_comp


@jit
def component_summary(comp, wanted, m, sizes, counts):
    """For components with ``wanted[c] >= 0`` (their output slot): size and per-node 1 counts."""
    for s in range(comp.shape[0]):
        k = wanted[comp[s]]
        if k >= 0:
            sizes[k] += 1
            for i in range(m):
                counts[k, i] += (s >> i) & 1


@jit
def component_states(comp, c, cap, out):
    """Up to ``cap`` states of component ``c`` (ascending); returns how many were written."""
    n = 0
    for s in range(comp.shape[0]):
        if comp[s] == c:
            if n < cap:
                out[n] = s
            n += 1
    return min(n, cap)
