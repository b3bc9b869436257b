"""Screen heatmap: treatments down the y axis, genotype backgrounds along the x axis, colour =
the chosen readout's mean; '*' marks combinations with Bliss excess above SYNERGY_MARK.

matplotlib is imported inside the function and the Figure is drawn without pyplot.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mtorsim.plots._layout import annotated_heatmap, check_path, save


def screen_matrix(result) -> tuple[np.ndarray, np.ndarray]:
    """(means, synergistic) with rows = treatments, columns = backgrounds; NaN where unknown."""
    bgs = [b.label for b in result.plan.backgrounds]
    ts = result.plan.treatments
    values = np.full((len(ts), len(bgs)), np.nan)
    marks = np.zeros((len(ts), len(bgs)), dtype=bool)
    for j, b in enumerate(bgs):
        syn = {tuple(s["treatment"]): s["synergistic"] for s in result.synergy(b)}
        for i, t in enumerate(ts):
            m = result.mean(b, t)
            values[i, j] = np.nan if m is None else m
            marks[i, j] = syn.get(tuple(t), False)
    return values, marks


def plot_screen(result, path: str | Path, title: str | None = None):
    """Draw the heatmap and save it (.png, .svg or .pdf); returns the Figure."""
    from matplotlib.figure import Figure

    from mtorsim.screen import SYNERGY_MARK, treatment_label

    path, suffix = check_path(path)
    values, marks = screen_matrix(result)
    rows = [treatment_label(t) for t in result.plan.treatments]
    cols = [b.label for b in result.plan.backgrounds]
    fig = Figure(figsize=(1.6 + 1.1 * len(cols), 1.2 + 0.32 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    vmax = max(result.ceiling, 1.0)
    im = annotated_heatmap(ax, values, rows, cols, vmax, marks)
    better = "lower" if result.goal == "low" else "higher"
    fig.colorbar(im, ax=ax, label=f"{result.readout} (mean; {better} is better)")
    ax.set_title(title or f"{result.readout}: * Bliss excess > {SYNERGY_MARK:g}", fontsize=9)
    save(fig, path, suffix)
    return fig
