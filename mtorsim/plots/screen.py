"""Screen heatmap, legible at a glance: genotype backgrounds down the y axis, treatments along
the x axis (untreated, every single drug, then the best combinations), colour = the ranked
readout's graded mean, written in each cell. A screen over several environments gets one panel
per environment, stacked, so no axis carries more than a screenful of labels. '*' marks a
combination with Bliss excess above SYNERGY_MARK, '~' one whose attractors cycle.

matplotlib is imported inside the functions and the Figure is drawn without pyplot.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mtorsim.plots._layout import ACTIVITY_CMAP, check_path, save

TOP_COMBINATIONS = 8  # combinations shown: the best on average over the backgrounds


def shown_treatments(result, top: int = TOP_COMBINATIONS) -> tuple[list[tuple[str, ...]], int]:
    """(treatments to draw, combinations left out): untreated, singles, and the ``top``
    combinations with the best mean readout over all backgrounds."""
    ts = result.plan.treatments
    base = [t for t in ts if len(t) <= 1]
    combos = [t for t in ts if len(t) >= 2]
    sign = 1 if result.goal == "low" else -1
    labels = [b.label for b in result.plan.backgrounds]

    def score(t):
        ms = [result.mean(b, t) for b in labels]
        known = [m for m in ms if m is not None]
        return (not known, sign * sum(known) / max(len(known), 1), len(t), t)

    best = sorted(combos, key=score)[:top]
    return base + [t for t in combos if t in best], len(combos) - len(best)


def panels(result) -> list[tuple[str, list]]:
    """Backgrounds grouped by their environment: [(title, backgrounds)], in plan order."""
    groups: dict[tuple, list] = {}
    for b in result.plan.backgrounds:
        groups.setdefault(b.env, []).append(b)
    return [(", ".join(f"{k}={v}" for k, v in env) or "", bgs) for env, bgs in groups.items()]


def screen_figure(
    result,
    title: str | None = None,
    treatments: Sequence[tuple[str, ...]] | None = None,
    panel_titles: dict[str, str] | None = None,
):
    """The Figure (matplotlib, no pyplot) of ``result``; ``treatments`` overrides the columns."""
    from matplotlib.figure import Figure

    left_out = 0
    if treatments is None:
        treatments, left_out = shown_treatments(result)
    groups = panels(result)
    cols = ["untreated" if not t else " + ".join(t) for t in treatments]
    row_names = [b.label.split("|", 1)[0] for _, bgs in groups for b in bgs]
    label_w = 0.4 + max(len(r) for r in row_names) * 0.075
    col_w = 0.52
    width = min(16.0, label_w + 1.3 + col_w * len(cols))
    col_label_h = 0.3 + max(len(c) for c in cols) * 0.055
    heights = [0.24 * len(bgs) + 0.35 for _, bgs in groups]
    fig = Figure(figsize=(width, sum(heights) + col_label_h + 0.9), layout="constrained")
    axes = fig.subplots(len(groups), 1, squeeze=False, height_ratios=heights)[:, 0]
    vmax = max(result.ceiling, 1.0)
    syn_marks = {}
    for b in result.plan.backgrounds:
        for s in result.synergy(b.label):
            syn_marks[(b.label, tuple(s["treatment"]))] = ("*" if s["synergistic"] else "") + (
                "~" if s["oscillating"] else ""
            )
    im = None
    for k, (ax, (env_title, bgs)) in enumerate(zip(axes, groups)):
        values = np.full((len(bgs), len(treatments)), np.nan)
        for i, b in enumerate(bgs):
            for j, t in enumerate(treatments):
                m = result.mean(b.label, t)
                values[i, j] = np.nan if m is None else m
        im = ax.imshow(np.ma.masked_invalid(values), cmap=ACTIVITY_CMAP, vmin=0.0, vmax=vmax, aspect="auto")
        ax.set_yticks(range(len(bgs)), [b.label.split("|", 1)[0] for b in bgs], fontsize=7)
        last = k == len(groups) - 1
        ax.set_xticks(range(len(cols)), cols if last else [], rotation=45, ha="right", fontsize=7)
        n_single = sum(1 for t in treatments if len(t) <= 1)
        if n_single < len(treatments):
            ax.axvline(n_single - 0.5, color="white", linewidth=2)
        ax.axvline(0.5, color="white", linewidth=1)
        for i, b in enumerate(bgs):
            for j, t in enumerate(treatments):
                v = values[i, j]
                text = ("n/a" if np.isnan(v) else f"{v:.2f}".removeprefix("0")) + syn_marks.get((b.label, tuple(t)), "")
                dark = not np.isnan(v) and v < 0.6 * vmax
                ax.text(j, i, text, ha="center", va="center", fontsize=5.5, color="white" if dark else "black")
        name = (panel_titles or {}).get(env_title, env_title)
        if name:
            ax.set_title(name, fontsize=8, loc="left")
    better = "lower" if result.goal == "low" else "higher"
    assert im is not None  # groups is not empty (max over row_names above)
    fig.colorbar(im, ax=list(axes), label=f"{result.readout} (graded mean; {better} is better)", shrink=0.6, aspect=30)
    note = f"* Bliss excess > {result.synergy_mark:g}; ~ cyclic attractors"
    if left_out:
        note += f"; best {len(treatments) - n_single} of {len(treatments) - n_single + left_out} combinations shown"
    fig.suptitle(title or f"{result.readout} by genotype and treatment", fontsize=9)
    fig.supxlabel(note, fontsize=7)
    return fig


def plot_screen(result, path: str | Path | None = None, title: str | None = None):
    """Draw the heatmap, save it when ``path`` is given (.png, .svg or .pdf); returns the Figure."""
    if path is not None:
        path, suffix = check_path(path)
    fig = screen_figure(result, title)
    if path is not None:
        save(fig, path, suffix)
    return fig
