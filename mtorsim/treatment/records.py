"""What a resolved treatment does to a network, as records: node holds (with their time window,
efficacy and source), edge cuts and rule swaps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mtorsim.formats.ast import Expr

SourceKind = Literal["environment", "mutation", "drug", "fixed"]
"""What put a perturbation on the network: a medium condition, a mutation, a drug, or a node the
user held directly (``fixed``, ``--set``)."""


@dataclass(frozen=True, slots=True)
class Source:
    """The vocabulary entry (or the user's own hold) behind a perturbation."""

    kind: SourceKind
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True, slots=True)
class Hold:
    """Hold a node at a value, for the whole run or a time window.

    Parameters
    ----------
    node : str
        The node held.
    value : int
        0 or 1.
    start : float, default 0.0
        When the hold starts (steps, or time units).
    end : float or None, default None
        When it ends (None: at the end of the run); the node then follows its rule again.
    efficacy : float, default 1.0
        Below 1 the hold is partial: a coin per update in discrete time, a rate in continuous
        time (``simulate``); a scenario's estimate and the assay read a drug's partial hold as
        the share of cells fully engaged (``treatment.regimes``).
    source : Source or None, default None
        What put the hold on (environment, mutation, drug, or the user's ``fixed``).
    """

    node: str
    value: int
    start: float = 0.0
    end: float | None = None
    efficacy: float = 1.0
    source: Source | None = None

    @property
    def whole_run(self) -> bool:
        """Held from the start to the end of the run."""
        return self.start == 0.0 and self.end is None


@dataclass(frozen=True, slots=True)
class EdgeCut:
    """``target``'s rule reads ``regulator`` as the constant ``value``."""

    target: str
    regulator: str
    value: int
    efficacy: float = 1.0
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class RuleSwap:
    """``node`` follows ``rule`` instead of its own."""

    node: str
    rule: Expr
    text: str = ""
    efficacy: float = 1.0
    source: Source | None = None
