"""The decomposition every count shares: independent parts, tails, input splits, a leaf search,
memoised parts and one time budget.

A count is a value per network (an int, or cycle lengths for synchronous attractors) with a
product (independent parts side by side), a sum (the two halves of an input split) and a
scaling by the settings of a tail's inputs. :class:`Decomposition` runs the skeleton once;
each count (fixed points, asynchronous and synchronous attractors, in ``fixedcount`` and
``count``) says how to combine, where it can stop early, which inputs to split on, and how to
count a part without inputs.

- Parts: the weakly connected parts of the wiring read nothing of each other.
- Tail: nodes upstream of no cycle (an input's own ``X = X`` aside) are dropped; over each
  attractor of the rest the tail settles one way per setting of its inputs.
- Split: a part with free inputs is held at 0 and at 1 on one of them (percolated), picked among
  the most-read ones as the split whose halves keep the fewest nodes.
- Memo: parts that come back alike (same nodes, same rules) are counted once.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import Expr, names, to_text
from mtorsim.network import Network
from mtorsim.network.feedback import components, upstream
from mtorsim.network.reduction import percolate

T = TypeVar("T")

TIME_LIMIT = 60.0
"""Seconds a count may take before it gives up with an error."""


class Budget:
    """A count's time: an error naming ``what`` is counted once ``seconds`` have passed."""

    def __init__(self, seconds: float, what: str):
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.what = what

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise MtorsimError(
                f"counting the {self.what} takes more than {self.seconds:.0f} s here (the free inputs interact: "
                "their settings give many distinct networks); raise `time_limit`, or hold some inputs "
                "(`fixed`) and count each part"
            )


class PartKeys:
    """What makes two parts alike: their nodes and rules (as text). Each syntax tree is rendered
    once: the parts of one count share most of their trees (percolation keeps a tree it does not
    change), and the trees are kept here so that their ids stay theirs."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[Expr, str]] = {}

    def __call__(self, net: Network) -> tuple[tuple[str, str], ...]:
        return tuple((n, self._text(e)) for n, e in zip(net.nodes, net.rules))

    def _text(self, e: Expr) -> str:
        hit = self._texts.get(id(e))
        if hit is None or hit[0] is not e:
            hit = self._texts[id(e)] = (e, to_text(e))
        return hit[1]


class Decomposition(ABC, Generic[T]):
    """The skeleton of a count over every setting of the free inputs (see the module docstring)."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.memo: dict[tuple[tuple[str, str], ...], T] = {}
        self.key = PartKeys()

    # -- what a count says --------------------------------------------------------------------
    @abstractmethod
    def one(self) -> T:
        """The count of the empty network."""

    @abstractmethod
    def times(self, a: T, b: T) -> T:
        """Two independent parts side by side."""

    @abstractmethod
    def plus(self, a: T, b: T) -> T:
        """The two halves of an input split."""

    @abstractmethod
    def scaled(self, a: T, settings: int) -> T:
        """``a`` for each of ``settings`` settings of a tail's inputs."""

    @abstractmethod
    def is_zero(self, a: T) -> bool:
        """Nothing left to count (a product with it stays empty)."""

    @abstractmethod
    def leaf(self, part: Network) -> T:
        """A part without free inputs (and no tail)."""

    def early(self, part: Network) -> T | None:
        """A count decided before the tail is dropped (None: go on)."""
        return None

    def shortcut(self, part: Network) -> T | None:
        """A count decided once the tail is dropped, before any split (None: go on)."""
        return None

    def split_on(self, part: Network) -> list[str]:
        """The inputs a split may take (default: all free inputs)."""
        return list(part.inputs)

    # -- the skeleton ---------------------------------------------------------------------------
    def count(self, net: Network) -> T:
        total = self.one()
        for part in parts(net):
            key = self.key(part)
            if key not in self.memo:
                self.budget.check()
                self.memo[key] = self.count_part(part)
            total = self.times(total, self.memo[key])
            if self.is_zero(total):
                return total
        return total

    def count_part(self, part: Network) -> T:
        found = self.early(part)
        if found is not None:
            return found
        head, tail_inputs = without_tail(part)
        if head is not None:
            return self.scaled(self.count(head), 2**tail_inputs)
        found = self.shortcut(part)
        if found is not None:
            return found
        inputs = self.split_on(part) if part.inputs else []
        if inputs:
            zero, one = best_split(part, inputs)
            return self.plus(self.count(zero), self.count(one))
        return self.leaf(part)


SPLIT_CANDIDATES = 8
"""Inputs tried for each split: the most-read ones; the split that leaves fewest nodes is taken."""


def best_split(net: Network, inputs: list[str]) -> tuple[Network, Network]:
    """The network with one input at 0 and at 1 (percolated): of the ``SPLIT_CANDIDATES`` inputs
    read by most rules, the one whose two halves keep the fewest nodes (it took bbm-269's count
    from more than 14 minutes, splitting on the most-read input alone, to well under one)."""
    readers = dict.fromkeys(inputs, 0)
    for e in net.rules:
        for r in names(e):
            if r in readers:
                readers[r] += 1
    best: tuple[Network, Network] | None = None
    for pick in sorted(inputs, key=lambda n: -readers[n])[:SPLIT_CANDIDATES]:
        halves = (percolate(net, {pick: 0}, settled=True).reduced, percolate(net, {pick: 1}, settled=True).reduced)
        if best is None or len(halves[0]) + len(halves[1]) < len(best[0]) + len(best[1]):
            best = halves
    assert best is not None  # inputs is not empty
    return best


def without_tail(net: Network) -> tuple[Network | None, int]:
    """The nodes upstream of a cycle (an input's own ``X = X`` aside) as a network of their own,
    and the number of free inputs left out, when any node is left out; else (None, 0).

    The rest (the tail) reads the head but never feeds it, and has no cycle among its non-input
    nodes: given the head's values and its own inputs, each tail node has one value."""
    n = len(net)
    inputs = set(net.inputs)
    is_input = [name in inputs for name in net.nodes]
    succ: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i, rs in enumerate(net.regulators):
        for j in rs:
            if not (i == j and is_input[i]):
                succ[j].append((i, 1))
    cyclic = [
        i
        for comp in components(succ, [True] * n)
        if len(comp) > 1 or any(w == comp[0] for w, _ in succ[comp[0]])
        for i in comp
    ]
    head = upstream(net, cyclic)
    if len(head) == n:
        return None, 0
    tail_inputs = sum(is_input[i] for i in range(n) if i not in head)
    return subnetwork(net, sorted(head)), tail_inputs


def subnetwork(net: Network, nodes: list[int]) -> Network:
    return Network(tuple(net.nodes[i] for i in nodes), tuple(net.rules[i] for i in nodes))


def parts(net: Network) -> list[Network]:
    """The weakly connected parts of the network's wiring, each as a network of its own."""
    if len(net) == 0:
        return []
    parent = list(range(len(net)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, regs in enumerate(net.regulators):
        for j in regs:
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(net)):
        groups.setdefault(root(i), []).append(i)
    return [subnetwork(net, g) for g in groups.values()]
