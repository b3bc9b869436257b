"""Scenarios: a genotype, an environment and drugs -> attractors and pathway readouts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from mtorsim.attractors import Attractor, AttractorResult, find_attractors
from mtorsim.formats.ast import Var, evaluate
from mtorsim.network import Network
from mtorsim.perturb import apply
from mtorsim.vocabulary import Readout, Vocabulary


@dataclass
class ScenarioResult:
    attractors: AttractorResult
    readouts: dict[str, dict]  # name -> {"min", "max", "mean", "values"}
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = self.attractors.to_dict()
        d["readouts"] = {k: {"min": v["min"], "max": v["max"], "mean": v["mean"]} for k, v in self.readouts.items()}
        for a, i in zip(d["attractors"], range(len(d["attractors"]))):
            a["readouts"] = {k: v["values"][i] for k, v in self.readouts.items()}
        d["conflicts"] = self.conflicts
        d["warnings"] = self.warnings
        d["scenario"] = self.settings
        return d


def readout_value(r: Readout, a: Attractor, nodes: list[str]) -> float | None:
    """Mean of the readout over the attractor's states; from activity when a readout is a
    single node and the states are not listed; None when it cannot be computed."""
    if r.formula is not None and isinstance(r.formula, Var) and a.states is None:
        return float(a.activity[nodes.index(r.formula.name)])
    if a.states is None:
        return None
    vals = []
    for s in a.states:
        env = dict(zip(nodes, s))
        if r.formula is not None:
            vals.append(float(evaluate(r.formula, env)))
        else:
            v = 0.0
            for lv, w in zip(r.levels, r.weights):
                if env[lv]:
                    v = w
            vals.append(v)
    return float(np.mean(vals))


def summarise(r: Readout, result: AttractorResult) -> dict:
    values = [readout_value(r, a, result.nodes) for a in result.attractors]
    known = [(v, a) for v, a in zip(values, result.attractors) if v is not None]
    if not known:
        return {"min": None, "max": None, "mean": None, "values": values}
    basins = [a.basin for _, a in known]
    if all(b is not None for b in basins) and sum(basins) > 0:
        mean = sum(v * b for (v, _), b in zip(known, basins)) / sum(basins)
    else:
        mean = float(np.mean([v for v, _ in known]))
    vs = [v for v, _ in known]
    return {"min": min(vs), "max": max(vs), "mean": round(mean, 12), "values": values}


def run_scenario(net: Network, vocab: Vocabulary, env: Mapping[str, int] | None = None,
                 mutations: Sequence[str] = (), drugs: Sequence[str] = (), update: str = "sync",
                 method: str = "auto", **options) -> ScenarioResult:
    """Apply the scenario, find the attractors, evaluate every readout in each."""
    applied = apply(net, vocab, env, mutations, drugs)
    warnings = []
    if applied.efficacy:
        warnings.append(
            "efficacy below 1 ("
            + ", ".join(f"{n}: {e}" for n, e in applied.efficacy.items())
            + ") applies to stochastic simulations only; attractor methods treat the inhibition as complete"
        )
    result = find_attractors(applied.net, update, method, fixed=applied.fixed, **options)
    readouts = {name: summarise(r, result) for name, r in vocab.readouts.items()}
    settings = {"environment": {k: int(env.get(k, d)) for k, (_, d) in vocab.environment.items()} if env is not None
                else {k: d for k, (_, d) in vocab.environment.items()},
                "mutations": list(mutations), "drugs": [vocab.drug(d).name for d in drugs]}
    return ScenarioResult(result, readouts, applied.conflicts, warnings, settings)
