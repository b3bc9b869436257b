"""What an attractor search returns: the attractors, with states, activity and basins, and what
the search proved."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mtorsim.types import AttractorKind, Order


@dataclass
class Attractor:
    """One attractor: what a cell settles into.

    Parameters
    ----------
    kind : {"fixed", "cycle", "complex"}
        A fixed point, a synchronous cycle, or an asynchronous attractor of several states.
    size : int or None
        Its number of states; None when too many to list (see ``space``).
    states : list of list of int or None
        Its states in network node order (0/1); None above the listing limit.
    activity : numpy.ndarray
        (nodes,) float64: the fraction of its states in which each node is on.
    basin : float or None, default None
        The fraction of all states (of the nodes not held) that end in it; None where undefined.
    basin_ci : tuple of float or None, default None
        The basin's 95% interval when it was sampled.
    inputs : dict of str to int
        The setting of the free inputs it was found under.
    basin_reduced : float or None, default None
        The basin as a fraction of the states percolation leaves free (when all are too many).
    space : str or None, default None
        For an unlisted attractor: the trap space holding it, one of 0, 1, * per node.
    """

    kind: AttractorKind  # 'fixed', 'cycle' (sync) or 'complex' (async, more than one state)
    size: int | None  # None: too many states to list (see ``space``)
    states: list[list[int]] | None  # full states in network node order; None above STATES_SHOWN
    activity: np.ndarray  # fraction of the attractor's states where each node is 1
    basin: float | None = None  # fraction of all states (nodes not held); None where undefined
    basin_ci: tuple[float, float] | None = None  # 95% interval, sampling only
    inputs: dict[str, int] = field(default_factory=dict)
    basin_reduced: float | None = None  # fraction of the states percolation leaves free (when all are too many)
    space: str | None = None  # for an unlisted attractor: the trap space holding it ('*' free)

    def to_dict(self, nodes: list[str]) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind,
            "size": self.size,
            "activity": {n: None if math.isnan(a) else round(float(a), 6) for n, a in zip(nodes, self.activity)},
            "basin": None if self.basin is None else float(self.basin),
        }
        if self.states is not None:
            d["states"] = ["".join(map(str, s)) for s in self.states]
        if self.basin_ci is not None:
            d["basin_ci95"] = [float(self.basin_ci[0]), float(self.basin_ci[1])]
        if self.basin_reduced is not None:
            d["basin_reduced"] = float(self.basin_reduced)
        if self.inputs:
            d["inputs"] = dict(self.inputs)
        if self.space is not None:
            d["trap_space"] = self.space
        return d


@dataclass
class AttractorResult:
    """The attractors of a network under one update scheme, and whether the list is proven.

    Parameters
    ----------
    nodes : list of str
        The network's nodes, in file order.
    update : {"sync", "async"}
        The scheme searched.
    method : str
        The method that answered (exhaustive, sat, trapspace, sample, fixed-points, percolation).
    complete : bool
        True when every attractor is listed and proven; False for a sample or a search cut short.
    attractors : list of Attractor
        The attractors found.
    notes : list of str
        What the search proved, estimated or left open.
    combinations : int, default 1
        Settings of the free inputs examined.
    combinations_total : int, default 1
        Settings of the free inputs there are.
    candidates : list of dict
        Trap spaces whose attractors were not decided (their fixed and free nodes).
    treatment : dict
        The mutations, drugs and holds searched under, as results' ``settings`` give them (empty
        when the caller gave none); figure titles and table headers name them.
    """

    nodes: list[str]
    update: str
    method: str
    complete: bool
    attractors: list[Attractor]
    notes: list[str] = field(default_factory=list)
    combinations: int = 1  # input combinations examined
    combinations_total: int = 1
    candidates: list[dict[str, Any]] = field(default_factory=list)  # unresolved minimal trap spaces
    treatment: dict[str, Any] = field(default_factory=dict)

    def plot(
        self,
        path: str | None = None,
        order: Order = "file",
        nodes: Sequence[str] | None = None,
        title: str | None = None,
        overwrite: bool = False,
    ) -> Any:
        """The attractors as a heatmap (a matplotlib Figure; see ``plots.attractors``), saved to
        ``path`` (.png, .svg, .pdf) when given (an existing file only
        with ``overwrite``)."""
        from mtorsim.plots.attractors import plot_attractors
        from mtorsim.util.safeio import check_figure

        check_figure(path, overwrite)
        return plot_attractors(self, path, order=order, nodes=nodes, title=title)

    def to_dataframe(self) -> Any:
        """One row per attractor (A1, A2, ...): kind, size, basin, then each node's activity (the fraction of the attractor's states with it on; float64,
        NaN for a node left free in an unlisted attractor's trap space). Needs pandas."""
        from mtorsim.util.frames import to_dataframe

        rows = []
        for k, a in enumerate(self.attractors, start=1):
            row: dict[str, Any] = {"attractor": f"A{k}", "kind": a.kind, "size": a.size, "basin": a.basin}
            row.update(zip(self.nodes, (float(x) for x in a.activity)))
            rows.append(row)
        return to_dataframe(rows, index="attractor") if rows else to_dataframe(rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "update": self.update,
            "method": self.method,
            "complete": self.complete,
            "combinations": {"examined": self.combinations, "total": self.combinations_total},
            "notes": self.notes,
            "attractors": [a.to_dict(self.nodes) for a in self.attractors],
            "candidates": self.candidates,
            "treatment": self.treatment,
        }
