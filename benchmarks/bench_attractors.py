"""Attractor search speed of mtorsim, side by side with BoolNet (R), mpbn, biodivine-aeon and pyboolnet.

Run from the repository root:

    python benchmarks/bench_attractors.py             # full run (about 9 minutes)
    python benchmarks/bench_attractors.py --quick     # smaller run (under a minute)
    python benchmarks/bench_attractors.py --json results.json
    python benchmarks/bench_attractors.py --all       # no skipping (about 20 minutes)

What is measured (see the "Attractors" section of benchmarks/README.md for numbers and caveats):

1. Synchronous exhaustive attractors with exact basins of a seeded random N-K network
   (24 nodes, 2^24 states; 20 nodes with --quick), K = 2 or 3 regulators per node, every
   regulator essential, so no node is constant or an input and nothing percolates away.
   mtorsim first call in a fresh process on an empty numba cache (compile), first call on the
   populated cache, then warm calls; BoolNet ``getAttractors(type="synchronous",
   method="exhaustive")`` timed inside R with ``system.time``; both must give the same
   attractors with the same basin sizes. pyboolnet (optional) builds the same kind of
   state transition graph in networkx: it is run on a smaller random network.
2. Fixed points of every corpus model (``tests/data/corpus/*.bnet`` and the Zanudo MCF7 model):
   mtorsim ``find_attractors(net, "sync", "fixed-points", limit=10**6)`` vs
   ``mpbn.MPBooleanNetwork(rules).fixedpoints()``; counts and an order-independent digest of
   the fixed points must agree where both finish.
3. Asynchronous attractors of the corpus models with at most 100 nodes: mtorsim
   ``find_attractors(net, "async", max_combinations=4096, show_states=0)`` vs biodivine-aeon
   ``Attractors.attractors``; number of attractors and the multiset of their sizes must agree
   where both finish and mtorsim is complete.
4. The largest corpus model each method finishes within the cap.

Every model run of 2 and 3 is a fresh subprocess killed at the cap (60 s; 15 s with --quick),
with an 8 GiB address-space limit. In it, mtorsim first runs a tiny network so that numba
compilation or cache loading is reported apart from the search. Timings inside a subprocess
exclude interpreter start and imports; the model's loading and setup are included for every
tool (mtorsim: Network.load; mpbn: MPBooleanNetwork(rules); aeon: from_file, infer_valid_graph,
AsynchronousGraph). Ratios are peer / mtorsim of the medians (above 1: mtorsim is faster).
Unless --all, a tool is not run on a model once it hit the cap on a model with no more nodes
and no more free inputs (the row says so). The full run also runs 3 on the corpus models above
100 nodes, for 4.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
ZANUDO = ROOT / "tests" / "data" / "zanudo2021"

SYNC_TARGET_S = 1.0  # 24-node sync exhaustive with basins, warm, one core
FP_LIMIT = 10**6
ASYNC_MAX_NODES = 100
MAX_COMBINATIONS = 4096
DIGEST_MAX = 200_000  # fixed points kept for the digest comparison
MEMORY_CAP = 8 << 30  # bytes of address space for each subprocess
SEED = 2024
TINY = "targets, factors\na, !b\nb, a\nc, c & a\n"  # warm-up network: a cycle and a fixed point


# -- helpers ---------------------------------------------------------------------------------


def summary(walls: list[float]) -> dict:
    return {"best": min(walls), "median": statistics.median(walls), "all": walls}


def git(*a: str) -> str:
    try:
        return subprocess.run(["git", *a], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    except OSError:
        return ""


def source_stamp() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((ROOT / "mtorsim").rglob("*.py"))
    }


def version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as v

    try:
        return v(dist)
    except PackageNotFoundError:
        return None


def r_versions() -> dict:
    """R and BoolNet versions, or why they are not there."""
    try:
        proc = subprocess.run(
            ["Rscript", "-e", 'cat(R.version.string, "|", as.character(packageVersion("BoolNet")))'],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"r": None, "boolnet": None, "error": str(e)}
    if proc.returncode != 0:
        return {"r": None, "boolnet": None, "error": proc.stderr.strip()[-500:]}
    r, _, bn = proc.stdout.partition("|")
    return {"r": r.strip(), "boolnet": bn.strip()}


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    facts = {
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg_start": os.getloadavg(),
    }
    for dist in ("numba", "numpy", "clingo", "mpbn", "biodivine_aeon", "pyboolnet"):
        facts[dist] = version(dist)
    facts.update(r_versions())
    return facts


def nodes_of(path: Path) -> int:
    from mtorsim.network import Network

    return len(Network.load(path))


def short(path: str | Path) -> str:
    name = Path(path).name
    m = re.match(r"(bbm-\d+)", name)
    if m:
        return m.group(1)
    return "zanudo2020-mcf7" if "MCF7" in name else name.split(".")[0]


# -- the random N-K network -----------------------------------------------------------------


def random_nk(n: int, seed: int) -> str:
    """A .bnet text: node i has K = 2 or 3 distinct random regulators and a random truth table in
    which every regulator is essential (so no rule is constant and none is an input X = X)."""
    rng = random.Random(seed)
    names = [f"x{i}" for i in range(n)]
    lines = ["targets, factors"]
    for i in range(n):
        k = rng.choice((2, 3))
        regs = rng.sample(range(n), k)
        while True:
            table = [rng.randrange(2) for _ in range(1 << k)]
            if all(any(table[r] != table[r ^ (1 << j)] for r in range(1 << k)) for j in range(k)):
                break
        terms = [
            "(" + " & ".join(names[regs[j]] if (r >> j) & 1 else "!" + names[regs[j]] for j in range(k)) + ")"
            for r in range(1 << k)
            if table[r]
        ]
        lines.append(f"{names[i]}, " + " | ".join(terms))
    return "\n".join(lines) + "\n"


# -- children: one measurement in a fresh process, last line "RESULT {json}" ------------------


def emit(obj: dict) -> None:
    print("RESULT " + json.dumps(obj), flush=True)


def repeat(fn, repeats: int, under: float) -> tuple[list[float], list[float], object]:
    """Wall and CPU seconds of up to ``repeats`` calls (stops repeating once a call takes ``under`` s)."""
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        if walls[-1] > under:
            break
    return walls, cpus, out


def warm_up(update: str, method: str) -> float:
    """First mtorsim call in this process, on a 3-node network: numba compile or cache load."""
    from mtorsim.attractors.search import find_attractors
    from mtorsim.network import Network

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "tiny.bnet"
        p.write_text(TINY)
        t0 = time.perf_counter()
        find_attractors(Network.load(p), update, method, reduce=False, limit=10)
        return time.perf_counter() - t0


def digest_add(acc: int, row: str) -> int:
    """Order-independent digest of a set of state strings: sum of their hashes mod 2^64."""
    return (acc + int.from_bytes(hashlib.blake2b(row.encode(), digest_size=8).digest(), "little")) % (1 << 64)


def child_mtorsim_sync(path: str, repeats: int, under: float, limit: int) -> None:
    """Random network, sync exhaustive with basins; the first call is timed on its own."""
    from mtorsim.attractors.search import find_attractors
    from mtorsim.network import Network
    from mtorsim.network.reduction import percolate

    net = Network.load(path)
    n = len(net)
    check = {
        "nodes": n,
        "inputs": len(net.inputs),
        "free_after_percolation": len(percolate(net).reduced),
        "free_no_reduce": len(percolate(net, propagate=False).reduced),
    }

    def call():
        return find_attractors(net, "sync", "exhaustive", reduce=False)

    c0, t0 = time.process_time(), time.perf_counter()
    call()
    first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
    walls, cpus, res = repeat(call, repeats, under)
    atts = sorted(
        [a.size, round(a.basin * 2**n), sorted(int("".join(map(str, reversed(s))), 2) for s in a.states)]
        for a in res.attractors
    )
    emit(
        {
            "first": first,
            "first_cpu": first_cpu,
            "walls": walls,
            "cpus": cpus,
            "complete": res.complete,
            "method": res.method,
            "check": check,
            "attractors": atts,
            "phases": sync_phases(net, repeats),
        }
    )


def sync_phases(net, repeats: int) -> dict:
    """Where a sync exhaustive search spends its time: the kernels that ``sync_exhaustive`` calls, one by
    one (best of ``repeats``). Internal API: reported as unavailable if it changed."""
    import numpy as np

    try:
        from mtorsim.compiler import compile_network
        from mtorsim.kernels import statespace as K
        from mtorsim.network.reduction import percolate

        best: dict[str, float] = {}
        for _ in range(max(1, repeats)):
            t = [time.perf_counter()]
            red = percolate(net, propagate=False)
            prog = compile_network(red.reduced)
            m = len(red.reduced)
            t.append(time.perf_counter())
            succ = np.empty(1 << m, dtype=np.uint32)
            if hasattr(K, "sync_successors_incremental") and (prog.tt_ptr >= 0).all():  # as sync_exhaustive does
                from mtorsim.attractors.search import _readers

                K.sync_successors_incremental(prog.arrays(), m, *_readers(prog, m), succ)
                kernel = "sync_successors_incremental"
            else:
                K.sync_successors(prog.arrays(), m, prog.max_stack, succ)
                kernel = "sync_successors"
            t.append(time.perf_counter())
            label = np.zeros(1 << m, dtype=np.int32)
            reps = np.empty(min(1 << m, 1 << 20), dtype=np.int64)
            count = K.label_functional_graph(succ, label, reps)
            t.append(time.perf_counter())
            K.basin_sizes(label, count)
            t.append(time.perf_counter())
            for name, a, b in zip(("percolate+compile", "successors", "label cycles", "basin sizes"), t, t[1:]):
                best[name] = min(best.get(name, 1e9), b - a)
        return {"kernel": kernel, **best}
    except Exception as e:  # internals may change under the benchmark
        return {"unavailable": repr(e)[:200]}


def child_pyboolnet_sync(path: str, repeats: int, under: float, limit: int) -> None:
    """pyboolnet: the synchronous state transition graph (networkx) and its attractors (Tarjan)."""
    from pyboolnet.attractors import compute_attractors_tarjan
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.state_transition_graphs import primes2stg

    text = Path(path).read_text()
    names = [line.split(",")[0].strip() for line in text.splitlines()[1:] if line.strip()]

    def call():
        stg = primes2stg(bnet2primes(text), "synchronous")
        return compute_attractors_tarjan(stg)

    walls, cpus, (steady, cyclic) = repeat(call, repeats, under)

    def as_int(s: str) -> int:  # pyboolnet states are strings in sorted-name order
        order = sorted(names)
        bits = dict(zip(order, s))
        return sum(1 << i for i, nm in enumerate(names) if bits[nm] == "1")

    atts = sorted([1, None, [as_int(s)]] for s in steady)
    atts += sorted([len(c), None, sorted(as_int(s) for s in c)] for c in cyclic)
    emit({"walls": walls, "cpus": cpus, "attractors": sorted(atts, key=lambda a: (a[0], a[2]))})


def child_mtorsim_fp(path: str, repeats: int, under: float, limit: int) -> None:
    from mtorsim.attractors.search import find_attractors
    from mtorsim.network import Network

    jit = warm_up("sync", "fixed-points")

    def call():
        net = Network.load(path)
        return net, find_attractors(net, "sync", "fixed-points", limit=limit)

    walls, cpus, (net, res) = repeat(call, repeats, under)
    acc = 0
    for a in res.attractors:  # after the timing
        acc = digest_add(acc, "".join(map(str, a.states[0])))
    emit(
        {
            "jit": jit,
            "walls": walls,
            "cpus": cpus,
            "count": len(res.attractors),
            "complete": res.complete,
            "nodes": len(net),
            "inputs": len(net.inputs),
            "digest": f"{acc:016x}",
            "limit": limit,
        }
    )


def child_mpbn_fp(path: str, repeats: int, under: float, limit: int) -> None:
    """mpbn on rules written by mtorsim's bnet writer. It prints progress, so a run killed at the
    cap still tells how many fixed points it had listed; the digest is computed as they come and
    its time is subtracted."""
    import mpbn

    from mtorsim.formats.ast import to_text
    from mtorsim.network import Network

    net = Network.load(path)
    nodes = list(net.nodes)
    rules = {n: to_text(e, "bnet") for n, e in zip(net.nodes, net.rules)}

    def call():
        t0 = time.perf_counter()
        bn = mpbn.MPBooleanNetwork(rules)
        setup = time.perf_counter() - t0
        count, acc, spent = 0, 0, 0.0
        for fp in bn.fixedpoints(limit=limit if limit < FP_LIMIT else 0):
            t1 = time.perf_counter()
            count += 1
            acc = digest_add(acc, "".join("1" if fp[n] else "0" for n in nodes))
            if count % 10000 == 0:
                print(f"PROGRESS {count} {t1 - t0 - spent:.2f}", flush=True)
            spent += time.perf_counter() - t1
        return setup, count, acc, spent

    walls, cpus = [], []
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        setup, count, acc, spent = call()
        walls.append(time.perf_counter() - t0 - spent)
        cpus.append(time.process_time() - c0 - spent)
        if walls[-1] > under:
            break
    emit(
        {
            "walls": walls,
            "cpus": cpus,
            "setup": setup,
            "count": count,
            "digest": f"{acc:016x}",
            "limit": limit,
            "complete": not (0 < limit < FP_LIMIT and count >= limit),
            "nodes": len(nodes),
            "digest_seconds": spent,
        }
    )


def child_mtorsim_async(path: str, repeats: int, under: float, limit: int) -> None:
    from mtorsim.attractors.search import find_attractors
    from mtorsim.network import Network

    jit = warm_up("async", "auto")

    def call():
        net = Network.load(path)
        return net, find_attractors(net, "async", max_combinations=MAX_COMBINATIONS, show_states=0)

    walls, cpus, (net, res) = repeat(call, repeats, under)
    emit(
        {
            "jit": jit,
            "walls": walls,
            "cpus": cpus,
            "count": len(res.attractors),
            "complete": res.complete,
            "sizes": sorted(a.size for a in res.attractors),
            "method": res.method,
            "combinations": [res.combinations, res.combinations_total],
            "nodes": len(net),
            "inputs": len(net.inputs),
            "candidates": len(getattr(res, "candidates", None) or []),
            "notes": res.notes[:3],
        }
    )


def child_aeon_async(path: str, repeats: int, under: float, limit: int) -> None:
    from biodivine_aeon import AsynchronousGraph, Attractors, BooleanNetwork

    def call():
        t0 = time.perf_counter()
        bn = BooleanNetwork.from_file(str(path)).infer_valid_graph()
        stg = AsynchronousGraph(bn)
        setup = time.perf_counter() - t0
        sizes = sorted(int(a.vertices().cardinality()) for a in Attractors.attractors(stg))
        return setup, sizes

    walls, cpus, (setup, sizes) = repeat(call, repeats, under)
    emit({"walls": walls, "cpus": cpus, "setup": setup, "count": len(sizes), "complete": True, "sizes": sizes})


CHILDREN = {
    "mtorsim-sync": child_mtorsim_sync,
    "pyboolnet-sync": child_pyboolnet_sync,
    "mtorsim-fp": child_mtorsim_fp,
    "mpbn-fp": child_mpbn_fp,
    "mtorsim-async": child_mtorsim_async,
    "aeon-async": child_aeon_async,
}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_child(
    kind: str, path: Path | str, cap: float, repeats: int, under: float, env: dict | None = None, limit: int = FP_LIMIT
) -> dict:
    """One child in its own process group, killed (the group, by id) at ``cap`` seconds of wall time."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        str(path),
        "--repeats",
        str(repeats),
        "--under",
        str(under),
        "--limit",
        str(limit),
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        preexec_fn=_limit_memory,
    )
    try:
        out, err = proc.communicate(timeout=cap)
        status = "ok" if proc.returncode == 0 else "error"
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        status = "timeout"
    wall = time.perf_counter() - t0
    rec: dict = {"status": status, "process_wall": wall}
    progress = [line.split() for line in out.splitlines() if line.startswith("PROGRESS ")]
    if progress:
        rec["progress"] = [int(progress[-1][1]), float(progress[-1][2])]
    for line in out.splitlines():
        if line.startswith("RESULT "):
            rec.update(json.loads(line[7:]))
    if status == "error":
        tail = [ln for ln in err.strip().splitlines() if ln.strip()]
        rec["error"] = tail[-1][:300] if tail else f"exit code {proc.returncode}"
        if "MemoryError" in err or "bad_alloc" in err or "memory allocation" in err:
            rec["status"] = "out of memory"
    if "walls" in rec:
        rec.update(best=min(rec["walls"]), median=statistics.median(rec["walls"]))
    return rec


# -- 1. random network, sync exhaustive ------------------------------------------------------

BOOLNET_R = r"""
suppressMessages(library(BoolNet))
args <- commandArgs(trailingOnly = TRUE)
net <- loadNetwork(args[1])
reps <- as.integer(args[2])
cat("GENES", length(net$genes), "\n")
for (i in seq_len(reps)) {
  t <- system.time(a <- getAttractors(net, type = "synchronous", method = "exhaustive"))
  cat("TIME", t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], "\n")
}
for (x in a$attractors) cat("ATT", x$basinSize, ncol(x$involvedStates), x$involvedStates, "\n")
"""


def run_boolnet(path: Path, repeats: int, cap: float) -> dict:
    script = path.with_suffix(".R")
    script.write_text(BOOLNET_R)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            ["Rscript", str(script), str(path), str(repeats)], capture_output=True, text=True, timeout=cap
        )
    except FileNotFoundError:
        return {"status": "unavailable", "error": "Rscript not found (apt-get install -y r-cran-boolnet)"}
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "process_wall": time.perf_counter() - t0}
    rec: dict = {"process_wall": time.perf_counter() - t0}
    if proc.returncode != 0:
        rec.update(status="error", error=proc.stderr.strip()[-500:])
        return rec
    walls, cpus, atts = [], [], []
    for line in proc.stdout.splitlines():
        f = line.split()
        if f and f[0] == "TIME":
            walls.append(float(f[1]))
            cpus.append(float(f[2]))
        elif f and f[0] == "ATT":
            # one 32-bit word per state up to 32 genes; gene i is bit i-1, as in mtorsim's packing
            atts.append([int(f[2]), int(f[1]), sorted(int(x) for x in f[3:])])
    rec.update(
        status="ok", walls=walls, cpus=cpus, best=min(walls), median=statistics.median(walls), attractors=sorted(atts)
    )
    return rec


def bench_random(cfg: dict, peers: bool) -> dict:
    n = cfg["random_nodes"]
    out: dict = {"nodes": n, "seed": SEED}
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"random{n}.bnet"
        path.write_text(random_nk(n, SEED))
        out["bnet_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        cache = Path(d) / "numba-cache"
        cache.mkdir()
        env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
        env.pop("MTORSIM_NUMBA_CACHE", None)
        big = cfg["cap"] * 5
        # fresh process, empty cache: the first call compiles; fresh process on that cache: loads
        out["cold"] = run_child("mtorsim-sync", path, big, 1, 0.0, env)
        out["warm"] = run_child("mtorsim-sync", path, big, cfg["sync_repeats"], 1e9, env)
        m = out["warm"]
        if m.get("status") == "ok":
            chk = m["check"]
            assert chk["nodes"] == n and chk["inputs"] == 0 and chk["free_no_reduce"] == n, chk
            assert chk["free_after_percolation"] == n, chk  # nothing constant: percolation cannot shrink it
        if peers:
            out["boolnet"] = run_boolnet(path, cfg["sync_repeats"], cfg["boolnet_cap"])
            b = out["boolnet"]
            if b.get("status") == "ok" and m.get("status") == "ok":
                out["boolnet_same"] = b["attractors"] == m["attractors"]
        if peers and out.get("boolnet", {}).get("status") == "ok":
            out["seeds"] = same_as_boolnet(Path(d), cfg["check_nodes"], cfg["check_seeds"])
        # pyboolnet's STG is a networkx graph: a smaller network
        pn = cfg["pyboolnet_nodes"]
        small = Path(d) / f"random{pn}.bnet"
        small.write_text(random_nk(pn, SEED))
        out["small"] = {"nodes": pn, "mtorsim": run_child("mtorsim-sync", small, big, cfg["sync_repeats"], 1e9, env)}
        if peers:
            pyb = pyboolnet_env()
            if pyb is None:
                out["small"]["pyboolnet"] = {"status": "unavailable", "error": "pip install pyboolnet failed or absent"}
            else:
                out["small"]["pyboolnet"] = run_child("pyboolnet-sync", small, cfg["cap"], 1, 0.0, pyb)
                p, q = out["small"]["pyboolnet"], out["small"]["mtorsim"]
                if p.get("status") == "ok" and q.get("status") == "ok":
                    strip = [[a[0], a[2]] for a in q["attractors"]]
                    out["small"]["pyboolnet_same"] = sorted(strip) == sorted([a[0], a[2]] for a in p["attractors"])
    return out


def same_as_boolnet(d: Path, n: int, seeds: list[int]) -> list[dict]:
    """More random networks, compared attractor by attractor (states and basin sizes) with BoolNet."""
    from mtorsim.attractors.search import find_attractors
    from mtorsim.network import Network

    out = []
    for seed in seeds:
        path = d / f"check{n}-{seed}.bnet"
        path.write_text(random_nk(n, seed))
        res = find_attractors(Network.load(path), "sync", "exhaustive", reduce=False)
        ours = sorted(
            [a.size, round(a.basin * 2**n), sorted(int("".join(map(str, reversed(s))), 2) for s in a.states)]
            for a in res.attractors
        )
        b = run_boolnet(path, 1, 120.0)
        out.append(
            {
                "nodes": n,
                "seed": seed,
                "attractors": len(ours),
                "sizes": [a[0] for a in ours],
                "basins": [a[1] for a in ours],
                "boolnet_status": b["status"],
                "same": b["status"] == "ok" and b["attractors"] == ours,
            }
        )
    return out


def pyboolnet_env() -> dict | None:
    """pyboolnet 3.0.16 puts binaries/NuSMV-a (not binaries/linux64/NuSMV-a) on LD_LIBRARY_PATH for
    its bundled NuSMV; the right folder is added here. NuSMV itself also needs Debian's libtinfo5.
    The synchronous STG path measured here does not call NuSMV."""
    import importlib.util

    spec = importlib.util.find_spec("pyboolnet")  # importing it prints warnings about graphviz
    if spec is None or not spec.origin:
        return None
    env = dict(os.environ)
    lib = Path(spec.origin).parent / "binaries" / "linux64" / "NuSMV-a"
    env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [env.get("LD_LIBRARY_PATH"), str(lib)]))
    return env


# -- 2 and 3. corpus models -----------------------------------------------------------------


def model_facts(path: Path) -> dict:
    from mtorsim.network import Network

    net = Network.load(path)
    return {"model": short(path), "file": path.name, "nodes": len(net), "inputs": len(net.inputs)}


def bench_models(kind_ours: str, kind_peer: str | None, models: list[Path], cfg: dict, compare) -> list[dict]:
    """Both tools on every model, smallest first. Unless cfg["all"], a tool is not run on a model
    when it already hit the cap on a model with no more nodes and no more free inputs (said in the row)."""
    rows: list[dict] = []
    killed: dict[str, list[dict]] = {"mtorsim": [], "peer": []}
    for p in models:
        row = model_facts(p)
        print(f"    {row['model']} ({row['nodes']} nodes, {row['inputs']} inputs)", file=sys.stderr, flush=True)
        for side, kind in (("mtorsim", kind_ours), ("peer", kind_peer)):
            if kind is None:
                continue
            worse = [k for k in killed[side] if k["nodes"] <= row["nodes"] and k["inputs"] <= row["inputs"]]
            if worse and not cfg["all"]:
                row[side] = {
                    "status": "skipped",
                    "error": f"hit the cap on {worse[0]['model']} ({worse[0]['nodes']} nodes, "
                    f"{worse[0]['inputs']} inputs)",
                }
                continue
            row[side] = run_child(kind, p, cfg["cap"], cfg["repeats"], cfg["repeat_under"])
            if row[side]["status"] == "timeout":
                killed[side].append(row)
        if kind_peer:
            compare(row)
        rows.append(row)
    return rows


def bench_fp_rate(rows: list[dict], cfg: dict) -> list[dict]:
    """Where neither tool finished: the time each takes to list the first cfg["rate_limit"] fixed points."""
    out = []
    by_name = {p.name: p for p in list(CORPUS.glob("*.bnet")) + list(ZANUDO.glob("*MCF7.booleannet"))}
    for row in rows:
        a, b = row["mtorsim"], row.get("peer")
        if not b or a["status"] == "ok" or b["status"] == "ok":
            continue
        if "skipped" in (a["status"], b["status"]) and not cfg["all"]:
            continue
        p, lim = by_name[row["file"]], cfg["rate_limit"]
        print(f"    {row['model']}: first {lim:,} fixed points", file=sys.stderr, flush=True)
        r = {
            "model": row["model"],
            "nodes": row["nodes"],
            "inputs": row["inputs"],
            "limit": lim,
            "mtorsim": run_child("mtorsim-fp", p, cfg["cap"], 1, 0.0, limit=lim),
            "peer": run_child("mpbn-fp", p, cfg["cap"], 1, 0.0, limit=lim),
        }
        if r["mtorsim"]["status"] == "ok" and r["peer"]["status"] == "ok":
            r["ratio"] = r["peer"]["median"] / r["mtorsim"]["median"]
            r["same_count"] = r["mtorsim"]["count"] == r["peer"]["count"] == lim
        out.append(r)
    return out


def compare_fp(row: dict) -> None:
    a, b = row["mtorsim"], row["peer"]
    if a["status"] == "ok" and b["status"] == "ok" and a["complete"]:
        row["same_count"] = a["count"] == b["count"]
        row["same_states"] = a["digest"] == b["digest"]
        row["ratio"] = b["median"] / a["median"]


def compare_async(row: dict) -> None:
    a, b = row["mtorsim"], row["peer"]
    if a["status"] == "ok" and b["status"] == "ok" and a["complete"]:
        row["ratio"] = b["median"] / a["median"]
        row["same_count"] = a["count"] == b["count"]
        row["same_sizes"] = a["sizes"] == b["sizes"]


def largest(rows: list[dict], side: str, need_complete: bool) -> dict | None:
    done = [
        r for r in rows if side in r and r[side]["status"] == "ok" and (r[side].get("complete") or not need_complete)
    ]
    if not done:
        return None
    r = max(done, key=lambda r: r["nodes"])
    return {"model": r["model"], "nodes": r["nodes"], "median": r[side]["median"]}


# -- report ---------------------------------------------------------------------------------


def fmt_s(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x * 1e3:.1f} ms" if x < 0.1 else f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def cell(rec: dict | None, cap: float) -> str:
    """'median (best)' or what happened instead."""
    if not rec:
        return "not run"
    st = rec["status"]
    if st == "ok":
        return f"{fmt_s(rec['median'])} ({fmt_s(rec['best'])})" if len(rec["walls"]) > 1 else fmt_s(rec["median"])
    if st == "timeout":
        got = f", {rec['progress'][0]:,} listed" if rec.get("progress") else ""
        return f"> {cap:.0f} s (killed{got})"
    return f"{st}: {rec.get('error', '')[:80]}"


def count_cell(rec: dict, fp: bool) -> str:
    if rec.get("status") != "ok":
        return "–"
    s = f"{rec['count']:,}"
    if fp and not rec.get("complete"):
        s = f">= {s} (limit)"
    if not fp and rec.get("candidates"):
        s += f" + {rec['candidates']:,} unresolved trap space(s)"
    if not fp and not rec.get("complete"):
        c = rec.get("combinations", [0, 0])
        s += f" (partial, {rec.get('method')}; {c[0]:,} of {c[1]:,} input combinations)"
    return s


def ratio_cell(row: dict) -> str:
    """peer / mtorsim; a bound where only one finished within the cap (and mtorsim's answer is complete)."""
    if "ratio" in row:
        return f"{row['ratio']:.1f}x"
    a, b = row.get("mtorsim", {}), row.get("peer", {})
    if a.get("status") == "ok" and a.get("complete") and b.get("status") == "timeout":
        return f"> {b['process_wall'] / a['median']:.1f}x"
    if b.get("status") == "ok" and a.get("status") == "timeout":
        return f"< {b['median'] / a['process_wall']:.2f}x"
    return ""


def agree_cell(row: dict, keys: tuple[str, ...]) -> str:
    got = [row[k] for k in keys if k in row]
    if not got:
        return "not compared"
    return "yes" if all(got) else "**NO**"


def sizes_text(sizes: list[int]) -> str:
    groups = [(k, len(list(g))) for k, g in itertools.groupby(sizes)]
    return ", ".join(f"{k:,}" + (f" x{c}" if c > 1 else "") for k, c in groups)


def report(res: dict) -> str:
    cap = res["config"]["cap"]
    lines = []
    r = res["random"]
    n = r["nodes"]
    lines.append(f"1. Random N-K network, {n} nodes (2^{n} states), seed {r['seed']}, sync exhaustive with basins")
    lines.append("")
    lines.append("| tool | first call | warm median (best) | CPU/wall | attractors (size: basin) | ratio |")
    lines.append("|---|---|---|---|---|---|")
    cold, warm = r["cold"], r["warm"]
    if warm.get("status") == "ok":
        atts = "; ".join(f"{a[0]}: {a[1]:,}" for a in warm["attractors"])
        cw = sum(warm["cpus"]) / sum(warm["walls"])
        first = (
            f"{fmt_s(cold.get('first'))} empty cache, {fmt_s(warm['first'])} cached"
            if cold.get("status") == "ok"
            else fmt_s(warm["first"])
        )
        target = "" if n != 24 else " (target < 1 s: " + ("met)" if warm["median"] < SYNC_TARGET_S else "**missed**)")
        lines.append(f"| mtorsim | {first} | {cell(warm, cap)}{target} | {cw:.2f} | {atts} | 1 |")
    else:
        lines.append(f"| mtorsim | | {cell(warm, cap)} | | | |")
    ph = warm.get("phases", {})
    b = r.get("boolnet")
    if b:
        if b.get("status") == "ok":
            atts = "; ".join(f"{a[0]}: {a[1]:,}" for a in b["attractors"])
            cw = sum(b["cpus"]) / sum(b["walls"])
            ratio = f"{b['median'] / warm['median']:.1f}x" if warm.get("status") == "ok" else ""
            same = "same attractors and basins" if r.get("boolnet_same") else "**DIFFERENT**"
            lines.append(f"| BoolNet | | {cell(b, cap)} | {cw:.2f} | {atts} ({same}) | {ratio} |")
        else:
            lines.append(f"| BoolNet | | {b['status']}: {b.get('error', '')[:200]} | | | |")
    s = r["small"]
    q, p = s["mtorsim"], s.get("pyboolnet")
    if p:
        ratio = f"{p['median'] / q['median']:.0f}x" if p.get("status") == "ok" and q.get("status") == "ok" else ""
        same = ("same attractors" if s.get("pyboolnet_same") else "**DIFFERENT**") if "pyboolnet_same" in s else ""
        lines.append(f"| mtorsim, {s['nodes']}-node random network | | {cell(q, cap)} | | | 1 |")
        lines.append(
            f"| pyboolnet STG + Tarjan, same {s['nodes']}-node network | | {cell(p, cap)} | | {same} | {ratio} |"
        )
    lines.append("")
    if ph and "unavailable" not in ph:
        times = {k: v for k, v in ph.items() if k != "kernel"}
        lines.append(
            f"mtorsim's warm time by phase (best of the repeats; successors by `{ph.get('kernel')}`): "
            + ", ".join(f"{k} {fmt_s(v)}" for k, v in times.items())
            + "; the rest (cycles, states, "
            f"activity, result objects) {fmt_s(max(0.0, warm['best'] - sum(times.values())))}."
        )
        lines.append("")
    if r.get("seeds"):
        ok = sum(x["same"] for x in r["seeds"])
        lines.append(
            f"Also compared with BoolNet, attractor by attractor (states and basin sizes): {len(r['seeds'])} more "
            f"random {r['seeds'][0]['nodes']}-node networks (seeds {', '.join(str(x['seed']) for x in r['seeds'])}; "
            f"{', '.join(str(x['attractors']) for x in r['seeds'])} attractors): "
            + ("all identical" if ok == len(r["seeds"]) else f"**{len(r['seeds']) - ok} DIFFERENT**")
            + "."
        )
        lines.append("")

    def model_table(title: str, rows: list[dict], fp: bool, peer: str) -> None:
        lines.append(title)
        lines.append("")
        lines.append(
            f"| model | nodes (inputs) | mtorsim median (best) | {peer} median (best) | ratio | mtorsim count | "
            f"{peer} count | agree |"
        )
        lines.append("|---|---|---|---|---|---|---|---|")
        for row in rows:
            a, b = row["mtorsim"], row.get("peer", {})
            keys = ("same_count", "same_states") if fp else ("same_count", "same_sizes")
            ca, cb = count_cell(a, fp), count_cell(b, fp) if b else ""
            if not fp and a.get("status") == "ok" and a.get("complete") and len(a["sizes"]) <= 12:
                ca += f" [{sizes_text(a['sizes'])}]"
            if not fp and b.get("status") == "ok" and len(b["sizes"]) <= 12:
                cb += f" [{sizes_text(b['sizes'])}]"
            lines.append(
                f"| {row['model']} | {row['nodes']} ({row['inputs']}) | {cell(a, cap)} | {cell(b, cap) if b else ''} | "
                f"{ratio_cell(row)} | "
                f"{ca} | {cb} | {agree_cell(row, keys)} |"
            )
        tot = [(row["mtorsim"]["median"], row["peer"]["median"]) for row in rows if "ratio" in row]
        if tot:
            sa, sb = sum(t[0] for t in tot), sum(t[1] for t in tot)
            lines.append(
                f"| **total, the {len(tot)} models both finished** | | {fmt_s(sa)} | {fmt_s(sb)} | {sb / sa:.1f}x "
                "| | | |"
            )
        lines.append("")

    def rate_table(rows: list[dict]) -> None:
        if not rows:
            return
        lim = rows[0]["limit"]
        lines.append(f"2b. Where neither finished: time to list the first {lim:,} fixed points (not the same ones)")
        lines.append("")
        lines.append("| model | nodes (inputs) | mtorsim | mpbn | ratio | both listed the limit |")
        lines.append("|---|---|---|---|---|---|")
        for r in rows:
            same = "" if "same_count" not in r else "yes" if r["same_count"] else "**NO**"
            lines.append(
                f"| {r['model']} | {r['nodes']} ({r['inputs']}) | {cell(r['mtorsim'], cap)} | {cell(r['peer'], cap)} | "
                f"{ratio_cell(r)} | {same} |"
            )
        lines.append("")

    model_table(
        f"2. Fixed points (limit {FP_LIMIT:,}; cap {cap:.0f} s per model per tool)", res["fixed_points"], True, "mpbn"
    )
    rate_table(res.get("fp_rate", []))
    model_table(
        f"3. Async attractors, corpus models <= {ASYNC_MAX_NODES} nodes (max_combinations "
        f"{MAX_COMBINATIONS}; cap {cap:.0f} s)",
        res["async"],
        False,
        "AEON",
    )
    if res.get("async_beyond"):
        model_table(
            f"4. Async attractors, corpus models > {ASYNC_MAX_NODES} nodes (for the largest finished)",
            res["async_beyond"],
            False,
            "AEON",
        )
    lines.append(f"4. Largest corpus model finished within the cap ({cap:.0f} s)")
    lines.append("")
    for k, v in res["largest"].items():
        text = v if isinstance(v, str) else f"{v['model']} ({v['nodes']} nodes, {fmt_s(v['median'])})" if v else "none"
        lines.append(f"- {k}: {text}")
    for key, what, why in (("async", "async", "numba cache load"), ("fixed_points", "fixed-points", "clingo import")):
        jits = [row["mtorsim"]["jit"] for row in res[key] if row["mtorsim"].get("jit") is not None]
        if jits:
            lines.append(
                f"- mtorsim first {what} call in each process (3-node network; {why}), not in the times above: "
                f"median {fmt_s(statistics.median(jits))}, max {fmt_s(max(jits))}"
            )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller network, small models, 15 s cap (under a minute)")
    ap.add_argument("--json", metavar="FILE", help="also write every measurement to FILE as JSON")
    ap.add_argument("--no-peers", action="store_true", help="mtorsim only")
    ap.add_argument("--cap", type=float, help="seconds per model per tool (default 60, 15 with --quick)")
    ap.add_argument(
        "--all",
        action="store_true",
        help="run every model with every tool, even after the tool hit the cap on a smaller model "
        "with no more free inputs (adds about 10 minutes)",
    )
    ap.add_argument("--child", nargs=2, metavar=("KIND", "MODEL"), help=argparse.SUPPRESS)
    ap.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    ap.add_argument("--under", type=float, default=5.0, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, default=FP_LIMIT, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        CHILDREN[args.child[0]](args.child[1], args.repeats, args.under, args.limit)
        return

    if args.quick:
        cfg = dict(
            random_nodes=20,
            sync_repeats=3,
            pyboolnet_nodes=10,
            cap=15.0,
            boolnet_cap=120.0,
            repeats=2,
            repeat_under=1.0,
            max_nodes=20,
            rate_limit=10**4,
            beyond=False,
            check_nodes=16,
            check_seeds=[1, 2],
        )
    else:
        cfg = dict(
            random_nodes=24,
            sync_repeats=5,
            pyboolnet_nodes=14,
            cap=60.0,
            boolnet_cap=600.0,
            repeats=3,
            repeat_under=5.0,
            max_nodes=None,
            rate_limit=10**4,
            beyond=True,
            check_nodes=16,
            check_seeds=[1, 2, 3, 4, 5],
        )
    cfg["all"] = args.all
    if args.cap:
        cfg["cap"] = args.cap
    peers = not args.no_peers
    t_start = time.perf_counter()
    res: dict = {
        "command": " ".join(["python", "benchmarks/bench_attractors.py"] + sys.argv[1:]),
        "config": cfg,
        "machine": machine(),
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": git("status", "--porcelain", "--", "mtorsim").splitlines(),
    }
    stamp = source_stamp()
    m = res["machine"]
    print(
        f"load average at start: {m['loadavg_start'][0]:.2f} {m['loadavg_start'][1]:.2f} {m['loadavg_start'][2]:.2f}",
        file=sys.stderr,
        flush=True,
    )

    def step(name, fn):
        t0 = time.perf_counter()
        print(f"... {name} (load average {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
        value = fn()
        print(f"    {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
        return value

    def pick(paths: list[Path], limit: int | None) -> list[Path]:
        sized = sorted(paths, key=lambda p: (nodes_of(p), p.name))
        return [p for p in sized if limit is None or nodes_of(p) <= limit]

    fp_models = pick(sorted(CORPUS.glob("*.bnet")) + sorted(ZANUDO.glob("*MCF7.booleannet")), cfg["max_nodes"])
    async_models = pick(sorted(CORPUS.glob("*.bnet")), min(ASYNC_MAX_NODES, cfg["max_nodes"] or ASYNC_MAX_NODES))
    beyond = [p for p in pick(sorted(CORPUS.glob("*.bnet")), None) if p not in async_models] if cfg["beyond"] else []

    res["random"] = step("1. random network, sync exhaustive", lambda: bench_random(cfg, peers))
    res["fixed_points"] = step(
        "2. fixed points", lambda: bench_models("mtorsim-fp", "mpbn-fp" if peers else None, fp_models, cfg, compare_fp)
    )
    if peers:
        res["fp_rate"] = step(
            "2b. first fixed points where neither finished", lambda: bench_fp_rate(res["fixed_points"], cfg)
        )
    res["async"] = step(
        "3. async attractors",
        lambda: bench_models("mtorsim-async", "aeon-async" if peers else None, async_models, cfg, compare_async),
    )
    if beyond:
        res["async_beyond"] = step(
            f"4. async attractors, corpus models > {ASYNC_MAX_NODES} nodes",
            lambda: bench_models("mtorsim-async", "aeon-async" if peers else None, beyond, cfg, compare_async),
        )
    every_async = res["async"] + res.get("async_beyond", [])
    res["largest"] = {
        "mtorsim fixed points (complete)": largest(res["fixed_points"], "mtorsim", True),
        "mpbn fixed points": largest(res["fixed_points"], "peer", True) if peers else "not run",
        "mtorsim async, complete": largest(every_async, "mtorsim", True),
        "mtorsim async, finished (complete or partial)": largest(every_async, "mtorsim", False),
        "AEON async": largest(every_async, "peer", True) if peers else "not run",
    }
    m["loadavg_end"] = os.getloadavg()
    after = source_stamp()
    res["changed_during_run"] = sorted(f for f in stamp.keys() | after.keys() if stamp.get(f) != after.get(f))
    res["total_seconds"] = time.perf_counter() - t_start

    print(f"\n{res['command']}")
    print(f"{m['cpu']}, nproc {m['nproc']}, {m['platform']}")
    print(
        f"Python {m['python']}, numba {m['numba']}, numpy {m['numpy']}, clingo {m['clingo']}, mpbn {m['mpbn']}, "
        f"biodivine_aeon {m['biodivine_aeon']}, pyboolnet {m['pyboolnet']}, {m.get('r')}, BoolNet {m.get('boolnet')}"
    )
    la, lb = m["loadavg_start"], m["loadavg_end"]
    print(
        f"load average (1/5/15 min): start {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}, end {lb[0]:.2f} {lb[1]:.2f} {lb[2]:.2f}"
    )
    print(
        f"mtorsim at {res['commit']}"
        + (f" with uncommitted changes in {len(res['dirty'])} file(s)" if res["dirty"] else "")
        + (
            "; WARNING: changed under mtorsim/ during the run: " + ", ".join(res["changed_during_run"])
            if res["changed_during_run"]
            else ""
        )
        + "\n"
    )
    print(report(res))
    print(f"\ntotal {res['total_seconds']:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
