"""``mtorsim convert``: between .rules (BooleanNet), .bnet, SBML-qual and MaBoSS .bnd (+ .cfg)."""

from __future__ import annotations

import click

from mtorsim.cli.common import load, model_options


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source")
@click.argument("target")
@model_options
@click.option(
    "--to",
    "to_fmt",
    type=click.Choice(["rules", "bnet", "sbml", "bnd"]),
    default=None,
    help="Output format (default: from TARGET's suffix).",
)
@click.option(
    "--cfg",
    "cfgs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="With a .bnd SOURCE or TARGET: MaBoSS .cfg file(s) whose parameters, initial states and settings "
    "go into the written .cfg (default for a .bnd SOURCE: SOURCE.cfg beside it).",
)
@click.option("--force", is_flag=True, help="Overwrite TARGET (and, for .bnd, the .cfg beside it) if it exists.")
def convert(source: str, target: str, fmt: str | None, strict: bool, to_fmt: str | None, cfgs, force: bool) -> None:
    """Convert SOURCE to TARGET (.rules / .booleannet, .bnet, SBML-qual .sbml / .xml, or MaBoSS .bnd).

    The Boolean functions are kept exactly; regulators without a rule are written out as
    free inputs (X* = X). The model name, notes, per-node annotations and initial levels go
    along: natively in SBML-qual, as '#@' comment lines in .rules/.bnet. Whatever cannot be
    kept is listed on stderr as 'dropped: ...'. TARGET is never overwritten without --force.
    A .bnd TARGET comes with a .cfg beside it: every node's rates (its own, else
    @logic ? $u_X : 0 and @logic ? 0 : $d_X with $u_X = $d_X = 1), initial states and run
    settings, ready for MaBoSS or `mtorsim simulate`.

    \b
    Examples:
      mtorsim convert model.bnet model.rules
      mtorsim convert zanudo2021-mcf7 mcf7.bnet
      mtorsim convert model.sbml model.bnet
      mtorsim convert model.bnet model.sbml
      mtorsim convert mtor mtor.bnd          # writes mtor.bnd and mtor.cfg
    """
    from mtorsim.conversion import convert as run

    net, _ = load(source, fmt, strict)
    res = run(net, target, to_fmt, cfgs, force)
    for item in res.dropped:
        click.echo(f"dropped: {item}", err=True)
    click.echo(f"wrote {res.written[0]} ({res.nodes} nodes, {res.format})", err=True)
    if len(res.written) > 1:
        click.echo(f"wrote {res.written[1]} (parameters, initial states, settings)", err=True)
