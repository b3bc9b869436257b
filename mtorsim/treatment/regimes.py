"""A cell population under partial drug engagement, as a mixture of all-or-none regimes.

A dose engages a drug's target in a fraction of the cells equal to its occupancy: in each cell
the target is inhibited or not for the whole treatment. A drug's targets share one per-cell
draw (a cell that takes up more drug engages every target more), so the targets a cell has
engaged are always the most engaged ones: a drug with targets engaged ``e1 >= e2 >= ...`` puts
``1 - e1`` of the cells in the regime "none", ``e1 - e2`` in "the first", and so on. Different
drugs draw independently, so a combination's regimes are the products. Each regime is a set of
full holds; what a population does at a dose is its regimes' results weighted by their shares.
This makes a partial dose a mixture of exactly simulated cells, never a flickering hold.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mtorsim.errors import MtorsimError
from mtorsim.treatment.records import Hold

MAX_REGIMES = 4096
"""More regimes than this (many drugs, each with many targets) is refused."""


@dataclass(frozen=True)
class Regime:
    """A share of the cells and the drug holds that act fully in them."""

    weight: float
    holds: tuple[Hold, ...]

    @property
    def key(self) -> tuple[tuple[str, int], ...]:
        """The holds as sorted (node, value) pairs: regimes with the same key behave the same."""
        return tuple(sorted((h.node, h.value) for h in self.holds))


def regimes(drug_holds: Sequence[Hold]) -> list[Regime]:
    """The regimes of ``drug_holds`` (each with the efficacy a dose gives it), heaviest first
    within each drug, those with weight 0 left out; their weights add up to 1."""
    by_drug: dict[str, list[Hold]] = {}
    for h in drug_holds:
        by_drug.setdefault(str(h.source), []).append(h)
    options: list[list[tuple[float, tuple[Hold, ...]]]] = []
    for given in by_drug.values():
        ranked = sorted(given, key=lambda h: (-h.efficacy, h.node))
        levels = [1.0] + [min(1.0, max(0.0, h.efficacy)) for h in ranked] + [0.0]
        choice: list[tuple[float, tuple[Hold, ...]]] = []
        for k in range(len(ranked) + 1):
            w = levels[k] - levels[k + 1]
            if w > 0:
                choice.append((w, tuple(replace(h, efficacy=1.0) for h in ranked[:k])))
        options.append(choice)
    count = 1
    for o in options:
        count *= len(o)
    if count > MAX_REGIMES:
        raise MtorsimError(f"{count} engagement regimes (more than {MAX_REGIMES}): give fewer drugs at once")
    out = []
    for combo in itertools.product(*options):
        weight = 1.0
        held: list[Hold] = []
        for w, hs in combo:
            weight *= w
            held.extend(hs)
        out.append(Regime(weight, tuple(held)))
    return out
