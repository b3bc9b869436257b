"""Metadata in both directions: names, notes (XHTML <-> plain text), SBO terms, RDF annotations
(CV terms) and compartments of the model and its species, as ``Network.meta`` holds them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import Any

from mtorsim.formats.sbml.binding import LibSBML, SBase, succeeded
from mtorsim.formats.sbml.context import Context

_BLOCK_TAGS = {
    "body",
    "html",
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "pre",
    "blockquote",
    "table",
    "dt",
    "dd",
}
_WHITESPACE = re.compile(r"\s+")


# -- reading -----------------------------------------------------------------------------------
def read_meta(ctx: Context, model: SBase, initial: dict[str, int]) -> dict[str, Any]:
    """The model's metadata: id, name, notes, annotations, SBO term, main compartment, per-node
    metadata (``nodes``) and initial values (``initial``)."""
    meta: dict[str, Any] = {}
    if model.isSetId():
        meta["id"] = model.getId()
    if model.isSetName() and model.getName().strip():
        meta["name"] = " ".join(model.getName().split())
    meta.update(describe(ctx, model, "the model"))
    main = _main_compartment(ctx)
    if main and main != "default":
        meta["compartment"] = main
    for i in range(model.getNumCompartments()):
        c = model.getCompartment(i)
        if c.isSetName() and c.getName() != c.getId() or c.getNumCVTerms() or c.isSetNotes():
            ctx.dropped.append(f"the name/notes/annotations of compartment '{c.getId()}'")
    nodes = _node_meta(ctx, main)
    if nodes:
        meta["nodes"] = nodes
    if initial:
        meta["initial"] = initial
    return meta


def _main_compartment(ctx: Context) -> str | None:
    """The compartment holding the most species (the first of those in a tie)."""
    counts: dict[str, int] = {}
    for sp in ctx.species.values():
        if sp.obj.isSetCompartment():
            counts[sp.obj.getCompartment()] = counts.get(sp.obj.getCompartment(), 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


def _node_meta(ctx: Context, main: str | None) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for sp in ctx.species.values():
        info: dict[str, Any] = {}
        obj = sp.obj
        if obj.isSetName() and " ".join(obj.getName().split()) not in ("", sp.node, sp.sid):
            info["name"] = " ".join(obj.getName().split())
        info.update(describe(ctx, obj, f"species '{sp.sid}'"))
        if obj.isSetCompartment() and obj.getCompartment() != main:
            info["compartment"] = obj.getCompartment()
        if info:
            nodes[sp.node] = info
    return nodes


def describe(ctx: Context, obj: SBase, what: str) -> dict[str, Any]:
    """Notes, annotations and SBO term of an SBML element (those it has)."""
    info: dict[str, Any] = {}
    if obj.isSetNotes():
        text = notes_text(obj.getNotes())
        if text:
            info["notes"] = text
    ann = read_annotations(ctx, obj, what)
    if ann:
        info["annotations"] = ann
    if obj.isSetSBOTerm():
        info["sbo"] = obj.getSBOTermID()
    return info


def read_annotations(ctx: Context, obj: SBase, what: str) -> list[tuple[str, tuple[str, ...]]]:
    """CV terms as ``(qualifier, URIs)``, e.g. ``("bqbiol:is", ("http://identifiers.org/...",))``;
    other annotation content is noted as dropped."""
    lib = ctx.lib
    out = []
    for i in range(obj.getNumCVTerms()):
        cv = obj.getCVTerm(i)
        qname = None
        if cv.getQualifierType() == lib.MODEL_QUALIFIER:
            qname = lib.ModelQualifierType_toString(cv.getModelQualifierType())
            prefix = "bqmodel"
        elif cv.getQualifierType() == lib.BIOLOGICAL_QUALIFIER:
            qname = lib.BiolQualifierType_toString(cv.getBiologicalQualifierType())
            prefix = "bqbiol"
        if not qname or qname == "unknown":
            ctx.dropped.append(f"an annotation of {what} with an unknown qualifier")
            continue
        res = cv.getResources()
        out.append((f"{prefix}:{qname}", tuple(res.getValue(j) for j in range(res.getLength()))))
        if cv.getNumNestedCVTerms():
            ctx.dropped.append(f"nested annotations of {what}")
    ann = obj.getAnnotation()
    if ann is not None:
        for i in range(ann.getNumChildren()):
            child = ann.getChild(i)
            if child.isElement() and child.getName() != "RDF":
                tag = f"{child.getPrefix()}:{child.getName()}" if child.getPrefix() else child.getName()
                ctx.dropped.append(f"annotation <{tag}> of {what}")
    if obj.isSetModelHistory():
        ctx.dropped.append(f"history (creators, dates) of {what}")
    return out


def notes_text(node: SBase) -> str:
    """Plain text of an SBML notes element (XHTML): one line per paragraph (or other block, or
    ``<br/>``), whitespace runs collapsed, lines stripped, empty lines at both ends removed."""
    lines: list[str] = []
    current: list[str] = []

    def flush(force: bool = False) -> None:
        text = "".join(current).strip()
        current.clear()
        if text or force:
            lines.append(text)

    stack: list[tuple[SBase, int | None]] = [(node, None)]
    while stack:
        n, mark = stack.pop()
        if mark is not None:  # the end of a block element
            produced = len(lines) > mark or "".join(current).strip()
            flush(force=not produced)
            continue
        if n.isText():
            current.append(_WHITESPACE.sub(" ", n.getCharacters()))
            continue
        tag = n.getName().lower()
        if tag == "br":
            flush(force=True)
            continue
        if tag in ("head", "script", "style"):
            continue
        if tag in _BLOCK_TAGS:
            flush()
            stack.append((n, len(lines)))
        stack.extend((n.getChild(i), None) for i in reversed(range(n.getNumChildren())))
    flush()
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# -- writing -----------------------------------------------------------------------------------
def write_description(
    lib: LibSBML, obj: SBase, info: Mapping[str, Any], metaid: str, what: str, dropped: list[str]
) -> None:
    """Set the notes, SBO term and annotations in ``info`` on ``obj``; what libsbml refuses is
    added to ``dropped``."""
    if info.get("notes"):
        if not succeeded(obj.setNotes(_xhtml(str(info["notes"]))), lib):
            dropped.append(f"the notes of {what}")
    if info.get("sbo"):
        if not succeeded(obj.setSBOTerm(str(info["sbo"])), lib):
            dropped.append(f"SBO term {info['sbo']} of {what}")
    ann = info.get("annotations") or ()
    if ann:
        obj.setMetaId(metaid)
    for qualifier, uris in ann:
        cv = _cv_term(lib, str(qualifier))
        ok = cv is not None
        if cv is not None:
            for uri in uris:
                ok = ok and succeeded(cv.addResource(str(uri)), lib)
        if not ok or not uris or not succeeded(obj.addCVTerm(cv), lib):
            dropped.append(f"annotation '{qualifier}' of {what}")


def _cv_term(lib: LibSBML, qualifier: str) -> SBase | None:
    """An empty CV term for ``bqbiol:NAME`` or ``bqmodel:NAME``; None for an unknown qualifier."""
    prefix, _, qname = qualifier.partition(":")
    if prefix == "bqbiol":
        cv = lib.CVTerm(lib.BIOLOGICAL_QUALIFIER)
        kind = lib.BiolQualifierType_fromString(qname)
        ok = kind != lib.BQB_UNKNOWN and succeeded(cv.setBiologicalQualifierType(kind), lib)
    elif prefix == "bqmodel":
        cv = lib.CVTerm(lib.MODEL_QUALIFIER)
        kind = lib.ModelQualifierType_fromString(qname)
        ok = kind != lib.BQM_UNKNOWN and succeeded(cv.setModelQualifierType(kind), lib)
    else:
        return None
    return cv if ok else None


def _xhtml(text: str) -> str:
    """Notes text as an XHTML body: one paragraph per line."""
    paras = "".join(f"<p>{escape(line, quote=False)}</p>" if line else "<p/>" for line in text.split("\n"))
    return f'<body xmlns="http://www.w3.org/1999/xhtml">{paras}</body>'
