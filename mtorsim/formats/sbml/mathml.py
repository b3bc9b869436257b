"""MathML (libsbml ASTNode trees) to and from our syntax tree, walked without recursion.

Reading turns a function term's condition into a Boolean expression over level nodes: ``<ci>``
names a species (its level) or an input of the transition (its threshold), comparisons with
numbers become sets of levels. Writing gives each node ``X`` as ``<eq/> X 1``. Nothing is
evaluated or rewritten as Python text.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

from mtorsim.formats.ast import And, Const, Expr, Not, Or, Var
from mtorsim.formats.sbml.binding import LibSBML, SBase
from mtorsim.formats.sbml.boolean import and_, neg, not_, or_, xor
from mtorsim.formats.sbml.context import Context, did_you_mean_hint


@dataclass(frozen=True)
class Level:
    """A ``<ci>`` naming a qualitative species: its current level."""

    sid: str


@dataclass(frozen=True)
class Threshold:
    """A ``<ci>`` naming an input of the transition: that input's threshold level."""

    input_id: str
    sid: str
    value: int


Value: TypeAlias = Expr | float | Level | Threshold
"""What a MathML element stands for: a condition, a number, a species' level or a threshold."""

_RELATIONS: dict[str, Callable[[float, float], bool]] = {
    "eq": operator.eq,
    "neq": operator.ne,
    "geq": operator.ge,
    "gt": operator.gt,
    "leq": operator.le,
    "lt": operator.lt,
}
_HINT = "function terms may use and, or, not, xor, implies, eq, neq, geq, gt, leq, lt, true, false, <ci> and <cn>"


# -- reading -----------------------------------------------------------------------------------
class MathReader:
    """Converts function-term conditions of the species in ``ctx`` (levels known, nodes named)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        lib = ctx.lib
        self.lib = lib
        self.logical = {
            lib.AST_LOGICAL_AND: "and",
            lib.AST_LOGICAL_OR: "or",
            lib.AST_LOGICAL_NOT: "not",
            lib.AST_LOGICAL_XOR: "xor",
            lib.AST_LOGICAL_IMPLIES: "implies",
        }
        self.relations = {
            lib.AST_RELATIONAL_EQ: "eq",
            lib.AST_RELATIONAL_NEQ: "neq",
            lib.AST_RELATIONAL_GEQ: "geq",
            lib.AST_RELATIONAL_GT: "gt",
            lib.AST_RELATIONAL_LEQ: "leq",
            lib.AST_RELATIONAL_LT: "lt",
        }

    def condition(self, ast: SBase, element: str, obj: SBase, inputs: Mapping[str, SBase]) -> Expr:
        """Convert a function term's MathML (an ASTNode tree) without recursion."""
        stack: list[tuple[SBase, list[Value]]] = [(ast, [])]
        while True:
            node, done = stack[-1]
            n = node.getNumChildren()
            if len(done) < n:
                stack.append((node.getChild(len(done)), []))
                continue
            stack.pop()
            value = self.combine(node, done, element, obj, inputs)
            if not stack:
                return self.as_bool(value, element, obj)
            stack[-1][1].append(value)

    def combine(self, node: SBase, args: list[Value], element: str, obj: SBase, inputs: Mapping[str, SBase]) -> Value:
        """The value of ``node`` given the values of its children."""
        lib = self.lib
        t = node.getType()
        if t == lib.AST_NAME:
            return self.name(node.getName(), element, obj, inputs)
        if node.isNumber():
            return float(node.getValue())
        if t == lib.AST_CONSTANT_TRUE:
            return Const(True)
        if t == lib.AST_CONSTANT_FALSE:
            return Const(False)
        if t in self.logical:
            return self.connective(self.logical[t], args, element, obj)
        if t in self.relations:
            return self.comparison(self.relations[t], args, element, obj)
        raise self.ctx.fail(
            obj,
            element,
            f"uses {_ast_label(lib, node)}, which mtorsim does not read in SBML-qual function terms",
            _HINT,
        )

    def name(self, name: str, element: str, obj: SBase, inputs: Mapping[str, SBase]) -> Level | Threshold:
        """A ``<ci>``: a species' level, or the threshold of an input of the transition."""
        species = self.ctx.species
        if name in species:
            return Level(name)
        if name in inputs:
            inp = inputs[name]
            if not inp.isSetThresholdLevel():
                raise self.ctx.fail(
                    inp,
                    element,
                    f"the math uses input '{name}' (its threshold level), but that input has no thresholdLevel",
                )
            return Threshold(name, inp.getQualitativeSpecies(), inp.getThresholdLevel())
        raise self.ctx.fail(
            obj,
            element,
            f"the math refers to '{name}', which is neither a qualitative species nor an input of this transition",
            did_you_mean_hint(name, list(species) + list(inputs)),
        )

    def connective(self, kind: str, args: list[Value], element: str, obj: SBase) -> Expr:
        """``and``, ``or``, ``not``, ``xor`` (n-ary: an odd number true) or ``implies``."""
        bools = [self.as_bool(a, element, obj) for a in args]
        if kind == "and":
            return and_(bools)
        if kind == "or":
            return or_(bools)
        if kind == "not":
            if len(bools) != 1:
                raise self.ctx.fail(obj, element, f"<not/> takes one argument, not {len(bools)}")
            return not_(bools[0])
        if kind == "xor":
            acc: Expr = Const(False)
            for b in bools:
                acc = xor(acc, b)
            return acc
        if len(bools) != 2:
            raise self.ctx.fail(obj, element, f"<implies/> takes two arguments, not {len(bools)}")
        return or_([neg(bools[0]), bools[1]])

    def comparison(self, rel: str, args: list[Value], element: str, obj: SBase) -> Expr:
        """``eq``, ``neq``, ``geq``, ``gt``, ``leq``, ``lt`` (chained: each neighbouring pair)."""
        if len(args) < 2 or (rel == "neq" and len(args) != 2):
            raise self.ctx.fail(
                obj,
                element,
                f"<{rel}/> needs {'two' if rel == 'neq' else 'at least two'} arguments, not {len(args)}",
            )
        conditions = [a for a in args if isinstance(a, (And, Or, Not, Var, Const))]
        if rel in ("eq", "neq") and len(conditions) == len(args):
            if rel == "neq":
                return xor(conditions[0], conditions[1])
            return or_([and_(conditions), and_(neg(a) for a in conditions)])
        op = _RELATIONS[rel]
        return and_(self.relation(op, a, b) for a, b in zip(args, args[1:]))

    def relation(self, op: Callable[[float, float], bool], a: Value, b: Value) -> Expr:
        """``a op b`` as a condition on level nodes."""
        if isinstance(a, Level) and isinstance(b, (float, Threshold)):
            c = b if isinstance(b, float) else float(b.value)
            return self.level_set(a.sid, {lv for lv in range(self.top(a.sid) + 1) if op(float(lv), c)})
        if isinstance(b, Level) and isinstance(a, (float, Threshold)):
            c = a if isinstance(a, float) else float(a.value)
            return self.level_set(b.sid, {lv for lv in range(self.top(b.sid) + 1) if op(c, float(lv))})
        return or_(and_([ca, cb]) for va, ca in self.pairs(a) for vb, cb in self.pairs(b) if op(va, vb))

    def pairs(self, v: Value) -> list[tuple[float, Expr]]:
        """The values ``v`` can take, each with the condition under which it does."""
        if isinstance(v, Level):
            return [(float(lv), self.level_set(v.sid, {lv})) for lv in range(self.top(v.sid) + 1)]
        if isinstance(v, Threshold):
            return [(float(v.value), Const(True))]
        if isinstance(v, float):
            return [(v, Const(True))]
        return [(1.0, v), (0.0, neg(v))]  # a condition compared with numbers counts as 1/0

    def as_bool(self, v: Value, element: str, obj: SBase) -> Expr:
        """``v`` where a condition is expected: a bare species or threshold means level >= 1 or >= it."""
        if isinstance(v, Level):
            return self.ge(v.sid, 1)  # a bare species reference: level >= 1 (bioLQM's reading)
        if isinstance(v, Threshold):
            return self.ge(v.sid, v.value)
        if isinstance(v, float):
            raise self.ctx.fail(
                obj,
                element,
                f"a number ({v:g}) stands where a condition is expected",
                "compare it with a species, e.g. <apply><eq/><ci>X</ci><cn>1</cn></apply>",
            )
        return v

    def top(self, sid: str) -> int:
        """The highest level of species ``sid``."""
        return self.ctx.species[sid].max_level

    def ge(self, sid: str, j: int) -> Expr:
        """'The level of ``sid`` is at least ``j``'."""
        sp = self.ctx.species[sid]
        if j <= 0:
            return Const(True)
        if j > sp.max_level:
            return Const(False)
        return Var(sp.levels[j - 1])

    def level_set(self, sid: str, levels: set[int]) -> Expr:
        """'The level of ``sid`` is in ``levels``', as unions of intervals of level nodes."""
        k = self.top(sid)
        terms = []
        j = 0
        while j <= k:
            if j in levels:
                a = j
                while j + 1 <= k and j + 1 in levels:
                    j += 1
                terms.append(and_([self.ge(sid, a), neg(self.ge(sid, j + 1))]))
            j += 1
        return or_(terms)


def _ast_label(lib: LibSBML, node: SBase) -> str:
    """How an error message names an ASTNode mtorsim does not read."""
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


# -- writing -----------------------------------------------------------------------------------
def to_mathml(lib: LibSBML, expr: Expr, sid: Mapping[str, str]) -> SBase:
    """Our tree -> libsbml ASTNode: X is <eq/> X 1; not/and/or; true/false (no recursion)."""

    def leaf(e: Const | Var) -> SBase:
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
    stack: list[tuple[Not | And | Or, SBase]] = [(expr, root)]
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
