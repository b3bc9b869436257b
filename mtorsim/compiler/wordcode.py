"""Compile rules into word-level three-address code for the bit-parallel kernels.

Each instruction computes one row of machine words from two: ``row[dst] = (row[a] ^ na) OP
(row[b] ^ nb)`` with OP in AND, OR, and ``na``/``nb`` all-ones when the operand is negated (a
NOT costs nothing: it is folded into the operand). A row is 64 runs per word, so one
instruction updates a node's function for every run of a block. Operand rows: ``0..n-1`` the
current state, ``n..2n-1`` the next state, then ``ZERO``, ``ONE`` and the temporaries (one per
nesting depth of the rule). A node whose rule is a literal is a MOV (``OP_MOV``: ``row[dst] =
row[a] ^ na``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtorsim.formats.ast import And, Const, Expr, Not, Or, Var
from mtorsim.network import Network

OP_AND, OP_OR, OP_MOV = 0, 1, 2


@dataclass(frozen=True, eq=False)
class WordProgram:
    """Node ``i``'s instructions are ``ptr[i]:ptr[i+1]`` of ``op, dst, a, na, b, nb`` (int64);
    ``rows`` is the number of rows a block needs."""

    n: int
    ptr: np.ndarray
    code: np.ndarray  # (instructions, 6)
    rows: int

    @property
    def zero(self) -> int:
        return 2 * self.n

    @property
    def one(self) -> int:
        return 2 * self.n + 1


def compile_words(net: Network) -> WordProgram:
    """Three-address word code for every node of ``net`` (its rule as written, NOTs folded)."""
    n = len(net)
    index = {name: i for i, name in enumerate(net.nodes)}
    zero, one, temp0 = 2 * n, 2 * n + 1, 2 * n + 2
    code: list[tuple[int, int, int, int, int, int]] = []
    ptr = [0]
    depth_max = 0

    def operand(e: Expr, depth: int) -> tuple[int, int]:
        """(row, negated) holding ``e``, emitting code into temporaries from ``depth`` on."""
        nonlocal depth_max
        neg = 0
        while isinstance(e, Not):
            e, neg = e.arg, 1 - neg
        if isinstance(e, Var):
            return index[e.name], neg
        if isinstance(e, Const):
            return (one if e.value else zero), neg
        op = OP_AND if isinstance(e, And) else OP_OR
        assert isinstance(e, And | Or)
        dst = temp0 + depth
        depth_max = max(depth_max, depth + 1)
        first = operand(e.args[0], depth + 1)
        for k, arg in enumerate(e.args[1:]):
            other = operand(arg, depth + 2 if k == 0 else depth + 1)  # first may sit in depth + 1
            src = first if k == 0 else (dst, 0)
            code.append((op, dst, src[0], src[1], other[0], other[1]))
        if len(e.args) == 1:
            code.append((OP_MOV, dst, first[0], first[1], 0, 0))
        return dst, neg

    for i, expr in enumerate(net.rules):
        start = len(code)
        row, neg = operand(expr, 0)
        out = n + i
        if len(code) > start and row == code[-1][1] and not neg:
            code[-1] = (code[-1][0], out, *code[-1][2:])  # the last instruction writes the node
        else:
            code.append((OP_MOV, out, row, neg, 0, 0))
        ptr.append(len(code))
    arr = np.asarray(code, dtype=np.int64).reshape(-1, 6)
    return WordProgram(n, np.asarray(ptr, dtype=np.int64), arr, temp0 + depth_max)
