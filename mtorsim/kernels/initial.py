"""Draw an initial state: joint groups first (one uniform each), then each node with 0 < p < 1.

A group ``g`` covers nodes ``g_nodes[g_ptr[g]:g_ptr[g+1]]`` and has options
``o_ptr[g]..o_ptr[g+1]-1``; option ``o`` has cumulative weight ``o_cum[o]`` (the last is 1) and
values ``o_vals[o_vstart[o]:o_vstart[o] + group size]``. A correlated group that is all on
with probability p is the two options (p, all ones), (1 - p, all zeros).
"""

from mtorsim.kernels._jit import jit_inline
from mtorsim.kernels.rng import next_double


@jit_inline
def draw_initial(state, init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals, st):
    n_groups = g_ptr.shape[0] - 1
    for g in range(n_groups):
        u = next_double(st) if o_ptr[g + 1] - o_ptr[g] > 1 else 0.0
        pick = o_ptr[g + 1] - 1
        for o in range(o_ptr[g], o_ptr[g + 1]):
            if u < o_cum[o]:
                pick = o
                break
        base = o_vstart[pick]
        for k in range(g_ptr[g], g_ptr[g + 1]):
            state[g_nodes[k]] = o_vals[base + k - g_ptr[g]]
    for i in range(state.shape[0]):
        p = init_p[i]
        if p < 0.0:  # set by a group
            continue
        if p <= 0.0:
            state[i] = 0
        elif p >= 1.0:
            state[i] = 1
        else:
            state[i] = 1 if next_double(st) < p else 0
