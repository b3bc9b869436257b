"""Speed measurements for mtorsim, side by side with BooleanNet where it applies.

Run from the repository root:

    python benchmarks/bench_simulate.py            # full run (about 2 minutes)
    python benchmarks/bench_simulate.py --quick    # smaller run (under 30 s)
    python benchmarks/bench_simulate.py --json results.json

What is measured (see benchmarks/README.md for the numbers and their caveats):

1. sync throughput (node updates per second, one core) on the 100-node Zanudo MCF7 model and
   the 183-node bbm-211 corpus model; JIT time measured in fresh subprocesses with an empty
   (cold) and a populated (warm) NUMBA_CACHE_DIR.
2. The Zanudo MCF7 alpelisib scenario (async with slow/fast rates, 10,000 runs x 25 time units),
   in process (JIT excluded) and as the equivalent ``mtorsim simulate`` command (whole process).
3. ``mtorsim --help`` wall time and the modules it imports (numba and matplotlib must not be
   among them); a second ``mtorsim simulate`` process compiles nothing.
4. BooleanNet (peer, optional): its own engine on the same MCF7 model in sync and async
   (random-order) modes, per-run-step throughput and the ratio; a state-by-state check that
   both tools give the same sync trajectories from the same initial states.

Timings are repeated; the table shows the best and the median. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ZANUDO = ROOT / "tests" / "data" / "zanudo2021"
MCF7 = ZANUDO / "BreastCancerModel_ZanudoEtAl2020_MCF7.booleannet"
MCF7_INIT = ZANUDO / "BreastCancerModel_ZanudoEtAl2020_MCF7_InitialConditions.txt"
MCF7_SLOW = ZANUDO / "BreastCancerModel_ZanudoEtAl2020_MCF7_SlowFastNodes.txt"
BBM211 = ROOT / "tests" / "data" / "corpus" / "bbm-211_EPITHELIAL-DERIVED-CANCER-CELLS.bnet"

SYNC_TARGET = 1e8  # node updates per second, one core
ASYNC_TARGET_S = 2.0  # seconds for the 10,000-run alpelisib scenario, JIT excluded
HELP_TARGET_S = 0.5

CLI_ARGS = ["simulate", "zanudo2021-mcf7", "--set", "Alpelisib=1", "--runs", "10000", "--format", "json"]


# -- helpers ---------------------------------------------------------------------------------


def timed(fn, repeats: int) -> tuple[list[float], list[float], object]:
    """Wall and CPU seconds of ``repeats`` calls; returns (walls, cpus, last result)."""
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls, cpus, out


def summary(walls: list[float]) -> dict:
    return {"best": min(walls), "median": statistics.median(walls), "all": walls}


def mtorsim_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m mtorsim``."""
    script = Path(sys.executable).with_name("mtorsim")
    if script.exists():
        return [str(script)]
    found = shutil.which("mtorsim")
    return [found] if found else [sys.executable, "-m", "mtorsim"]


def run_process(cmd: list[str], env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return wall, proc


def child_env(cache_dir: str | None = None, **extra: str) -> dict:
    env = dict(os.environ)
    env.pop("MTORSIM_NUMBA_CACHE", None)  # the default: kernels cached on disk
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    env.update(extra)
    return env


def cache_snapshot(cache_dir: str) -> dict[str, tuple[int, int]]:
    """Every file under the numba cache dir with its (mtime_ns, size): a compile rewrites them."""
    out = {}
    for p in Path(cache_dir).rglob("*"):
        if p.is_file():
            st = p.stat()
            out[str(p.relative_to(cache_dir))] = (st.st_mtime_ns, st.st_size)
    return out


def source_state() -> dict:
    """The commit measured, uncommitted changes under mtorsim/, and a fingerprint of the sources
    (others may edit the kernels while this runs; a change invalidates the numba cache)."""

    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], capture_output=True, text=True, cwd=ROOT).stdout.strip()
        except OSError:
            return ""

    stamp = {
        str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((ROOT / "mtorsim").rglob("*.py"))
    }
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": git("status", "--porcelain", "--", "mtorsim").splitlines(),
        "stamp": stamp,
    }


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numba

    facts = {
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numba": numba.__version__,
        "numpy": np.__version__,
        "loadavg_start": os.getloadavg(),
    }
    try:
        from importlib.metadata import version

        facts["booleannet"] = version("booleannet")
    except Exception:
        facts["booleannet"] = None
    return facts


# -- 1. sync throughput ----------------------------------------------------------------------


def bench_sync(cfg: dict) -> dict:
    from mtorsim.network import Network
    from mtorsim.simulation.discrete import simulate
    from mtorsim.simulation.initial import InitialSpec

    out = {}
    runs, steps = cfg["sync_runs"], 100
    for label, path, every_values in (("mcf7", MCF7, (100, 1)), ("bbm211", BBM211, (100,))):
        net = Network.load(path)
        n = len(net)
        for every in every_values:

            def call(net=net, every=every):
                return simulate(net, "sync", length=steps, runs=runs, init=InitialSpec(default=0.5), every=every)

            simulate(net, "sync", length=steps, runs=10, init=InitialSpec(default=0.5), every=every)  # warm-up (JIT)
            walls, cpus, _ = timed(call, cfg["repeats"])
            key = f"sync_{label}" + ("" if every == 100 else f"_every{every}")
            out[key] = {
                "model": path.name,
                "nodes": n,
                "runs": runs,
                "steps": steps,
                "every": every,
                "seconds": summary(walls),
                "cpu_seconds": summary(cpus),
                "updates_per_s_best": runs * steps * n / min(walls),
                "updates_per_s_median": runs * steps * n / statistics.median(walls),
                "cpu_over_wall": sum(cpus) / sum(walls),
            }
    return out


JIT_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from mtorsim.simulation.initial import InitialSpec, read_initial_file
from mtorsim.network import Network
from mtorsim.simulation.rates import slow_fast_rates
from mtorsim.simulation.discrete import simulate
t1 = time.perf_counter()
import mtorsim.kernels.trajectories  # loads numba; the kernels compile lazily at first call
t2 = time.perf_counter()
scheme, model, init_file, slow_file = sys.argv[1:5]
net = Network.load(model)
if scheme == "sync":
    kw = dict(update="sync", length=100, runs=10, init=InitialSpec(default=0.5), every=100)
else:
    kw = dict(update="async", length=25, runs=10, init=read_initial_file(init_file, net), fixed={"Alpelisib": 1},
              rates=slow_fast_rates(slow_file, net, 5))
t3 = time.perf_counter()
simulate(net, **kw)
t4 = time.perf_counter()
simulate(net, **kw)
t5 = time.perf_counter()
print(json.dumps({"import_mtorsim": t1 - t0, "import_kernels": t2 - t1, "first_call": t4 - t3, "second_call": t5 - t4}))
"""


def bench_jit(scheme: str, repeats: int) -> dict:
    """First-call time in fresh processes: empty numba cache (compile) and populated (load)."""
    cold, warm, rewrote = [], [], 0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="mtorsim-numba-") as cache:
            cmd = [sys.executable, "-c", JIT_CHILD, scheme, str(MCF7), str(MCF7_INIT), str(MCF7_SLOW)]
            wall, proc = run_process(cmd, child_env(cache))
            cold.append({"process_wall": wall, **json.loads(proc.stdout)})
            before = cache_snapshot(cache)
            wall, proc = run_process(cmd, child_env(cache))
            warm.append({"process_wall": wall, **json.loads(proc.stdout)})
            rewrote += cache_snapshot(cache) != before

    def agg(rows: list[dict]) -> dict:
        return {k: summary([r[k] for r in rows]) for k in rows[0]}

    return {
        "scheme": scheme,
        "cold_cache": agg(cold),
        "warm_cache": agg(warm),
        "warm_runs_that_rewrote_the_cache": rewrote,
        "note": "first_call = compile (cold) or cache load (warm) + 10 runs; second_call = the same 10 runs again",
    }


# -- 2. the Zanudo MCF7 alpelisib scenario -------------------------------------------------------


def bench_async(cfg: dict) -> dict:
    from mtorsim.network import Network
    from mtorsim.simulation.discrete import simulate
    from mtorsim.simulation.initial import read_initial_file
    from mtorsim.simulation.rates import slow_fast_rates, steps_per_time_unit

    net = Network.load(MCF7)
    init = read_initial_file(MCF7_INIT, net)
    rates = slow_fast_rates(MCF7_SLOW, net, 5)
    runs, length = cfg["async_runs"], 25

    def call(runs=runs):
        return simulate(net, "async", length=length, runs=runs, init=init, fixed={"Alpelisib": 1}, rates=rates)

    t0 = time.perf_counter()
    call(10)  # warm-up: JIT (or cache load) in this process
    first = time.perf_counter() - t0
    walls, cpus, res = timed(call, cfg["async_repeats"])
    unit = steps_per_time_unit(rates)
    updates = runs * round(length * unit)
    return {
        "runs": runs,
        "time_units": length,
        "steps_per_time_unit": unit,
        "single_node_updates": updates,
        "seconds": summary(walls),
        "cpu_seconds": summary(cpus),
        "updates_per_s_best": updates / min(walls),
        "cpu_over_wall": sum(cpus) / sum(walls),
        "first_call_in_this_process": first,
        "AKT_at_25": float(res.mean[-1, net.index("AKT")]),
    }


def bench_cli(cfg: dict) -> dict:
    """The whole ``mtorsim simulate`` process: cold numba cache, then later processes on it."""
    cmd = mtorsim_command() + CLI_ARGS
    cold, warm, recompiled = [], [], []
    for _ in range(cfg["cli_cold_repeats"]):
        with tempfile.TemporaryDirectory(prefix="mtorsim-numba-") as cache:
            wall, _ = run_process(cmd, child_env(cache))
            cold.append(wall)
            for _ in range(cfg["cli_warm_repeats"]):
                before = cache_snapshot(cache)
                wall, proc = run_process(cmd, child_env(cache))
                warm.append(wall)
                recompiled.append(cache_snapshot(cache) != before)
    json.loads(proc.stdout)  # the output is valid JSON
    return {
        "command": "mtorsim " + " ".join(CLI_ARGS),
        "cold_cache": summary(cold),
        "warm_cache": summary(warm),
        "warm_processes_that_rewrote_the_cache": sum(recompiled),
        "warm_processes": len(recompiled),
    }


# -- 3. --help ---------------------------------------------------------------------------------

HELP_CHILD = r"""
import atexit, sys
def report():
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("numba", "matplotlib", "numpy", "llvmlite"))
    sys.stderr.write("HEAVY " + ",".join(heavy) + "\n")
atexit.register(report)
sys.argv = ["mtorsim", "--help"]
from mtorsim.cli.main import main
main()
"""


def bench_help(cfg: dict) -> dict:
    cmd = mtorsim_command() + ["--help"]
    walls = [run_process(cmd)[0] for _ in range(cfg["help_repeats"])]
    bare = [run_process([sys.executable, "-c", "pass"])[0] for _ in range(cfg["help_repeats"])]
    _, proc = run_process([sys.executable, "-X", "importtime", "-c", HELP_CHILD])
    imported, cumulative = set(), {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s*(\d+)\s*\|\s*(\d+)\s*\|(\s*)(\S+)", line)
        if m:
            name = m.group(4)
            imported.add(name.split(".")[0])
            if len(m.group(3)) == 1:  # top level: no nesting indent
                cumulative[name] = int(m.group(2)) / 1e6
    heavy_line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("HEAVY ")), "HEAVY ")
    heavy = [m for m in heavy_line[6:].split(",") if m]
    top = sorted(cumulative.items(), key=lambda kv: -kv[1])[:5]
    return {
        "command": "mtorsim --help",
        "seconds": summary(walls),
        "python_c_pass": summary(bare),
        "imports_numba": "numba" in imported or any(m.startswith("numba") for m in heavy),
        "imports_matplotlib": "matplotlib" in imported or any(m.startswith("matplotlib") for m in heavy),
        "imports_numpy": "numpy" in imported,
        "heavy_modules_in_sys_modules": heavy,
        "slowest_top_level_imports_s": top,
    }


# -- 4. BooleanNet -----------------------------------------------------------------------------


def import_booleannet():
    """BooleanNet copies a models database to ~/.config/bnet on import; point HOME at a temp dir."""
    home = os.environ.get("HOME")
    with tempfile.TemporaryDirectory(prefix="bench-bnet-home-") as tmp:
        os.environ["HOME"] = tmp
        try:
            import booleannet  # the copy happens here, once; nothing reads it afterwards
        finally:
            if home is None:
                del os.environ["HOME"]
            else:
                os.environ["HOME"] = home
    return booleannet


_CONST = re.compile(r"(?<![A-Za-z0-9_+\-])([01])(?![A-Za-z0-9_+\-])")


def booleannet_text(rules_text: str, init: str | dict | None = None, nodes=()) -> str:
    """BooleanNet text: its grammar has no 0/1 constants (True/False instead) and takes initial
    values as ``Node = True|False|Random`` lines."""
    body = [ln.strip() for ln in rules_text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    body = [_CONST.sub(lambda m: "True" if m.group(1) == "1" else "False", ln) for ln in body]
    if init == "random":
        head = [f"{n} = Random" for n in nodes]
    elif isinstance(init, dict):
        head = [f"{n} = {bool(v)}" for n, v in init.items()]
    else:
        head = []
    return "\n".join(head + body) + "\n"


def check_same_sync(bn, cfg: dict) -> list[dict]:
    """Same initial state -> same sync trajectory, state by state (MCF7 as written; bbm-211 via
    mtorsim's own BooleanNet writer)."""
    from mtorsim.formats.io import format_rules
    from mtorsim.network import Network
    from mtorsim.simulation.discrete import simulate
    from mtorsim.simulation.initial import InitialSpec

    results = []
    rng = random.Random(12345)
    for label, path in (("mcf7", MCF7), ("bbm211", BBM211)):
        net = Network.load(path)
        text = MCF7.read_text() if label == "mcf7" else format_rules(net.as_rules(), "rules")
        steps, mismatched, first_bad = 30, 0, None
        for k in range(cfg["check_inits"]):
            init = {n: rng.random() < 0.5 for n in net.nodes}
            model = bn.Model(text=booleannet_text(text, init, net.nodes), mode="sync")
            model.initialize()
            model.iterate(steps=steps)
            traj = simulate(
                net,
                "sync",
                length=steps,
                runs=1,
                init=InitialSpec(values={n: int(v) for n, v in init.items()}),
                every=1,
            ).trajectory
            for t in range(steps + 1):
                diff = [n for i, n in enumerate(net.nodes) if int(model.states[t][n]) != int(traj[t, i])]
                if diff:
                    mismatched += 1
                    first_bad = first_bad or {"init": k, "step": t, "nodes": diff[:10]}
        results.append(
            {
                "model": path.name,
                "nodes": len(net),
                "initial_states": cfg["check_inits"],
                "steps": steps,
                "states_compared": cfg["check_inits"] * (steps + 1),
                "states_differing": mismatched,
                "first_difference": first_bad,
            }
        )
    return results


def bench_booleannet(cfg: dict, sync_result: dict) -> dict:
    try:
        bn = import_booleannet()
    except ImportError as exc:
        return {"available": False, "reason": str(exc)}
    from mtorsim.network import Network
    from mtorsim.simulation.discrete import simulate
    from mtorsim.simulation.initial import InitialSpec

    net = Network.load(MCF7)
    n, steps = len(net), 100
    text = booleannet_text(MCF7.read_text(), "random", net.nodes)
    out = {"available": True, "version": bn.__version__, "sync_check": check_same_sync(bn, cfg)}
    random.seed(2024)
    for bn_mode, mt_mode in (("sync", "sync"), ("async", "random-order")):
        t0 = time.perf_counter()
        model = bn.Model(text=text, mode=bn_mode)
        build = time.perf_counter() - t0
        batches, finals = [], []
        for _ in range(cfg["bn_batches"]):
            t0 = time.perf_counter()
            for _ in range(cfg["bn_runs_per_batch"]):
                model.initialize()  # draws the 'Random' initial values
                model.iterate(steps=steps)
                finals.append([int(model.last[node]) for node in net.nodes])
            batches.append(time.perf_counter() - t0)
        bn_runs = cfg["bn_runs_per_batch"]
        bn_rate_best = bn_runs * steps * n / min(batches)
        bn_rate_median = bn_runs * steps * n / statistics.median(batches)

        # mtorsim, same model, scheme, steps and random initial states, in the same run
        if mt_mode == "sync":
            mt = sync_result["sync_mcf7"]
            mt_best, mt_median, mt_runs = mt["updates_per_s_best"], mt["updates_per_s_median"], mt["runs"]
        else:
            runs = cfg["sync_runs"]

            def call(runs=runs):
                return simulate(net, "random-order", length=steps, runs=runs, init=InitialSpec(default=0.5), every=100)

            call(10)
            walls, _, _ = timed(call, cfg["repeats"])
            mt_best, mt_median, mt_runs = (
                runs * steps * n / min(walls),
                runs * steps * n / statistics.median(walls),
                runs,
            )
        # statistical agreement of the final states (different RNGs: only distributions compare)
        ref = simulate(net, mt_mode, length=steps, runs=20000, init=InitialSpec(default=0.5), every=100, seed=7).mean[
            -1
        ]
        bn_mean = np.mean(np.array(finals), axis=0)
        sd = np.sqrt(np.clip(ref * (1 - ref), 1e-12, None) / len(finals))
        exact = ref * (1 - ref) == 0
        z = np.where(exact, np.where(bn_mean == ref, 0.0, np.inf), np.abs(bn_mean - ref) / sd)
        out[mt_mode] = {
            "booleannet_mode": bn_mode,
            "steps": steps,
            "nodes": n,
            "booleannet": {
                "runs_per_batch": bn_runs,
                "batches": cfg["bn_batches"],
                "model_build_s": build,
                "batch_seconds": summary(batches),
                "seconds_per_run_best": min(batches) / bn_runs,
                "updates_per_s_best": bn_rate_best,
                "updates_per_s_median": bn_rate_median,
            },
            "mtorsim": {"runs": mt_runs, "updates_per_s_best": mt_best, "updates_per_s_median": mt_median},
            "ratio_best": mt_best / bn_rate_best,
            "ratio_median": mt_median / bn_rate_median,
            "final_state_agreement": {
                "booleannet_runs": len(finals),
                "mtorsim_runs": 20000,
                "max_abs_diff": float(np.max(np.abs(bn_mean - ref))),
                "max_z": float(np.max(z)),
                "nodes_with_z_over_4": int(np.sum(z > 4)),
            },
        }
    return out


# -- report ------------------------------------------------------------------------------------


def fmt_rate(x: float) -> str:
    return f"{x:.3g}"


def table(res: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []  # measurement, best, median, note

    def add(name, best, median="", note=""):
        rows.append((name, best, median, note))

    for r in res["sync"].values():
        add(
            f"sync {r['model'][:28]} ({r['nodes']} nodes) {r['runs']}x{r['steps']} every={r['every']}",
            f"{fmt_rate(r['updates_per_s_best'])} upd/s",
            f"{fmt_rate(r['updates_per_s_median'])} upd/s",
            f"target >= 1e8: {'met' if r['updates_per_s_median'] >= SYNC_TARGET else 'MISSED'}; cpu/wall {r['cpu_over_wall']:.2f}",
        )
    for scheme in ("sync", "async"):
        j = res["jit"].get(scheme)
        if not j:
            continue
        c, w = j["cold_cache"], j["warm_cache"]
        add(
            f"first {scheme} call, fresh process, EMPTY numba cache (compile)",
            f"{c['first_call']['best']:.2f} s",
            f"{c['first_call']['median']:.2f} s",
            f"process {c['process_wall']['median']:.2f} s; numba import {c['import_kernels']['median']:.2f} s",
        )
        add(
            f"first {scheme} call, fresh process, warm numba cache (load)",
            f"{w['first_call']['best']:.2f} s",
            f"{w['first_call']['median']:.2f} s",
            f"process {w['process_wall']['median']:.2f} s; same 10 runs again {w['second_call']['median'] * 1e3:.1f} ms; "
            f"{j['warm_runs_that_rewrote_the_cache']}/{len(w['first_call']['all'])} rewrote the numba cache",
        )
    a = res["async"]
    add(
        f"MCF7 alpelisib async {a['runs']} runs x {a['time_units']} t.u. (in process, JIT excl.)",
        f"{a['seconds']['best']:.2f} s",
        f"{a['seconds']['median']:.2f} s",
        f"target < 2 s: {'met' if a['seconds']['median'] < ASYNC_TARGET_S else 'MISSED'}; "
        f"{fmt_rate(a['updates_per_s_best'])} single-node upd/s; best CPU time {a['cpu_seconds']['best']:.2f} s; "
        f"cpu/wall {a['cpu_over_wall']:.2f}",
    )
    c = res["cli"]
    add(
        "CLI alpelisib 10000 runs, whole process, EMPTY numba cache",
        f"{c['cold_cache']['best']:.2f} s",
        f"{c['cold_cache']['median']:.2f} s",
        "includes compilation",
    )
    add(
        "CLI alpelisib 10000 runs, whole process, next processes",
        f"{c['warm_cache']['best']:.2f} s",
        f"{c['warm_cache']['median']:.2f} s",
        f"cold/warm {c['cold_cache']['median'] / c['warm_cache']['median']:.1f}x; "
        f"{c['warm_processes_that_rewrote_the_cache']}/{c['warm_processes']} rewrote the numba cache",
    )
    h = res["help"]
    add(
        "`mtorsim --help` whole process",
        f"{h['seconds']['best']:.3f} s",
        f"{h['seconds']['median']:.3f} s",
        f"target < 0.5 s: {'met' if h['seconds']['median'] < HELP_TARGET_S else 'MISSED'}; "
        f"python -c pass {h['python_c_pass']['median']:.3f} s; numba imported: {h['imports_numba']}, "
        f"matplotlib imported: {h['imports_matplotlib']}",
    )
    b = res["booleannet"]
    if b.get("available"):
        for mode in ("sync", "random-order"):
            r = b[mode]
            add(
                f"MCF7 {mode}: mtorsim vs BooleanNet {b['version']} ({r['booleannet_mode']})",
                f"{r['ratio_best']:.0f}x",
                f"{r['ratio_median']:.0f}x",
                f"mtorsim {fmt_rate(r['mtorsim']['updates_per_s_median'])} vs BooleanNet "
                f"{fmt_rate(r['booleannet']['updates_per_s_median'])} upd/s "
                f"({r['mtorsim']['runs']} vs {r['booleannet']['runs_per_batch']} runs x {r['steps']} steps); "
                f"final-state max z {r['final_state_agreement']['max_z']:.1f}",
            )
        for chk in b["sync_check"]:
            add(
                f"same sync trajectory as BooleanNet: {chk['model'][:30]}",
                f"{chk['states_compared'] - chk['states_differing']}/{chk['states_compared']}",
                "",
                "states identical" if chk["states_differing"] == 0 else f"DIFFER: first {chk['first_difference']}",
            )
    else:
        add("BooleanNet", "not run", "", b.get("reason", ""))

    w = [max(len(r[i]) for r in rows + [("measurement", "best", "median", "note")]) for i in range(3)]
    lines = [f"{'measurement':<{w[0]}}  {'best':>{w[1]}}  {'median':>{w[2]}}  note"]
    lines.append("-" * len(lines[0]))
    lines += [f"{a:<{w[0]}}  {b_:>{w[1]}}  {c_:>{w[2]}}  {d}" for a, b_, c_, d in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and repeats (under 30 s)")
    ap.add_argument("--json", metavar="FILE", help="also write all measurements to FILE as JSON")
    ap.add_argument("--no-peers", action="store_true", help="skip BooleanNet")
    args = ap.parse_args()

    if args.quick:
        cfg = dict(
            sync_runs=2000,
            repeats=3,
            async_runs=10000,
            async_repeats=1,
            jit_repeats=1,
            jit_async=False,
            cli_cold_repeats=1,
            cli_warm_repeats=1,
            help_repeats=3,
            bn_runs_per_batch=3,
            bn_batches=2,
            check_inits=3,
        )
    else:
        cfg = dict(
            sync_runs=10000,
            repeats=5,
            async_runs=10000,
            async_repeats=5,
            jit_repeats=3,
            jit_async=True,
            cli_cold_repeats=3,
            cli_warm_repeats=2,
            help_repeats=5,
            bn_runs_per_batch=20,
            bn_batches=3,
            check_inits=10,
        )
    t_start = time.perf_counter()
    res: dict = {
        "command": " ".join(["python", "benchmarks/bench_simulate.py"] + sys.argv[1:]),
        "config": cfg,
        "machine": machine(),
        "source": source_state(),
    }

    def step(name, fn):
        t0 = time.perf_counter()
        print(f"... {name}", file=sys.stderr, flush=True)
        value = fn()
        print(f"    {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
        return value

    res["help"] = step("mtorsim --help", lambda: bench_help(cfg))
    res["sync"] = step("sync throughput", lambda: bench_sync(cfg))
    res["jit"] = {"sync": step("sync JIT (subprocesses)", lambda: bench_jit("sync", cfg["jit_repeats"]))}
    if cfg["jit_async"]:
        res["jit"]["async"] = step("async JIT (subprocesses)", lambda: bench_jit("async", cfg["jit_repeats"]))
    res["async"] = step("MCF7 alpelisib async", lambda: bench_async(cfg))
    res["cli"] = step("mtorsim simulate processes", lambda: bench_cli(cfg))
    res["booleannet"] = (
        {"available": False, "reason": "--no-peers"}
        if args.no_peers
        else step("BooleanNet", lambda: bench_booleannet(cfg, res["sync"]))
    )
    res["machine"]["loadavg_end"] = os.getloadavg()
    before, after = res["source"].pop("stamp"), source_state()["stamp"]
    res["source"]["changed_during_run"] = sorted(
        f for f in before.keys() | after.keys() if before.get(f) != after.get(f)
    )
    res["total_seconds"] = time.perf_counter() - t_start

    m = res["machine"]
    print(f"\n{res['command']}")
    print(
        f"{m['cpu']}, nproc {m['nproc']}, Python {m['python']}, numba {m['numba']}, numpy {m['numpy']}, "
        f"BooleanNet {m['booleannet']}; load average {m['loadavg_start'][0]:.2f} -> {m['loadavg_end'][0]:.2f}"
    )
    src = res["source"]
    print(
        f"mtorsim at {src['commit']}"
        + (f" with uncommitted changes in {len(src['dirty'])} file(s)" if src["dirty"] else "")
        + (
            "; WARNING: files changed (or appeared) under mtorsim/ during the run: "
            + ", ".join(src["changed_during_run"])
            if src["changed_during_run"]
            else ""
        )
        + "\n"
    )
    print(table(res))
    print(f"\nCLI = {res['cli']['command']}")
    print(f"\ntotal {res['total_seconds']:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2, default=float) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
