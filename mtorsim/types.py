"""The choices shared by the library and the command line: each a ``Literal`` and its values
(the CLI derives its choice lists from these, so the two cannot drift apart)."""

from __future__ import annotations

from typing import Literal, get_args

Update = Literal["sync", "async", "random-order"]
"""Discrete-time update schemes of ``simulate``."""
SimulationUpdate = Literal["sync", "async", "random-order", "continuous"]
"""Every scheme of ``mtorsim simulate`` (continuous: MaBoSS-style continuous time)."""
AttractorUpdate = Literal["sync", "async"]
"""Update schemes whose attractors are searched."""
Method = Literal["auto", "exhaustive", "sat", "sample", "trapspace", "fixed-points"]
"""Attractor search methods."""
AttractorKind = Literal["fixed", "cycle", "complex"]
"""A fixed point, a synchronous cycle, or an asynchronous attractor of more than one state."""
Sign = Literal["0", "+", "-", "±"]
"""An edge's effect: none, activating, inhibiting, both."""
Order = Literal["file", "name", "cluster"]
"""Row order of the heatmaps."""

UPDATES: tuple[str, ...] = get_args(Update)
SIMULATION_UPDATES: tuple[str, ...] = get_args(SimulationUpdate)
ATTRACTOR_UPDATES: tuple[str, ...] = get_args(AttractorUpdate)
METHODS: tuple[str, ...] = get_args(Method)
SIGNS: tuple[str, ...] = get_args(Sign)
ORDERS: tuple[str, ...] = get_args(Order)
