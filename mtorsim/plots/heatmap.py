"""Trajectory heatmaps: nodes down the y axis, time along the x axis.

matplotlib is imported inside the functions only (``import mtorsim`` stays light), and figures
are drawn with :class:`matplotlib.figure.Figure` directly, so no display and no pyplot state
are needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mtorsim.plots._layout import (
    ACTIVITY_CMAP,
    OFF,
    ON,
    binary_legend,
    check_order,
    check_path,
    fit_title,
    label_rows,
    row_layout,
    save,
    select_nodes,
)
from mtorsim.treatment.describe import describe
from mtorsim.types import Order

if TYPE_CHECKING:
    from mtorsim.simulation.results import SimulationResult


def _profiles(result_or_matrix: SimulationResult | np.ndarray) -> np.ndarray:
    """Rows = nodes, columns = samples, as float64."""
    if not isinstance(result_or_matrix, np.ndarray):
        return np.asarray(result_or_matrix.mean, dtype=np.float64).T
    m = np.asarray(result_or_matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"expected a 2-D matrix (nodes x samples), got shape {m.shape}")
    return m


def node_order(
    result_or_matrix: SimulationResult | np.ndarray,
    nodes: Sequence[str] | None = None,
    how: Order = "file",
) -> list[int]:
    """Row indices in display order.

    ``result_or_matrix`` is a :class:`SimulationResult` (its rows are ``result.nodes`` and their
    mean activity over time) or a matrix with one row per node. ``nodes`` names the rows (defaults
    to ``result.nodes``; only ``"name"`` needs it).

    * ``"file"``: the rows as given;
    * ``"name"``: by name, case-insensitively (ties by the exact name, then by index);
    * ``"cluster"``: the leaf order of an average-linkage dendrogram on the Euclidean distance
      between rows, so that nodes with similar time profiles sit together (deterministic).
    """
    check_order(how)
    if nodes is None and not isinstance(result_or_matrix, np.ndarray):
        nodes = result_or_matrix.nodes
    if how == "file":
        n = len(nodes) if nodes is not None else _profiles(result_or_matrix).shape[0]
        return list(range(n))
    if how == "name":
        if nodes is None:
            raise ValueError("node_order(how='name') needs the node names")
        return sorted(range(len(nodes)), key=lambda i: (nodes[i].casefold(), nodes[i], i))
    x = _profiles(result_or_matrix)
    if nodes is not None and len(nodes) != x.shape[0]:
        raise ValueError(f"{len(nodes)} node names for a matrix of {x.shape[0]} rows")
    return cluster_order(x)


def _distances(x: np.ndarray) -> np.ndarray:
    """Euclidean distances between the rows of ``x`` (exactly 0 between identical rows)."""
    n = x.shape[0]
    if x.shape[1] == 0:
        return np.zeros((n, n))
    x = x - x.mean(axis=0)  # centring keeps the Gram-matrix formula accurate
    sq = np.einsum("ij,ij->i", x, x)
    d = sq[:, None] + sq[None, :] - 2.0 * (x @ x.T)
    np.maximum(d, 0.0, out=d)
    np.sqrt(d, out=d)
    _, group = np.unique(x, axis=0, return_inverse=True)
    group = group.reshape(-1)
    d[group[:, None] == group[None, :]] = 0.0
    d = (d + d.T) / 2.0
    return d


def cluster_order(x: np.ndarray) -> list[int]:
    """Leaf order of the average-linkage (UPGMA) dendrogram of the rows of ``x``.

    A cluster is known by its lowest row index, and a merge lists that cluster's leaves before
    the other's, so rows that never separate keep their file order.
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    leaves: list[list[int]] = [[i] for i in range(n)]
    for a, b, _ in average_linkage(x):
        leaves[a] = leaves[a] + leaves[b]
        leaves[b] = []
    return leaves[0] if n else []


def average_linkage(x: np.ndarray) -> list[tuple[int, int, float]]:
    """The n-1 merges ``(a, b, distance)`` of average-linkage clustering of the rows of ``x``.

    ``a < b`` are the lowest row indices of the two clusters; the merged cluster is then known
    as ``a``. Each step merges the closest pair (ties: lowest ``a``, then lowest ``b``). A
    nearest-neighbour cache keeps the run about O(n^2): 1100 rows take well under a second.
    """
    n = x.shape[0]
    merges: list[tuple[int, int, float]] = []
    if n < 2:
        return merges
    d = _distances(np.asarray(x, dtype=np.float64))
    # distances this close count as tied, so rounding in the averages cannot reorder ties
    tol = 1e-10 * max(1.0, float(d.max()))
    np.fill_diagonal(d, np.inf)
    size = np.ones(n)
    active = np.ones(n, dtype=bool)

    def nearest(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sub = d[rows]
        low = sub.min(axis=1)
        return np.argmax(sub <= (low + tol)[:, None], axis=1), low

    nn, nnd = nearest(np.arange(n))  # nearest neighbour (lowest index among ties) and distance
    for _ in range(n - 1):
        a = int(np.argmax(nnd <= nnd.min() + tol))
        b = int(nn[a])
        if b < a:
            a, b = b, a
        merges.append((a, b, float(d[a, b])))
        # Lance-Williams update for average linkage; the merged cluster keeps slot a
        na, nb = size[a], size[b]
        new = (na * d[a] + nb * d[b]) / (na + nb)
        active[b] = False
        new[~active] = np.inf
        new[a] = np.inf
        d[a, :] = new
        d[:, a] = new
        d[b, :] = np.inf
        d[:, b] = np.inf
        size[a] = na + nb
        nnd[b] = np.inf
        # rows whose nearest neighbour was a or b, and a itself, look again
        stale = np.union1d(np.flatnonzero(active & ((nn == a) | (nn == b))), [a])
        nn[stale], nnd[stale] = nearest(stale)
        # the others (averages never get closer, up to rounding) may gain a as a tied neighbour
        fresh = active.copy()
        fresh[stale] = False
        tied = fresh & (new <= nnd + tol) & (a < nn)
        nn[tied] = a
        closer = fresh & (new < nnd - tol)
        nn[closer] = a
        np.minimum(nnd, np.where(fresh, new, np.inf), out=nnd)
    return merges


def _time_ticks(times: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Tick positions (sample index, i.e. column centres) and labels (time) for the x axis."""
    from matplotlib.ticker import MaxNLocator

    t0, t1 = float(times[0]), float(times[-1])
    if len(times) == 1 or t1 <= t0:
        return np.array([0.0]), [f"{t0:g}"]
    # tick_values gives an ndarray (the stubs say Sequence); asarray returns it as is
    ticks = np.asarray(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10]).tick_values(t0, t1))
    ticks = ticks[(ticks >= t0 - 1e-9 * (t1 - t0)) & (ticks <= t1 + 1e-9 * (t1 - t0))]
    positions = np.interp(ticks, times, np.arange(len(times), dtype=float))
    return positions, [f"{t:g}" for t in ticks]


def _select(result: SimulationResult, nodes: Sequence[str] | None) -> list[int]:
    return select_nodes(result.nodes, nodes)


def plot_trajectory(
    result: SimulationResult,
    path: str | Path | None = None,
    order: Order = "file",
    title: str | None = None,
    nodes: Sequence[str] | None = None,
) -> Figure:
    """A heatmap of ``result`` (a matplotlib Figure), written to ``path`` when given (.png, .svg or
    .pdf, chosen by the suffix).

    One run is drawn as off/on; several runs as mean activity with a colorbar. ``nodes``
    restricts the figure to those nodes (in ``order``); scores, if any, get a panel below.
    """
    if path is not None:
        path, suffix = check_path(path)
    check_order(order)

    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    cols = _select(result, nodes)
    binary = result.runs == 1 and result.trajectory is not None
    data = result.trajectory if binary else result.mean
    data = np.asarray(data, dtype=np.float64)[:, cols].T  # nodes x samples
    names = [result.nodes[i] for i in cols]
    perm = node_order(data, names, order)
    data = data[perm]
    names = [names[i] for i in perm]
    n, samples = data.shape
    times = np.asarray(result.times, dtype=np.float64)

    rows = row_layout(names)
    label_w, heat_h = rows.label_w, rows.heat_h
    score_h = 1.5 if result.scores else 0.0
    width = label_w + 8.5

    if title is None:
        title = f"{result.update} update, {result.runs} run{'s' if result.runs != 1 else ''}"
        if nodes is not None:
            title += f", {n} of {len(result.nodes)} nodes"
        treated = describe(result.settings)
        if treated:
            title += "\n" + treated
    if rows.note:
        title += "\n" + rows.note
    title, width = fit_title(title, width)
    height = heat_h + score_h + 1.3 + 0.2 * title.count("\n")
    xlabel = "time (time units)" if result.update in ("async", "continuous") else "time (steps)"

    fig = Figure(figsize=(width, height), layout="constrained")
    if score_h:
        gs = fig.add_gridspec(2, 1, height_ratios=[heat_h, score_h])
        ax = fig.add_subplot(gs[0])
        sax = fig.add_subplot(gs[1], sharex=ax)
    else:
        ax = fig.add_subplot()
        sax = None

    if binary:
        ax.imshow(data, aspect="auto", interpolation="nearest", cmap=ListedColormap([OFF, ON]), vmin=0, vmax=1)
        binary_legend(ax)
    else:
        im = ax.imshow(data, aspect="auto", interpolation="nearest", cmap=ACTIVITY_CMAP, vmin=0, vmax=1)
        # a colorbar of fixed size (about 3 x 0.15 inches) at the top right of the heatmap
        frac = min(1.0, 3.0 / heat_h)
        cax = ax.inset_axes((1.015, 1.0 - frac, 0.15 / 7.0, frac))
        cbar = fig.colorbar(im, cax=cax)
        what = "probability" if result.update == "continuous" else "mean activity"
        cbar.set_label(f"{what} ({result.runs} runs)", fontsize=8)
        cbar.ax.tick_params(labelsize=7)

    label_rows(ax, names, rows)
    ax.set_xlim(-0.5, samples - 0.5)
    positions, labels = _time_ticks(times)
    ax.set_xticks(positions, labels, fontsize=8)
    ax.set_title(title, fontsize=10)

    if sax is not None:
        xs = np.arange(samples)
        for name, values in result.scores.items():
            sax.plot(xs, np.asarray(values, dtype=float), label=name, linewidth=1.2)
        sax.set_ylabel("score", fontsize=8)
        sax.tick_params(labelsize=7)
        sax.grid(True, linewidth=0.3, alpha=0.6)
        sax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False)
        sax.set_xticks(positions, labels, fontsize=8)
        sax.set_xlabel(xlabel, fontsize=9)
        ax.tick_params(axis="x", labelbottom=False)
    else:
        ax.set_xlabel(xlabel, fontsize=9)

    if path is not None:
        save(fig, path, suffix)
    return fig
