"""A model's vocabulary (TOML): environment conditions, mutations, drugs and readouts.

Names the user thinks in, mapped onto the network. Unknown names get a did-you-mean error.

```toml
[environment.growth_factors]      # a named condition setting input nodes
nodes = ["EGF", "IGF1"]
default = 1                       # 0, 1, or "free" (not held unless a scenario sets it)

[mutations.TSC2_loss]             # node loss (value 0), gain (1), edge cut, or a replaced rule
gene = "TSC2"
perturbations = [{ node = "TSC2", value = 0 }]

[drugs.rapalog]                   # same perturbation kinds; aliases; efficacy for stochastic runs
class = "rapalog"
aliases = ["everolimus", "sirolimus"]
perturbations = [{ edge = ["mTORC1", "S6K"], value = 0 }]   # S6K's rule reads mTORC1 as 0

[readouts.growth]                 # a node, a formula over nodes, a weighted level score,
formula = "S6K and eIF4F"         # or a weighted combination of other readouts:
[readouts.tumour]
combine = { growth = 0.5, survival = 0.5 }

[model]                           # what screens and reports rank on by default
response_readout = "tumour"       # the readout a treatment should lower (goal = "low") or raise
goal = "low"
limitations = ["no tumour microenvironment"]   # stated in reports, beside the generic ones
report_drugs = ["rapalog", "torki"]            # the drugs a report screens (default: all)

[model.conditions]                # named media a report shows (default: the environment defaults)
"full medium" = {}
"nutrient-poor" = { amino_acids = 0 }

[explanations.akt_rebound]        # why a drug fails: a readout that moves the wrong way under it
readout = "AKT_high"
change = "higher"                 # higher or lower than untreated, or kept (not lowered)
text = "feedback: AKT re-activated"
```

A drug may give ``ic50`` (and ``hill``, default 1): a dose ``d`` (in units of that IC50) then
sets its efficacy to ``d**hill / (1 + d**hill)``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtorsim.errors import Location, MtorsimError, did_you_mean
from mtorsim.formats.ast import Expr, names
from mtorsim.formats.io import read_toml
from mtorsim.formats.parser import parse_expression
from mtorsim.network import Network

PERTURBATION_KEYS = {"node", "value", "edge", "rule", "description", "ic50", "hill", "target", "potency", "reference"}
POTENCY_NOTES = ("target", "potency", "reference", "description")
EXPOSURE_KEYS = {"dose", "cmax", "basis", "free_fraction", "reference", "status", "notes"}
TOXICITY_KEYS = {"dlt", "reference", "notes"}
READOUT_KEYS = {"node", "formula", "levels", "weights", "combine", "description", "unit"}
EXPLANATION_KEYS = {"readout", "change", "text", "by"}
EXPLANATION_CHANGES = ("higher", "lower", "kept")
MODEL_KEYS = {
    "response_readout",
    "goal",
    "description",
    "conditions",
    "limitations",
    "contrast",
    "assay",
    "report_drugs",
    "report_backgrounds",
    "contexts",
}
ASSAY_KEYS = {
    "proliferation",
    "survival",
    "doubling_time",
    "death_rate",
    "assay_time",
    "burn_in",
    "time_unit",
    "potency_spread",
    "division_spread",
    "strata",
    "notes",
    "references",
}
"""``[model.assay]``: how the population response is simulated (``mtorsim.response.assay``)."""
CONTRAST_KEYS = {"title", "drugs", "readouts", "labels"}
ENVIRONMENT_KEYS = {"nodes", "node", "default", "description"}
BUNDLE_KEYS = {
    "perturbations",
    "efficacy",
    "aliases",
    "ic50",
    "hill",
    "description",
    "notes",
    "reference",
    "gene",
    "change",
    "cancers",
    "class",
    "mechanism",
    "unit",
    "exposure",
    "toxicity",
    "shifts",
    "kind",
    "heterozygous",
    "lineage",
    "default_dose",
    "alterations",
    "lineages",
    "no_target",
    "not_modelled",
}


def _keys(e: dict, allowed: set[str], where: str) -> None:
    """MtorsimError naming a key that is not in ``allowed`` (a typo would be ignored otherwise)."""
    for k in sorted(set(e) - allowed):
        hint = did_you_mean(k, allowed)
        raise MtorsimError(
            f"{where}: unknown key '{k}'" + (f"; {hint}" if hint else "") + f" (valid: {', '.join(sorted(allowed))})"
        )


@dataclass(frozen=True, slots=True)
class SetNode:
    """Hold ``node`` at ``value``; ``ic50``/``hill`` give this target's potency (in the drug's
    dose unit) when it differs from the drug's."""

    node: str
    value: int
    ic50: float | None = None
    hill: float | None = None
    notes: tuple[tuple[str, str], ...] = ()  # target, potency (what was measured), reference

    def describe(self) -> str:
        return f"{self.node}={self.value}"


@dataclass(frozen=True, slots=True)
class CutEdge:
    """``target``'s rule reads ``regulator`` as the constant ``value``."""

    target: str
    regulator: str
    value: int
    ic50: float | None = None
    hill: float | None = None
    notes: tuple[tuple[str, str], ...] = ()

    @property
    def node(self) -> str:
        return self.target

    def describe(self) -> str:
        return f"{self.regulator}->{self.target} read as {self.value}"


@dataclass(frozen=True, slots=True)
class ReplaceRule:
    """``node`` follows ``rule`` (written ``text``) instead of its own."""

    node: str
    rule: Expr
    text: str = ""
    ic50: float | None = None
    hill: float | None = None
    notes: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        return f"{self.node}* = {self.text}"


Perturbation = SetNode | CutEdge | ReplaceRule
"""What a mutation or drug does to the network: hold a node, cut an edge, or replace a rule."""


@dataclass(frozen=True)
class Perturbing:
    """A mutation or a drug: a named bundle of perturbations, with annotations."""

    name: str
    perturbations: tuple[Perturbation, ...]
    info: dict = field(default_factory=dict)
    efficacy: float = 1.0
    aliases: tuple[str, ...] = ()
    ic50: float | None = None  # a dose is given in units of this
    hill: float = 1.0

    @property
    def unit(self) -> str | None:
        """The unit doses of this drug are given in (``"nM"``, ``"x IC50"``), None when unknown."""
        return self.info.get("unit")

    @property
    def exposure(self) -> dict:
        """Clinical exposure (``dose``, ``cmax`` in the drug's unit, ``basis``, ``free_fraction``,
        ``reference``, ``status``); empty when the vocabulary gives none."""
        return dict(self.info.get("exposure", {}))

    @property
    def shifts(self) -> dict[str, float]:
        """A mutation's potency shifts: node -> IC50 multiplier of the drugs holding it."""
        return {s["node"]: float(s["fold"]) for s in self.info.get("shifts", [])}

    @property
    def kind(self) -> str | None:
        """``loss``, ``gain`` or ``lineage`` (None: not read from a genotype table)."""
        kind = self.info.get("kind")
        return None if kind is None else str(kind)

    @property
    def gene(self) -> str | None:
        gene = self.info.get("gene")
        return None if gene is None else str(gene)

    @property
    def alterations(self) -> tuple[str, ...]:
        """The alterations a genotype table may name for a gain: protein changes or residues
        (``H1047`` matches H1047R, H1047L, ...), or words such as ``amplification``."""
        return tuple(self.info.get("alterations", ()))

    @property
    def lineages(self) -> tuple[str, ...]:
        """The lineage names a genotype table may give for a lineage entry."""
        return tuple(self.info.get("lineages", ()))

    @property
    def heterozygous(self) -> float:
        """The efficacy of the mutation with one altered allele (1 unless the vocabulary says)."""
        return float(self.info.get("heterozygous", 1.0))

    @property
    def toxicity(self) -> dict:
        """Dose-limiting toxicities (``dlt``, ``reference``); empty when not given."""
        return dict(self.info.get("toxicity", {}))


@dataclass(frozen=True)
class Readout:
    name: str
    formula: Expr | None = None  # a node is the formula with one variable
    levels: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    text: str = ""
    combine: tuple[tuple[str, float], ...] = ()  # (readout, weight): a weighted sum of other readouts
    info: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    """A reason a drug can fail: under the drug ``readout`` rises (``higher``) or falls
    (``lower``) by at least ``by``, or is ``kept`` (it was at least ``by`` untreated and falls by
    less than ``by``)."""

    name: str
    readout: str
    change: str
    text: str
    by: float = 0.1

    def applies(self, untreated: float | None, treated: float | None) -> bool:
        if untreated is None or treated is None:
            return False
        if self.change == "higher":
            return treated - untreated >= self.by
        if self.change == "lower":
            return untreated - treated >= self.by
        return untreated >= self.by and untreated - treated < self.by


@dataclass(frozen=True)
class Vocabulary:
    # name -> (nodes, default); default None ("free"): not held unless a scenario sets it
    environment: dict[str, tuple[tuple[str, ...], int | None]] = field(default_factory=dict)
    mutations: dict[str, Perturbing] = field(default_factory=dict)
    drugs: dict[str, Perturbing] = field(default_factory=dict)
    readouts: dict[str, Readout] = field(default_factory=dict)
    source: str = ""
    model: dict = field(default_factory=dict)
    explanations: dict[str, Explanation] = field(default_factory=dict)

    def response_readout(self) -> str | None:
        """The readout screens and reports rank on by default (``[model] response_readout``)."""
        return self.model.get("response_readout")

    def conditions(self) -> dict[str, dict[str, int]]:
        """Named media (``[model.conditions]``): name -> environment settings over the defaults."""
        return {k: dict(v) for k, v in self.model.get("conditions", {}).items()}

    def limitations(self) -> list[str]:
        """What this model leaves out, in the model's own words (``[model] limitations``)."""
        return list(self.model.get("limitations", []))

    def report_drugs(self) -> list[str]:
        """The drugs a report screens by default (``[model] report_drugs``; all when absent)."""
        return [self.drug(d).name for d in self.model.get("report_drugs", [])] or list(self.drugs)

    def report_backgrounds(self) -> list[str] | None:
        """The genotypes a report screens by default (``[model] report_backgrounds``; None: wildtype
        and every mutation)."""
        listed = self.model.get("report_backgrounds")
        return None if listed is None else list(listed)

    def contexts(self) -> dict[str, dict[str, Any]]:
        """The normal cell types a therapeutic window sets beside this model (``[model.contexts]``):
        name -> ``model`` (a path, absolute here), ``readouts`` watched, ``env`` (their medium)."""
        base = Path(self.source).parent if self.source else Path(".")
        out = {}
        for name, c in self.model.get("contexts", {}).items():
            out[name] = {
                "model": str((base / c["model"]).resolve()),
                "readouts": list(c["readouts"]),
                "env": dict(c.get("env", {})),
                "description": c.get("description", ""),
            }
        return out

    def contrast(self) -> dict | None:
        """The drugs a report sets side by side on chosen readouts (``[model.contrast]``: title,
        drugs, readouts, labels of readouts), or None."""
        c = self.model.get("contrast")
        return None if c is None else dict(c)

    def drug(self, name: str) -> Perturbing:
        """A drug by name or alias (case, spaces, dashes and dots ignored: PLX-4720 = plx4720)."""
        if name in self.drugs:
            return self.drugs[name]
        key = normalised(name)
        for d in self.drugs.values():
            if normalised(d.name) == key or key in (normalised(a) for a in d.aliases):
                return d
        known = list(self.drugs) + [a for d in self.drugs.values() for a in d.aliases]
        raise _unknown("drug", name, known, list(self.drugs))

    def mutation(self, name: str) -> Perturbing:
        """A mutation by name or alias (case, spaces and dashes ignored)."""
        if name in self.mutations:
            return self.mutations[name]
        key = normalised(name)
        for m in self.mutations.values():
            if normalised(m.name) == key or key in (normalised(a) for a in m.aliases):
                return m
        raise _unknown(
            "mutation",
            name,
            list(self.mutations) + [a for m in self.mutations.values() for a in m.aliases],
            list(self.mutations),
        )

    def medium(self, env: Mapping[str, int] | None = None) -> dict[str, int | None]:
        """Every condition's value: ``env`` over the defaults (None: free, not held)."""
        env = env or {}
        return {k: (int(env[k]) if k in env else d) for k, (_, d) in self.environment.items()}

    def condition(self, name: str) -> tuple[tuple[str, ...], int | None]:
        if name in self.environment:
            return self.environment[name]
        raise _unknown("environment condition", name, list(self.environment))


def _unknown(kind: str, name: str, known: list[str], names: list[str] | None = None) -> MtorsimError:
    """An unknown name: the closest known one, and the valid names (the first 25 when there are
    more; ``mtorsim info MODEL --vocabulary`` lists all)."""
    hint = did_you_mean(name, known)
    listing = sorted(names if names is not None else known)
    shown = ", ".join(listing[:25]) + (
        f", ... ({len(listing) - 25} more: mtorsim info MODEL --vocabulary)" if len(listing) > 25 else ""
    )
    return MtorsimError(
        f"unknown {kind} '{name}'" + (f"; {hint}" if hint else "") + f" (valid: {shown or 'none defined'})"
    )


def _node(net: Network, name: object, where: str) -> str:
    if not isinstance(name, str) or name not in net:
        hint = did_you_mean(str(name), net.nodes)
        raise MtorsimError(f"{where}: unknown node '{name}'" + (f"; {hint}" if hint else ""))
    return name


def _expr(net: Network, text: object, where: str, path: str) -> Expr:
    if not isinstance(text, str):
        raise MtorsimError(f'{where}: a rule or formula must be a string, e.g. "A and not B"')
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
        raise MtorsimError(
            f"{where}: 'perturbations' must be a non-empty list of tables, e.g. [{{ node = \"TSC2\", value = 0 }}]"
        )
    out: list[Perturbation] = []
    for k, p in enumerate(items, start=1):
        w = f"{where}, perturbation {k}"
        if not isinstance(p, dict):
            raise MtorsimError(f'{w}: must be a table such as {{ node = "X", value = 0 }}')
        extra = set(p) - PERTURBATION_KEYS
        if extra:
            raise MtorsimError(
                f"{w}: unknown key(s) {', '.join(sorted(extra))}; use node/value, edge/value or node/rule"
            )
        if "edge" in p:
            edge = p["edge"]
            if not (isinstance(edge, list) and len(edge) == 2):
                raise MtorsimError(f'{w}: \'edge\' is [source, target], e.g. ["mTORC1", "S6K"]')
            src, tgt = _node(net, edge[0], w), _node(net, edge[1], w)
            if src not in names(net.rule(tgt)):
                raise MtorsimError(f"{w}: {tgt}'s rule does not read {src}; there is no edge {src} -> {tgt}")
            out.append(CutEdge(tgt, src, _value(p.get("value"), w), *_potency(p, w)))
        elif "rule" in p:
            node = _node(net, p.get("node"), w)
            out.append(ReplaceRule(node, _expr(net, p["rule"], w, path), p["rule"], *_potency(p, w)))
        else:
            out.append(SetNode(_node(net, p.get("node"), w), _value(p.get("value"), w), *_potency(p, w)))
    return tuple(out)


def _potency(p: dict, w: str) -> tuple[float | None, float | None, tuple[tuple[str, str], ...]]:
    """A perturbation's own potency (``ic50``, ``hill``) and its notes (target, what was
    measured, reference)."""
    ic50 = _number(p["ic50"], w, "ic50") if "ic50" in p else None
    hill = _number(p["hill"], w, "hill") if "hill" in p else None
    if (ic50 is not None and not ic50 > 0) or (hill is not None and not hill > 0):
        raise MtorsimError(f"{w}: ic50 and hill must be positive numbers")
    notes = []
    for k in POTENCY_NOTES:
        if k in p:
            if not isinstance(p[k], str):
                raise MtorsimError(f'{w}: {k} must be text, e.g. {k} = "..."')
            notes.append((k, p[k]))
    return ic50, hill, tuple(notes)


def _section(data: dict, key: str, path: str) -> dict:
    sec = data.get(key, {})
    if not isinstance(sec, dict):
        raise MtorsimError(f"{path}: [{key}] must be a table of named entries")
    return sec


def _entries(data: dict, key: str, path: str, needs: str):
    """(name, table, where) for each entry of section ``key``; each must be a table."""
    for name, e in _section(data, key, path).items():
        w = f"{path}: [{key}.{name}]"
        if not isinstance(e, dict):
            raise MtorsimError(f"{w}: must be a table with {needs}")
        yield name, e, w


def load_vocabulary(path: str | os.PathLike, net: Network) -> Vocabulary:
    """Read and check a vocabulary file against ``net``."""
    p = Path(path)
    data = read_toml(p, "vocabulary file")
    known = {"environment", "mutations", "drugs", "readouts", "model", "explanations", "drugs_from", "absent"}
    extra = set(data) - known
    if extra:
        raise MtorsimError(f"{p}: unknown section(s) {', '.join(sorted(extra))}; valid: {', '.join(sorted(known))}")
    env = _environment(data, net, str(p))
    mutations = _bundles(data, "mutations", net, str(p))
    shared = _shared_drugs(data, net, p)
    drugs = _bundles({"drugs": {**shared, **data.get("drugs", {})}}, "drugs", net, str(p))
    _check_drug_names(drugs, str(p))
    _check_drug_names(mutations, str(p), "mutation")
    readouts = _readouts(data, net, str(p))
    model = _model(data, env, drugs, readouts, str(p))
    explanations = _explanations(data, readouts, str(p))
    return Vocabulary(env, mutations, drugs, readouts, str(p), model, explanations)


def _shared_drugs(data: dict, net: Network, p: Path) -> dict[str, dict]:
    """``drugs_from = "other/vocabulary.toml"``: that vocabulary's drugs (same names, targets and
    potencies), each keeping the node holds whose node this network has; a drug left with none
    has no target here. ``[absent]`` names the nodes this cell type lacks by biology (node ->
    why, with a reference); a drug with a target that is neither here nor absent is marked
    ``not_modelled``: its effect in this cell type is unknown, not nil."""
    source = data.get("drugs_from")
    if source is None:
        return {}
    if not isinstance(source, str):
        raise MtorsimError(f'{p}: drugs_from must be a path, e.g. drugs_from = "../mtor/vocabulary.toml"')
    other = read_toml(p.parent / source, "vocabulary file (drugs_from)")
    absent = data.get("absent", {})
    if not isinstance(absent, dict) or not all(isinstance(v, str) for v in absent.values()):
        raise MtorsimError(
            f'{p}: [absent] maps a node of the other model to why this cell type lacks it, e.g. HER3 = "..."'
        )
    out = {}
    for name, e in _section(other, "drugs", str(p.parent / source)).items():
        if not isinstance(e, dict):
            continue
        given = [x for x in e.get("perturbations", []) if isinstance(x, dict)]
        kept = [x for x in given if x.get("node") in set(net.nodes)]
        dropped = [str(x.get("node")) for x in given if x not in kept]
        entry = {**e, "perturbations": kept}
        unknown = [n for n in dropped if n not in absent]
        if unknown:
            entry["not_modelled"] = f"targets not in this model: {', '.join(unknown)}"
        if not kept:
            why = "; ".join(f"{n}: {absent[n]}" for n in dropped if n in absent)
            entry["no_target"] = "no target in this model" + (f" ({why})" if why else "")
        out[name] = entry
    return out


def _environment(data: dict, net: Network, p: str) -> dict[str, tuple[tuple[str, ...], int | None]]:
    """``[environment.NAME]``: input nodes and a default (0, 1 or "free")."""
    env = {}
    for name, e, w in _entries(data, "environment", p, 'nodes = ["INPUT", ...] and a default'):
        _keys(e, ENVIRONMENT_KEYS, w)
        nodes = e.get("nodes", [e["node"]] if "node" in e else None)
        if not nodes:
            raise MtorsimError(f"{w}: give 'nodes = [\"INPUT\", ...]' (or 'node = \"INPUT\"')")
        default = e.get("default", 0)
        env[name] = (tuple(_node(net, n, w) for n in nodes), None if default == "free" else _value(default, w))
    return env


def _bundles(data: dict, key: str, net: Network, p: str) -> dict[str, Perturbing]:
    """``[mutations.NAME]`` or ``[drugs.NAME]``: perturbations, efficacy, dose response, aliases."""
    out = {}
    for name, e, w in _entries(data, key, p, "perturbations = [...]"):
        _keys(e, BUNDLE_KEYS, w)
        eff = _number(e.get("efficacy", 1.0), w, "efficacy")
        if not 0 < eff <= 1:
            raise MtorsimError(f"{w}: efficacy must be in (0, 1], not {eff}")
        ic50 = _number(e["ic50"], w, "ic50") if "ic50" in e else None
        hill = _number(e.get("hill", 1.0), w, "hill")
        if (ic50 is not None and not ic50 > 0) or not hill > 0:
            raise MtorsimError(f"{w}: ic50 and hill must be positive numbers")
        aliases = e.get("aliases", ())
        if not isinstance(aliases, list | tuple) or not all(isinstance(a, str) for a in aliases):
            raise MtorsimError(f'{w}: aliases must be a list of names, e.g. aliases = ["rapamycin"]')
        unit = e.get("unit", "x IC50" if ic50 == 1 else None)
        if unit is not None and not isinstance(unit, str):
            raise MtorsimError(f'{w}: unit must be text, e.g. unit = "nM"')
        _pharmacology(e, net, w)
        info = {k: v for k, v in e.items() if k not in ("perturbations", "efficacy", "aliases", "ic50", "hill")}
        info["unit"] = unit
        given = e.get("perturbations")
        perts = () if given == [] and ("shifts" in e or "no_target" in e) else _perturbations(net, given, w, p)
        held: dict[str, int] = {}
        for x in perts:
            if isinstance(x, SetNode):
                if x.node in held:
                    raise MtorsimError(
                        f"{w}: holds {x.node} twice ({x.node}={held[x.node]} and {x.node}={x.value}); "
                        "a perturbation holds each node once"
                    )
                held[x.node] = x.value
        if key == "drugs" and (eff < 1 or ic50 is not None) and any(not isinstance(x, SetNode) for x in perts):
            raise MtorsimError(
                f"{w}: an edge cut or a rule replacement acts in every cell or in none, so it cannot take "
                "an efficacy below 1 or an ic50 (a dose); remove them, or write the drug's action as node "
                'holds (perturbations = [{ node = "X", value = 0 }])'
            )
        out[name] = Perturbing(name, perts, info, eff, tuple(aliases), ic50, hill)
    return out


def _pharmacology(e: dict, net: Network, w: str) -> None:
    """A bundle's exposure and toxicity tables, potency shifts, zygosity and kind."""
    for sub, allowed in (("exposure", EXPOSURE_KEYS), ("toxicity", TOXICITY_KEYS)):
        if sub in e:
            _table_of(e[sub], allowed, f"{w}: {sub}")
    exposure = e.get("exposure", {})
    if "cmax" in exposure and not _number(exposure["cmax"], w, "exposure cmax") > 0:
        raise MtorsimError(f"{w}: exposure cmax must be a positive concentration (in the drug's unit)")
    if "free_fraction" in exposure and not 0 < _number(exposure["free_fraction"], w, "exposure free_fraction") <= 1:
        raise MtorsimError(f"{w}: exposure free_fraction must be in (0, 1]")
    if "shifts" in e:
        _shifts(e["shifts"], net, w)
    if "heterozygous" in e and not 0 <= _number(e["heterozygous"], w, "heterozygous") <= 1:
        raise MtorsimError(f"{w}: heterozygous (the efficacy of one altered allele) must be in [0, 1]")
    if "kind" in e and e["kind"] not in ("loss", "gain", "lineage"):
        raise MtorsimError(f'{w}: kind must be "loss", "gain" or "lineage", not {e["kind"]!r}')
    for key in ("alterations", "lineages"):
        items = e.get(key, [])
        if not isinstance(items, list) or not all(isinstance(x, str) and x.strip() for x in items):
            raise MtorsimError(
                f'{w}: {key} must be a list of names, e.g. {key} = ["{"H1047" if key == "alterations" else "ER+"}"]'
            )


def _shifts(items: object, net: Network, w: str) -> None:
    """``shifts = [{ node = "TORKI_C1", fold = 10, reference = "..." }]``: a mutation that changes
    the potency of drugs holding ``node`` (their IC50 times ``fold``)."""
    if not isinstance(items, list) or not items:
        raise MtorsimError(f'{w}: shifts must be a list of tables, e.g. [{{ node = "TORKI_C1", fold = 10 }}]')
    for k, s in enumerate(items, start=1):
        where = f"{w}, shift {k}"
        if not isinstance(s, dict):
            raise MtorsimError(f"{where}: must be a table with node and fold")
        _keys(s, {"node", "fold", "reference", "notes"}, where)
        _node(net, s.get("node"), where)
        fold = _number(s.get("fold"), where, "fold")
        if not fold > 0:
            raise MtorsimError(f"{where}: fold must be a positive number (IC50 multiplier), not {fold}")


def _table_of(value: object, allowed: set[str], where: str) -> None:
    if not isinstance(value, dict):
        raise MtorsimError(f"{where}: must be a table, e.g. {{ {sorted(allowed)[0]} = ... }}")
    _keys(value, allowed, where)


def normalised(name: str) -> str:
    """A name as lookups compare it: lower case, letters and digits only."""
    return "".join(c for c in name.lower() if c.isalnum())


def _check_drug_names(drugs: Mapping[str, Perturbing], p: str, what: str = "drug") -> None:
    """A name or alias means one entry only (case, spaces and dashes ignored)."""
    seen: dict[str, str] = {}
    for name, d in drugs.items():
        for word in (name, *d.aliases):
            other = seen.get(normalised(word))
            if other is not None and other != name:
                raise MtorsimError(
                    f"{p}: [{what}s.{name}]: '{word}' already names the {what} '{other}'; give each "
                    f"{what} and alias a name of its own"
                )
            seen[normalised(word)] = name


def _readouts(data: dict, net: Network, p: str) -> dict[str, Readout]:
    """``[readouts.NAME]``: a node, a formula, weighted levels, or a combination of readouts."""
    readouts = {}
    for name, e, w in _entries(data, "readouts", p, "node, formula, levels and weights, or combine"):
        readouts[name] = _readout(name, e, net, w, p)
    for name, r in readouts.items():
        for part, _ in r.combine:
            if part not in readouts or readouts[part].combine:
                hint = did_you_mean(part, readouts)
                raise MtorsimError(
                    f"{p}: [readouts.{name}]: combine names '{part}', which is not a readout defined "
                    "by a node, formula or levels" + (f"; {hint}" if hint else "")
                )
    return readouts


def _readout(name: str, e: dict, net: Network, w: str, p: str) -> Readout:
    extra = set(e) - READOUT_KEYS
    if extra:
        raise MtorsimError(f"{w}: unknown key(s) {', '.join(sorted(extra))}; valid: {', '.join(sorted(READOUT_KEYS))}")
    info = {k: v for k, v in e.items() if k in ("description", "unit")}
    if "combine" in e:
        parts = e["combine"]
        if not isinstance(parts, dict) or not parts:
            raise MtorsimError(f"{w}: combine is a table of readout = weight, e.g. combine = {{ A = 0.5, B = 0.5 }}")
        return Readout(name, combine=tuple((k, _number(v, w, f"weight of {k}")) for k, v in parts.items()), info=info)
    if "levels" in e:
        levels = tuple(_node(net, n, w) for n in e["levels"])
        weights = tuple(float(x) for x in e.get("weights", range(1, len(levels) + 1)))
        if len(weights) != len(levels):
            raise MtorsimError(f"{w}: one weight per level ({len(levels)} levels, {len(weights)} weights)")
        return Readout(name, levels=levels, weights=weights, info=info)
    if "formula" in e or "node" in e:
        text = e["formula"] if "formula" in e else e["node"]
        return Readout(name, formula=_expr(net, text, w, p), text=text, info=info)
    raise MtorsimError(
        f'{w}: give node = "X", formula = "A and B", levels = [...] with weights, or combine = {{ readout = weight, ... }}'
    )


def _model(data: dict, env: Mapping, drugs: Mapping[str, Perturbing], readouts: Mapping[str, Readout], p: str) -> dict:
    """``[model]``: response readout and goal, limitations, named media, the drug contrast."""
    model = _section(data, "model", p)
    extra = set(model) - MODEL_KEYS
    if extra:
        raise MtorsimError(
            f"{p}: [model]: unknown key(s) {', '.join(sorted(extra))}; valid: {', '.join(sorted(MODEL_KEYS))}"
        )
    if "response_readout" in model and model["response_readout"] not in readouts:
        raise MtorsimError(f"{p}: [model]: response_readout '{model['response_readout']}' is not a readout")
    if model.get("goal", "low") not in ("low", "high"):
        raise MtorsimError(f'{p}: [model]: goal must be "low" or "high"')
    lim = model.get("limitations", [])
    if not (isinstance(lim, list) and all(isinstance(x, str) for x in lim)):
        raise MtorsimError(f"{p}: [model]: limitations must be a list of sentences (strings)")
    _check_conditions(model.get("conditions", {}), env, p)
    listed = model.get("report_drugs", [])
    if not (isinstance(listed, list) and all(isinstance(x, str) for x in listed)):
        raise MtorsimError(f'{p}: [model]: report_drugs must be a list of drug names, e.g. ["everolimus"]')
    for name in listed:
        if normalised(name) not in {normalised(k) for k in drugs} | {
            normalised(a) for d in drugs.values() for a in d.aliases
        }:
            hint = did_you_mean(name, drugs)
            raise MtorsimError(f"{p}: [model]: report_drugs: unknown drug '{name}'" + (f"; {hint}" if hint else ""))
    bgs = model.get("report_backgrounds", [])
    if not (isinstance(bgs, list) and all(isinstance(x, str) for x in bgs)):
        raise MtorsimError(
            f'{p}: [model]: report_backgrounds must be a list of genotypes, e.g. ["wildtype", "TSC2_loss"]'
        )
    for cname, c in model.get("contexts", {}).items():
        w = f"{p}: [model.contexts.{cname}]"
        if not isinstance(c, dict) or not isinstance(c.get("model"), str) or not isinstance(c.get("readouts"), list):
            raise MtorsimError(f'{w}: give model = "../other/model.rules" and readouts = ["A", ...]')
        if not (Path(p).parent / c["model"]).is_file():
            raise MtorsimError(f"{w}: model {c['model']} is not a file (paths are relative to this vocabulary)")
        extra = set(c) - {"model", "readouts", "env", "description"}
        if extra:
            raise MtorsimError(
                f"{w}: unknown key(s) {', '.join(sorted(extra))}; valid: model, readouts, env, description"
            )
    if "contrast" in model:
        _check_contrast(model["contrast"], drugs, readouts, f"{p}: [model.contrast]")
    if "assay" in model:
        _check_assay(model["assay"], readouts, f"{p}: [model.assay]")
    return dict(model)


def _check_assay(table: object, readouts: Mapping[str, Readout], w: str) -> None:
    """``[model.assay]``: known keys, readouts that exist, numbers where numbers belong."""
    if not isinstance(table, dict):
        raise MtorsimError(f"{w}: must be a table, e.g. {{ doubling_time = 30 }}")
    _keys(table, ASSAY_KEYS, w)
    for k, v in table.items():
        if k in ("proliferation", "survival"):
            if v not in readouts:
                hint = did_you_mean(str(v), readouts)
                raise MtorsimError(f"{w}: {k} '{v}' is not a readout" + (f"; {hint}" if hint else ""))
        elif k in ("notes", "references"):
            if not (isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))):
                raise MtorsimError(f"{w}: {k} must be text or a list of texts")
        elif k == "strata":
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 64:
                raise MtorsimError(f"{w}: strata must be a whole number from 1 to 64, not {v!r}")
        else:
            _number(v, w, k)


def _check_conditions(conditions: object, env: Mapping, p: str) -> None:
    """``[model.conditions]``: named media, each a table of environment condition = 0 or 1."""
    if not isinstance(conditions, dict):
        raise MtorsimError(f"{p}: [model.conditions]: must be a table of name = {{ condition = 0 or 1, ... }}")
    for cname, setting in conditions.items():
        w = f"{p}: [model.conditions]: '{cname}'"
        if not isinstance(setting, dict):
            raise MtorsimError(f"{w}: must be a table such as {{ amino_acids = 0 }}")
        for k, v in setting.items():
            if k not in env:
                hint = did_you_mean(k, env)
                raise MtorsimError(
                    f"{w}: unknown environment condition '{k}'"
                    + (f"; {hint}" if hint else "")
                    + f" (valid: {', '.join(env)})"
                )
            if v not in (0, 1) or isinstance(v, bool):
                raise MtorsimError(f"{w}: {k} must be 0 or 1, not {v!r}")


def _explanations(data: dict, readouts: Mapping[str, Readout], p: str) -> dict[str, Explanation]:
    """``[explanations.NAME]``: why a drug fails, as a readout's change under it."""
    explanations = {}
    for name, e, w in _entries(data, "explanations", p, "readout, change and text"):
        extra = set(e) - EXPLANATION_KEYS
        if extra or not {"readout", "change", "text"} <= set(e):
            raise MtorsimError(f"{w}: give readout, change (higher or lower) and text (and optionally by)")
        if e["readout"] not in readouts:
            raise MtorsimError(f"{w}: unknown readout '{e['readout']}'")
        if e["change"] not in EXPLANATION_CHANGES:
            raise MtorsimError(f"{w}: change must be one of {', '.join(EXPLANATION_CHANGES)}")
        explanations[name] = Explanation(
            name, e["readout"], e["change"], str(e["text"]), _number(e.get("by", 0.1), w, "by")
        )
    return explanations


def _number(v: object, where: str, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise MtorsimError(f"{where}: {what} must be a number, not {v!r}")
    return float(v)


def _check_contrast(c: object, drugs: Mapping[str, Perturbing], readouts: Mapping[str, Readout], w: str) -> None:
    """``[model.contrast]``: drugs (names or aliases) and readouts that exist, labels of readouts."""
    if not isinstance(c, dict):
        raise MtorsimError(f'{w}: must be a table: title = "...", drugs = [...], readouts = [...]')
    _keys(c, CONTRAST_KEYS, w)
    known = {n.lower() for n in drugs} | {a.lower() for d in drugs.values() for a in d.aliases}
    for key, valid in (("drugs", known), ("readouts", set(readouts))):
        names = c.get(key)
        if not (isinstance(names, list) and names and all(isinstance(x, str) for x in names)):
            raise MtorsimError(f'{w}: {key} must be a list of names, e.g. {key} = ["..."]')
        for x in names:
            if (x.lower() if key == "drugs" else x) not in valid:
                hint = did_you_mean(x, list(drugs) if key == "drugs" else list(readouts))
                raise MtorsimError(
                    f"{w}: {key}: '{x}' is not one of the vocabulary's {key}" + (f"; {hint}" if hint else "")
                )
    labels = c.get("labels", {})
    if not (isinstance(labels, dict) and all(k in readouts and isinstance(v, str) for k, v in labels.items())):
        raise MtorsimError(f'{w}: labels must map readouts to text, e.g. labels = {{ p4EBP1 = "p4EBP1 (T37/46)" }}')
