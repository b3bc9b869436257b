"""``mtorsim info``: what a model contains."""

from __future__ import annotations

import json
import statistics

import click

from mtorsim.cli.common import load, model_options


def summary(net, path: str) -> dict:
    degrees = net.in_degrees()
    edges = net.edges()
    counts = {s: sum(e.sign == s for e in edges) for s in ("+", "-", "±", "0")}
    top = max(range(len(degrees)), key=degrees.__getitem__)
    return {
        "model": path,
        "nodes": list(net.nodes),
        "size": len(net),
        "inputs": list(net.inputs),
        "implicit_inputs": list(net.implicit_inputs),
        "constants": net.constants,
        "in_degree": {
            "min": min(degrees),
            "mean": round(statistics.fmean(degrees), 3),
            "median": statistics.median(degrees),
            "max": degrees[top],
            "max_node": net.nodes[top],
        },
        "edge_counts": {"activating": counts["+"], "inhibiting": counts["-"], "both": counts["±"], "no_effect": counts["0"]},
        "edges": [{"source": e.source, "target": e.target, "sign": e.sign} for e in edges],
    }


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model")
@model_options
@click.option("--format", "out_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--edges/--no-edges", default=True, show_default=True, help="List the signed edges (table format).")
def info(model: str, fmt: str | None, strict: bool, out_format: str, edges: bool) -> None:
    """Summarise MODEL: size, inputs, constants, in-degree statistics and signed edges.

    Signs come from the Boolean function itself: '+' activating, '-' inhibiting, '±' both
    (the regulator acts either way depending on the others), '0' listed but without effect.

    \b
    Examples:
      mtorsim info zanudo2021-mcf7
      mtorsim info model.bnet --format json > info.json
    """
    net, _ = load(model, fmt, strict)
    s = summary(net, str(net.source))
    if out_format == "json":
        click.echo(json.dumps(s, indent=2, ensure_ascii=False))
        return
    d = s["in_degree"]
    c = s["edge_counts"]
    lines = [
        f"model:      {s['model']}",
        f"nodes:      {s['size']}",
        f"edges:      {len(s['edges'])} ({c['activating']} activating, {c['inhibiting']} inhibiting, "
        f"{c['both']} both, {c['no_effect']} without effect)",
        f"in-degree:  min {d['min']}, mean {d['mean']:.2f}, median {d['median']}, max {d['max']} ({d['max_node']})",
        f"inputs ({len(s['inputs'])}):  {', '.join(s['inputs']) or '-'}",
    ]
    if s["implicit_inputs"]:
        lines.append(f"  of which without a rule in the file ({len(s['implicit_inputs'])}): {', '.join(s['implicit_inputs'])}")
    consts = ", ".join(f"{k}={v}" for k, v in s["constants"].items())
    lines.append(f"constants ({len(s['constants'])}):  {consts or '-'}")
    if edges:
        lines.append("signed edges (source -> target):")
        lines += [f"  {e['source']} -> {e['target']} ({e['sign']})" for e in s["edges"]]
    click.echo("\n".join(lines))
