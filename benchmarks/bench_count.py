"""Counting without listing, side by side with AEON in the same run.

mtorsim: ``attractorcount.count_attractors`` (fixed points; asynchronous and synchronous
attractors over every setting of the free inputs). AEON: ``FixedPoints.symbolic(...).cardinality()``
(fixed points; it has no count of the attractors over all input settings short of listing them,
so those rows have no peer). Each count runs in its own process, timed inside it (loading the model
and counting; mtorsim's numba cache load included), killed at the timeout. Ratio: AEON seconds /
mtorsim seconds (above 1: mtorsim faster).

    python benchmarks/bench_count.py                 # bbm-215 and bbm-269
    python benchmarks/bench_count.py bbm-215 --timeout 30
"""

from __future__ import annotations

import argparse
import sys

from bench_syncsat import find, run  # same directory: the model lookup and the timed subprocess

MTORSIM = """
import json, sys, time
t = time.perf_counter()
from mtorsim.attractors.count import count_attractors
from mtorsim.network import Network
net = Network.load(sys.argv[1])
r = count_attractors(net, update=sys.argv[2], fixed_points_only=sys.argv[2] == "fixed", time_limit=float(sys.argv[3]))
print(json.dumps({"count": r.count, "complete": r.complete, "seconds": time.perf_counter() - t}))
"""

AEON = """
import json, sys, time
t = time.perf_counter()
import biodivine_aeon as ba
graph = ba.AsynchronousGraph(ba.BooleanNetwork.from_file(sys.argv[1]).infer_valid_graph())
n = ba.FixedPoints.symbolic(graph).cardinality()
print(json.dumps({"count": int(n), "complete": True, "seconds": time.perf_counter() - t}))
"""


def cell(r: dict) -> str:
    if "error" in r:
        return r["error"][:40]
    return f"{r['count']:,} in {r['seconds']:.2f} s" + ("" if r["complete"] else " (lower bound)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("models", nargs="*", default=["bbm-215", "bbm-269"])
    args = ap.parse_args()
    print(f"{'model':8s} {'what':14s} {'mtorsim':>36s} {'AEON':>36s}  ratio")
    for model in args.models:
        path = find(model)
        if path is None:
            print(f"{model:8s} (not found)")
            continue
        for what in ("fixed", "async", "sync"):
            ours = run([sys.executable, "-c", MTORSIM, str(path), what, str(args.timeout)], args.timeout + 10)
            peer = run([sys.executable, "-c", AEON, str(path)], args.timeout) if what == "fixed" else {}
            ratio = (
                f"{peer['seconds'] / ours['seconds']:.1f}x"
                if "seconds" in ours and "seconds" in peer and ours["count"] == peer["count"]
                else ("COUNTS DIFFER" if "count" in ours and "count" in peer else "-")
            )
            label = {"fixed": "fixed points", "async": "async attr.", "sync": "sync attr."}[what]
            print(f"{model:8s} {label:14s} {cell(ours):>36s} {cell(peer) if peer else '(no peer count)':>36s}  {ratio}")


if __name__ == "__main__":
    main()
