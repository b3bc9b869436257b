"""Layout shared by the heatmaps: file types, node selection, row labels, colours.

matplotlib is imported inside the functions only, so importing this module stays light.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mtorsim.errors import MtorsimError, unknown_name
from mtorsim.types import ORDERS, Order  # noqa: F401 (re-exported)

FORMATS: dict[str, dict] = {
    ".png": {"dpi": 150},
    ".svg": {"metadata": {"Date": None}},
    ".pdf": {"metadata": {"CreationDate": None}},
}
MAX_LABELS = 250  # above this many nodes only every k-th one is labelled
MAX_FONT, MIN_FONT = 8.0, 5.0  # y label font size (points) for few / many labels
LINE = 1.3  # row height in units of the label font size
OFF, ON = "#e9ecf1", "#1f4e9c"  # one run (or one state): off / on
ACTIVITY_CMAP = "viridis"  # fractions (mean activity over runs, attractor activity)


def check_path(path: str | Path) -> tuple[Path, str]:
    """``(path, lower-case suffix)``; MtorsimError unless the suffix is .png, .svg or .pdf."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise MtorsimError(
            f"cannot write a figure to '{path}': unsupported file type '{path.suffix or '(none)'}'; "
            f"use one of: {', '.join(FORMATS)}"
        )
    return path, suffix


def check_order(order: str) -> None:
    if order not in ORDERS:
        raise MtorsimError(f"unknown node order '{order}'; choose one of: {', '.join(ORDERS)}")


def select_nodes(all_nodes: Sequence[str], nodes: Sequence[str] | None) -> list[int]:
    """Indices into ``all_nodes`` of ``nodes`` (all when None; repeats dropped, order kept)."""
    if nodes is None:
        return list(range(len(all_nodes)))
    index = {name: i for i, name in enumerate(all_nodes)}
    out: list[int] = []
    for name in nodes:
        if name not in index:
            raise unknown_name("node", name, all_nodes)
        if index[name] not in out:
            out.append(index[name])
    if not out:
        raise MtorsimError("no nodes to plot: the node list is empty")
    return out


def ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


@dataclass(frozen=True)
class Rows:
    """How the node rows are labelled and how tall they are."""

    n: int  # rows
    k: int  # every k-th row is labelled
    font: float  # label font size (points)
    label_w: float  # inches for the y tick labels
    heat_h: float  # inches for the heatmap

    @property
    def note(self) -> str:
        """A title line when not every row is labelled, else ''."""
        return f"(every {ordinal(self.k)} of {self.n} nodes labelled)" if self.k > 1 else ""


def row_layout(names: Sequence[str]) -> Rows:
    """Label every node up to MAX_LABELS (smaller font for many); the figure grows with them."""
    n = len(names)
    k = 1 if n <= MAX_LABELS else math.ceil(n / (MAX_LABELS * 0.8))
    labelled = math.ceil(n / k)
    font = MAX_FONT if labelled <= 40 else max(MIN_FONT, MAX_FONT - (MAX_FONT - MIN_FONT) * (labelled - 40) / 160)
    longest = max(len(s) for s in names)
    label_w = 0.3 + longest * font * 0.62 / 72
    heat_h = max(2.2, labelled * font * LINE / 72)
    return Rows(n, k, font, label_w, heat_h)


def label_rows(ax, names: Sequence[str], rows: Rows) -> None:
    """Y tick labels (every k-th name), rows top to bottom, thin white lines between few rows."""
    n, k = rows.n, rows.k
    ax.set_yticks(np.arange(0, n, k), [names[i] for i in range(0, n, k)], fontsize=rows.font)
    ax.tick_params(axis="y", length=2, pad=1)
    ax.set_ylim(n - 0.5, -0.5)
    if n > 1 and n <= 60:
        ax.set_yticks(np.arange(-0.5, n, 1), minor=True)
        ax.tick_params(axis="y", which="minor", length=0)
        ax.grid(axis="y", which="minor", color="white", linewidth=0.5)


def binary_legend(ax, **kw) -> None:
    """An off/on legend outside the heatmap, top right."""
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(facecolor=OFF, edgecolor="0.5", label="off"),
            Patch(facecolor=ON, edgecolor="0.5", label="on"),
        ],
        **{
            "loc": "upper left",
            "bbox_to_anchor": (1.01, 1.0),
            "borderaxespad": 0.0,
            "fontsize": 8,
            "frameon": False,
            **kw,
        },
    )


def save(fig, path: Path, suffix: str) -> None:
    from mtorsim.util.safeio import save_figure

    save_figure(fig, path, format=suffix[1:], **FORMATS[suffix])


def annotated_heatmap(ax, values, rows, cols, vmax: float = 1.0, marks=None, rotation: float = 30):
    """Rows x columns of values in the activity colour map, each cell written out ('n/a' for NaN,
    '*' appended where ``marks`` is set); returns the image for a colorbar."""
    im = ax.imshow(np.ma.masked_invalid(values), cmap=ACTIVITY_CMAP, vmin=0.0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(len(cols)), cols, rotation=rotation, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            text = "n/a" if np.isnan(v) else f"{v:.2f}"
            if marks is not None and marks[i, j]:
                text += "*"
            dark = not np.isnan(v) and v < 0.6 * vmax
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color="white" if dark else "black")
    return im


MAX_TITLE_W = 11.0  # inches: a wider title is wrapped rather than widening the figure


def text_width(text: str, size: float) -> float:
    """The widest line of ``text`` at ``size`` points, in inches (the default font)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    props = FontProperties(size=size)
    measure = TextToPath()
    return (
        max(
            (measure.get_text_width_height_descent(line, props, ismath=False)[0] for line in text.split("\n")),
            default=0.0,
        )
        / 72
    )


def fit_title(title: str, width: float, size: float = 10.0) -> tuple[str, float]:
    """The title and a figure width (inches) it fits in: the figure widens up to MAX_TITLE_W, and
    lines wider than that are wrapped at spaces."""
    import textwrap

    need = text_width(title, size) + 0.4
    if need <= width:
        return title, width
    if need <= MAX_TITLE_W:
        return title, need
    per_char = text_width("x" * 40, size) / 40 * 1.15  # average text runs wider than 'x'
    chars = max(20, int((MAX_TITLE_W - 0.4) / per_char))
    wrapped = "\n".join(textwrap.fill(line, chars) for line in title.split("\n"))
    return wrapped, max(width, min(MAX_TITLE_W, text_width(wrapped, size) + 0.4))
