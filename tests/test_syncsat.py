"""The proven synchronous attractor search (syncsat.py) against brute force, the exhaustive
search, random sampling and BoolNet's count."""

from __future__ import annotations

import pytest
from brute_attractors import sync_attractors
from conftest import CORPUS
from hypothesis import given
from test_attractors import FAST, as_sets, is_rotation, networks

from mtorsim.attractors.search import find_attractors
from mtorsim.attractors.syncsat import search, unrolled_program
from mtorsim.formats.parser import parse_booleannet
from mtorsim.network import Network


@FAST
@given(networks(max_n=8))
def test_sat_matches_brute_force(case):
    net, held = case
    ref = sync_attractors(net, held)
    res = find_attractors(net, "sync", "sat", fixed=held)
    assert res.complete and as_sets(res) == set(ref)
    for a in res.attractors:
        assert is_rotation([tuple(s) for s in a.states], ref[frozenset(tuple(s) for s in a.states)][0])
        assert a.kind == ("fixed" if a.size == 1 else "cycle")
        if a.basin is not None:  # only where percolation decides every node: then it is exact
            total = 2 ** (len(net) - len(held))
            assert a.basin * total == ref[frozenset(tuple(s) for s in a.states)][1]


def counter(k: int) -> Network:
    """A k-bit counter that stops at all ones: from 0 the transient is 2^k - 1 steps."""
    bits = [f"b{i}" for i in range(k)]
    full = " and ".join(bits)
    rules = []
    for i, b in enumerate(bits):
        carry = " and ".join(bits[:i]) or "1"
        rules.append(f"{b}* = ({full}) or ({b} and not ({carry})) or (not {b} and ({carry}))")
    return Network.from_rules(parse_booleannet("\n".join(rules), "counter.rules"))


def test_transients_far_longer_than_the_horizon_are_proven():
    net = counter(8)
    ref = sync_attractors(net)
    assert len(ref) == 1
    res = search(net, horizon=4)
    assert res.complete and res.reason == "proven"
    assert [c.tolist() for c in res.cycles] == [[[1] * 8]]


def test_a_search_out_of_time_says_so():
    res = search(counter(6), time_limit=0)
    assert not res.complete and res.reason == "time"


def test_the_program_holds_only_integers():
    net = Network.from_rules(parse_booleannet("Akt_1* = not (mTORC1 and S6K)\nmTORC1* = Akt_1\nS6K* = mTORC1\n", "m"))
    text = unrolled_program(net, 3)
    assert "Akt" not in text and "mTOR" not in text and "S6K" not in text


MID_CORPUS = [p for p in CORPUS if 10 <= len(Network.load(p)) <= 24]


@pytest.mark.parametrize("path", MID_CORPUS, ids=lambda p: p.name[:7])
def test_corpus_models_match_the_exhaustive_search(path):
    net = Network.load(path)
    sat = find_attractors(net, "sync", "sat")
    exhaustive = find_attractors(net, "sync", "exhaustive", basins="reduced")
    assert sat.complete and exhaustive.complete
    assert as_sets(sat) == as_sets(exhaustive)


def test_bbm107_has_boolnets_13_and_sampling_agrees():
    net = Network.load(next(p for p in CORPUS if "bbm-107" in p.name))  # 33 nodes, 1 input
    sat = find_attractors(net, "sync", "sat")
    assert sat.complete and len(sat.attractors) == 13  # BoolNet's SAT mode: 13
    assert as_sets(find_attractors(net, "sync", "sample", samples=2000, seed=1)) <= as_sets(sat)


def test_beyond_the_exhaustive_limit_auto_is_proven_and_sampling_agrees():
    """bbm-070 (53 nodes, 2^49 states per input setting): the 40 attractors BoolNet's SAT mode
    lists, proven complete; every attractor 2,000 random starts reach is among them, and the
    basin estimates are those of the sampler."""
    net = Network.load(next(p for p in CORPUS if "bbm-070" in p.name))
    res = find_attractors(net, "sync")
    assert res.complete and "sat" in res.method and len(res.attractors) == 40
    assert any(n.startswith("proven: every state enters one of them within") for n in res.notes)
    sampled = find_attractors(net, "sync", "sample", samples=2000, seed=3)
    assert as_sets(sampled) <= as_sets(res)
    assert abs(sum(a.basin for a in res.attractors) - 1) < 1e-9


@FAST
@given(networks(max_n=8))
def test_fixed_point_count_matches_brute_force(case):
    from brute_attractors import fixed_points

    from mtorsim.attractors.fixedcount import count_fixed_points

    net, held = case
    assert count_fixed_points(net, held) == len(fixed_points(net, held))


def test_fixed_point_count_of_the_hemedan_mtor_model(run_cli):
    """bbm-215 (67 nodes, 26 inputs): AEON counts 218,087,424 fixed points symbolically."""
    import json

    from mtorsim.attractors.fixedcount import count_fixed_points
    from mtorsim.errors import MtorsimError

    path = next(p for p in CORPUS if "bbm-215" in p.name)
    res = run_cli("attractors", path, "--count", "--method", "fixed-points", "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)["count"] == 218_087_424
    with pytest.raises(MtorsimError, match="takes more than 0 s"):
        count_fixed_points(Network.load(path), time_limit=0)


BOOLNET = """
suppressMessages(library(BoolNet))
a <- getAttractors(loadNetwork(commandArgs(trailingOnly = TRUE)[1]), type = "synchronous", method = "sat.exhaustive")
cat(sort(sapply(a$attractors, function(x) ncol(x$involvedStates))), "\\n")
"""


@pytest.mark.peers
@pytest.mark.parametrize("model", [p.name[:7] for p in CORPUS if len(Network.load(p)) <= 60])
def test_sat_agrees_with_boolnet(model):
    """BoolNet's SAT mode (R, Debian r-cran-boolnet): the same number of attractors of each length."""
    import shutil
    import subprocess

    rscript = shutil.which("Rscript")
    if rscript is None or subprocess.run([rscript, "-e", "library(BoolNet)"], capture_output=True).returncode:
        pytest.skip("BoolNet (R) is not installed")
    path = next(p for p in CORPUS if model in p.name)
    out = subprocess.run([rscript, "-e", BOOLNET, str(path)], capture_output=True, text=True, check=True).stdout
    theirs = sorted(int(x) for x in out.split())
    ours = sorted(a.size for a in find_attractors(Network.load(path), "sync", "sat").attractors)
    assert ours == theirs


def test_long_walks_leave_python_for_the_kernel(monkeypatch):
    """Past PY_STEPS the walk runs in the compiled kernel; the answer is the same."""
    from mtorsim.attractors import syncsat

    monkeypatch.setattr(syncsat, "PY_STEPS", 3)
    res = search(counter(6), horizon=2)
    assert res.complete and [c.tolist() for c in res.cycles] == [[[1] * 6]]
    net = Network.load(next(p for p in CORPUS if "bbm-023" in p.name))
    assert {frozenset(map(tuple, c.tolist())) for c in search(net).cycles} == set(sync_attractors(net))
