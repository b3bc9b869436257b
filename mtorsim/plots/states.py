"""State probabilities over time as a stacked-area plot (continuous-time results)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.plots._layout import check_path, save

MAX_STATES = 12


def plot_states(result, path: str | Path, top: int = MAX_STATES) -> None:
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
    labels = names + ["other states"]
    fig = Figure(figsize=(9.5, 4.8), layout="constrained")
    ax = fig.add_subplot()
    colors = [f"C{k % 10}" for k in range(len(names))] + ["#d0d4da"]
    ax.stackplot(times, series, labels=labels, colors=colors, step="post")
    ax.set_xlim(times[0], times[-1])
    ax.set_ylim(0, 1)
    ax.set_xlabel("time (window start, time units)", fontsize=9)
    ax.set_ylabel("probability", fontsize=9)
    ax.set_title(f"state probabilities, {result.runs} runs (active nodes listed; <nil>: none)", fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    save(fig, path, suffix)
