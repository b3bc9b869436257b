"""The syntax tree of a Boolean rule: constants, variables, not, and, or."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from mtorsim.errors import Location


@dataclass(frozen=True, slots=True)
class Const:
    value: bool


@dataclass(frozen=True, slots=True)
class Var:
    name: str
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Not:
    arg: Expr


@dataclass(frozen=True, slots=True)
class And:
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or:
    args: tuple[Expr, ...]


Expr = Const | Var | Not | And | Or


@dataclass(frozen=True, slots=True)
class Rule:
    """One definition ``target = expr`` as written in a file."""

    target: str
    expr: Expr
    where: Location | None = field(default=None, compare=False, repr=False)


def variables(expr: Expr) -> Iterator[Var]:
    """Every variable occurrence, left to right."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Var):
            yield e
        elif isinstance(e, Not):
            stack.append(e.arg)
        elif isinstance(e, (And, Or)):
            stack.extend(reversed(e.args))


def depth(expr: Expr) -> int:
    """Nesting depth of the tree (a leaf is 1), computed without recursion."""
    best = 0
    stack = [(expr, 1)]
    while stack:
        e, d = stack.pop()
        best = max(best, d)
        if isinstance(e, Not):
            stack.append((e.arg, d + 1))
        elif isinstance(e, (And, Or)):
            stack.extend((a, d + 1) for a in e.args)
    return best


def names(expr: Expr) -> list[str]:
    """Distinct variable names in order of first appearance."""
    seen: dict[str, None] = {}
    for v in variables(expr):
        seen.setdefault(v.name, None)
    return list(seen)


def evaluate(expr: Expr, env: Mapping[str, bool]) -> bool:
    """Evaluate ``expr`` with variable values from ``env`` (plain recursion, the reference)."""
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Var):
        return bool(env[expr.name])
    if isinstance(expr, Not):
        return not evaluate(expr.arg, env)
    if isinstance(expr, And):
        return all(evaluate(a, env) for a in expr.args)
    return any(evaluate(a, env) for a in expr.args)


def polarity(expr: Expr) -> dict[str, set[int]]:
    """Syntactic signs: for each name, +1 if it occurs under an even number of negations, -1 if odd."""
    out: dict[str, set[int]] = {}

    def walk(e: Expr, sign: int) -> None:
        if isinstance(e, Var):
            out.setdefault(e.name, set()).add(sign)
        elif isinstance(e, Not):
            walk(e.arg, -sign)
        elif isinstance(e, (And, Or)):
            for a in e.args:
                walk(a, sign)

    walk(expr, 1)
    return out


_OPS = {
    "booleannet": {"and": " and ", "or": " or ", "not": "not ", "true": "1", "false": "0"},
    "bnet": {"and": " & ", "or": " | ", "not": "!", "true": "1", "false": "0"},
}


def to_text(expr: Expr, dialect: str = "booleannet") -> str:
    """Render ``expr`` with minimal parentheses (not > and > or)."""
    ops = _OPS[dialect]

    def render(e: Expr, parent: int) -> str:
        if isinstance(e, Const):
            return ops["true"] if e.value else ops["false"]
        if isinstance(e, Var):
            return e.name
        if isinstance(e, Not):
            return ops["not"] + render(e.arg, 3)
        level = 2 if isinstance(e, And) else 1
        sep = ops["and"] if level == 2 else ops["or"]
        text = sep.join(render(a, level) for a in e.args)
        return f"({text})" if parent > level else text

    return render(expr, 0)
