"""Transitions as read: inputs and outputs that name declared species, logical (not Petri-net)
effects, at most one transition per species."""

from __future__ import annotations

from typing import NamedTuple

from mtorsim.errors import MtorsimError
from mtorsim.formats.sbml.binding import SBase
from mtorsim.formats.sbml.context import Context, did_you_mean_hint

_DECLARE = "declare it in <qual:listOfQualitativeSpecies>"


class Transition(NamedTuple):
    """A transition, how messages name it, and its inputs by id (those that have one)."""

    obj: SBase
    element: str
    inputs: dict[str, SBase]


def read_transitions(ctx: Context, qm: SBase) -> list[Transition]:
    """The transitions with an output; each output species records the transition that sets it."""
    out = []
    for i in range(qm.getNumTransitions()):
        tr = qm.getTransition(i)
        tid = tr.getId()
        element = f"transition '{tid}'" if tid else f"transition #{i + 1}"
        inputs = _read_inputs(ctx, tr, element)
        if tr.getNumOutputs() == 0:
            ctx.warnings.append(f"{element} has no output and is ignored")
            continue
        _read_outputs(ctx, tr, element)
        if (
            tr.isSetNotes()
            or tr.getNumCVTerms()
            or any(tr.getInput(j).getNumCVTerms() or tr.getInput(j).isSetNotes() for j in range(tr.getNumInputs()))
        ):
            ctx.dropped.append(
                f"notes/annotations of {element} and its inputs (interactions have no place in a Boolean network's metadata)"
            )
        out.append(Transition(tr, element, inputs))
    return out


def _unknown_species(ctx: Context, obj: SBase, where: str, sid: str) -> MtorsimError:
    return ctx.fail(
        obj,
        where,
        f"refers to qualitative species '{sid}', which the model does not declare"
        if sid
        else "names no qualitative species",
        did_you_mean_hint(sid, ctx.species) or _DECLARE,
    )


def _read_inputs(ctx: Context, tr: SBase, element: str) -> dict[str, SBase]:
    inputs: dict[str, SBase] = {}
    for j in range(tr.getNumInputs()):
        inp = tr.getInput(j)
        src = inp.getQualitativeSpecies()
        label = f"input '{inp.getId()}'" if inp.getId() else f"input #{j + 1}"
        if src not in ctx.species:
            raise _unknown_species(ctx, inp, f"{element}, {label}", src)
        if inp.isSetTransitionEffect() and inp.getTransitionEffect() == ctx.lib.INPUT_TRANSITION_EFFECT_CONSUMPTION:
            raise ctx.fail(
                inp,
                f"{element}, {label}",
                "has transitionEffect 'consumption' (Petri-net semantics), which a Boolean network cannot express",
            )
        if inp.getId():
            inputs[inp.getId()] = inp
    return inputs


def _read_outputs(ctx: Context, tr: SBase, element: str) -> None:
    lib = ctx.lib
    for j in range(tr.getNumOutputs()):
        outp = tr.getOutput(j)
        target = outp.getQualitativeSpecies()
        where = f"{element}, output '{outp.getId()}'" if outp.getId() else f"{element}, output #{j + 1}"
        if target not in ctx.species:
            raise _unknown_species(ctx, outp, where, target)
        effect = (
            outp.getTransitionEffect()
            if outp.isSetTransitionEffect()
            else lib.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL
        )
        if effect != lib.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL:
            raise ctx.fail(
                outp,
                where,
                "has transitionEffect 'production' (Petri-net semantics); mtorsim reads logical models, "
                "whose outputs use 'assignmentLevel'",
            )
        sp = ctx.species[target]
        if sp.constant:
            raise ctx.fail(
                outp,
                where,
                f"assigns qualitative species '{target}', which is declared constant",
                'a constant species cannot be the output of a transition; set qual:constant="false"',
            )
        if sp.transition is not None:
            raise ctx.fail(
                outp,
                where,
                f"qualitative species '{target}' is already the output of {sp.transition[1]}",
                "mtorsim needs one transition per species; merge their function terms into one transition",
            )
        sp.transition = (tr, element)
