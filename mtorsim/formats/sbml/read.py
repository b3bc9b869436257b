"""Reading SBML-qual: the steps from document text to rules and metadata.

Every qualitative species becomes a node named by its id (see :mod:`.naming`); a species with
``maxLevel`` k > 1 becomes k Boolean level nodes (see :mod:`.levels`); a species without a
maxLevel gets the highest level it can reach.
"""

from __future__ import annotations

import os
from typing import Any

from mtorsim.formats.ast import Rule
from mtorsim.formats.sbml.binding import SBase, load_libsbml
from mtorsim.formats.sbml.context import Context, Species
from mtorsim.formats.sbml.document import open_model
from mtorsim.formats.sbml.guards import MAX_LEVEL, check_document
from mtorsim.formats.sbml.levels import build_rules
from mtorsim.formats.sbml.metadata import read_meta
from mtorsim.formats.sbml.naming import assign_node_names
from mtorsim.formats.sbml.transitions import read_transitions
from mtorsim.formats.textfile import read_text


def parse_sbml(text: str, path: str) -> tuple[list[Rule], dict[str, Any]]:
    """Rules and metadata from the text of an SBML-qual document."""
    check_document(text, path)
    lib = load_libsbml("reading")
    doc = lib.readSBMLFromString(text.lstrip())
    ctx = Context(lib, path)
    model, qm = open_model(ctx, doc)
    read_species(ctx, qm)
    transitions = read_transitions(ctx, qm)
    resolve_max_levels(ctx)
    assign_node_names(ctx)
    rules, initial = build_rules(ctx, transitions)
    meta = read_meta(ctx, model, initial)
    if ctx.warnings:
        meta["warnings"] = ctx.warnings
    if ctx.dropped:
        meta["dropped"] = list(dict.fromkeys(ctx.dropped))
    return rules, meta


def read_sbml(path: str | os.PathLike) -> tuple[list[Rule], dict[str, Any]]:
    """Read an SBML-qual file: its rules (one per Boolean node) and its metadata
    (``name``, ``notes``, ``nodes`` annotations, ``initial`` levels, ``warnings``, ``dropped``)."""
    return parse_sbml(read_text(path), str(path))


def read_species(ctx: Context, qm: SBase) -> None:
    """The qualitative species, in document order, with their declared levels checked."""
    for i in range(qm.getNumQualitativeSpecies()):
        obj = qm.getQualitativeSpecies(i)
        sid = obj.getId()
        element = f"qualitative species #{i + 1}" if not sid else f"qualitative species '{sid}'"
        if not sid:
            raise ctx.fail(obj, element, "has no qual:id", "every qualitativeSpecies needs a unique qual:id")
        if sid in ctx.species:
            raise ctx.fail(obj, element, "is declared twice", "qual:id values must be unique")
        sp = Species(sid, obj)
        if obj.isSetMaxLevel():
            sp.declared_max = obj.getMaxLevel()
            if sp.declared_max < 0:
                raise ctx.fail(obj, element, f"has a negative maxLevel ({sp.declared_max})")
            if sp.declared_max > MAX_LEVEL:
                raise ctx.fail(
                    obj,
                    element,
                    f"has maxLevel {sp.declared_max}; mtorsim reads levels up to "
                    f"{MAX_LEVEL} (each level is a Boolean node)",
                )
        if obj.isSetInitialLevel():
            sp.initial = obj.getInitialLevel()
            if sp.initial < 0 or (sp.declared_max is not None and sp.initial > sp.declared_max):
                raise ctx.fail(obj, element, f"initialLevel {sp.initial} is outside 0..{sp.declared_max}")
        sp.constant = bool(obj.isSetConstant() and obj.getConstant())
        ctx.species[sid] = sp


def resolve_max_levels(ctx: Context) -> None:
    """Each species' highest level: its maxLevel, or (with a warning) the highest of its initial
    level and the result levels of its transition."""
    for sp in ctx.species.values():
        if sp.declared_max is not None:
            sp.max_level = sp.declared_max
            continue
        top = max(1, sp.initial or 0)
        if sp.transition is not None:
            tr = sp.transition[0]
            levels = [tr.getFunctionTerm(j).getResultLevel() for j in range(tr.getNumFunctionTerms())]
            if tr.isSetDefaultTerm():
                levels.append(tr.getDefaultTerm().getResultLevel())
            top = max([top, *levels])
        sp.max_level = top
        ctx.warnings.append(
            f"qualitative species '{sp.sid}' has no maxLevel; taken as {top} (the highest level it can reach)"
        )
