"""Percolation: hold nodes, propagate constants, drop nodes that became constant.

Attractor-preserving: a node whose rule is constant takes that value at its first update and
keeps it, so every attractor has it there. Transients (hence basins) are those of the reduced
network, whose state space is the free nodes with percolated nodes at their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mtorsim.formats.ast import Const, Expr, Not, Or, Var
from mtorsim.network import Network


def substitute(expr: Expr, values: Mapping[str, int]) -> Expr:
    """``expr`` with known node values folded in and constants simplified away."""
    if isinstance(expr, Var):
        return Const(bool(values[expr.name])) if expr.name in values else expr
    if isinstance(expr, Const):
        return expr
    if isinstance(expr, Not):
        arg = substitute(expr.arg, values)
        return Const(not arg.value) if isinstance(arg, Const) else Not(arg)
    absorbing = isinstance(expr, Or)  # True absorbs an Or, False absorbs an And
    kept = []
    for a in expr.args:
        a = substitute(a, values)
        if isinstance(a, Const):
            if a.value == absorbing:
                return Const(absorbing)
            continue
        kept.append(a)
    if not kept:
        return Const(not absorbing)
    return kept[0] if len(kept) == 1 else type(expr)(tuple(kept))


@dataclass(frozen=True, eq=False)
class Reduction:
    """The network left after percolation, and the values percolation fixed."""

    original: Network
    reduced: Network  # the free nodes, rules reading only free nodes
    values: dict[str, int]  # every percolated node (held or constant) and its value

    def expand(self, states):
        """Full states (lists of 0/1 in original node order) from reduced ones."""
        pos = {n: i for i, n in enumerate(self.reduced.nodes)}
        out = []
        for s in states:
            out.append([self.values[n] if n in self.values else int(s[pos[n]]) for n in self.original.nodes])
        return out


def percolate(net: Network, fixed: Mapping[str, int] | None = None, propagate: bool = True) -> Reduction:
    """Hold ``fixed`` nodes, then repeatedly fold constants until no rule becomes constant.
    With ``propagate=False`` only the held nodes leave (basins stay those of the full space)."""
    values = {n: int(v) for n, v in (fixed or {}).items()}
    for n in values:
        net.index(n)
    rules = {n: e for n, e in zip(net.nodes, net.rules) if n not in values}
    if not propagate:
        rules = {n: substitute(e, values) for n, e in rules.items()}
    changed = propagate
    while changed:
        changed = False
        for n in list(rules):
            e = substitute(rules[n], values)
            if isinstance(e, Const):
                values[n] = int(e.value)
                del rules[n]
                changed = True
            else:
                rules[n] = e
    free = [n for n in net.nodes if n in rules]
    reduced = Network(tuple(free), tuple(rules[n] for n in free), (), net.source)
    return Reduction(net, reduced, values)
