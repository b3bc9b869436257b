"""``mtorsim scenario`` and ``mtorsim check``: genotypes, environments and drugs, in the
model's own vocabulary."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import (
    Output,
    as_flags,
    load_model_for_cli,
    model_options,
    output_options,
    treatment_from_cli,
    treatment_options,
    vocabulary_option,
)
from mtorsim.types import ATTRACTOR_UPDATES, METHODS

_SCENARIO_OPTIONS = [
    vocabulary_option,
    click.option(
        "--update",
        type=click.Choice(ATTRACTOR_UPDATES),
        default="sync",
        show_default=True,
        help="Update scheme of the exact attractor search (the graded estimate is continuous time).",
    ),
    click.option(
        "--method",
        type=click.Choice(METHODS),
        default="auto",
        show_default=True,
        help="Attractor method, as in `mtorsim attractors`.",
    ),
    click.option(
        "--max-combinations",
        type=int,
        default=4096,
        show_default=True,
        help="Free inputs not set by the environment are enumerated up to this many combinations.",
    ),
    click.option(
        "--runs",
        "estimate_runs",
        type=int,
        default=1000,
        show_default=True,
        help="Trajectories of the graded (continuous-time) estimate of each readout.",
    ),
    click.option(
        "--seed",
        type=int,
        default=0,
        show_default=True,
        help="Seed of the graded estimate; the same seed gives the same numbers.",
    ),
    click.option(
        "--burn-in",
        type=float,
        default=20.0,
        show_default=True,
        help="Time units the cell settles untreated before the drugs are added.",
    ),
    click.option(
        "--treatment-time",
        type=float,
        default=40.0,
        show_default=True,
        help="Time units of treatment; readouts are averaged over its second half.",
    ),
    click.option(
        "--no-estimate", is_flag=True, help="Attractors only: mean is then the basin-weighted mean over attractors."
    ),
]


def estimate_options(
    estimate_runs: int, seed: int, burn_in: float, treatment_time: float, no_estimate: bool
) -> dict | None:
    """The estimate settings as plain data (for screens and their database), None when off."""
    from mtorsim.api import estimate_settings

    est = estimate_settings(not no_estimate, estimate_runs, seed, burn_in, treatment_time)
    return None if est is None else est.to_record()


def scenario_options(fn):
    for opt in reversed(_SCENARIO_OPTIONS):
        fn = opt(fn)
    return model_options(fn)


def load_with_vocabulary(model: str, fmt: str | None, strict: bool, vocabulary: str | None):
    """The model for a command that names vocabulary entries: an error when it has none."""
    from mtorsim.model.catalog import resolve, vocabulary_path

    m = load_model_for_cli(model, fmt, strict, vocabulary)
    if m.vocabulary is None:
        vocabulary_path(resolve(model)[0])  # raises: says where it looked
    return m


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@scenario_options
@treatment_options()
@output_options()
def scenario(
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
    envs,
    mutations,
    drugs,
    doses,
    output: Output,
):
    """Run a scenario on MODEL: environment, mutations and drugs named in the model's
    vocabulary; report every readout as a graded value and across the exact attractors.

    mean: the graded value, estimated in continuous time (the cell settles untreated for
    --burn-in time units from a random start, then the drugs act for --treatment-time; each
    readout's probability over the second half, from --runs trajectories, with its standard
    error). A drug's efficacy below 1 (a --dose, or the reference dose) engages its target in
    that share of the cells, fully, and the readouts mix the two; min and max: the readout
    across the attractors of the --update scheme (a target engaged at least half is held,
    fully); attractor
    mean: their basin-weighted mean. A readout with levels (X, X_high) reports the mean level
    (0, 0.5, 1). When a drug and a mutation hold the same node at different values, the drug
    wins (drug > mutation > environment) and the conflict is reported.

    \b
    Examples:
      mtorsim scenario mtor --mutation TSC2_loss --drug everolimus
      mtorsim scenario mtor --drug sapanisertib --dose sapanisertib=1 --format json
      mtorsim scenario model.rules --env growth_factors=0 --drug rapalog --no-estimate
    """
    from mtorsim.api import run_scenario

    m = load_with_vocabulary(model, fmt, strict, vocabulary)
    res = run_scenario(
        m,
        treatment=treatment_from_cli(m.vocabulary, envs, mutations, drugs, doses),
        update=update,
        method=method,
        runs=estimate_runs,
        seed=seed,
        estimate=not no_estimate,
        burn_in=burn_in,
        treatment_time=treatment_time,
        max_combinations=max_combinations,
    )
    est = res.settings.get("estimate")
    for line in res.conflicts:
        click.echo(f"conflict: {line}", err=True)
    for line in res.warnings + res.attractors.notes:
        click.echo(f"note: {as_flags(line)}", err=True)
    if output.format == "json":
        click.echo(json.dumps(res.to_dict(), indent=1))
        return
    if output.format == "csv":
        lines = ["readout,attractor,value"]
        for name, r in res.readouts.items():
            lines += [f"{name},{k},{'' if v is None else f'{v:.6g}'}" for k, v in enumerate(r["values"], start=1)]
            for key in ("mean", "se", "attractor_mean"):
                lines.append(f"{name},{key},{'' if r.get(key) is None else f'{r[key]:.6g}'}")
        click.echo("\n".join(lines))
        return
    status = "complete" if res.attractors.complete else "INCOMPLETE"
    env_text = ", ".join(f"{k}={'free' if v is None else v}" for k, v in res.settings["environment"].items())
    click.echo(f"# environment: {env_text}")
    click.echo(
        f"# mutations: {', '.join(res.settings['mutations']) or '-'}; drugs: "
        + (", ".join(f"{d} (efficacy {e:.2g})" for d, e in res.settings["efficacy"].items()) or "-")
    )
    cands = res.attractors.candidates
    found = f"{len(res.attractors.attractors)} attractor(s)" + (
        f" + at least {len(cands)} more in unresolved trap space(s) (min/max bound them)" if cands else ""
    )
    click.echo(
        f"# {found}, {update}, {status}"
        + (
            ""
            if est is None
            else f"; graded estimate: {est['runs']} runs, seed {est['seed']}, "
            f"window {est['window'][0]:g}-{est['window'][1]:g}"
        )
    )
    width = max([len(n) for n in res.readouts] + [7])
    shown = res.attractors.attractors[:12]
    click.echo(
        f"{'readout':<{width}}  {'mean':>6} {'± se':>6}  {'min':>6} {'max':>6}  "
        + " ".join(f"{'A' + str(k):>5}" for k in range(1, len(shown) + 1))
    )
    for name, r in res.readouts.items():

        def f(v):
            return "   n/a" if v is None else f"{v:>6.3f}"

        vals = " ".join("  n/a" if v is None else f"{v:>5.2f}" for v in r["values"][:12])
        click.echo(
            f"{name:<{width}}  {f(r['mean'])} {f(r['se']) if r['se'] is not None else '     -'}  "
            f"{f(r['min'])} {f(r['max'])}  {vals}"
        )
    for line in res.notes:
        click.echo(f"note: {line}", err=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@click.argument("scenarios_file", required=False, type=click.Path(dir_okay=False))
@scenario_options
@click.option("--only", "only", multiple=True, metavar="NAME", help="Run only these scenarios (repeatable).")
@output_options(formats=("table", "json"))
def check(
    model,
    scenarios_file,
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
    only,
    output: Output,
):
    """Run the scenarios in SCENARIOS_FILE (default: the model's scenarios.toml, as shipped
    with `mtor`) and compare readouts with what each expects.

    Each [scenarios.NAME] table has optional env, mutations, drugs, doses, update and method,
    and at least one of:

    \b
      expect   a number must hold in every attractor; {mean = x, tolerance = t} bounds the
               graded estimate; {at_least = x} or {at_most = x} bound every attractor;
      change   with control (the same scenario with some fields replaced, e.g.
               control = { drugs = [] }, or another scenario's name): the graded estimate
               is lower, higher, the same, or partial (lower but not abolished) than the
               control's, by at least 0.1 or by = x.

    A scenario with known_failure = "reason" is reported as a known failure. Exits with
    status 1 when an expectation fails that is not a known failure.

    \b
    Example scenarios.toml:
      [scenarios.tsc2_null_everolimus]
      env = { growth_factors = 1, amino_acids = 1 }
      mutations = ["TSC2_loss"]
      drugs = ["everolimus"]
      expect = { S6K = 0 }
      control = { drugs = [] }
      change = { Proliferation = "partial", Growth = "lower" }
    \b
    Examples:
      mtorsim check mtor                      # the shipped model's own checks
      mtorsim check model.rules scenarios.toml --format json
    """
    from mtorsim.api import check_scenarios
    from mtorsim.cli.common import progress_bar

    m = load_with_vocabulary(model, fmt, strict, vocabulary)
    with progress_bar("scenarios") as bar:
        report = check_scenarios(
            m,
            path=scenarios_file,
            update=update,
            runs=estimate_runs,
            seed=seed,
            method=method,
            only=only,
            estimate=not no_estimate,
            burn_in=burn_in,
            treatment_time=treatment_time,
            max_combinations=max_combinations,
            progress=bar,
        )
    out = report.to_dict()
    rows = out["results"]
    if output.format == "json":
        click.echo(json.dumps(out, indent=1))
    else:
        w1 = max([len(r["scenario"]) for r in rows] + [8])
        w2 = max([len(r["readout"]) for r in rows] + [7])
        click.echo(f"{'scenario':<{w1}}  {'readout':<{w2}}  {'expected':<16} {'observed':<30} result")
        for r in rows:
            if r["kind"] == "change":
                obs = (
                    "n/a"
                    if r["treated"] is None or r["control"] is None
                    else f"{r['treated']:.3f} vs {r['control']:.3f} ({r['difference']:+.3f})"
                )
            else:
                obs = "/".join("n/a" if r[k] is None else f"{r[k]:.3g}" for k in ("min", "max", "mean"))
            flag = "pass" if r["pass"] else ("known failure" if r["known_failure"] else "FAIL")
            if not r["complete"]:
                flag += " (incomplete)"
            click.echo(f"{r['scenario']:<{w1}}  {r['readout']:<{w2}}  {r['expected']:<16} {obs:<30} {flag}")
        click.echo(
            f"{out['passed']} passed, {out['failed']} failed, {out['known_failures']} known failure(s) "
            "(observed: min/max over attractors/graded mean; changes: scenario vs control)"
        )
        reasons = {r["scenario"]: r["known_failure"] for r in rows if r["known_failure"]}
        for name, reason in reasons.items():
            click.echo(f"known failure {name}: {reason}")
    for name in out["unexpected_passes"]:
        click.echo(f"note: {name} is marked known_failure but now passes; remove the mark", err=True)
    if out["failed"]:
        raise SystemExit(1)
