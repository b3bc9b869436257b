"""One scenario drawn: its readouts in each attractor and the graded estimate, titled with the
treatment."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mtorsim.errors import MtorsimError, unknown_name
from mtorsim.plots._layout import annotated_heatmap, check_path, fit_title, save
from mtorsim.treatment.describe import describe

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mtorsim.scenarios.result import ScenarioResult

MAX_ATTRACTORS = 12  # columns; beyond this the attractors with the largest basins are drawn


def plot_scenario(
    result: ScenarioResult, path: str | Path | None = None, readouts: Sequence[str] | None = None
) -> Figure:
    """Readouts (rows) in each attractor (A1, A2, ... with their basins) and the graded estimate
    (the last column; its standard error in the label), the treatment in the title; written to
    ``path`` (.png, .svg, .pdf) when given."""
    if path is not None:
        path, suffix = check_path(path)
    names = list(result.readouts)
    if isinstance(readouts, str):
        readouts = [readouts]
    if readouts is not None:
        for r in readouts:
            if r not in result.readouts:
                raise MtorsimError(unknown_name("readout", r, names))
        names = list(readouts)
    if not names:
        raise MtorsimError("no readouts to plot: the model's vocabulary names none")
    from matplotlib.figure import Figure

    atts = result.attractors.attractors
    order = list(range(len(atts)))
    by_basin = all(a.basin is not None for a in atts)
    if len(order) > MAX_ATTRACTORS:
        if by_basin:
            order = sorted(order, key=lambda k: -(atts[k].basin or 0.0))[:MAX_ATTRACTORS]
            order.sort()
        else:
            order = order[:MAX_ATTRACTORS]
    has_mean = "estimate" in result.settings  # without it, "mean" is only the attractors' mean
    values = np.array(
        [
            [result.readouts[n]["values"][k] for k in order]
            + ([np.nan if result.readouts[n].get("mean") is None else result.readouts[n]["mean"]] if has_mean else [])
            for n in names
        ],
        dtype=np.float64,
    )
    cols = [f"A{k + 1}" + ("" if atts[k].basin is None else f" ({atts[k].basin:.2f})") for k in order]
    if has_mean:
        cols.append(f"estimate ({result.settings['estimate']['runs']} runs)")
    a = result.attractors
    title = f"{len(atts)} attractor{'s' if len(atts) != 1 else ''} ({a.update}, {'complete' if a.complete else 'incomplete'})"
    if len(order) < len(atts):
        title += f", the {len(order)} " + ("with the largest basins" if by_basin else "first") + " shown"
    title += "\n" + (describe(result.settings) or "untreated")
    width = 2.2 + 0.075 * max(len(n) for n in names) + 0.85 * len(cols)
    title, width = fit_title(title, max(5.0, width))
    fig = Figure(figsize=(width, 1.6 + 0.26 * len(names) + 0.2 * title.count("\n")), layout="constrained")
    ax = fig.add_subplot()
    im = annotated_heatmap(ax, values, names, cols, rotation=35)
    if has_mean:
        ax.axvline(len(cols) - 1.5, color="white", linewidth=3)
    cbar = fig.colorbar(im, ax=ax, shrink=min(1.0, 6.0 / max(1, len(names)) + 0.3))
    cbar.set_label(
        "readout (attractor value;\ngraded estimate)" if has_mean else "readout (attractor value)", fontsize=8
    )
    cbar.ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=10)
    if path is not None:
        save(fig, path, suffix)
    return fig
