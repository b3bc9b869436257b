"""Boolean helpers for SBML-qual: building syntax trees with constants folded and chains
flattened, and the sign of each regulator (from :mod:`mtorsim.formats.logic`)."""

from __future__ import annotations

from collections.abc import Iterable

from mtorsim.formats.ast import And, Const, Expr, Not, Or, names, polarity


def and_(args: Iterable[Expr]) -> Expr:
    """Conjunction: ``false`` absorbs, ``true`` drops out, nested ``and`` is flattened."""
    out: list[Expr] = []
    for a in args:
        if isinstance(a, Const):
            if not a.value:
                return Const(False)
            continue
        out.extend(a.args if isinstance(a, And) else (a,))
    if not out:
        return Const(True)
    return out[0] if len(out) == 1 else And(tuple(out))


def or_(args: Iterable[Expr]) -> Expr:
    """Disjunction: ``true`` absorbs, ``false`` drops out, nested ``or`` is flattened."""
    out: list[Expr] = []
    for a in args:
        if isinstance(a, Const):
            if a.value:
                return Const(True)
            continue
        out.extend(a.args if isinstance(a, Or) else (a,))
    if not out:
        return Const(False)
    return out[0] if len(out) == 1 else Or(tuple(out))


def not_(a: Expr) -> Expr:
    """``<not/>`` as written (a double negation stays, so write -> read is exact)."""
    return Const(not a.value) if isinstance(a, Const) else Not(a)


def neg(a: Expr) -> Expr:
    """A negation mtorsim introduces itself (comparisons, xor, implies): cancels a ``not``."""
    return a.arg if isinstance(a, Not) else not_(a)


def xor(a: Expr, b: Expr) -> Expr:
    """Exactly one of ``a`` and ``b``."""
    return or_([and_([a, neg(b)]), and_([neg(a), b])])


def table_signs(expr: Expr) -> dict[str, str] | None:
    """Each regulator's sign from the truth table (:func:`mtorsim.logic.signs`): '+' activating,
    '-' inhibiting, '±' both, '0' no effect; None above ``logic.TABLE_MAX_INPUTS`` regulators."""
    from mtorsim.formats import logic  # imports numpy: only when signs are needed

    regs = names(expr)
    if len(regs) > logic.TABLE_MAX_INPUTS:
        return None
    return dict(zip(regs, logic.signs(expr, regs)))


def signs(expr: Expr) -> dict[str, str]:
    """Each regulator's sign as the network computes it: from the truth table up to
    ``logic.TABLE_MAX_INPUTS`` regulators, from the syntax above ('+', '-' or '±')."""
    from mtorsim.formats import logic

    table = table_signs(expr)
    if table is not None:
        return table
    pol = polarity(expr)
    return {r: logic.sign_symbol(pol[r]) for r in names(expr)}
