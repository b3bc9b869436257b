"""Tumour and normal contexts under the same doses.

The tumour is the viability assay of ``mtorsim.response`` over a dose grid. Each context (a
model of normal tissue whose vocabulary shares the tumour's drugs, ``[model.contexts]``) gets the
same doses: each dose engages each target in a share of its cells by the same potency (Hill
occupancy over the same potency strata), and a context readout at that dose is the mix of its
engagement regimes' graded means (``scenarios.estimate``), each regime simulated once.

The efficacy dose is where tumour viability falls to ``1 - tumour_goal``; a context readout's
toxicity dose is where it first moves more than ``tolerance`` from untreated (either way); both
by log-linear interpolation on the grid. The window is [efficacy dose, lowest toxicity dose]
when the first is below the second; the selectivity is their ratio (a therapeutic index).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mtorsim.errors import MtorsimError
from mtorsim.model.load import Model
from mtorsim.response.assay import Assay
from mtorsim.response.curves import Background, Curve, dose_response, drug_doses, potency_strata
from mtorsim.response.metrics import crossing
from mtorsim.scenarios.estimate import EstimateSettings, estimate_readouts
from mtorsim.treatment.regimes import regimes
from mtorsim.treatment.resolve import resolve
from mtorsim.treatment.treatment import Treatment


@dataclass
class ContextCurve:
    """One context readout over the dose grid."""

    context: str
    readout: str
    doses: list[float]
    values: list[float]
    untreated: float
    threshold: float | None
    censored: str | None
    targets: list[str]
    not_assessed: str | None = None  # a drug's target missing from this context model: harm unknown, not nil

    def to_dict(self) -> dict[str, Any]:
        return {
            "not_assessed": self.not_assessed,
            "readout": self.readout,
            "doses": self.doses,
            "values": self.values,
            "untreated": self.untreated,
            "threshold": self.threshold,
            "threshold_censored": self.censored,
            "targets": self.targets,
        }


@dataclass
class WindowResult:
    """The tumour curve, the context curves, the window and the selectivity.

    Parameters
    ----------
    drugs : list of str
        The treatment (one drug, or a fixed-ratio combination).
    tumour : Curve
        The tumour's dose-response (``mtorsim.response``).
    contexts : dict
        Context name -> its readouts' curves over the same doses.
    efficacy_dose : float or None
        Where tumour viability falls to ``1 - tumour_goal`` (None: not on the grid, see
        ``efficacy_censored``).
    toxicity_dose : float or None
        The lowest dose at which a context readout moves more than ``tolerance``; ``limiting``
        names it.
    window : list of float or None
        [efficacy dose, toxicity dose] (the upper end None when no readout moves on the grid);
        None when there is no such range.
    selectivity : float or None
        Toxicity dose / efficacy dose (a therapeutic index; None when either is off the grid).
    settings : dict
        Genotype, medium, goal, tolerance, the assay, the contexts.
    notes : list of str
        What the numbers rest on.
    """

    drugs: list[str]
    tumour: Curve
    contexts: dict[str, list[ContextCurve]]
    efficacy_dose: float | None
    efficacy_censored: str | None
    toxicity_dose: float | None
    limiting: str | None
    window: list[float | None] | None
    selectivity: float | None
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "drugs": self.drugs,
            "unit": self.tumour.unit,
            "doses": self.tumour.doses,
            "tumour": self.tumour.to_dict(),
            "contexts": {k: [c.to_dict() for c in v] for k, v in self.contexts.items()},
            "efficacy_dose": self.efficacy_dose,
            "efficacy_censored": self.efficacy_censored,
            "toxicity_dose": self.toxicity_dose,
            "limiting": self.limiting,
            "window": self.window,
            "selectivity": self.selectivity,
            "selectivity_at_least": self.selectivity_at_least,
            "assessed": self.assessed,
            "settings": self.settings,
            "notes": self.notes,
        }

    def to_dataframe(self) -> Any:
        """One row per dose: tumour viability, then each context readout as ``context:readout``
        (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        d = self.tumour.to_dict()
        columns: dict[str, list[Any]] = {"dose": list(self.tumour.doses), "tumour_viability": d["viability"]}
        for name, curves in self.contexts.items():
            for c in curves:
                columns[f"{name}:{c.readout}"] = list(c.values)
        return to_dataframe(columns, index="dose")

    @property
    def assessed(self) -> bool:
        """Whether any context could assess the treatment (its targets are in that model)."""
        return any(c.not_assessed is None for cs in self.contexts.values() for c in cs)

    @property
    def selectivity_at_least(self) -> float | None:
        """When no normal readout moves on the grid: top dose / efficacy dose, a lower bound of
        the selectivity (None otherwise)."""
        if self.toxicity_dose is None and self.efficacy_dose is not None and self.assessed:
            return round(self.tumour.doses[-1] / self.efficacy_dose, 6)
        return None

    def plot(self, path: str | None = None, title: str | None = None, overwrite: bool = False) -> Any:
        """Tumour viability and the context readouts on one dose axis, the window shaded (a
        matplotlib Figure, saved to ``path`` when given, an existing file only with
        ``overwrite``)."""
        from mtorsim.plots.window import plot_window
        from mtorsim.util.safeio import check_figure

        check_figure(path, overwrite)
        return plot_window(self, path, title=title)


def context_curves(
    name: str,
    model: Model,
    drugs: Sequence[str],
    doses_at: Sequence[Mapping[str, float]],
    grid: Sequence[float],
    readouts: Sequence[str],
    env: Mapping[str, int],
    settings: EstimateSettings,
    strata: Sequence[float],
    tolerance: float,
) -> list[ContextCurve]:
    """The context's readouts at each dose (``doses_at[i]``: drug -> dose at grid point i)."""
    vocab = model.vocabulary
    assert vocab is not None
    for r in readouts:
        if r not in vocab.readouts:
            raise MtorsimError(f"context {name}: no readout '{r}' in {vocab.source}")
    names = [vocab.drug(d).name for d in drugs]
    base = Treatment.of(env=env)
    untreated = resolve(model.network, vocab, base)
    cache: dict[tuple[tuple[str, int], ...], dict[str, dict]] = {}

    def regime(key: tuple[tuple[str, int], ...], holds: Sequence[Any]) -> dict[str, dict]:
        if key not in cache:
            cache[key] = estimate_readouts(model.network, vocab, untreated.baseline, holds, settings)
        return cache[key]

    control = regime((), [])
    values: dict[str, list[float]] = {r: [] for r in readouts}
    for doses in doses_at:
        mixed = {r: 0.0 for r in readouts}
        for m in strata:
            t = base.with_drugs(names, {d: x / m for d, x in doses.items()})
            res = resolve(model.network, vocab, t)
            for reg in regimes(res.drug_holds()):
                est = regime(reg.key, reg.holds)
                for r in readouts:
                    mixed[r] += reg.weight * est[r]["mean"] / len(strata)
        for r in readouts:
            values[r].append(round(mixed[r], 6))
    targets = sorted({p.node for d in names for p in vocab.drug(d).perturbations})
    missing = [f"{d}: {vocab.drug(d).info['not_modelled']}" for d in names if vocab.drug(d).info.get("not_modelled")]
    out = []
    for r in readouts:
        u = float(control[r]["mean"])
        moved = [-abs(v - u) for v in values[r]]
        threshold, censored = crossing(grid, moved, -tolerance)
        out.append(
            ContextCurve(
                name,
                r,
                [float(x) for x in grid],
                values[r],
                round(u, 6),
                threshold,
                censored,
                targets,
                "; ".join(missing) or None,
            )
        )
    return out


def therapeutic_window(
    model: Model,
    contexts: Mapping[str, tuple[Model, Sequence[str], Mapping[str, int]]],
    background: Background,
    drugs: Sequence[str],
    assay: Assay,
    *,
    doses: Sequence[float] | None = None,
    env: Mapping[str, int] | None = None,
    tumour_goal: float = 0.5,
    tolerance: float = 0.2,
    progress: Callable[[int, int], None] | None = None,
) -> WindowResult:
    """The window of one treatment (see the module docstring)."""
    if not 0 < tumour_goal < 1:
        raise MtorsimError(f"`tumour_goal` must be in (0, 1) (the fall in viability sought), not {tumour_goal!r}")
    if not 0 < tolerance < 1:
        raise MtorsimError(f"`tolerance` must be in (0, 1) (the change of a normal readout allowed), not {tolerance!r}")
    vocab = model.vocabulary
    assert vocab is not None
    names = [vocab.drug(d).name for d in drugs]
    res = dose_response(model.network, vocab, [background], [names], assay, doses, env, progress)
    (curve,) = res.curves
    doses_at = [drug_doses(vocab, names, x) for x in curve.doses]
    strata = list(potency_strata(assay))
    settings = EstimateSettings(runs=assay.runs, seed=assay.seed, threads=assay.threads)
    curves = {
        name: context_curves(name, m, names, doses_at, curve.doses, readouts, cenv, settings, strata, tolerance)
        for name, (m, readouts, cenv) in contexts.items()
    }
    efficacy, censored, toxic, limiting, window, selectivity = assess(curve, curves, tumour_goal)
    notes = _notes(curve, efficacy, censored, toxic, limiting, tumour_goal, tolerance, vocab, names)
    notes += sorted({f"{k} not assessed ({c.not_assessed})" for k, cs in curves.items() for c in cs if c.not_assessed})
    return WindowResult(
        names,
        curve,
        curves,
        efficacy,
        censored,
        toxic,
        limiting,
        window,
        selectivity,
        {
            "background": background.label,
            "mutations": list(background.mutations),
            "environment": dict(env or {}),
            "tumour_goal": tumour_goal,
            "tolerance": tolerance,
            "assay": assay.to_dict(),
            "contexts": {
                k: {"model": str(m.path), "readouts": list(r), "env": dict(e)} for k, (m, r, e) in contexts.items()
            },
        },
        notes,
    )


def assess(
    curve: Curve, curves: Mapping[str, Sequence[ContextCurve]], tumour_goal: float
) -> tuple[float | None, str | None, float | None, str | None, list[float | None] | None, float | None]:
    """(efficacy dose, its censoring, toxicity dose, the readout that limits, window,
    selectivity) from a tumour curve and the context curves on its grid."""
    efficacy, censored = crossing(curve.doses, curve.measures["viability"], 1 - tumour_goal)
    watched = [(name, c) for name, cs in curves.items() for c in cs if c.not_assessed is None]
    limits = [(c.threshold, f"{name}:{c.readout}") for name, c in watched if c.threshold is not None]
    starts_toxic = [f"{name}:{c.readout}" for name, c in watched if c.censored == "<"]
    toxic, limiting = min(limits) if limits else (None, None)
    if starts_toxic:
        toxic, limiting = curve.doses[0], starts_toxic[0]
    window: list[float | None] | None = None
    if efficacy is not None and (toxic is None or efficacy < toxic):
        window = [efficacy, toxic]
    elif censored == "<" and (toxic is None or curve.doses[0] < toxic):
        window = [curve.doses[0], toxic]
    selectivity = None if efficacy is None or toxic is None else round(toxic / efficacy, 6)
    return efficacy, censored, toxic, limiting, window, selectivity


def _notes(
    curve: Curve,
    efficacy: float | None,
    censored: str | None,
    toxic: float | None,
    limiting: str | None,
    goal: float,
    tolerance: float,
    vocab: Any,
    names: Sequence[str],
) -> list[str]:
    top = curve.doses[-1]
    unit = curve.unit
    out = []
    if efficacy is None:
        out.append(
            f"the tumour's viability does not fall to {1 - goal:g} on the grid (up to {top:g} {unit})"
            if censored == ">"
            else f"the tumour's viability is already below {1 - goal:g} at the lowest dose"
        )
    if toxic is None:
        out.append(f"no assessed normal readout moves more than {tolerance:g} on the grid (up to {top:g} {unit})")
    else:
        out.append(f"the first normal readout to move more than {tolerance:g}: {limiting} at {toxic:.3g} {unit}")
    for d in names:
        free = curve.exposure.get(d, {}).get("free_cmax")
        if free:
            out.append(f"{d}: clinical free Cmax {free:.3g} {vocab.drug(d).unit}")
    return out
