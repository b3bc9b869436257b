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
        if isinstance(arg, Const):
            return Const(not arg.value)
        return expr if arg is expr.arg else Not(arg)
    absorbing = isinstance(expr, Or)  # True absorbs an Or, False absorbs an And
    kept = []
    same = True
    for a in expr.args:
        b = substitute(a, values)
        same = same and b is a and not isinstance(b, Const)
        if isinstance(b, Const):
            if b.value == absorbing:
                return Const(absorbing)
            continue
        kept.append(b)
    if same:
        return expr  # nothing folded: the same tree, so what was derived from it stays valid
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


def percolate(
    net: Network, fixed: Mapping[str, int] | None = None, propagate: bool = True, settled: bool = False
) -> Reduction:
    """Hold ``fixed`` nodes, then repeatedly fold constants until no rule becomes constant.
    With ``propagate=False`` only the held nodes leave (basins stay those of the full space).
    ``settled``: ``net`` came out of a percolation (no rule is constant or can be simplified), so
    only the rules reading a held node need folding at first (the result is the same)."""
    values = {n: int(v) for n, v in (fixed or {}).items()}
    for n in values:
        net.index(n)
    rules = {n: e for n, e in zip(net.nodes, net.rules) if n not in values}
    if not propagate:
        rules = {n: substitute(e, values) for n, e in rules.items()}
    if propagate:
        _fold(net, rules, values, set(values) if settled else None)
    free = [n for n in net.nodes if n in rules]
    reduced = Network(tuple(free), tuple(rules[n] for n in free), (), net.source)
    return Reduction(net, reduced, values)


def _fold(net: Network, rules: dict[str, Expr], values: dict[str, int], held: set[str] | None = None) -> None:
    """Substitute known values into ``rules`` pass after pass, in node order, moving the rules that
    become constant into ``values``. A rule is substituted again only when one of its regulators
    got a value since (the others would come back unchanged), so the passes find the same
    constants, in the same order, as substituting every rule in every pass. ``held``: only the
    readers of these need folding at first (the other rules are settled); None: every rule."""
    readers: dict[str, list[str]] = {n: [] for n in net.nodes}
    for i, regs in enumerate(net.regulators):
        for j in regs:
            readers[net.nodes[j]].append(net.nodes[i])
    dirty = set(rules) if held is None else {r for n in held for r in readers[n] if r in rules}
    while dirty:
        for n in list(rules):
            if n not in dirty:
                continue
            dirty.discard(n)
            e = substitute(rules[n], values)
            if isinstance(e, Const):
                values[n] = int(e.value)
                del rules[n]
                dirty.update(r for r in readers[n] if r in rules)
            else:
                rules[n] = e
