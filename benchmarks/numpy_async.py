"""The vectorised numpy reference for asynchronous simulation with rates (issue 11's yardstick).

All runs advance together: at each single-node step every run draws its node in proportion to
the rates, and each node's rule is evaluated (numpy, over the runs that drew it) on boolean
arrays of shape (runs,). Initial states and rates as mtorsim reads them. Usage:
python benchmarks/numpy_async.py MODEL INIT_FILE SLOW_FILE FAST_RATIO RUNS TIME [NODE=V ...]
(prints the seconds spent computing, after parsing).
"""

import sys
import time

import numpy as np

from mtorsim.formats.ast import And, Const, Not, Var
from mtorsim.network import Network
from mtorsim.simulation.initial import read_initial_file
from mtorsim.simulation.rates import slow_fast_rates, steps_per_time_unit


def ev(e, state, index, idx):
    if isinstance(e, Var):
        return state[index[e.name], idx]
    if isinstance(e, Const):
        return np.full(len(idx), bool(e.value))
    if isinstance(e, Not):
        return ~ev(e.arg, state, index, idx)
    vals = [ev(a, state, index, idx) for a in e.args]
    out = vals[0].copy()
    for v in vals[1:]:
        out = out & v if isinstance(e, And) else out | v
    return out


def main(model, init_file, slow, ratio, runs, length, fixed, seed=0):
    net = Network.load(model)
    index = {n: i for i, n in enumerate(net.nodes)}
    init = read_initial_file(init_file, net)
    rates = slow_fast_rates(slow, net, ratio)
    rng = np.random.default_rng(seed)
    p = np.array([init.values.get(n, init.default) for n in net.nodes], dtype=float)
    state = rng.random((len(net), runs)) < p[:, None]
    for members, q in init.groups:  # correlated: one draw per run for the whole group
        on = rng.random(runs) < q
        for name in members:
            state[index[name]] = on
    held = {index[k]: bool(v) for k, v in fixed.items()}
    for i, v in held.items():
        state[i] = v
    steps_per_unit = int(round(steps_per_time_unit(rates)))
    cum = np.cumsum(rates / rates.sum())
    means = [state.mean(axis=1)]
    t = time.perf_counter()
    for _unit in range(int(length)):
        for _ in range(steps_per_unit):
            choice = np.searchsorted(cum, rng.random(runs), side="right")
            order = np.argsort(choice, kind="stable")
            bounds = np.searchsorted(choice[order], np.arange(len(net) + 1))
            for i in range(len(net)):
                idx = order[bounds[i] : bounds[i + 1]]
                if len(idx) and i not in held:
                    state[i, idx] = ev(net.rules[i], state, index, idx)
        means.append(state.mean(axis=1))
    return time.perf_counter() - t, np.array(means)


if __name__ == "__main__":
    fixed = dict((a.split("=")[0], int(a.split("=")[1])) for a in sys.argv[7:])
    seconds, _ = main(
        sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), fixed
    )
    print(f"{seconds:.3f}")
