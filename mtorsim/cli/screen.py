"""``mtorsim screen``: every drug and drug pair over genotype backgrounds; ranking, synergy,
compensation; resumable through SQLite."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import Output, cohort_option, echo_cohort, output_options, parse_env, progress_bar
from mtorsim.cli.scenario import load_with_vocabulary, scenario_options


def _half(interval) -> float | None:
    return None if interval is None else (interval[1] - interval[0]) / 2


def _fmt(v, width=6):
    return f"{'n/a':>{width}}" if v is None else f"{v:>{width}.3f}"


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@scenario_options
@click.option(
    "--drug",
    "drugs",
    multiple=True,
    metavar="NAME",
    help="Screen only these drugs, by name or alias (repeatable; default: every drug in the vocabulary).",
)
@click.option(
    "--background",
    "backgrounds",
    multiple=True,
    metavar="NAME",
    help="Genotype background: 'wildtype' or mutation names joined by '+' (repeatable; default: "
    "wildtype and every single mutation).",
)
@click.option(
    "--backgrounds",
    "backgrounds_file",
    default=None,
    type=click.Path(dir_okay=False),
    help="File of backgrounds, one per line as for --background ('#' starts a comment).",
)
@cohort_option
@click.option(
    "--measure",
    type=click.Choice(["readout", "viability"]),
    default="readout",
    show_default=True,
    help="What a cell is: a scenario ranked on --readout, or the viability assay of `mtorsim response` with "
    "every drug at its reference dose (clinical free Cmax where known), ranked on relative viability.",
)
@click.option("--max-combo", type=int, default=2, show_default=True, help="Largest number of drugs combined.")
@click.option(
    "--env", "envs", multiple=True, metavar="NAME=0|1", help="Set an environment condition for every cell (repeatable)."
)
@click.option(
    "--env-sweep",
    "sweep",
    multiple=True,
    metavar="NAME",
    help="Screen this environment condition at 0 and at 1 (repeatable): every background is repeated "
    "for each combination and labelled genotype|NAME=v.",
)
@click.option(
    "--readout",
    default=None,
    metavar="NAME",
    help="Readout to rank on (default: the vocabulary's response readout, [model] response_readout; "
    "for mtor TumourGrowth = 0.5 Proliferation + 0.5 Survival; else the first readout).",
)
@click.option(
    "--goal",
    type=click.Choice(["low", "high"]),
    default=None,
    help="low: lower readout is better (an inhibitor screen); high: higher is better (default: the "
    "vocabulary's [model] goal for its response readout, else low).",
)
@output_options(
    plot="Heatmap of the readout (treatments x backgrounds), .png/.svg/.pdf; '*' marks Bliss synergy > 0.1.",
    force="Overwrite an existing --db or --plot file.",
)
@click.option(
    "--db",
    "db_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="SQLite file; each cell is stored as soon as it finishes.",
)
@click.option("--resume", is_flag=True, help="Skip cells already in --db (its settings must match).")
@click.option("--jobs", type=int, default=1, show_default=True, help="Run cells in this many local processes.")
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run cells on an existing Dask cluster, e.g. tcp://host:8786 (needs pip install "
    "'mtorsim[dask]' here and mtorsim on the workers); excludes --jobs.",
)
def screen(
    model,
    fmt,
    strict,
    vocabulary,
    update,
    method,
    max_combinations,
    estimate_runs,
    seed,
    burn_in,
    treatment_time,
    no_estimate,
    drugs,
    backgrounds,
    backgrounds_file,
    cohort,
    measure,
    max_combo,
    envs,
    sweep,
    readout,
    goal,
    output: Output,
    db_path,
    resume,
    jobs,
    scheduler,
):
    """Screen MODEL: no drug, every single drug and every drug pair (up to --max-combo) in each
    genotype background; each cell is one scenario (as `mtorsim scenario`). Reports, per
    background, the treatments ranked on --readout, Bliss-independence and highest-single-agent
    (HSA) synergy of the combinations, and compensation: readouts whose mean rises under a
    treatment relative to untreated.

    Effects are fractions of the untreated readout: with --goal low, e = (untreated - treated) /
    untreated, clipped to [0, 1]; Bliss excess = e_pair - (1 - (1 - e_a)(1 - e_b)); HSA excess =
    e_pair - max(e_a, e_b). Ranks follow the graded mean (±95% interval); means within the 95%
    interval of their difference are a tie (marked '=', one shared rank), ordered by fewer
    drugs, then the better exact-attractor mean, then the name, never by the noise between them. '~' marks a combination whose
    cells (or single drugs) have cyclic attractors: its synergy may come from cycle averaging.

    \b
    Examples:
      mtorsim screen model.rules --readout growth --format json
      mtorsim screen model.rules --background wildtype --background TSC2_loss+PTEN_loss --drug everolimus --drug torin1
      mtorsim screen model.rules --db screen.sqlite --jobs 4          # interrupted? add --resume
      mtorsim screen model.rules --db screen.sqlite --scheduler tcp://scheduler:8786   # Dask cluster
      mtorsim screen model.rules --plot screen.png
      mtorsim screen mtor --cohort models/mtor/cell_lines.tsv --drug everolimus --drug alpelisib --max-combo 1
      mtorsim screen mtor --measure viability --drug alpelisib --drug trametinib --background KRAS_activating
    """
    from mtorsim.api import run_screen

    if backgrounds_file:
        from mtorsim.formats.io import read_text

        listed = [line.split("#", 1)[0].strip() for line in read_text(backgrounds_file).splitlines()]
        backgrounds = tuple(backgrounds) + tuple(b for b in listed if b)
    m = load_with_vocabulary(model, fmt, strict, vocabulary)
    with progress_bar("screen") as bar:
        res = run_screen(
            m,
            drugs=drugs or None,
            backgrounds=backgrounds or None,
            cohort=cohort,
            measure=measure,
            max_combo=max_combo,
            env=parse_env(envs, m.vocabulary),
            readout=readout,
            jobs=jobs,
            runs=estimate_runs,
            seed=seed,
            sweep=sweep,
            goal=goal,
            update=update,
            method=method,
            estimate=not no_estimate,
            burn_in=burn_in,
            treatment_time=treatment_time,
            db=db_path,
            resume=resume,
            force=output.force,
            scheduler=scheduler,
            progress=bar,
            max_combinations=max_combinations,
        )
    echo_cohort(res.settings.get("cohort"))
    total = len(res.plan.cells())
    if res.skipped:
        click.echo(f"note: {res.skipped} of {total} cell(s) taken from {db_path}", err=True)
    incomplete = sum(not c["complete"] for c in res.cells.values())
    if incomplete:
        click.echo(
            f"note: {incomplete} cell(s) have an incomplete attractor search; their readouts may miss attractors",
            err=True,
        )
    if output.plot:
        from mtorsim.plots.screen import plot_screen

        plot_screen(res, output.plot)
    if output.format == "json":
        click.echo(json.dumps(res.to_dict(), indent=1))
    elif output.format == "csv":
        _csv(res)
    else:
        _table(res)


def _csv(res) -> None:
    names = list(next(iter(res.cells.values()))["readouts"]) if res.cells else []
    syn = {(b.label, tuple(s["treatment"])): s for b in res.plan.backgrounds for s in res.synergy(b.label)}
    head = ["background", "treatment", "complete"] + [f"{n}_{k}" for n in names for k in ("min", "max", "mean")]
    head += ["effect", "bliss", "hsa", "compensation"]
    lines = [",".join(head)]

    def num(v):
        return "" if v is None else f"{v:.6g}"

    for row in res.results():
        b, t = row["background"], tuple(row["treatment"])
        s = syn.get((b, t), {})
        comp = ";".join(f"{k}+{v:.6g}" for k, v in row["compensation"].items())
        vals = [num(row["readouts"][n][k]) for n in names for k in ("min", "max", "mean")]
        lines.append(
            ",".join(
                [b, "+".join(t) or "none", str(int(row["complete"]))]
                + vals
                + [num(res.effect(b, t)), num(s.get("bliss")), num(s.get("hsa")), comp]
            )
        )
    click.echo("\n".join(lines))


def _table(res) -> None:
    from mtorsim.screening.plan import treatment_label

    click.echo(
        f"# screen on '{res.readout}' ({'lower' if res.goal == 'low' else 'higher'} is better); "
        f"{len(res.plan.backgrounds)} background(s) x {len(res.plan.treatments)} treatment(s)"
    )
    width = max([len(treatment_label(t)) for t in res.plan.treatments] + [9])
    for b in res.plan.backgrounds:
        syn = {tuple(s["treatment"]): s for s in res.synergy(b.label)}
        click.echo(f"\n== {b.label}")
        click.echo(
            f"{'rank':>4}  {'treatment':<{width}}  {'mean':>6} {'±95%':>6} {'effect':>6} {'bliss':>6}  {'hsa':>6}  "
            "compensation"
        )
        for r in res.ranking(b.label):
            t = tuple(r["treatment"])
            s = syn.get(t, {})
            comp = ", ".join(f"{k} +{v:.2f}" for k, v in res.compensation(b.label, t).items()) or "-"
            flag = "" if res.cell(b.label, t)["complete"] else " (incomplete)"
            mark = ("*" if s.get("synergistic") else " ") + ("~" if s.get("oscillating") else " ")
            rank = ("=" if r["tie"] else "") + str(r["rank"])
            click.echo(
                f"{rank:>4}  {treatment_label(t):<{width}}  {_fmt(r['mean'])} {_fmt(_half(r['interval']))} "
                f"{_fmt(r['effect'])} "
                f"{_fmt(s.get('bliss'))}{mark}{_fmt(s.get('hsa'))}  {comp}{flag}"
            )
