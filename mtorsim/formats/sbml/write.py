"""Writing SBML-qual: Boolean species (``maxLevel`` 1), one transition per non-input node with
one function term (result 1) and a default term (result 0), input signs derived from the
function, and the network's metadata (names, notes, compartments, initial levels, CV terms).
The document passes libsbml's consistency checks."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import Const, Rule, Var, names
from mtorsim.formats.sbml.binding import LibSBML, SBase, load_libsbml
from mtorsim.formats.sbml.boolean import signs
from mtorsim.formats.sbml.mathml import to_mathml
from mtorsim.formats.sbml.metadata import write_description
from mtorsim.formats.sbml.naming import SidMaker, written_as_escape
from mtorsim.util.safeio import write_atomic


@runtime_checkable
class HasRules(Protocol):
    """A network: anything with ``as_rules()`` (and, optionally, ``meta``)."""

    def as_rules(self) -> list[Rule]: ...


def format_sbml(
    rules: Sequence[Rule], meta: Mapping[str, Any] | None = None, validate: bool = True
) -> tuple[str, list[str]]:
    """SBML-qual text of ``rules`` with ``meta``; also the metadata that could not be written."""
    lib = load_libsbml("writing")
    writer = _Writer(lib, meta or {})
    doc = writer.document(rules)
    if validate:
        _check_consistency(lib, doc)
    return lib.writeSBMLToString(doc), list(dict.fromkeys(writer.dropped))


def write_sbml(
    model: HasRules | Iterable[Rule], path: str | os.PathLike, meta: Mapping[str, Any] | None = None
) -> list[str]:
    """Write a network (or a list of rules) as SBML-qual; returns what could not be written."""
    if isinstance(model, HasRules):
        rules = model.as_rules()
        if meta is None:
            meta = getattr(model, "meta", None)
    else:
        rules = list(model)
    text, dropped = format_sbml(rules, meta)
    write_atomic(path, text)
    return dropped


def _check_consistency(lib: LibSBML, doc: SBase) -> None:
    """A document mtorsim built that libsbml finds inconsistent is a bug: say so."""
    doc.checkConsistency()
    errors = [
        doc.getError(i) for i in range(doc.getNumErrors()) if doc.getError(i).getSeverity() >= lib.LIBSBML_SEV_ERROR
    ]
    if errors:
        first = " ".join(errors[0].getMessage().split())
        raise MtorsimError(
            f"internal error: the SBML-qual document mtorsim built fails libsbml's consistency checks "
            f"({len(errors)} error(s); first: {first}); please report this with the model"
        )


def _nodes(rules: Sequence[Rule]) -> list[str]:
    """Every node: the rules' targets, then regulators without a rule (free inputs)."""
    defined = [r.target for r in rules]
    seen = set(defined)
    for r in rules:
        for n in names(r.expr):
            if n not in seen:
                defined.append(n)
                seen.add(n)
    return defined


class _Writer:
    """Builds one document; SBML ids are handed out in a fixed order so the output is stable."""

    def __init__(self, lib: LibSBML, meta: Mapping[str, Any]):
        self.lib = lib
        self.meta = meta
        self.dropped: list[str] = []
        self.ids = SidMaker()
        self.metaids = SidMaker()
        self.node_meta: Mapping[str, Mapping[str, Any]] = meta.get("nodes") or {}
        self.initial: Mapping[str, int] = meta.get("initial") or {}

    def document(self, rules: Sequence[Rule]) -> SBase:
        """The SBML-qual document of ``rules`` (ids: nodes first, so they keep the node names)."""
        lib = self.lib
        ns = lib.SBMLNamespaces(3, 1, "qual", 1)
        doc = lib.SBMLDocument(ns)
        doc.setPackageRequired("qual", True)
        model = doc.createModel()
        defined = _nodes(rules)
        sid = {n: self.ids.make(n) for n in defined}
        for n, s in sid.items():
            if not written_as_escape(n, s):
                self.dropped.append(f"the exact name of node '{n}' (written as SBML id '{s}')")
        self.model_header(model)
        compartments = self.compartments(model, defined)
        qm = model.getPlugin("qual")
        for n in defined:
            self.species(qm, n, sid[n], compartments)
        self.unplaced_meta(sid)
        for r in rules:
            if not (isinstance(r.expr, Var) and r.expr.name == r.target):
                self.transition(qm, r, sid)  # a free input is a species without a transition
        return doc

    def model_header(self, model: SBase) -> None:
        """The model's id, name, notes, SBO term and annotations."""
        meta = self.meta
        if meta.get("id"):
            model.setId(self.ids.make(str(meta["id"])))
            if model.getId() != meta["id"]:
                self.dropped.append(f"the exact model id '{meta['id']}' (written as '{model.getId()}')")
        if meta.get("name"):
            model.setName(str(meta["name"]))
        write_description(self.lib, model, meta, self.metaids.make("meta_model"), "the model", self.dropped)

    def compartments(self, model: SBase, defined: Sequence[str]) -> dict[str, str]:
        """Compartment name -> SBML id: the main one first, then those of the nodes."""
        wanted = [self.main]
        for n in defined:
            c = self.node_meta.get(n, {}).get("compartment")
            if c and str(c) not in wanted:
                wanted.append(str(c))
        out = {}
        for c in wanted:
            comp = model.createCompartment()
            cid = self.ids.make(c)
            out[c] = cid
            comp.setId(cid)
            comp.setConstant(True)
            comp.setSpatialDimensions(3)  # size and units only to keep libsbml's unit checks quiet;
            comp.setSize(1)  # a logical model does not use them
            comp.setUnits("dimensionless")
        return out

    @property
    def main(self) -> str:
        """The compartment of nodes that name none."""
        return str(self.meta.get("compartment") or "default")

    def species(self, qm: SBase, n: str, sid: str, compartments: Mapping[str, str]) -> None:
        """Node ``n`` as a Boolean qualitative species with its metadata and initial level."""
        info = self.node_meta.get(n, {})
        qs = qm.createQualitativeSpecies()
        qs.setId(sid)
        qs.setName(str(info.get("name") or n))
        qs.setCompartment(compartments[str(info.get("compartment") or self.main)])
        qs.setConstant(False)
        qs.setMaxLevel(1)
        if n in self.initial:
            level = int(self.initial[n])
            if level in (0, 1):
                qs.setInitialLevel(level)
            else:
                self.dropped.append(f"initial level {level} of node '{n}' (Boolean nodes take 0 or 1)")
        write_description(self.lib, qs, info, self.metaids.make(f"meta_{sid}"), f"node '{n}'", self.dropped)

    def unplaced_meta(self, sid: Mapping[str, str]) -> None:
        """Metadata and initial levels of names that are not nodes are dropped."""
        for n in self.meta.get("nodes") or {}:
            if n not in sid:
                self.dropped.append(f"metadata of '{n}', which is not a node of the network")
        for n in self.initial:
            if n not in sid:
                self.dropped.append(f"the initial level of '{n}', which is not a node of the network")

    def transition(self, qm: SBase, r: Rule, sid: Mapping[str, str]) -> None:
        """The transition setting ``r.target``: inputs with signs, output, default and function terms."""
        lib = self.lib
        sign_codes = {"+": lib.INPUT_SIGN_POSITIVE, "-": lib.INPUT_SIGN_NEGATIVE, "±": lib.INPUT_SIGN_DUAL}
        tr = qm.createTransition()
        tid = self.ids.make(f"tr_{sid[r.target]}")
        tr.setId(tid)
        regs = names(r.expr)
        sg = signs(r.expr) if regs else {}
        for reg in regs:
            inp = tr.createInput()
            inp.setId(self.ids.make(f"{tid}_in_{sid[reg]}"))
            inp.setQualitativeSpecies(sid[reg])
            inp.setTransitionEffect(lib.INPUT_TRANSITION_EFFECT_NONE)
            if sg[reg] in sign_codes:
                inp.setSign(sign_codes[sg[reg]])
        out = tr.createOutput()
        out.setId(self.ids.make(f"{tid}_out"))
        out.setQualitativeSpecies(sid[r.target])
        out.setTransitionEffect(lib.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
        if isinstance(r.expr, Const):
            tr.createDefaultTerm().setResultLevel(int(r.expr.value))
            return
        tr.createDefaultTerm().setResultLevel(0)
        ft = tr.createFunctionTerm()
        ft.setResultLevel(1)
        ft.setMath(to_mathml(lib, r.expr, sid))
