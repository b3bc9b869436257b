"""What ``control`` and ``explain`` return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mtorsim.intervention.search import Solution


@dataclass
class ControlResult:
    """The minimal drug sets that bring a readout to a goal, ranked.

    Parameters
    ----------
    goal : str
        The goal, e.g. ``"TumourGrowth<=0.25"``.
    background : str
        The genotype searched ("wildtype" or mutations joined by "+").
    value : float or None
        The readout's worst value over the attractors without the added drugs.
    solutions : list of Solution
        Minimal sets, ranked (size, robustness, dose margin, selectivity, name).
    complete : bool
        Every set up to the size asked was decided (False: the budget stopped the search).
    searched : int
        Sets evaluated (classes of equivalent drugs count once).
    settings : dict
        The drugs given, candidates, classes, inactive drugs, doses and search limits.
    notes : list of str
        What the answer proves and what it only estimated.
    """

    goal: str
    background: str
    value: float | None
    solutions: list[Solution]
    complete: bool
    searched: int
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "background": self.background,
            "value": self.value,
            "solutions": [s.to_dict() for s in self.solutions],
            "complete": self.complete,
            "searched": self.searched,
            "settings": self.settings,
            "notes": self.notes,
        }

    def to_dataframe(self) -> Any:
        """One row per minimal drug set, in rank order (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        rows = []
        for rank, s in enumerate(self.solutions, start=1):
            d = s.to_dict()
            rows.append(
                {
                    "rank": rank,
                    "drugs": " + ".join(d["drugs"]),
                    "nodes": ", ".join(f"{k}={v}" for k, v in s.nodes.items()),
                    "size": s.size,
                    **{k: d[k] for k in ("value", "estimate", "certified", "robustness", "selectivity")},
                    "equivalents": "; ".join(f"{k}: {', '.join(v)}" for k, v in d["equivalents"].items()),
                }
            )
        if not rows:
            return to_dataframe({k: [] for k in ("rank", "drugs", "nodes", "size", "value", "certified")}, index="rank")
        return to_dataframe(rows, index="rank")


@dataclass
class Escape:
    """One minimal set of nodes whose state keeps the readout up despite the drugs."""

    nodes: dict[str, int]  # node -> its value under the drugs
    kind: str  # "feedback", "incomplete" or "bypass" (see ``intervention.escapes``)
    kinds: dict[str, str]  # the kind of each node
    paths: list[list[str]]  # drug target ... node ... readout node
    carries: list[str]  # nodes downstream that the set keeps up with it (same effect)
    closed_by: list[list[str]]  # added drug sets that close it (minimal, checked)
    certified: str  # "exact" or "estimate"

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": sorted(self.nodes),
            "values": self.nodes,
            "kind": self.kind,
            "kinds": self.kinds,
            "paths": self.paths,
            "carries": self.carries,
            "closed_by": self.closed_by,
            "certified": self.certified,
        }

    def describe(self) -> str:
        """One line: kind, nodes, and the first path."""
        path = " -> ".join(self.paths[0]) if self.paths else ""
        return f"{self.kind}: {' + '.join(sorted(self.nodes))}" + (f" ({path})" if path else "")


@dataclass
class ExplainResult:
    """Why a treatment leaves a readout above its goal: the escape routes.

    Parameters
    ----------
    readout, goal : str
        The readout and the goal asked.
    value, untreated : float or None
        The readout's worst value over the attractors with the drugs, and without them.
    escapes : list of Escape
        Minimal node sets (up to the size searched) whose state sustains the readout.
    complete : bool
        Every node set up to the size searched was decided.
    settings : dict
        Genotype, drugs, doses, the size searched and how many sets were evaluated.
    notes : list of str
        What the answer proves and what it only estimated.
    """

    readout: str
    goal: str
    value: float | None
    untreated: float | None
    escapes: list[Escape]
    complete: bool
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        """The drugs already meet the goal (nothing escapes)."""
        return bool(self.settings.get("met"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "readout": self.readout,
            "value": self.value,
            "untreated": self.untreated,
            "goal": self.goal,
            "met": self.met,
            "escapes": [e.to_dict() for e in self.escapes],
            "complete": self.complete,
            "settings": self.settings,
            "notes": self.notes,
        }

    def to_dataframe(self) -> Any:
        """One row per escape route: its nodes, kind, first path and the drug sets that close
        it (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        rows = [
            {
                "nodes": " + ".join(sorted(e.nodes)),
                "kind": e.kind,
                "path": " -> ".join(e.paths[0]) if e.paths else "",
                "carries": ", ".join(e.carries),
                "closed_by": "; ".join(" + ".join(c) for c in e.closed_by),
                "certified": e.certified,
            }
            for e in self.escapes
        ]
        return to_dataframe(rows or {k: [] for k in ("nodes", "kind", "path", "carries", "closed_by", "certified")})
