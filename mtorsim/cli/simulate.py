"""``mtorsim simulate``: trajectories and mean activities."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import (
    FIGURES,
    Output,
    as_flags,
    check_writable,
    library_warnings,
    load_model_for_cli,
    model_options,
    output_options,
    parse_assignment,
    progress_bar,
    treatment_from_cli,
    vocabulary_option,
)
from mtorsim.errors import MtorsimError
from mtorsim.types import SIMULATION_UPDATES
from mtorsim.util.safeio import write_atomic

TABLE_MAX_COLUMNS = 12


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@model_options
@click.option(
    "--update",
    type=click.Choice(SIMULATION_UPDATES),
    default=None,
    help="sync: all nodes at once. async: one random node per step, chosen in proportion to its rate. "
    "random-order: every node once per step in a fresh random order. continuous: MaBoSS's "
    "continuous-time Markov chain (the default for .bnd models). [default: the shipped model's, else sync]",
)
@click.option("--steps", type=int, default=None, help="Length for sync and random-order, in steps [default: 20].")
@click.option(
    "--time",
    "time_",
    type=float,
    default=None,
    help="Length for async, in time units of sum(rates)/min(rates) single-node updates [default: 25].",
)
@click.option(
    "--runs",
    type=int,
    default=None,
    help="Number of trajectories; with more than one, the mean activity is reported "
    "[default: the shipped model's, else 1; continuous: the .cfg's sample_count, else 1000].",
)
@click.option(
    "--every", type=float, default=None, help="Sampling interval (steps, or time units for async) [default: 1]."
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Random seed; the same seed gives the same result [default: 0; continuous: the .cfg's seed].",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="NODE=0|1[@START-END]",
    help="Hold NODE at a value for the whole run, or from START to END (END optional: to the end), "
    "in steps or time units; the node returns to its rule afterwards (repeatable).",
)
@click.option(
    "--env", "envs", multiple=True, metavar="NAME=0|1", help="Environment condition from the model's vocabulary."
)
@click.option(
    "--mutation",
    "mutations",
    multiple=True,
    metavar="NAME[@START-END]",
    help="Mutation from the vocabulary, for the whole run or a time window (repeatable).",
)
@click.option(
    "--drug",
    "drugs",
    multiple=True,
    metavar="NAME[@START-END]",
    help="Drug (or alias) from the vocabulary, for the whole run or a window such as @0-10 or @5- "
    "(pulsed dosing, holidays, a drug added later); a drug's efficacy below 1 makes its "
    "inhibition hold at each update with that probability (repeatable).",
)
@click.option(
    "--dose",
    "doses",
    multiple=True,
    metavar="NAME=D",
    help="Dose of a drug in the drug's unit; its targets are engaged by potency (Hill) (repeatable).",
)
@vocabulary_option
@click.option(
    "--init",
    "inits",
    multiple=True,
    metavar="NODE=VALUE",
    help="Initial value: 0, 1, 'random' (1/2) or a probability such as 0.3 (repeatable).",
)
@click.option(
    "--init-default",
    default=None,
    metavar="VALUE",
    help="Initial value of nodes not given otherwise [default: 0, or the --init-file's].",
)
@click.option(
    "--init-group",
    "init_groups",
    multiple=True,
    metavar="A,B,C=P",
    help="Correlated random start: one draw per run, shared by the listed nodes, 1 with probability P.",
)
@click.option(
    "--init-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Initial conditions, 'node<TAB>value' per line (0, 1, a probability, ranState, ranStateCorrelated).",
)
@click.option(
    "--rates",
    "rates_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Async rates: 'node rate' per line (others 1).",
)
@click.option(
    "--slow",
    type=click.Path(dir_okay=False),
    default=None,
    help="Async: file of slow nodes (rate 1); the others get --fast-ratio.",
)
@click.option(
    "--fast-ratio",
    type=float,
    default=None,
    help="Rate of fast nodes relative to slow ones (with --slow) [default: 5].",
)
@click.option(
    "--cfg",
    "cfgs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Continuous time: a MaBoSS .cfg file (parameters, initial states, settings); repeatable, later "
    "files win. A .bnd model reads MODEL.cfg beside it by default.",
)
@click.option(
    "--max-time",
    type=float,
    default=None,
    help="Continuous time: length in time units [default: the .cfg's max_time, else 25].",
)
@click.option(
    "--time-tick",
    type=float,
    default=None,
    help="Continuous time: window over which probabilities are averaged [default: the .cfg's time_tick, else 1].",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Continuous time: set a $parameter of the rates; wins over the .cfg (repeatable).",
)
@click.option(
    "--discrete-time",
    is_flag=True,
    default=None,
    help="Continuous time: every transition takes one time_tick (MaBoSS's discrete_time = 1).",
)
@click.option(
    "--threads",
    type=int,
    default=None,
    help="Worker threads for sync, async and continuous runs [default: all cores]; the numbers do not depend on it.",
)
@click.option(
    "--top-states",
    type=int,
    default=None,
    help="Continuous time: the most probable states kept per window (JSON and --plot-states), and the "
    "state entropy H; 0 tracks no states (faster, less memory) [default: 10 when JSON or --plot-states "
    "is asked for, else 0].",
)
@click.option(
    "--plot-states",
    "states_plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="Continuous time: save a stacked-area plot of state probabilities over time (.png, .svg, .pdf).",
)
@click.option(
    "--score",
    "scores",
    multiple=True,
    metavar="NODE=W1,W2,...",
    help="Report NODE_norm: per run the weight of the highest level on among NODE, NODE_2, ... (repeatable).",
)
@output_options(
    out=(".json", ".csv"),
    plot="Save a trajectory heatmap (.png, .svg or .pdf).",
    order=True,
    show="Only report (and plot) these nodes (repeatable).",
    force="Overwrite --out, --plot and --plot-states files that exist.",
)
def simulate(
    model: str,
    fmt,
    strict,
    update,
    steps,
    time_,
    runs,
    every,
    seed,
    sets,
    envs,
    mutations,
    drugs,
    doses,
    vocabulary,
    inits,
    init_default,
    init_groups,
    init_file,
    rates_file,
    slow,
    fast_ratio,
    cfgs,
    max_time,
    time_tick,
    params,
    discrete_time,
    threads,
    top_states,
    states_plot,
    scores,
    output: Output,
) -> None:
    """Simulate MODEL and report node activity over time.

    With one run the trajectory (0/1) is reported; with --runs R the mean activity of every
    node at every sampled time. Shipped models bring their published settings (update
    scheme, rates, initial conditions), which options override.

    \b
    Examples:
      mtorsim simulate model.bnet --steps 30 --init-default random --runs 500
      mtorsim simulate model.rules --update random-order --set AKT=0 --plot akt_off.png
      mtorsim simulate zanudo2021-mcf7 --set Alpelisib=1 --runs 10000 --score Proliferation=0.25,0.5,1,0
      mtorsim simulate model.rules --update async --slow slow.txt --fast-ratio 5 --time 25
      mtorsim simulate zanudo2021-mcf7 --set Alpelisib=1@2-10 --set Everolimus=1@5-
      mtorsim simulate model.bnd --cfg model.cfg --param u_AKT=2 --format json --out probtraj.json
      mtorsim simulate mtor --update continuous --drug everolimus --max-time 20 --runs 2000
    """
    from mtorsim.simulation.setup import default_update
    from mtorsim.simulation.setup import simulate as run

    m = load_model_for_cli(model, fmt, strict, vocabulary)
    net = m.network
    update = default_update(net, m.settings, update)
    continuous_only = [
        name
        for name, v in (
            ("--cfg", cfgs),
            ("--max-time", max_time),
            ("--time-tick", time_tick),
            ("--param", params),
            ("--discrete-time", discrete_time),
            ("--plot-states", states_plot),
        )
        if v
    ]
    if update != "continuous" and continuous_only:
        raise MtorsimError(f"{', '.join(continuous_only)} apply to --update continuous (this run is {update})")
    if update == "continuous" and (steps is not None or time_ is not None):
        raise MtorsimError("for --update continuous give --max-time (and --time-tick), not --steps or --time")
    if update == "async" and steps is not None:
        raise MtorsimError("--steps applies to sync and random-order; for async give --time in time units")
    if update in ("sync", "random-order") and time_ is not None:
        raise MtorsimError(f"--time applies to async; for {update} give --steps")
    length = max_time if update == "continuous" else (time_ if update == "async" else steps)

    fixed, holds = parse_sets(sets, net)
    shown = output.shown(net)
    states_path = check_writable(states_plot, output.force, FIGURES, "--plot-states") if states_plot else None
    if top_states is None:
        wants = output.format == "json" or (output.out is not None and output.out.suffix.lower() == ".json")
        top_states = 10 if wants or states_plot else 0
    if states_plot and top_states == 0:
        raise MtorsimError("--plot-states needs the states: drop --top-states 0 (or give a number above 0)")
    with library_warnings({"fixed": "--set"}), progress_bar("simulating") as bar:
        result = run(
            m,
            update=update,
            length=length,
            runs=runs,
            seed=seed,
            every=every,
            treatment=treatment_from_cli(m.vocabulary, envs, mutations, drugs, doses, fixed, holds),
            init=dict(parse_assignment(t, "--init") for t in inits),
            init_groups=[_group(t) for t in init_groups],
            init_default=init_default,
            init_file=init_file,
            rates_file=rates_file,
            slow=slow,
            fast_ratio=fast_ratio,
            scores=scores or None,
            cfg=cfgs,
            params=dict(_param(t) for t in params),
            time_tick=time_tick,
            discrete_time=discrete_time,
            top_states=top_states,
            threads=threads,
            progress=bar,
        )

    for note in getattr(result, "notes", []):
        click.echo(f"note: {as_flags(note)}", err=True)
    text = render(result, output.format, shown)
    click.echo(text, nl=not text.endswith("\n"))
    if output.out:
        kind = "csv" if output.out.suffix.lower() == ".csv" else "json"
        write_atomic(output.out, render(result, kind, list(range(len(net)))))
        click.echo(f"saved {output.out}", err=True)
    if output.plot:
        from mtorsim.plots.heatmap import plot_trajectory

        nodes = [net.nodes[i] for i in shown] if output.show else None
        plot_trajectory(result, output.plot, order=output.order, nodes=nodes)
        click.echo(f"saved {output.plot}", err=True)
    if states_path:
        from mtorsim.plots.states import plot_states

        plot_states(result, states_path)
        click.echo(f"saved {states_path}", err=True)


def _group(text: str) -> tuple[tuple[str, ...], str]:
    """``--init-group A,B,C=P`` -> ((A, B, C), P)."""
    names, value = parse_assignment(text, "--init-group")
    return tuple(n.strip() for n in names.split(",") if n.strip()), value


def _param(text: str) -> tuple[str, float]:
    """``--param NAME=VALUE`` -> (NAME, VALUE)."""
    name, value = parse_assignment(text, "--param")
    try:
        return name, float(value)
    except ValueError:
        raise MtorsimError(f"--param {text}: the value must be a number") from None


def parse_sets(sets, net):
    """``NODE=V`` (whole run) and ``NODE=V@START-END`` / ``@START-`` (a window) -> (fixed, holds)."""
    from mtorsim.treatment.records import Hold, Source
    from mtorsim.treatment.treatment import parse_window

    fixed: dict[str, int] = {}
    holds: list[Hold] = []
    for text in sets:
        name, value = parse_assignment(text, "--set")
        net.index(name)
        try:
            value, start, end = parse_window(value, "set")
        except MtorsimError:
            raise MtorsimError(
                f"--set {text}: write the window as @START-END or @START- (numbers), "
                f"e.g. {name}={value.partition('@')[0]}@5-10"
            ) from None
        if value not in ("0", "1"):
            raise MtorsimError(f"--set {text}: the value must be 0 or 1")
        if start is None:
            if name in fixed and fixed[name] != int(value):
                raise MtorsimError(f"--set {name} is given twice with different values")
            fixed[name] = int(value)
            continue
        holds.append(Hold(name, int(value), start, end, source=Source("fixed", name)))
    return fixed, holds


def render(result, out_format: str, shown: list[int]) -> str:
    """The result as a table, JSON or CSV (rows: sampled times)."""
    if out_format == "json":
        return _json(result, shown)
    if out_format == "csv":
        return _csv(result, shown)
    return _table(result, shown)


def _json(result, shown: list[int]) -> str:
    names = [result.nodes[i] for i in shown]
    d = result.to_dict()
    if len(shown) != len(result.nodes):
        d["nodes"] = names
        for key in ("mean", "trajectory", "error"):
            if key in d:
                d[key] = {n: d[key][n] for n in names}
    return json.dumps(d, indent=1)


def _csv(result, shown: list[int]) -> str:
    names = [result.nodes[i] for i in shown]
    single = result.runs == 1 and result.trajectory is not None
    error = getattr(result, "error", None)
    cols = ["time"] + names + list(result.scores)
    if error is not None:
        cols += [f"{n}_se" for n in names]
    lines = [",".join(cols)]
    for t in range(len(result.times)):
        vals = [f"{result.times[t]:g}"]
        vals += [str(int(result.trajectory[t, i])) if single else f"{result.mean[t, i]:.6g}" for i in shown]
        vals += [f"{v[t]:.6g}" for v in result.scores.values()]
        if error is not None:
            vals += [f"{error[t, i]:.6g}" for i in shown]
        lines.append(",".join(vals))
    return "\n".join(lines) + "\n"


def _held(records: list) -> str:
    """``; held (--set): AKT=0, GF=1@2-5`` for the user's own holds, else nothing."""
    from mtorsim.treatment.describe import held_by_user

    mine = held_by_user(records)
    return "; held (--set): " + ", ".join(mine) if mine else ""


def _table(result, shown: list[int]) -> str:
    names = [result.nodes[i] for i in shown]
    single = result.runs == 1 and result.trajectory is not None
    error = getattr(result, "error", None)
    T = len(result.times)
    cols = (
        sorted({round(k * (T - 1) / (TABLE_MAX_COLUMNS - 1)) for k in range(TABLE_MAX_COLUMNS)})
        if T > TABLE_MAX_COLUMNS
        else list(range(T))
    )
    width = max([len(n) for n in names] + [len(s) for s in result.scores] + [4])
    unit = "time units" if result.update in ("async", "continuous") else "steps"
    what = "state (0/1)" if single else f"mean activity over {result.runs} runs"
    if result.update == "continuous":
        what = (
            f"probability of being on over {result.runs} runs, averaged over each window of "
            f"{result.settings.get('time_tick', 1):g}"
        )
        unit += " (window starts)"
    head = [f"# {result.update} update, {what}; columns are times in {unit}"]
    medium = result.settings.get("environment")
    if medium:
        head.append(
            "# environment: "
            + ", ".join(f"{k}={'free' if v is None else v}" for k, v in medium.items())
            + f"; mutations: {', '.join(result.settings.get('mutations') or []) or '-'}; drugs: "
            + (", ".join(result.settings.get("drugs") or []) or "-")
            + _held(result.settings.get("holds") or [])
        )
    if len(cols) < T:
        head.append(f"# showing {len(cols)} of {T} samples; --format csv or json gives all")
    head.append(f"{'node':<{width}}  " + " ".join(f"{result.times[c]:>6.4g}" for c in cols))
    rows = []
    for i, n in zip(shown, names):
        vals = [f"{int(result.trajectory[c, i]):>6d}" if single else f"{result.mean[c, i]:>6.3f}" for c in cols]
        rows.append(f"{n:<{width}}  " + " ".join(vals))
    for name, v in result.scores.items():
        rows.append(f"{name:<{width}}  " + " ".join(f"{v[c]:>6.3f}" for c in cols))
    if result.update == "continuous":
        rows.append(f"{'(TH)':<{width}}  " + " ".join(f"{result.th[c]:>6.3f}" for c in cols))
        if result.h is not None:
            rows.append(f"{'(H)':<{width}}  " + " ".join(f"{result.h[c]:>6.3f}" for c in cols))
        if error is not None:
            rows.append(
                f"# largest standard error of a probability: {float(error.max()):.3g}; TH/H: transition and "
                "state entropy (bits); "
                + (
                    "--format json adds states and fixed points"
                    if result.h is not None
                    else "H and the states: --top-states N"
                )
            )
    return "\n".join(head + rows) + "\n"
