"""Big .rules and .bnet files read into arrays, and rules kept as postfix arrays.

A syntax tree per rule costs a few hundred bytes of Python objects; a 50 MB model has a million
rules. Above :data:`FAST_MIN_BYTES` the file is scanned by a numba kernel into one postfix array
(:mod:`flatkernels`) and the network keeps :class:`FlatRules`, which builds a rule's tree only when
asked. The reference parser stays the authority: a line the kernel does not accept is read by it,
which gives the error (or, if it has none, reads the whole file).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from mtorsim.formats.ast import And, Const, Expr, Not, Or, Rule, Var

FAST_MIN_BYTES = 2 * 2**20
"""Model files at least this big are read through arrays (below it the numba start-up costs
more than it saves)."""

FALSE, TRUE, NOT, AND, OR = -1, -2, -3, -4, -5  # as in flatkernels, which loads numba


class FlatRules(Sequence[Expr]):
    """The rules of a network as postfix code: rule ``i`` is ``code[start[i]:start[i+1]]``,
    a value >= 0 reading node ``names[value]``. Indexing builds the syntax tree, equal to the
    parser's."""

    __slots__ = ("names", "code", "start")

    def __init__(self, names: Sequence[str], code: np.ndarray, start: np.ndarray):
        self.names = names
        self.code = code
        self.start = start

    def __len__(self) -> int:
        return len(self.start) - 1

    @overload
    def __getitem__(self, i: int) -> Expr: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Expr, ...]: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(len(self))))
        n = len(self)
        if not -n <= i < n:
            raise IndexError("rule index out of range")
        i %= n
        return tree(self.code[self.start[i] : self.start[i + 1]].tolist(), self.names)

    def __iter__(self) -> Iterator[Expr]:
        names, code, start = self.names, self.code, self.start
        for i in range(len(self)):
            yield tree(code[start[i] : start[i + 1]].tolist(), names)

    def __add__(self, other: Sequence[Expr]) -> tuple[Expr, ...]:
        return tuple(self) + tuple(other)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def lengths(self) -> np.ndarray:
        return np.diff(self.start)


class _Chain:
    """An and/or chain being built (a list, so a long chain costs linear time)."""

    __slots__ = ("kind", "args")

    def __init__(self, kind: type, args: list):
        self.kind = kind
        self.args = args


def _done(e) -> Expr:
    return e.kind(tuple(e.args)) if isinstance(e, _Chain) else e


def tree(code: Sequence[int], names: Sequence[str]) -> Expr:
    """The syntax tree of one rule's postfix code (and/or chains flattened as the parser does)."""
    stack: list = []
    for c in code:
        if c >= 0:
            stack.append(Var(names[c]))
        elif c == FALSE or c == TRUE:
            stack.append(Const(c == TRUE))
        elif c == NOT:
            stack[-1] = Not(_done(stack[-1]))
        else:
            kind = And if c == AND else Or
            right, left = stack.pop(), stack.pop()
            args = left.args if isinstance(left, _Chain) and left.kind is kind else _parts(_done(left), kind)
            args.extend(right.args if isinstance(right, _Chain) and right.kind is kind else _parts(_done(right), kind))
            stack.append(_Chain(kind, args))
    return _done(stack[0])


def _parts(e: Expr, kind: type) -> list:
    return list(e.args) if isinstance(e, kind) else [e]  # type: ignore[union-attr]


@dataclass(frozen=True)
class FlatModel:
    """A model file read through arrays: ``nodes`` (rule targets in file order, then regulators
    without a rule), their ``rules``, the ``implicit`` inputs, BooleanNet ``initial`` values,
    the first rule whose target an earlier rule defines (``twice``: it and that rule), and
    what is needed to point at a rule's line in an error."""

    nodes: tuple[str, ...]
    rules: FlatRules
    implicit: tuple[str, ...]
    initial: dict[str, float]
    lines: np.ndarray
    twice: tuple[int, int] | None
    path: str
    fmt: str

    def rule(self, i: int) -> Rule:
        """Rule ``i`` as the reference parser reads it, with its location (the file is read
        again: its bytes are not kept)."""
        from mtorsim.formats.io import read_text
        from mtorsim.formats.parser import parse_line

        number = int(self.lines[i])
        rule = parse_line(read_text(self.path).splitlines()[number - 1], number, self.path, self.fmt)
        assert rule is not None
        return rule

    def first_reader(self, node: int) -> int:
        """The first rule that reads ``node``."""
        code = self.rules.code
        at = int(np.flatnonzero(code == node)[0])
        return int(np.searchsorted(self.rules.start, at, side="right")) - 1


def _line(raw: bytes, number: int) -> str:
    return raw.decode().splitlines()[number - 1]


def read_flat(raw: bytes, path: str, fmt: str) -> FlatModel | None:
    """The rules of a .rules (``fmt`` 'rules') or .bnet file (UTF-8 ``raw``, no byte-order mark)
    through arrays; the reference parser's error for a bad line; None when only the reference
    parser can read the file."""
    from mtorsim.formats.flatkernels import DEFER_FILE, DEFER_LINE, renumber, scan_rules
    from mtorsim.formats.parser import MAX_DEPTH, parse_line

    status, bad, code, start, target, lines, star, nstart, nlen = scan_rules(
        np.frombuffer(raw, np.uint8), ord("," if fmt == "bnet" else "="), fmt == "bnet", MAX_DEPTH
    )
    if status == DEFER_FILE:
        return None
    if status == DEFER_LINE:
        parse_line(_line(raw, int(bad)), int(bad), path, fmt)  # raises the reference's error
        return None  # the reference reads the line: it needs the whole file
    names = [raw[s : s + k].decode() for s, k in zip(nstart.tolist(), nlen.tolist())]
    length = np.diff(start)
    first = code[start[:-1]] if len(code) else np.zeros(0, np.int32)
    single = length == 1
    initial: dict[str, float] = {}
    keep = np.ones(len(target), bool)
    if fmt == "rules" and not star.all():
        random = np.array([i for i, n in enumerate(names) if n.lower() == "random"], np.int64)
        is_const = single & ((first == FALSE) | (first == TRUE))
        is_random = single & np.isin(first, random)
        starred = np.zeros(len(names), bool)
        starred[target[star == 1]] = True
        plain = star == 0
        value = plain & (is_const | is_random) & starred[target]
        keep = ~value
        for r in np.flatnonzero(plain & (is_const | is_random) & (value | is_const)).tolist():
            initial[names[target[r]]] = 0.5 if is_random[r] else float(first[r] == TRUE)
        if not keep.all():
            kept = np.repeat(keep, length)
            code = code[kept]
            start = np.concatenate(([0], np.cumsum(length[keep])))
            target, lines = target[keep], lines[keep]
    n_rules = len(target)
    twice = _first_duplicate(target)
    node_of = np.full(len(names), -1, np.int32)
    node_of[target] = np.arange(n_rules, dtype=np.int32)
    extras = renumber(code, node_of, n_rules)
    nodes = tuple(names[i] for i in target.tolist()) + tuple(names[i] for i in extras.tolist())
    code = np.concatenate((code, node_of[extras]))  # a regulator without a rule keeps its value
    start = np.concatenate((start, start[-1] + 1 + np.arange(len(extras)))).astype(np.int64)
    rules = FlatRules(nodes, code, start)
    return FlatModel(nodes, rules, nodes[n_rules:], initial, lines, twice, path, fmt)


def _first_duplicate(target: np.ndarray) -> tuple[int, int] | None:
    """The first position whose value occurs earlier, and that earlier position."""
    order = np.argsort(target, kind="stable")
    ordered = target[order]
    again = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
    if len(again) == 0:
        return None
    second = order[again]
    i = int(second.min())
    return i, int(np.flatnonzero(target == target[i])[0])
