"""Counting the attractors over every setting of the free inputs, without listing the settings
one by one.

Inputs never change, so the attractors of a network with a free input are those with it at 0
plus those with it at 1 (a split); percolation keeps every attractor. Weakly connected parts of
the percolated network read nothing of each other, so the state graph is the product of theirs.

Asynchronous: the terminal components of a product are the products of the parts' ones, so
counts multiply; and

- a part whose global interaction graph has no negative cycle has no cyclic attractor (Richard
  2010, Adv. Appl. Math. 44:378): its attractors are its fixed points, counted symbolically with
  every free input of the part at once (``fixedcount``);
- a part with a negative cycle and a free input is split on an input, upstream of a negative
  cycle first (a split there can break the cycle);
- a part with a negative cycle and no input is searched by the proven asynchronous method
  (``attractors.find_attractors``) and its attractors counted.

Synchronous: two independent cycles of lengths p and q make gcd(p, q) cycles of length
lcm(p, q), so each part is counted as a multiset of cycle lengths (fixed points: length 1),
combined that way; a part is split on its inputs until it has none, then searched exhaustively
or by the proven SAT search (``attractors.find_attractors``).

In both, nodes upstream of no cycle (a tail: no cycle among them, and they feed nothing else)
are dropped first: over each attractor of the rest, the tail settles in exactly one way per
setting of its inputs (it is a function of the rest, one step behind in the synchronous case), so
each tail input doubles the count and cycle lengths stay.

Parts that come back alike are counted once (memoised on their rules).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mtorsim.attractors.decompose import TIME_LIMIT, Budget, Decomposition
from mtorsim.attractors.fixedcount import count_fixed_points
from mtorsim.errors import MtorsimError
from mtorsim.network import Network
from mtorsim.network.feedback import signed_edges, unbalanced_components, upstream
from mtorsim.network.reduction import percolate


@dataclass
class AttractorCount:
    """How many attractors a network has over every setting of its free inputs.

    Parameters
    ----------
    count : int
        The number of attractors (a lower bound when ``complete`` is False).
    complete : bool
        True when every searched part was proven; otherwise ``notes`` say which were not (an
        unresolved trap space that surely holds an attractor counts as one).
    kind : str, default "asynchronous attractors"
        What was counted: asynchronous or synchronous attractors, or fixed points.
    fixed_point_parts : int, default 0
        Parts counted as fixed points (async: no negative cycle left).
    searched_parts : int, default 0
        Parts searched for their attractors.
    splits : int, default 0
        Input splits made.
    notes : list of str
        What was not proven, and why.
    lengths : dict of int to int or None, default None
        Synchronous counts: cycle length -> how many.
    """

    count: int
    complete: bool
    kind: str = "asynchronous attractors"  # or "synchronous attractors", "fixed points"
    fixed_point_parts: int = 0  # parts counted as fixed points (async: no negative cycle)
    searched_parts: int = 0  # parts searched for attractors (async: a negative cycle; no input)
    splits: int = 0  # input splits
    notes: list[str] = field(default_factory=list)
    lengths: dict[int, int] | None = None  # sync: cycle length -> how many

    def to_dict(self) -> dict:
        if self.kind == "fixed points":
            return {"count": self.count, "kind": self.kind, "method": "fixed-points count", "complete": True}
        d = {
            "count": self.count,
            "kind": self.kind,
            "complete": self.complete,
            "method": (
                "input splits; parts combined by cycle length (gcd/lcm); exhaustive or proven SAT search per part"
                if self.lengths is not None
                else "input splits; fixed points where no negative cycle is left (Richard 2010); proven search elsewhere"
            ),
            "fixed_point_parts": self.fixed_point_parts,
            "searched_parts": self.searched_parts,
            "splits": self.splits,
            "notes": self.notes,
        }
        if self.lengths is not None:
            d["cycle_lengths"] = {str(k): v for k, v in sorted(self.lengths.items())}
        return d

    def to_dataframe(self) -> Any:
        """One row: the count, what was counted and whether it is complete; synchronous counts
        add a column per cycle length (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        row: dict[str, Any] = {"count": self.count, "kind": self.kind, "complete": self.complete}
        row.update({f"length_{k}": v for k, v in sorted((self.lengths or {}).items())})
        return to_dataframe([row])


class _AsyncCount(Decomposition[int]):
    """Asynchronous attractors: counts multiply and add; a part without a negative cycle has
    only fixed points; splits go upstream of a negative cycle first; a part with one and no
    input is searched by the proven method."""

    def __init__(self, budget: Budget, result: AttractorCount):
        super().__init__(budget)
        self.result = result

    def one(self) -> int:
        return 1

    def times(self, a: int, b: int) -> int:
        return a * b

    def plus(self, a: int, b: int) -> int:
        return a + b

    def scaled(self, a: int, settings: int) -> int:
        return a * settings

    def is_zero(self, a: int) -> bool:
        return a == 0

    def shortcut(self, part: Network) -> int | None:
        self._cycles = unbalanced_components(signed_edges(part), [True] * len(part))
        if self._cycles:
            return None
        self.result.fixed_point_parts += 1
        return count_fixed_points(part, time_limit=max(1.0, self.budget.remaining()))

    def split_on(self, part: Network) -> list[str]:
        near_cycles = {part.nodes[i] for i in upstream(part, [i for c in self._cycles for i in c])}
        self.result.splits += 1
        return [n for n in part.inputs if n in near_cycles] or list(part.inputs)

    def leaf(self, part: Network) -> int:
        from mtorsim.attractors.search import find_attractors

        self.result.searched_parts += 1
        found = find_attractors(part, "async", "auto")
        if not found.complete:
            self.result.complete = False
            certain = sum(c.get("certain", True) for c in found.candidates)
            self.result.notes.append(
                f"a part of {len(part)} nodes was not proven: {len(found.attractors)} attractor(s) found and "
                f"{certain} unresolved trap space(s) that hold at least one each (counted once)"
            )
            return len(found.attractors) + certain
        return len(found.attractors)


Lengths = Counter  # cycle length -> number of attractors


def _combine(a: Lengths, b: Lengths) -> Lengths:
    """Independent parts run side by side: cycles of lengths p and q make gcd(p, q) cycles of
    length lcm(p, q)."""
    out: Lengths = Counter()
    for p, m in a.items():
        for q, k in b.items():
            out[math.lcm(p, q)] += m * k * math.gcd(p, q)
    return out


class _SyncCount(Decomposition[Lengths]):
    """Synchronous attractors by cycle length: parts combine by gcd/lcm, halves add up, a tail
    keeps the lengths; a part without inputs is searched (exhaustive or proven SAT)."""

    def __init__(self, budget: Budget, result: AttractorCount):
        super().__init__(budget)
        self.result = result

    def one(self) -> Lengths:
        return Counter({1: 1})

    def times(self, a: Lengths, b: Lengths) -> Lengths:
        return _combine(a, b)

    def plus(self, a: Lengths, b: Lengths) -> Lengths:
        return a + b

    def scaled(self, a: Lengths, settings: int) -> Lengths:
        return Counter({k: v * settings for k, v in a.items()})

    def is_zero(self, a: Lengths) -> bool:
        return not a

    def split_on(self, part: Network) -> list[str]:
        self.result.splits += 1
        return list(part.inputs)

    def leaf(self, part: Network) -> Lengths:
        from mtorsim.attractors.search import find_attractors

        self.result.searched_parts += 1
        found = find_attractors(part, "sync", "auto")
        sizes = [a.size for a in found.attractors]
        if not found.complete or any(z is None for z in sizes):
            self.result.complete = False
            self.result.notes.append(f"a part of {len(part)} nodes was not proven: {len(sizes)} attractor(s) found")
        return Counter(z for z in sizes if z is not None)


def count_attractors(
    net: Network,
    fixed: Mapping[str, int] | None = None,
    update: str = "async",
    fixed_points_only: bool = False,
    time_limit: float = TIME_LIMIT,
) -> AttractorCount:
    """The attractors under ``update`` ("async" or "sync"; or, with ``fixed_points_only``, the
    fixed points, which every scheme shares) of ``net`` with ``fixed`` nodes held, over every
    setting of the free inputs, counted without listing them; an error past ``time_limit`` s."""
    if fixed_points_only:
        return AttractorCount(count_fixed_points(net, fixed, time_limit), True, "fixed points")
    red = percolate(net, dict(fixed or {}))
    budget = Budget(time_limit, "attractors")
    if update == "sync":
        result = AttractorCount(0, True, "synchronous attractors")
        lengths = _SyncCount(budget, result).count(red.reduced)
        result.count = sum(lengths.values())
        result.lengths = dict(lengths)
        return result
    if update != "async":
        raise MtorsimError(f"unknown update scheme '{update}' for counting attractors; choose sync or async")
    result = AttractorCount(0, True)
    result.count = _AsyncCount(budget, result).count(red.reduced)
    return result
