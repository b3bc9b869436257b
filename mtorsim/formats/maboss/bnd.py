"""Read MaBoSS ``.bnd`` network files: ``Node NAME { logic = ...; rate_up = ...; ... }`` blocks
and ``NAME : logic;`` shorthands."""

from __future__ import annotations

from dataclasses import dataclass, field

from mtorsim.errors import Location, ModelSyntaxError, did_you_mean
from mtorsim.formats.maboss.expr import Arith, Attr, NodeRef, Parser, walk
from mtorsim.formats.maboss.lexer import tokenize

RESERVED = ("logic", "rate_up", "rate_down")


@dataclass(frozen=True)
class BndNode:
    """One ``Node`` block: its logic, every other variable (``rate_up``, ``rate_down``, custom
    ones read as ``@name``) and text attributes such as ``description``."""

    name: str
    logic: Arith | None
    variables: dict[str, Arith] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    where: Location | None = field(default=None, compare=False)


def parse_bnd(text: str, path: str) -> list[BndNode]:
    """The node blocks of a ``.bnd`` file, in file order, with names and references checked."""
    lines = text.splitlines() or [""]
    p = Parser(tokenize(text, path), path, lines)
    nodes: list[BndNode] = []
    seen: dict[str, Location] = {}  # node name -> where it is defined
    while p.peek().kind != "END":
        tok = p.take()
        if tok.kind == "NAME" and p.peek().kind == ":":  # shorthand 'X : logic;'
            p.take()
            if tok.text in seen:
                raise p.error(
                    f"node '{tok.text}' is defined twice",
                    tok,
                    f"first defined at line {seen[tok.text].line}; keep one definition",
                )
            expr = p.expression()
            p.expect(";", "end the definition with ';'")
            seen[tok.text] = p.where(tok)
            nodes.append(BndNode(tok.text, expr, {}, {}, seen[tok.text]))
            continue
        if tok.kind != "NAME" or tok.text.lower() != "node":
            raise p.error(
                f"expected 'Node' but found '{tok.text}'",
                tok,
                "a .bnd file is a list of blocks 'Node NAME { logic = ...; rate_up = ...; rate_down = ...; }' "
                "(or 'NAME : logic;')",
            )
        name_tok = p.expect("NAME", "write the node name after 'Node'")
        name = name_tok.text
        if name in seen:
            raise p.error(
                f"node '{name}' is defined twice",
                name_tok,
                f"first defined at line {seen[name].line}; keep one block",
            )
        p.expect("{", f"open the block of {name} with '{{'")
        variables: dict[str, Arith] = {}
        texts: dict[str, str] = {}
        where: dict[str, Location] = {}
        while p.peek().kind != "}":
            key = p.expect("NAME", f"inside a Node block write 'name = value;' or close the block of {name} with '}}'")
            if key.text in variables or key.text in texts:
                raise p.error(f"'{key.text}' is given twice for node {name}", key)
            p.expect("=", f"write '{key.text} = value;'")
            if p.peek().kind == "STRING":
                texts[key.text] = p.take().text
            else:
                variables[key.text] = p.expression()
                where[key.text] = p.where(key)
            p.expect(";", "end each statement with ';'")
        p.expect("}")
        logic: Arith | None = variables.pop("logic", None)
        seen[name] = p.where(name_tok)
        nodes.append(BndNode(name, logic, variables, texts, seen[name]))
    if not nodes:
        raise ModelSyntaxError(
            "the file defines no nodes",
            Location(path, 1, 1, lines[0]),
            "write at least one block 'Node A { logic = B; }'",
        )
    _check_references(nodes)
    return nodes


def _check_references(nodes: list[BndNode]) -> None:
    """Every node name read is declared; every ``@var`` names a variable of that node."""
    known = {n.name for n in nodes}
    for node in nodes:
        exprs = ([node.logic] if node.logic is not None else []) + list(node.variables.values())
        defined = set(node.variables) | ({"logic"} if node.logic is not None else set())
        for e in exprs:
            for x in walk(e):
                if isinstance(x, NodeRef) and x.name not in known:
                    raise ModelSyntaxError(
                        f"'{x.name}' is not a node of this file",
                        _place(x),
                        did_you_mean(x.name, known) or f"declare it: Node {x.name} {{ ... }}",
                        width=len(x.name),
                    )
                if isinstance(x, Attr) and x.name not in defined and x.name not in RESERVED:
                    raise ModelSyntaxError(
                        f"node {node.name} has no variable '{x.name}'",
                        _place(x),
                        did_you_mean(x.name, defined) or f"define it in the block: {x.name} = ...;",
                        width=len(x.name) + 1,
                    )


def _place(x: NodeRef | Attr) -> Location:
    """Where the reference ``x`` is read: the parser gives every reference its place."""
    if x.where is None:
        raise AssertionError(f"{x!r} was read without a location")
    return x.where
