"""Evaluate a node by bytecode (nodes above the truth-table limit); truth-table lookups are in
``kernels/lookup.py`` (or written inline where a helper measured slower)."""

from mtorsim.kernels._jit import jit
from mtorsim.kernels.opcodes import OP_AND, OP_CONST, OP_LOAD, OP_NOT


@jit
def eval_bytecode(i, state, code_ptr, code_op, code_arg, stack):
    top = 0
    for p in range(code_ptr[i], code_ptr[i + 1]):
        op = code_op[p]
        if op == OP_LOAD:
            stack[top] = state[code_arg[p]]
            top += 1
        elif op == OP_CONST:
            stack[top] = code_arg[p]
            top += 1
        elif op == OP_NOT:
            stack[top - 1] = 1 - stack[top - 1]
        else:
            k = code_arg[p]
            acc = stack[top - k]
            for q in range(top - k + 1, top):
                if op == OP_AND:
                    acc &= stack[q]
                else:
                    acc |= stack[q]
            top -= k - 1
            stack[top - 1] = acc
    return stack[0]
