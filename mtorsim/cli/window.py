"""``mtorsim window``: the therapeutic window of one treatment, the tumour beside normal tissue
and T cells."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import (
    Output,
    load_model_for_cli,
    model_options,
    output_options,
    parse_env,
    population_options,
    vocabulary_option,
)
from mtorsim.errors import MtorsimError
from mtorsim.util.safeio import write_atomic


def _fmt(v, spec: str = ".3g") -> str:
    return "n/a" if v is None else format(v, spec)


def render(res, fmt: str) -> str:
    d = res.to_dict()
    if fmt == "json":
        return json.dumps(d, indent=1)
    unit = d["unit"]
    out = [
        f"# {' + '.join(d['drugs'])} in {d['settings']['background']}: tumour viability beside the normal contexts "
        f"(goal: tumour viability <= {1 - d['settings']['tumour_goal']:g}; tolerance: a normal readout moves <= "
        f"{d['settings']['tolerance']:g} from untreated)",
        "",
        f"{'dose (' + unit + ')':>14}  {'tumour':>8}  "
        + "  ".join(f"{name + ':' + c['readout']:>26}" for name, cs in d["contexts"].items() for c in cs),
        f"{'untreated':>14}  {1.0:>8.3f}  "
        + "  ".join(f"{c['untreated']:>26.3f}" for cs in d["contexts"].values() for c in cs),
    ]
    for i, dose in enumerate(d["doses"]):
        out.append(
            f"{dose:>14.4g}  {d['tumour']['viability'][i]:>8.3f}  "
            + "  ".join(f"{c['values'][i]:>26.3f}" for cs in d["contexts"].values() for c in cs)
        )
    out.append("")
    eff = (
        _fmt(d["efficacy_dose"])
        if d["efficacy_dose"] is not None
        else {">": "not reached", "<": "below the grid"}.get(d["efficacy_censored"] or "", "n/a")
    )
    out.append(f"tumour responds from: {eff} {unit}")
    out.append(
        f"first normal harm: {_fmt(d['toxicity_dose'])} {unit} ({d['limiting']})"
        if d["toxicity_dose"] is not None
        else "first normal harm: none on the grid"
        if d["assessed"]
        else "first normal harm: not assessed (no context models the treatment's targets)"
    )
    if not d["assessed"]:
        out.append("window: not assessed")
    elif d["window"] is None:
        out.append("window: none (the tumour responds only where normal tissue is already harmed)")
    else:
        lo, hi = d["window"]
        out.append(f"window: {_fmt(lo)} to {_fmt(hi) if hi is not None else 'beyond the grid'} {unit}")
    low = d["selectivity_at_least"]
    sel = _fmt(d["selectivity"]) if d["selectivity"] is not None else f"> {_fmt(low)}" if low else "n/a"
    out.append(f"selectivity (harm dose / response dose): {sel}")
    out += [f"note: {n}" for n in d["notes"]]
    return "\n".join(out)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@model_options
@vocabulary_option
@click.option("--env", "envs", multiple=True, metavar="NAME=0|1", help="Tumour medium condition (repeatable).")
@click.option("--mutation", "mutations", multiple=True, metavar="NAME", help="Tumour mutation (repeatable).")
@click.option(
    "--drug",
    "drugs",
    multiple=True,
    required=True,
    metavar="NAME[+NAME]",
    help="The treatment; several --drug (or A+B) are given together at a fixed ratio of their reference doses.",
)
@click.option("--doses", default=None, metavar="D1,D2,...", help="Dose grid, increasing, in the drug's unit.")
@click.option(
    "--tumour-goal",
    type=float,
    default=0.5,
    show_default=True,
    help="The fall in tumour viability sought (0.5: viability at most 0.5).",
)
@click.option(
    "--tolerance",
    type=float,
    default=0.2,
    show_default=True,
    help="How far a normal readout may move from untreated before it counts as harm.",
)
@click.option("--context", "contexts", multiple=True, metavar="NAME", help="Only these contexts (repeatable).")
@population_options(runs=1000)
@output_options(out=(".json",), plot="Plot tumour and normal curves on one dose axis, the window shaded.")
def window(
    model,
    fmt,
    strict,
    vocabulary,
    envs,
    mutations,
    drugs,
    doses,
    tumour_goal,
    tolerance,
    contexts,
    runs,
    seed,
    threads,
    output: Output,
):
    """The therapeutic window of a treatment: the tumour's viability (the assay of `mtorsim
    response`) beside the normal contexts the vocabulary names ([model.contexts]; for mtor
    insulin-responsive tissue and a primed CD8 T cell), all under the same doses.

    Each context shares the tumour's drugs (same targets and potencies); a dose engages each
    target in the same share of cells. The tumour responds from the dose at which its viability
    falls to 1 - --tumour-goal; a normal readout is harmed from the dose at which it moves more
    than --tolerance from untreated. The window is the range between the two when the first is
    lower; the selectivity is harm dose / response dose (a therapeutic index).

    \b
    Examples:
      mtorsim window mtor --mutation PIK3CA_activating --drug alpelisib
      mtorsim window mtor --mutation ERBB2_amplification --drug seribantumab --plot window.png
      mtorsim window mtor --mutation TSC2_loss --drug everolimus --context insulin_tissue --format json
    """
    from mtorsim.api import window as run
    from mtorsim.cli.common import progress_bar
    from mtorsim.cli.response import _doses

    m = load_model_for_cli(model, fmt, strict, vocabulary)
    if m.vocabulary is None:
        raise MtorsimError(f"{m.name} has no vocabulary, so drugs cannot be named; give --vocabulary FILE")
    with progress_bar("populations") as bar:
        res = run(
            m,
            env=parse_env(envs, m.vocabulary),
            mutations=mutations,
            drugs=list(drugs),
            doses=_doses(doses),
            tumour_goal=tumour_goal,
            tolerance=tolerance,
            contexts=list(contexts) or None,
            runs=runs,
            seed=seed,
            threads=threads,
            progress=bar,
        )
    click.echo(render(res, output.format))
    if output.out:
        write_atomic(output.out, render(res, "json"))
        click.echo(f"saved {output.out}", err=True)
    if output.plot:
        res.plot(str(output.plot), overwrite=True)  # checked before the work
        click.echo(f"saved {output.plot}", err=True)
