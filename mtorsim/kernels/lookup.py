"""Evaluate one node's Boolean function: truth-table lookup, or bytecode above the table limit;
over a state array (``node_value``) or, for bytecode nodes, a bit-packed state (``packed_bytecode``).

Inlined into the callers (``inline="always"``). Pass the program's arrays one by one, never as a
tuple: an inlined helper that receives a tuple costs a reference-count update per array at every
call (measured: 450 ns per transition in the Gillespie kernel), individual arrays cost nothing.
"""

import numpy as np

from mtorsim.kernels._jit import jit, jit_inline
from mtorsim.kernels.evaluate import eval_bytecode


@jit_inline
def node_value(i, state, reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg, stack):
    if tt_ptr[i] >= 0:
        idx = 0
        j = 0
        for p in range(reg_ptr[i], reg_ptr[i + 1]):
            idx |= np.int64(state[reg_idx[p]]) << j
            j += 1
        return tt[tt_ptr[i] + idx]
    return eval_bytecode(i, state, code_ptr, code_op, code_arg, stack)


@jit
def packed_bytecode(i, s, state, code_ptr, code_op, code_arg, stack):
    """f_i at packed state ``s`` for a bytecode node (unpacks ``s`` into ``state``). Callers look
    table nodes up inline: through a helper (inlined or not) the packed lookup ran 5x slower."""
    for q in range(state.shape[0]):
        state[q] = (s >> q) & 1
    return np.int64(eval_bytecode(i, state, code_ptr, code_op, code_arg, stack))
