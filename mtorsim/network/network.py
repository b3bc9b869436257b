"""The network model: immutable nodes, rules, regulators, signs and inputs."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from mtorsim.errors import ModelSyntaxError, did_you_mean, unknown_name
from mtorsim.formats import logic
from mtorsim.formats.ast import Const, Expr, Rule, Var, names, polarity, variables
from mtorsim.formats.flat import FALSE, TRUE, FlatModel, FlatRules
from mtorsim.formats.io import read_model
from mtorsim.formats.parser import locate
from mtorsim.types import SIGNS as _SIGNS

SIGNS = _SIGNS
"""Sign symbols by sign code (see ``Network.edge_arrays``)."""


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

    ``rules`` is a tuple of syntax trees, or for a big file read through arrays a
    :class:`~mtorsim.formats.flat.FlatRules` (a sequence that builds each tree when asked).
    """

    nodes: tuple[str, ...]
    rules: Sequence[Expr]
    implicit_inputs: tuple[str, ...] = ()
    source: str | None = None
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index.update({n: i for i, n in enumerate(self.nodes)})

    @classmethod
    def from_rules(
        cls,
        rules: Sequence[Rule],
        strict: bool = False,
        source: str | None = None,
        meta: Mapping[str, Any] | None = None,
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
            raise _no_rule(name, var.where or locate(name, rule), defined)
        nodes = tuple(defined) + tuple(extra)
        exprs = tuple(r.expr for r in rules) + tuple(Var(n) for n in extra)
        return cls(nodes, exprs, tuple(extra), source, meta=dict(meta or {}))

    @classmethod
    def load(cls, path: str | os.PathLike, fmt: str | None = None, strict: bool = False) -> Network:
        """Read a model file (.rules/.booleannet, .bnet or SBML-qual .sbml/.xml) with its metadata."""
        rules, _, meta = read_model(path, fmt, flat=True)
        if isinstance(rules, FlatModel):
            return cls.from_flat(rules, strict=strict, source=str(path), meta=meta)
        return cls.from_rules(rules, strict=strict, source=str(path), meta=meta)

    @classmethod
    def from_flat(
        cls, model: FlatModel, strict: bool = False, source: str | None = None, meta: Mapping[str, Any] | None = None
    ) -> Network:
        """The network of a file read through arrays (the same network ``from_rules`` gives)."""
        if strict and model.implicit:
            name = model.implicit[0]
            rule = model.rule(model.first_reader(len(model.nodes) - len(model.implicit)))
            raise _no_rule(name, locate(name, rule), model.nodes[: len(model.lines)])
        return cls(model.nodes, model.rules, model.implicit, source, meta=dict(meta or {}))

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

    def unused_constants(self) -> list[tuple[str, str | None]]:
        """Nodes given a value in the file (BooleanNet ``AKTT = True``) that have no rule of their
        own and that no rule reads: constants nothing uses, most likely misspelt initial values;
        each with a did-you-mean hint among the nodes that have rules (or None)."""
        from mtorsim.errors import did_you_mean

        constants = [
            (name, self._index[name])
            for name in self.meta.get("initial") or {}
            if name in self._index and isinstance(self.rules[self._index[name]], Const)
        ]
        if not constants:
            return []
        read = set(self.regulator_arrays[0].tolist())
        unused = [name for name, i in constants if i not in read]
        if not unused:
            return []
        ruled = [n for n, e in zip(self.nodes, self.rules) if not isinstance(e, Const)]
        return [(name, did_you_mean(name, ruled)) for name in unused]

    # -- structure -------------------------------------------------------------------------
    @cached_property
    def regulator_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The regulators as arrays ``(regs, start)``: node ``i`` reads ``regs[start[i]:start[i+1]]``."""
        if isinstance(self.rules, FlatRules):
            from mtorsim.formats.flatkernels import regulators

            return regulators(self.rules.code, self.rules.start, len(self.nodes))
        return _pack(self.regulators, np.int32)

    @cached_property
    def regulators(self) -> tuple[tuple[int, ...], ...]:
        """For each node, the indices of the nodes its rule reads (first-appearance order)."""
        if isinstance(self.rules, FlatRules):
            regs, start = self.regulator_arrays
            flat = regs.tolist()
            return tuple(tuple(flat[a:b]) for a, b in zip(start[:-1].tolist(), start[1:].tolist()))
        return tuple(tuple(self._index[n] for n in names(e)) for e in self.rules)

    @cached_property
    def sign_codes(self) -> np.ndarray:
        """Sign codes (indices into ``SIGNS``) aligned with ``regulator_arrays()[0]``."""
        if isinstance(self.rules, FlatRules):
            from mtorsim.formats.flatkernels import _COLUMN, signs

            regs, start = self.regulator_arrays
            return signs(
                self.rules.code, self.rules.start, regs, start, len(self.nodes), logic.TABLE_MAX_INPUTS, _COLUMN
            )
        code = {s: i for i, s in enumerate(SIGNS)}
        return np.array([code[x] for row in self.signs for x in row], np.int8)

    @cached_property
    def signs(self) -> tuple[tuple[str, ...], ...]:
        """For each node, the sign of each regulator, from the function (syntax above the table limit)."""
        if isinstance(self.rules, FlatRules):
            symbols = [SIGNS[c] for c in self.sign_codes.tolist()]
            _, start = self.regulator_arrays
            return tuple(tuple(symbols[a:b]) for a, b in zip(start[:-1].tolist(), start[1:].tolist()))
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
        if isinstance(self.rules, FlatRules):
            own = self._single() == np.arange(len(self.nodes))
            return tuple(self.nodes[i] for i in np.flatnonzero(own).tolist())
        return tuple(n for n, e in zip(self.nodes, self.rules) if isinstance(e, Var) and e.name == n)

    @cached_property
    def constants(self) -> dict[str, int]:
        """Nodes whose rule is a constant, with the value."""
        if isinstance(self.rules, FlatRules):
            single = self._single()
            const = np.flatnonzero((single == FALSE) | (single == TRUE))
            return {self.nodes[i]: int(single[i] == TRUE) for i in const.tolist()}
        return {n: int(e.value) for n, e in zip(self.nodes, self.rules) if isinstance(e, Const)}

    def _single(self) -> np.ndarray:
        """For a flat network: each rule's code if it is one token long, else a marker (-99)."""
        rules = self.rules
        assert isinstance(rules, FlatRules)
        one = rules.lengths() == 1
        out = np.full(len(self.nodes), -99, np.int64)
        out[one] = rules.code[rules.start[:-1][one]]
        return out

    def edge_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The signed interaction graph as arrays ``(source, target, sign code)``, by target in node
        order (the order of :meth:`edges`); ``SIGNS[code]`` is the symbol."""
        regs, start = self.regulator_arrays
        target = np.repeat(np.arange(len(self.nodes), dtype=np.int32), np.diff(start))
        return regs, target, self.sign_codes

    def edges(self) -> list[Edge]:
        """Signed interaction graph, by target in node order."""
        return [
            Edge(self.nodes[j], self.nodes[i], s)
            for i in range(len(self.nodes))
            for j, s in zip(self.regulators[i], self.signs[i])
        ]

    def in_degrees(self) -> list[int]:
        if isinstance(self.rules, FlatRules):
            return np.diff(self.regulator_arrays[1]).tolist()
        return [len(r) for r in self.regulators]


def _pack(rows: Sequence[Sequence[int]], dtype) -> tuple[np.ndarray, np.ndarray]:
    start = np.zeros(len(rows) + 1, np.int64)
    start[1:] = np.cumsum([len(r) for r in rows])
    return np.fromiter((x for r in rows for x in r), dtype, count=int(start[-1])), start


def _no_rule(name: str, where, defined: Sequence[str]) -> ModelSyntaxError:
    hint = did_you_mean(name, defined) or f"define it, e.g. '{name}* = {name}' for a free input"
    return ModelSyntaxError(f"'{name}' is used but has no rule (`strict`)", where, hint, width=len(name))
