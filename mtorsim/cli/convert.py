"""``mtorsim convert``: between .rules (BooleanNet), .bnet, SBML-qual and MaBoSS .bnd (+ .cfg)."""

from __future__ import annotations

import click

from mtorsim.cli.common import check_writable, load, model_options


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
    from mtorsim.formats.io import detect_format, write_rules

    net, _ = load(source, fmt, strict)
    out = check_writable(target, force)
    to_fmt = to_fmt or detect_format(out)
    cfg_out = check_writable(out.with_suffix(".cfg"), force) if to_fmt == "bnd" else None
    header = [f"converted by mtorsim from {net.source}"]
    if net.implicit_inputs:
        header.append(f"free inputs without a rule in the source, written as X = X: {', '.join(net.implicit_inputs)}")
    dropped = list(net.meta.get("dropped", ()))
    dropped += write_rules(net.as_rules(), out, to_fmt, header, net.meta)
    for item in dict.fromkeys(dropped):
        click.echo(f"dropped: {item}", err=True)
    click.echo(f"wrote {out} ({len(net)} nodes, {to_fmt})", err=True)
    if cfg_out is not None:
        _write_cfg(net, source, cfgs, cfg_out)
        click.echo(f"wrote {cfg_out} (parameters, initial states, settings)", err=True)


def _write_cfg(net, source: str, cfgs, path) -> None:
    """The .cfg beside a written .bnd: values from the given (or sibling) .cfg files, else defaults."""
    from mtorsim.catalog import resolve
    from mtorsim.formats.maboss.model import format_cfg
    from mtorsim.runconfig import load_run_config, sibling_cfg

    files = list(cfgs)
    if not files and net.meta.get("rates") is not None and sibling_cfg(resolve(source)[0]):
        files = [sibling_cfg(resolve(source)[0])]
    rc = load_run_config(net, files)
    istate = {n: rc.init.values.get(n, rc.init.default) for n in net.nodes} if files else {}
    text = format_cfg(net.as_rules(), net.meta, rc.rates.params, rc.settings, istate, rc.init.joint)
    from mtorsim.safeio import write_atomic

    write_atomic(path, text)
