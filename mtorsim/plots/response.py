"""Dose-response figures: one panel per drug set, one line per genotype (relative viability and
GR value against log dose, 95% bands), the clinical free Cmax marked where it is published."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtorsim.plots._layout import check_path, save

if TYPE_CHECKING:
    from mtorsim.response.curves import DoseResponse

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"]


def plot_response(result: DoseResponse, path: str | Path | None = None, title: str | None = None) -> Any:
    """The curves as a matplotlib Figure (two rows: viability, GR), saved to ``path`` when given."""
    from matplotlib.figure import Figure

    checked = check_path(path) if path is not None else None
    sets: list[tuple[str, ...]] = []
    for c in result.curves:
        if tuple(c.drugs) not in sets:
            sets.append(tuple(c.drugs))
    backgrounds = list(dict.fromkeys(c.background for c in result.curves))
    fig = Figure(figsize=(max(4.2, 3.6 * len(sets)) + 1.8, 6.2), layout="constrained")
    axes = fig.subplots(2, len(sets), squeeze=False, sharex="col")
    for j, s in enumerate(sets):
        top, bottom = axes[0][j], axes[1][j]
        unit = ""
        for c in result.curves:
            if tuple(c.drugs) != s:
                continue
            d = c.to_dict()
            unit = c.unit
            color = COLORS[backgrounds.index(c.background) % len(COLORS)]
            _line(top, c.doses, d["viability"], d["viability_ci"], color, c.background)
            _line(bottom, c.doses, d["gr"], d["gr_ci"], color, None)
            for e in c.exposure.values():
                if e.get("free_cmax") and len(s) == 1:
                    for ax in (top, bottom):
                        ax.axvline(e["free_cmax"], color="#555", linestyle=":", linewidth=1)
                    top.annotate(
                        "free Cmax", (e["free_cmax"], 1.02), fontsize=7, color="#555", ha="center", va="bottom"
                    )
        top.set_title(" + ".join(s), fontsize=10)
        top.set_ylim(0, 1.12)
        bottom.set_ylim(-1.05, 1.05)
        bottom.axhline(0, color="#999", linewidth=0.8)
        for ax in (top, bottom):
            ax.set_xscale("log")
            ax.grid(True, which="major", linewidth=0.3, alpha=0.6)
        bottom.set_xlabel(f"dose ({unit})", fontsize=9)
        if j == 0:
            top.set_ylabel("relative viability", fontsize=9)
            bottom.set_ylabel("GR value", fontsize=9)
    handles, labels = axes[0][0].get_legend_handles_labels()
    if handles:
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncols=min(4, len(labels)),
            fontsize=8,
            title="genotype",
            title_fontsize=8,
        )
    assay = result.settings.get("assay", {})
    fig.suptitle(
        title
        or f"{result.settings.get('model', '')}: {assay.get('assay_time', '?'):g} h assay, 95% bands over "
        f"{assay.get('runs', '?')} cells x {len(result.settings.get('potency_strata', [1]))} potency strata",
        fontsize=10,
    )
    if checked is not None:
        save(fig, *checked)
    return fig


def _line(
    ax: Any, doses: list[float], values: list[float | None], ci: list[Any] | None, color: str, label: Any
) -> None:
    xs = [d for d, v in zip(doses, values) if v is not None]
    ys = [v for v in values if v is not None]
    ax.plot(xs, ys, marker="o", markersize=3, color=color, label=label, linewidth=1.4)
    if ci:
        pts = [(d, b) for d, b in zip(doses, ci) if b is not None]
        if pts:
            ax.fill_between(
                [d for d, _ in pts], [b[0] for _, b in pts], [b[1] for _, b in pts], color=color, alpha=0.18
            )
