"""Arithmetic and logical expressions of MaBoSS files: syntax tree, parser, reference evaluator.

Operators as MaBoSS's grammar orders them, lowest first: ``? :``, ``^``/``XOR`` (logical xor,
looser than or), ``||``/``OR``, ``&&``/``AND``, ``== !=``, ``< <= > >=``, ``+ -``, ``* /``, then
unary ``! NOT - +``. Operands are numbers, node
names (0 or 1), parameters ``$name``, node variables ``@name`` (``@logic``, ``@rate_up``, ...),
``exp(x)``, ``log(x)`` (with an optional base: ``exp(x, b)`` is ``b**x``, ``log(x, b)`` the
base-``b`` logarithm) and parentheses. Nothing is ever evaluated as Python: the tree is walked.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from mtorsim.errors import Location, ModelSyntaxError
from mtorsim.formats import ast as B
from mtorsim.formats.maboss.lexer import Token

FUNCTIONS = ("exp", "log")
MAX_DEPTH = 200
"""Deepest nesting of parentheses and unary operators accepted."""


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class NodeRef:
    name: str
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Param:
    name: str
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Attr:
    name: str
    where: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Unary:
    op: str  # '!' or '-'
    arg: Arith


@dataclass(frozen=True)
class Binary:
    op: str  # || && ^ == != < <= > >= + - * /
    left: Arith
    right: Arith


@dataclass(frozen=True)
class Cond:
    test: Arith
    then: Arith
    other: Arith


@dataclass(frozen=True)
class Call:
    fn: str  # exp or log
    arg: Arith
    base: Arith | None = None


Arith = Num | NodeRef | Param | Attr | Unary | Binary | Cond | Call

_BINARY = {"^": 1, "||": 2, "&&": 3, "==": 4, "!=": 4, "<": 5, "<=": 5, ">": 5, ">=": 5, "+": 6, "-": 6, "*": 7, "/": 7}
_ALIASES = {"&": "&&", "|": "||"}
LOGICAL = {"||", "&&", "^", "!"}


class Parser:
    """Recursive descent over a token list; ``pos`` advances through it."""

    def __init__(self, tokens: list[Token], path: str, lines: list[str]):
        self.tokens = tokens
        self.last = len(tokens) - 1  # the END token
        self.pos = 0
        self.path = path
        self.lines = lines

    # -- token helpers -------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        i = self.pos + ahead
        return self.tokens[i] if i < self.last else self.tokens[self.last]

    def take(self) -> Token:
        pos = self.pos
        if pos < self.last:
            self.pos = pos + 1
            return self.tokens[pos]
        return self.tokens[self.last]

    def where(self, tok: Token) -> Location:
        return tok.where(self.path, self.lines)

    def error(self, message: str, tok: Token, hint: str | None = None) -> ModelSyntaxError:
        return ModelSyntaxError(message, self.where(tok), hint, width=len(tok.text) or 1)

    def expect(self, kind: str, hint: str | None = None) -> Token:
        tok = self.peek()
        if tok.kind != kind:
            found = "the end of the file" if tok.kind == "END" else f"'{tok.text}'"
            raise self.error(f"expected '{kind}' but found {found}", tok, hint)
        return self.take()

    # -- expressions ---------------------------------------------------------------------
    def expression(self, depth: int = 0) -> Arith:
        """``test ? then : other`` (right-associative) or a binary expression."""
        if depth > MAX_DEPTH:
            raise self.error(f"the expression nests more than {MAX_DEPTH} levels deep", self.peek(), "simplify it")
        test = self.binary(1, depth)
        if self.peek().kind != "?":
            return test
        self.take()
        then = self.expression(depth + 1)
        self.expect(":", "a conditional is written 'test ? value_if_true : value_if_false'")
        return Cond(test, then, self.expression(depth + 1))

    def binary(self, floor: int, depth: int) -> Arith:
        left = self.unary(depth)
        while True:
            op = _ALIASES.get(self.peek().kind, self.peek().kind)
            prec = _BINARY.get(op)
            if prec is None or prec < floor:
                return left
            self.take()
            right = self.binary(prec + 1, depth + 1)
            left = Binary(op, left, right)

    def unary(self, depth: int) -> Arith:
        tok = self.peek()
        if depth > MAX_DEPTH:
            raise self.error(f"the expression nests more than {MAX_DEPTH} levels deep", tok, "simplify it")
        if tok.kind in ("!", "-", "+"):
            self.take()
            arg = self.unary(depth + 1)
            return arg if tok.kind == "+" else Unary(tok.kind, arg)
        return self.primary(depth)

    def primary(self, depth: int) -> Arith:
        tok = self.take()
        if tok.kind == "NUMBER":
            return Num(float(tok.text))
        if tok.kind == "PARAM":
            return Param(tok.text, self.where(tok))
        if tok.kind == "ATTR":
            return Attr(tok.text, self.where(tok))
        if tok.kind == "(":
            inner = self.expression(depth + 1)
            self.expect(")", "add the matching ')'")
            return inner
        if tok.kind == "NAME":
            low = tok.text.lower()
            if low in FUNCTIONS and self.peek().kind == "(":
                self.take()
                arg = self.expression(depth + 1)
                base = None
                if self.peek().kind == ",":
                    self.take()
                    base = self.expression(depth + 1)
                self.expect(")", f"{low}(x) or {low}(x, base)")
                return Call(low, arg, base)
            if low in ("true", "false"):
                return Num(1.0 if low == "true" else 0.0)
            return NodeRef(tok.text, self.where(tok))
        if tok.kind == "END":
            raise self.error(
                "the expression ends too early", tok, "an operator is missing its right-hand side, or a ';' is missing"
            )
        if tok.kind in (";", ")", "}", ",", "]", ":"):
            raise self.error(
                f"the expression ends too early, at '{tok.text}'", tok, "an operator is missing its right-hand side"
            )
        raise self.error(f"expected a number, a name, $param, @variable or '(' but found '{tok.text}'", tok)


# -- walking the tree --------------------------------------------------------------------------
def children(e: Arith) -> tuple[Arith, ...]:
    if isinstance(e, Call):
        return (e.arg,) if e.base is None else (e.arg, e.base)
    if isinstance(e, Unary):
        return (e.arg,)
    if isinstance(e, Binary):
        return (e.left, e.right)
    if isinstance(e, Cond):
        return (e.test, e.then, e.other)
    return ()


def walk(e: Arith) -> Iterator[Arith]:
    """Every subexpression, parents before children (iterative)."""
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        stack.extend(reversed(children(x)))


def node_names(e: Arith) -> list[str]:
    """Distinct node names read, in order of first appearance."""
    return list(dict.fromkeys(x.name for x in walk(e) if isinstance(x, NodeRef)))


def substitute(e: Arith, fn: Callable[[Arith], Arith | None]) -> Arith:
    """Rebuild ``e`` bottom-up, replacing each leaf for which ``fn`` returns a tree."""
    if isinstance(e, Unary):
        return Unary(e.op, substitute(e.arg, fn))
    if isinstance(e, Call):
        return Call(e.fn, substitute(e.arg, fn), None if e.base is None else substitute(e.base, fn))
    if isinstance(e, Binary):
        return Binary(e.op, substitute(e.left, fn), substitute(e.right, fn))
    if isinstance(e, Cond):
        return Cond(substitute(e.test, fn), substitute(e.then, fn), substitute(e.other, fn))
    got = fn(e)
    return e if got is None else got


def evaluate(
    e: Arith,
    state: Mapping[str, int],
    params: Mapping[str, float] | None = None,
    attrs: Mapping[str, Arith] | None = None,
) -> float:
    """The value of ``e`` (the reference evaluator): node names read ``state``, ``$p`` reads
    ``params``, ``@v`` evaluates ``attrs[v]`` in the same state. Logical operators give 0 or 1."""
    params = params or {}
    attrs = attrs or {}

    def ev(x: Arith) -> float:
        if isinstance(x, Num):
            return x.value
        if isinstance(x, NodeRef):
            return float(state[x.name])
        if isinstance(x, Param):
            return float(params[x.name])
        if isinstance(x, Attr):
            return ev(attrs[x.name])
        if isinstance(x, Unary):
            v = ev(x.arg)
            return float(v == 0) if x.op == "!" else -v
        if isinstance(x, Call):
            return call(x.fn, ev(x.arg), None if x.base is None else ev(x.base))
        if isinstance(x, Cond):
            return ev(x.then) if ev(x.test) != 0 else ev(x.other)
        a, b = ev(x.left), ev(x.right)
        return binary_op(x.op, a, b)

    return ev(e)


def call(fn: str, v: float, base: float | None = None) -> float:
    """``exp``/``log`` with IEEE results (inf, nan) instead of exceptions."""
    if fn == "exp":
        if base is not None:
            v = v * _log(base)
        if math.isnan(v):
            return v
        return math.exp(v) if v < 709.78 else math.inf
    out = _log(v)
    return out if base is None else binary_op("/", out, _log(base))


def _log(v: float) -> float:
    if v > 0:
        return math.log(v)
    return -math.inf if v == 0 else math.nan


def binary_op(op: str, a: float, b: float) -> float:
    """A binary operator on two numbers (logical ones give 0 or 1)."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            return math.nan if (a == 0 or math.isnan(a)) else math.copysign(math.inf, a)
        return a / b
    if op == "&&":
        return float(a != 0 and b != 0)
    if op == "||":
        return float(a != 0 or b != 0)
    if op == "^":
        return float((a != 0) != (b != 0))
    return float({"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])


def to_boolean(e: Arith) -> B.Expr | None:
    """The same function as a Boolean rule when ``e`` uses only node names, 0/1 and logical
    operators (xor expanded); None otherwise."""
    if isinstance(e, NodeRef):
        return B.Var(e.name, e.where)
    if isinstance(e, Num) and e.value in (0.0, 1.0):
        return B.Const(e.value == 1.0)
    if isinstance(e, Unary) and e.op == "!":
        arg = to_boolean(e.arg)
        return None if arg is None else B.Not(arg)
    if isinstance(e, Binary) and e.op in ("&&", "||", "^"):
        a, b = to_boolean(e.left), to_boolean(e.right)
        if a is None or b is None:
            return None
        if e.op == "^":
            return B.Or((B.And((a, B.Not(b))), B.And((B.Not(a), b))))
        kind = B.And if e.op == "&&" else B.Or
        args: list[B.Expr] = []
        for x in (a, b):
            args.extend(x.args if isinstance(x, kind) else (x,))
        return kind(tuple(args))
    return None


def from_boolean(e: B.Expr) -> Arith:
    """A Boolean rule as an expression tree."""
    if isinstance(e, B.Const):
        return Num(1.0 if e.value else 0.0)
    if isinstance(e, B.Var):
        return NodeRef(e.name, e.where)
    if isinstance(e, B.Not):
        return Unary("!", from_boolean(e.arg))
    op = "&&" if isinstance(e, B.And) else "||"
    out = from_boolean(e.args[0])
    for a in e.args[1:]:
        out = Binary(op, out, from_boolean(a))
    return out


_TEXT_PREC = {"?": 0, **_BINARY}


def to_text(e: Arith) -> str:
    """Render in MaBoSS syntax with the parentheses precedence needs."""

    def render(x: Arith, parent: int) -> str:
        if isinstance(x, Num):
            v = x.value
            return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
        if isinstance(x, NodeRef):
            return x.name
        if isinstance(x, Param):
            return f"${x.name}"
        if isinstance(x, Attr):
            return f"@{x.name}"
        if isinstance(x, Unary):
            return x.op + render(x.arg, 99)
        if isinstance(x, Call):
            base = "" if x.base is None else f", {render(x.base, 0)}"
            return f"{x.fn}({render(x.arg, 0)}{base})"
        if isinstance(x, Cond):
            text = f"{render(x.test, 1)} ? {render(x.then, 0)} : {render(x.other, 0)}"
            return f"({text})" if parent > 0 else text
        prec = _BINARY[x.op]
        text = f"{render(x.left, prec)} {x.op} {render(x.right, prec + 1)}"
        return f"({text})" if parent > prec else text

    return render(e, 0)
