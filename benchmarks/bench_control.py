"""Node-level control: mtorsim's minimal-set search beside AEON's phenotype control, same problem.

Problem (where the two coincide): asynchronous dynamics, any node held at 0 or 1 for good, the
phenotype "READOUT = 0 in every attractor, from any initial state", perturbations of up to
``--size`` nodes. AEON (``Control.phenotype_permanent``) returns every working perturbation
symbolically; mtorsim returns the minimal ones by trying sets by size on the exact attractors.
Both answers are reduced to the minimal sets and compared (they must be equal); the times are
the calls alone, in one process, best of ``--repeat``.

    python benchmarks/bench_control.py                # corpus models up to 40 nodes
    python benchmarks/bench_control.py --size 1 --max-nodes 60
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def aeon_minimal(path: Path, readout: str, size: int) -> tuple[set, float]:
    import biodivine_aeon as ba

    bn = ba.BooleanNetwork.from_file(str(path)).infer_valid_graph()
    t0 = time.perf_counter()
    g = ba.AsynchronousPerturbationGraph(bn)
    works = ba.Control.phenotype_permanent(g, g.mk_subspace_vertices({readout: False}), size_limit=size)
    sets = [
        frozenset((k, int(v)) for k, v in p.perturbed_named_dict().items())
        for p in works.select_by_size(size, True).perturbations().items()
    ]
    spent = time.perf_counter() - t0
    sets = [s for s in sets if readout not in {n for n, _ in s}]
    return {s for s in sets if not any(t < s for t in sets)}, spent


def ours_minimal(path: Path, readout: str, size: int) -> tuple[set, float, bool]:
    from mtorsim.intervention.evaluate import Evaluator
    from mtorsim.intervention.goal import Goal
    from mtorsim.intervention.search import node_elements, search
    from mtorsim.model.vocabulary import Vocabulary, load_vocabulary
    from mtorsim.network import Network

    net = Network.load(path)
    tmp = Path("/tmp/bench_control_vocab.toml")
    tmp.write_text(f'[readouts.R]\nformula = "{readout}"\n')
    vocab: Vocabulary = load_vocabulary(tmp, net)
    t0 = time.perf_counter()
    ev = Evaluator(net, vocab, update="async")
    elements = node_elements(ev, [], [readout], both=True)
    found, _, complete = search(ev, Goal.parse("R<=0", vocab.readouts), [], elements, max_size=size)
    spent = time.perf_counter() - t0
    return {frozenset(e.node for e in combo) for combo in found}, spent, complete


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=2)
    ap.add_argument("--max-nodes", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from conftest import CORPUS

    from mtorsim.network import Network

    print("| model | nodes | readout | minimal sets | AEON s | mtorsim s | ratio | agree |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for path in CORPUS:
        net = Network.load(path)
        if len(net) > args.max_nodes:
            continue
        from mtorsim.network.feedback import upstream

        inputs = set(net.inputs)
        candidates = [n for n in net.nodes if n not in inputs]
        if not candidates:
            continue
        readout = max(candidates, key=lambda n: (len(upstream(net, [net.index(n)])), n))  # the widest cone
        a_best = o_best = float("inf")
        for _ in range(args.repeat):
            a, a_t = aeon_minimal(path, readout, args.size)
            o, o_t, complete = ours_minimal(path, readout, args.size)
            a_best, o_best = min(a_best, a_t), min(o_best, o_t)
        ratio = a_best / o_best if o_best > 0 else float("inf")
        print(
            f"| {path.name[:28]} | {len(net)} | {readout} | {len(o)} | {a_best:.3f} | {o_best:.3f} | "
            f"{ratio:.1f}x | {'yes' if a == o and complete else 'NO'} |"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
