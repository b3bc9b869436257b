"""The bit-parallel kernels side by side with the vectorised numpy references and the per-run
kernels, in one run (issue 11's targets). From the repository root:

    python benchmarks/bench_bits.py                 # about 3 minutes
    python benchmarks/bench_bits.py --json out.json

1. sync, bbm-211 (183 nodes), 100,000 runs x 1,000 steps, random initial states: whole
   ``mtorsim simulate`` process against the whole ``numpy_sync.py`` process; compute alone
   (in process, JIT warm) at 1 and 2 threads against numpy's compute; the per-run kernel on
   10,000 runs (its rate).
2. async with rates, Zañudo MCF7 alpelisib (10,000 runs x 25 time units): whole process
   against ``numpy_async.py``; compute alone, bit-parallel (1, 2 threads) and per-run.
3. Scaling (sync, 100 steps): runs 1e3..1e6 on bbm-211; nodes 10..1,000 on random networks
   (three regulators per node, 100,000 runs); threads 1 and 2. Node updates per second.

Timings are the best of several repeats. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
CORPUS = ROOT.parent / "shared" / "corpus"
BBM211 = next(CORPUS.glob("bbm-211_*.bnet"), None) or next((ROOT / "tests" / "data").rglob("bbm-211_*.bnet"))
MCF7 = ROOT / "models" / "zanudo2021_mcf7"


def best(fn, repeats: int = 3) -> float:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def process(cmd: list[str], repeats: int = 3) -> float:
    return best(lambda: subprocess.run(cmd, check=True, capture_output=True), repeats)


def mtorsim_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "mtorsim", *map(str, args)]


def random_network(n: int, seed: int = 0):
    from mtorsim.formats.ast import And, Not, Or, Rule, Var
    from mtorsim.network import Network

    rng = random.Random(seed)
    rules = []
    for i in range(n):
        regs = [Var(f"X{rng.randrange(n)}") for _ in range(3)]
        lits = [Not(r) if rng.random() < 0.3 else r for r in regs]
        expr = Or((And((lits[0], lits[1])), lits[2])) if rng.random() < 0.5 else And((Or((lits[0], lits[1])), lits[2]))
        rules.append(Rule(f"X{i}", expr))
    return Network.from_rules(rules)


def sync_target() -> dict:
    import numpy_sync

    from mtorsim.network import Network
    from mtorsim.simulation.discrete import simulate
    from mtorsim.simulation.initial import InitialSpec

    net = Network.load(BBM211)
    runs, steps = 100_000, 1_000
    init = InitialSpec(default=0.5)
    simulate(net, "sync", length=5, runs=200, init=init)  # JIT / cache load
    simulate(net, "sync", length=5, runs=200, init=init, kernel="per-run")
    res = {"job": f"sync {BBM211.stem[:7]} ({len(net)} nodes), {runs:,} runs x {steps:,} steps"}
    res["mtorsim_process_s"] = process(
        mtorsim_cmd("simulate", BBM211, "--runs", runs, "--steps", steps, "--init-default", "0.5")
    )
    res["numpy_process_s"] = process(
        [sys.executable, str(ROOT / "benchmarks" / "numpy_sync.py"), str(BBM211), str(runs), str(steps)]
    )
    for th in (1, 2):
        res[f"bits_compute_s_{th}t"] = best(
            lambda th=th: simulate(net, "sync", length=steps, runs=runs, init=init, threads=th)
        )
    res["numpy_compute_s"] = min(numpy_sync.main(str(BBM211), runs, steps)[0] for _ in range(3))
    per_run = best(lambda: simulate(net, "sync", length=steps, runs=10_000, init=init, kernel="per-run"), 1)
    res["per_run_compute_s_extrapolated"] = per_run * runs / 10_000
    updates = len(net) * runs * steps
    res["bits_updates_per_s"] = updates / res["bits_compute_s_2t"]
    res["ratio_process"] = res["numpy_process_s"] / res["mtorsim_process_s"]
    res["ratio_compute"] = res["numpy_compute_s"] / res["bits_compute_s_2t"]
    return res


def async_target() -> dict:
    import numpy_async

    from mtorsim.network import Network
    from mtorsim.simulation.discrete import simulate
    from mtorsim.simulation.initial import read_initial_file
    from mtorsim.simulation.rates import slow_fast_rates

    net = Network.load(MCF7 / "model.rules")
    init = read_initial_file(MCF7 / "initial.txt", net)
    rates = slow_fast_rates(MCF7 / "slow_nodes.txt", net, 5)
    runs, length = 10_000, 25
    kw = dict(length=length, runs=runs, init=init, rates=rates, fixed={"Alpelisib": 1})
    simulate(net, "async", **{**kw, "runs": 100})
    simulate(net, "async", **{**kw, "runs": 100}, kernel="per-run")
    res = {"job": f"async Zañudo MCF7 alpelisib ({len(net)} nodes), {runs:,} runs x {length} time units"}
    res["mtorsim_process_s"] = process(
        mtorsim_cmd("simulate", "zanudo2021-mcf7", "--set", "Alpelisib=1", "--runs", runs)
    )
    args = [
        str(MCF7 / "model.rules"),
        str(MCF7 / "initial.txt"),
        str(MCF7 / "slow_nodes.txt"),
        "5",
        str(runs),
        str(length),
        "Alpelisib=1",
    ]
    res["numpy_process_s"] = process([sys.executable, str(ROOT / "benchmarks" / "numpy_async.py"), *args], 1)
    for th in (1, 2):
        res[f"bits_compute_s_{th}t"] = best(lambda th=th: simulate(net, "async", **kw, threads=th))
    res["per_run_compute_s"] = best(lambda: simulate(net, "async", **kw, kernel="per-run"), 2)
    seconds, means = numpy_async.main(*args[:3], 5.0, runs, length, {"Alpelisib": 1})
    res["numpy_compute_s"] = seconds
    ours = simulate(net, "async", **kw).mean
    res["max_mean_difference_vs_numpy"] = float(np.abs(ours[-1] - means[-1]).max())  # two samplers: ~0.02
    res["ratio_process"] = res["numpy_process_s"] / res["mtorsim_process_s"]
    res["ratio_compute"] = res["numpy_compute_s"] / res["bits_compute_s_2t"]
    return res


def scaling() -> list[dict]:
    from mtorsim.network import Network
    from mtorsim.simulation.discrete import simulate
    from mtorsim.simulation.initial import InitialSpec

    init = InitialSpec(default=0.5)
    rows = []
    net = Network.load(BBM211)
    jobs = [("runs", net, r) for r in (1_000, 10_000, 100_000, 1_000_000)]
    jobs += [("nodes", random_network(n), 100_000) for n in (10, 30, 100, 300, 1_000)]
    for what, net, runs in jobs:
        simulate(net, "sync", length=2, runs=100, init=init)
        row = {"vary": what, "nodes": len(net), "runs": runs, "steps": 100}
        for th in (1, 2):
            s = best(
                lambda net=net, runs=runs, th=th: simulate(net, "sync", length=100, runs=runs, init=init, threads=th), 2
            )
            row[f"s_{th}t"] = s
            row[f"updates_per_s_{th}t"] = len(net) * runs * 100 / s
        rows.append(row)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    out = {"sync": sync_target(), "async": async_target(), "scaling": scaling()}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
