"""Attractor heatmaps: nodes down the y axis, the states of each attractor side by side.

A fixed point is one column and a synchronous cycle one column per state, in cycle order, both
off/on as in a one-run trajectory heatmap; a complex (asynchronous) attractor, a cycle longer
than MAX_CYCLE_COLUMNS, or any attractor whose states were not kept, is one column of activity
(the fraction of its states with the node on), on the mean-activity colour scale.

matplotlib is imported inside the functions only, and figures are drawn with
:class:`matplotlib.figure.Figure` directly (no pyplot state).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.plots._layout import (
    ACTIVITY_CMAP,
    OFF,
    ON,
    Order,
    binary_legend,
    check_order,
    check_path,
    fit_title,
    label_rows,
    row_layout,
    save,
    select_nodes,
)
from mtorsim.plots.heatmap import node_order
from mtorsim.treatment.describe import describe

if TYPE_CHECKING:
    from mtorsim.attractors.result import Attractor, AttractorResult

MAX_ATTRACTORS = 40  # more than this: the ones with the largest basins
MAX_CYCLE_COLUMNS = 64  # longer cycles are drawn as one activity column
COLUMN_W = 0.2  # inches per state column (at most)
MAX_HEAT_W = 13.0  # inches for all the blocks together (at most)
MIN_HEAT_W = 1.6
GAP_PT = 4.0  # white line between attractors (points)
LABEL_FONT = 7.0  # block labels under the heatmap (points)
CHAR_W = 0.58 * LABEL_FONT / 72  # inches per character of a block label, roughly
LINE_H = 1.25 * LABEL_FONT / 72  # inches per line of a block label


@dataclass
class _Block:
    number: int  # 1-based index in result.attractors
    data: np.ndarray  # nodes x columns, all result.nodes
    binary: bool  # 0/1 states, else activity fractions
    lines: list[str]  # the label under the block


def _fmt(x: float) -> str:
    return f"{x:.2f}" if x >= 0.005 or x == 0 else f"{x:.2g}"


def _basin(a: Attractor) -> str:
    if a.basin is None:
        return ""
    text = f"basin {_fmt(a.basin)}"
    if a.basin_ci is not None:
        lo, hi = a.basin_ci
        text += f" [{_fmt(lo)}, {_fmt(hi)}]"  # the Wilson interval: asymmetric, inside [0, 1]
    return text


def _block(number: int, a: Attractor, nnodes: int) -> _Block:
    activity = np.asarray(a.activity, dtype=np.float64).reshape(nnodes, 1)
    states = None if a.states is None else np.asarray(a.states, dtype=np.float64).reshape(-1, nnodes).T
    lines = [_basin(a)] if a.basin is not None else []
    if a.kind == "fixed" and states is not None:
        return _Block(number, states[:, :1], True, lines + ["fixed point"])
    if a.kind == "cycle" and states is not None and states.shape[1] <= MAX_CYCLE_COLUMNS:
        return _Block(number, states, True, lines + [f"cycle of {a.size}"])
    if a.kind == "cycle":
        return _Block(number, activity, False, lines + [f"cycle of {a.size}", "(activity)"])
    if a.kind == "fixed":
        return _Block(number, activity, False, lines + ["fixed point"])
    if a.size is None:  # too big to list: NaN (drawn blank) on the trap space's free nodes
        return _Block(number, activity, False, lines + [f"{a.kind}, unlisted", "(trap space)"])
    return _Block(number, activity, False, lines + [f"{a.kind}, {a.size} states"])


def _shown(attractors: Sequence[Attractor]) -> list[int]:
    """Indices of the attractors drawn: all, or the MAX_ATTRACTORS with the largest basins."""
    if len(attractors) <= MAX_ATTRACTORS:
        return list(range(len(attractors)))
    basins = [a.basin if a.basin is not None else -1.0 for a in attractors]
    best = sorted(range(len(attractors)), key=lambda i: (-basins[i], i))
    return sorted(best[:MAX_ATTRACTORS])


def _widths(blocks: list[_Block]) -> tuple[np.ndarray, bool]:
    """Block widths (inches) and whether their labels fit horizontally.

    Each state column is COLUMN_W wide, less when the blocks would pass MAX_HEAT_W; a block is
    at least as wide as its label (or, when the labels are turned upright, as its lines).
    """
    cols = np.array([b.data.shape[1] for b in blocks], dtype=np.float64)
    flat = np.array([max(len(s) for s in b.lines + [f"A{b.number}"]) * CHAR_W + 0.12 for b in blocks])
    upright = np.array([len(b.lines) * LINE_H + 0.06 for b in blocks])
    horizontal = bool(np.maximum(cols * COLUMN_W, flat).sum() <= MAX_HEAT_W)
    minimum = flat if horizontal else upright
    # the widest columns that keep the total within MAX_HEAT_W (bisection on the column width)
    lo, hi = 0.0, COLUMN_W
    if np.maximum(cols * hi, minimum).sum() > MAX_HEAT_W:
        for _ in range(40):
            mid = (lo + hi) / 2
            if np.maximum(cols * mid, minimum).sum() > MAX_HEAT_W:
                hi = mid
            else:
                lo = mid
        hi = lo
    return np.maximum(cols * hi, minimum), horizontal


def _title(result: AttractorResult, title: str | None, subset: str, shown: int, note: str | None) -> str:
    """The given title, else a count of the attractors; then what is left out."""
    total = len(result.attractors)
    if title is None:
        title = f"{total} attractor{'s' if total != 1 else ''} ({result.update}, "
        title += f"{'complete' if result.complete else 'incomplete'})" + subset
        treated = describe(result.treatment)
        if treated:
            title += "\n" + treated
    if shown < total:
        if any(a.basin is not None for a in result.attractors):
            title += f"\n(the {shown} with the largest basins shown)"
        else:
            title += f"\n(the first {shown} shown)"
    if note:
        title += "\n" + note
    return title


def _draw_blocks(ax, blocks: list[_Block], edges: np.ndarray, n: int) -> None:
    """Each attractor's states as a block of columns between its edges, white gaps between."""
    from matplotlib.colors import ListedColormap

    two = ListedColormap([OFF, ON])
    for b, x0, x1 in zip(blocks, edges[:-1], edges[1:]):
        ax.imshow(
            b.data,
            aspect="auto",
            interpolation="nearest",
            cmap=two if b.binary else ACTIVITY_CMAP,
            vmin=0,
            vmax=1,
            extent=(x0, x1, n - 0.5, -0.5),
        )
        # thin white lines between the states of a block, while the columns are wide enough
        k = b.data.shape[1]
        if k > 1 and (x1 - x0) / k >= 0.05:
            ax.vlines(x0 + (x1 - x0) * np.arange(1, k) / k, -0.5, n - 0.5, color="white", linewidth=0.5)
    for x in edges[1:-1]:
        ax.axvline(x, color="white", linewidth=GAP_PT)


def plot_attractors(
    result: AttractorResult,
    path: str | Path | None = None,
    order: Order = "file",
    nodes: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """A heatmap of the attractors in ``result`` (a matplotlib Figure), written to ``path`` when
    given (.png, .svg or .pdf).

    Rows are nodes (``order``: ``"file"``, ``"name"`` or ``"cluster"`` by the rows' column
    profiles; ``nodes`` restricts them), columns the states of each attractor, one block per
    attractor labelled A1, A2, ... (its index in ``result.attractors``) with its basin and kind.
    More than MAX_ATTRACTORS attractors: those with the largest basins are drawn.
    """
    if path is not None:
        path, suffix = check_path(path)
    check_order(order)
    cols = select_nodes(result.nodes, nodes)
    if not result.attractors:
        raise MtorsimError("no attractors to plot")
    if not cols:
        raise MtorsimError("no nodes to plot: the network has none")

    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.transforms import blended_transform_factory, offset_copy

    nnodes = len(result.nodes)
    blocks = [_block(i + 1, result.attractors[i], nnodes) for i in _shown(result.attractors)]
    for b in blocks:
        b.data = b.data[cols]
    names = [result.nodes[i] for i in cols]
    perm = node_order(np.hstack([b.data for b in blocks]), names, order)
    names = [names[i] for i in perm]
    for b in blocks:
        b.data = b.data[perm]
    n = len(names)

    rows = row_layout(names)
    widths, horizontal = _widths(blocks)
    if widths.sum() < MIN_HEAT_W:  # too few columns for the minimum width: widen them
        widths *= MIN_HEAT_W / widths.sum()
    edges = np.concatenate([[0.0], np.cumsum(widths)])
    heat_w = float(edges[-1])
    lines = max(len(b.lines) for b in blocks)
    longest = max(len(s) for b in blocks for s in b.lines)
    below = lines * LINE_H if horizontal else longest * CHAR_W
    binary = any(b.binary for b in blocks)
    activity = not all(b.binary for b in blocks)

    title = _title(result, title, f", {n} of {nnodes} nodes" if nodes is not None else "", len(blocks), rows.note)

    right = 1.6 if activity else 0.8
    title, width = fit_title(title, rows.label_w + heat_w + right)
    height = rows.heat_h + below + 0.35 * title.count("\n") + 1.1
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()

    _draw_blocks(ax, blocks, edges, n)
    # a bracket above each block, under its name, shows where it starts and ends
    gap = GAP_PT / 72 * 0.8  # inches, in data units (x is in inches)
    over = offset_copy(blended_transform_factory(ax.transData, ax.transAxes), fig=fig, y=3, units="points")
    for x0, x1 in zip(edges[:-1], edges[1:]):
        ax.plot([x0 + gap, x1 - gap], [1.0, 1.0], color="0.35", linewidth=1.0, transform=over, clip_on=False)
    label_rows(ax, names, rows)
    ax.set_xlim(0.0, heat_w)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)

    centres = (edges[:-1] + edges[1:]) / 2
    ax.set_xticks(centres, ["\n".join(b.lines) for b in blocks], fontsize=LABEL_FONT, rotation=0 if horizontal else 90)
    ax.tick_params(axis="x", length=0, pad=3)
    top = ax.secondary_xaxis("top")
    top.set_xticks(centres, [f"A{b.number}" for b in blocks], fontsize=8 if horizontal else LABEL_FONT)
    top.tick_params(axis="x", length=0, pad=6)
    top.spines["top"].set_visible(False)
    ax.set_title(title, fontsize=10)

    # legend (off/on) and colorbar (fractions) outside the heatmap at the top right
    used = 0.0
    if binary:
        binary_legend(ax)
        used = 0.5
    if activity:
        avail = max(0.8, rows.heat_h - used)
        size = min(3.0, avail)
        top_y = 1.0 - used / rows.heat_h
        cax = ax.inset_axes((1.0 + 0.12 / heat_w, top_y - size / rows.heat_h, 0.15 / heat_w, size / rows.heat_h))
        cbar = fig.colorbar(ScalarMappable(Normalize(0, 1), ACTIVITY_CMAP), cax=cax)
        cbar.set_label("activity (fraction of\nthe attractor's states on)", fontsize=8)
        cbar.ax.tick_params(labelsize=7)

    if path is not None:
        save(fig, path, suffix)
    return fig
