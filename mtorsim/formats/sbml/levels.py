"""Transitions to Boolean rules.

The target level of a transition is the highest ``resultLevel`` among its satisfied function
terms, or the default term's when none is satisfied. A species with maxLevel k > 1 is the nodes
``X, X_2, ..., X_k`` ("level >= j") updated by the stepwise (Van Ham) mapping
``X_j* = X_(j+1) or (X_(j-1) and F_j)``, ``F_j`` saying "the target level is at least j". A species
without a usable transition is a free input, or its constant when declared constant with an
initial level.
"""

from __future__ import annotations

from mtorsim.errors import Location
from mtorsim.formats.ast import Const, Expr, Rule, Var, depth, names
from mtorsim.formats.sbml.binding import SBase
from mtorsim.formats.sbml.boolean import and_, neg, or_, table_signs
from mtorsim.formats.sbml.context import Context, Species
from mtorsim.formats.sbml.guards import MAX_DEPTH
from mtorsim.formats.sbml.mathml import MathReader
from mtorsim.formats.sbml.transitions import Transition

_EFFECTS = {"+": "activates", "-": "inhibits", "±": "both activates and inhibits"}


def build_rules(ctx: Context, transitions: list[Transition]) -> tuple[list[Rule], dict[str, int]]:
    """One rule per level node (species in document order), and the initial value of each node
    whose species has an initial level."""
    math = MathReader(ctx)
    node_species = {name: sp.sid for sp in ctx.species.values() for name in sp.levels}
    by_species: dict[str, tuple[list[Expr], SBase]] = {}
    for t in transitions:
        outs = [t.obj.getOutput(j).getQualitativeSpecies() for j in range(t.obj.getNumOutputs())]
        ge = _target_levels(ctx, math, t, outs, node_species)
        if ge is not None:
            for s in outs:
                by_species[s] = (ge, t.obj)
    rules: list[Rule] = []
    initial: dict[str, int] = {}
    for sp in ctx.species.values():
        if sp.initial is not None:
            initial.update({name: int(sp.initial >= j) for j, name in enumerate(sp.levels, start=1)})
        rules.extend(_species_rules(ctx.path, sp, by_species.get(sp.sid)))
    return rules, initial


def _target_levels(
    ctx: Context, math: MathReader, t: Transition, outs: list[str], node_species: dict[str, str]
) -> list[Expr] | None:
    """``F_j`` (the target level is at least ``j``) for j = 1 .. the outputs' highest level; None
    for a transition with neither function nor default terms (an unspecified function)."""
    top = min(ctx.species[s].max_level for s in outs)  # every output must hold the results
    terms = _function_terms(ctx, math, t, top)
    if t.obj.isSetDefaultTerm():
        default = t.obj.getDefaultTerm().getResultLevel()
        if default < 0 or default > top:
            raise ctx.fail(
                t.obj.getDefaultTerm(),
                f"{t.element}, default term",
                f"resultLevel {default} is outside the output's levels 0..{top}",
            )
    elif terms:
        default = 0
        ctx.warnings.append(f"{t.element} has function terms but no default term; level 0 is used when none applies")
    else:
        return None
    ge = []
    for j in range(1, max(ctx.species[s].max_level for s in outs) + 1):
        reached = [c for r, c in terms if r >= j]
        if default >= j:
            reached.append(and_(neg(c) for _, c in terms))
        ge.append(or_(reached))
    used: set[str] = set()
    for _, c in terms:
        used.update(names(c))
    check_inputs(ctx, t, ge, {node_species[n] for n in used})
    return ge


def _function_terms(ctx: Context, math: MathReader, t: Transition, top: int) -> list[tuple[int, Expr]]:
    """Each function term's result level and condition."""
    terms: list[tuple[int, Expr]] = []
    for j in range(t.obj.getNumFunctionTerms()):
        ft = t.obj.getFunctionTerm(j)
        term = f"{t.element}, function term #{j + 1}"
        result = ft.getResultLevel()
        if result < 0 or result > top:
            raise ctx.fail(ft, term, f"resultLevel {result} is outside the output's levels 0..{top}")
        ast = ft.getMath()
        if ast is None:
            raise ctx.fail(ft, term, "has no <math>", "each functionTerm holds one MathML condition")
        cond = math.condition(ast, term, ft, t.inputs)
        if depth(cond) > MAX_DEPTH:
            raise ctx.fail(ft, term, f"nests {depth(cond)} levels deep (the limit is {MAX_DEPTH})")
        terms.append((result, cond))
    return terms


def _species_rules(path: str, sp: Species, assigned: tuple[list[Expr], SBase] | None) -> list[Rule]:
    """The rules of one species' level nodes."""
    k = sp.max_level
    where = Location(path, sp.obj.getLine(), sp.obj.getColumn())
    if k == 0:
        return [Rule(sp.node, Const(False), where)]
    if assigned is not None:
        ge, tr = assigned
        where = Location(path, tr.getLine(), tr.getColumn())
        rules = []
        for j, name in enumerate(sp.levels, start=1):
            if k == 1:
                expr = ge[0]
            else:  # stepwise (Van Ham) mapping: one level at a time, staircase kept
                above = Var(sp.levels[j]) if j < k else Const(False)
                below = Var(sp.levels[j - 2]) if j > 1 else Const(True)
                expr = or_([above, and_([below, ge[j - 1]])])
            rules.append(Rule(name, expr, where))
        return rules
    if sp.constant and sp.initial is not None:
        return [Rule(name, Const(sp.initial >= j), where) for j, name in enumerate(sp.levels, start=1)]
    return [Rule(name, Var(name, where), where) for name in sp.levels]


def check_inputs(ctx: Context, t: Transition, ge: list[Expr], used: set[str]) -> None:
    """Warn when the function reads a species (``used``: ids) the transition does not list as an
    input, or contradicts an input's declared sign (Boolean inputs and targets only)."""
    lib, tr = ctx.lib, t.obj
    listed = {tr.getInput(j).getQualitativeSpecies() for j in range(tr.getNumInputs())}
    unlisted = sorted(used - listed)
    if unlisted:
        ctx.warnings.append(f"{t.element}: the function reads {', '.join(unlisted)}, not listed among its inputs")
    if len(ge) != 1:
        return
    derived = table_signs(ge[0])
    if derived is None:
        return
    declared_names = {lib.INPUT_SIGN_POSITIVE: "positive", lib.INPUT_SIGN_NEGATIVE: "negative"}
    for j in range(tr.getNumInputs()):
        inp = tr.getInput(j)
        sp = ctx.species[inp.getQualitativeSpecies()]
        if not inp.isSetSign() or sp.max_level != 1:
            continue
        declared = declared_names.get(inp.getSign())
        got = derived.get(sp.node, "0")
        if (declared == "positive" and got in ("-", "±")) or (declared == "negative" and got in ("+", "±")):
            ctx.warnings.append(
                f"{t.element}: input {sp.sid} is declared {declared} but {_EFFECTS[got]} the target in the function"
            )
