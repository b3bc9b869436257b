"""Continuous time against MaBoSS (``pip install cmaboss``, the 64-node build); skipped without it.

Node probability trajectories (and, for the hand-made model, transition and state entropies)
agree with MaBoSS's within the statistical error at every window. Both sides are Monte Carlo:
a difference is flagged beyond 5 combined standard errors (our per-run standard error, which is
the same for both samples, times sqrt(2)), a bound a wrong semantics breaks by far.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, DATA

from mtorsim.network import Network
from mtorsim.simulation.continuous import simulate_continuous
from mtorsim.simulation.initial import InitialSpec
from mtorsim.simulation.runconfig import load_run_config

pytestmark = pytest.mark.peers

MODELS = [p for p in CORPUS if len(Network.load(p)) <= 64] + sorted((DATA / "bbm").glob("*.bnet"))
RUNS = 4000


def maboss(network: Path, cfg: str, runs: int):
    cmaboss = pytest.importorskip("cmaboss")
    net = cmaboss.MaBoSSNet(network=str(network))
    sim = cmaboss.MaBoSSSim(net=net, cfg=cmaboss.MaBoSSCfg(net, config_str=cfg))
    sim.update_parameters(sample_count=runs, thread_count=2)
    res = sim.run()
    probs, times, nodes, _ = res.get_nodes_probtraj()
    entropy, _, cols = res.get_entropy_trajectory()
    return np.asarray(probs), list(nodes), np.asarray(times), dict(zip(cols, np.asarray(entropy).T))


def agree(ours, se, theirs, z=5.0):
    bad = np.abs(ours - theirs) > z * np.sqrt(2) * se + 1e-3
    return not bad.any(), np.abs(ours - theirs).max()


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.name[:8])
def test_node_probabilities_agree_with_maboss_on_corpus_models(path):
    """Default rates, every node starting at random, 10 time units in windows of 1."""
    theirs, nodes, times, _ = maboss(path, "time_tick = 1; max_time = 10;", RUNS)
    net = Network.load(path)
    res = simulate_continuous(net, max_time=10, time_tick=1, runs=RUNS, seed=1, init=InitialSpec(default=0.5))
    cols = [net.index(n) for n in nodes]
    assert np.allclose(times, res.times)
    ok, worst = agree(res.mean[:, cols], res.error[:, cols], theirs)
    assert ok, f"largest difference {worst:.3f}"


@pytest.mark.parametrize("discrete", [0, 1])
def test_hand_made_bnd_cfg_agrees_with_maboss(discrete):
    """Parameters, a custom node variable, a joint initial distribution, an internal node, a
    node without logic; continuous and discrete time; node probabilities, TH and H."""
    bnd, cfg = DATA / "maboss" / "toy.bnd", DATA / "maboss" / "toy.cfg"
    text = cfg.read_text() + f"\ndiscrete_time = {discrete};\n"
    runs = 20000
    theirs, nodes, times, entropy = maboss(bnd, text, runs)
    net = Network.load(bnd)
    rc = load_run_config(net, [cfg])
    res = simulate_continuous(
        net,
        rc.rates,
        rc.setting("max_time"),
        rc.setting("time_tick"),
        runs,
        seed=3,
        init=rc.init,
        internal=rc.internal,
        discrete_time=bool(discrete),
    )
    assert sorted(nodes) == sorted(n for n in net.nodes if n not in rc.internal)  # MaBoSS orders by first mention
    cols = [net.index(n) for n in nodes]
    ok, worst = agree(res.mean[:, cols], res.error[:, cols], theirs)
    assert ok, f"largest difference {worst:.3f}"
    ok, worst = agree(res.th, res.th_error, entropy["TH"])
    assert ok, f"TH differs by {worst:.3f}"
    assert np.abs(res.h - entropy["H"]).max() < 0.05
