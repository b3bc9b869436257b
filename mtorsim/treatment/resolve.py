"""A treatment applied to a network: ``resolve(net, vocab, treatment)``.

One precedence rule for every analysis: a node held by several entries takes the value of the
highest layer, ``fixed`` (the user's own hold) > drug > mutation > environment; a later entry of
the same layer wins over an earlier one. A hold over another that is not the environment's is
reported (``conflicts``; ``overrides`` for ``fixed``). A hold in a time window applies inside
its window; outside it the node keeps the whole-run hold of the layers below (a drug given from
t=5 over a mutation's hold: the mutation's value until 5, the drug's after). Edge cuts and rule
replacements act for the whole run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import Expr
from mtorsim.model.vocabulary import CutEdge, Perturbing, ReplaceRule, SetNode, Vocabulary
from mtorsim.network import Network
from mtorsim.network.reduction import substitute
from mtorsim.treatment.pharmacology import efficacy
from mtorsim.treatment.records import EdgeCut, Hold, RuleSwap, Source
from mtorsim.treatment.treatment import Given, Treatment

LAYERS = ("environment", "mutation", "drug", "fixed")
ENGAGED = 0.5
"""An exact attractor search holds a node fully or not at all: it takes a target as inhibited when
its hold is engaged at least this much (the graded estimate uses the efficacy itself)."""
PRECEDENCE = "`fixed` > drug > mutation > environment"


@dataclass(frozen=True)
class Resolved:
    """A network with a treatment applied.

    Parameters
    ----------
    net : Network
        The rules after edge cuts and rule swaps.
    holds : tuple of Hold
        The node holds that apply, whole-run and windowed, each with its efficacy and source.
    baseline : dict of str to Hold
        Node -> the whole-run hold of the untreated cell (medium, genotype and ``fixed``).
    changes : tuple of EdgeCut or RuleSwap
        The edge cuts and rule swaps.
    conflicts : tuple of str
        Holds that took over another's (not the environment's).
    overrides : tuple of str
        ``fixed`` holds that took over a vocabulary hold.
    medium : dict of str to int or None
        Every environment condition's value (None: free).
    treatment : Treatment
        What was resolved.
    """

    net: Network
    holds: tuple[Hold, ...]
    baseline: dict[str, Hold]
    changes: tuple[EdgeCut | RuleSwap, ...] = ()
    conflicts: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()
    medium: dict[str, int | None] = field(default_factory=dict)
    treatment: Treatment = field(default_factory=Treatment)

    def fixed(self, min_efficacy: float = 0.0) -> dict[str, int]:
        """Nodes held for the whole run: node -> value; with ``min_efficacy``, only the holds
        engaged at least that much (an exact attractor search holds a node fully or not at all,
        and takes a target as inhibited when a dose engages at least half of it)."""
        return {h.node: h.value for h in self.holds if h.whole_run and h.efficacy >= min_efficacy}

    def scheduled(self) -> list[Hold]:
        """Holds in a time window."""
        return [h for h in self.holds if not h.whole_run]

    def efficacy(self) -> dict[str, float]:
        """Partial holds: node -> efficacy below 1."""
        return {h.node: h.efficacy for h in self.holds if h.efficacy < 1}

    def sources(self) -> dict[str, Source]:
        """Held node -> what holds it (the last hold of the node, for windowed ones)."""
        return {h.node: h.source for h in self.holds if h.source is not None}

    def drug_holds(self) -> list[Hold]:
        """Whole-run holds put on by drugs."""
        return [h for h in self.holds if h.whole_run and h.source is not None and h.source.kind == "drug"]

    def records(self) -> list[dict[str, Any]]:
        """The holds as plain data (results report them)."""
        return [
            {
                "node": h.node,
                "value": h.value,
                "start": h.start,
                "end": h.end,
                "efficacy": h.efficacy,
                "source": None if h.source is None else {"kind": h.source.kind, "name": h.source.name},
            }
            for h in self.holds
        ]

    def to_dict(self) -> dict[str, Any]:
        """Holds, edge cuts, rule swaps, conflicts and the medium as plain data."""

        def source(x: EdgeCut | RuleSwap) -> str | None:
            return None if x.source is None else str(x.source)

        return {
            "holds": self.records(),
            "edge_cuts": [
                {
                    "target": c.target,
                    "regulator": c.regulator,
                    "value": c.value,
                    "efficacy": c.efficacy,
                    "source": source(c),
                }
                for c in self.changes
                if isinstance(c, EdgeCut)
            ],
            "rule_swaps": [
                {"node": c.node, "rule": c.text, "efficacy": c.efficacy, "source": source(c)}
                for c in self.changes
                if isinstance(c, RuleSwap)
            ],
            "conflicts": list(self.conflicts),
            "overrides": list(self.overrides),
            "medium": dict(self.medium),
        }

    def to_dataframe(self) -> Any:
        """One row per hold: node, value, window, efficacy and what put it on (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        rows = [
            {
                **{k: v for k, v in r.items() if k != "source"},
                "source": "" if r["source"] is None else f"{r['source']['kind']} {r['source']['name']}",
            }
            for r in self.records()
        ]
        return to_dataframe(rows or {k: [] for k in ("node", "value", "start", "end", "efficacy", "source")})


@dataclass
class _Node:
    """Holds on one node, by layer: the whole-run one that wins, and the windows above it."""

    base: Hold | None = None
    base_layer: int = -1
    untreated: Hold | None = None  # the winning whole-run hold that is not a drug's
    windows: list[tuple[int, Hold]] = field(default_factory=list)


def _doses(vocab: Vocabulary, treatment: Treatment) -> dict[str, float]:
    """Doses by canonical drug name, each for a drug of the treatment."""
    doses = {vocab.drug(k).name: v for k, v in treatment.doses.items()}
    names = {vocab.drug(d.name).name for d in treatment.drugs}
    for d in doses:
        if d not in names:
            raise MtorsimError(f"a dose is given for {d}, which is not among the drugs of this scenario")
    return doses


def resolve(net: Network, vocab: Vocabulary | None, treatment: Treatment) -> Resolved:
    """Apply ``treatment`` to ``net`` through ``vocab`` (see the module docstring)."""
    if vocab is None:
        if treatment.env or treatment.mutations or treatment.drugs:
            raise MtorsimError(
                "this model has no vocabulary, so `env`, `mutations` and `drugs` cannot be named; give `vocabulary`"
            )
        return _resolve_holds(net, treatment, {}, [], {}, {})
    for name in treatment.env:
        vocab.condition(name)
    medium = vocab.medium(treatment.env)
    doses = _doses(vocab, treatment)
    shifts: dict[str, float] = {}
    for g in treatment.mutations:
        if not g.scheduled:
            for node, fold in vocab.mutation(g.name).shifts.items():
                shifts[node] = shifts.get(node, 1.0) * fold
    nodes: dict[str, _Node] = {}
    conflicts: list[str] = []
    rules = dict(zip(net.nodes, net.rules))
    changes: list[EdgeCut | RuleSwap] = []
    for cname, value in medium.items():
        if value is None:  # a free condition: its nodes follow their rules and initial states
            continue
        for n in vocab.condition(cname)[0]:
            _whole(nodes, Hold(n, value, source=Source("environment", cname)), 0, conflicts)
    for layer, what, givens in ((1, "mutation", treatment.mutations), (2, "drug", treatment.drugs)):
        for g in givens:
            bundle = vocab.drug(g.name) if what == "drug" else vocab.mutation(g.name)
            _bundle(nodes, rules, changes, conflicts, layer, what, g, bundle, doses.get(bundle.name), shifts)
    new = net
    if changes:
        new = Network(net.nodes, tuple(rules[n] for n in net.nodes), net.implicit_inputs, net.source, meta=net.meta)
    return _resolve_holds(new, treatment, nodes, conflicts, medium, {"changes": tuple(changes)})


def _whole(nodes: dict[str, _Node], hold: Hold, layer: int, conflicts: list[str]) -> None:
    """A whole-run hold in ``layer``: it wins over the node's whole-run holds of this layer and
    below (reported unless those are the environment's)."""
    slot = nodes.setdefault(hold.node, _Node())
    prev = slot.base
    if prev is not None and prev.value != hold.value and prev.source is not None and prev.source.kind != "environment":
        conflicts.append(f"{hold.source} holds {hold.node}={hold.value} over {prev.source}'s {hold.node}={prev.value}")
    if layer >= slot.base_layer:
        slot.base, slot.base_layer = hold, layer
    if hold.source is None or hold.source.kind != "drug":
        slot.untreated = hold
        slot.windows = [(lay, w) for lay, w in slot.windows if lay > layer]


def _bundle(
    nodes: dict[str, _Node],
    rules: dict[str, Expr],
    changes: list[EdgeCut | RuleSwap],
    conflicts: list[str],
    layer: int,
    what: str,
    given: Given,
    bundle: Perturbing,
    dose: float | None,
    shifts: Mapping[str, float],
) -> None:
    source = Source("drug" if what == "drug" else "mutation", bundle.name)
    if given.heterozygous and what == "drug":
        raise MtorsimError(f"{given.text}: ':het' (one altered allele) applies to mutations, not drugs")
    if given.heterozygous and bundle.heterozygous == 0:  # one allele of a gene that needs both: no effect
        return
    for p in bundle.perturbations:
        fold = shifts.get(p.node, 1.0) if what == "drug" else 1.0
        eff = (
            bundle.heterozygous
            if given.heterozygous
            else given.efficacy
            if given.efficacy is not None
            else efficacy(bundle, p, None if dose is None else dose / fold)
        )
        if isinstance(p, SetNode):
            if given.scheduled:
                assert given.start is not None
                hold = Hold(p.node, p.value, given.start, given.end, eff, source)
                nodes.setdefault(p.node, _Node()).windows.append((layer, hold))
            else:
                _whole(nodes, Hold(p.node, p.value, efficacy=eff, source=source), layer, conflicts)
            continue
        if given.scheduled:
            raise MtorsimError(
                f"`{what}s` {given.text}: {bundle.name} cuts an edge or replaces a rule, which holds "
                "for the whole run; only node holds can be scheduled"
            )
        if what == "drug" and eff < 1:
            if given.efficacy is not None:
                raise MtorsimError(
                    f"`drugs` {given.text}: {bundle.name} cuts an edge or replaces a rule, which acts in every "
                    "cell or in none, so an efficacy below 1 cannot be applied; give the drug without ':EFF', "
                    "or write its action as a node hold in the vocabulary"
                )
            if eff < ENGAGED:  # a dose that engages the target less than half: no cut (as attractors read it)
                continue
        if isinstance(p, CutEdge):
            rules[p.target] = substitute(rules[p.target], {p.regulator: p.value})
            changes.append(EdgeCut(p.target, p.regulator, p.value, eff, source))
        elif isinstance(p, ReplaceRule):
            rules[p.node] = p.rule
            changes.append(RuleSwap(p.node, p.rule, p.text, eff, source))


def _resolve_holds(
    net: Network,
    treatment: Treatment,
    nodes: dict[str, _Node],
    conflicts: list[str],
    medium: Mapping[str, int | None],
    extra: dict[str, Any],
) -> Resolved:
    """Add the user's ``fixed`` and windowed ``holds`` (layer 3), then lay out every node's holds."""
    overrides = []
    for name in sorted(treatment.fixed):
        net.index(name)
        slot = nodes.get(name)
        prev = None if slot is None else slot.base
        value = treatment.fixed[name]
        if prev is not None and prev.value != value and prev.source is not None:
            if prev.source.kind == "environment":
                if prev.source.name not in treatment.env:  # a default of the medium: holding a node over it is usual
                    continue
                overrides.append(
                    f"`fixed` {name}={value} overrides the medium's {prev.source.name}={prev.value} "
                    f"(which holds {name}={prev.value}): the run is not in the medium its settings name"
                )
            else:
                overrides.append(
                    f"`fixed` {name}={value} overrides the {prev.source}'s hold ({name}={prev.value}): "
                    f"`fixed` wins (precedence: {PRECEDENCE})"
                )
    for h in treatment.holds:
        net.index(h.node)
        if h.node in treatment.fixed:
            raise MtorsimError(f"{h.node} is held for the whole run and also scheduled; give one or the other")
        nodes.setdefault(h.node, _Node()).windows.append((3, h if h.source else _with_source(h)))
    for name, value in treatment.fixed.items():
        slot = nodes.setdefault(name, _Node())
        slot.base, slot.base_layer, slot.windows = Hold(name, value, source=Source("fixed", name)), 3, []
        slot.untreated = slot.base
    baseline = {n: s.untreated for n, s in nodes.items() if s.untreated is not None}
    holds: list[Hold] = []
    windowed: list[Hold] = []
    for name, slot in nodes.items():
        wins = sorted((w for lay, w in slot.windows if lay > slot.base_layer), key=lambda w: w.start)
        for a, b in zip(wins, wins[1:]):
            if a.end is None or a.end > b.start:
                raise MtorsimError(
                    f"{name}: two holds overlap in time ({_span(a)} and {_span(b)}); give windows that do not overlap"
                )
        if slot.base is None:
            windowed += wins
        elif not wins:
            holds.append(slot.base)
        else:
            windowed += _around(slot.base, wins)
    return Resolved(
        net,
        tuple(holds + windowed),
        baseline,
        extra.get("changes", ()),
        tuple(conflicts),
        tuple(overrides),
        dict(medium),
        treatment,
    )


def _with_source(h: Hold) -> Hold:
    return Hold(h.node, h.value, h.start, h.end, h.efficacy, Source("fixed", h.node))


def _span(h: Hold) -> str:
    return f"{h.value} from {h.start:g}" + ("" if h.end is None else f" to {h.end:g}")


def _around(base: Hold, wins: list[Hold]) -> list[Hold]:
    """The base hold in the gaps between the windows, then the windows, in time order."""
    out: list[Hold] = []
    t = 0.0
    for w in wins:
        if w.start > t:
            out.append(Hold(base.node, base.value, t, w.start, base.efficacy, base.source))
        out.append(w)
        t = w.end if w.end is not None else float("inf")
    if t != float("inf"):
        out.append(Hold(base.node, base.value, t, None, base.efficacy, base.source))
    return out
