"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st

from mtorsim.formats.ast import And, Const, Not, Or, Var


def exprs(names, depth: int, min_args: int = 2):
    """Random Const/Var/Not/And/Or trees over ``names`` of depth at most ``depth``;
    and/or take ``min_args`` to 3 arguments."""
    var = st.sampled_from(names).map(Var)
    leaf = st.one_of(var, var, var, st.booleans().map(Const))
    if depth == 0:
        return leaf
    sub = exprs(names, depth - 1, min_args)
    args = st.lists(sub, min_size=min_args, max_size=3).map(tuple)
    return st.one_of(leaf, sub.map(Not), args.map(And), args.map(Or))


@st.composite
def networks(draw, max_n: int = 7, max_held: int = 2):
    """A random network of 1 to ``max_n`` nodes (rules of depth 2) and up to ``max_held``
    nodes held at random values."""
    from mtorsim.formats.ast import Rule
    from mtorsim.network import Network

    n = draw(st.integers(1, max_n))
    names = [f"N{i}" for i in range(n)]
    net = Network.from_rules([Rule(x, draw(exprs(names, 2))) for x in names])
    held = draw(st.lists(st.sampled_from(names), unique=True, max_size=max_held))
    return net, {x: draw(st.integers(0, 1)) for x in held}
