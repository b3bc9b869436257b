"""Boolean functions as truth tables, computed from syntax trees with numpy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mtorsim.formats.ast import And, Const, Expr, Not, Var

TABLE_MAX_INPUTS = 16
"""Nodes with more regulators than this are compiled to bytecode instead of a table."""


def table(expr: Expr, regulators: Sequence[str]) -> np.ndarray:
    """Truth table of ``expr``: entry ``i`` is the value when regulator ``j`` equals bit ``j`` of ``i``."""
    k = len(regulators)
    index = np.arange(1 << k, dtype=np.uint32)
    columns = {name: ((index >> j) & 1).astype(bool) for j, name in enumerate(regulators)}
    size = 1 << k

    def ev(e: Expr) -> np.ndarray:
        if isinstance(e, Const):
            return np.full(size, e.value, dtype=bool)
        if isinstance(e, Var):
            return columns[e.name]
        if isinstance(e, Not):
            return ~ev(e.arg)
        parts = [ev(a) for a in e.args]
        out = parts[0].copy()
        for p in parts[1:]:
            if isinstance(e, And):
                out &= p
            else:
                out |= p
        return out

    return ev(expr).astype(np.uint8)


def signs_from_table(tt: np.ndarray, k: int) -> list[str]:
    """For each regulator: '+' activating, '-' inhibiting, '±' both, '0' no effect."""
    out = []
    for j in range(k):
        t = tt.reshape(1 << (k - j - 1), 2, 1 << j)
        f0, f1 = t[:, 0, :], t[:, 1, :]
        up, down = bool((f1 > f0).any()), bool((f1 < f0).any())
        out.append("±" if up and down else "+" if up else "-" if down else "0")
    return out


def signs(expr: Expr, regulators: Sequence[str]) -> list[str]:
    """``signs_from_table(table(expr, regulators))`` computed on Python integers used as bit
    sets (one bit per row of the truth table): the same answer, without numpy's per-call cost."""
    k = len(regulators)
    size = 1 << k
    full = (1 << size) - 1
    masks = {}
    for j, name in enumerate(regulators):  # rows where regulator j is 1
        block = ((1 << (1 << j)) - 1) << (1 << j)  # 2^j ones above 2^j zeros
        m = 0
        for start in range(0, size, 1 << (j + 1)):
            m |= block << start
        masks[name] = m

    def ev(e: Expr) -> int:
        if isinstance(e, Const):
            return full if e.value else 0
        if isinstance(e, Var):
            return masks[e.name]
        if isinstance(e, Not):
            return full ^ ev(e.arg)
        parts = [ev(a) for a in e.args]
        out = parts[0]
        for q in parts[1:]:
            out = out & q if isinstance(e, And) else out | q
        return out

    tt = ev(expr)
    out = []
    for j, name in enumerate(regulators):
        m = masks[name]
        f0 = tt & (full ^ m)  # rows with regulator j at 0
        f1 = (tt & m) >> (1 << j)  # the rows with j at 1, moved onto their j = 0 partners
        up, down = bool(f1 & ~f0), bool(f0 & ~f1 & (full ^ m))
        out.append("±" if up and down else "+" if up else "-" if down else "0")
    return out


def sign_symbol(polarities: set[int]) -> str:
    """Sign from syntactic polarity (used above the table limit)."""
    if polarities == {1}:
        return "+"
    if polarities == {-1}:
        return "-"
    return "±"
