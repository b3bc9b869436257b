"""``mtorsim scenario`` and ``mtorsim check``: genotypes, environments and drugs, in the
model's own vocabulary."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import load, model_options, parse_env
from mtorsim.errors import MtorsimError

_SCENARIO_OPTIONS = [
    click.option("--vocabulary", default=None, type=click.Path(dir_okay=False),
                 help="Vocabulary TOML (default: MODEL's <stem>.toml or vocabulary.toml beside it)."),
    click.option("--update", type=click.Choice(["sync", "async"]), default="sync", show_default=True),
    click.option("--method", type=click.Choice(["auto", "exhaustive", "sample", "trapspace", "fixed-points"]),
                 default="auto", show_default=True, help="Attractor method, as in `mtorsim attractors`."),
    click.option("--max-combinations", type=int, default=4096, show_default=True,
                 help="Free inputs not set by the environment are enumerated up to this many combinations."),
]


def scenario_options(fn):
    for opt in reversed(_SCENARIO_OPTIONS):
        fn = opt(fn)
    return model_options(fn)


def _load(model, fmt, strict, vocabulary):
    from mtorsim.catalog import resolve, vocabulary_path
    from mtorsim.vocabulary import load_vocabulary

    net, _ = load(model, fmt, strict)
    path, _ = resolve(model)
    return net, load_vocabulary(vocabulary_path(path, vocabulary), net)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@scenario_options
@click.option("--env", "envs", multiple=True, metavar="NAME=0|1", help="Set an environment condition (repeatable).")
@click.option("--mutation", "mutations", multiple=True, metavar="NAME", help="Apply a mutation (repeatable).")
@click.option("--drug", "drugs", multiple=True, metavar="NAME", help="Apply a drug, by name or alias (repeatable).")
@click.option("--format", "out_format", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def scenario(model, fmt, strict, vocabulary, update, method, max_combinations, envs, mutations, drugs, out_format):
    """Run a scenario on MODEL: environment, mutations and drugs named in the model's
    vocabulary; report the attractors and every readout (per attractor, min, max and
    basin-weighted mean). When a drug and a mutation hold the same node at different values,
    the drug wins (drug > mutation > environment) and the conflict is reported.

    \b
    Examples:
      mtorsim scenario model.rules --env growth_factors=1 --mutation TSC2_loss --drug everolimus
      mtorsim scenario model.rules --drug rapalog --drug trametinib --format json
    """
    from mtorsim.scenario import run_scenario

    net, vocab = _load(model, fmt, strict, vocabulary)
    env = parse_env(envs, vocab)
    res = run_scenario(net, vocab, env, mutations, drugs, update, method, max_combinations=max_combinations)
    for line in res.conflicts:
        click.echo(f"conflict: {line}", err=True)
    for line in res.warnings + res.attractors.notes:
        click.echo(f"note: {line}", err=True)
    if out_format == "json":
        click.echo(json.dumps(res.to_dict(), indent=1))
        return
    if out_format == "csv":
        lines = ["readout,attractor,value"]
        for name, r in res.readouts.items():
            lines += [f"{name},{k},{'' if v is None else f'{v:.6g}'}" for k, v in enumerate(r["values"], start=1)]
            mean = "" if r["mean"] is None else f"{r['mean']:.6g}"
            lines.append(f"{name},mean,{mean}")
        click.echo("\n".join(lines))
        return
    status = "complete" if res.attractors.complete else "INCOMPLETE"
    click.echo(f"# {len(res.attractors.attractors)} attractor(s), {update}, {status}; "
               f"mutations: {', '.join(mutations) or '-'}; drugs: {', '.join(drugs) or '-'}")
    width = max([len(n) for n in res.readouts] + [7])
    shown = res.attractors.attractors[:12]
    click.echo(f"{'readout':<{width}}  {'min':>6} {'max':>6} {'mean':>6}  " + " ".join(f"{'A' + str(k):>5}" for k in range(1, len(shown) + 1)))
    for name, r in res.readouts.items():
        def f(v):
            return "   n/a" if v is None else f"{v:>6.3f}"
        vals = " ".join("  n/a" if v is None else f"{v:>5.2f}" for v in r["values"][:12])
        click.echo(f"{name:<{width}}  {f(r['min'])} {f(r['max'])} {f(r['mean'])}  {vals}")


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@click.argument("scenarios_file", type=click.Path(dir_okay=False))
@scenario_options
@click.option("--only", "only", multiple=True, metavar="NAME", help="Run only these scenarios (repeatable).")
@click.option("--format", "out_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def check(model, scenarios_file, fmt, strict, vocabulary, update, method, max_combinations, only, out_format):
    """Run the named scenarios in SCENARIOS_FILE and compare readouts with the expected values.

    Each scenario is a table with optional env (condition -> 0/1), mutations, drugs, update,
    method and an expect table. An expected number must hold in every attractor (min = max =
    value); {mean = x, tolerance = t}, {at_least = x} or {at_most = x} bound the readout.
    Exits with status 1 when any expectation fails.

    \b
    Example scenarios.toml:
      [scenarios.tsc2_null_everolimus]
      env = { growth_factors = 1, amino_acids = 1 }
      mutations = ["TSC2_loss"]
      drugs = ["everolimus"]
      expect = { translation = 1, akt = { at_least = 0.5 } }
    \b
      mtorsim check model.rules scenarios.toml
    """
    from mtorsim.scenario import run_scenario

    net, vocab = _load(model, fmt, strict, vocabulary)
    from mtorsim.formats.io import read_toml

    data = read_toml(scenarios_file, "file")
    table = data.get("scenarios")
    if not isinstance(table, dict) or not table:
        raise MtorsimError(f"{scenarios_file}: no [scenarios.NAME] tables found")
    for name in only:
        if name not in table:
            from mtorsim.errors import did_you_mean

            hint = did_you_mean(name, table)
            raise MtorsimError(f"--only {name}: no such scenario" + (f"; {hint}" if hint else ""))
    rows = []
    failed = 0
    for name, sc in table.items():
        if only and name not in only:
            continue
        where = f"{scenarios_file}: [scenarios.{name}]"
        unknown = set(sc) - {"env", "mutations", "drugs", "update", "method", "expect", "description", "source", "notes"}
        if unknown:
            raise MtorsimError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        expect = sc.get("expect", {})
        for readout in expect:
            if readout not in vocab.readouts:
                from mtorsim.errors import did_you_mean

                hint = did_you_mean(readout, vocab.readouts)
                raise MtorsimError(f"{where}: unknown readout '{readout}'" + (f"; {hint}" if hint else ""))
        res = run_scenario(net, vocab, sc.get("env", {}), sc.get("mutations", []), sc.get("drugs", []),
                           sc.get("update", update), sc.get("method", method), max_combinations=max_combinations)
        for readout, want in expect.items():
            got = res.readouts[readout]
            ok, wanted = _compare(got, want, where, readout)
            ok = bool(ok)
            failed += not ok
            rows.append({"scenario": name, "readout": readout, "expected": wanted, "min": got["min"], "max": got["max"],
                         "mean": got["mean"], "pass": bool(ok), "complete": bool(res.attractors.complete)})
    if out_format == "json":
        click.echo(json.dumps({"results": rows, "failed": failed, "passed": len(rows) - failed}, indent=1))
    else:
        w1 = max([len(r["scenario"]) for r in rows] + [8])
        w2 = max([len(r["readout"]) for r in rows] + [7])
        click.echo(f"{'scenario':<{w1}}  {'readout':<{w2}}  {'expected':<14} {'observed (min/max/mean)':<26} result")
        for r in rows:
            obs = "n/a" if r["mean"] is None else f"{r['min']:.3g}/{r['max']:.3g}/{r['mean']:.3g}"
            flag = "pass" if r["pass"] else "FAIL"
            if not r["complete"]:
                flag += " (incomplete)"
            click.echo(f"{r['scenario']:<{w1}}  {r['readout']:<{w2}}  {r['expected']:<14} {obs:<26} {flag}")
        click.echo(f"{len(rows) - failed} passed, {failed} failed")
    if failed:
        raise SystemExit(1)


def _compare(got: dict, want, where: str, readout: str) -> tuple[bool, str]:
    if got["mean"] is None:
        return False, str(want)
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return abs(got["min"] - want) < 1e-9 and abs(got["max"] - want) < 1e-9, f"all = {want:g}"
    if isinstance(want, dict):
        if "mean" in want:
            tol = float(want.get("tolerance", 0.05))
            return abs(got["mean"] - float(want["mean"])) <= tol, f"mean {want['mean']:g}±{tol:g}"
        if "at_least" in want:
            return got["min"] >= float(want["at_least"]) - 1e-9, f">= {want['at_least']:g}"
        if "at_most" in want:
            return got["max"] <= float(want["at_most"]) + 1e-9, f"<= {want['at_most']:g}"
    raise MtorsimError(f"{where}: expectation for '{readout}' must be a number or a table with mean/tolerance, "
                       f"at_least or at_most, not {want!r}")
