"""Benchmark of ``mtorsim screen``: every single drug and drug pair over genotype backgrounds.

The issue asks for "a full single+pair screen of 12 drugs over 10 backgrounds on a ~60-node model
with exact attractors, under 30 s on 2 cores". mtorsim ships no such model; this uses the shipped
``zanudo2021-mcf7`` (100 nodes) and its vocabulary: all 9 drugs (1 + 9 + 36 = 46 treatments) over
10 backgrounds (wildtype and the first 9 mutations of the vocabulary), 460 cells, ``--update sync``,
with ``--method fixed-points`` (exact: every fixed point, by ASP) and ``--method auto``, each with
``--jobs 2`` and ``--jobs 1``. Each run is a whole ``mtorsim`` process (load, JIT from the numba
cache, cells, JSON output), timed from the outside; a run over ``--timeout`` seconds is stopped
and reported as such.

    python benchmarks/bench_screen.py                  # 4 configurations, 1 repeat each
    python benchmarks/bench_screen.py --repeats 3 --json out.json
    python benchmarks/bench_screen.py --dask           # also through a local 2-worker Dask cluster
    python benchmarks/bench_screen.py --db             # also store every cell in SQLite (--db)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODEL = "zanudo2021-mcf7"
N_BACKGROUNDS = 10  # wildtype + 9 mutations


def mtorsim_exe() -> str:
    exe = Path(sys.executable).with_name("mtorsim")
    return str(exe) if exe.exists() else "mtorsim"


def backgrounds() -> list[str]:
    from mtorsim.cli.scenario import _load

    _, vocab = _load(MODEL, None, False, None)
    return ["wildtype", *list(vocab.mutations)[: N_BACKGROUNDS - 1]]


def command(method: str, jobs: int, bgs: list[str], scheduler: str | None = None, db: str | None = None) -> list[str]:
    cmd = [mtorsim_exe(), "screen", MODEL, "--update", "sync", "--method", method, "--format", "json"]
    for b in bgs:
        cmd += ["--background", b]
    cmd += ["--scheduler", scheduler] if scheduler else ["--jobs", str(jobs)]
    if db:
        cmd += ["--db", db, "--force"]
    return cmd


def run(cmd: list[str], timeout: float) -> dict:
    t0 = time.perf_counter()
    # own session, so a timeout also stops the --jobs worker processes of the screen
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"seconds": None, "timed_out": True}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    data = json.loads(out)
    results = data["results"]
    return {
        "seconds": wall,
        "timed_out": False,
        "cells": len(results),
        "incomplete": sum(not r["complete"] for r in results),
        "results": results,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300, help="seconds per run before it is stopped")
    ap.add_argument("--methods", default="fixed-points,auto")
    ap.add_argument("--jobs", default="2,1")
    ap.add_argument("--dask", action="store_true", help="also run through a local Dask cluster (2 workers)")
    ap.add_argument("--db", action="store_true", help="also run --jobs 2 with --db (every cell stored in SQLite)")
    ap.add_argument("--json", dest="json_out", default=None)
    args = ap.parse_args()

    bgs = backgrounds()
    print(
        f"model {MODEL}; backgrounds: {', '.join(bgs)}; cpu count {os.cpu_count()}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    configs = [(m, int(j), None, False) for m in args.methods.split(",") for j in args.jobs.split(",")]
    cluster = None
    if args.dask:
        from dask.distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        )
        configs += [(m, 0, cluster.scheduler_address, False) for m in args.methods.split(",")]
    if args.db:
        configs += [(m, 2, None, True) for m in args.methods.split(",")]
    rows, reference = [], {}
    tmp = tempfile.mkdtemp(prefix="bench_screen_")
    try:
        for method, jobs, scheduler, use_db in configs:
            db = os.path.join(tmp, "screen.sqlite") if use_db else None
            cmd = command(method, jobs, bgs, scheduler, db)
            times, last = [], None
            for _ in range(args.repeats):
                last = run(cmd, args.timeout)
                if last["timed_out"]:
                    break
                times.append(last["seconds"])
            how = ("dask, 2 workers" if scheduler else f"--jobs {jobs}") + (" --db" if use_db else "")
            if last["timed_out"]:
                print(f"{method:<13} {how:<18} stopped after {args.timeout:.0f} s")
                rows.append({"method": method, "how": how, "timed_out": True, "timeout": args.timeout})
                continue
            same = None
            if method in reference:
                same = last["results"] == reference[method]
            else:
                reference[method] = last["results"]
            best, med = min(times), statistics.median(times)
            print(
                f"{method:<13} {how:<18} {last['cells']} cells  best {best:6.2f} s  median {med:6.2f} s  "
                f"{last['cells'] / best:6.1f} cells/s  incomplete {last['incomplete']}"
                + ("" if same is None else f"  results identical to the first run: {same}")
            )
            rows.append(
                {
                    "method": method,
                    "how": how,
                    "command": " ".join(cmd[1:]),
                    "cells": last["cells"],
                    "seconds": times,
                    "best": best,
                    "median": med,
                    "cells_per_s": last["cells"] / best,
                    "incomplete": last["incomplete"],
                    "same_results": same,
                    "timed_out": False,
                }
            )
    finally:
        if cluster is not None:
            cluster.close()
    print("command:", " ".join(["mtorsim", *command("METHOD", 2, bgs)[1:]]))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"backgrounds": bgs, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
