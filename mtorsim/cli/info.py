"""``mtorsim info``: what a model contains."""

from __future__ import annotations

import json
import statistics

import click

from mtorsim.cli.common import Output, load, model_options, output_options


def summary(net, path: str) -> dict:
    """What ``info`` reports, without the edges (see :func:`edge_lines`)."""
    import numpy as np

    from mtorsim.network import SIGNS

    degrees = net.in_degrees()
    counts = np.bincount(net.sign_codes, minlength=len(SIGNS)).tolist()
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
        "edge_counts": {"activating": counts[1], "inhibiting": counts[2], "both": counts[3], "no_effect": counts[0]},
    }


def edge_lines(net, template: str, quote=str, chunk: int = 100_000):
    """The signed edges, ``template`` filled with ``source``, ``target``, ``sign``, in chunks of
    lines (a model with millions of edges is never held as objects)."""
    from mtorsim.network import SIGNS

    sources, targets, codes = net.edge_arrays()
    names = [quote(n) for n in net.nodes]
    signs = [quote(x) for x in SIGNS]
    for a in range(0, len(sources), chunk):
        yield [
            template.format(source=names[s], target=names[t], sign=signs[c])
            for s, t, c in zip(
                sources[a : a + chunk].tolist(), targets[a : a + chunk].tolist(), codes[a : a + chunk].tolist()
            )
        ]


_JSON_EDGE = '    {{\n      "source": {source},\n      "target": {target},\n      "sign": {sign}\n    }}'


def _echo_json(net, s: dict) -> None:
    """``s`` with its ``edges`` as ``json.dumps(..., indent=2)`` writes them, streamed."""
    n_edges = sum(s["edge_counts"].values())
    head = json.dumps({**s, "edges": []}, indent=2, ensure_ascii=False)
    if n_edges == 0:
        click.echo(head)
        return
    assert head.endswith('"edges": []\n}')
    click.echo(head[: -len("]\n}")])
    quote = lambda x: json.dumps(x, ensure_ascii=False)  # noqa: E731
    first = True
    for lines in edge_lines(net, _JSON_EDGE, quote):
        click.echo(("" if first else ",\n") + ",\n".join(lines), nl=False)
        first = False
    click.echo("\n  ]\n}")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model")
@model_options
@output_options(formats=("table", "json"))
@click.option("--edges/--no-edges", default=True, show_default=True, help="List the signed edges (table format).")
def info(model: str, fmt: str | None, strict: bool, output: Output, edges: bool) -> None:
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
    if output.format == "json":
        _echo_json(net, s)
        return
    d = s["in_degree"]
    c = s["edge_counts"]
    lines = [
        f"model:      {s['model']}",
        f"nodes:      {s['size']}",
        f"edges:      {sum(c.values())} ({c['activating']} activating, {c['inhibiting']} inhibiting, "
        f"{c['both']} both, {c['no_effect']} without effect)",
        f"in-degree:  min {d['min']}, mean {d['mean']:.2f}, median {d['median']}, max {d['max']} ({d['max_node']})",
        f"inputs ({len(s['inputs'])}):  {', '.join(s['inputs']) or '-'}",
    ]
    if s["implicit_inputs"]:
        lines.append(
            f"  of which without a rule in the file ({len(s['implicit_inputs'])}): {', '.join(s['implicit_inputs'])}"
        )
    consts = ", ".join(f"{k}={v}" for k, v in s["constants"].items())
    lines.append(f"constants ({len(s['constants'])}):  {consts or '-'}")
    if edges:
        lines.append("signed edges (source -> target):")
    click.echo("\n".join(lines))
    if edges:
        for chunk in edge_lines(net, "  {source} -> {target} ({sign})"):
            click.echo("\n".join(chunk))
