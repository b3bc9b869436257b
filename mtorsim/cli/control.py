"""``mtorsim explain`` and ``mtorsim control``: why a treatment fails, what would work instead."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import (
    Output,
    load_model_for_cli,
    model_options,
    output_options,
    parse_doses,
    parse_env,
    vocabulary_option,
)
from mtorsim.errors import MtorsimError
from mtorsim.util.safeio import write_atomic


def _fmt(v, spec: str = ".3g") -> str:
    return "n/a" if v is None else format(v, spec)


def render_explain(res, fmt: str) -> str:
    """Table (default) or JSON of an ExplainResult."""
    d = res.to_dict()
    if fmt == "json":
        return json.dumps(d, indent=2)
    s = res.settings
    head = f"# {s.get('model')}: {s.get('background')} x {' + '.join(s['drugs'])}"
    out = [head, f"{res.readout}: {_fmt(res.value)} with the drugs, {_fmt(res.untreated)} without; goal {res.goal}"]
    if res.met:
        out.append("the drugs meet the goal in every attractor: nothing escapes")
    elif not res.escapes:
        out.append(f"no escape of up to {s['max_size']} nodes (try --max-size {s['max_size'] + 1})")
    for i, e in enumerate(res.escapes, 1):
        out.append("")
        out.append(f"{i}. {e.kind}: {' + '.join(sorted(e.nodes))}  [{e.certified}]")
        for n, path in zip(e.nodes, e.paths):
            out.append(f"   {n} ({e.kinds[n]}): {' -> '.join(path)}")
        if e.carries:
            out.append(f"   carries: {', '.join(e.carries)}")
        closed = "; ".join(" + ".join(c) for c in e.closed_by[:6]) or "no added drug set tried closes it"
        out.append(f"   closed by adding: {closed}" + (" ..." if len(e.closed_by) > 6 else ""))
    out.append("")
    out.append(f"complete: {'yes' if res.complete else 'no'}")
    out += [f"note: {n}" for n in res.notes]
    return "\n".join(out)


def render_control(res, fmt: str) -> str:
    """Table (default) or JSON of a ControlResult."""
    d = res.to_dict()
    if fmt == "json":
        return json.dumps(d, indent=2)
    s = res.settings
    given = " + ".join(s["drugs"]) or "no drug"
    out = [
        f"# {s.get('model')}: {res.background}, {given}: {_fmt(res.value)}; goal {res.goal}",
        f"{len(res.solutions)} minimal set(s); {res.searched} sets decided over {len(s['classes'])} drug classes"
        + (f" and {s['nodes']} nodes" if s["nodes"] else "")
        + ("" if res.complete else " (stopped at the budget: incomplete)"),
    ]
    sel = any(x.selectivity is not None for x in res.solutions)
    if res.solutions:
        out.append("")
        out.append(
            f"{'rank':>4}  {'drugs (and nodes)':<44} {'value':>6} {'graded':>7} {'robust':>7} {'doses x':>8}"
            + (f" {'select.':>8}" if sel else "")
            + "  also"
        )
    for i, sol in enumerate(res.solutions, 1):
        names = " + ".join(sol.drugs + [f"{n}={v}" for n, v in sol.nodes.items()])
        low = (sol.robustness.get("doses") or {}).get("lowest")
        alts = "; ".join(f"{k}: {', '.join(v)}" for k, v in sol.equivalents.items() if v)
        out.append(
            f"{i:>4}  {names:<44} {_fmt(sol.value, '.2f'):>6} {_fmt(sol.estimate, '.3f'):>7} "
            f"{sol.score():>7.2f} {_fmt(low, 'g'):>8}"
            + (f" {_fmt(sol.selectivity, '.3g'):>8}" if sel else "")
            + f"  {alts}"
        )
        for n in sol.notes:
            out.append(f"      note: {n}")
    out.append("")
    out.append(
        "value: the readout's worst value over the attractors; graded: the continuous-time estimate; robust: the "
        "mean fraction of update schemes, backgrounds and dose multiples where the set still works; doses x: the "
        "lowest multiple of the doses that still works"
        + ("; select.: the therapeutic window's selectivity (harm dose / response dose)" if sel else "")
    )
    out += [f"note: {n}" for n in res.notes]
    return "\n".join(out)


def _save(text_json: str, output: Output) -> None:
    if output.out:
        write_atomic(output.out, text_json)
        click.echo(f"saved {output.out}", err=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@model_options
@vocabulary_option
@click.option("--env", "envs", multiple=True, metavar="NAME=0|1", help="Medium condition (repeatable).")
@click.option("--mutation", "mutations", multiple=True, metavar="NAME", help="Mutation (repeatable).")
@click.option("--drug", "drugs", multiple=True, required=True, metavar="NAME", help="The treatment (repeatable).")
@click.option("--dose", "doses", multiple=True, metavar="NAME=D", help="A drug's dose in its unit (repeatable).")
@click.option("--readout", default=None, help="The readout [default: the goal's, else the response readout].")
@click.option(
    "--goal",
    default=None,
    metavar="'R<=V'",
    help="What the treatment should achieve [default: the response readout <= 0.25].",
)
@click.option("--max-size", type=int, default=2, show_default=True, help="Largest node set tried as an escape (1-3).")
@click.option("--max-drugs", type=int, default=2, show_default=True, help="Largest added drug set tried to close one.")
@output_options(formats=("table", "json"), out=(".json",))
def explain(model, fmt, strict, vocabulary, envs, mutations, drugs, doses, readout, goal, max_size, max_drugs, output):
    """Why a treatment leaves a readout above its goal: the escape routes, computed on the exact
    attractors (not looked up).

    An escape is a minimal set of active nodes whose activity keeps the readout from the goal:
    switching them off brings every attractor there. Each is traced from the drugs' targets
    through the signed wiring and called feedback (the drugs switched it on through a loop they
    relieve), incomplete (the drug leaves it on: a rapalog spares mTORC1's T37/46 output) or
    bypass (a route the drugs do not touch); the drug sets that close it are listed.

    \b
    Examples:
      mtorsim explain mtor --drug everolimus --goal 'Proliferation<=0.25'
      mtorsim explain mtor --mutation PIK3CA_activating --drug alpelisib
      mtorsim explain mtor --mutation KRAS_activating --drug trametinib --format json
    """
    from mtorsim.api import explain as run

    m = load_model_for_cli(model, fmt, strict, vocabulary)
    if m.vocabulary is None:
        raise MtorsimError(f"{m.name} has no vocabulary, so drugs cannot be named; give --vocabulary FILE")
    res = run(
        m,
        env=parse_env(envs, m.vocabulary),
        mutations=mutations,
        drugs=list(drugs),
        doses=parse_doses(doses),
        readout=readout,
        goal=goal,
        max_size=max_size,
        max_drugs=max_drugs,
    )
    click.echo(render_explain(res, output.format))
    _save(render_explain(res, "json"), output)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@model_options
@vocabulary_option
@click.option("--env", "envs", multiple=True, metavar="NAME=0|1", help="Medium condition (repeatable).")
@click.option("--mutation", "mutations", multiple=True, metavar="NAME", help="Mutation (repeatable).")
@click.option(
    "--goal",
    default=None,
    metavar="'R<=V'",
    help="What the drugs should achieve in every attractor [default: the response readout <= 0.25].",
)
@click.option("--max-drugs", type=int, default=3, show_default=True, help="Largest drug set tried (1-5).")
@click.option("--drug", "drugs", multiple=True, metavar="NAME", help="Drugs already given; the search adds to them.")
@click.option(
    "--candidate", "candidates", multiple=True, metavar="NAME", help="Search only these drugs [default: all]."
)
@click.option("--dose", "doses", multiple=True, metavar="NAME=D", help="A drug's dose in its unit (repeatable).")
@click.option(
    "--background",
    "backgrounds",
    multiple=True,
    metavar="NAME",
    help="Another genotype ('wildtype' or mutations joined by '+') over which robustness is read (repeatable).",
)
@click.option("--any-node", is_flag=True, help="Also search node interventions (target discovery).")
@click.option("--no-estimate", is_flag=True, help="Skip the graded continuous-time estimate of the top solutions.")
@click.option("--top", type=int, default=10, show_default=True, help="Solutions that get the estimate.")
@click.option("--runs", type=int, default=1000, show_default=True, help="Trajectories per graded estimate.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same seed, the same numbers.")
@click.option("--selectivity", is_flag=True, help="Also compute the top solutions' therapeutic window (slow).")
@output_options(formats=("table", "json"), out=(".json",))
def control(
    model,
    fmt,
    strict,
    vocabulary,
    envs,
    mutations,
    goal,
    max_drugs,
    drugs,
    candidates,
    doses,
    backgrounds,
    any_node,
    no_estimate,
    top,
    runs,
    seed,
    selectivity,
    output,
):
    """The smallest drug sets that bring a readout to a goal in every attractor, ranked by size,
    robustness (update schemes, --background genotypes, a range of doses) and dose margin.

    Drugs act at their doses (--dose, else each drug's clinical free Cmax where known); a target
    engaged at least half counts as inhibited. Drugs engaging the same targets form one class,
    decided once (the others are listed as equivalents). Each set is decided exactly on the
    attractors (percolation, else the attractor search): no enumeration of estimates, so three
    drugs over the shipped model's list take seconds. Every solution is minimal.

    \b
    Examples:
      mtorsim control mtor --mutation TSC2_loss
      mtorsim control mtor --mutation KRAS_activating --goal 'Proliferation<=0.25' --max-drugs 2
      mtorsim control mtor --drug everolimus --background TSC2_loss --background wildtype --format json
      mtorsim control mtor --mutation PIK3CA_activating --max-drugs 1 --any-node
    """
    from mtorsim.api import control as run
    from mtorsim.cli.common import progress_bar

    m = load_model_for_cli(model, fmt, strict, vocabulary)
    if m.vocabulary is None:
        raise MtorsimError(f"{m.name} has no vocabulary, so drugs cannot be named; give --vocabulary FILE")
    with progress_bar("sets") as bar:
        res = run(
            m,
            env=parse_env(envs, m.vocabulary),
            mutations=mutations,
            goal=goal,
            drugs=list(drugs),
            candidates=list(candidates) or None,
            doses=parse_doses(doses),
            max_drugs=max_drugs,
            backgrounds=list(backgrounds) or None,
            any_node=any_node,
            estimate=not no_estimate,
            top=top,
            runs=runs,
            seed=seed,
            selectivity=selectivity,
            progress=bar,
        )
    click.echo(render_control(res, output.format))
    _save(render_control(res, "json"), output)
