"""Bytecode operations of a compiled program (postfix, run on a stack by ``evaluate``); shared by
the compiler that writes them and the kernel that runs them. Plain integers: importing this
module does not load numba."""

OP_LOAD, OP_CONST, OP_NOT, OP_AND, OP_OR = 0, 1, 2, 3, 4
