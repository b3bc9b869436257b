"""Exact probabilities of a small continuous-time Markov chain, for the continuous-time tests.

The generator is built from plain Python rate functions (written by hand in each test), the
transient distribution comes from a matrix exponential (scaling and squaring with a Taylor
series) and window averages from Simpson's rule on a fine grid: no mtorsim code is used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def expm(a: np.ndarray) -> np.ndarray:
    norm = float(np.abs(a).sum(axis=1).max())
    s = max(0, int(np.ceil(np.log2(norm))) + 1) if norm > 0 else 0
    b = a / (2.0**s)
    out = np.eye(len(a))
    term = np.eye(len(a))
    for k in range(1, 30):
        term = term @ b / k
        out = out + term
    for _ in range(s):
        out = out @ out
    return out


def generator(n: int, rate: Callable[[int, list[int]], float]) -> np.ndarray:
    """Q over states 0..2^n-1 (bit i = node i); ``rate(i, state)`` is node i's flip rate."""
    size = 1 << n
    q = np.zeros((size, size))
    for x in range(size):
        s = [(x >> i) & 1 for i in range(n)]
        for i in range(n):
            r = rate(i, s)
            if r:
                q[x, x ^ (1 << i)] += r
        q[x, x] = -q[x].sum()
    return q


def window_means(q: np.ndarray, p0: Sequence[float], tick: float, windows: int, sub: int = 200) -> np.ndarray:
    """``out[w, x]``: the probability of state x averaged over [w tick, (w + 1) tick)."""
    dt = tick / sub
    step = expm(q * dt)
    p = np.asarray(p0, dtype=float)
    weights = np.ones(sub + 1)
    weights[1:-1:2] = 4
    weights[2:-1:2] = 2
    out = []
    for _ in range(windows):
        values = [p]
        for _ in range(sub):
            p = p @ step
            values.append(p)
        out.append((weights[:, None] * np.array(values)).sum(axis=0) * dt / 3 / tick)
    return np.array(out)


def node_means(state_probs: np.ndarray, n: int) -> np.ndarray:
    """Per window, the probability that each node is on."""
    size = state_probs.shape[1]
    on = np.array([[(x >> i) & 1 for i in range(n)] for x in range(size)], dtype=float)
    return state_probs @ on
