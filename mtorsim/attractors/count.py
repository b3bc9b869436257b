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
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from mtorsim.attractors.fixedcount import PartKeys, best_split, count_fixed_points, parts, without_tail
from mtorsim.errors import MtorsimError
from mtorsim.network import Network
from mtorsim.network.feedback import signed_edges, unbalanced_components, upstream
from mtorsim.network.reduction import percolate

TIME_LIMIT = 60.0
"""Seconds the count may take before it gives up with an error."""


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


class _Counter:
    def __init__(self, time_limit: float):
        self.memo: dict[tuple, int] = {}
        self.part_key = PartKeys()
        self.deadline = time.monotonic() + time_limit
        self.time_limit = time_limit
        self.result = AttractorCount(0, True)

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise MtorsimError(
                f"counting the attractors takes more than {self.time_limit:.0f} s here (the free inputs "
                "interact: their settings give many distinct networks); raise `time_limit`, or hold some "
                "inputs (`fixed`) and count each part"
            )

    def count(self, net: Network) -> int:
        total = 1
        for part in parts(net):
            key = self.part_key(part)
            if key not in self.memo:
                self.check_time()
                self.memo[key] = self.count_part(part)
            total *= self.memo[key]
            if total == 0:
                return 0
        return total

    def count_part(self, part: Network) -> int:
        inputs = list(part.inputs)
        head, tail_inputs = without_tail(part)
        if head is not None:  # over each attractor of the head the tail settles one way per input setting
            return 2**tail_inputs * self.count(head)
        out = signed_edges(part)
        cycles = unbalanced_components(out, [True] * len(part))
        if not cycles:
            self.result.fixed_point_parts += 1
            return count_fixed_points(part, time_limit=max(1.0, self.deadline - time.monotonic()))
        if inputs:
            near_cycles = {part.nodes[i] for i in upstream(part, [i for c in cycles for i in c])}
            self.result.splits += 1
            near = [n for n in inputs if n in near_cycles] or inputs
            return sum(self.count(half) for half in best_split(part, near))
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


class _SyncCounter(_Counter):
    def __init__(self, time_limit: float):
        super().__init__(time_limit)
        self.lengths_memo: dict[tuple, Lengths] = {}
        self.result.kind = "synchronous attractors"

    def lengths(self, net: Network) -> Lengths:
        total: Lengths = Counter({1: 1})
        for part in parts(net):
            key = self.part_key(part)
            if key not in self.lengths_memo:
                self.check_time()
                self.lengths_memo[key] = self.part_lengths(part)
            total = _combine(total, self.lengths_memo[key])
            if not total:
                return total
        return total

    def part_lengths(self, part: Network) -> Lengths:
        inputs = list(part.inputs)
        head, tail_inputs = without_tail(part)
        if head is not None:  # the tail follows the head's cycle with its length
            return Counter({k: v * 2**tail_inputs for k, v in self.lengths(head).items()})
        if inputs:
            self.result.splits += 1
            zero, one = best_split(part, inputs)
            return self.lengths(zero) + self.lengths(one)
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
    if update == "sync":
        sync = _SyncCounter(time_limit)
        lengths = sync.lengths(red.reduced)
        sync.result.count = sum(lengths.values())
        sync.result.lengths = dict(lengths)
        return sync.result
    if update != "async":
        raise MtorsimError(f"unknown update scheme '{update}' for counting attractors; choose sync or async")
    counter = _Counter(time_limit)
    counter.result.count = counter.count(red.reduced)
    return counter.result
