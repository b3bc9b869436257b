"""Percolation folds only the rules that can change; it must give exactly what folding every rule
in every pass gives (the reference below), values in the same order, and the same when told the
network is already settled."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import networks

from mtorsim.formats.ast import Const, to_text
from mtorsim.network.reduction import percolate, substitute


def every_rule_every_pass(net, fixed):
    values = {n: int(v) for n, v in fixed.items()}
    rules = {n: e for n, e in zip(net.nodes, net.rules) if n not in values}
    changed = True
    while changed:
        changed = False
        for n in list(rules):
            e = substitute(rules[n], values)
            if isinstance(e, Const):
                values[n] = int(e.value)
                del rules[n]
                changed = True
            else:
                rules[n] = e
    return list(values.items()), [(n, to_text(rules[n])) for n in net.nodes if n in rules]


def as_lists(red):
    return list(red.values.items()), [(n, to_text(e)) for n, e in zip(red.reduced.nodes, red.reduced.rules)]


@settings(max_examples=300, deadline=None)
@given(networks(max_n=10, max_held=3), st.data())
def test_the_same_as_folding_every_rule_in_every_pass(case, data):
    net, held = case
    assert as_lists(percolate(net, held)) == every_rule_every_pass(net, held)
    base = percolate(net, held).reduced
    if len(base):
        more = {n: data.draw(st.integers(0, 1)) for n in data.draw(st.lists(st.sampled_from(base.nodes), unique=True))}
        assert as_lists(percolate(base, more, settled=True)) == as_lists(percolate(base, more))


def rebuilt(expr, values):
    """The reference substitution: every tree rebuilt, constants folded away."""
    from mtorsim.formats.ast import Not, Or, Var

    if isinstance(expr, Var):
        return Const(bool(values[expr.name])) if expr.name in values else expr
    if isinstance(expr, Const):
        return expr
    if isinstance(expr, Not):
        arg = rebuilt(expr.arg, values)
        return Const(not arg.value) if isinstance(arg, Const) else Not(arg)
    absorbing = isinstance(expr, Or)
    kept = []
    for a in (rebuilt(a, values) for a in expr.args):
        if isinstance(a, Const):
            if a.value == absorbing:
                return Const(absorbing)
            continue
        kept.append(a)
    if not kept:
        return Const(not absorbing)
    return kept[0] if len(kept) == 1 else type(expr)(tuple(kept))


@settings(max_examples=400, deadline=None)
@given(networks(max_n=6, max_held=3))
def test_substitute_folds_as_rebuilding_does_and_keeps_untouched_trees(case):
    """substitute hands back the very tree when nothing in it folds (what the counters rely on)."""
    from mtorsim.formats.ast import And, Not, Or, names

    def has_const(e):
        if isinstance(e, Const):
            return True
        if isinstance(e, Not):
            return has_const(e.arg)
        return isinstance(e, (And, Or)) and any(has_const(a) for a in e.args)

    net, held = case
    for e in net.rules:
        out = substitute(e, held)
        assert to_text(out) == to_text(rebuilt(e, held))
        if not set(names(e)) & set(held) and not has_const(e):
            assert out is e
