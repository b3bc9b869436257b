"""Figures of the HTML/Markdown report as deterministic PNG bytes (no date, no software tag)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np

PNG_META = {"Software": None}


def heatmap_png(
    values: np.ndarray, rows: Sequence[str], cols: Sequence[str], title: str, label: str, vmax: float = 1.0
) -> bytes:
    """A rows x columns heatmap (values annotated, NaN shown as n/a) as deterministic PNG bytes."""
    from matplotlib.figure import Figure as MplFigure

    from mtorsim.plots._layout import annotated_heatmap

    width = 1.8 + 0.12 * max((len(r) for r in rows), default=4) * 0.6 + 0.75 * len(cols)
    fig = MplFigure(figsize=(max(4.0, width), 1.4 + 0.3 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    im = annotated_heatmap(ax, values, rows, cols, vmax, rotation=35)
    fig.colorbar(im, ax=ax, label=label)
    ax.set_title(title, fontsize=9)
    return png_bytes(fig)


def png_bytes(fig) -> bytes:
    """A matplotlib Figure as PNG bytes, identical on every run."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata=PNG_META)
    return buf.getvalue()
