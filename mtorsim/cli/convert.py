"""``mtorsim convert``: between .rules (BooleanNet), .bnet and SBML-qual."""

from __future__ import annotations

import click

from mtorsim.cli.common import check_writable, load, model_options


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source")
@click.argument("target")
@model_options
@click.option("--to", "to_fmt", type=click.Choice(["rules", "bnet", "sbml"]), default=None, help="Output format (default: from TARGET's suffix).")
@click.option("--force", is_flag=True, help="Overwrite TARGET if it exists.")
def convert(source: str, target: str, fmt: str | None, strict: bool, to_fmt: str | None, force: bool) -> None:
    """Convert SOURCE to TARGET (.rules / .booleannet, .bnet, or SBML-qual .sbml / .xml).

    The Boolean functions are kept exactly; regulators without a rule are written out as
    free inputs (X* = X). The model name, notes, per-node annotations and initial levels go
    along: natively in SBML-qual, as '#@' comment lines in .rules/.bnet. Whatever cannot be
    kept is listed on stderr as 'dropped: ...'. TARGET is never overwritten without --force.

    \b
    Examples:
      mtorsim convert model.bnet model.rules
      mtorsim convert zanudo2021-mcf7 mcf7.bnet
      mtorsim convert model.sbml model.bnet
      mtorsim convert model.bnet model.sbml
    """
    from mtorsim.formats.io import detect_format, write_rules

    net, _ = load(source, fmt, strict)
    out = check_writable(target, force)
    to_fmt = to_fmt or detect_format(out)
    header = [f"converted by mtorsim from {net.source}"]
    if net.implicit_inputs:
        header.append(f"free inputs without a rule in the source, written as X = X: {', '.join(net.implicit_inputs)}")
    dropped = list(net.meta.get("dropped", ()))
    dropped += write_rules(net.as_rules(), out, to_fmt, header, net.meta)
    for item in dict.fromkeys(dropped):
        click.echo(f"dropped: {item}", err=True)
    click.echo(f"wrote {out} ({len(net)} nodes, {to_fmt})", err=True)
