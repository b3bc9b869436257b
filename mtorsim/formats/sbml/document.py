"""The SBML document as a whole: readable XML, Level 3 with the qual package, no required
package mtorsim cannot honour; what lies outside the qual model is noted as dropped."""

from __future__ import annotations

from mtorsim.errors import MtorsimError
from mtorsim.formats.sbml.binding import SBase
from mtorsim.formats.sbml.context import Context

_BENIGN_XML_ERRORS = {1001, 1002}  # missing XML declaration / encoding attribute
_KNOWN_PACKAGES = ("qual", "layout")


def open_model(ctx: Context, doc: SBase) -> tuple[SBase, SBase]:
    """The document's model and its qual plugin, after checking the document can be read."""
    _check_xml(ctx, doc)
    model = _check_model(ctx, doc)
    qm = model.getPlugin("qual")
    if qm is None or not doc.isPackageEnabled("qual"):
        raise MtorsimError(
            f"{ctx.path}: the SBML document does not use the qual package "
            "(no http://www.sbml.org/sbml/level3/version1/qual/version1 namespace); mtorsim reads "
            "logical (qualitative) models only, and this one is reaction-based "
            f"({model.getNumSpecies()} species, {model.getNumReactions()} reactions)"
        )
    _check_packages(ctx, doc)
    _note_dropped(ctx, model)
    if qm.getNumQualitativeSpecies() == 0:
        raise MtorsimError(
            f"{ctx.path}: <qual:listOfQualitativeSpecies>: the model has no qualitative species, so it defines no nodes"
        )
    return model, qm


def _check_xml(ctx: Context, doc: SBase) -> None:
    """Refuse a document libsbml could not parse as XML (a truncated or non-XML file)."""
    lib = ctx.lib
    for i in range(doc.getNumErrors()):
        err = doc.getError(i)
        if (
            err.getCategory() == lib.LIBSBML_CAT_XML
            and err.getSeverity() >= lib.LIBSBML_SEV_ERROR
            and err.getErrorId() not in _BENIGN_XML_ERRORS
        ) or err.getSeverity() == lib.LIBSBML_SEV_FATAL:
            where = f"{ctx.path}:{err.getLine()}:{err.getColumn()}" if err.getLine() else ctx.path
            detail = " ".join(err.getMessage().split()).rstrip(".") or "unreadable XML"
            raise MtorsimError(
                f"{where}: not readable as XML ({detail}); "
                "an SBML-qual file must be one complete XML document (is it truncated, or not XML?)"
            )


def _check_model(ctx: Context, doc: SBase) -> SBase:
    """The ``<model>`` of an SBML Level 3 document."""
    if doc.getLevel() == 0:
        raise MtorsimError(
            f"{ctx.path}: not an SBML document (the root element is not <sbml>); "
            "give an SBML-qual file, or a .rules/.bnet file with its format (`fmt`: rules or bnet)"
        )
    model = doc.getModel()
    if model is None:
        raise MtorsimError(f"{ctx.path}: the SBML document has no <model> element, so it defines no nodes")
    if doc.getLevel() < 3:
        raise MtorsimError(
            f"{ctx.path}: an SBML Level {doc.getLevel()} document without the qual package "
            "(SBML-qual needs Level 3); mtorsim reads logical (qualitative) models, not "
            f"reaction-based ones ({model.getNumSpecies()} species, {model.getNumReactions()} reactions)"
        )
    return model


def _check_packages(ctx: Context, doc: SBase) -> None:
    """Refuse required packages other than qual and layout; note optional ones as dropped."""
    for i in range(doc.getNumPlugins()):
        pkg = doc.getPlugin(i).getPackageName()
        if pkg in _KNOWN_PACKAGES:
            continue
        if doc.getPackageRequired(pkg):
            raise MtorsimError(
                f"{ctx.path}: <sbml>: the document requires the '{pkg}' package, which can change "
                "what the model means; mtorsim reads plain SBML-qual (flatten or remove that package first)"
            )
        ctx.dropped.append(f"content of the SBML '{pkg}' package")
    for i in range(doc.getNumUnknownPackages()):
        uri = doc.getUnknownPackageURI(i)
        if doc.getPackageRequired(uri):
            raise MtorsimError(
                f"{ctx.path}: <sbml>: the document requires a package libsbml does not know ({uri}); "
                "mtorsim cannot tell what it changes"
            )


def _note_dropped(ctx: Context, model: SBase) -> None:
    """Layouts and SBML core elements: kept by other tools, not part of a Boolean network."""
    layout = model.getPlugin("layout")
    if layout is not None and layout.getNumLayouts():
        ctx.dropped.append(f"layout ({layout.getNumLayouts()} diagram(s))")
    core = {
        "species": model.getNumSpecies(),
        "reactions": model.getNumReactions(),
        "parameters": model.getNumParameters(),
        "rules": model.getNumRules(),
        "events": model.getNumEvents(),
        "function definitions": model.getNumFunctionDefinitions(),
        "initial assignments": model.getNumInitialAssignments(),
        "constraints": model.getNumConstraints(),
    }
    extra = ", ".join(f"{n} {k}" for k, n in core.items() if n)
    if extra:
        ctx.dropped.append(f"SBML core elements outside the qual model ({extra})")
