"""Dose-response curves: genotype backgrounds x drug sets x doses, each point a simulated cell
population (``growth``), each curve's viability, GR, IC50/GR50, Emax/GRmax and AUC with
confidence intervals (``metrics``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.model.vocabulary import Perturbing, SetNode, Vocabulary
from mtorsim.network import Network
from mtorsim.response.assay import Assay
from mtorsim.response.growth import Growth, doubling_check, grow, potency_strata
from mtorsim.response.metrics import measure
from mtorsim.treatment.pharmacology import occupancy
from mtorsim.treatment.pharmacology import reference_dose as pharmacology_reference
from mtorsim.treatment.records import Hold
from mtorsim.treatment.regimes import regimes
from mtorsim.treatment.resolve import resolve
from mtorsim.treatment.treatment import Treatment

GRID_POINTS = 9
"""Doses of a default grid (log-spaced)."""
GRID_WIDTH = 30.0
"""A default grid spans from the lower of (target IC50, clinical free Cmax) / this to the higher x this."""


@dataclass(frozen=True)
class Background:
    """A genotype (mutations, each optionally partial) in a medium, with its label."""

    label: str
    mutations: tuple[str, ...] = ()
    env: tuple[tuple[str, int], ...] = ()


def reference_dose(bundle: Perturbing) -> tuple[float, str]:
    """The dose a drug's grid and a combination's ratio are built around (``pharmacology``)."""
    ref = pharmacology_reference(bundle)
    if ref is None:  # dosed in multiples of an IC50: the grid is around that IC50
        return first_ic50(bundle), f"the IC50 of its first target ({bundle.perturbations[0].node})"
    return ref


def first_ic50(bundle: Perturbing) -> float:
    if not bundle.perturbations:
        raise MtorsimError(
            f"drug {bundle.name} has no target in this model ({bundle.info.get('no_target', 'no perturbations')}), "
            "so it has no dose-response here"
        )
    p = bundle.perturbations[0]
    ic50 = getattr(p, "ic50", None) or bundle.ic50
    if ic50 is None:
        raise MtorsimError(
            f"drug {bundle.name} has no potency (ic50) in the vocabulary, so it has no dose-response; "
            "add ic50 to the drug or to its perturbations"
        )
    return float(ic50)


def default_doses(bundle: Perturbing) -> list[float]:
    """``GRID_POINTS`` log-spaced doses around the target's IC50 and the clinical exposure."""
    ic50 = first_ic50(bundle)
    ref, _ = reference_dose(bundle)
    lo, hi = min(ic50, ref) / GRID_WIDTH, max(ic50, ref) * GRID_WIDTH
    return [float(x) for x in np.geomspace(lo, hi, GRID_POINTS)]


@dataclass
class Curve:
    """One genotype's dose-response to one drug set.

    Parameters
    ----------
    background : str
        The genotype (``wildtype`` or mutations joined by ``+``) and swept medium.
    drugs : list of str
        The drug set (canonical names).
    doses : list of float
        The doses, in ``unit``.
    unit : str
        The dose unit: the drug's own (single drugs) or multiples of each drug's reference dose
        (combinations).
    measures : dict
        ``viability``, ``gr`` per dose; ``ic50``, ``gr50`` (None when not reached:
        ``ic50_censored``/``gr50_censored`` say ``">"`` above the grid or ``"<"`` below it),
        ``emax`` (viability at the highest dose), ``grmax``, ``auc`` (area under the viability
        curve over log dose, 1: no effect), ``gr_aoc``; ``ci`` their 95% intervals.
    doublings : float
        Doublings of the untreated population over the assay.
    exposure : dict
        Per drug: its reference dose, clinical exposure as published (or None) and each dose as a
        multiple of the clinical free Cmax.
    engagement : dict
        Per drug and target node: occupancy at each dose (median cell).
    notes : list of str
        What a reader needs to know to read the curve.
    course : dict
        Per dose (and "untreated"): the population's fold change at the end of every hour.
    """

    background: str
    drugs: list[str]
    doses: list[float]
    unit: str
    measures: dict[str, Any]
    doublings: float
    exposure: dict[str, Any] = field(default_factory=dict)
    engagement: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    course: dict[str, list[float]] = field(default_factory=dict)
    mutations: list[str] = field(default_factory=list)
    environment: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        m = self.measures
        ci = m.get("ci", {})
        return {
            "background": self.background,
            "mutations": self.mutations,
            "environment": self.environment,
            "drugs": self.drugs,
            "doses": self.doses,
            "unit": self.unit,
            "viability": m["viability"],
            "viability_ci": ci.get("viability"),
            "gr": m["gr"],
            "gr_ci": ci.get("gr"),
            "ic50": m["ic50"],
            "ic50_censored": m["ic50_censored"],
            "ic50_ci": ci.get("ic50"),
            "gr50": m["gr50"],
            "gr50_censored": m["gr50_censored"],
            "gr50_ci": ci.get("gr50"),
            "emax": m["emax"],
            "emax_ci": ci.get("emax"),
            "grmax": m["grmax"],
            "grmax_ci": ci.get("grmax"),
            "auc": m["auc"],
            "auc_ci": ci.get("auc"),
            "gr_aoc": m["gr_aoc"],
            "gr_aoc_ci": ci.get("gr_aoc"),
            "untreated_doublings": self.doublings,
            "exposure": self.exposure,
            "engagement": self.engagement,
            "notes": self.notes,
        }


@dataclass
class DoseResponse:
    """Dose-response curves: one per background and drug set.

    Parameters
    ----------
    curves : list of Curve
        The curves, backgrounds outer, drug sets inner.
    settings : dict
        The model, medium and assay (every assumption with its value).
    notes : list of str
        What the numbers rest on: published and assumed parameters.
    """

    curves: list[Curve]
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def curve(self, background: str, drugs: Sequence[str]) -> Curve:
        for c in self.curves:
            if c.background == background and tuple(c.drugs) == tuple(drugs):
                return c
        raise MtorsimError(f"no curve for {background} x {' + '.join(drugs)}")

    def to_dict(self) -> dict[str, Any]:
        return {"curves": [c.to_dict() for c in self.curves], "settings": self.settings, "notes": self.notes}

    def to_dataframe(self) -> Any:
        """One row per curve and dose: viability, GR and their intervals (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        rows = []
        for c in self.curves:
            d = c.to_dict()
            for i, dose in enumerate(c.doses):
                rows.append(
                    {
                        "background": c.background,
                        "drugs": " + ".join(c.drugs),
                        "dose": dose,
                        "unit": c.unit,
                        "viability": d["viability"][i],
                        "gr": d["gr"][i],
                        "ic50": d["ic50"],
                        "gr50": d["gr50"],
                        "auc": d["auc"],
                    }
                )
        return to_dataframe(rows)

    def plot(self, path: str | None = None, title: str | None = None, overwrite: bool = False) -> Any:
        """The curves (one panel per drug set, genotypes as lines, clinical exposure marked), a
        matplotlib Figure saved to ``path`` when given (an existing file only
        with ``overwrite``)."""
        from mtorsim.plots.response import plot_response
        from mtorsim.util.safeio import check_figure

        check_figure(path, overwrite)
        return plot_response(self, path, title=title)


def drug_doses(vocab: Vocabulary, drugs: Sequence[str], dose: float) -> dict[str, float]:
    """Each drug's dose at grid value ``dose``: the dose itself for one drug, else ``dose`` times
    each drug's reference dose (a fixed-ratio combination)."""
    if len(drugs) == 1:
        return {drugs[0]: dose}
    return {d: dose * reference_dose(vocab.drug(d))[0] for d in drugs}


def _exposure(vocab: Vocabulary, drugs: Sequence[str], doses: Sequence[float]) -> dict[str, Any]:
    out = {}
    for d in drugs:
        b = vocab.drug(d)
        ref, what = reference_dose(b)
        exp = b.exposure
        free = ref if what == "clinical free Cmax" else None
        per_dose = [drug_doses(vocab, drugs, x)[d] for x in doses]
        out[d] = {
            "unit": b.unit,
            "reference_dose": ref,
            "reference": what,
            "clinical": exp or None,
            "free_cmax": free,
            "clinical_multiple": None if free is None else [round(x / free, 6) for x in per_dose],
        }
    return out


def _engagement(vocab: Vocabulary, drugs: Sequence[str], doses: Sequence[float]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for d in drugs:
        b = vocab.drug(d)
        targets = {}
        for p in b.perturbations:
            ic50 = getattr(p, "ic50", None) or b.ic50
            hill = getattr(p, "hill", None) or b.hill
            if ic50 is None or not isinstance(p, SetNode):
                continue
            targets[p.node] = [round(occupancy(drug_doses(vocab, drugs, x)[d], ic50, hill), 6) for x in doses]
        out[d] = targets
    return out


def _course(g: Growth) -> list[float]:
    """The population's fold change at each hour: the mean over cells of exp(log growth)."""
    by_hour = np.exp(g.course.T)
    return [float(row.mean()) for row in by_hour]


def _mixture(parts: Sequence[tuple[float, Growth]]) -> Growth:
    """The cells of a population whose regimes have these shares: each cell's expected growth is
    its regimes' growths weighted by their shares (the regime is drawn independently of the
    trajectory), kept as logs."""
    weights = np.array([w for w, _ in parts])[:, None, None]
    courses = np.stack([g.course for _, g in parts])
    top = courses.max(axis=0)
    course = top + np.log((weights * np.exp(courses - top)).sum(axis=0))
    w = weights[:, :, 0]
    return Growth(
        course[:, -1].copy(),
        course,
        (w * np.stack([g.proliferation for _, g in parts])).sum(axis=0),
        (w * np.stack([g.survival for _, g in parts])).sum(axis=0),
    )


Key = tuple[tuple[str, int], ...]
"""A regime's holds as sorted (node, value) pairs."""


@dataclass
class _Population:
    """One background's simulated cells: the untreated control and every regime its doses need."""

    background: Background
    treatment: Treatment
    shares: list[list[dict[Key, float]]]  # per drug set, per dose: regime -> share of the cells
    needs: dict[Key, tuple[Any, tuple[Hold, ...]]] = field(default_factory=dict)  # regime -> (resolved, holds)
    grown: dict[Key, Growth] = field(default_factory=dict)


def _plan(
    net: Network,
    vocab: Vocabulary,
    bg: Background,
    env: Mapping[str, int],
    sets: Sequence[tuple[str, ...]],
    grids: Sequence[Sequence[float]],
    strata: np.ndarray,
) -> _Population:
    """The regimes every dose of every drug set puts the background's cells in, with their
    shares averaged over the potency strata (no simulation yet)."""
    pop = _Population(bg, Treatment.of({**env, **dict(bg.env)}, bg.mutations), [])
    for s, grid in zip(sets, grids):
        points = []
        for x in grid:
            shares: dict[Key, float] = {}
            for m in strata:
                r = resolve(
                    net, vocab, pop.treatment.with_drugs(s, {d: v / m for d, v in drug_doses(vocab, s, x).items()})
                )
                for reg in regimes(r.drug_holds()):
                    shares[reg.key] = shares.get(reg.key, 0.0) + reg.weight / len(strata)
                    pop.needs.setdefault(reg.key, (r, reg.holds))
            points.append(shares)
        pop.shares.append(points)
    return pop


def _grow(net: Network, vocab: Vocabulary, pop: _Population, assay: Assay, tick: Callable[[], None]) -> None:
    """Simulate the background's control and each regime it needs, once each."""
    untreated = resolve(net, vocab, pop.treatment)
    pop.grown[()] = grow(untreated.net, vocab, untreated.baseline, [], assay)
    tick()
    for key, (r, holds) in pop.needs.items():
        if key not in pop.grown:
            pop.grown[key] = grow(r.net, vocab, r.baseline, list(holds), assay)
            tick()


def dose_response(
    net: Network,
    vocab: Vocabulary,
    backgrounds: Sequence[Background],
    drug_sets: Sequence[Sequence[str]],
    assay: Assay,
    doses: Sequence[float] | None = None,
    env: Mapping[str, int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DoseResponse:
    """Curves for every background x drug set (see :func:`mtorsim.dose_response`).

    A dose puts each cell's targets in an all-or-none regime (``treatment.regimes``): every
    regime is simulated once per background, and each dose and potency stratum only weighs them.
    """
    sets = [tuple(vocab.drug(d).name for d in s) for s in drug_sets]
    if not sets:
        raise MtorsimError("give at least one drug (`drugs`) for a dose-response")
    for s in sets:
        if len(set(s)) != len(s):
            raise MtorsimError(f"drug set {' + '.join(s)}: a drug is named twice")
        for d in s:
            _check_dosable(vocab.drug(d))
    grids = [list(doses) if doses else default_doses(vocab.drug(s[0])) if len(s) == 1 else _combo_grid() for s in sets]
    for grid in grids:
        if any(not (math.isfinite(x) and x > 0) for x in grid) or sorted(grid) != list(grid) or len(set(grid)) < 2:
            raise MtorsimError("`doses` must be at least two positive numbers in increasing order, e.g. 1,10,100")
    strata = potency_strata(assay)
    medium = dict(env or {})
    pops = [_plan(net, vocab, bg, medium, sets, grids, strata) for bg in backgrounds]
    total = sum(1 + sum(1 for key in p.needs if key) for p in pops)

    def tick() -> None:
        if progress:
            progress(1, total)

    curves: list[Curve] = []
    for pop in pops:
        _grow(net, vocab, pop, assay, tick)
        curves.extend(
            _curve(vocab, pop, s, grid, points, assay, medium) for s, grid, points in zip(sets, grids, pop.shares)
        )
    return DoseResponse(curves, {"assay": assay.to_dict(), "potency_strata": [float(m) for m in strata]})


def _curve(
    vocab: Vocabulary,
    pop: _Population,
    s: Sequence[str],
    grid: Sequence[float],
    points: Sequence[dict[Key, float]],
    assay: Assay,
    medium: Mapping[str, int],
) -> Curve:
    control = pop.grown[()]
    treated = [_mixture([(w, pop.grown[key]) for key, w in shares.items()]) for shares in points]
    point, ci = measure(grid, [[g.log_growth] for g in treated], control.log_growth, assay.bootstrap, assay.seed)
    ctrl = float(np.exp(control.log_growth).mean())
    bg = pop.background
    return Curve(
        bg.label,
        list(s),
        [float(x) for x in grid],
        vocab.drug(s[0]).unit or "dose" if len(s) == 1 else "x reference dose",
        {**point.__dict__, "ci": ci},
        round(math.log2(ctrl), 6) if ctrl > 0 else float("-inf"),
        _exposure(vocab, s, grid),
        _engagement(vocab, s, grid),
        doubling_check(control, assay),
        {"untreated": _course(control), **{f"{x:g}": _course(g) for x, g in zip(grid, treated)}},
        list(bg.mutations),
        {**medium, **dict(bg.env)},
    )


def _combo_grid() -> list[float]:
    return [float(x) for x in np.geomspace(1 / GRID_WIDTH, GRID_WIDTH, GRID_POINTS)]


def _check_dosable(bundle: Perturbing) -> None:
    first_ic50(bundle)
    for p in bundle.perturbations:
        if not isinstance(p, SetNode):
            raise MtorsimError(
                f"drug {bundle.name} {p.describe()}: a dose engages node holds only; an edge cut or a replaced "
                "rule acts all or nothing (hold a drug-bound node instead)"
            )


def viability_at_reference(
    net: Network,
    vocab: Vocabulary,
    background: Background,
    treatments: Sequence[Sequence[str]],
    assay: Assay,
    env: Mapping[str, int] | None = None,
) -> dict[tuple[str, ...], tuple[float, float]]:
    """Each treatment's relative viability (and its standard error) in ``background`` with every
    drug at its reference dose (clinical free Cmax where known): the assay at the dose a
    patient's tumour sees. The untreated cells are the control of every treatment (the same
    cells), so the standard error is the delta-method one of a ratio of paired means."""
    sets = [tuple(vocab.drug(d).name for d in t) for t in treatments if t]
    for s in sets:
        for d in s:
            _check_dosable(vocab.drug(d))
    grids = [[1.0] if len(s) > 1 else [reference_dose(vocab.drug(s[0]))[0]] for s in sets]
    pop = _plan(net, vocab, background, dict(env or {}), sets, grids, potency_strata(assay))
    _grow(net, vocab, pop, assay, lambda: None)
    control = np.exp(pop.grown[()].log_growth)
    out: dict[tuple[str, ...], tuple[float, float]] = {(): (1.0, 0.0)}
    for s, points in zip(sets, pop.shares):
        treated = np.exp(_mixture([(w, pop.grown[key]) for key, w in points[0].items()]).log_growth)
        ratio = float(treated.mean() / control.mean())
        se = float(np.std(treated - ratio * control, ddof=1) / (control.mean() * math.sqrt(len(control))))
        out[s] = (ratio, se)
    return out


def viability(net: Network, vocab: Vocabulary, treatment: Treatment, assay: Assay) -> tuple[float, float]:
    """The relative viability (and its standard error) of one treatment's cells against the
    same cells untreated: its drugs at their given doses, else at their reference doses, each
    potency stratum weighing the engagement regimes."""
    names = [vocab.drug(g.name).name for g in treatment.drugs]
    if not names:
        return 1.0, 0.0
    given = {vocab.drug(k).name: v for k, v in treatment.doses.items()}
    for d in names:
        _check_dosable(vocab.drug(d))
    doses = {d: given.get(d, reference_dose(vocab.drug(d))[0]) for d in names}
    untreated = resolve(net, vocab, treatment.without_drugs())
    grown: dict[Key, Growth] = {(): grow(untreated.net, vocab, untreated.baseline, [], assay)}
    shares: dict[Key, float] = {}
    strata = potency_strata(assay)
    for m in strata:
        r = resolve(net, vocab, treatment.with_drugs(names, {d: x / m for d, x in doses.items()}))
        for reg in regimes(r.drug_holds()):
            shares[reg.key] = shares.get(reg.key, 0.0) + reg.weight / len(strata)
            if reg.key not in grown:
                grown[reg.key] = grow(r.net, vocab, r.baseline, list(reg.holds), assay)
    control = np.exp(grown[()].log_growth)
    treated = np.exp(_mixture([(w, grown[key]) for key, w in shares.items()]).log_growth)
    ratio = float(treated.mean() / control.mean())
    se = float(np.std(treated - ratio * control, ddof=1) / (control.mean() * math.sqrt(len(control))))
    return ratio, se
