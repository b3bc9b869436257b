"""``mtorsim simulate``: trajectories and mean activities."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import (
    FIGURES,
    as_flags,
    check_writable,
    load,
    model_options,
    parse_assignment,
    parse_env,
    progress_bar,
    warn,
)
from mtorsim.errors import MtorsimError
from mtorsim.safeio import write_atomic
from mtorsim.types import ORDERS, SIMULATION_UPDATES

TABLE_MAX_COLUMNS = 12


def _default(ctx: click.Context, name: str, value, defaults: dict):
    """The command-line value, else the shipped model's default, else the option default."""
    source = ctx.get_parameter_source(name)
    if source in (click.core.ParameterSource.DEFAULT, None) and name in defaults:
        return defaults[name]
    return value


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@model_options
@click.option(
    "--update",
    type=click.Choice(SIMULATION_UPDATES),
    default="sync",
    show_default=True,
    help="sync: all nodes at once. async: one random node per step, chosen in proportion to its rate. "
    "random-order: every node once per step in a fresh random order. continuous: MaBoSS's "
    "continuous-time Markov chain (the default for .bnd models).",
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
    default=1,
    show_default=True,
    help="Number of trajectories; with more than one, the mean activity is reported.",
)
@click.option(
    "--every", type=float, default=1, show_default=True, help="Sampling interval (steps, or time units for async)."
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed; the same seed gives the same result."
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
    "--vocabulary",
    default=None,
    type=click.Path(dir_okay=False),
    help="Vocabulary TOML (default: MODEL's <stem>.toml or vocabulary.toml beside it).",
)
@click.option(
    "--init",
    "inits",
    multiple=True,
    metavar="NODE=VALUE",
    help="Initial value: 0, 1, 'random' (1/2) or a probability such as 0.3 (repeatable).",
)
@click.option(
    "--init-default",
    default="0",
    show_default=True,
    metavar="VALUE",
    help="Initial value of nodes not given otherwise.",
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
    default=5.0,
    show_default=True,
    help="Rate of fast nodes relative to slow ones (with --slow).",
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
    default=10,
    show_default=True,
    help="Continuous time: the most probable states listed per window (JSON and --plot-states).",
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
@click.option("--format", "out_format", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help="Also save the result (.json or .csv) to this file."
)
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Save a trajectory heatmap (.png, .svg or .pdf).",
)
@click.option(
    "--order",
    type=click.Choice(ORDERS),
    default="file",
    show_default=True,
    help="Node order in the heatmap.",
)
@click.option(
    "--show", "show_nodes", multiple=True, metavar="NODE", help="Only report (and plot) these nodes (repeatable)."
)
@click.option("--force", is_flag=True, help="Overwrite --out and --plot files that exist.")
@click.pass_context
def simulate(
    ctx: click.Context,
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
    out_format,
    out,
    plot_file,
    order,
    show_nodes,
    force,
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
    from mtorsim.initial import InitialSpec, parse_value, read_initial_file
    from mtorsim.rates import read_rates, slow_fast_rates
    from mtorsim.scores import LevelScore
    from mtorsim.simulation import simulate as run

    net, defaults = load(model, fmt, strict)
    if ctx.get_parameter_source("update") == click.core.ParameterSource.DEFAULT and net.meta.get("rates") is not None:
        update = "continuous"  # a MaBoSS model
    update = _default(ctx, "update", update, defaults)
    runs = _default(ctx, "runs", runs, defaults)
    every = _default(ctx, "every", every, defaults)
    init_file = _default(ctx, "init_file", init_file, defaults)
    slow = _default(ctx, "slow", slow, defaults)
    rates_file = _default(
        ctx, "rates_file", rates_file, {"rates_file": defaults.get("rates")} if "rates" in defaults else {}
    )
    fast_ratio = _default(ctx, "fast_ratio", fast_ratio, defaults)
    if not scores and "score" in defaults and update != "continuous":
        scores = tuple(defaults["score"])
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

    if update == "continuous":
        if steps is not None or time_ is not None:
            raise MtorsimError("for --update continuous give --max-time (and --time-tick), not --steps or --time")
        length = 0.0
    elif update == "async":
        if steps is not None:
            raise MtorsimError("--steps applies to sync and random-order; for async give --time in time units")
        length = time_ if time_ is not None else defaults.get("time", 25.0)
    else:
        if time_ is not None:
            raise MtorsimError(f"--time applies to async; for {update} give --steps")
        length = steps if steps is not None else defaults.get("steps", 20)
    if rates_file and slow:
        raise MtorsimError("give either --rates or --slow, not both")
    if update not in ("async", "continuous") and (
        ctx.get_parameter_source("rates_file") != click.core.ParameterSource.DEFAULT
        or ctx.get_parameter_source("slow") != click.core.ParameterSource.DEFAULT
    ):
        warn(f"rates only matter for --update async or continuous; ignored for {update}")

    fixed, holds = parse_sets(sets, net)
    efficacy: dict[str, float] = {}
    medium = None
    if envs or mutations or drugs or vocabulary or has_vocabulary(model):
        # one medium whatever else is given: the vocabulary's environment defaults, then --env
        net, vocab_fixed, vocab_holds, efficacy, medium, sources = apply_vocabulary(
            model, net, vocabulary, envs, mutations, drugs
        )
        for name in sorted(n for n in fixed if n in vocab_fixed and vocab_fixed[n] != fixed[n]):
            if not sources[name].startswith("environment"):
                warn(
                    f"--set {name}={fixed[name]} overrides the {sources[name]}'s hold ({name}={vocab_fixed[name]}): "
                    "--set wins (precedence: --set > drug > mutation > environment)"
                )
        scheduled = {h.node for h in holds}  # a --set window replaces the vocabulary's hold on its node
        fixed = {**{k: v for k, v in vocab_fixed.items() if k not in scheduled}, **fixed}  # --set wins
        holds = vocab_holds + holds

    spec = read_initial_file(init_file, net) if init_file else InitialSpec()
    # initial values the model file declares (SBML initialLevel, BooleanNet 'A = True' lines)
    declared = {**(net.meta.get("initial") or {}), **{n: 0.5 for n in net.meta.get("initial_random") or []}}
    if declared and not init_file:
        spec = InitialSpec({k: float(v) for k, v in declared.items() if k in net}, spec.groups, spec.default)
    values = {}
    for text in inits:
        name, value = parse_assignment(text, "--init")
        net.index(name)
        values[name] = parse_value(value, f"--init {text}")
    groups = []
    for text in init_groups:
        names, value = parse_assignment(text, "--init-group")
        members = tuple(n.strip() for n in names.split(",") if n.strip())
        for n in members:
            net.index(n)
        groups.append((members, parse_value(value, f"--init-group {text}")))
    default = spec.default
    default_given = ctx.get_parameter_source("init_default") != click.core.ParameterSource.DEFAULT
    if default_given or not init_file:
        default = parse_value(init_default, "--init-default")

    rates = None
    if rates_file:
        rates = read_rates(rates_file, net)
    elif slow:
        rates = slow_fast_rates(slow, net, fast_ratio)
    level_scores = [LevelScore.parse(s, net) for s in scores]
    shown = [net.index(n) for n in show_nodes] or list(range(len(net)))

    out_path = check_writable(out, force, (".json", ".csv"), "--out") if out else None
    plot_path = check_writable(plot_file, force, FIGURES, "--plot") if plot_file else None
    states_path = check_writable(states_plot, force, FIGURES, "--plot-states") if states_plot else None
    if update == "continuous":
        if level_scores:
            raise MtorsimError(
                "--score is not available with --update continuous; read the levels' probabilities "
                "from the node columns"
            )
        result = _continuous(
            ctx,
            model,
            net,
            cfgs,
            params,
            spec,
            InitialSpec(values, tuple(groups), default),
            default_given,
            rates,
            fixed,
            holds,
            efficacy,
            runs,
            seed,
            max_time,
            time_tick,
            discrete_time,
            threads,
            top_states,
        )
    else:
        if threads is not None and threads < 1:
            raise MtorsimError(f"--threads must be at least 1, not {threads}")
        spec = spec.merged(InitialSpec(values, tuple(groups), default))
        with progress_bar("simulating") as bar:
            result = run(
                net,
                update=update,
                length=length,
                runs=runs,
                init=spec,
                fixed=fixed,
                rates=rates,
                seed=seed,
                schedule=holds,
                efficacy=efficacy,
                every=every,
                scores=level_scores,
                threads=threads,
                progress=(lambda n: bar(n, runs)) if runs >= 100 else None,
            )
        result.settings.update({"model": str(net.source), "init_default": default})
    # what the run used: the medium (the vocabulary's defaults, then --env), genotype and drugs
    result.settings.update({"environment": medium, "mutations": list(mutations), "drugs": list(drugs)})

    for note in getattr(result, "notes", []):
        click.echo(f"note: {as_flags(note)}", err=True)
    text = render(result, out_format, shown)
    click.echo(text, nl=not text.endswith("\n"))
    if out_path:
        kind = "csv" if out_path.suffix.lower() == ".csv" else "json"
        write_atomic(out_path, render(result, kind, list(range(len(net)))))
        click.echo(f"saved {out_path}", err=True)
    if plot_path:
        from mtorsim.plots.heatmap import plot_trajectory

        plot_trajectory(result, plot_path, order=order, nodes=[net.nodes[i] for i in shown] if show_nodes else None)
        click.echo(f"saved {plot_path}", err=True)
    if states_path:
        from mtorsim.plots.states import plot_states

        plot_states(result, states_path)
        click.echo(f"saved {states_path}", err=True)


def _continuous(
    ctx,
    model,
    net,
    cfgs,
    params,
    file_init,
    cli_init,
    default_given,
    rates,
    fixed,
    holds,
    efficacy,
    runs,
    seed,
    max_time,
    time_tick,
    discrete_time,
    threads,
    top_states,
):
    """Continuous time: the .cfg files (or MODEL.cfg beside a .bnd), then the options on top."""
    from mtorsim.catalog import resolve
    from mtorsim.continuous import simulate_continuous
    from mtorsim.initial import InitialSpec
    from mtorsim.ratelaws import RateSpec
    from mtorsim.runconfig import load_run_config, sibling_cfg

    path, _ = resolve(model)
    files = list(cfgs)
    if not files and net.meta.get("rates") is not None and sibling_cfg(path):
        files = [sibling_cfg(path)]
        click.echo(f"note: reading {files[0]}", err=True)
    values = {}
    for text in params:
        name, value = parse_assignment(text, "--param")
        try:
            values[name.lstrip("$")] = float(value)
        except ValueError:
            raise MtorsimError(f"--param {text}: the value must be a number") from None
    rc = load_run_config(net, files, values)
    spec = rc.rates
    if rates is not None:
        if net.meta.get("rates"):
            raise MtorsimError("--rates/--slow replace every node's rates; this model has its own rate expressions")
        spec = RateSpec.constant(net, rates)
    init = rc.init
    if file_init.values or file_init.groups:
        init = init.merged(InitialSpec(file_init.values, file_init.groups, init.default))
    base_default = cli_init.default if (default_given or not files) else init.default
    init = init.merged(InitialSpec(cli_init.values, cli_init.groups, base_default))

    def pick(name, value, key, fallback):
        if value is not None and ctx.get_parameter_source(name) != click.core.ParameterSource.DEFAULT:
            return value
        return rc.setting(key) if files else fallback

    runs = pick("runs", runs, "sample_count", 1000)
    seed = pick("seed", seed, "seed_pseudorandom", 0)
    length = max_time if max_time is not None else (rc.setting("max_time") if files else 25.0)
    tick = time_tick if time_tick is not None else (rc.setting("time_tick") if files else 1.0)
    discrete = bool(discrete_time) if discrete_time is not None else bool(rc.setting("discrete_time") if files else 0)
    if threads is not None and threads < 1:
        raise MtorsimError(f"--threads must be at least 1, not {threads}")
    if top_states < 0:
        raise MtorsimError(f"--top-states must be 0 or more, not {top_states}")
    with progress_bar("simulating") as bar:
        result = simulate_continuous(
            net,
            spec,
            max_time=length,
            time_tick=tick,
            runs=runs,
            seed=seed,
            init=init,
            fixed=fixed,
            efficacy=efficacy,
            schedule=holds,
            sets=rc.sets,
            discrete_time=discrete,
            internal=rc.internal,
            refstate=rc.refstate,
            threads=threads,
            top_states=top_states,
            progress=(lambda n: bar(n, runs)) if runs >= 100 else None,
        )
    result.settings.update({"model": str(net.source), "cfg": [str(f) for f in files], "init_default": init.default})
    result.notes = rc.notes + result.notes
    return result


def _window(text: str, what: str) -> tuple[str, float | None, float | None]:
    name, at, window = text.partition("@")
    if not at:
        return name, None, None
    start, dash, end = window.partition("-")
    try:
        return name, float(start), float(end) if dash and end else None
    except ValueError:
        raise MtorsimError(f"{what} {text}: write the window as @START-END or @START-, e.g. {name}@5-10") from None


def has_vocabulary(model: str) -> bool:
    """Whether MODEL has a vocabulary beside it (then its environment defaults always apply)."""
    from mtorsim.catalog import resolve, vocabulary_path

    try:
        vocabulary_path(resolve(model)[0])
    except MtorsimError:
        return False
    return True


def apply_vocabulary(model, net, vocabulary, envs, mutations, drugs):
    """Vocabulary perturbations: whole-run ones through ``perturb.apply``, windowed node holds
    as scheduled holds. Returns (network, fixed, holds, efficacy, medium, source of each hold)."""
    from mtorsim.catalog import resolve, vocabulary_path
    from mtorsim.perturb import apply
    from mtorsim.simulation import Hold
    from mtorsim.vocabulary import load_vocabulary

    vocab = load_vocabulary(vocabulary_path(resolve(model)[0], vocabulary), net)
    env = parse_env(envs, vocab)
    whole = {"mutation": [], "drug": []}
    holds, efficacy = [], {}
    for what, texts in (("mutation", mutations), ("drug", drugs)):
        for text in texts:
            name, start, end = _window(text, f"--{what}")
            bundle = vocab.drug(name) if what == "drug" else vocab.mutation(name)
            if start is None:
                whole[what].append(name)
            else:
                for p in bundle.perturbations:
                    if p.kind != "node":
                        raise MtorsimError(
                            f"--{what} {text}: {bundle.name} cuts an edge or replaces a rule, which holds "
                            "for the whole run; only node holds can be scheduled"
                        )
                    holds.append(Hold(p.node, p.value, start, end))
            efficacy.update(bundle.node_efficacy())
    applied = apply(net, vocab, env, whole["mutation"], whole["drug"])
    for line in applied.conflicts:
        warn(f"conflict: {line}")
    scheduled = {h.node for h in holds}
    fixed = {n: v for n, v in applied.fixed.items() if n not in scheduled}
    return applied.net, fixed, holds, efficacy, vocab.medium(env), applied.sources


def parse_sets(sets, net):
    """``NODE=V`` (whole run) and ``NODE=V@START-END`` / ``@START-`` (a window) -> (fixed, holds)."""
    from mtorsim.simulation import Hold

    fixed: dict[str, int] = {}
    holds: list[Hold] = []
    for text in sets:
        name, value = parse_assignment(text, "--set")
        net.index(name)
        value, at, window = value.partition("@")
        if value not in ("0", "1"):
            raise MtorsimError(f"--set {text}: the value must be 0 or 1")
        if not at:
            if name in fixed and fixed[name] != int(value):
                raise MtorsimError(f"--set {name} is given twice with different values")
            fixed[name] = int(value)
            continue
        start, dash, end = window.partition("-")
        try:
            holds.append(Hold(name, int(value), float(start), float(end) if dash and end else None))
        except ValueError:
            raise MtorsimError(
                f"--set {text}: write the window as @START-END or @START- (numbers), e.g. {name}={value}@5-10"
            ) from None
    return fixed, holds


def render(result, out_format: str, shown: list[int]) -> str:
    """The result as a table, JSON or CSV (rows: sampled times)."""
    names = [result.nodes[i] for i in shown]
    if out_format == "json":
        d = result.to_dict()
        if len(shown) != len(result.nodes):
            d["nodes"] = names
            for key in ("mean", "trajectory", "error"):
                if key in d:
                    d[key] = {n: d[key][n] for n in names}
        return json.dumps(d, indent=1)
    single = result.runs == 1 and result.trajectory is not None
    error = getattr(result, "error", None)
    if out_format == "csv":
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
                "state entropy (bits); --format json adds states and fixed points"
            )
    return "\n".join(head + rows) + "\n"
