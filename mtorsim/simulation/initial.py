"""Initial states: fixed values, per-node probabilities, correlated groups, Zañudo files."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.formats.io import read_text
from mtorsim.network import Network

Joint = tuple[tuple[str, ...], tuple[tuple[float, tuple[int, ...]], ...]]
"""A joint initial distribution: nodes, and options (weight, one value per node)."""


@dataclass(frozen=True)
class InitialSpec:
    """Each node is on with probability ``values[node]`` (0 and 1 are exact), else ``default``;
    every group draws once per run and all its members take that value; every ``joint``
    distribution (MaBoSS ``[A, B].istate = w1 [0, 1], w2 [1, 1]``) draws one of its options,
    weights normalised."""

    values: Mapping[str, float] = field(default_factory=dict)
    groups: Sequence[tuple[tuple[str, ...], float]] = ()
    default: float = 0.0
    joint: Sequence[Joint] = ()

    def merged(self, other: InitialSpec) -> InitialSpec:
        """``other`` on top of this one (its values, groups and joints win; its default applies)."""
        inside = {n for names, _ in other.groups for n in names} | {n for names, _ in other.joint for n in names}
        taken = inside | set(other.values)
        values = {k: v for k, v in self.values.items() if k not in inside}
        values.update(other.values)
        mine = [(tuple(n for n in names if n not in taken), p) for names, p in self.groups]
        groups = [g for g in mine if g[0]] + list(other.groups)
        joint = [j for j in self.joint if not set(j[0]) & taken] + list(other.joint)
        return InitialSpec(values, tuple(groups), other.default, tuple(joint))

    def arrays(self, net: Network) -> tuple[np.ndarray, ...]:
        """``(init_p, g_ptr, g_nodes, o_ptr, o_cum, o_vstart, o_vals)`` for ``kernels.initial``:
        correlated groups (as the options all-on with p, all-off with 1 - p), then joints;
        ``init_p`` is -1 for nodes a group sets."""
        n = len(net)
        p = np.full(n, _probability(self.default, "default initial value"), dtype=np.float64)
        for name, v in self.values.items():
            p[net.index(name)] = _probability(v, f"initial value of {name}")
        groups: list[tuple[list[int], list[tuple[float, tuple[int, ...]]]]] = []
        for names, prob in self.groups:
            q = _probability(prob, "group probability")
            groups.append(([net.index(x) for x in names], [(q, (1,) * len(names)), (1.0 - q, (0,) * len(names))]))
        for names, options in self.joint:
            total = float(sum(w for w, _ in options))
            if not options or not total > 0 or any(not w >= 0 for w, _ in options):
                raise MtorsimError(
                    f"the joint initial distribution of {', '.join(names)} needs weights >= 0 with a positive sum"
                )
            for _, vals in options:
                if len(vals) != len(names) or any(v not in (0, 1) for v in vals):
                    raise MtorsimError(
                        f"each option of the joint initial distribution of {', '.join(names)} "
                        "gives one value, 0 or 1, per node"
                    )
            groups.append(([net.index(x) for x in names], [(w / total, tuple(v)) for w, v in options]))
        g_ptr: list[int] = [0]
        g_nodes: list[int] = []
        o_ptr: list[int] = [0]
        o_cum: list[float] = []
        o_vstart: list[int] = []
        o_vals: list[int] = []
        for nodes, group_options in groups:  # a node in two groups takes the later group's draw
            for i in nodes:
                p[i] = -1.0
            g_nodes += nodes
            g_ptr.append(len(g_nodes))
            cum = 0.0
            for k, (w, vals) in enumerate(group_options):
                cum += w
                o_cum.append(1.0 if k == len(group_options) - 1 else cum)
                o_vstart.append(len(o_vals))
                o_vals += vals
            o_ptr.append(len(o_cum))
        return (
            p,
            np.asarray(g_ptr, np.int64),
            np.asarray(g_nodes, np.int64),
            np.asarray(o_ptr, np.int64),
            np.asarray(o_cum, np.float64),
            np.asarray(o_vstart, np.int64),
            np.asarray(o_vals, np.uint8),
        )


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
        value = float(t)
    except ValueError:
        raise MtorsimError(f"{what}: '{text}' is not 0, 1, 'random' or a probability such as 0.3") from None
    return _probability(value, what)


ZANUDO_CORRELATED_P = 1.0 / 3.0
"""``ranStateCorrelated`` nodes share one draw per run that is 1 with probability 1/3."""


def read_initial_file(path: str | os.PathLike, net: Network) -> InitialSpec:
    """Read ``node<TAB>value`` lines; values 0, 1, a probability, ``ranState`` (fair coin per
    node) or ``ranStateCorrelated`` (one shared draw, 1 with probability 1/3)."""
    text = read_text(path)
    values: dict[str, float] = {}
    correlated: list[str] = []
    seen: dict[str, int] = {}
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
        if name in seen:
            raise MtorsimError(
                f"{path}:{number}: {name} is given again (first on line {seen[name]}); give each node one value"
            )
        seen[name] = number
        if value.lower() == "ranstatecorrelated":
            correlated.append(name)
        else:
            values[name] = parse_value(value, f"{path}:{number}: value of {name}")
    if not seen:
        raise MtorsimError(f"{path}: gives no initial value (empty, or only comments); write 'node<TAB>value' lines")
    groups = ((tuple(correlated), ZANUDO_CORRELATED_P),) if correlated else ()
    return InitialSpec(values, groups, 0.0)
