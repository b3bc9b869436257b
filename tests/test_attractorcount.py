"""Counting asynchronous attractors over every input setting (``attractorcount``): brute force
on random networks with free inputs and negative cycles, the per-setting proven search on the
published mTOR model, and AEON (peers)."""

from __future__ import annotations

import itertools
import random

import pytest
from brute_attractors import async_attractors, fixed_points, sync_attractors
from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import exprs

from mtorsim.attractors.count import count_attractors
from mtorsim.attractors.search import find_attractors
from mtorsim.formats.ast import Rule, Var
from mtorsim.network import Network


@st.composite
def networks_with_inputs(draw):
    """2 to 9 nodes, up to 3 of them free inputs (X = X), the rest random rules over all."""
    n = draw(st.integers(2, 9))
    k = draw(st.integers(0, min(3, n - 1)))
    names = [f"N{i}" for i in range(n)]
    rules = [Rule(x, Var(x)) for x in names[:k]] + [Rule(x, draw(exprs(names, 2))) for x in names[k:]]
    held = draw(st.lists(st.sampled_from(names[k:]), unique=True, max_size=1))
    return Network.from_rules(rules), {x: draw(st.integers(0, 1)) for x in held}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks_with_inputs())
def test_the_count_is_the_number_of_terminal_components(case):
    net, held = case
    res = count_attractors(net, held)
    assert res.complete and res.count == len(async_attractors(net, held))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks_with_inputs())
def test_the_fixed_point_count_with_inputs_and_acyclic_tails(case):
    """Free inputs and parts downstream of every cycle (counted as 2 per tail input)."""
    net, held = case
    assert count_attractors(net, held, fixed_points_only=True).count == len(fixed_points(net, held))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks_with_inputs())
def test_the_sync_count_is_the_number_of_cycles_by_length(case):
    from collections import Counter

    net, held = case
    res = count_attractors(net, held, update="sync")
    brute = sync_attractors(net, held)
    assert res.complete and res.count == len(brute)
    assert res.lengths == dict(Counter(len(cycle) for cycle, _ in brute.values()))


@pytest.mark.parametrize("update", ["async", "sync"])
def test_the_mtor_model_with_six_inputs_free_matches_the_search_per_setting(update):
    """bbm-215 with 20 of its 26 inputs held at random values: the count equals the attractors
    the search finds in each of the 64 settings of the other six."""
    net = Network.load(next(p for p in CORPUS if "bbm-215" in p.name))
    rng = random.Random(7)
    for _ in range(3):
        inputs = list(net.inputs)
        rng.shuffle(inputs)
        held = {n: rng.randint(0, 1) for n in inputs[6:]}
        free = inputs[:6]
        by_setting = 0
        for combo in itertools.product((0, 1), repeat=len(free)):
            res = find_attractors(net, update, fixed={**held, **dict(zip(free, combo))})
            assert res.complete
            by_setting += len(res.attractors)
        got = count_attractors(net, held, update=update)
        assert got.complete and got.count == by_setting


@pytest.mark.peers
def test_the_mtor_model_matches_aeon_with_ten_inputs_free():
    """AEON lists the asynchronous attractors of bbm-215 with 16 inputs held (the other ten
    free: 1,024 settings)."""
    aeon = pytest.importorskip("biodivine_aeon")
    path = next(p for p in CORPUS if "bbm-215" in p.name)
    net = Network.load(path)
    held = {n: i % 2 for i, n in enumerate(sorted(net.inputs)[:16])}
    text = path.read_text()
    for name, v in held.items():
        text = "\n".join(f"{name}, {v}" if line.split(",")[0].strip() == name else line for line in text.splitlines())
    graph = aeon.BooleanNetwork.from_bnet(text).infer_valid_graph()
    found = aeon.Attractors.attractors(aeon.AsynchronousGraph(graph))
    assert count_attractors(net, held).count == len(found)


def test_the_command_counts_the_published_mtor_model_over_all_input_settings(run_cli):
    """bbm-215, all 2^26 input settings: complete, and at least its 218,087,424 fixed points
    (AEON's symbolic count), which are attractors in every scheme."""
    import json

    path = next(p for p in CORPUS if "bbm-215" in p.name)
    res = run_cli("attractors", path, "--count", "--update", "async", "--format", "json")
    data = json.loads(res.stdout)
    assert res.exit_code == 0 and data["complete"] and data["kind"] == "asynchronous attractors"
    assert data["count"] > 218_087_424 and data["searched_parts"] > 0
    res = run_cli("attractors", path, "--count", "--update", "sync", "--format", "json")
    data = json.loads(res.stdout)
    assert res.exit_code == 0 and data["complete"] and data["kind"] == "synchronous attractors"
    assert data["cycle_lengths"]["1"] == 218_087_424 and data["count"] == sum(data["cycle_lengths"].values())


@pytest.mark.slow
def test_the_fixed_points_of_bbm_269_as_aeon_counts_them():
    """bbm-269 (203 nodes, 47 inputs): 507,550,550,196,224 fixed points, AEON's symbolic count
    (issue #12); 30-60 s here."""
    net = Network.load(next(p for p in CORPUS if "bbm-269" in p.name))
    assert count_attractors(net, fixed_points_only=True, time_limit=600).count == 507_550_550_196_224


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks_with_inputs(), st.integers(1, 4))
def test_the_solver_count_of_a_part_is_the_number_of_fixed_points(case, limit):
    """The count handed to clingo as ground rules (no listing), whole and up to a limit."""
    from mtorsim.attractors.fixedpoints import count_fixed_points

    net, _ = case
    brute = len(fixed_points(net, {}))
    assert count_fixed_points(net) == brute
    assert count_fixed_points(net, limit) == min(brute, limit)
