"""Control restricted to drugs: the smallest drug sets that bring a readout to a goal.

The search runs on the exact attractors (``intervention.evaluate``): a set is a solution when every
attractor of the treated network meets the goal. Drugs that engage the same targets the same way
at their doses form one class and are tried once; sets are tried by size, and a set holding a
solution is never tried (every solution returned is minimal: no proper subset of its classes
works). Solutions are then checked for robustness (update schemes, other genotypes, a range of
doses) without a further search.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mtorsim.errors import MtorsimError
from mtorsim.intervention.evaluate import Evaluator
from mtorsim.intervention.goal import Goal
from mtorsim.model.vocabulary import SetNode
from mtorsim.treatment.pharmacology import reference_dose
from mtorsim.treatment.resolve import ENGAGED

DOSE_FACTORS = (0.25, 0.5, 1.0, 2.0, 4.0)
"""Multiples of each drug's dose over which a solution's dose robustness is read."""
MAX_CHOICES = 64
"""Member choices of one class-level solution checked for robustness at most."""
BUDGET = 200_000
"""Sets evaluated at most (about 0.5 ms each on the shipped model) before the search stops."""


@dataclass(frozen=True)
class Element:
    """What a set is made of: a class of drugs with the same engaged holds, or a node held."""

    name: str  # the first drug of the class, or "NODE=value"
    members: tuple[str, ...]  # drug names (empty for a node)
    holds: tuple[tuple[str, int], ...]  # engaged holds it adds
    changes: tuple[str, ...] = ()  # edge cuts and rule swaps it adds
    node: tuple[str, int] | None = None  # a node intervention
    drugs_on_node: tuple[str, ...] = ()  # for a node: the drugs that hold it so (any dose)

    @property
    def is_drug(self) -> bool:
        return self.node is None


@dataclass
class Solution:
    """One minimal drug set (or node set) meeting the goal."""

    drugs: list[str]
    nodes: dict[str, int]
    doses: dict[str, float | None]
    value: float | None  # the readout's worst value over the attractors
    certified: str  # "exact" (every attractor known) or "estimate"
    robustness: dict = field(default_factory=dict)
    estimate: float | None = None  # graded continuous-time mean (when estimated)
    selectivity: float | None = None
    equivalents: dict[str, list[str]] = field(default_factory=dict)  # drug -> same-class drugs that also work
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.drugs) + len(self.nodes)

    def score(self) -> float:
        """Mean robustness over the axes assessed (1: works everywhere tried)."""
        vals = [v["fraction"] for v in self.robustness.values() if isinstance(v, dict) and "fraction" in v]
        return sum(vals) / len(vals) if vals else 1.0

    def to_dict(self) -> dict:
        return {
            "drugs": self.drugs,
            "nodes": self.nodes,
            "doses": self.doses,
            "value": self.value,
            "estimate": self.estimate,
            "certified": self.certified,
            "robustness": self.robustness,
            "selectivity": self.selectivity,
            "equivalents": self.equivalents,
            "notes": self.notes,
        }


def drug_elements(
    ev: Evaluator, mutations: Sequence[str], candidates: Sequence[str], doses: Mapping[str, float]
) -> tuple[list[Element], list[str]]:
    """Candidate drugs grouped into classes by what they engage at their doses; and the drugs
    that engage nothing at theirs."""
    base = ev.resolved(mutations)
    base_changes = {repr(c) for c in base.changes}
    groups: dict[tuple, list[str]] = {}
    inactive = []
    for d in candidates:
        dose = {d: doses[d]} if d in doses else None
        r = ev.resolved(mutations, [d], dose)
        holds = tuple(sorted({(h.node, h.value) for h in r.drug_holds() if h.efficacy >= ENGAGED}))
        changes = tuple(sorted(repr(c) for c in r.changes if repr(c) not in base_changes and c.efficacy >= ENGAGED))
        if not holds and not changes:
            inactive.append(d)
            continue
        groups.setdefault((holds, changes), []).append(d)
    elements = [Element(ms[0], tuple(ms), holds, changes) for (holds, changes), ms in groups.items()]
    return elements, inactive


def node_elements(
    ev: Evaluator, mutations: Sequence[str], readout_nodes: Sequence[str], both: bool = False
) -> list[Element]:
    """Every node upstream of the readout that the genotype and medium leave free, set to the
    opposite of its untreated value (target discovery); with ``both``, held at 0 and at 1 (as
    phenotype-control tools search)."""
    from mtorsim.network.feedback import upstream

    net = ev.net
    base = ev.outcome(mutations)
    ups = upstream(net, [net.index(n) for n in readout_nodes])
    by_hold: dict[tuple[str, int], list[str]] = {}
    for name, bundle in ev.vocab.drugs.items():
        if bundle.name != name:
            continue
        for p in bundle.perturbations:
            if isinstance(p, SetNode):
                by_hold.setdefault((p.node, p.value), []).append(name)
    out = []
    for i in sorted(ups):
        n = net.nodes[i]
        if n in base.held or n in readout_nodes:
            continue
        values = (0, 1) if both else (0 if base.activity(n) >= 0.5 else 1,)
        for v in values:
            out.append(Element(f"{n}={v}", (), ((n, v),), node=(n, v), drugs_on_node=tuple(by_hold.get((n, v), ()))))
    return out


def _redundant(combo: Sequence[Element]) -> bool:
    """Two elements of one set holding a node at different values, or one whose holds another
    already has (the set is then a smaller set in disguise)."""
    seen: dict[str, int] = {}
    for e in combo:
        for n, v in e.holds:
            if seen.get(n, v) != v:
                return True
            seen[n] = v
    for a, b in itertools.permutations(combo, 2):
        if not a.changes and not b.changes and set(a.holds) <= set(b.holds):
            return True
    return False


def search(
    ev: Evaluator,
    goal: Goal,
    mutations: Sequence[str],
    elements: Sequence[Element],
    base_drugs: Sequence[str] = (),
    max_size: int = 3,
    doses: Mapping[str, float] | None = None,
    budget: int = BUDGET,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[tuple[Element, ...]], int, bool]:
    """Minimal element sets (added to ``base_drugs``) meeting ``goal`` in every attractor, by size;
    ``[()]`` when ``base_drugs`` meet it already. Returns (solutions, sets evaluated, complete)."""
    if max_size < 1:
        raise MtorsimError(f"the largest set must be at least 1, not {max_size}")
    if _meets(ev, goal, mutations, (), base_drugs, doses):
        return [()], 1, True  # met already: the empty set is the one minimal solution
    found: list[tuple[Element, ...]] = []
    found_sets: list[frozenset[str]] = []
    evaluated = 1
    total = sum(math.comb(len(elements), k) for k in range(1, max_size + 1))
    done = 0
    for k in range(1, max_size + 1):
        for combo in itertools.combinations(elements, k):
            done += 1
            if progress is not None and done % 500 == 0:
                progress(done, total)
            names = frozenset(e.name for e in combo)
            if any(s <= names for s in found_sets) or _redundant(combo):
                continue
            if evaluated >= budget:
                return found, evaluated, False
            evaluated += 1
            if _meets(ev, goal, mutations, combo, base_drugs, doses):
                found.append(combo)
                found_sets.append(names)
    if progress is not None:
        progress(total, total)
    return found, evaluated, True


def _treatment(
    combo: Sequence[Element], base_drugs: Sequence[str], doses: Mapping[str, float] | None, pick: Mapping[str, str]
) -> tuple[list[str], dict[str, float], dict[str, int]]:
    drugs = list(base_drugs) + [pick.get(e.name, e.members[0]) for e in combo if e.is_drug]
    given = {d: v for d, v in (doses or {}).items() if d in drugs}
    nodes = dict(e.node for e in combo if e.node is not None)
    return drugs, given, nodes


def _meets(
    ev: Evaluator,
    goal: Goal,
    mutations: Sequence[str],
    combo: Sequence[Element],
    base_drugs: Sequence[str],
    doses: Mapping[str, float] | None,
    pick: Mapping[str, str] | None = None,
    update: str | None = None,
) -> bool:
    drugs, given, nodes = _treatment(combo, base_drugs, doses, pick or {})
    out = ev.outcome(mutations, drugs, given, nodes, update)  # type: ignore[arg-type]
    return goal.met_by(*out.range(goal.readout))


def expand(
    ev: Evaluator,
    goal: Goal,
    mutations: Sequence[str],
    combo: Sequence[Element],
    base_drugs: Sequence[str],
    doses: Mapping[str, float],
    backgrounds: Sequence[tuple[str, tuple[str, ...]]] = (),
    rank: Callable[[Solution], Any] | None = None,
) -> Solution:
    """A class-level solution as its best drug set (by ``rank``, over the choices of class
    members, at most ``MAX_CHOICES``), with its value and robustness: update schemes (sync and
    async attractors), the other ``backgrounds`` and the doses (``DOSE_FACTORS`` times each
    drug's dose); the other members of each class that also meet the goal are its equivalents."""
    drug_classes = [e for e in combo if e.is_drug]
    out = []
    for choice in itertools.islice(itertools.product(*(e.members for e in drug_classes)), MAX_CHOICES):
        pick = {e.name: d for e, d in zip(drug_classes, choice)}
        drugs, given, nodes = _treatment(combo, base_drugs, doses, pick)
        o = ev.outcome(mutations, drugs, given, nodes)
        rob: dict = {}
        schemes = {u: _meets(ev, goal, mutations, combo, base_drugs, doses, pick, u) for u in ("sync", "async")}
        rob["update"] = {"works": [u for u, ok in schemes.items() if ok], "fraction": sum(schemes.values()) / 2}
        if backgrounds:
            works = [label for label, muts in backgrounds if _meets(ev, goal, muts, combo, base_drugs, doses, pick)]
            rob["backgrounds"] = {"works": works, "fraction": len(works) / len(backgrounds)}
        rob["doses"] = _dose_robustness(ev, goal, mutations, drugs, given, nodes)
        added = [d for d in drugs if d not in base_drugs]
        sol = Solution(
            drugs=added,
            nodes=nodes,
            doses={d: _dose(ev, d, given) for d in added},
            value=o.value(goal.readout, goal.low),
            certified="exact" if o.exact else "estimate",
            robustness=rob,
        )
        for e in combo:
            if e.node is not None and not e.drugs_on_node:
                sol.notes.append(f"no drug in the vocabulary holds {e.name} (a target, not a treatment)")
        out.append(sol)
    best = min(out, key=rank) if rank is not None else out[0]
    for e in drug_classes:
        (chosen,) = [d for d in best.drugs if d in e.members]
        best.equivalents[chosen] = [
            d for d in e.members if d != chosen and any(d in s.drugs and s.value == best.value for s in out)
        ]
    return best


def _dose(ev: Evaluator, drug: str, given: Mapping[str, float]) -> float | None:
    if drug in given:
        return given[drug]
    ref = reference_dose(ev.vocab.drug(drug))
    return None if ref is None else ref[0]


def _dose_robustness(
    ev: Evaluator,
    goal: Goal,
    mutations: Sequence[str],
    drugs: Sequence[str],
    given: Mapping[str, float],
    nodes: Mapping[str, int],
) -> dict:
    """Which multiples of every drug's dose (all scaled together) still meet the goal."""
    base = {d: _dose(ev, d, given) for d in drugs}
    if not drugs or any(v is None for v in base.values()):
        return {"note": "a drug is dosed by efficacy, not concentration: dose range not assessed"}
    works = []
    for f in DOSE_FACTORS:
        scaled = {d: float(v) * f for d, v in base.items() if v is not None}
        o = ev.outcome(mutations, drugs, scaled, nodes)
        if goal.met_by(*o.range(goal.readout)):
            works.append(f)
    return {
        "factors": list(DOSE_FACTORS),
        "works": works,
        "fraction": len(works) / len(DOSE_FACTORS),
        "lowest": min(works) if works else None,
    }
