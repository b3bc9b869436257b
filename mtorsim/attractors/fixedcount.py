"""Counting fixed points without listing them: percolation, independent parts, tails, input splits.

A fixed point of the network has every percolated node at its value, so the count is that of the
percolated network; parts of it that read nothing of each other count independently (the count
is the product); nodes upstream of no cycle (a tail) take one value per setting of the rest, so
they count 2 per tail input; a part with a free input is split on it (the sum of the two held
parts); a part without inputs is enumerated (clingo). Parts that come back alike are counted once (memoised on
their rules).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import Expr, names, to_text
from mtorsim.network import Network
from mtorsim.network.feedback import components, upstream
from mtorsim.network.reduction import percolate

LEAF_LIMIT = 1_000_000
"""The most fixed points enumerated in one part without inputs."""


TIME_LIMIT = 60.0
"""Seconds the count may take before it gives up with an error."""


class _Budget:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise MtorsimError(
                f"counting the fixed points takes more than {self.seconds:.0f} s here (the free inputs interact: "
                "their settings do not fall into few distinct networks); raise `time_limit`, hold some inputs "
                "(`fixed`) and count each part, or list them with `limit`"
            )


def count_fixed_points(net: Network, fixed: Mapping[str, int] | None = None, time_limit: float = TIME_LIMIT) -> int:
    """The number of fixed points of ``net`` with ``fixed`` nodes held; an error past ``time_limit``."""
    memo = _Memo()
    red = percolate(net, dict(fixed or {}))
    return _count(red.reduced, memo, _Budget(time_limit))


class PartKeys:
    """What makes two parts alike: their nodes and rules (as text). Each syntax tree is rendered
    once: the parts of one count share most of their trees (percolation keeps a tree it does not
    change), and the trees are kept here so that their ids stay theirs."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[Expr, str]] = {}

    def __call__(self, net: Network) -> tuple:
        return tuple((n, self._text(e)) for n, e in zip(net.nodes, net.rules))

    def _text(self, e: Expr) -> str:
        hit = self._texts.get(id(e))
        if hit is None or hit[0] is not e:
            hit = self._texts[id(e)] = (e, to_text(e))
        return hit[1]


class _Memo(dict[tuple, int]):
    def __init__(self) -> None:
        super().__init__()
        self.key = PartKeys()


def _count(net: Network, memo: _Memo, budget: _Budget) -> int:
    total = 1
    for part in parts(net):
        key = memo.key(part)
        if key not in memo:
            budget.check()
            memo[key] = _count_part(part, memo, budget)
        total *= memo[key]
        if total == 0:
            return 0
    return total


def _count_part(part: Network, memo: _Memo, budget: _Budget) -> int:
    inputs = list(part.inputs)
    if len(part) == 1 and inputs:
        return 2
    head, tail_inputs = without_tail(part)
    if head is not None:  # each fixed point of the head extends in exactly one way per tail input setting
        return 2**tail_inputs * _count(head, memo, budget)
    if inputs:
        return sum(_count(half, memo, budget) for half in best_split(part, inputs))
    from mtorsim.attractors.fixedpoints import count_fixed_points as count_leaf

    found = count_leaf(part, LEAF_LIMIT + 1)
    if found > LEAF_LIMIT:
        raise MtorsimError(
            f"a part of {len(part)} nodes without inputs has more than {LEAF_LIMIT:,} fixed points; "
            "the count needs fewer (hold some nodes: `fixed`)"
        )
    return found


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
    nodes: given the head's values and its own inputs, each tail node has one value, so the
    fixed points are those of the head times 2 per tail input."""
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
    return _subnetwork(net, sorted(head)), tail_inputs


def _subnetwork(net: Network, nodes: list[int]) -> Network:
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
    return [_subnetwork(net, g) for g in groups.values()]
