"""Recursive-descent parser: expression tokens -> syntax tree; rule files -> rules."""

from __future__ import annotations

import re
import sys

from mtorsim.errors import Location, ModelSyntaxError
from mtorsim.formats.ast import And, Const, Expr, Not, Or, Rule, Var, depth
from mtorsim.formats.lexer import CONSTANTS, NAME_PATTERN, Token, tokenize


class _Parser:
    def __init__(self, tokens: list[Token], line: Location):
        self.tokens = tokens
        self.pos = 0
        self.line = line

    def error(self, message: str, token: Token, hint: str | None = None) -> ModelSyntaxError:
        where = Location(self.line.path, self.line.line, token.column, self.line.text)
        return ModelSyntaxError(message, where, hint, width=len(token.text) or 1)

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Expr:
        """Shunting-yard parse (no recursion, so deep nesting is fine); not > and > or."""
        operands: list[Expr] = []
        ops: list[Token] = []  # NOT, AND, OR and LPAREN tokens
        expect_operand = True
        while True:
            tok = self.take()
            if expect_operand:
                if tok.kind in ("NAME", "CONST"):
                    operands.append(self.atom(tok))
                    self.apply_nots(ops, operands)
                    expect_operand = False
                elif tok.kind in ("NOT", "LPAREN"):
                    ops.append(tok)
                elif tok.kind == "END" and not operands and not ops:
                    raise self.error("empty rule", tok, "write a rule after '=', e.g. 'A* = B and not C'")
                elif tok.kind == "END":
                    raise self.error("expression ends too early", tok, "an operator is missing its right-hand side")
                elif tok.kind == "RPAREN" and ops and ops[-1].kind == "LPAREN":
                    raise self.error("empty parentheses", tok, "put an expression inside '( )'")
                else:
                    raise self.error(f"expected a name, 0/1 or '(' but found '{tok.text}'", tok)
            elif tok.kind in ("AND", "OR"):
                self.reduce(ops, operands, _PRECEDENCE[tok.kind])
                ops.append(tok)
                expect_operand = True
            elif tok.kind == "RPAREN":
                self.reduce(ops, operands, 0)
                if not ops:
                    raise self.error("unmatched ')'", tok, "remove it or add the matching '('")
                ops.pop()  # the LPAREN
                self.apply_nots(ops, operands)
            elif tok.kind == "END":
                self.reduce(ops, operands, 0)
                if ops:
                    raise self.error("unclosed '('", ops[-1], "add the matching ')'")
                return operands[0]
            else:
                raise self.error(f"expected an operator before '{tok.text}'", tok, "join terms with and/or (& |)")

    def atom(self, tok: Token) -> Expr:
        """A constant, or a variable: its name interned (a big model repeats each name a few
        times) and no location of its own (``locate`` finds it in the rule's line when needed)."""
        if tok.kind == "CONST":
            return Const(CONSTANTS[tok.text.lower()])
        return Var(sys.intern(tok.text))

    @staticmethod
    def apply_nots(ops: list[Token], operands: list[Expr]) -> None:
        while ops and ops[-1].kind == "NOT":
            ops.pop()
            operands.append(Not(operands.pop()))

    @staticmethod
    def reduce(ops: list[Token], operands: list[Expr], floor: int) -> None:
        """Apply binary operators on the stack whose precedence is at least ``floor``."""
        while ops and ops[-1].kind in ("AND", "OR") and _PRECEDENCE[ops[-1].kind] >= max(floor, 1):
            kind = And if ops.pop().kind == "AND" else Or
            right, left = operands.pop(), operands.pop()
            operands.append(kind(tuple(_flatten([left, right], kind))))


_PRECEDENCE = {"OR": 1, "AND": 2}
MAX_DEPTH = 200
"""Deepest syntax tree accepted (after flattening and/or chains); published models stay under 25."""


def _flatten(args: list[Expr], kind: type[And] | type[Or]) -> list[Expr]:
    out: list[Expr] = []
    for a in args:
        out.extend(a.args if isinstance(a, kind) else (a,))
    return out


def parse_expression(text: str, line: Location, offset: int = 0) -> Expr:
    """Parse one expression; ``offset`` is its 0-based column in ``line.text``."""
    return _Parser(tokenize(text, offset, line), line).parse()


def locate(name: str, rule: Rule) -> Location | None:
    """Where ``name`` is first read in ``rule``'s line (after the definition's separator)."""
    if rule.where is None:
        return None
    text = rule.where.text
    start = max(text.find("="), text.find(",")) + 1
    m = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])").search(_strip_comment(text), start)
    return Location(rule.where.path, rule.where.line, m.start() + 1 if m else rule.where.column, text)


def _strip_comment(text: str) -> str:
    cut = text.find("#")
    return text if cut < 0 else text[:cut]


def _check_target(name: str, line: Location, col: int) -> None:
    where = Location(line.path, line.line, col + 1, line.text)
    if not name:
        raise ModelSyntaxError("missing node name before the rule", where, "write 'Node* = rule'")
    if not NAME_PATTERN.fullmatch(name):
        raise ModelSyntaxError(
            f"invalid node name '{name}'",
            where,
            "node names may use letters, digits and '_' only",
            width=len(name),
        )
    if name.lower() in CONSTANTS or name.lower() in ("and", "or", "not") or name.isdigit():
        raise ModelSyntaxError(f"'{name}' is reserved and cannot name a node", where, width=len(name))


RULES_SYNTAX = ("=", "a definition 'Node* = rule'", "every non-comment line defines one node; comments start with '#'")
BNET_SYNTAX = (",", "'node, rule'", "a .bnet line names the target, then a comma, then its rule")
"""Separator, what a line must be, and the hint, of the .rules and the .bnet format."""


def _parse_lines(
    text: str, path: str, sep: str, expected: str, hint: str, starred: set[str] | None = None
) -> list[Rule]:
    """Rules from lines ``head SEP expr``; the head is the target (a trailing '*' is dropped,
    and the target added to ``starred`` when given). The cyclic garbage collector is paused
    meanwhile: a big file makes millions of small objects and nothing cyclic (twice as fast)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse_lines_body(text, path, sep, expected, hint, starred)
    finally:
        if enabled:
            gc.enable()


def _parse_lines_body(
    text: str, path: str, sep: str, expected: str, hint: str, starred: set[str] | None, first: int = 1
) -> list[Rule]:
    """The rules of ``text`` whose first line is line ``first`` of the file."""
    rules: list[Rule] = []
    for number, raw in enumerate(text.splitlines(), start=first):
        body = _strip_comment(raw)
        if not body.strip():
            continue
        line = Location(path, number, 1, raw)
        cut = body.find(sep)
        if cut < 0:
            col = len(body) - len(body.lstrip()) + 1
            raise ModelSyntaxError(f"expected {expected}", Location(path, number, col, raw), hint)
        head, rest = body[:cut], body[cut + 1 :]
        target = sys.intern(head.strip())
        if sep == "," and target.lower() == "targets" and rest.strip().lower() == "factors":
            continue  # the .bnet header
        if sep == "=" and target.endswith("*"):
            target = target[:-1].rstrip()
            if starred is not None:
                starred.add(target)
        start = len(head) - len(head.lstrip())
        _check_target(target, line, start)
        expr = parse_expression(rest, line, cut + 1)
        if depth(expr) > MAX_DEPTH:
            raise ModelSyntaxError(
                f"the rule of '{target}' nests {depth(expr)} levels deep (the limit is {MAX_DEPTH})",
                Location(path, number, start + 1, raw),
                "simplify it: chains of the same operator need no parentheses ('a & b & c'), and 'not not x' is 'x'",
                width=len(target),
            )
        rules.append(Rule(target, expr, Location(path, number, start + 1, raw)))
    return rules


def parse_booleannet(text: str, path: str) -> list[Rule]:
    """Rules in BooleanNet style: ``Node* = expr`` (``Node = expr`` accepted), ``#`` comments."""
    return parse_booleannet_initial(text, path)[0]


def parse_booleannet_initial(text: str, path: str) -> tuple[list[Rule], dict[str, float]]:
    """Rules and BooleanNet initial values: a line ``Node = True|False|Random`` (no '*') for a
    node that also has a ``Node* = rule`` line sets its initial value (1, 0, 0.5); alone, a
    ``Node = True|False`` line is a constant that also starts at its value."""
    starred: set[str] = set()
    rules = _parse_lines(text, path, *RULES_SYNTAX, starred)
    initial: dict[str, float] = {}
    first: dict[str, Rule] = {}
    kept: list[Rule] = []
    for r in rules:
        head = r.where.text.split("=", 1)[0] if r.where else ""
        expr = r.expr
        is_random = isinstance(expr, Var) and expr.name.lower() == "random"
        if r.target in starred and "*" not in head and (isinstance(expr, Const) or is_random):
            if r.target in first and r.where is not None:
                before = first[r.target].where
                raise ModelSyntaxError(
                    f"{r.target}'s initial value is given again (first on line {before.line if before else '?'})",
                    r.where,
                    "give each node one initial value (True, False or Random)",
                    len(r.target),
                )
            first[r.target] = r
            initial[r.target] = float(expr.value) if isinstance(expr, Const) else 0.5
        else:
            kept.append(r)
            if "*" not in head and isinstance(r.expr, Const):
                initial[r.target] = float(r.expr.value)
    return kept, initial


def parse_bnet(text: str, path: str) -> list[Rule]:
    """Rules in ``.bnet`` style: ``targets, factors`` header, ``node, expr`` lines."""
    return _parse_lines(text, path, *BNET_SYNTAX)


def parse_line(raw: str, number: int, path: str, fmt: str) -> Rule | None:
    """Line ``number`` (text ``raw``) of a .rules or .bnet file: its rule, None for a blank or
    comment line, or the error the whole-file reader gives for it."""
    rules = _parse_lines_body(raw, path, *(BNET_SYNTAX if fmt == "bnet" else RULES_SYNTAX), set(), first=number)
    return rules[0] if rules else None
