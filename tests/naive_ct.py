"""A plain-Python continuous-time (Gillespie) simulator, the reference for ``kernels.gillespie``.

One run at a time on lists, rates from Python functions, the same random draws in the same
order as the kernel (the initial state as ``naive.NaiveModel``; then per transition one uniform
for the waiting time, unless time is discrete, and one for the node). It returns per-window
on-fractions and the state at ``max_time``; nothing from the kernels or compilers is used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from naive import NaiveModel, SplitMix64


def run(
    model: NaiveModel,
    rate: Callable[[int, list[int]], float],
    seed: int,
    max_time: float,
    tick: float,
    discrete: bool = False,
) -> tuple[list[list[float]], list[int], bool]:
    """(fraction of each window each node is on, final state, fixed point reached)."""
    rng = SplitMix64(seed)
    state = model.initial_state(rng)
    windows = int(max_time / tick)
    frac = [[0.0] * len(model) for _ in range(windows)]
    t = 0.0
    reached = False

    def credit(a: float, b: float) -> None:
        for w in range(windows):
            lo, hi = max(a, w * tick), min(b, (w + 1) * tick)
            if hi > lo:
                for i, v in enumerate(state):
                    if v:
                        frac[w][i] += (hi - lo) / tick

    while True:
        rates = [rate(i, state) for i in range(len(model))]
        total = sum(rates)
        if total > 0:
            dt = tick if discrete else -math.log(1.0 - rng.next_double()) / total
            t_next = t + dt
        else:
            t_next = math.inf
        cut = min(t_next, max_time)
        credit(t, cut)
        if cut >= max_time:
            reached = total == 0
            break
        x = rng.next_double() * total
        chosen = None
        for i, r in enumerate(rates):
            if r > 0:
                chosen = i
                if x < r:
                    break
                x -= r
        state[chosen] = 1 - state[chosen]
        t = t_next
    return frac, state, reached


def default_rate(
    model: NaiveModel, speeds: Sequence[float] | None = None, holds: dict[int, tuple[int, float]] | None = None
) -> Callable[[int, list[int]], float]:
    """Node i moves towards its rule's value at ``speeds[i]`` (1); a hold (value, efficacy)
    keeps (1 - e) of that and pushes towards the value at e times the speed."""
    from naive import eval_expr

    speeds = list(speeds) if speeds is not None else [1.0] * len(model)
    holds = holds or {}

    def rate(i: int, state: list[int]) -> float:
        target = eval_expr(model.rules[i], lambda name: state[model.index[name]])
        r = speeds[i] if target != state[i] else 0.0
        if i in holds:
            value, e = holds[i]
            if e >= 1:
                return 0.0
            r = (1 - e) * r + (e * speeds[i] if state[i] != value else 0.0)
        return r

    return rate
