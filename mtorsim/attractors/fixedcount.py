"""Counting fixed points without listing them: percolation, then the shared decomposition
(``decompose``): independent parts multiply, a tail counts 2 per tail input, a part with a free
input is split on it (the two halves add up), a part without inputs is enumerated (clingo).

A fixed point of the network has every percolated node at its value, so the count is that of the
percolated network.
"""

from __future__ import annotations

from collections.abc import Mapping

from mtorsim.attractors.decompose import TIME_LIMIT, Budget, Decomposition
from mtorsim.errors import MtorsimError
from mtorsim.network import Network
from mtorsim.network.reduction import percolate

LEAF_LIMIT = 1_000_000
"""The most fixed points enumerated in one part without inputs."""


def count_fixed_points(net: Network, fixed: Mapping[str, int] | None = None, time_limit: float = TIME_LIMIT) -> int:
    """The number of fixed points of ``net`` with ``fixed`` nodes held; an error past ``time_limit``."""
    red = percolate(net, dict(fixed or {}))
    return FixedPointCount(Budget(time_limit, "fixed points")).count(red.reduced)


class FixedPointCount(Decomposition[int]):
    """Fixed points: products, sums and 2 per tail input; a lone input has two."""

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

    def early(self, part: Network) -> int | None:
        return 2 if len(part) == 1 and part.inputs else None

    def leaf(self, part: Network) -> int:
        from mtorsim.attractors.fixedpoints import count_fixed_points as count_leaf

        found = count_leaf(part, LEAF_LIMIT + 1)
        if found > LEAF_LIMIT:
            raise MtorsimError(
                f"a part of {len(part)} nodes without inputs has more than {LEAF_LIMIT:,} fixed points; "
                "the count needs fewer (hold some nodes: `fixed`)"
            )
        return int(found)
