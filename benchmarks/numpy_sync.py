"""The vectorised numpy reference for synchronous simulation (issue 11's yardstick).

Every node of every run at every step, on runs packed 64 to a uint64 word: a rule is evaluated
as bitwise numpy operations over all words at once. Random initial states, the mean activity
of each node recorded at every step. Usage: python benchmarks/numpy_sync.py MODEL.bnet RUNS STEPS
(prints the seconds spent computing, after parsing).
"""

import sys
import time

import numpy as np

from mtorsim.formats.ast import And, Const, Not, Var
from mtorsim.network import Network


def step(rules, index, state, ones):
    def ev(e):
        if isinstance(e, Var):
            return state[index[e.name]]
        if isinstance(e, Const):
            return ones if e.value else ~ones
        if isinstance(e, Not):
            return ~ev(e.arg)
        vals = [ev(a) for a in e.args]
        out = vals[0].copy()
        for v in vals[1:]:
            out = out & v if isinstance(e, And) else out | v
        return out

    return np.stack([ev(r) for r in rules])


def main(path, runs, steps, seed=0):
    net = Network.load(path)
    index = {n: i for i, n in enumerate(net.nodes)}
    words = -(-runs // 64)
    rng = np.random.default_rng(seed)
    state = rng.integers(0, 2**64, size=(len(net), words), dtype=np.uint64, endpoint=False)
    ones = np.full(words, np.uint64(2**64 - 1))
    tail = np.uint64(2**64 - 1) if runs % 64 == 0 else np.uint64((1 << (runs % 64)) - 1)
    means = np.empty((steps + 1, len(net)))
    t = time.perf_counter()
    for s in range(steps + 1):
        if s:
            state = step(net.rules, index, state, ones)
        state[:, -1] &= tail
        means[s] = np.bitwise_count(state).sum(axis=1) / runs
    return time.perf_counter() - t, means


if __name__ == "__main__":
    seconds, _ = main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    print(f"{seconds:.3f}")
