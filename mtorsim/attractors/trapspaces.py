"""Minimal trap spaces through answer-set programming (clingo).

A trap space fixes some nodes and leaves the others free ('*'); no update leaves it. Every
attractor lies in a trap space, and every minimal trap space holds at least one attractor.
Each node's function and its negation are written as DNFs (from the truth table), so "f can
be 1 in the space" is exact: some term of f's DNF is consistent with the space.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.formats import logic
from mtorsim.network import Network

Term = list[tuple[int, int]]  # (regulator position, value)

_SOLVER_ARGS = ["--heuristic=Domain", "--enum-mode=domRec", "--dom-mod=5,16", "--warn=none"]
"""clingo's options for subset-minimal answers: the domain heuristic sets every s(i, v) false first."""


def dnf(table: np.ndarray) -> list[Term]:
    """A DNF of the function with this truth table (entry i: bit j of i = regulator j).

    Shannon split on the highest regulator v: f = (f0 & f1) | (!v & f0 & !f1) | (v & f1 & !f0).
    """
    t = table.astype(bool)
    if t.all():
        return [[]]
    if not t.any():
        return []
    k = int(len(t)).bit_length() - 1
    half = len(t) // 2
    f0, f1 = t[:half], t[half:]
    if np.array_equal(f0, f1):
        return dnf(f0)
    v = k - 1
    return dnf(f0 & f1) + [term + [(v, 0)] for term in dnf(f0 & ~f1)] + [term + [(v, 1)] for term in dnf(f1 & ~f0)]


@lru_cache(maxsize=1 << 16)
def _terms(bits: bytes) -> tuple[tuple[tuple[int, int], ...], ...]:
    """:func:`dnf` of a truth table given as bytes, remembered: the parts of one count and the
    trap-space searches of one model meet the same functions again and again."""
    return tuple(tuple(term) for term in dnf(np.frombuffer(bits, dtype=bool)))


def asp_program(net: Network) -> str:
    """Atoms ``s(i,v)``: node i may take value v in the space. Only integers reach clingo."""
    lines = ["val(0). val(1)."]
    for i in range(len(net)):
        lines.append(f"node({i}). {{s({i},0); s({i},1)}}. :- not s({i},0), not s({i},1).")
        for value, term in _can_take(net, i):
            body = [f"s({j},{b})" for j, b in term] + [f"not s({i},{value})"]
            lines.append(":- " + ", ".join(body) + ".")
    lines.append("#heuristic s(X,V) : node(X), val(V). [1,false]")
    lines.append("#show s/2.")
    return "\n".join(lines) + "\n"


def minimal_trap_spaces(net: Network, limit: int | None = None) -> Iterator[list[int]]:
    """Each minimal trap space as a list per node: 0, 1, or -1 for free.

    The program of :func:`asp_program`, handed to clingo as ground rules through its backend (no
    text to parse, nothing to ground); :func:`minimal_trap_spaces_from_text` is the same search
    from the program text."""
    import clingo
    from clingo.backend import HeuristicType

    ctl = clingo.Control([*_SOLVER_ARGS, "0" if limit is None else str(limit)])
    with ctl.backend() as b:
        s = [(b.add_atom(), b.add_atom()) for _ in net.nodes]
        for i in range(len(net)):
            b.add_rule(list(s[i]), choice=True)
            b.add_rule([], [-s[i][0], -s[i][1]])
            for value, term in _can_take(net, i):
                b.add_rule([], [s[j][v] for j, v in term] + [-s[i][value]])
            for atom in s[i]:
                b.add_heuristic(atom, HeuristicType.False_, 1, 0, [])
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            out = []
            for a0, a1 in s:
                v0, v1 = model.is_true(a0), model.is_true(a1)
                out.append(-1 if v0 and v1 else (1 if v1 else 0))
            yield out


def _can_take(net: Network, i: int) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """``(v, term)``: node ``i``'s function is ``v`` wherever the nodes of ``term`` (pairs node,
    value) have those values (the DNF terms of the function and of its negation), so a trap space
    that allows ``term`` must let ``i`` take ``v``."""
    regs = net.regulators[i]
    if len(regs) > logic.TABLE_MAX_INPUTS:
        raise MtorsimError(
            f"trap spaces need nodes with at most {logic.TABLE_MAX_INPUTS} regulators; "
            f"'{net.nodes[i]}' has {len(regs)}. Use the method 'fixed-points' or hold inputs (`fixed`)"
        )
    table = logic.table(net.rules[i], [net.nodes[j] for j in regs])
    for value, tab in ((1, table), (0, 1 - table)):
        for term in _terms(tab.astype(bool).tobytes()):
            yield value, [(regs[j], b) for j, b in term]


def minimal_trap_spaces_from_text(net: Network, limit: int | None = None) -> Iterator[list[int]]:
    """:func:`minimal_trap_spaces` through the program text (the reference)."""
    import clingo

    ctl = clingo.Control([*_SOLVER_ARGS, "0" if limit is None else str(limit)])
    ctl.add("base", [], asp_program(net))
    ctl.ground([("base", [])])
    n = len(net)
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            seen = [[False, False] for _ in range(n)]
            for sym in model.symbols(shown=True):
                i, v = (a.number for a in sym.arguments)
                seen[i][v] = True
            yield [-1 if a and b else (1 if b else 0) for a, b in seen]
