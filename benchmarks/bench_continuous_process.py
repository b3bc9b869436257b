"""Continuous time, whole process, against cMaBoSS: what a user waits for at the shell.

    python benchmarks/bench_continuous_process.py                  # about 3 minutes
    python benchmarks/bench_continuous_process.py --runs 5000 --repeats 1
    python benchmarks/bench_continuous_process.py --json out.json

Each model is a MaBoSS .bnd with its .cfg, read by both tools from the same files: two small
hand-made ones, and corpus models of at most 64 nodes (cMaBoSS's pip build) written out by
``mtorsim convert`` with random rates (log-uniform in [0.1, 10], seeded per model), inputs
starting at random and every other node off. Both run single-threaded in a fresh process:

- mtorsim: ``mtorsim simulate X.bnd --cfg X.cfg --update continuous --threads 1 --top-states 10``
  (CSV to a file; numba's cache warm, as after the first run on a machine): the states tracked,
  as MaBoSS always does; and the same without ``--top-states``, the default for a table or CSV
  (node probabilities only, no state table);
- cMaBoSS: ``python -c`` importing cmaboss, loading the files, ``run()`` and reading the node
  probability trajectory.

Wall-clock time of the whole process (interpreter start, imports, reading, simulating, output),
best of the repeats; the ratio is cMaBoSS's time over mtorsim's. The same simulation in
process (``mtorsim.simulate``, numba loaded, in one long-lived process) is given beside it, to
separate the fixed start-up cost from the simulation. One and two threads are timed on bbm-070
in process (alternating, best of the repeats), with the states tracked and without, and identical
numbers required. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
BBM = ROOT / "tests" / "data" / "bbm"
MODELS = [
    CORPUS / "bbm-070_MAPK-CANCER-CELL-FATE.bnet",
    BBM / "bbm-014_T-LGL-SURVIVAL-NETWORK-2008.bnet",
    BBM / "bbm-275_MERGE-AML-PROGRESSION-100-273.bnet",
    BBM / "bbm-076_SENESCENCE-ASSOCIATED-SECRETORY-PHENOTYPE.bnet",
    CORPUS / "bbm-003_MAMMALIAN-CELL-CYCLE.bnet",
]
THREE = """Node A { logic = !C; rate_up = @logic ? $ua : 0; rate_down = @logic ? 0 : $da; }
Node B { logic = A; rate_up = @logic ? 1.0 : 0; rate_down = @logic ? 0 : 0.5; }
Node C { logic = B; rate_up = @logic ? 2.0 : 0; rate_down = @logic ? 0 : 1.0; }
"""
THREE_CFG = "$ua = 1.5;\n$da = 0.7;\nA.istate = 0;\nB.istate = 0;\nC.istate = 0;\n"
MABOSS = """
import sys, cmaboss
net = cmaboss.MaBoSSNet(network=sys.argv[1])
res = cmaboss.MaBoSSSim(net=net, cfg=cmaboss.MaBoSSCfg(net, sys.argv[2])).run()
probs = res.get_nodes_probtraj()[0]
"""


def settings(runs: int, max_time: float) -> str:
    return f"time_tick = 1;\nmax_time = {max_time:g};\nsample_count = {runs};\nthread_count = 1;\ndiscrete_time = 0;\n"


def corpus_bnd(path: Path, folder: Path, runs: int, max_time: float) -> tuple[Path, Path]:
    """The .bnet written as .bnd/.cfg by mtorsim convert, with random rates and settings."""
    from mtorsim.network import Network

    bnd = folder / f"{path.stem[:7]}.bnd"
    subprocess.run(
        [sys.executable, "-m", "mtorsim", "convert", str(path), str(bnd), "--force"], check=True, capture_output=True
    )
    cfg = bnd.with_suffix(".cfg")
    net = Network.load(path)
    rng = np.random.default_rng(int(re.sub(r"\D", "", path.stem[:7])))
    lines = []
    for line in cfg.read_text().splitlines():
        m = re.match(r"\$([ud])_(\S+) = ", line)
        if m:
            line = f"${m.group(1)}_{m.group(2)} = {10 ** rng.uniform(-1, 1):.4f};"
        elif line.startswith(("time_tick", "max_time", "sample_count", "thread_count", "discrete_time")):
            continue
        lines.append(line)
    inputs = {f"v_{n}" if f"v_{n}" in bnd.read_text() else n for n in net.inputs}
    lines = [
        (
            f"{line.split('.')[0]}.istate = -1;"
            if line.endswith(".istate = 0;") and line.split(".")[0] in inputs
            else line
        )
        for line in lines
    ]
    cfg.write_text("\n".join(lines) + "\n" + settings(runs, max_time))
    return bnd, cfg


def whole(cmd: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=50_000)
    ap.add_argument("--max-time", type=float, default=20.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()

    import mtorsim

    tool = str(Path(sys.executable).with_name("mtorsim"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = []
        toy = ROOT / "tests" / "data" / "maboss" / "toy.bnd"
        (folder / "toy.bnd").write_text(toy.read_text())
        toy_cfg = toy.with_suffix(".cfg").read_text()
        toy_cfg = re.sub(r"(max_time|time_tick|sample_count|discrete_time|thread_count)\s*=\s*[^;]*;", "", toy_cfg)
        (folder / "toy.cfg").write_text(toy_cfg + settings(args.runs, args.max_time))
        cases.append(("toy (5 nodes, hand-made)", folder / "toy.bnd", folder / "toy.cfg"))
        (folder / "three.bnd").write_text(THREE)
        (folder / "three.cfg").write_text(THREE_CFG + settings(args.runs, args.max_time))
        cases.append(("3-node cycle (hand-made)", folder / "three.bnd", folder / "three.cfg"))
        for path in MODELS:
            bnd, cfg = corpus_bnd(path, folder, args.runs, args.max_time)
            cases.append((path.stem[:7], bnd, cfg))
        out = folder / "out.csv"
        ours_cmd = [tool, "simulate", "", "--cfg", "", "--update", "continuous", "--threads", "1", "--format", "csv"]
        print(
            f"{args.runs:,} trajectories, max_time {args.max_time:g}, time_tick 1, one thread, whole process, "
            f"best of {args.repeats}"
        )
        print(
            f"{'model':<26} {'nodes':>5} {'mtorsim':>8} {'cMaBoSS':>8} {'ratio':>6} {'in process':>11} "
            f"{'nodes only':>11} {'ratio':>6}"
        )
        for name, bnd, cfg in cases:
            cmd = [*ours_cmd, "--out", str(out), "--force"]
            cmd[2], cmd[4] = str(bnd), str(cfg)
            whole(cmd, 1)  # compile once (numba's cache), as after the first use
            t_nodes = whole(cmd, args.repeats)
            cmd += ["--top-states", "10"]
            t_ours = whole(cmd, args.repeats)
            t_maboss = whole([sys.executable, "-c", MABOSS, str(bnd), str(cfg)], args.repeats)
            t0 = time.perf_counter()
            res = mtorsim.simulate(str(bnd), cfg=[str(cfg)], update="continuous", threads=1)
            t_in = time.perf_counter() - t0
            t0 = time.perf_counter()
            res = mtorsim.simulate(str(bnd), cfg=[str(cfg)], update="continuous", threads=1)
            t_in = min(t_in, time.perf_counter() - t0)
            nodes = len(res.nodes)
            rows.append(
                {
                    "model": name,
                    "nodes": nodes,
                    "mtorsim_s": t_ours,
                    "maboss_s": t_maboss,
                    "in_process_s": t_in,
                    "nodes_only_s": t_nodes,
                }
            )
            print(
                f"{name:<26} {nodes:>5} {t_ours:>7.2f}s {t_maboss:>7.2f}s {t_maboss / t_ours:>5.1f}x {t_in:>10.2f}s "
                f"{t_nodes:>10.2f}s {t_maboss / t_nodes:>5.1f}x"
            )
        name, bnd, cfg = cases[2]
        for top in (10, 0):  # states tracked, then node probabilities only
            best = {1: float("inf"), 2: float("inf")}
            out = {}
            for _ in range(args.repeats + 1):  # alternating, best of the repeats (the first warms up)
                for threads in (1, 2):
                    t0 = time.perf_counter()
                    out[threads] = mtorsim.simulate(
                        str(bnd), cfg=[str(cfg)], update="continuous", threads=threads, top_states=top
                    )
                    best[threads] = min(best[threads], time.perf_counter() - t0)
            one, two = out[1], out[2]
            same = bool(np.array_equal(one.mean, two.mean) and one.states == two.states)
            t1, t2 = best[1], best[2]
            print(
                f"\nthreads, {name} in process, top_states {top}: 1 thread {t1:.2f}s, 2 threads {t2:.2f}s "
                f"({t1 / t2:.2f}x); identical: {same}"
            )
            rows.append({"threads": {"model": name, "top_states": top, "one_s": t1, "two_s": t2, "identical": same}})
    if args.json:
        meta = {"python": platform.python_version(), "runs": args.runs, "max_time": args.max_time}
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
