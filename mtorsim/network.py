"""The network model: immutable nodes, rules, regulators, signs and inputs."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from mtorsim import logic
from mtorsim.errors import ModelSyntaxError, did_you_mean, unknown_name
from mtorsim.formats.ast import Const, Expr, Rule, Var, names, polarity, variables
from mtorsim.formats.io import read_model
from mtorsim.formats.parser import locate


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    sign: str  # '+', '-', '±' or '0' (listed in the rule, no effect on the function)


@dataclass(frozen=True, eq=False)
class Network:
    """A Boolean network. Nodes keep file order; free inputs added for undefined regulators follow.

    ``meta`` (read-only by convention) holds what the file says about the model besides its
    rules: ``name``, ``id``, ``notes``, ``annotations`` (``[(qualifier, (uri, ...)), ...]``, e.g.
    ``("bqbiol:is", ("https://identifiers.org/uniprot/P42345",))``), ``sbo``, ``compartment``;
    ``nodes`` maps a node to the same keys; ``initial`` maps a node to its initial level (0/1).
    Reading may add ``warnings`` and ``dropped`` (what the reader could not keep).
    """

    nodes: tuple[str, ...]
    rules: tuple[Expr, ...]
    implicit_inputs: tuple[str, ...] = ()
    source: str | None = None
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index.update({n: i for i, n in enumerate(self.nodes)})

    @classmethod
    def from_rules(
        cls, rules: Sequence[Rule], strict: bool = False, source: str | None = None, meta: Mapping[str, Any] | None = None
    ) -> Network:
        """Build a network; regulators without a rule become free inputs (an error if ``strict``)."""
        defined = [r.target for r in rules]
        known = set(defined)
        extra: dict[str, tuple[Var, Rule]] = {}
        for r in rules:
            for name in names(r.expr):
                if name not in known and name not in extra:
                    extra[name] = (next(v for v in variables(r.expr) if v.name == name), r)
        if strict and extra:
            name, (var, rule) = next(iter(extra.items()))
            hint = did_you_mean(name, defined) or f"define it, e.g. '{name}* = {name}' for a free input"
            where = var.where or locate(name, rule)
            raise ModelSyntaxError(f"'{name}' is used but has no rule (--strict)", where, hint, width=len(name))
        nodes = tuple(defined) + tuple(extra)
        exprs = tuple(r.expr for r in rules) + tuple(Var(n) for n in extra)
        return cls(nodes, exprs, tuple(extra), source, meta=dict(meta or {}))

    @classmethod
    def load(cls, path: str | os.PathLike, fmt: str | None = None, strict: bool = False) -> Network:
        """Read a model file (.rules/.booleannet, .bnet or SBML-qual .sbml/.xml) with its metadata."""
        rules, _, meta = read_model(path, fmt)
        return cls.from_rules(rules, strict=strict, source=str(path), meta=meta)

    # -- lookups ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def index(self, name: str) -> int:
        """Position of a node, with a did-you-mean error for an unknown name."""
        try:
            return self._index[name]
        except KeyError:
            raise unknown_name("node", name, self.nodes) from None

    def rule(self, name: str) -> Expr:
        return self.rules[self.index(name)]

    def as_rules(self) -> list[Rule]:
        return [Rule(n, e) for n, e in zip(self.nodes, self.rules)]

    # -- structure -------------------------------------------------------------------------
    @cached_property
    def regulators(self) -> tuple[tuple[int, ...], ...]:
        """For each node, the indices of the nodes its rule reads (first-appearance order)."""
        return tuple(tuple(self._index[n] for n in names(e)) for e in self.rules)

    @cached_property
    def signs(self) -> tuple[tuple[str, ...], ...]:
        """For each node, the sign of each regulator, from the function (syntax above the table limit)."""
        out = []
        for i, e in enumerate(self.rules):
            regs = [self.nodes[j] for j in self.regulators[i]]
            if len(regs) <= logic.TABLE_MAX_INPUTS:
                out.append(tuple(logic.signs(e, regs)))
            else:
                pol = polarity(e)
                out.append(tuple(logic.sign_symbol(pol[r]) for r in regs))
        return tuple(out)

    @cached_property
    def inputs(self) -> tuple[str, ...]:
        """Nodes whose rule is the node itself (free inputs)."""
        return tuple(n for n, e in zip(self.nodes, self.rules) if isinstance(e, Var) and e.name == n)

    @cached_property
    def constants(self) -> dict[str, int]:
        """Nodes whose rule is a constant, with the value."""
        return {n: int(e.value) for n, e in zip(self.nodes, self.rules) if isinstance(e, Const)}

    def edges(self) -> list[Edge]:
        """Signed interaction graph, by target in node order."""
        return [
            Edge(self.nodes[j], self.nodes[i], s)
            for i in range(len(self.nodes))
            for j, s in zip(self.regulators[i], self.signs[i])
        ]

    def in_degrees(self) -> list[int]:
        return [len(r) for r in self.regulators]

