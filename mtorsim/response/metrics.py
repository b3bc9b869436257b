"""From cell counts to the measures a pharmacologist reads: relative viability, the GR value
(Hafner et al. 2016, Nat Methods 13:521), IC50/GR50, Emax/GRmax and the area under the curve,
each with a bootstrap confidence interval over the simulated cells."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


def population(log_growth: Sequence[np.ndarray], cells: np.ndarray | None = None) -> float:
    """The population's fold change: the mean over strata and cells of ``exp(log_growth)``,
    over the cells ``cells`` (a bootstrap resample) or all of them."""
    return _strata_mean([float(np.exp(g if cells is None else g[cells]).mean()) for g in log_growth])


def _strata_mean(means: Sequence[float]) -> float:
    """The average of the strata's means, added in order (``population`` and the bootstrap)."""
    total = 0.0
    for m in means:
        total += m
    return total / len(means)


def gr_value(treated: float, control: float) -> float | None:
    """``2 ** (log2(x) / log2(x_ctrl)) - 1`` for fold changes over the assay (None when the
    untreated population does not grow)."""
    if control <= 1.0 + 1e-9 or treated <= 0:
        return None
    return float(2.0 ** (math.log2(treated) / math.log2(control)) - 1.0)


def crossing(doses: Sequence[float], values: Sequence[float | None], level: float) -> tuple[float | None, str | None]:
    """The dose at which ``values`` first falls below ``level`` (log-linear between grid
    points): (dose, None); (None, ">") when it never does, (None, "<") when it starts below."""
    pts = [(d, v) for d, v in zip(doses, values) if v is not None]
    if not pts:
        return None, None
    if pts[0][1] < level:
        return None, "<"
    for (d0, v0), (d1, v1) in zip(pts, pts[1:]):
        if v0 >= level > v1:
            f = (v0 - level) / (v0 - v1)
            return float(math.exp(math.log(d0) + f * (math.log(d1) - math.log(d0)))), None
    return None, ">"


def area(doses: Sequence[float], values: Sequence[float | None]) -> float | None:
    """The area under ``values`` over log10 dose, divided by the log10 range (1: no effect on
    viability over the whole grid; None with fewer than two points)."""
    pts = [(math.log10(d), v) for d, v in zip(doses, values) if v is not None]
    if len(pts) < 2 or pts[-1][0] == pts[0][0]:
        return None
    s = sum((x1 - x0) * (v0 + v1) / 2 for (x0, v0), (x1, v1) in zip(pts, pts[1:]))
    return float(s / (pts[-1][0] - pts[0][0]))


@dataclass(frozen=True)
class Measures:
    """One curve's measures (point estimates)."""

    viability: list[float]
    gr: list[float | None]
    ic50: float | None
    ic50_censored: str | None
    gr50: float | None
    gr50_censored: str | None
    emax: float
    grmax: float | None
    auc: float | None
    gr_aoc: float | None

    @classmethod
    def of(cls, doses: Sequence[float], fold: Sequence[float], control: float) -> Measures:
        viability = [f / control for f in fold]
        gr = [gr_value(f, control) for f in fold]
        ic50, ic50c = crossing(doses, viability, 0.5)
        gr50, gr50c = crossing(doses, gr, 0.5)
        gr_area = area(doses, gr)
        return cls(
            viability,
            gr,
            ic50,
            ic50c,
            gr50,
            gr50c,
            viability[-1],
            gr[-1],
            area(doses, viability),
            None if gr_area is None else 1.0 - gr_area,
        )


def interval(samples: Sequence[float | None], level: float = 0.95) -> list[float] | None:
    """The percentile interval of the defined samples (None when fewer than half are defined)."""
    xs = np.array([s for s in samples if s is not None], dtype=float)
    if len(xs) == 0 or len(xs) < len(samples) / 2:
        return None
    lo, hi = np.quantile(xs, [(1 - level) / 2, 1 - (1 - level) / 2])
    return [float(lo), float(hi)]


def measure(
    doses: Sequence[float],
    treated: Sequence[Sequence[np.ndarray]],
    control: np.ndarray,
    resamples: int,
    seed: int,
) -> tuple[Measures, dict[str, Any]]:
    """The measures of a curve (``treated[i]``: the strata's per-cell log growth at dose ``i``;
    ``control``: the untreated cells') and their bootstrap intervals: cells are resampled
    together at every dose and in the control (the same cells, with and without the drug)."""
    fold = [population(t) for t in treated]
    ctrl = population([control])
    point = Measures.of(doses, fold, ctrl)
    if resamples == 0:
        return point, {}
    rng = np.random.default_rng([seed, 0x62727370])
    n = len(control)
    groups = [*treated, [control]]
    fold_change = np.exp(np.stack([g for group in groups for g in group]))  # a row per dose and stratum
    ends = np.cumsum([0] + [len(group) for group in groups])
    boots = []
    for _ in range(resamples):
        cells = rng.integers(0, n, n)
        means = [float(np.add.reduce(row[cells])) / n for row in fold_change]  # population()'s x.mean()
        pops = [_strata_mean(means[a:b]) for a, b in zip(ends[:-1], ends[1:])]
        boots.append(Measures.of(doses, pops[:-1], pops[-1]))
    ci: dict[str, Any] = {
        "viability": [interval([b.viability[i] for b in boots]) for i in range(len(doses))],
        "gr": [interval([b.gr[i] for b in boots]) for i in range(len(doses))],
    }
    for key in ("ic50", "gr50", "emax", "grmax", "auc", "gr_aoc"):
        ci[key] = interval([getattr(b, key) for b in boots])
    return point, ci
