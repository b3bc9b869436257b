"""``mtorsim wiring``: the wiring diagram of a model."""

from __future__ import annotations

import click

from mtorsim.cli.common import check_writable, load, model_options


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False), help="Image file: .png, .svg or .pdf.")
@model_options
@click.option("--title", default=None, help="Figure title.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def wiring(model: str, out: str, fmt, strict, title, force) -> None:
    """Draw MODEL's wiring diagram: nodes in layers from the inputs, edges coloured by sign
    (green activates, red inhibits, purple both). The image records a fingerprint of the
    signed edges, so a committed diagram can be checked against the model.

    \b
    Examples:
      mtorsim wiring zanudo2021-mcf7 --out wiring.png
      mtorsim wiring mtor --out models/mtor/wiring.png --force
    """
    from mtorsim.plots.wiring import plot_wiring

    net, _ = load(model, fmt, strict)
    path = check_writable(out, force)
    plot_wiring(net, path, title=title)
    click.echo(f"saved {path}", err=True)
