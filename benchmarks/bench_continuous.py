"""Continuous-time simulation against MaBoSS (cmaboss, its pip build), in the same run.

    python benchmarks/bench_continuous.py              # about 2 minutes
    python benchmarks/bench_continuous.py --quick      # fewer repeats and runs
    python benchmarks/bench_continuous.py --json out.json

Both tools simulate the same model (the .bnet file, default rates 1), the same number of
trajectories and the same max_time with one thread each, and both compute what MaBoSS always
computes: node and state probabilities per time_tick window with their errors, transition and
state entropies, fixed points. Two starting conditions: every node at random (MaBoSS's default
when a .cfg sets no istate) and the usual MaBoSS setting, inputs at random and every other node
off. Timings are in process, numba compilation excluded (a warm-up call), best of the repeats;
the ratio is MaBoSS's time over ours. Models above 64 nodes (beyond the pip build of MaBoSS)
are timed for mtorsim alone, per transition, to show the cost per node does not jump. Also:
the same simulation with 2 threads (numbers must be identical) and without state probabilities.
Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BBM = ROOT / "tests" / "data" / "bbm"
MODELS = [
    "bbm-070_MAPK-CANCER-CELL-FATE",
    "bbm-014_T-LGL-SURVIVAL-NETWORK-2008",
    "bbm-275_MERGE-AML-PROGRESSION-100-273",
    "bbm-076_SENESCENCE-ASSOCIATED-SECRETORY-PHENOTYPE",
]
LARGE = [
    ROOT / "models" / "zanudo2021_mcf7" / "model.rules",
    ROOT / "tests" / "data" / "corpus" / "bbm-285_MITOCHONDRIAL-DISFUNCTION.bnet",
    ROOT / "tests" / "data" / "corpus" / "bbm-211_EPITHELIAL-DERIVED-CANCER-CELLS.bnet",
]


def _find(name: str) -> Path:
    """A benchmark model: tests/data/bbm, else the corpus copy in tests/data/corpus."""
    for folder in (BBM, ROOT / "tests" / "data" / "corpus"):
        if (folder / f"{name}.bnet").exists():
            return folder / f"{name}.bnet"
    raise SystemExit(f"{name}.bnet is in neither tests/data/bbm nor tests/data/corpus")


def best(fn, repeats: int):
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    runs = 2000 if args.quick else 10000
    repeats = 1 if args.quick else 3
    max_time, tick = 100.0, 1.0

    from mtorsim.network import Network
    from mtorsim.simulation.continuous import simulate_continuous
    from mtorsim.simulation.initial import InitialSpec

    try:
        import cmaboss
    except ImportError:
        cmaboss = None
        print("cmaboss is not installed (pip install cmaboss): mtorsim rows only")
    rows = []
    print(f"{runs} trajectories, max_time {max_time:g}, time_tick {tick:g}, one thread each, best of {repeats}")
    print(
        f"{'model':<9} {'nodes':>5} {'start':<7} {'mtorsim':>9} {'MaBoSS':>9} {'ratio':>6} {'no states':>10} "
        f"{'transitions':>12} {'ns/transition':>14}"
    )
    for name in MODELS:
        path = _find(name)
        net = Network.load(path)
        for start in ("random", "inputs"):
            if start == "random":
                init, istate = InitialSpec(default=0.5), ""
            else:
                init = InitialSpec({n: 0.5 for n in net.inputs}, default=0.0)
                istate = "".join(f"{n}.istate = {-1 if n in net.inputs else 0};" for n in net.nodes)

            def ours(track=True, threads=1, runs=runs, init=init, net=net):
                return simulate_continuous(
                    net,
                    max_time=max_time,
                    time_tick=tick,
                    runs=runs,
                    seed=1,
                    init=init,
                    threads=threads,
                    track_states=track,
                )

            ours(runs=10)  # compile
            t_ours, res = best(ours, repeats)
            t_nostates, _ = best(lambda: ours(False), repeats)
            t_maboss = None
            if cmaboss is not None:
                mnet = cmaboss.MaBoSSNet(network=str(path))
                cfg = f"time_tick = {tick}; max_time = {max_time}; sample_count = {runs}; thread_count = 1;" + istate

                def theirs(mnet=mnet, cfg=cfg):
                    return cmaboss.MaBoSSSim(net=mnet, cfg=cmaboss.MaBoSSCfg(mnet, config_str=cfg)).run()

                t_maboss, _ = best(theirs, repeats)
            ratio = t_maboss / t_ours if t_maboss else None
            row = {
                "model": name,
                "nodes": len(net),
                "start": start,
                "mtorsim_s": t_ours,
                "maboss_s": t_maboss,
                "ratio": ratio,
                "no_states_s": t_nostates,
                "transitions": res.transitions,
                "ns_per_transition": t_ours / res.transitions * 1e9,
            }
            rows.append(row)
            print(
                f"{name[:8]:<9} {len(net):>5} {start:<7} {t_ours:>8.2f}s "
                f"{(f'{t_maboss:.2f}s' if t_maboss else '-'):>9} {(f'{ratio:.1f}x' if ratio else '-'):>6} "
                f"{t_nostates:>9.2f}s {res.transitions:>12,} {row['ns_per_transition']:>14.0f}"
            )
    print("\nAbove MaBoSS's 64-node pip build (mtorsim only, inputs at random, other nodes off):")
    for path in LARGE:
        net = Network.load(path)
        init = InitialSpec({n: 0.5 for n in net.inputs}, default=0.0)

        def big(net=net, init=init, track=True):
            return simulate_continuous(
                net, max_time=max_time, time_tick=tick, runs=runs, seed=1, init=init, threads=1, track_states=track
            )

        simulate_continuous(net, max_time=1, time_tick=1, runs=5, init=init, threads=1)
        t, res = best(big, repeats)
        row = {
            "model": path.name,
            "nodes": len(net),
            "start": "inputs",
            "mtorsim_s": t,
            "transitions": res.transitions,
            "ns_per_transition": t / max(res.transitions, 1) * 1e9,
            "notes": res.notes,
        }
        rows.append(row)
        print(
            f"  {path.name[:40]:<40} {len(net):>4} nodes {t:>7.2f}s {res.transitions:>12,} transitions "
            f"{row['ns_per_transition']:>7.0f} ns/transition"
        )
    net = Network.load(_find(MODELS[0]))
    init = InitialSpec(default=0.5)
    kw = dict(max_time=max_time, time_tick=tick, runs=runs, seed=1, init=init)
    t1, one = best(lambda: simulate_continuous(net, threads=1, **kw), repeats)
    t2, two = best(lambda: simulate_continuous(net, threads=2, **kw), repeats)
    same = bool(np.array_equal(one.mean, two.mean) and one.states == two.states and np.array_equal(one.h, two.h))
    print(
        f"\nthreads: {MODELS[0][:8]} random start, 1 thread {t1:.2f}s, 2 threads {t2:.2f}s "
        f"({t1 / t2:.2f}x); identical numbers: {same}"
    )
    rows.append({"threads": {"one_s": t1, "two_s": t2, "identical": same}})
    if args.json:
        meta = {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "runs": runs,
            "max_time": max_time,
            "time_tick": tick,
        }
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
