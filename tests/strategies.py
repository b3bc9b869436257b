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
