"""One screen cell: a scenario's readouts, whether its search was complete, whether a cycle
moves a readout, and the holds it resolved; normalised so stored and fresh cells print alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.treatment.treatment import Treatment
from mtorsim.types import AttractorUpdate, Method


def _num(v):
    return None if v is None else float(v)


def run_cell(
    net: Network,
    vocab: Vocabulary,
    env: Mapping[str, int],
    mutations: Sequence[str],
    treatment: Sequence[str],
    update: str,
    method: str,
    options: Mapping,
    threads: int | None = None,
) -> dict:
    """One cell: a scenario's readouts (min, max over attractors; mean, the graded estimate, and
    its se; attractor_mean), whether the attractor search was complete and whether a cyclic
    attractor moves a node that a readout reads. ``options["estimate"]`` holds the estimate
    settings (None: attractors only); ``threads`` the estimate's worker threads (1 in screen
    workers, so that --jobs N processes use N cores, not N times all of them)."""
    from mtorsim.scenarios.estimate import EstimateSettings
    from mtorsim.scenarios.scenario import run_scenario

    options = dict(options)
    est = options.pop("estimate", {})
    estimate = None if est is None else EstimateSettings(**{**est, "threads": threads})
    res = run_scenario(
        net,
        vocab,
        Treatment.of(env, mutations, treatment),
        cast(AttractorUpdate, update),  # checked by the attractor search
        cast(Method, method),
        estimate=estimate,
        **options,
    )
    return {
        "readouts": {
            k: {key: _num(v.get(key)) for key in ("min", "max", "mean", "se", "attractor_mean")}
            for k, v in res.readouts.items()
        },
        "complete": bool(res.attractors.complete),
        "oscillating": oscillates(res.attractors, readout_nodes(vocab)),
        "holds": res.settings["holds"],
    }


def readout_nodes(vocab: Vocabulary) -> set[str]:
    """Every node a readout reads."""
    from mtorsim.formats.ast import names

    out: set[str] = set()
    for r in vocab.readouts.values():
        out |= set(r.levels) | (set(names(r.formula)) if r.formula is not None else set())
    return out


def oscillates(result, nodes: set[str]) -> bool:
    """Whether a cyclic attractor moves any of ``nodes`` (or an unresolved candidate may)."""
    if result.candidates:
        return True
    idx = [i for i, n in enumerate(result.nodes) if n in nodes]
    return any(a.kind != "fixed" and any(a.activity[i] not in (0.0, 1.0) for i in idx) for a in result.attractors)


CELL_KEYS = ("min", "max", "mean", "se", "attractor_mean")


def normalise_cell(cell: Mapping, vocab: Vocabulary) -> dict:
    """A cell with its readouts in vocabulary order and fixed keys, however it was made (fresh
    or read back from a database), so resumed and uninterrupted screens print the same bytes."""
    readouts = cell["readouts"]
    return {
        "readouts": {k: {key: readouts[k].get(key) for key in CELL_KEYS} for k in vocab.readouts if k in readouts},
        "complete": bool(cell["complete"]),
        "oscillating": bool(cell.get("oscillating", False)),
        "holds": list(cell.get("holds", [])),
    }
