"""State probabilities over time as a stacked-area plot (continuous-time results)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.plots._layout import check_path, fit_title, save
from mtorsim.treatment.describe import describe

MAX_STATES = 12
MAX_LABEL = 48  # characters: a longer state name is shown as its difference from the first state


def state_labels(names: list[str]) -> list[str]:
    """Legend labels: a state's active nodes when short; otherwise S1 with how many nodes are
    active, and each other state as what it adds to (+) or takes from (-) S1."""
    if all(len(n) <= MAX_LABEL for n in names):
        return list(names)
    sets = [set() if n == "<nil>" else set(n.split(" -- ")) for n in names]
    first = sets[0]
    out = [f"S1: {len(first)} active nodes (--format json lists them)"]
    for k, s in enumerate(sets[1:], start=2):
        diff = [f"+{x}" for x in sorted(s - first)] + [f"-{x}" for x in sorted(first - s)]
        text = f"S{k}: S1 " + " ".join(diff)
        out.append(text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "\u2026")
    return out


def plot_states(result, path: str | Path, top: int = MAX_STATES) -> Any:
    """Stack the ``top`` states with the highest peak probability (the rest as "other states")
    against the window start times, to ``path`` (.png, .svg or .pdf)."""
    path, suffix = check_path(path)
    if not getattr(result, "states", None) or not any(result.states):
        raise MtorsimError(
            "this result has no state probabilities (they are recorded in continuous time, unless "
            "too many distinct states were visited)"
        )
    from matplotlib.figure import Figure

    times = np.asarray(result.times, dtype=float)
    peak: dict[str, float] = {}
    for window in result.states:
        for name, p, _ in window:
            peak[name] = max(peak.get(name, 0.0), p)
    names = sorted(peak, key=lambda x: -peak[x])[:top]
    series = np.zeros((len(names) + 1, len(times)))
    for w, window in enumerate(result.states):
        got = {name: p for name, p, _ in window}
        for k, name in enumerate(names):
            series[k, w] = got.get(name, 0.0)
        series[-1, w] = max(0.0, 1.0 - series[:-1, w].sum())
    tick = float(result.settings.get("time_tick") or (times[1] - times[0] if len(times) > 1 else 1.0))
    times = np.append(times, times[-1] + tick)  # the last window ends one tick after it starts
    series = np.concatenate([series, series[:, -1:]], axis=1)
    labels = state_labels(names) + ["other states"]
    title = f"state probabilities, {result.runs} runs (active nodes listed; <nil>: none)"
    treated = describe(result.settings)
    if treated:
        title += "\n" + treated
    title, width = fit_title(title, 9.5)
    fig = Figure(
        figsize=(width + 0.06 * max(len(x) for x in labels), 4.8 + 0.2 * title.count("\n")), layout="constrained"
    )
    ax = fig.add_subplot()
    from matplotlib import colormaps

    colors = [colormaps["tab20"](k % 20) for k in range(len(names))] + ["#d0d4da"]
    ax.stackplot(times, series, labels=labels, colors=colors, step="post")
    ax.set_xlim(times[0], times[-1])
    ax.set_ylim(0, 1)
    ax.set_xlabel("time (window start, time units)", fontsize=9)
    ax.set_ylabel("probability", fontsize=9)
    ax.set_title(title, fontsize=10)
    fig.legend(fontsize=7, loc="outside right upper", frameon=False)
    save(fig, path, suffix)
    return fig
