"""A cell population under one treatment: each simulated cell's expected number of descendants.

Each cell follows the model's continuous-time dynamics; it divides at rate ``b(x)`` and dies at
rate ``d(x)`` set by its state ``x`` (``b = birth_rate x proliferation(x)``, ``d = death_rate x
(1 - survival(x))``), and daughters carry on from the mother's state. The expected number of
cells descending from one cell that follows the trajectory ``x(t)`` is, by the Feynman-Kac
formula for branching processes, ``exp(integral of (b - d) over the assay)``: every simulated
trajectory gives its cell's growth exactly, so no cell is ever copied or removed and the
population's size is the mean of these weights. Proliferation and survival readouts enter
through each run's time fraction in every window (``simulate_continuous(per_run=...)``).

Cell-to-cell variation: random initial states (before an untreated burn-in), a per-cell division
rate multiplier (lognormal, ``division_spread``) and, for drugs, a per-cell potency multiplier
(lognormal ``potency_spread``, equal-probability strata that weigh the same cells).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import Expr, Var
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.response.assay import Assay
from mtorsim.scenarios.estimate import readout_terms
from mtorsim.treatment.records import Hold


@dataclass(frozen=True)
class Growth:
    """Per-cell log growth over the assay, and its course.

    Parameters
    ----------
    log_growth : numpy.ndarray
        (cells,) the log of each cell's expected number of descendants at the end.
    course : numpy.ndarray
        (cells, hours) the same at the end of every hour of the assay (the last column is
        ``log_growth``).
    proliferation : numpy.ndarray
        (cells,) the mean proliferation readout over the assay.
    survival : numpy.ndarray
        (cells,) the mean survival readout over the assay.
    """

    log_growth: np.ndarray
    course: np.ndarray
    proliferation: np.ndarray
    survival: np.ndarray


def _plan_terms(vocab: Vocabulary, name: str) -> list[tuple[str, Expr, float]]:
    """A readout as (key, formula, weight) terms whose time fractions add up to its value."""
    out = []
    for expr, w in readout_terms(vocab.readouts[name], vocab.readouts):
        key = expr.name if isinstance(expr, Var) else repr(expr)
        out.append((key, expr, w))
    return out


def division_multipliers(assay: Assay) -> np.ndarray:
    """(cells,) lognormal division-rate multipliers with median 1, the same for a given seed."""
    rng = np.random.default_rng([assay.seed, 0x6D746F72])
    return np.exp(assay.division_spread * rng.standard_normal(assay.runs))


def potency_strata(assay: Assay) -> np.ndarray:
    """(strata,) per-cell IC50 multipliers: the medians of equal-probability strata of a
    lognormal with ``potency_spread`` (1 when there is no spread or one stratum)."""
    from statistics import NormalDist

    k = assay.strata
    if assay.potency_spread == 0 or k == 1:
        return np.ones(1)
    z = np.array([NormalDist().inv_cdf((i + 0.5) / k) for i in range(k)])
    return np.exp(assay.potency_spread * z)


def grow(
    net: Network,
    vocab: Vocabulary,
    baseline: Mapping[str, Hold],
    drug_holds: Sequence[Hold],
    assay: Assay,
) -> Growth:
    """Simulate the cells (``assay.runs``) of one treatment: the ``baseline`` holds (medium,
    genotype) throughout, ``drug_holds`` (with their efficacies) from the end of the burn-in."""
    from mtorsim.simulation.continuous import simulate_continuous
    from mtorsim.simulation.initial import InitialSpec

    unit = assay.time_unit
    burn, length = assay.burn_in / unit, assay.assay_time / unit
    if abs(burn - round(burn)) > 1e-9 or abs(length - round(length)) > 1e-9:
        raise MtorsimError(
            f"the assay's burn_in ({assay.burn_in:g} h) and assay_time ({assay.assay_time:g} h) must be whole "
            f"numbers of model time units ({unit:g} h each)"
        )
    burn_w, total_w = int(round(burn)), int(round(burn + length))
    prolif, surv = _plan_terms(vocab, assay.proliferation), _plan_terms(vocab, assay.survival)
    observe = {key: expr for key, expr, _ in prolif + surv if not isinstance(expr, Var)}
    kept = list(dict.fromkeys(key for key, _, _ in prolif + surv))
    schedule: list[Hold] = []
    whole = dict(baseline)
    for h in sorted(drug_holds, key=lambda h: h.node):
        before = whole.pop(h.node, None)
        if before is not None:
            schedule.append(Hold(h.node, before.value, 0.0, burn, before.efficacy, before.source))
        schedule.append(Hold(h.node, h.value, burn, None, h.efficacy, h.source))
    res = simulate_continuous(
        net,
        max_time=float(total_w),
        time_tick=1.0,
        runs=assay.runs,
        seed=assay.seed,
        init=InitialSpec(default=0.5),
        fixed={n: h.value for n, h in whole.items()},
        efficacy={n: h.efficacy for n, h in whole.items() if h.efficacy < 1},
        schedule=schedule,
        threads=assay.threads,
        track_states=False,
        entropy=False,
        observe=observe,
        per_run=kept,
    )
    window = slice(burn_w, total_w)
    p = sum(w * res.per_run[key][:, window] for key, _, w in prolif)
    s = sum(w * res.per_run[key][:, window] for key, _, w in surv)
    assert isinstance(p, np.ndarray) and isinstance(s, np.ndarray)
    rate = assay.birth_rate * division_multipliers(assay)[:, None] * p - assay.death_rate * (1.0 - s)
    course = np.cumsum(rate * unit, axis=1)
    return Growth(course[:, -1].copy(), course, p.mean(axis=1), s.mean(axis=1))


def doubling_check(control: Growth, assay: Assay) -> list[str]:
    """Notes on an untreated population that does not grow (GR is then undefined)."""
    doublings = math.log2(float(np.mean(np.exp(control.log_growth))))
    if doublings <= 0.05:
        return [
            f"untreated cells do not grow in this medium and genotype ({doublings:.2f} doublings in "
            f"{assay.assay_time:g} h): GR values are undefined; viability is still relative to untreated"
        ]
    return []
