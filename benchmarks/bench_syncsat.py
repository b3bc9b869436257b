"""Synchronous attractors beyond the exhaustive limit: mtorsim's proven search against BoolNet.

Each model runs in its own process: mtorsim ``find_attractors(net, "sync", "sat")`` (every input
setting, the proven answer-set search) and BoolNet ``getAttractors(type="synchronous",
method="sat.exhaustive")`` (its SAT mode, lengths 1, 2, ... until no further cycle; BoolNet
enumerates the inputs as ordinary nodes). Reported: seconds (best of the repeats), the number of
attractors, and mtorsim's proof. Run from anywhere:

    python benchmarks/bench_syncsat.py              # the corpus models below that are present
    python benchmarks/bench_syncsat.py --no-peers   # mtorsim only
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = [HERE.parent / "tests" / "data" / "corpus", HERE.parent.parent / "shared" / "corpus"]
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

MTORSIM = """
import json, sys, time
from mtorsim.network import Network
from mtorsim.attractors.search import find_attractors
net = Network.load(sys.argv[1])
t = time.perf_counter()
res = find_attractors(net, "sync", "sat", max_combinations=2**30)
print(json.dumps(dict(seconds=time.perf_counter() - t, attractors=len(res.attractors), complete=res.complete,
                      settings=res.combinations, notes=res.notes)))
"""

BOOLNET = """
suppressMessages(library(BoolNet))
args <- commandArgs(trailingOnly = TRUE)
net <- loadNetwork(args[1])
t <- system.time(a <- getAttractors(net, type = "synchronous", method = "sat.exhaustive"))[["elapsed"]]
cat(sprintf('{"seconds": %f, "attractors": %d}\\n', t, length(a$attractors)))
"""


def find(model: str) -> Path | None:
    for corpus in CORPORA:
        hits = sorted(corpus.glob(f"{model}_*.bnet"))
        if hits:
            return hits[0]
    return None


def run(cmd: list[str], timeout: float) -> dict:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:.0f} s"}
    if out.returncode:
        tail = out.stderr.strip().splitlines()[-1:] or [f"exit {out.returncode}"]
        return {"error": tail[0][:80]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("models", nargs="*", default=MODELS)
    args = ap.parse_args()
    rscript = None if args.no_peers else shutil.which("Rscript")
    print(f"{'model':10s} {'nodes':>5s}  {'mtorsim':>22s}  {'BoolNet sat.exhaustive':>24s}  ratio  proof")
    for model in args.models:
        path = find(model)
        if path is None:
            print(f"{model:10s} (not found)")
            continue
        nodes = sum(1 for line in path.read_text().splitlines() if "," in line and not line.startswith("targets"))
        ours = [run([sys.executable, "-c", MTORSIM, str(path)], args.timeout) for _ in range(args.repeats)]
        ok = [r for r in ours if "error" not in r]
        mine = min(ok, key=lambda r: r["seconds"]) if ok else ours[0]
        peer = (
            {"error": "no Rscript"}
            if rscript is None
            else min(
                (run([rscript, "-e", BOOLNET, str(path)], args.timeout) for _ in range(args.repeats)),
                key=lambda r: r.get("seconds", float("inf")),
            )
        )
        text = (
            f"{mine['seconds']:7.2f} s {mine['attractors']:4d} att{' ✓' if mine['complete'] else ' ?'}"
            if "error" not in mine
            else mine["error"]
        )
        ptext = f"{peer['seconds']:7.2f} s {peer['attractors']:4d} att" if "error" not in peer else peer["error"]
        ratio = (
            f"{peer['seconds'] / mine['seconds']:5.1f}x"
            if "error" not in peer and "error" not in mine and mine["seconds"] > 0
            else "    -"
        )
        proof = next((n for n in mine.get("notes", []) if n.startswith(("proven", "incomplete"))), "")
        print(f"{model:10s} {nodes:5d}  {text:>22s}  {ptext:>24s}  {ratio}  {proof[:70]}")


if __name__ == "__main__":
    main()
