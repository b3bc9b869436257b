"""The simulated viability assay: how a cell population is grown, treated and counted.

A model's vocabulary names it in ``[model.assay]`` (every number with its source or marked as an
assumption); what it leaves out takes the defaults below, each documented here and reported
with every result.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from mtorsim.errors import MtorsimError
from mtorsim.model.vocabulary import Vocabulary

NUMBERS = ("doubling_time", "death_rate", "assay_time", "burn_in", "time_unit", "potency_spread", "division_spread")
"""The assay's numbers a report states with where they come from."""


@dataclass(frozen=True)
class Assay:
    """How a population response is simulated (the defaults are assumptions, stated as such).

    Parameters
    ----------
    proliferation : str
        The readout whose value (0 to 1 in each state) scales the division rate.
    survival : str
        The readout whose absence (1 - value) scales the death rate.
    doubling_time : float, default 30.0
        Doubling time of cells at full proliferation (readout 1), in hours.
    death_rate : float, default ln 2 / 24
        Death rate of cells whose survival readout is off, per hour (half-life 24 h).
    assay_time : float, default 72.0
        Hours of drug exposure before the cells are counted.
    burn_in : float, default 24.0
        Hours the cells grow untreated from a random start before the drug is added.
    time_unit : float, default 1.0
        Hours per model time unit (each node updates at rate 1 per time unit).
    potency_spread : float, default 0.5
        Cell-to-cell variation of drug potency: the standard deviation of the natural log of a
        per-cell multiplier of every target's IC50 (lognormal).
    division_spread : float, default 0.2
        Cell-to-cell variation of the division rate: the standard deviation of the natural log
        of a per-cell multiplier (lognormal).
    strata : int, default 16
        Potency multipliers (equal-probability strata of the lognormal, at their medians); they
        only weigh the simulated regimes, so they cost no simulation.
    runs : int, default 1000
        Cells (trajectories) per engagement regime; every dose and stratum weighs the same cells.
    seed : int, default 0
        The random seed; the same seed gives the same numbers.
    bootstrap : int, default 200
        Bootstrap resamples of the cells for the confidence intervals.
    threads : int or None, default None
        Worker threads (all cores when None); the numbers do not depend on it.
    """

    proliferation: str = "Proliferation"
    survival: str = "Survival"
    doubling_time: float = 30.0
    death_rate: float = math.log(2) / 24
    assay_time: float = 72.0
    burn_in: float = 24.0
    time_unit: float = 1.0
    potency_spread: float = 0.5
    division_spread: float = 0.2
    strata: int = 16
    runs: int = 1000
    seed: int = 0
    bootstrap: int = 200
    threads: int | None = None

    def check(self, vocab: Vocabulary) -> None:
        for what in ("proliferation", "survival"):
            name = getattr(self, what)
            if name not in vocab.readouts:
                raise MtorsimError(
                    f"the assay's {what} readout '{name}' is not a readout of the vocabulary; "
                    f'name one in [model.assay] {what} = "..."'
                )
        for what in ("doubling_time", "assay_time", "time_unit"):
            v = getattr(self, what)
            if not (math.isfinite(v) and v > 0):
                raise MtorsimError(f"the assay's {what} must be a positive number, not {v}")
        for what in ("death_rate", "burn_in", "potency_spread", "division_spread"):
            v = getattr(self, what)
            if not (math.isfinite(v) and v >= 0):
                raise MtorsimError(f"the assay's {what} must be a number >= 0, not {v}")
        for what, lo, hi in (("strata", 1, 256), ("runs", 10, 10_000_000), ("bootstrap", 0, 100_000)):
            v = getattr(self, what)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise MtorsimError(f"`{what}` must be a whole number from {lo} to {hi:,}, not {v!r}")

    @property
    def birth_rate(self) -> float:
        """Divisions per hour at full proliferation."""
        return math.log(2) / self.doubling_time

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def assay_of(vocab: Vocabulary, **overrides: Any) -> Assay:
    """The vocabulary's ``[model.assay]`` over the defaults, then ``overrides`` (None: kept)."""
    table = vocab.model.get("assay", {})
    given = {k: v for k, v in table.items() if k not in ("notes", "references")}
    assay = replace(Assay(), **given)
    assay = replace(assay, **{k: v for k, v in overrides.items() if v is not None})
    assay.check(vocab)
    return assay
