"""Compile a network's rules into flat arrays (truth tables, bytecode) for the kernels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtorsim.formats import logic
from mtorsim.formats.ast import And, Const, Expr, Not, Var
from mtorsim.kernels.opcodes import OP_AND, OP_CONST, OP_LOAD, OP_NOT, OP_OR
from mtorsim.network import Network


@dataclass(frozen=True, eq=False)
class Program:
    """A network as arrays. Node ``i`` reads ``reg_idx[reg_ptr[i]:reg_ptr[i+1]]``; if
    ``tt_ptr[i] >= 0`` its value is ``tt[tt_ptr[i] + sum(x_j << j)]``, else it runs
    ``code_op/code_arg[code_ptr[i]:code_ptr[i+1]]`` on a stack of ``max_stack`` entries."""

    n: int
    reg_ptr: np.ndarray
    reg_idx: np.ndarray
    tt_ptr: np.ndarray
    tt: np.ndarray
    code_ptr: np.ndarray
    code_op: np.ndarray
    code_arg: np.ndarray
    max_stack: int

    def arrays(self) -> tuple:
        """The tuple the kernels take."""
        return (self.reg_ptr, self.reg_idx, self.tt_ptr, self.tt, self.code_ptr, self.code_op, self.code_arg)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays())


def bytecode(expr: Expr, index: dict[str, int]) -> tuple[list[int], list[int], int]:
    """Postfix code for ``expr`` (iterative), with the stack depth it needs."""
    ops: list[int] = []
    args: list[int] = []
    work: list[tuple[Expr, bool]] = [(expr, False)]
    depth = best = 0
    while work:
        e, done = work.pop()
        if isinstance(e, Var):
            ops.append(OP_LOAD)
            args.append(index[e.name])
            depth += 1
        elif isinstance(e, Const):
            ops.append(OP_CONST)
            args.append(int(e.value))
            depth += 1
        elif not done:
            work.append((e, True))
            children = (e.arg,) if isinstance(e, Not) else e.args
            work.extend((c, False) for c in reversed(children))
        elif isinstance(e, Not):
            ops.append(OP_NOT)
            args.append(0)
        else:
            ops.append(OP_AND if isinstance(e, And) else OP_OR)
            args.append(len(e.args))
            depth -= len(e.args) - 1
        best = max(best, depth)
    return ops, args, best


def compile_network(net: Network, table_max_inputs: int = logic.TABLE_MAX_INPUTS) -> Program:
    """Truth tables for nodes with at most ``table_max_inputs`` regulators, bytecode above."""
    n = len(net)
    index = {name: i for i, name in enumerate(net.nodes)}
    reg_ptr = np.zeros(n + 1, dtype=np.int64)
    tt_ptr = np.full(n, -1, dtype=np.int64)
    code_ptr = np.zeros(n + 1, dtype=np.int64)
    reg_idx: list[int] = []
    tables: list[np.ndarray] = []
    ops: list[int] = []
    args: list[int] = []
    size = 0
    max_stack = 1
    for i, (expr, regs) in enumerate(zip(net.rules, net.regulators)):
        reg_idx.extend(regs)
        reg_ptr[i + 1] = len(reg_idx)
        if len(regs) <= table_max_inputs:
            t = logic.table(expr, [net.nodes[j] for j in regs])
            tt_ptr[i] = size
            tables.append(t)
            size += len(t)
        else:
            o, a, depth = bytecode(expr, index)
            ops += o
            args += a
            max_stack = max(max_stack, depth)
        code_ptr[i + 1] = len(ops)
    return Program(
        n=n,
        reg_ptr=reg_ptr,
        reg_idx=np.asarray(reg_idx, dtype=np.int64),
        tt_ptr=tt_ptr,
        tt=np.concatenate(tables) if tables else np.zeros(0, dtype=np.uint8),
        code_ptr=code_ptr,
        code_op=np.asarray(ops, dtype=np.int8),
        code_arg=np.asarray(args, dtype=np.int64),
        max_stack=max_stack,
    )
