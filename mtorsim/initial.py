"""Initial states: fixed values, per-node probabilities, correlated groups, Zañudo files."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.formats.io import read_text
from mtorsim.network import Network


@dataclass(frozen=True)
class InitialSpec:
    """Each node is on with probability ``values[node]`` (0 and 1 are exact), else ``default``;
    every group draws once per run and all its members take that value."""

    values: Mapping[str, float] = field(default_factory=dict)
    groups: Sequence[tuple[tuple[str, ...], float]] = ()
    default: float = 0.0

    def merged(self, other: InitialSpec) -> InitialSpec:
        """``other`` on top of this one (its values and groups win; its default applies)."""
        inside = {n for names, _ in other.groups for n in names}
        values = {k: v for k, v in self.values.items() if k not in inside}
        values.update(other.values)
        mine = [(tuple(n for n in names if n not in other.values and n not in inside), p) for names, p in self.groups]
        groups = [g for g in mine if g[0]] + list(other.groups)
        return InitialSpec(values, tuple(groups), other.default)

    def arrays(self, net: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(init_p, init_group, group_p) for the kernels."""
        n = len(net)
        p = np.full(n, _probability(self.default, "default initial value"), dtype=np.float64)
        group = np.full(n, -1, dtype=np.int64)
        for name, v in self.values.items():
            p[net.index(name)] = _probability(v, f"initial value of {name}")
        group_p = np.zeros(len(self.groups), dtype=np.float64)
        for g, (names, prob) in enumerate(self.groups):
            group_p[g] = _probability(prob, "group probability")
            for name in names:
                group[net.index(name)] = g
        return p, group, group_p


def _probability(v: float, what: str) -> float:
    v = float(v)
    if not 0.0 <= v <= 1.0:
        raise MtorsimError(f"{what} must be 0, 1 or a probability in between, not {v}")
    return v


def parse_value(text: str, what: str) -> float:
    """``0``, ``1``, ``random`` (1/2) or a probability such as ``0.3``."""
    t = text.strip().lower()
    if t in ("random", "r", "ranstate"):
        return 0.5
    try:
        return _probability(float(t), what)
    except ValueError:
        raise MtorsimError(f"{what}: '{text}' is not 0, 1, 'random' or a probability such as 0.3") from None


ZANUDO_CORRELATED_P = 1.0 / 3.0
"""``ranStateCorrelated`` nodes share one draw per run that is 1 with probability 1/3."""


def read_initial_file(path: str | os.PathLike, net: Network) -> InitialSpec:
    """Read ``node<TAB>value`` lines; values 0, 1, a probability, ``ranState`` (fair coin per
    node) or ``ranStateCorrelated`` (one shared draw, 1 with probability 1/3)."""
    text = read_text(path)
    values: dict[str, float] = {}
    correlated: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        body = raw.split("#", 1)[0].strip()
        if not body:
            continue
        parts = body.split()
        if len(parts) != 2:
            raise MtorsimError(f"{path}:{number}: expected 'node<TAB>value', got {raw.strip()!r}")
        name, value = parts
        if name not in net:
            hint = did_you_mean(name, net.nodes)
            raise MtorsimError(f"{path}:{number}: unknown node '{name}'" + (f"; {hint}" if hint else ""))
        if value.lower() == "ranstatecorrelated":
            correlated.append(name)
        else:
            values[name] = parse_value(value, f"{path}:{number}: value of {name}")
    groups = ((tuple(correlated), ZANUDO_CORRELATED_P),) if correlated else ()
    return InitialSpec(values, groups, 0.0)
