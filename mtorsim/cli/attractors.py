"""``mtorsim attractors``: steady states and cycles, with basins."""

from __future__ import annotations

import json
import math

import click

from mtorsim.cli.common import (
    Output,
    as_flags,
    load_model_for_cli,
    model_options,
    output_options,
    parse_assignment,
    progress_bar,
    treatment_from_cli,
    treatment_options,
    vocabulary_option,
)
from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.types import ATTRACTOR_UPDATES, METHODS
from mtorsim.util.safeio import write_atomic


def _values(pairs, net, what: str, allowed=None) -> dict[str, int]:
    out = {}
    for text in pairs:
        name, value = parse_assignment(text, what)
        net.index(name)
        if allowed is not None and name not in allowed:
            hint = did_you_mean(name, allowed)
            raise MtorsimError(
                f"{what} {text}: '{name}' is not an input of the model"
                + (f"; {hint}" if hint else f"; inputs: {', '.join(allowed) or 'none'}")
                + " (use --set to hold any node)"
            )
        if value not in ("0", "1"):
            raise MtorsimError(f"{what} {text}: the value must be 0 or 1")
        out[name] = int(value)
    return out


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@model_options
@click.option(
    "--update",
    type=click.Choice(ATTRACTOR_UPDATES),
    default="sync",
    show_default=True,
    help="sync: all nodes at once (attractors are cycles); async: one node at a time "
    "(attractors are terminal strongly connected components).",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="auto",
    show_default=True,
    help="auto: exhaustive when the reduced network is small enough (sync <= 30, async <= 20 free nodes); "
    "beyond, sync takes sat (every attractor, proven complete when the search ends in 60 s) with "
    "basins estimated by --samples random starts, and async takes trapspace (minimal trap spaces and "
    "feedback-set candidates, proven). sat: the proven sync search alone (no basins). sample: random "
    "starts only. fixed-points: only the stable states, exact, any size.",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="NODE=0|1",
    help="Hold a node for the whole search (repeatable); wins over all.",
)
@treatment_options(doses=False)
@vocabulary_option
@click.option(
    "--no-medium",
    is_flag=True,
    help="Ignore the vocabulary's medium: leave its inputs free (enumerated) unless --inputs sets them.",
)
@click.option(
    "--inputs",
    "inputs",
    multiple=True,
    metavar="NAME=0|1",
    help="Fix an input node (rule X = X). Inputs left free are enumerated, one combination at a time.",
)
@click.option(
    "--max-combinations",
    type=int,
    default=4096,
    show_default=True,
    help="Stop after this many input combinations and say the answer is partial.",
)
@click.option("--samples", type=int, default=1000, show_default=True, help="Random starts for --method sample.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for sampling.")
@click.option("--limit", type=int, default=10000, show_default=True, help="Most fixed points listed (fixed-points).")
@click.option(
    "--count",
    is_flag=True,
    help="Count the attractors of --update without listing them, over every setting of the free "
    "inputs: input splits and independent parts (async: fixed points where no negative cycle is "
    "left, the proven search elsewhere; sync: cycle lengths combined by gcd/lcm); with --method "
    "fixed-points the fixed points. Exact; an error past --time-limit.",
)
@click.option(
    "--time-limit",
    type=float,
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="How long --count may take before it stops with an error.",
)
@click.option(
    "--no-reduce",
    is_flag=True,
    help="Do not propagate constants: basins become fractions of all states of the nodes not held "
    "(slower; the attractors are the same).",
)
@output_options(
    out=(".json",),
    plot="Attractor heatmap (.png, .svg, .pdf): nodes by attractor states, basins annotated.",
    order=True,
    show="Only show these nodes in the table and the plot (repeatable).",
)
def attractors(
    model,
    fmt,
    strict,
    update,
    method,
    sets,
    envs,
    mutations,
    drugs,
    vocabulary,
    no_medium,
    inputs,
    max_combinations,
    samples,
    seed,
    limit,
    count,
    time_limit,
    no_reduce,
    output: Output,
) -> None:
    """Find the attractors of MODEL: fixed points and cycles (sync) or terminal strongly
    connected components (async), with basins where they are defined.

    A model with a vocabulary is searched in its medium (the environment defaults, then --env),
    with --mutation and --drug holds (at full engagement), as scenario and the Python API do;
    --no-medium leaves the inputs free. The network is reduced first: held nodes and fixed
    inputs are fixed and constants are propagated. Basins are fractions of the state space of the nodes left free (with
    --no-reduce, of all nodes not held); with free inputs, of all input combinations. The
    answer says whether it is complete.

    \b
    Examples:
      mtorsim attractors model.bnet
      mtorsim attractors model.bnet --update async --inputs EGF=1 --inputs TNF=0
      mtorsim attractors zanudo2021-mcf7 --method fixed-points --set Alpelisib=1
      mtorsim attractors mtor --update async --mutation TSC2_loss --drug everolimus
      mtorsim attractors model.bnet --count --update async # how many attractors, every input setting
      mtorsim attractors model.bnet --count --method fixed-points   # how many fixed points
      mtorsim attractors model.bnet --format json --plot attractors.png
    """
    from mtorsim.attractors.search import find_attractors
    from mtorsim.treatment.describe import treatment_settings
    from mtorsim.treatment.resolve import ENGAGED, resolve

    m = load_model_for_cli(model, fmt, strict, vocabulary)
    if no_medium and envs:
        raise MtorsimError("--no-medium leaves the medium out; give --env or --no-medium, not both")
    vocab = m.vocabulary
    held = _values(sets, m.network, "--set")
    held.update(_values(inputs, m.network, "--inputs", allowed=list(m.network.inputs)))
    treatment = treatment_from_cli(vocab, envs, mutations, drugs, fixed=held)
    if no_medium and vocab is not None:
        from dataclasses import replace

        vocab = replace(vocab, environment={})
    resolved = resolve(m.network, vocab, treatment)
    for line in resolved.conflicts + resolved.overrides:
        click.echo(f"note: {as_flags(line, {'fixed': '--set'})}", err=True)
    net, fixed = resolved.net, resolved.fixed(ENGAGED)
    medium = {k: v for k, v in resolved.medium.items() if v is not None}
    if medium:
        click.echo(
            "note: in the vocabulary's medium "
            + ", ".join(f"{k}={v}" for k, v in medium.items())
            + " (--env changes it, --no-medium leaves the inputs free)",
            err=True,
        )
    shown = output.shown(net)
    if count and method not in ("auto", "fixed-points"):
        raise MtorsimError(
            f"--count counts exactly (the proven search, or --method fixed-points); --method {method} "
            "does not apply to it: drop --method, or give --method fixed-points"
        )
    if count:
        _echo_count(net, fixed, update, method == "fixed-points", time_limit, output.format, output.out)
        return
    free_inputs = [n for n in net.inputs if n not in fixed]
    combos = 2 ** len(free_inputs) if method != "fixed-points" else 1
    with progress_bar("input combinations") as bar:
        result = find_attractors(
            net,
            update,
            method,
            fixed=fixed,
            samples=samples,
            seed=seed,
            limit=limit,
            max_combinations=max_combinations,
            reduce=not no_reduce,
            progress=(lambda n: bar(n, min(combos, max_combinations))) if combos > 16 else None,
        )
    result.treatment = treatment_settings(resolved)
    text = render(result, output.format, shown)
    click.echo(text, nl=not text.endswith("\n"))
    for note in result.notes:
        click.echo(f"note: {as_flags(note)}", err=True)
    if output.out:
        write_atomic(output.out, render(result, "json", list(range(len(net)))))
        click.echo(f"saved {output.out}", err=True)
    if output.plot:
        from mtorsim.plots.attractors import plot_attractors

        nodes = [net.nodes[i] for i in shown] if output.show else None
        plot_attractors(result, output.plot, order=output.order, nodes=nodes)
        click.echo(f"saved {output.plot}", err=True)


def _echo_count(
    net, fixed: dict[str, int], update: str, fixed_points_only: bool, time_limit: float, out_format: str, out_path
) -> None:
    from mtorsim.attractors.count import count_attractors

    if not time_limit > 0:
        raise MtorsimError(f"--time-limit must be a positive number of seconds, not {time_limit:g}")
    res = count_attractors(net, fixed, update, fixed_points_only=fixed_points_only, time_limit=time_limit)
    data = {"nodes": len(net), "held": fixed, **res.to_dict()}
    if out_format == "json":
        text = json.dumps(data, indent=1)
    else:
        status = "" if res.complete else " at least (INCOMPLETE: " + "; ".join(res.notes) + ")"
        text = f"# {res.count:,} {res.kind}{status}, counted over every setting of the free inputs (not listed)"
        if res.lengths:
            text += "\n# by cycle length: " + ", ".join(f"{n:,} of length {k}" for k, n in sorted(res.lengths.items()))
    click.echo(text)
    if out_path:
        write_atomic(out_path, json.dumps(data, indent=1))
        click.echo(f"saved {out_path}", err=True)


def _basin(a) -> str:
    if a.basin is None and a.basin_reduced is not None:
        return f"n/a (of all states); {a.basin_reduced:.4g} of the states left after percolation"
    if a.basin is None:
        return "-"
    if a.basin_ci is not None:
        return f"{a.basin:.3f} [{a.basin_ci[0]:.3f}, {a.basin_ci[1]:.3f}]"
    return f"{a.basin:.4g}"


def render(result, out_format: str, shown: list[int]) -> str:
    from mtorsim.treatment.describe import describe

    names = [result.nodes[i] for i in shown]
    if out_format == "json":
        d = result.to_dict()
        d["notes"] = [as_flags(n) for n in d["notes"]]
        return json.dumps(d, indent=1)
    if out_format == "csv":
        lines = [",".join(["attractor", "kind", "size", "basin", "state"] + names)]
        for k, a in enumerate(result.attractors, start=1):
            basin = "" if a.basin is None else f"{a.basin:.6g}"
            if a.states is not None:
                for j, s in enumerate(a.states):
                    lines.append(",".join([str(k), a.kind, str(a.size), basin, str(j)] + [str(s[i]) for i in shown]))
            else:
                lines.append(
                    ",".join(
                        [str(k), a.kind, "" if a.size is None else str(a.size), basin, "activity"]
                        + ["" if math.isnan(a.activity[i]) else f"{a.activity[i]:.6g}" for i in shown]
                    )
                )
        return "\n".join(lines) + "\n"
    status = "complete" if result.complete else "INCOMPLETE"
    certain = sum(c.get("certain", True) for c in result.candidates)
    extra = f" + at least {certain} in unresolved trap space(s)" if certain else ""
    head = [f"# {len(result.attractors)} attractor(s){extra}, {result.update} update, method {result.method}, {status}"]
    treated = describe(result.treatment)
    if treated:
        head.append(f"# {treated}")
    for c in result.candidates:
        fixed = sum(ch != "*" for ch in c["trap_space"])
        holds = "holding at least one attractor" if c.get("certain", True) else "that may hold another attractor"
        head.append(
            f"# unresolved: trap space with {fixed} fixed and {c['free']} free nodes, {holds}: "
            f"{c['trap_space']} ('*' free, in node order)"
        )
    if result.combinations_total > 1:
        head.append(f"# input combinations examined: {result.combinations} of {result.combinations_total}")
    rows = []
    for k, a in enumerate(result.attractors, start=1):
        desc = (
            "fixed point"
            if a.kind == "fixed"
            else f"{a.kind} of {a.size} states"
            if a.size is not None
            else f"{a.kind}, too many states to list, the only attractor in a trap space with "
            f"{a.space.count('*')} free nodes (trap_space in --format json)"
        )
        extra = f"; inputs {' '.join(f'{n}={v}' for n, v in a.inputs.items())}" if a.inputs else ""
        rows.append(f"A{k}: {desc}, basin {_basin(a)}{extra}")
    cols = result.attractors[:30]
    if cols:
        width = max(len(n) for n in names + ["node"])
        rows.append("")
        rows.append(f"{'node':<{width}}  " + " ".join(f"{'A' + str(k):>5}" for k in range(1, len(cols) + 1)))
        for i, n in zip(shown, names):
            vals = []
            for a in cols:
                v = a.activity[i]
                vals.append(f"{int(v):>5d}" if v in (0.0, 1.0) else "    *" if math.isnan(v) else f"{v:>5.2f}")
            rows.append(f"{n:<{width}}  " + " ".join(vals))
        if len(result.attractors) > 30:
            rows.append(
                f"# activity shown for the first 30 of {len(result.attractors)} attractors; --format json gives all"
            )
    return "\n".join(head + rows) + "\n"
