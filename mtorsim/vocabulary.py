"""A model's vocabulary (TOML): environment conditions, mutations, drugs and readouts.

Names the user thinks in, mapped onto the network. Unknown names get a did-you-mean error.

```toml
[environment.growth_factors]      # a named condition setting input nodes
nodes = ["EGF", "IGF1"]
default = 1

[mutations.TSC2_loss]             # node loss (value 0), gain (1), edge cut, or a replaced rule
gene = "TSC2"
perturbations = [{ node = "TSC2", value = 0 }]

[drugs.rapalog]                   # same perturbation kinds; aliases; efficacy for stochastic runs
class = "rapalog"
aliases = ["everolimus", "sirolimus"]
perturbations = [{ edge = ["mTORC1", "S6K"], value = 0 }]   # S6K's rule reads mTORC1 as 0

[readouts.growth]                 # a node, a formula over nodes, or a weighted level score
formula = "S6K and eIF4F"
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mtorsim.errors import Location, MtorsimError, did_you_mean
from mtorsim.formats.ast import Expr, names
from mtorsim.formats.io import read_toml
from mtorsim.formats.parser import parse_expression
from mtorsim.network import Network

PERTURBATION_KEYS = {"node", "value", "edge", "rule", "description"}


@dataclass(frozen=True)
class Perturbation:
    """``kind`` 'node' (hold ``node`` at ``value``), 'edge' (``node``'s rule reads ``source`` as
    ``value``) or 'rule' (``node`` gets ``rule``)."""

    kind: str
    node: str
    value: int | None = None
    source: str | None = None
    rule: Expr | None = None
    text: str = ""

    def describe(self) -> str:
        if self.kind == "node":
            return f"{self.node}={self.value}"
        if self.kind == "edge":
            return f"{self.source}->{self.node} read as {self.value}"
        return f"{self.node}* = {self.text}"


@dataclass(frozen=True)
class Perturbing:
    """A mutation or a drug: a named bundle of perturbations, with annotations."""

    name: str
    perturbations: tuple[Perturbation, ...]
    info: dict = field(default_factory=dict)
    efficacy: float = 1.0
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Readout:
    name: str
    formula: Expr | None = None  # a node is the formula with one variable
    levels: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Vocabulary:
    environment: dict[str, tuple[tuple[str, ...], int]] = field(default_factory=dict)  # name -> (nodes, default)
    mutations: dict[str, Perturbing] = field(default_factory=dict)
    drugs: dict[str, Perturbing] = field(default_factory=dict)
    readouts: dict[str, Readout] = field(default_factory=dict)
    source: str = ""

    def drug(self, name: str) -> Perturbing:
        """A drug by name or alias (case-insensitive)."""
        key = name.lower()
        for d in self.drugs.values():
            if d.name.lower() == key or key in (a.lower() for a in d.aliases):
                return d
        known = list(self.drugs) + [a for d in self.drugs.values() for a in d.aliases]
        raise _unknown("drug", name, known)

    def mutation(self, name: str) -> Perturbing:
        for m in self.mutations.values():
            if m.name.lower() == name.lower():
                return m
        raise _unknown("mutation", name, list(self.mutations))

    def condition(self, name: str) -> tuple[tuple[str, ...], int]:
        if name in self.environment:
            return self.environment[name]
        raise _unknown("environment condition", name, list(self.environment))


def _unknown(kind: str, name: str, known: list[str]) -> MtorsimError:
    hint = did_you_mean(name, known)
    listing = ", ".join(sorted(known)) or "none defined"
    return MtorsimError(f"unknown {kind} '{name}'" + (f"; {hint}" if hint else "") + f" (valid: {listing})")


def _node(net: Network, name: object, where: str) -> str:
    if not isinstance(name, str) or name not in net:
        hint = did_you_mean(str(name), net.nodes)
        raise MtorsimError(f"{where}: unknown node '{name}'" + (f"; {hint}" if hint else ""))
    return name


def _expr(net: Network, text: object, where: str, path: str) -> Expr:
    if not isinstance(text, str):
        raise MtorsimError(f"{where}: a rule or formula must be a string, e.g. \"A and not B\"")
    expr = parse_expression(text, Location(f"{path} ({where})", 1, 1, text))
    for n in names(expr):
        _node(net, n, where)
    return expr


def _value(v: object, where: str) -> int:
    if v not in (0, 1):
        raise MtorsimError(f"{where}: value must be 0 or 1, not {v!r}")
    return int(v)


def _perturbations(net: Network, items: object, where: str, path: str) -> tuple[Perturbation, ...]:
    if not isinstance(items, list) or not items:
        raise MtorsimError(f"{where}: 'perturbations' must be a non-empty list of tables, e.g. "
                           "[{ node = \"TSC2\", value = 0 }]")
    out = []
    for k, p in enumerate(items, start=1):
        w = f"{where}, perturbation {k}"
        if not isinstance(p, dict):
            raise MtorsimError(f"{w}: must be a table such as {{ node = \"X\", value = 0 }}")
        extra = set(p) - PERTURBATION_KEYS
        if extra:
            raise MtorsimError(f"{w}: unknown key(s) {', '.join(sorted(extra))}; use node/value, edge/value or node/rule")
        if "edge" in p:
            edge = p["edge"]
            if not (isinstance(edge, list) and len(edge) == 2):
                raise MtorsimError(f"{w}: 'edge' is [source, target], e.g. [\"mTORC1\", \"S6K\"]")
            src, tgt = _node(net, edge[0], w), _node(net, edge[1], w)
            if src not in names(net.rule(tgt)):
                raise MtorsimError(f"{w}: {tgt}'s rule does not read {src}; there is no edge {src} -> {tgt}")
            out.append(Perturbation("edge", tgt, _value(p.get("value"), w), src))
        elif "rule" in p:
            node = _node(net, p.get("node"), w)
            out.append(Perturbation("rule", node, rule=_expr(net, p["rule"], w, path), text=p["rule"]))
        else:
            out.append(Perturbation("node", _node(net, p.get("node"), w), _value(p.get("value"), w)))
    return tuple(out)


def _section(data: dict, key: str, path: str) -> dict:
    sec = data.get(key, {})
    if not isinstance(sec, dict):
        raise MtorsimError(f"{path}: [{key}] must be a table of named entries")
    return sec


def load_vocabulary(path: str | os.PathLike, net: Network) -> Vocabulary:
    """Read and check a vocabulary file against ``net``."""
    p = Path(path)
    data = read_toml(p, "vocabulary file")
    known = {"environment", "mutations", "drugs", "readouts", "model"}
    extra = set(data) - known
    if extra:
        raise MtorsimError(f"{p}: unknown section(s) {', '.join(sorted(extra))}; valid: {', '.join(sorted(known))}")
    env = {}
    for name, e in _section(data, "environment", str(p)).items():
        w = f"{p}: [environment.{name}]"
        nodes = e.get("nodes", [e["node"]] if "node" in e else None) if isinstance(e, dict) else None
        if not nodes:
            raise MtorsimError(f"{w}: give 'nodes = [\"INPUT\", ...]' (or 'node = \"INPUT\"')")
        env[name] = (tuple(_node(net, n, w) for n in nodes), _value(e.get("default", 0), w))
    groups = {}
    for key in ("mutations", "drugs"):
        groups[key] = {}
        for name, e in _section(data, key, str(p)).items():
            w = f"{p}: [{key}.{name}]"
            if not isinstance(e, dict):
                raise MtorsimError(f"{w}: must be a table")
            eff = float(e.get("efficacy", 1.0))
            if not 0 < eff <= 1:
                raise MtorsimError(f"{w}: efficacy must be in (0, 1], not {eff}")
            info = {k: v for k, v in e.items() if k not in ("perturbations", "efficacy", "aliases")}
            groups[key][name] = Perturbing(name, _perturbations(net, e.get("perturbations"), w, str(p)), info, eff,
                                           tuple(e.get("aliases", ())))
    readouts = {}
    for name, e in _section(data, "readouts", str(p)).items():
        w = f"{p}: [readouts.{name}]"
        if not isinstance(e, dict):
            raise MtorsimError(f"{w}: must be a table with node, formula, or levels and weights")
        if "levels" in e:
            levels = tuple(_node(net, n, w) for n in e["levels"])
            weights = tuple(float(x) for x in e.get("weights", range(1, len(levels) + 1)))
            if len(weights) != len(levels):
                raise MtorsimError(f"{w}: one weight per level ({len(levels)} levels, {len(weights)} weights)")
            readouts[name] = Readout(name, levels=levels, weights=weights)
        elif "formula" in e or "node" in e:
            text = e.get("formula", e.get("node"))
            readouts[name] = Readout(name, formula=_expr(net, text, w, str(p)), text=text)
        else:
            raise MtorsimError(f"{w}: give node = \"X\", formula = \"A and B\", or levels = [...] with weights")
    return Vocabulary(env, groups["mutations"], groups["drugs"], readouts, str(p))
