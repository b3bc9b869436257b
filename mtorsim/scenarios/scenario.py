"""Scenarios: a genotype, an environment and drugs -> attractors and pathway readouts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import numpy as np

from mtorsim.attractors.search import Attractor, AttractorResult, find_attractors
from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import Var, evaluate
from mtorsim.model.vocabulary import Readout, Vocabulary
from mtorsim.network import Network
from mtorsim.scenarios.estimate import EstimateSettings
from mtorsim.scenarios.result import ScenarioResult
from mtorsim.treatment.pharmacology import efficacy
from mtorsim.treatment.resolve import ENGAGED, resolve
from mtorsim.treatment.treatment import Treatment
from mtorsim.types import AttractorUpdate, Method

DEFAULT_ESTIMATE = EstimateSettings()
SCENARIO_EXHAUSTIVE = 24
"""Free nodes up to which a scenario's sync attractors are searched exhaustively by default (2^24
states, about a second); above, they are sampled (complete: false) and the graded estimate
carries the answer. ``--method exhaustive`` searches further."""


def readout_value(
    r: Readout, a: Attractor, nodes: list[str], readouts: Mapping[str, Readout] | None = None
) -> float | None:
    """Mean of the readout over the attractor's states; from activity when a readout is a
    single node and the states are not listed; None when it cannot be computed. A combined
    readout is the weighted sum of its parts."""
    if r.combine:
        parts = [(readout_value((readouts or {})[name], a, nodes, readouts), w) for name, w in r.combine]
        known = [(v, w) for v, w in parts if v is not None]
        return None if len(known) < len(parts) else float(sum(v * w for v, w in known))
    if r.formula is not None and isinstance(r.formula, Var) and a.states is None:
        return float(a.activity[nodes.index(r.formula.name)])
    if a.states is None:
        return None
    vals = []
    for s in a.states:
        env = dict(zip(nodes, s))
        if r.formula is not None:
            vals.append(float(evaluate(r.formula, cast("Mapping[str, bool]", env))))  # evaluate reads 0/1 with bool()
        else:
            v = 0.0
            for lv, w in zip(r.levels, r.weights):
                if env[lv]:
                    v = w
            vals.append(v)
    return float(np.mean(vals))


def _kleene(e, env: Mapping[str, int | None]) -> int | None:
    """Three-valued value of ``e`` (None: depends on free nodes)."""
    from mtorsim.formats.ast import And, Const, Not

    if isinstance(e, Const):
        return int(e.value)
    if isinstance(e, Var):
        return env[e.name]
    if isinstance(e, Not):
        v = _kleene(e.arg, env)
        return None if v is None else 1 - v
    vals = [_kleene(a, env) for a in e.args]
    stop = 0 if isinstance(e, And) else 1
    if stop in vals:
        return stop
    return None if None in vals else 1 - stop


def candidate_range(
    r: Readout, space: str, nodes: list[str], readouts: Mapping[str, Readout] | None = None
) -> tuple[float, float]:
    """(lowest, highest) value ``r`` can take in a trap space (``space``: one character per node,
    '0', '1' or '*' free): sound bounds for an unresolved candidate's attractors."""
    import itertools

    env = {n: (None if c == "*" else int(c)) for n, c in zip(nodes, space)}
    if r.combine:
        parts = [(candidate_range((readouts or {})[name], space, nodes, readouts), w) for name, w in r.combine]
        return (sum(lo * w for (lo, _), w in parts), sum(hi * w for (_, hi), w in parts))
    if r.formula is not None:
        v = _kleene(r.formula, env)
        return (0.0, 1.0) if v is None else (float(v), float(v))
    free = [lv for lv in r.levels if env[lv] is None]
    scores = []
    for combo in itertools.product((0, 1), repeat=len(free)):
        on = {**{lv: env[lv] for lv in r.levels}, **dict(zip(free, combo))}
        score = 0.0
        for lv, w in zip(r.levels, r.weights):
            if on[lv]:
                score = w
        scores.append(score)
    return (min(scores), max(scores))


def summarise(r: Readout, result: AttractorResult, readouts: Mapping[str, Readout] | None = None) -> dict:
    """min/max over the attractors and, as bounds, over the trap spaces of unlisted attractors
    and of unresolved candidates; mean over the listed attractors (basin-weighted)."""
    values = [readout_value(r, a, result.nodes, readouts) if a.size is not None else None for a in result.attractors]
    known = [(v, a) for v, a in zip(values, result.attractors) if v is not None]
    spaces = [c["trap_space"] for c in result.candidates] + [a.space for a in result.attractors if a.size is None]
    ranges = [candidate_range(r, space, result.nodes, readouts) for space in spaces]
    if not known:
        if ranges:
            return {
                "min": min(lo for lo, _ in ranges),
                "max": max(hi for _, hi in ranges),
                "mean": None,
                "values": values,
            }
        return {"min": None, "max": None, "mean": None, "values": values}
    basins = [a.basin for _, a in known if a.basin is not None]
    if len(basins) == len(known) and sum(basins) > 0:
        mean = sum(v * b for (v, _), b in zip(known, basins)) / sum(basins)
    else:
        mean = float(np.mean([v for v, _ in known]))
    vs = [v for v, _ in known]
    lo = min(vs + [x for x, _ in ranges])
    hi = max(vs + [x for _, x in ranges])
    return {"min": lo, "max": hi, "mean": round(mean, 12), "values": values}


def run_scenario(
    net: Network,
    vocab: Vocabulary,
    treatment: Treatment | None = None,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    estimate: EstimateSettings | None = DEFAULT_ESTIMATE,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    doses: Mapping[str, float] | None = None,
    **options,
) -> ScenarioResult:
    """Apply the treatment, find the attractors, evaluate every readout in each, and (unless
    ``estimate`` is None) estimate each readout's graded value in continuous time
    (``mtorsim.scenarios.estimate``): ``mean`` is that estimate, ``min``/``max`` span the
    attractors, ``attractor_mean`` is their basin-weighted mean. Efficacies (from doses, or
    the vocabulary's) act in the estimate; the attractor search treats every inhibition as
    complete. Drugs act from the end of the estimate's burn-in, so they take no window here."""
    from mtorsim.scenarios.estimate import estimate_readouts

    if treatment is None:
        treatment = Treatment.of(env, mutations, drugs, doses)
    elif not isinstance(treatment, Treatment):
        raise MtorsimError(f"`treatment` must be a mtorsim.Treatment, not {type(treatment).__name__}")
    elif env or mutations or drugs or doses:
        raise MtorsimError("give either `treatment` or its parts (`env`, `mutations`, `drugs`, ...), not both")
    for g in treatment.mutations + treatment.drugs:
        if g.scheduled:
            raise MtorsimError(
                f"{g.text}: a scenario's drugs act from the end of the burn-in and its mutations throughout; "
                "give the name without a window (simulate takes windows)"
            )
    resolved = resolve(net, vocab, treatment)
    efficacy = drug_efficacies(vocab, treatment)
    warnings = []
    partial = {d: e for d, e in efficacy.items() if e < 1}
    if partial and estimate is None:
        warnings.append(
            "efficacy below 1 ("
            + ", ".join(f"{n}: {e:.3g}" for n, e in partial.items())
            + ") acts in the continuous-time estimate, which is switched off; the attractors hold a "
            f"target fully where it is engaged at least {ENGAGED:g} and not at all below"
        )
    options.setdefault("auto_exhaustive", SCENARIO_EXHAUSTIVE)
    options.setdefault("basins", "reduced")  # weights for attractor_mean; percolation keeps the search small
    result = find_attractors(resolved.net, update, method, fixed=resolved.fixed(ENGAGED), **options)
    readouts = {name: summarise(r, result, vocab.readouts) for name, r in vocab.readouts.items()}
    for r in readouts.values():
        r["attractor_mean"] = r["mean"]
        r["se"] = None
    settings = {
        "environment": resolved.medium,
        "mutations": [vocab.mutation(m).name for m in treatment.mutation_names],
        "drugs": [vocab.drug(d).name for d in treatment.drug_names],
        "doses": {vocab.drug(d).name: v for d, v in treatment.doses.items()},
        "efficacy": {d: round(e, 12) for d, e in efficacy.items()},
        "holds": resolved.records(),
    }
    if estimate is not None:
        for name, est in estimate_readouts(
            resolved.net, vocab, resolved.baseline, resolved.drug_holds(), estimate
        ).items():
            readouts[name]["mean"] = est["mean"]
            readouts[name]["se"] = est["se"]
        settings["estimate"] = estimate.to_dict()
    result.treatment = {k: settings[k] for k in ("mutations", "drugs", "doses", "holds")}
    notes = reading_notes(readouts, vocab.readouts, partial, [a.kind for a in result.attractors])
    return ScenarioResult(result, readouts, list(resolved.conflicts), warnings, settings, notes)


def reading_notes(
    readouts: dict, defined: Mapping[str, Readout], partial: Mapping[str, float], kinds: Sequence[str]
) -> list[str]:
    """What a reader of the readout table would otherwise misread: a graded mean outside the
    attractors' range, and a level readout at a lower level in a fixed point (``kinds``: each
    attractor's kind; in a cycle a value is an average, not a level)."""
    notes = []
    outside = [
        n
        for n, r in readouts.items()
        if r.get("se") is not None and r["min"] is not None and not (r["min"] - 0.005 <= r["mean"] <= r["max"] + 0.005)
    ]
    if outside:
        why = (
            "the attractors hold each drug's targets fully (engaged at least "
            f"{ENGAGED:g}), the estimate engages them in a share of cells ("
            + ", ".join(f"{d} {e:.0%}" for d, e in partial.items())
            + ") and averages the rest as untreated"
            if partial
            else "the attractors are where the discrete dynamics settle; the estimate averages "
            "continuous-time runs over its window, some not yet settled"
        )
        notes.append(f"the graded mean of {_some(outside)} lies outside the attractors' [min, max]: {why}")
    leveled = []
    for n, r in readouts.items():
        d = defined.get(n)
        if d is None or len(d.levels) < 2:
            continue
        steps = {w: lv for w, lv in zip(d.weights, d.levels)}
        for v, kind in zip(r["values"], kinds):
            if kind == "fixed" and v is not None and v in steps and v != max(d.weights):
                above = d.levels[d.weights.index(max(d.weights))]
                leveled.append(f"{n} {v:g} = {steps[v]} on, {above} off")
                break
    if leveled:
        notes.append(
            "a level readout takes the weight of its highest level that is on: "
            + "; ".join(leveled[:4])
            + (f"; and {len(leveled) - 4} more" if len(leveled) > 4 else "")
        )
    return notes


def _some(names: list[str], k: int = 5) -> str:
    return ", ".join(names[:k]) + (f" and {len(names) - k} more" if len(names) > k else "")


def drug_efficacies(vocab: Vocabulary, treatment: Treatment) -> dict[str, float]:
    """Each drug's efficacy (on its first target), by canonical name, in the treatment's order."""
    out = {}
    for g in treatment.drugs:
        bundle = vocab.drug(g.name)
        dose = next((v for k, v in treatment.doses.items() if vocab.drug(k).name == bundle.name), None)
        if bundle.perturbations:  # a drug with no target in this model engages nothing
            out[bundle.name] = efficacy(bundle, bundle.perturbations[0], dose)
    return out
