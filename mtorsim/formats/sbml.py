"""SBML-qual (SBML Level 3, Qualitative Models package) in and out, through python-libsbml.

libsbml is an optional extra (``pip install 'mtorsim[sbml]'``) imported only when an SBML file is
read or written. MathML is converted by walking libsbml's ASTNode trees into our syntax tree;
nothing is evaluated or rewritten as Python text.

Reading (:func:`read_sbml`, :func:`parse_sbml`):

- every qualitative species becomes a node named by its id (``_4EBP1`` is read as ``4EBP1``, the
  form :func:`write_sbml` uses for names that start with a digit; ids that are reserved words
  such as ``not`` get a trailing ``_``, with a warning);
- a species with ``maxLevel`` k > 1 becomes the Boolean nodes ``X, X_2, ..., X_k`` with ``X_j``
  meaning "level >= j" (the convention of the Zañudo models). Their rules follow the stepwise
  (Van Ham) mapping ``X_j* = X_(j+1) or (X_(j-1) and F_j)``, where ``F_j`` says "the target level is
  at least j": levels move one step at a time and every reachable state keeps the staircase
  ``X_(j+1) -> X_j``;
- the target level of a transition is the highest ``resultLevel`` among its satisfied function
  terms, or the default term's when none is satisfied (as bioLQM/GINsim read it);
- a species without a transition (or whose transition has neither function nor default terms,
  as in the BBM corpus) is a free input ``X* = X``; a constant species with an initial level is
  that constant.

Writing (:func:`write_sbml`) produces Boolean species (``maxLevel`` 1), one transition per
non-input node with one function term (result 1) and a default term (result 0), input signs
derived from the function, names, notes, initial levels and RDF annotations (CV terms) from the
network's metadata. The document passes libsbml's consistency checks.
"""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from mtorsim.errors import Location, MtorsimError
from mtorsim.formats.ast import And, Const, Expr, Not, Or, Rule, Var, depth, names, polarity

EXTRA_HINT = "pip install 'mtorsim[sbml]'"
_NODE_NAME = re.compile(r"[A-Za-z0-9_]+")
_SID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED = {"and", "or", "not", "true", "false"}
_FORBIDDEN = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_BENIGN_XML_ERRORS = {1001, 1002}  # missing XML declaration / encoding attribute
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
MAX_DEPTH = 200
MAX_XML_DEPTH = 1000
"""Deepest element nesting handed to libsbml (its recursive parser crashes somewhere past 5,000)."""
_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<(/?)(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>", re.DOTALL)
SIGN_CHECK_MAX_INPUTS = 16


def _libsbml(action: str = "reading"):
    try:
        import libsbml
    except ImportError:
        raise MtorsimError(f"{action} SBML-qual needs the optional extra: {EXTRA_HINT}") from None
    return libsbml


# -- small Boolean helpers (folding constants, flattening chains) ----------------------------
def _and(args: Iterable[Expr]) -> Expr:
    out: list[Expr] = []
    for a in args:
        if isinstance(a, Const):
            if not a.value:
                return Const(False)
            continue
        out.extend(a.args if isinstance(a, And) else (a,))
    if not out:
        return Const(True)
    return out[0] if len(out) == 1 else And(tuple(out))


def _or(args: Iterable[Expr]) -> Expr:
    out: list[Expr] = []
    for a in args:
        if isinstance(a, Const):
            if a.value:
                return Const(True)
            continue
        out.extend(a.args if isinstance(a, Or) else (a,))
    if not out:
        return Const(False)
    return out[0] if len(out) == 1 else Or(tuple(out))


def _not(a: Expr) -> Expr:
    """``<not/>`` as written (a double negation stays, so write -> read is exact)."""
    return Const(not a.value) if isinstance(a, Const) else Not(a)


def _neg(a: Expr) -> Expr:
    """A negation mtorsim introduces itself (comparisons, xor, implies): cancels a ``not``."""
    return a.arg if isinstance(a, Not) else _not(a)


def _xor(a: Expr, b: Expr) -> Expr:
    return _or([_and([a, _neg(b)]), _and([_neg(a), b])])


def truth_bits(expr: Expr, regs: Sequence[str]) -> int:
    """The truth table of ``expr`` over ``regs`` as an integer: bit ``i`` is the value when
    regulator ``j`` equals bit ``j`` of ``i`` (no recursion; fine up to ~20 regulators)."""
    k = len(regs)
    size = 1 << k
    full = (1 << size) - 1
    cols: dict[str, int] = {}
    for j, name in enumerate(regs):
        block = ((1 << (1 << j)) - 1) << (1 << j)  # 2^j zeros then 2^j ones
        pattern, width = block, 2 << j
        while width < size:
            pattern |= pattern << width
            width *= 2
        cols[name] = pattern & full
    out: list[int] = []
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        e, done = stack.pop()
        if isinstance(e, Const):
            out.append(full if e.value else 0)
        elif isinstance(e, Var):
            out.append(cols[e.name])
        elif not done:
            stack.append((e, True))
            stack.extend((a, False) for a in ((e.arg,) if isinstance(e, Not) else e.args))
        elif isinstance(e, Not):
            out.append(full & ~out.pop())
        else:
            parts = [out.pop() for _ in e.args]
            acc = parts[0]
            for p in parts[1:]:
                acc = acc & p if isinstance(e, And) else acc | p
            out.append(acc)
    return out[0]


def signs(expr: Expr) -> dict[str, str]:
    """Each regulator's sign: '+' activating, '-' inhibiting, '±' both, '0' no effect
    (from the truth table up to 16 regulators, from the syntax above)."""
    regs = names(expr)
    if len(regs) > SIGN_CHECK_MAX_INPUTS:
        pol = polarity(expr)
        return {r: "+" if pol[r] == {1} else "-" if pol[r] == {-1} else "±" for r in regs}
    f = truth_bits(expr, regs)
    size = 1 << len(regs)
    full = (1 << size) - 1
    out = {}
    for j, r in enumerate(regs):
        s = 1 << j
        mask = truth_bits(Var(r), regs)
        shifted = (f << s) & full  # value at the same inputs with r = 0
        up = f & ~shifted & mask
        down = ~f & shifted & mask & full
        out[r] = "±" if up and down else "+" if up else "-" if down else "0"
    return out


# -- reading ---------------------------------------------------------------------------------
@dataclass
class _Species:
    sid: str
    obj: Any
    node: str = ""
    max_level: int | None = None
    initial: int | None = None
    constant: bool = False
    transition: Any = None
    levels: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Level:
    """A ``<ci>`` naming a qualitative species: its current level."""

    sid: str


@dataclass(frozen=True)
class _Threshold:
    """A ``<ci>`` naming an input of the transition: that input's threshold level."""

    input_id: str
    sid: str
    value: int


_RELATIONS = {
    "eq": operator.eq,
    "neq": operator.ne,
    "geq": operator.ge,
    "gt": operator.gt,
    "leq": operator.le,
    "lt": operator.lt,
}


class _Reader:
    def __init__(self, lib, doc, path: str):
        self.lib = lib
        self.doc = doc
        self.path = path
        self.warnings: list[str] = []
        self.dropped: list[str] = []
        self.species: dict[str, _Species] = {}
        self._species_of: dict[str, str] | None = None

    # errors ----------------------------------------------------------------------------------
    def fail(self, obj, element: str, message: str, hint: str | None = None) -> MtorsimError:
        line = obj.getLine() if obj is not None else 0
        col = obj.getColumn() if obj is not None else 0
        where = f"{self.path}:{line}:{col}" if line else self.path
        text = f"{where}: {element}: {message}"
        if hint:
            text += f"\nhint: {hint}"
        return MtorsimError(text)

    # the document ----------------------------------------------------------------------------
    def model(self):
        lib, doc = self.lib, self.doc
        for i in range(doc.getNumErrors()):
            err = doc.getError(i)
            if (
                err.getCategory() == lib.LIBSBML_CAT_XML
                and err.getSeverity() >= lib.LIBSBML_SEV_ERROR
                and err.getErrorId() not in _BENIGN_XML_ERRORS
            ) or err.getSeverity() == lib.LIBSBML_SEV_FATAL:
                where = f"{self.path}:{err.getLine()}:{err.getColumn()}" if err.getLine() else self.path
                detail = " ".join(err.getMessage().split()).rstrip(".") or "unreadable XML"
                raise MtorsimError(
                    f"{where}: not readable as XML ({detail}); "
                    "an SBML-qual file must be one complete XML document (is it truncated, or not XML?)"
                )
        if doc.getLevel() == 0:
            raise MtorsimError(
                f"{self.path}: not an SBML document (the root element is not <sbml>); "
                "give an SBML-qual file, or a .rules/.bnet file with its format (`fmt`: rules or bnet)"
            )
        model = doc.getModel()
        if model is None:
            raise MtorsimError(f"{self.path}: the SBML document has no <model> element, so it defines no nodes")
        if doc.getLevel() < 3:
            raise MtorsimError(
                f"{self.path}: an SBML Level {doc.getLevel()} document without the qual package "
                "(SBML-qual needs Level 3); mtorsim reads logical (qualitative) models, not "
                f"reaction-based ones ({model.getNumSpecies()} species, {model.getNumReactions()} reactions)"
            )
        qm = model.getPlugin("qual")
        if qm is None or not doc.isPackageEnabled("qual"):
            raise MtorsimError(
                f"{self.path}: the SBML document does not use the qual package "
                "(no http://www.sbml.org/sbml/level3/version1/qual/version1 namespace); mtorsim reads "
                "logical (qualitative) models only, and this one is reaction-based "
                f"({model.getNumSpecies()} species, {model.getNumReactions()} reactions)"
            )
        for i in range(doc.getNumPlugins()):
            pkg = doc.getPlugin(i).getPackageName()
            if pkg in ("qual", "layout"):
                continue
            if doc.getPackageRequired(pkg):
                raise MtorsimError(
                    f"{self.path}: <sbml>: the document requires the '{pkg}' package, which can change "
                    "what the model means; mtorsim reads plain SBML-qual (flatten or remove that package first)"
                )
            self.dropped.append(f"content of the SBML '{pkg}' package")
        for i in range(doc.getNumUnknownPackages()):
            uri = doc.getUnknownPackageURI(i)
            if doc.getPackageRequired(uri):
                raise MtorsimError(
                    f"{self.path}: <sbml>: the document requires a package libsbml does not know ({uri}); "
                    "mtorsim cannot tell what it changes"
                )
        layout = model.getPlugin("layout")
        if layout is not None and layout.getNumLayouts():
            self.dropped.append(f"layout ({layout.getNumLayouts()} diagram(s))")
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
            self.dropped.append(f"SBML core elements outside the qual model ({extra})")
        if qm.getNumQualitativeSpecies() == 0:
            raise MtorsimError(
                f"{self.path}: <qual:listOfQualitativeSpecies>: the model has no qualitative species, so it defines no nodes"
            )
        return model, qm

    # names -----------------------------------------------------------------------------------
    def node_names(self) -> None:
        ids = set(self.species)
        taken: set[str] = set()
        for sp in self.species.values():
            sid = sp.sid
            name = sid
            if re.fullmatch(r"_[0-9][A-Za-z0-9_]*", sid) and sid[1:] not in ids:
                name = sid[1:]  # the form write_sbml uses for names that start with a digit
            if not _NODE_NAME.fullmatch(name):
                name = re.sub(r"[^A-Za-z0-9_]", "_", name) or "node"
            if name.lower() in _RESERVED or name.isdigit():
                name = name + "_"
            base, n = name, 2
            while name in taken or (name != sid and name in ids):
                name = f"{base}_{n}"
                n += 1
            if name != sid and name != sid[1:]:
                self.warnings.append(
                    f"qualitative species '{sid}' is named '{name}' (node names use letters, digits and '_', and not and/or/not/true/false)"
                )
            sp.node = name
            taken.add(name)
        level_names: dict[str, str] = {}
        for sp in self.species.values():
            k = sp.max_level or 0
            sp.levels = [sp.node] + [f"{sp.node}_{j}" for j in range(2, k + 1)]
            if k > 1:
                self.warnings.append(
                    f"qualitative species '{sp.sid}' has {k + 1} levels; it is read as the Boolean nodes "
                    f"{', '.join(sp.levels)} (level >= 1, ..., >= {k}), changing one level per update"
                )
            for extra in sp.levels[1:]:
                clash = extra in taken or extra in level_names
                if clash:
                    other = level_names.get(extra) or next(s.sid for s in self.species.values() if s.node == extra)
                    raise self.fail(
                        sp.obj,
                        f"qualitative species '{sp.sid}'",
                        f"has maxLevel {k}, which mtorsim represents by the Boolean nodes "
                        f"{', '.join(sp.levels)} (level >= 1, >= 2, ...), but '{extra}' is already taken by '{other}'",
                        "rename one of the two species so the level nodes do not collide",
                    )
                level_names[extra] = sp.sid

    # species and transitions -----------------------------------------------------------------
    def read_species(self, qm) -> None:
        for i in range(qm.getNumQualitativeSpecies()):
            obj = qm.getQualitativeSpecies(i)
            sid = obj.getId()
            element = f"qualitative species #{i + 1}" if not sid else f"qualitative species '{sid}'"
            if not sid:
                raise self.fail(obj, element, "has no qual:id", "every qualitativeSpecies needs a unique qual:id")
            if sid in self.species:
                raise self.fail(obj, element, "is declared twice", "qual:id values must be unique")
            sp = _Species(sid, obj)
            if obj.isSetMaxLevel():
                sp.max_level = obj.getMaxLevel()
                if sp.max_level < 0:
                    raise self.fail(obj, element, f"has a negative maxLevel ({sp.max_level})")
                if sp.max_level > MAX_LEVEL:
                    raise self.fail(
                        obj,
                        element,
                        f"has maxLevel {sp.max_level}; mtorsim reads levels up to "
                        f"{MAX_LEVEL} (each level is a Boolean node)",
                    )
            if obj.isSetInitialLevel():
                sp.initial = obj.getInitialLevel()
                if sp.initial < 0 or (sp.max_level is not None and sp.initial > sp.max_level):
                    raise self.fail(obj, element, f"initialLevel {sp.initial} is outside 0..{sp.max_level}")
            sp.constant = bool(obj.isSetConstant() and obj.getConstant())
            self.species[sid] = sp

    def read_transitions(self, qm) -> list[tuple[Any, str, dict[str, Any]]]:
        out = []
        lib = self.lib
        for i in range(qm.getNumTransitions()):
            tr = qm.getTransition(i)
            tid = tr.getId()
            element = f"transition '{tid}'" if tid else f"transition #{i + 1}"
            inputs: dict[str, Any] = {}
            for j in range(tr.getNumInputs()):
                inp = tr.getInput(j)
                src = inp.getQualitativeSpecies()
                label = f"input '{inp.getId()}'" if inp.getId() else f"input #{j + 1}"
                if src not in self.species:
                    raise self.fail(
                        inp,
                        f"{element}, {label}",
                        f"refers to qualitative species '{src}', which the model does not declare"
                        if src
                        else "names no qualitative species",
                        _did_you_mean(src, self.species) or "declare it in <qual:listOfQualitativeSpecies>",
                    )
                if inp.isSetTransitionEffect() and inp.getTransitionEffect() == lib.INPUT_TRANSITION_EFFECT_CONSUMPTION:
                    raise self.fail(
                        inp,
                        f"{element}, {label}",
                        "has transitionEffect 'consumption' (Petri-net semantics), which a Boolean network cannot express",
                    )
                if inp.getId():
                    inputs[inp.getId()] = inp
            if tr.getNumOutputs() == 0:
                self.warnings.append(f"{element} has no output and is ignored")
                continue
            for j in range(tr.getNumOutputs()):
                outp = tr.getOutput(j)
                target = outp.getQualitativeSpecies()
                label = f"output '{outp.getId()}'" if outp.getId() else f"output #{j + 1}"
                if target not in self.species:
                    raise self.fail(
                        outp,
                        f"{element}, {label}",
                        f"refers to qualitative species '{target}', which the model does not declare"
                        if target
                        else "names no qualitative species",
                        _did_you_mean(target, self.species) or "declare it in <qual:listOfQualitativeSpecies>",
                    )
                effect = (
                    outp.getTransitionEffect()
                    if outp.isSetTransitionEffect()
                    else lib.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL
                )
                if effect != lib.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL:
                    raise self.fail(
                        outp,
                        f"{element}, {label}",
                        "has transitionEffect 'production' (Petri-net semantics); mtorsim reads logical models, "
                        "whose outputs use 'assignmentLevel'",
                    )
                sp = self.species[target]
                if sp.constant:
                    raise self.fail(
                        outp,
                        f"{element}, {label}",
                        f"assigns qualitative species '{target}', which is declared constant",
                        'a constant species cannot be the output of a transition; set qual:constant="false"',
                    )
                if sp.transition is not None:
                    first = sp.transition[1]
                    raise self.fail(
                        outp,
                        f"{element}, {label}",
                        f"qualitative species '{target}' is already the output of {first}",
                        "mtorsim needs one transition per species; merge their function terms into one transition",
                    )
                sp.transition = (tr, element)
            if (
                tr.isSetNotes()
                or tr.getNumCVTerms()
                or any(tr.getInput(j).getNumCVTerms() or tr.getInput(j).isSetNotes() for j in range(tr.getNumInputs()))
            ):
                self.dropped.append(
                    f"notes/annotations of {element} and its inputs (interactions have no place in a Boolean network's metadata)"
                )
            out.append((tr, element, inputs))
        return out

    def infer_max_levels(self) -> None:
        for sp in self.species.values():
            if sp.max_level is not None:
                continue
            top = max(1, sp.initial or 0)
            if sp.transition is not None:
                tr = sp.transition[0]
                levels = [tr.getFunctionTerm(j).getResultLevel() for j in range(tr.getNumFunctionTerms())]
                if tr.isSetDefaultTerm():
                    levels.append(tr.getDefaultTerm().getResultLevel())
                top = max([top, *levels])
            sp.max_level = top
            self.warnings.append(
                f"qualitative species '{sp.sid}' has no maxLevel; taken as {top} (the highest level it can reach)"
            )

    # math ------------------------------------------------------------------------------------
    def ge(self, sid: str, j: int) -> Expr:
        sp = self.species[sid]
        if j <= 0:
            return Const(True)
        if j > sp.max_level:
            return Const(False)
        return Var(sp.levels[j - 1])

    def level_set(self, sid: str, levels: set[int]) -> Expr:
        """'The level of ``sid`` is in ``levels``', as unions of intervals of level nodes."""
        k = self.species[sid].max_level
        terms = []
        j = 0
        while j <= k:
            if j in levels:
                a = j
                while j + 1 <= k and j + 1 in levels:
                    j += 1
                terms.append(_and([self.ge(sid, a), _neg(self.ge(sid, j + 1))]))
            j += 1
        return _or(terms)

    def pairs(self, v) -> list[tuple[float, Expr]]:
        if isinstance(v, _Level):
            return [(float(lv), self.level_set(v.sid, {lv})) for lv in range(self.species[v.sid].max_level + 1)]
        if isinstance(v, _Threshold):
            return [(float(v.value), Const(True))]
        if isinstance(v, float):
            return [(v, Const(True))]
        return [(1.0, v), (0.0, _neg(v))]  # a condition compared with numbers counts as 1/0

    def relation(self, op, a, b) -> Expr:
        if isinstance(a, _Level) and isinstance(b, (float, _Threshold)):
            c = b if isinstance(b, float) else float(b.value)
            return self.level_set(a.sid, {lv for lv in range(self.species[a.sid].max_level + 1) if op(float(lv), c)})
        if isinstance(b, _Level) and isinstance(a, (float, _Threshold)):
            c = a if isinstance(a, float) else float(a.value)
            return self.level_set(b.sid, {lv for lv in range(self.species[b.sid].max_level + 1) if op(c, float(lv))})
        return _or(_and([ca, cb]) for va, ca in self.pairs(a) for vb, cb in self.pairs(b) if op(va, vb))

    def as_bool(self, v, element: str, obj) -> Expr:
        if isinstance(v, _Level):
            return self.ge(v.sid, 1)  # a bare species reference: level >= 1 (bioLQM's reading)
        if isinstance(v, _Threshold):
            return self.ge(v.sid, v.value)
        if isinstance(v, float):
            raise self.fail(
                obj,
                element,
                f"a number ({v:g}) stands where a condition is expected",
                "compare it with a species, e.g. <apply><eq/><ci>X</ci><cn>1</cn></apply>",
            )
        return v

    def math(self, ast, element: str, obj, inputs: Mapping[str, Any]) -> Expr:
        """Convert a function term's MathML (an ASTNode tree) without recursion."""
        lib = self.lib
        stack: list[tuple[Any, list]] = [(ast, [])]
        while True:
            node, done = stack[-1]
            n = node.getNumChildren()
            if len(done) < n:
                stack.append((node.getChild(len(done)), []))
                continue
            stack.pop()
            value = self.combine(lib, node, done, element, obj, inputs)
            if not stack:
                return self.as_bool(value, element, obj)
            stack[-1][1].append(value)

    def combine(self, lib, node, args: list, element: str, obj, inputs: Mapping[str, Any]):
        t = node.getType()
        if t == lib.AST_NAME:
            name = node.getName()
            if name in self.species:
                return _Level(name)
            if name in inputs:
                inp = inputs[name]
                if not inp.isSetThresholdLevel():
                    raise self.fail(
                        inp,
                        element,
                        f"the math uses input '{name}' (its threshold level), but that input has no thresholdLevel",
                    )
                return _Threshold(name, inp.getQualitativeSpecies(), inp.getThresholdLevel())
            raise self.fail(
                obj,
                element,
                f"the math refers to '{name}', which is neither a qualitative species nor an input of this transition",
                _did_you_mean(name, list(self.species) + list(inputs)),
            )
        if node.isNumber():
            return float(node.getValue())
        if t == lib.AST_CONSTANT_TRUE:
            return Const(True)
        if t == lib.AST_CONSTANT_FALSE:
            return Const(False)
        if t in (
            lib.AST_LOGICAL_AND,
            lib.AST_LOGICAL_OR,
            lib.AST_LOGICAL_NOT,
            lib.AST_LOGICAL_XOR,
            lib.AST_LOGICAL_IMPLIES,
        ):
            bools = [self.as_bool(a, element, obj) for a in args]
            if t == lib.AST_LOGICAL_AND:
                return _and(bools)
            if t == lib.AST_LOGICAL_OR:
                return _or(bools)
            if t == lib.AST_LOGICAL_NOT:
                if len(bools) != 1:
                    raise self.fail(obj, element, f"<not/> takes one argument, not {len(bools)}")
                return _not(bools[0])
            if t == lib.AST_LOGICAL_XOR:
                acc: Expr = Const(False)
                for b in bools:
                    acc = _xor(acc, b)  # n-ary xor: an odd number of true arguments
                return acc
            if len(bools) != 2:
                raise self.fail(obj, element, f"<implies/> takes two arguments, not {len(bools)}")
            return _or([_neg(bools[0]), bools[1]])
        relations = {
            lib.AST_RELATIONAL_EQ: "eq",
            lib.AST_RELATIONAL_NEQ: "neq",
            lib.AST_RELATIONAL_GEQ: "geq",
            lib.AST_RELATIONAL_GT: "gt",
            lib.AST_RELATIONAL_LEQ: "leq",
            lib.AST_RELATIONAL_LT: "lt",
        }
        if t in relations:
            rel = relations[t]
            if len(args) < 2 or (rel == "neq" and len(args) != 2):
                raise self.fail(
                    obj,
                    element,
                    f"<{rel}/> needs {'two' if rel == 'neq' else 'at least two'} arguments, not {len(args)}",
                )
            op = _RELATIONS[rel]
            if rel in ("eq", "neq") and all(isinstance(a, (And, Or, Not, Var, Const)) for a in args):
                if rel == "neq":
                    return _xor(args[0], args[1])
                return _or([_and(args), _and(_neg(a) for a in args)])
            return _and(self.relation(op, a, b) for a, b in zip(args, args[1:]))
        raise self.fail(
            obj,
            element,
            f"uses {_ast_label(lib, node)}, which mtorsim does not read in SBML-qual function terms",
            "function terms may use and, or, not, xor, implies, eq, neq, geq, gt, leq, lt, true, false, <ci> and <cn>",
        )

    # the rules -------------------------------------------------------------------------------
    def rules(self, transitions) -> tuple[list[Rule], dict[str, int]]:
        by_species: dict[str, tuple[list[Expr], Any]] = {}
        for tr, element, inputs in transitions:
            terms: list[tuple[int, Expr]] = []
            outs = [tr.getOutput(j).getQualitativeSpecies() for j in range(tr.getNumOutputs())]
            top = min(self.species[s].max_level for s in outs)  # every output must hold the results
            for j in range(tr.getNumFunctionTerms()):
                ft = tr.getFunctionTerm(j)
                term = f"{element}, function term #{j + 1}"
                result = ft.getResultLevel()
                if result < 0 or result > top:
                    raise self.fail(ft, term, f"resultLevel {result} is outside the output's levels 0..{top}")
                ast = ft.getMath()
                if ast is None:
                    raise self.fail(ft, term, "has no <math>", "each functionTerm holds one MathML condition")
                cond = self.math(ast, term, ft, inputs)
                if depth(cond) > MAX_DEPTH:
                    raise self.fail(ft, term, f"nests {depth(cond)} levels deep (the limit is {MAX_DEPTH})")
                terms.append((result, cond))
            if tr.isSetDefaultTerm():
                default = tr.getDefaultTerm().getResultLevel()
                if default < 0 or default > top:
                    raise self.fail(
                        tr.getDefaultTerm(),
                        f"{element}, default term",
                        f"resultLevel {default} is outside the output's levels 0..{top}",
                    )
            elif terms:
                default = 0
                self.warnings.append(
                    f"{element} has function terms but no default term; level 0 is used when none applies"
                )
            else:
                continue  # neither function nor default terms: an unspecified function, read as a free input
            ge = []
            for j in range(1, max(self.species[s].max_level for s in outs) + 1):
                reached = [c for r, c in terms if r >= j]
                if default >= j:
                    reached.append(_and(_neg(c) for _, c in terms))
                ge.append(_or(reached))
            used = set()
            for _, c in terms:
                used.update(names(c))
            self.check_inputs(tr, element, inputs, ge, used)
            for s in outs:
                by_species[s] = (ge, tr)
        rules: list[Rule] = []
        initial: dict[str, int] = {}
        for sp in self.species.values():
            k = sp.max_level
            where = Location(self.path, sp.obj.getLine(), sp.obj.getColumn())
            if sp.initial is not None:
                initial.update({name: int(sp.initial >= j) for j, name in enumerate(sp.levels, start=1)})
            if k == 0:
                rules.append(Rule(sp.node, Const(False), where))
                continue
            if sp.sid in by_species:
                ge, tr = by_species[sp.sid]
                where = Location(self.path, tr.getLine(), tr.getColumn())
                for j, name in enumerate(sp.levels, start=1):
                    if k == 1:
                        expr = ge[0]
                    else:  # stepwise (Van Ham) mapping: one level at a time, staircase kept
                        above = Var(sp.levels[j]) if j < k else Const(False)
                        below = Var(sp.levels[j - 2]) if j > 1 else Const(True)
                        expr = _or([above, _and([below, ge[j - 1]])])
                    rules.append(Rule(name, expr, where))
            elif sp.constant and sp.initial is not None:
                rules.extend(Rule(name, Const(sp.initial >= j), where) for j, name in enumerate(sp.levels, start=1))
            else:
                rules.extend(Rule(name, Var(name, where), where) for name in sp.levels)
        return rules, initial

    def species_of_node(self) -> dict[str, str]:
        """Node name -> its species' id (built once: the species are read by now)."""
        if self._species_of is None:
            self._species_of = {name: sp.sid for sp in self.species.values() for name in sp.levels}
        return self._species_of

    def check_inputs(self, tr, element: str, inputs, ge: list[Expr], used: set[str]) -> None:
        """Warn when the function reads a species the transition does not list as an input, or
        contradicts an input's declared sign (Boolean inputs and targets only)."""
        lib = self.lib
        listed = {tr.getInput(j).getQualitativeSpecies() for j in range(tr.getNumInputs())}
        node_of = self.species_of_node()
        unlisted = sorted({node_of[n] for n in used} - listed)
        if unlisted:
            self.warnings.append(f"{element}: the function reads {', '.join(unlisted)}, not listed among its inputs")
        if len(ge) != 1:
            return
        expr = ge[0]
        regs = names(expr)
        if len(regs) > SIGN_CHECK_MAX_INPUTS:
            return
        derived = signs(expr)
        declared_names = {lib.INPUT_SIGN_POSITIVE: "positive", lib.INPUT_SIGN_NEGATIVE: "negative"}
        for j in range(tr.getNumInputs()):
            inp = tr.getInput(j)
            sp = self.species[inp.getQualitativeSpecies()]
            if not inp.isSetSign() or sp.max_level != 1:
                continue
            declared = declared_names.get(inp.getSign())
            got = derived.get(sp.node, "0")
            if (declared == "positive" and got in ("-", "±")) or (declared == "negative" and got in ("+", "±")):
                effect = {"+": "activates", "-": "inhibits", "±": "both activates and inhibits"}[got]
                self.warnings.append(
                    f"{element}: input {sp.sid} is declared {declared} but {effect} the target in the function"
                )

    # metadata --------------------------------------------------------------------------------
    def annotations(self, obj, what: str) -> list[tuple[str, tuple[str, ...]]]:
        lib = self.lib
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
                self.dropped.append(f"an annotation of {what} with an unknown qualifier")
                continue
            res = cv.getResources()
            out.append((f"{prefix}:{qname}", tuple(res.getValue(j) for j in range(res.getLength()))))
            if cv.getNumNestedCVTerms():
                self.dropped.append(f"nested annotations of {what}")
        ann = obj.getAnnotation()
        if ann is not None:
            for i in range(ann.getNumChildren()):
                child = ann.getChild(i)
                if child.isElement() and child.getName() != "RDF":
                    tag = f"{child.getPrefix()}:{child.getName()}" if child.getPrefix() else child.getName()
                    self.dropped.append(f"annotation <{tag}> of {what}")
        if obj.isSetModelHistory():
            self.dropped.append(f"history (creators, dates) of {what}")
        return out

    def describe(self, obj, what: str) -> dict[str, Any]:
        info: dict[str, Any] = {}
        if obj.isSetNotes():
            text = notes_text(obj.getNotes())
            if text:
                info["notes"] = text
        ann = self.annotations(obj, what)
        if ann:
            info["annotations"] = ann
        if obj.isSetSBOTerm():
            info["sbo"] = obj.getSBOTermID()
        return info

    def meta(self, model, initial: dict[str, int]) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        if model.isSetId():
            meta["id"] = model.getId()
        if model.isSetName() and model.getName().strip():
            meta["name"] = " ".join(model.getName().split())
        meta.update(self.describe(model, "the model"))
        counts: dict[str, int] = {}
        for sp in self.species.values():
            if sp.obj.isSetCompartment():
                counts[sp.obj.getCompartment()] = counts.get(sp.obj.getCompartment(), 0) + 1
        main = max(counts, key=counts.get) if counts else None
        if main and main != "default":
            meta["compartment"] = main
        for i in range(model.getNumCompartments()):
            c = model.getCompartment(i)
            if c.isSetName() and c.getName() != c.getId() or c.getNumCVTerms() or c.isSetNotes():
                self.dropped.append(f"the name/notes/annotations of compartment '{c.getId()}'")
        nodes: dict[str, dict[str, Any]] = {}
        for sp in self.species.values():
            info: dict[str, Any] = {}
            obj = sp.obj
            if obj.isSetName() and " ".join(obj.getName().split()) not in ("", sp.node, sp.sid):
                info["name"] = " ".join(obj.getName().split())
            info.update(self.describe(obj, f"species '{sp.sid}'"))
            if obj.isSetCompartment() and obj.getCompartment() != main:
                info["compartment"] = obj.getCompartment()
            if info:
                nodes[sp.node] = info
        if nodes:
            meta["nodes"] = nodes
        if initial:
            meta["initial"] = initial
        return meta


def _ast_label(lib, node) -> str:
    t = node.getType()
    if t == lib.AST_FUNCTION:
        return f"a call of the function '{node.getName()}'"
    if t in (lib.AST_NAME_TIME, lib.AST_NAME_AVOGADRO):
        return f"the csymbol '{node.getName() or 'time'}'"
    arithmetic = {
        lib.AST_PLUS: "plus",
        lib.AST_MINUS: "minus",
        lib.AST_TIMES: "times",
        lib.AST_DIVIDE: "divide",
        lib.AST_POWER: "power",
    }
    if t in arithmetic:
        return f"arithmetic (<{arithmetic[t]}/>)"
    return f"<{node.getName()}>" if node.getName() else f"a MathML element of libsbml type {t}"


def _did_you_mean(name: str, known: Iterable[str]) -> str | None:
    from mtorsim.errors import did_you_mean

    return did_you_mean(name, known) if name else None


def notes_text(node) -> str:
    """Plain text of an SBML notes element (XHTML): one line per paragraph (or other block, or
    ``<br/>``), whitespace runs collapsed, lines stripped, empty lines at both ends removed."""
    lines: list[str] = []
    current: list[str] = []

    def flush(force: bool = False) -> None:
        text = "".join(current).strip()
        current.clear()
        if text or force:
            lines.append(text)

    stack: list[tuple[Any, int | None]] = [(node, None)]
    while stack:
        n, mark = stack.pop()
        if mark is not None:  # the end of a block element
            produced = len(lines) > mark or "".join(current).strip()
            flush(force=not produced)
            continue
        if n.isText():
            current.append(re.sub(r"\s+", " ", n.getCharacters()))
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


def check_text(text: str, path: str) -> None:
    """Refuse documents that declare a DTD or entities (no expansion, no external entities)."""
    m = _FORBIDDEN.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        kind = m.group(1).upper()
        raise MtorsimError(
            f"{path}:{line}: the document contains an <!{kind}> declaration; mtorsim does not read XML with "
            "document type or entity declarations (they can expand entities without bound or read other "
            "files). SBML needs neither: remove the declaration"
        )


MAX_LEVEL = 64  # highest maxLevel read: each level becomes a Boolean node
MAX_ATTRIBUTE = 2**20  # longest attribute value or text run between tags, in characters


def check_sizes(text: str, path: str) -> None:
    """Refuse a single attribute or text run longer than MAX_ATTRIBUTE characters before libsbml
    sees it (XML parsers spend minutes on one huge attribute; no model needs one). Linear: the
    runs between '<' and '>' are measured in UTF-8 bytes, and only those over the limit there
    are counted again in characters."""
    import numpy as np

    if len(text) <= MAX_ATTRIBUTE:
        return
    raw = text.encode()
    data = np.frombuffer(raw, np.uint8)
    edges = np.concatenate(([-1], np.flatnonzero((data == 60) | (data == 62)), [len(data)]))
    for i in np.flatnonzero(np.diff(edges) - 1 > MAX_ATTRIBUTE).tolist():
        a, b = int(edges[i]) + 1, int(edges[i + 1])
        if len(raw[a:b].decode()) > MAX_ATTRIBUTE:
            line = raw.count(b"\n", 0, a) + 1
            raise MtorsimError(
                f"{path}:{line}: a single attribute or text run of more than {MAX_ATTRIBUTE:,} "
                "characters; no SBML-qual model needs one, so the file is refused"
            )


def check_depth(text: str, path: str) -> None:
    """Refuse element nesting deeper than :data:`MAX_XML_DEPTH` before libsbml sees it."""
    level = 0
    for m in _MARKUP.finditer(text):
        if m.group(0)[1] in "!?":
            continue
        if m.group(1):
            level -= 1
        elif not m.group(2):
            level += 1
            if level > MAX_XML_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                raise MtorsimError(
                    f"{path}:{line}: XML elements nest more than {MAX_XML_DEPTH} levels deep; no SBML-qual "
                    "model needs that (a rule nested this deep would be unreadable), so the file is refused"
                )


def parse_sbml(text: str, path: str) -> tuple[list[Rule], dict[str, Any]]:
    """Rules and metadata from the text of an SBML-qual document."""
    check_text(text, path)
    if not text.strip():
        raise MtorsimError(f"{path}: the file is empty; an SBML-qual file is an XML document starting with <sbml ...>")
    check_depth(text, path)
    check_sizes(text, path)
    lib = _libsbml("reading")
    doc = lib.readSBMLFromString(text.lstrip())
    reader = _Reader(lib, doc, path)
    model, qm = reader.model()
    reader.read_species(qm)
    transitions = reader.read_transitions(qm)
    reader.infer_max_levels()
    reader.node_names()
    rules, initial = reader.rules(transitions)
    meta = reader.meta(model, initial)
    if reader.warnings:
        meta["warnings"] = reader.warnings
    if reader.dropped:
        meta["dropped"] = list(dict.fromkeys(reader.dropped))
    return rules, meta


def read_sbml(path: str | os.PathLike) -> tuple[list[Rule], dict[str, Any]]:
    """Read an SBML-qual file: its rules (one per Boolean node) and its metadata
    (``name``, ``notes``, ``nodes`` annotations, ``initial`` levels, ``warnings``, ``dropped``)."""
    from mtorsim.formats.io import read_text

    return parse_sbml(read_text(path), str(path))


# -- writing ---------------------------------------------------------------------------------
class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, wanted: str) -> str:
        sid = re.sub(r"[^A-Za-z0-9_]", "_", wanted) or "x"
        if not _SID.fullmatch(sid):
            sid = "_" + sid
        base, n = sid, 2
        while sid in self.used:
            sid = f"{base}_{n}"
            n += 1
        self.used.add(sid)
        return sid


def _xhtml(text: str) -> str:
    paras = "".join(f"<p>{escape(line, quote=False)}</p>" if line else "<p/>" for line in text.split("\n"))
    return f'<body xmlns="http://www.w3.org/1999/xhtml">{paras}</body>'


def _check(code: int, lib) -> bool:
    return code == lib.LIBSBML_OPERATION_SUCCESS


class _Writer:
    def __init__(self, lib, meta: Mapping[str, Any]):
        self.lib = lib
        self.meta = meta
        self.dropped: list[str] = []

    def describe(self, obj, info: Mapping[str, Any], metaid: str, what: str) -> None:
        lib = self.lib
        if info.get("notes"):
            if not _check(obj.setNotes(_xhtml(str(info["notes"]))), lib):
                self.dropped.append(f"the notes of {what}")
        if info.get("sbo"):
            if not _check(obj.setSBOTerm(str(info["sbo"])), lib):
                self.dropped.append(f"SBO term {info['sbo']} of {what}")
        ann = info.get("annotations") or ()
        if ann:
            obj.setMetaId(metaid)
        for qualifier, uris in ann:
            prefix, _, qname = str(qualifier).partition(":")
            if prefix == "bqbiol":
                cv = lib.CVTerm(lib.BIOLOGICAL_QUALIFIER)
                kind = lib.BiolQualifierType_fromString(qname)
                ok = kind != lib.BQB_UNKNOWN and _check(cv.setBiologicalQualifierType(kind), lib)
            elif prefix == "bqmodel":
                cv = lib.CVTerm(lib.MODEL_QUALIFIER)
                kind = lib.ModelQualifierType_fromString(qname)
                ok = kind != lib.BQM_UNKNOWN and _check(cv.setModelQualifierType(kind), lib)
            else:
                ok = False
            if ok:
                for uri in uris:
                    ok = ok and _check(cv.addResource(str(uri)), lib)
            if not ok or not uris or not _check(obj.addCVTerm(cv), lib):
                self.dropped.append(f"annotation '{qualifier}' of {what}")

    def document(self, rules: Sequence[Rule]):
        lib, meta = self.lib, self.meta
        ns = lib.SBMLNamespaces(3, 1, "qual", 1)
        doc = lib.SBMLDocument(ns)
        doc.setPackageRequired("qual", True)
        model = doc.createModel()
        defined = [r.target for r in rules]
        for r in rules:
            for n in names(r.expr):
                if n not in defined:
                    defined.append(n)  # a regulator without a rule: a free input
        ids = _Ids()
        sid = {n: ids.make(n) for n in defined}  # node ids first: they keep the node names
        for n, s in sid.items():
            if s != n and not (s == "_" + n and n[:1].isdigit()):
                self.dropped.append(f"the exact name of node '{n}' (written as SBML id '{s}')")
        if meta.get("id"):
            model.setId(ids.make(str(meta["id"])))
            if model.getId() != meta["id"]:
                self.dropped.append(f"the exact model id '{meta['id']}' (written as '{model.getId()}')")
        if meta.get("name"):
            model.setName(str(meta["name"]))
        metaids = _Ids()
        self.describe(model, meta, metaids.make("meta_model"), "the model")
        main = str(meta.get("compartment") or "default")
        node_meta: Mapping[str, Mapping[str, Any]] = meta.get("nodes") or {}
        initial: Mapping[str, int] = meta.get("initial") or {}
        compartments = {main: None}
        for n in defined:
            c = node_meta.get(n, {}).get("compartment")
            if c:
                compartments.setdefault(str(c), None)
        for c in compartments:
            comp = model.createCompartment()
            cid = ids.make(c)
            compartments[c] = cid
            comp.setId(cid)
            comp.setConstant(True)
            comp.setSpatialDimensions(3)  # size and units only to keep libsbml's unit checks quiet;
            comp.setSize(1)  # a logical model does not use them
            comp.setUnits("dimensionless")
        qm = model.getPlugin("qual")
        for n in defined:
            info = node_meta.get(n, {})
            qs = qm.createQualitativeSpecies()
            qs.setId(sid[n])
            qs.setName(str(info.get("name") or n))
            qs.setCompartment(compartments[str(info.get("compartment") or main)])
            qs.setConstant(False)
            qs.setMaxLevel(1)
            if n in initial:
                level = int(initial[n])
                if level in (0, 1):
                    qs.setInitialLevel(level)
                else:
                    self.dropped.append(f"initial level {level} of node '{n}' (Boolean nodes take 0 or 1)")
            self.describe(qs, info, metaids.make(f"meta_{sid[n]}"), f"node '{n}'")
        for n in meta.get("nodes") or {}:
            if n not in sid:
                self.dropped.append(f"metadata of '{n}', which is not a node of the network")
        for n in initial:
            if n not in sid:
                self.dropped.append(f"the initial level of '{n}', which is not a node of the network")
        sign_codes = {"+": lib.INPUT_SIGN_POSITIVE, "-": lib.INPUT_SIGN_NEGATIVE, "±": lib.INPUT_SIGN_DUAL}
        for r in rules:
            if isinstance(r.expr, Var) and r.expr.name == r.target:
                continue  # a free input: a species without a transition keeps its level
            tr = qm.createTransition()
            tid = ids.make(f"tr_{sid[r.target]}")
            tr.setId(tid)
            regs = names(r.expr)
            sg = signs(r.expr) if regs else {}
            for reg in regs:
                inp = tr.createInput()
                inp.setId(ids.make(f"{tid}_in_{sid[reg]}"))
                inp.setQualitativeSpecies(sid[reg])
                inp.setTransitionEffect(lib.INPUT_TRANSITION_EFFECT_NONE)
                if sg[reg] in sign_codes:
                    inp.setSign(sign_codes[sg[reg]])
            out = tr.createOutput()
            out.setId(ids.make(f"{tid}_out"))
            out.setQualitativeSpecies(sid[r.target])
            out.setTransitionEffect(lib.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
            if isinstance(r.expr, Const):
                tr.createDefaultTerm().setResultLevel(int(r.expr.value))
                continue
            tr.createDefaultTerm().setResultLevel(0)
            ft = tr.createFunctionTerm()
            ft.setResultLevel(1)
            ft.setMath(self.mathml(r.expr, sid))
        return doc

    def mathml(self, expr: Expr, sid: Mapping[str, str]):
        """Our tree -> libsbml ASTNode: X is <eq/> X 1; not/and/or; true/false (no recursion)."""
        lib = self.lib

        def leaf(e: Expr):
            if isinstance(e, Const):
                return lib.ASTNode(lib.AST_CONSTANT_TRUE if e.value else lib.AST_CONSTANT_FALSE)
            eq = lib.ASTNode(lib.AST_RELATIONAL_EQ)
            ci = lib.ASTNode(lib.AST_NAME)
            ci.setName(sid[e.name])
            one = lib.ASTNode(lib.AST_INTEGER)
            one.setValue(1)
            eq.addChild(ci)
            eq.addChild(one)
            return eq

        kinds = {Not: lib.AST_LOGICAL_NOT, And: lib.AST_LOGICAL_AND, Or: lib.AST_LOGICAL_OR}
        if isinstance(expr, (Const, Var)):
            return leaf(expr)
        root = lib.ASTNode(kinds[type(expr)])
        stack = [(expr, root)]
        while stack:
            e, node = stack.pop()
            for child in (e.arg,) if isinstance(e, Not) else e.args:
                if isinstance(child, (Const, Var)):
                    node.addChild(leaf(child))
                else:
                    sub = lib.ASTNode(kinds[type(child)])
                    node.addChild(sub)
                    stack.append((child, sub))
        return root


def format_sbml(
    rules: Sequence[Rule], meta: Mapping[str, Any] | None = None, validate: bool = True
) -> tuple[str, list[str]]:
    """SBML-qual text of ``rules`` with ``meta``; also the metadata that could not be written."""
    lib = _libsbml("writing")
    writer = _Writer(lib, meta or {})
    doc = writer.document(rules)
    if validate:
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
    return lib.writeSBMLToString(doc), list(dict.fromkeys(writer.dropped))


def write_sbml(model, path: str | os.PathLike, meta: Mapping[str, Any] | None = None) -> list[str]:
    """Write a network (or a list of rules) as SBML-qual; returns what could not be written."""
    if hasattr(model, "as_rules"):
        rules = model.as_rules()
        if meta is None:
            meta = getattr(model, "meta", None)
    else:
        rules = list(model)
    text, dropped = format_sbml(rules, meta)
    from mtorsim.safeio import write_atomic

    write_atomic(path, text)
    return dropped
