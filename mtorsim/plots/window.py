"""The therapeutic window figure: tumour viability and the normal contexts' readouts against
log dose on one axis, the window shaded, the clinical free Cmax marked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtorsim.plots._layout import check_path, save

if TYPE_CHECKING:
    from mtorsim.selectivity.window import WindowResult

COLORS = ["#d62728", "#ff7f0e", "#9467bd", "#2ca02c", "#8c564b", "#17becf"]


def plot_window(result: WindowResult, path: str | Path | None = None, title: str | None = None) -> Any:
    """The window as a matplotlib Figure, saved to ``path`` when given."""
    from matplotlib.figure import Figure

    checked = check_path(path) if path is not None else None
    fig = Figure(figsize=(7.6, 4.6), layout="constrained")
    ax = fig.subplots()
    t = result.tumour
    ax.plot(t.doses, t.measures["viability"], color="black", lw=2.2, marker="o", ms=3, label="tumour viability")
    k = 0
    for name, curves in result.contexts.items():
        for c in curves:
            ax.plot(c.doses, c.values, color=COLORS[k % len(COLORS)], lw=1.4, marker=".", label=f"{name}: {c.readout}")
            k += 1
    if result.window is not None:
        lo, hi = result.window
        ax.axvspan(
            lo if lo is not None else t.doses[0],
            hi if hi is not None else t.doses[-1],
            color="#2ca02c",
            alpha=0.12,
            label="window",
        )
    for d, e in t.exposure.items():
        if e.get("free_cmax"):
            ax.axvline(e["free_cmax"], color="grey", ls=":", lw=1)
            ax.text(e["free_cmax"], 1.04, f"{d} free Cmax", fontsize=7, ha="center", color="grey")
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.1)
    ax.set_xlabel(f"dose ({t.unit})")
    ax.set_ylabel("viability / readout")
    low = result.selectivity_at_least
    sel = f"{result.selectivity:.3g}" if result.selectivity is not None else f"> {low:.3g}" if low else "n/a"
    ax.set_title(
        title
        or f"{' + '.join(result.drugs)} in {result.settings.get('background')}: window "
        + ("none" if result.window is None else "shaded")
        + f", selectivity {sel}",
        fontsize=10,
    )
    ax.legend(fontsize=7, loc="lower left", frameon=False)
    ax.grid(alpha=0.3)
    if checked is not None:
        save(fig, *checked)
    return fig
