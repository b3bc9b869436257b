"""``mtorsim plot``: heatmaps from saved results."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import check_writable
from mtorsim.errors import MtorsimError
from mtorsim.types import ORDERS, Order


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("result_file", type=click.Path(dir_okay=False))
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False), help="Image file: .png, .svg or .pdf.")
@click.option(
    "--order",
    type=click.Choice(ORDERS),
    default="file",
    show_default=True,
    help="Node order: as in the model file, alphabetical, or clustered by time profile.",
)
@click.option("--show", "show_nodes", multiple=True, metavar="NODE", help="Only plot these nodes (repeatable).")
@click.option("--title", default=None, help="Figure title.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def plot(result_file: str, out: str, order: Order, show_nodes: tuple[str, ...], title: str | None, force: bool) -> None:
    """Draw a trajectory heatmap (nodes by time) from RESULT_FILE, saved by
    `mtorsim simulate --out RESULT.json`.

    \b
    Examples:
      mtorsim simulate zanudo2021-mcf7 --set Alpelisib=1 --out alpelisib.json
      mtorsim plot alpelisib.json --out alpelisib.pdf --order cluster
    """
    from mtorsim.formats.io import read_text
    from mtorsim.plots.heatmap import plot_trajectory
    from mtorsim.simulation.results import SimulationResult

    try:
        data = json.loads(read_text(result_file))
        result = SimulationResult.from_dict(data)
    except json.JSONDecodeError as exc:
        raise MtorsimError(
            f"{result_file}:{exc.lineno}:{exc.colno}: not a JSON result ({exc.msg}); "
            "save one with `mtorsim simulate ... --out result.json`"
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise MtorsimError(
            f"{result_file}: not a simulation result (missing or malformed {exc}); "
            "save one with `mtorsim simulate ... --out result.json`"
        ) from None
    path = check_writable(out, force)
    plot_trajectory(result, path, order=order, title=title, nodes=list(show_nodes) or None)
    click.echo(f"saved {path}", err=True)
