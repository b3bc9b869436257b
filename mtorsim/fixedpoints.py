"""Fixed points of any size through answer-set programming (clingo).

The program is generated from the syntax tree: atom ``x(i)`` is node ``i`` being on, ``a(k)``
the k-th subexpression; no text from the model reaches clingo (only integers).
"""

from __future__ import annotations

from collections.abc import Iterator

from mtorsim.formats.ast import And, Const, Expr, Not, Var
from mtorsim.network import Network


def asp_program(net: Network) -> str:
    """Choice of every node; node i's rule must equal x(i)."""
    index = {n: i for i, n in enumerate(net.nodes)}
    lines = [f"{{x({i})}}." for i in range(len(net))]
    counter = 0

    def literal(e: Expr) -> str:
        nonlocal counter
        if isinstance(e, Var):
            return f"x({index[e.name]})"
        if isinstance(e, Const):
            return "#true" if e.value else "#false"
        if isinstance(e, Not) and isinstance(e.arg, Var):
            return f"not x({index[e.arg.name]})"
        k = counter
        counter += 1
        if isinstance(e, Not):
            lines.append(f"a({k}) :- not {literal(e.arg)}.")
        elif isinstance(e, And):
            lines.append(f"a({k}) :- {', '.join(literal(a) for a in e.args)}.")
        else:
            lines.extend(f"a({k}) :- {literal(a)}." for a in e.args)
        return f"a({k})"

    for i, rule in enumerate(net.rules):
        k = counter
        counter += 1
        lines.append(f"a({k}) :- {literal(rule)}.")
        lines.append(f":- x({i}), not a({k}).")
        lines.append(f":- not x({i}), a({k}).")
    lines.append("#show x/1.")
    return "\n".join(lines) + "\n"


def fixed_points(net: Network, limit: int | None = None) -> Iterator[list[int]]:
    """Every fixed point (0/1 list in node order), at most ``limit`` of them."""
    import clingo

    ctl = clingo.Control(["0" if limit is None else str(limit), "--warn=none"])
    ctl.add("base", [], asp_program(net))
    ctl.ground([("base", [])])
    n = len(net)
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            state = [0] * n
            for sym in model.symbols(shown=True):
                state[sym.arguments[0].number] = 1
            yield state
