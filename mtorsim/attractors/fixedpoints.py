"""Fixed points of any size through answer-set programming (clingo).

The program is generated from the syntax tree: atom ``x(i)`` is node ``i`` being on, ``a(k)``
the k-th subexpression, ``r(i)`` node i's rule; no text from the model reaches clingo (only
integers).
"""

from __future__ import annotations

from collections.abc import Iterator

from mtorsim.formats.ast import And, Const, Expr, Not, Var
from mtorsim.network import Network


def rule_literals(net: Network, lines: list[str], time: bool = False) -> list[str]:
    """Each node's rule as one literal over atoms ``x(i)``; every subexpression that needs one
    gets an atom ``a(k)`` whose rules are appended to ``lines``. With ``time``, the atoms take a
    step ``T`` (``x(i,T)``, ``a(k,T)``), bound by ``t(T)``."""
    index = {n: i for i, n in enumerate(net.nodes)}
    at, guard = (",T", "t(T), ") if time else ("", "")
    counter = 0

    def literal(e: Expr) -> str:
        nonlocal counter
        if isinstance(e, Var):
            return f"x({index[e.name]}{at})"
        if isinstance(e, Const):
            return "#true" if e.value else "#false"
        if isinstance(e, Not) and isinstance(e.arg, Var):
            return f"not x({index[e.arg.name]}{at})"
        k = counter
        counter += 1
        if isinstance(e, Not):
            lines.append(f"a({k}{at}) :- {guard}not {literal(e.arg)}.")
        elif isinstance(e, And):
            lines.append(f"a({k}{at}) :- {guard}{', '.join(literal(a) for a in e.args)}.")
        else:
            lines.extend(f"a({k}{at}) :- {guard}{literal(a)}." for a in e.args)
        return f"a({k}{at})"

    return [literal(rule) for rule in net.rules]


def asp_program(net: Network) -> str:
    """Choice of every node; node i's rule must equal x(i)."""
    lines = [f"{{x({i})}}." for i in range(len(net))]
    for i, lit in enumerate(rule_literals(net, lines)):
        lines += [f"r({i}) :- {lit}.", f":- x({i}), not r({i}).", f":- not x({i}), r({i})."]
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


def count_fixed_points(net: Network, limit: int | None = None) -> int:
    """How many fixed points ``net`` has (at most ``limit`` counted), without listing them.

    The same program as :func:`fixed_points`, handed to clingo as ground rules through its
    backend (no text to parse, nothing to ground), and counted as they come:
    many times faster on the small networks a count splits into."""
    import clingo

    ctl = clingo.Control(["0" if limit is None else str(limit), "--warn=none"])
    index = {n: i for i, n in enumerate(net.nodes)}
    with ctl.backend() as b:
        x = [b.add_atom() for _ in net.nodes]
        for a in x:
            b.add_rule([a], choice=True)
        true = b.add_atom()
        b.add_rule([true])

        def literal(e: Expr) -> int:
            if isinstance(e, Var):
                return x[index[e.name]]
            if isinstance(e, Const):
                return true if e.value else -true
            if isinstance(e, Not):
                return -literal(e.arg)  # sound: every derived atom is defined by the choice of x alone
            a = b.add_atom()
            if isinstance(e, And):
                b.add_rule([a], [literal(c) for c in e.args])
            else:
                for c in e.args:
                    b.add_rule([a], [literal(c)])
            return a

        for xi, rule in zip(x, net.rules):
            r = literal(rule)
            b.add_rule([], [xi, -r])
            b.add_rule([], [-xi, r])
    found = 0

    def seen(_model: object) -> None:
        nonlocal found
        found += 1

    ctl.solve(on_model=seen)
    return found
