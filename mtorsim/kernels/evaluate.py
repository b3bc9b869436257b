"""Evaluate a node by bytecode (nodes above the truth-table limit).

Truth-table lookups are written inline in each kernel's loop: a call that passes arrays
costs reference counting on every node update, which is ~25x the lookup itself.
"""

from mtorsim.kernels._jit import jit


@jit
def eval_bytecode(i, state, code_ptr, code_op, code_arg, stack):
    top = 0
    for p in range(code_ptr[i], code_ptr[i + 1]):
        op = code_op[p]
        if op == 0:
            stack[top] = state[code_arg[p]]
            top += 1
        elif op == 1:
            stack[top] = code_arg[p]
            top += 1
        elif op == 2:
            stack[top - 1] = 1 - stack[top - 1]
        else:
            k = code_arg[p]
            acc = stack[top - k]
            for q in range(top - k + 1, top):
                if op == 3:
                    acc &= stack[q]
                else:
                    acc |= stack[q]
            top -= k - 1
            stack[top - 1] = acc
    return stack[0]
