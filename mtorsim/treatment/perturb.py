"""Apply environment conditions, mutations and drugs to a network.

Precedence when two of them hold the same node at different values: drug over mutation over
environment; every such conflict is reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mtorsim.model.vocabulary import Perturbing, Vocabulary
from mtorsim.network import Network
from mtorsim.network.reduction import substitute


@dataclass
class Applied:
    net: Network  # rules after edge cuts and replaced rules
    fixed: dict[str, int]  # held nodes
    conflicts: list[str] = field(default_factory=list)
    efficacy: dict[str, float] = field(default_factory=dict)  # drug or mutation -> efficacy below 1
    sources: dict[str, str] = field(default_factory=dict)  # held node -> what holds it


def apply(
    net: Network,
    vocab: Vocabulary,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
) -> Applied:
    """``env`` overrides condition defaults; mutations and drugs are names or aliases."""
    env = dict(env or {})
    for name in env:
        vocab.condition(name)
    fixed: dict[str, int] = {}
    sources: dict[str, str] = {}
    conflicts: list[str] = []
    for name, value in vocab.medium(env).items():
        if value is None:  # a free condition: its nodes follow their rules and initial states
            continue
        for n in vocab.environment[name][0]:
            fixed[n] = value
            sources[n] = f"environment {name}"
    rules = dict(zip(net.nodes, net.rules))
    efficacy: dict[str, float] = {}

    def hold(what: str, bundle: Perturbing) -> None:
        if bundle.efficacy < 1:
            efficacy[bundle.name] = bundle.efficacy
        for p in bundle.perturbations:
            if p.kind == "node":
                assert p.value is not None  # load_vocabulary gives node and edge a value, edge a source, rule a rule
                prev = sources.get(p.node, "")
                if p.node in fixed and fixed[p.node] != p.value and not prev.startswith("environment"):
                    conflicts.append(
                        f"{what} {bundle.name} holds {p.node}={p.value} over {prev}'s {p.node}={fixed[p.node]}"
                    )
                fixed[p.node] = p.value
                sources[p.node] = f"{what} {bundle.name}"
            elif p.kind == "edge":
                assert p.source is not None and p.value is not None
                rules[p.node] = substitute(rules[p.node], {p.source: p.value})
            else:
                assert p.rule is not None
                rules[p.node] = p.rule

    for m in mutations:
        hold("mutation", vocab.mutation(m))
    for d in drugs:
        hold("drug", vocab.drug(d))
    new = Network(net.nodes, tuple(rules[n] for n in net.nodes), net.implicit_inputs, net.source, meta=net.meta)
    return Applied(new, fixed, conflicts, efficacy, sources)
