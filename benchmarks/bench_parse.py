"""Reading big model files: mtorsim's array reader, its reference parser, and AEON, side by side.

Each reader runs in its own process on the same generated .bnet file (random rules of 1 to 5
regulators, seeded) and reports its wall time and peak memory (max RSS, and for mtorsim the
peak of the Python and numpy allocations as tracemalloc counts them). Run from anywhere:

    python benchmarks/bench_parse.py                  # 5 MB with AEON, 50 MB without it
    python benchmarks/bench_parse.py --mb 5 --mb 20   # chosen sizes
    python benchmarks/bench_parse.py --no-peers       # mtorsim only
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

READERS = {
    "mtorsim": """
import time, resource, tracemalloc, json, sys
t = time.perf_counter()
from mtorsim.network import Network
trace = {trace}
if trace:  # numba's own allocations (loading the cached kernels) are not the reader's
    import os, tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".bnet", delete=False) as f:
        f.write("A, B & !C\\n" + "".join(f"N{i}, A\\n" for i in range(200_000)))
    from mtorsim.formats import flat
    flat.FAST_MIN_BYTES = 0
    Network.load(f.name).edge_arrays(); os.unlink(f.name)
    tracemalloc.start()
net = Network.load(sys.argv[1]); net.edge_arrays()
peak = tracemalloc.get_traced_memory()[1] if trace else 0
print(json.dumps(dict(seconds=time.perf_counter() - t, nodes=len(net), flat=type(net.rules).__name__ == "FlatRules",
                      rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, traced=peak)))
""",
    "mtorsim-reference": """
import time, resource, json, sys
t = time.perf_counter()
from mtorsim.formats import flat
flat.FAST_MIN_BYTES = 2**62
from mtorsim.network import Network
net = Network.load(sys.argv[1]); net.edges()
print(json.dumps(dict(seconds=time.perf_counter() - t, nodes=len(net), rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)))
""",
    "aeon": """
import time, resource, json, sys
t = time.perf_counter()
import biodivine_aeon as ba
bn = ba.BooleanNetwork.from_file(sys.argv[1])
print(json.dumps(dict(seconds=time.perf_counter() - t, nodes=bn.variable_count(), rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)))
""",
}


def generate(path: Path, megabytes: float, seed: int = 1) -> int:
    """A .bnet file of about ``megabytes``; returns its number of rules."""
    rng = np.random.default_rng(seed)
    n = int(megabytes * 2**20 / 54.5)
    lines = ["targets, factors"]
    for i in range(n):
        k = int(rng.integers(1, 6))
        terms = [("!" if rng.random() < 0.3 else "") + f"Node_{rng.integers(n)}" for _ in range(k)]
        body = f"({terms[0]} | {terms[1]}) & " + " & ".join(terms[2:]) if k > 2 else " | ".join(terms)
        lines.append(f"Node_{i}, {body}")
    path.write_text("\n".join(lines) + "\n")
    return n


def run(reader: str, path: Path, timeout: float, trace: bool = False) -> dict:
    code = READERS[reader].replace("{trace}", str(trace))
    try:
        out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish in {timeout:.0f} s"}
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"}
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, action="append", help="file sizes in MB (default 5 and 50)")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--repeats", type=int, default=2, help="best of this many runs per reader")
    args = ap.parse_args()
    sizes = args.mb or [5, 50]
    run("mtorsim", Path(__file__), 120)  # numba's cache is warm from here on (a first run compiles)
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp) / f"random_{mb:g}mb.bnet"
            rules = generate(path, mb)
            size = path.stat().st_size
            print(f"\n{size / 2**20:.1f} MB, {rules:,} rules ({path.name})")
            readers = ["mtorsim", "mtorsim-reference"]
            if not args.no_peers and mb <= 10:
                readers.append("aeon")
            best = {}
            for reader in readers:
                results = [run(reader, path, args.timeout) for _ in range(args.repeats)]
                ok = [r for r in results if "error" not in r]
                if not ok:
                    print(f"  {reader:18s} {results[0]['error']}")
                    continue
                r = min(ok, key=lambda r: r["seconds"])
                best[reader] = r
                extra = ""
                if reader == "mtorsim":
                    traced = run("mtorsim", path, args.timeout, trace=True)["traced"]
                    extra = f", traced peak {traced / 2**20:.0f} MB = {traced / size:.1f}x the file"
                print(
                    f"  {reader:18s} {r['seconds']:7.2f} s  max RSS {r['rss'] / 2**20:6.0f} MB  "
                    f"{r['nodes']:,} nodes{extra}"
                )
            if "mtorsim" in best:
                for other in ("mtorsim-reference", "aeon"):
                    if other in best:
                        print(
                            f"  mtorsim is {best[other]['seconds'] / best['mtorsim']['seconds']:.1f}x faster than {other}"
                        )


if __name__ == "__main__":
    main()
