"""Exact attractors of 13 corpus models in both schemes, side by side with the peers.

Asynchronous: mtorsim ``find_attractors(net, "async")`` (exhaustive up to 20 free nodes, then
minimal trap spaces and retained-set candidates, proven) against biobalm (succession diagram,
``build()`` then the attractor seeds of every node) and AEON (``Attractors.attractors``, symbolic).
Synchronous: mtorsim ``find_attractors(net, "sync")`` (exhaustive up to 30 free nodes, then the
proven answer-set search) against BoolNet ``getAttractors(type="synchronous",
method="sat.exhaustive")``.

Every tool runs in its own process, killed at the timeout; the time is measured inside it and
covers loading the model and the search (mtorsim: numba's cache load too, nothing warmed up), not
the interpreter's start. bbm-215 (26 free inputs) runs per input setting: ``--settings`` seeded
random settings, written as constants into a copy of the file that every tool reads. Ratios:
peer seconds / mtorsim seconds (above 1: mtorsim faster). Run from anywhere:

    python benchmarks/bench_exact.py                  # both schemes, every model present
    python benchmarks/bench_exact.py --update async bbm-209 bbm-211
    python benchmarks/bench_exact.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

from bench_syncsat import find, run  # same directory: the model lookup and the timed subprocess

MODELS = [
    "bbm-023",
    "bbm-035",
    "bbm-153",
    "bbm-026",
    "bbm-278",
    "bbm-108",
    "bbm-107",
    "bbm-190",
    "bbm-070",
    "bbm-215",
    "bbm-148",
    "bbm-209",
    "bbm-211",
]
PER_SETTING = {"bbm-215"}

MTORSIM = """
import json, sys, time
t = time.perf_counter()
from mtorsim.network import Network
from mtorsim.attractors.search import find_attractors
net = Network.load(sys.argv[1])
res = find_attractors(net, sys.argv[2], max_combinations=2**30)
print(json.dumps(dict(seconds=time.perf_counter() - t, attractors=len(res.attractors), complete=res.complete,
                      unlisted=sum(a.size is None for a in res.attractors), method=res.method,
                      notes=[n for n in res.notes if n.startswith(("proven", "incomplete"))])))
"""

BIOBALM = """
import json, sys, time
t = time.perf_counter()
import biobalm
from biodivine_aeon import BooleanNetwork
sd = biobalm.SuccessionDiagram(BooleanNetwork.from_file(sys.argv[1]).infer_valid_graph())
sd.build()
seeds = sum(len(sd.node_attractor_seeds(n, compute=True)) for n in sd.node_ids())
print(json.dumps(dict(seconds=time.perf_counter() - t, attractors=seeds)))
"""

AEON = """
import json, sys, time
t = time.perf_counter()
import biodivine_aeon as aeon
bn = aeon.BooleanNetwork.from_file(sys.argv[1]).infer_valid_graph()
n = len(aeon.Attractors.attractors(aeon.AsynchronousGraph(bn)))
print(json.dumps(dict(seconds=time.perf_counter() - t, attractors=n)))
"""

BOOLNET = """
suppressMessages(library(BoolNet))
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
net <- loadNetwork(args[1])
a <- getAttractors(net, type = "synchronous", method = "sat.exhaustive")
cat(sprintf('{"seconds": %f, "attractors": %d}\\n', proc.time()[["elapsed"]] - t0, length(a$attractors)))
"""


def settings_files(path: Path, count: int, seed: int, into: Path) -> list[tuple[str, Path]]:
    """Copies of a .bnet file with its free inputs (rule ``x, x``) set to seeded random constants."""
    lines = path.read_text().splitlines()
    inputs = [
        ln.split(",")[0].strip()
        for ln in lines
        if "," in ln and ln.split(",")[0].strip() == ln.split(",", 1)[1].strip()
    ]
    rng = random.Random(seed)
    out = []
    for k in range(count):
        values = {x: rng.randint(0, 1) for x in inputs}
        text = [
            f"{ln.split(',')[0]}, {values[ln.split(',')[0].strip()]}"
            if "," in ln and ln.split(",")[0].strip() in values
            else ln
            for ln in lines
        ]
        target = into / f"{path.stem}.setting{k}.bnet"
        target.write_text("\n".join(text) + "\n")
        out.append((f"{path.stem[:7]}#{k}", target))
    return out


def describe(r: dict) -> str:
    if "error" in r:
        return r["error"]
    mark = "" if "complete" not in r else (" ✓" if r["complete"] else " ?")
    return f"{r['seconds']:7.2f} s {r['attractors']:4d}{mark}"


def ratio(peer: dict, ours: dict) -> str:
    if "error" in ours:
        return "-"
    if "error" in peer:
        return f"> {float(peer['error'].split()[1]) / ours['seconds']:.0f}x" if peer["error"].startswith(">") else "-"
    return f"{peer['seconds'] / ours['seconds']:.1f}x"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--update", choices=["async", "sync", "both"], default="both")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--repeats", type=int, default=1, help="runs per tool and model; the best is kept")
    ap.add_argument("--settings", type=int, default=3, help="input settings of bbm-215")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("models", nargs="*", default=MODELS)
    args = ap.parse_args()
    rscript = None if args.no_peers else shutil.which("Rscript")
    schemes = ["async", "sync"] if args.update == "both" else [args.update]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for model in args.models:
            path = find(model)
            if path is None:
                print(f"{model}: not found")
                continue
            jobs += settings_files(path, args.settings, 0, Path(tmp)) if model in PER_SETTING else [(model, path)]
        for update in schemes:
            peers = {"async": [("biobalm", BIOBALM), ("AEON", AEON)], "sync": [("BoolNet", BOOLNET)]}[update]
            print(f"\n{update}: mtorsim vs {', '.join(p for p, _ in peers)} (seconds, attractors; ✓ proven)")
            print(f"{'model':11s} {'mtorsim':>17s}  " + "  ".join(f"{p:>17s} {'ratio':>6s}" for p, _ in peers))
            for name, path in jobs:

                def best(cmd):
                    got = [run(cmd, args.timeout) for _ in range(args.repeats)]
                    return min(got, key=lambda r: r.get("seconds", float("inf")))

                ours = best([sys.executable, "-c", MTORSIM, str(path), update])
                row = {"model": name, "update": update, "mtorsim": ours}
                cells = []
                for peer, script in peers:
                    if args.no_peers or (peer == "BoolNet" and rscript is None):
                        res = {"error": "not run"}
                    elif peer == "BoolNet":
                        res = best([rscript, "-e", script, str(path)])
                    else:
                        res = best([sys.executable, "-c", script, str(path)])
                    row[peer] = res
                    cells.append(f"{describe(res):>17s} {ratio(res, ours):>6s}")
                rows.append(row)
                print(f"{name:11s} {describe(ours):>17s}  " + "  ".join(cells), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
