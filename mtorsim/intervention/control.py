"""``control``: search, expand, check robustness, estimate, rank."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import variables
from mtorsim.intervention.evaluate import Evaluator
from mtorsim.intervention.goal import Goal
from mtorsim.intervention.result import ControlResult
from mtorsim.intervention.search import BUDGET, Solution, drug_elements, expand, node_elements, search
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.scenarios.estimate import EstimateSettings, estimate_readouts


def readout_nodes(vocab: Vocabulary, readout: str) -> list[str]:
    """The nodes a readout reads (through combined readouts)."""
    r = vocab.readouts[readout]
    if r.combine:
        return [n for part, _ in r.combine for n in readout_nodes(vocab, part)]
    if r.formula is not None:
        return [v.name for v in variables(r.formula)]
    return list(r.levels)


def candidate_drugs(vocab: Vocabulary, names: Sequence[str] | None) -> list[str]:
    """Canonical names of the drugs to search (default: every drug with a target in the model)."""
    if names:
        out = []
        for n in names:
            d = vocab.drug(n).name
            if d not in out:
                out.append(d)
        return out
    return [n for n, b in vocab.drugs.items() if b.name == n and b.perturbations]


def drug_control(
    net: Network,
    vocab: Vocabulary,
    goal: Goal,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    background: str = "wildtype",
    base_drugs: Sequence[str] = (),
    candidates: Sequence[str] | None = None,
    doses: Mapping[str, float] | None = None,
    max_size: int = 3,
    any_node: bool = False,
    backgrounds: Sequence[tuple[str, tuple[str, ...]]] = (),
    estimate: EstimateSettings | None = None,
    top: int = 10,
    budget: int = BUDGET,
    progress: Callable[[int, int], None] | None = None,
) -> ControlResult:
    """The minimal sets of ``candidates`` (added to ``base_drugs``) that meet ``goal`` in every
    attractor, ranked; the ``top`` first get the graded estimate when ``estimate`` is given."""
    ev = Evaluator(net, vocab, env)
    doses = {vocab.drug(k).name: float(v) for k, v in (doses or {}).items()}
    base = [vocab.drug(d).name for d in base_drugs]
    names = [d for d in candidate_drugs(vocab, candidates) if d not in base]
    elements, inactive = drug_elements(ev, mutations, names, doses)
    if any_node:
        elements += node_elements(ev, mutations, readout_nodes(vocab, goal.readout))
    start = ev.outcome(mutations, base, {d: v for d, v in doses.items() if d in base})
    found, searched, complete = search(ev, goal, mutations, elements, base, max_size, doses, budget, progress)
    solutions: list[Solution] = []
    met = found == [()]
    for combo in [] if met else found:
        solutions.append(expand(ev, goal, mutations, combo, base, doses, backgrounds, rank_solution))
    solutions.sort(key=rank_solution)
    notes = _notes(goal, complete, max_size, inactive, any_node, budget)
    if met:
        notes.insert(0, f"{goal} holds in every attractor already ({' + '.join(base) or 'untreated'}): nothing to add")
    if estimate is not None:
        for s in solutions[:top]:
            s.estimate = _graded(ev, vocab, goal, mutations, base + s.drugs, doses, s.nodes, estimate)
        if solutions:
            notes.append(
                f"graded estimate ({estimate.runs} continuous-time trajectories, partial engagement as a share of "
                f"cells) for the first {min(top, len(solutions))} solutions; the attractors treat a target "
                "engaged at least half as fully inhibited"
            )
    settings = {
        "drugs": base,
        "candidates": len(names),
        "classes": [list(e.members) for e in elements if e.is_drug],
        "nodes": len([e for e in elements if not e.is_drug]),
        "inactive": inactive,
        "doses": doses,
        "max_size": max_size,
        "update": "sync and async attractors",
        "evaluations": ev.calls,
    }
    return ControlResult(
        str(goal), background, start.value(goal.readout, goal.low), solutions, complete, searched, settings, notes
    )


def rank_solution(s: Solution) -> tuple:
    """Sort key: size, robustness, dose margin, selectivity, names."""
    lowest = (s.robustness.get("doses") or {}).get("lowest")
    margin = math.log2(lowest) if lowest else 0.0
    sel = -(s.selectivity or 0.0)
    return (s.size, -s.score(), margin, sel, s.drugs, sorted(s.nodes))


def _graded(
    ev: Evaluator,
    vocab: Vocabulary,
    goal: Goal,
    mutations: Sequence[str],
    drugs: Sequence[str],
    doses: Mapping[str, float],
    nodes: Mapping[str, int],
    settings: EstimateSettings,
) -> float:
    r = ev.resolved(mutations, drugs, {d: v for d, v in doses.items() if d in drugs}, nodes)
    est = estimate_readouts(r.net, vocab, r.baseline, r.drug_holds(), settings)
    return float(est[goal.readout]["mean"])


def _notes(goal: Goal, complete: bool, max_size: int, inactive: list[str], any_node: bool, budget: int) -> list[str]:
    notes = [
        f"a set is a solution when every attractor meets {goal} (sync and async attractors decided exactly: "
        "percolation, else the attractor search); solutions are minimal: no proper subset of their drug "
        "classes meets the goal"
    ]
    if not complete:
        notes.append(f"the search stopped after {budget} sets: larger sets were not all tried (complete: false)")
    else:
        notes.append(f"every set of up to {max_size} classes was decided (complete)")
    if inactive:
        notes.append("engage no target at least half at their doses, so not searched: " + ", ".join(inactive[:12]))
    if any_node:
        notes.append("node interventions are targets, not treatments, unless a drug of the vocabulary holds them")
    return notes


def check_max_size(max_size: int) -> None:
    if isinstance(max_size, bool) or not isinstance(max_size, int) or not 1 <= max_size <= 5:
        raise MtorsimError(f"`max_drugs` must be a whole number from 1 to 5, not {max_size!r}")
