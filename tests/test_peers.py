"""Cross-checks against peer tools (install with `pip install -e .[peers]`); skipped without them.

Run only these with `python -m pytest -m peers`.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS, ZANUDO

from mtorsim.attractors import find_attractors
from mtorsim.network import Network

pytestmark = pytest.mark.peers

SMALL = [p for p in CORPUS if len(Network.load(p)) <= 20 and len(Network.load(p).inputs) <= 8]


def ours(net: Network, update: str, method: str = "auto") -> set[frozenset]:
    res = find_attractors(net, update, method, show_states=1 << 20)
    assert res.complete
    return {frozenset(tuple(s) for s in a.states) for a in res.attractors}


@pytest.mark.parametrize("path", SMALL, ids=lambda p: p.name[:8])
def test_async_attractors_agree_with_aeon(path):
    aeon = pytest.importorskip("biodivine_aeon")
    net = Network.load(path)
    bn = aeon.BooleanNetwork.from_file(str(path)).infer_valid_graph()
    stg = aeon.AsynchronousGraph(bn)
    theirs = set()
    for attractor in aeon.Attractors.attractors(stg):
        states = set()
        for v in attractor.vertices():
            d = v.to_named_dict()
            states.add(tuple(int(d[n]) for n in net.nodes))
        theirs.add(frozenset(states))
    assert ours(net, "async") == theirs


@pytest.mark.parametrize("path", SMALL + [ZANUDO / "BreastCancerModel_ZanudoEtAl2020_MCF7.booleannet"],
                         ids=lambda p: p.name[:8])
def test_fixed_points_agree_with_mpbn(path):
    """Inputs held at 0 (as constants for mpbn) so large models stay quick to enumerate."""
    mpbn = pytest.importorskip("mpbn")
    net = Network.load(path)
    held = {n: 0 for n in net.inputs}
    rules = {n: "0" if n in held else _mpbn_rule(e) for n, e in zip(net.nodes, net.rules)}
    theirs = {tuple(int(fp[n]) for n in net.nodes) for fp in mpbn.MPBooleanNetwork(rules).fixedpoints()}
    res = find_attractors(net, "sync", "fixed-points", fixed=held, limit=10**6)
    assert res.complete
    assert {tuple(a.states[0]) for a in res.attractors} == theirs


def _mpbn_rule(expr) -> str:
    from mtorsim.formats.ast import to_text

    text = to_text(expr, "bnet")
    return {"1": "1", "0": "0"}.get(text, text)
