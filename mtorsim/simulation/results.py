"""What a simulation returns: node activity over time (discrete schemes), and node
probabilities per window with MaBoSS's other outputs (continuous time)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.types import Order


@dataclass
class SimulationResult:
    """Mean activity of every node at every sampled time (runs averaged).

    Parameters
    ----------
    nodes : list of str
        The network's nodes.
    times : numpy.ndarray
        (samples,) the sampled times (steps or time units; window starts in continuous time).
    mean : numpy.ndarray
        (samples, nodes) float64: the fraction of runs with each node on.
    runs : int
        Trajectories simulated.
    update : str
        The scheme: sync, async, random-order or continuous.
    seed : int
        The random seed.
    trajectory : numpy.ndarray or None, default None
        (samples, nodes) uint8: the one run's states, when a single run was simulated.
    scores : dict of str to numpy.ndarray
        Level scores per sampled time (``NODE_norm``).
    settings : dict
        What the run used: length, holds, efficacies, medium, mutations, drugs...
    """

    nodes: list[str]
    times: np.ndarray
    mean: np.ndarray  # samples x nodes
    runs: int
    update: str
    seed: int
    trajectory: np.ndarray | None = None  # samples x nodes (uint8), one run only
    scores: dict[str, np.ndarray] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "nodes": self.nodes,
            "times": [float(t) for t in self.times],
            "runs": self.runs,
            "update": self.update,
            "seed": self.seed,
            "mean": {n: [float(x) for x in self.mean[:, i]] for i, n in enumerate(self.nodes)},
            "settings": self.settings,
        }
        if self.scores:
            out["scores"] = {k: [float(x) for x in v] for k, v in self.scores.items()}
        if self.trajectory is not None:
            out["trajectory"] = {n: [int(x) for x in self.trajectory[:, i]] for i, n in enumerate(self.nodes)}
        return out

    def plot(
        self,
        path: str | None = None,
        order: Order = "file",
        nodes: Sequence[str] | None = None,
        title: str | None = None,
        overwrite: bool = False,
    ) -> Any:
        """The trajectory heatmap (a matplotlib Figure; see ``plots.heatmap.plot_trajectory``),
        saved to ``path`` (.png, .svg, .pdf) when given (an existing file only
        with ``overwrite``)."""
        from mtorsim.plots.heatmap import plot_trajectory
        from mtorsim.util.safeio import check_figure

        check_figure(path, overwrite)
        return plot_trajectory(self, path, order=order, title=title, nodes=nodes)

    def to_dataframe(self) -> Any:
        """Rows: sampled times; columns: nodes (the mean activity), then scores (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        rows = {n: self.mean[:, i] for i, n in enumerate(self.nodes)}
        rows.update({k: np.asarray(v) for k, v in self.scores.items()})
        df = to_dataframe(rows)
        df.index = self.times
        df.index.name = "time"
        return df

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SimulationResult:
        """A result from its ``to_dict()`` (a saved JSON file)."""
        missing = [k for k in ("nodes", "times", "mean") if not isinstance(d, Mapping) or k not in d]
        if missing:
            raise MtorsimError(
                f"not a saved simulation result: no {', '.join(repr(k) for k in missing)} "
                "(write one with `simulate --out FILE.json` or `result.to_dict()`)"
            )
        nodes = list(d["nodes"])
        mean = np.array([d["mean"][n] for n in nodes], dtype=float).T
        traj = d.get("trajectory")
        return cls(
            nodes=nodes,
            times=np.asarray(d["times"], dtype=float),
            mean=mean.reshape(len(d["times"]), len(nodes)),
            runs=int(d.get("runs", 1)),
            update=str(d.get("update", "?")),
            seed=int(d.get("seed", 0)),
            trajectory=None if traj is None else np.array([traj[n] for n in nodes], dtype=np.uint8).T,
            scores={k: np.asarray(v) for k, v in d.get("scores", {}).items()},
            settings=dict(d.get("settings", {})),
        )


@dataclass
class ContinuousResult(SimulationResult):
    """Node probabilities per window (``mean``) with standard errors, and MaBoSS's other outputs.

    Parameters
    ----------
    nodes : list of str
        The network's nodes.
    times : numpy.ndarray
        (samples,) the sampled times (steps or time units; window starts in continuous time).
    mean : numpy.ndarray
        (samples, nodes) float64: the fraction of runs with each node on.
    runs : int
        Trajectories simulated.
    update : str
        The scheme: sync, async, random-order or continuous.
    seed : int
        The random seed.
    trajectory : numpy.ndarray or None, default None
        (samples, nodes) uint8: the one run's states, when a single run was simulated.
    scores : dict of str to numpy.ndarray
        Level scores per sampled time (``NODE_norm``).
    settings : dict
        What the run used: length, holds, efficacies, medium, mutations, drugs...
    error : numpy.ndarray or None, default None
        (windows, nodes): the standard error of ``mean``.
    states : list of list of (str, float, float)
        Per window: the most probable output states with probability and standard error.
    states_other : list of float
        Per window: the probability of the states not listed.
    th : numpy.ndarray or None, default None
        The transition entropy per window (bits).
    th_error : numpy.ndarray or None, default None
        Its standard error.
    h : numpy.ndarray or None, default None
        The state entropy per window (None when states were not tracked).
    hd : numpy.ndarray or None, default None
        (windows, references + 1): the distribution of the Hamming distance to ``refstate``.
    fixed_points : list of dict
        States with no possible flip reached by the end, with their probabilities.
    transitions : int, default 0
        Transitions simulated.
    internal : list of str
        Nodes left out of the reported states.
    notes : list of str
        What the run could not report, and why.
    observed : dict of str to (numpy.ndarray, numpy.ndarray)
        Observed formulas: name -> (probability, standard error) per window.
    per_run : dict of str to numpy.ndarray
        Kept nodes: name -> (runs, windows) fraction of each window each run had it on.
    """

    error: np.ndarray | None = None  # windows x nodes, standard error of ``mean``
    states: list[list[tuple[str, float, float]]] = field(default_factory=list)  # per window: (state, p, se)
    states_other: list[float] = field(default_factory=list)  # probability of states not listed
    th: np.ndarray | None = None  # transition entropy per window
    th_error: np.ndarray | None = None
    h: np.ndarray | None = None  # state entropy per window (None when states were not tracked)
    hd: np.ndarray | None = None  # windows x (references + 1): Hamming distance distribution
    fixed_points: list[dict[str, Any]] = field(default_factory=list)  # {"state", "probability", "nodes"}
    transitions: int = 0
    internal: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    observed: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # name -> (p, se) per window
    per_run: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (runs, windows) time fractions

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        if self.error is not None:
            out["error"] = {n: [float(x) for x in self.error[:, i]] for i, n in enumerate(self.nodes)}
        out["states"] = [[{"state": s, "p": float(p), "se": float(e)} for s, p, e in w] for w in self.states]
        out["states_other"] = [float(x) for x in self.states_other]
        out["entropy"] = {
            "TH": [float(x) for x in self.th] if self.th is not None else [],
            "TH_se": [float(x) for x in self.th_error] if self.th_error is not None else [],
            "H": [float(x) for x in self.h] if self.h is not None else None,
        }
        if self.hd is not None:
            out["hamming"] = {str(k): [float(x) for x in self.hd[:, k]] for k in range(self.hd.shape[1])}
        out["fixed_points"] = self.fixed_points
        out["transitions"] = self.transitions
        out["internal"] = self.internal
        out["notes"] = self.notes
        if self.observed:
            out["observed"] = {
                k: {"p": [float(x) for x in p], "se": [float(x) for x in e]} for k, (p, e) in self.observed.items()
            }
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ContinuousResult:
        base = SimulationResult.from_dict(d)
        nodes = base.nodes
        err = d.get("error")
        ent = d.get("entropy") or {}
        return cls(
            **{
                k: getattr(base, k)
                for k in ("nodes", "times", "mean", "runs", "update", "seed", "trajectory", "scores", "settings")
            },
            error=None if err is None else np.array([err[n] for n in nodes], dtype=float).T,
            states=[[(s["state"], s["p"], s["se"]) for s in w] for w in d.get("states", [])],
            states_other=list(d.get("states_other", [])),
            th=np.asarray(ent.get("TH", []), dtype=float),
            h=None if ent.get("H") is None else np.asarray(ent["H"]),
            fixed_points=list(d.get("fixed_points", [])),
            transitions=int(d.get("transitions", 0)),
            internal=list(d.get("internal", [])),
            notes=list(d.get("notes", [])),
        )
