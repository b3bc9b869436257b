"""Continuous-time simulation: exact master-equation values, the plain-Python reference,
reproducibility and thread independence."""

from __future__ import annotations

import numpy as np
import pytest
from exact_ctmc import generator, node_means, window_means
from hypothesis import given, settings
from hypothesis import strategies as st
from naive import NaiveModel
from naive_ct import default_rate, run
from strategies import exprs

from mtorsim.compiler.ratelaws import RateSpec
from mtorsim.formats.ast import Rule
from mtorsim.formats.parser import parse_booleannet
from mtorsim.network import Network
from mtorsim.simulation.continuous import simulate_continuous
from mtorsim.simulation.initial import InitialSpec
from mtorsim.util.seeds import run_seeds

TOY = "A* = not B\nB* = A\nC* = A and B\n"


def toy():
    return Network.from_rules(parse_booleannet(TOY, "toy"))


def toy_rule(i, s):
    return [1 - s[1], s[0], s[0] & s[1]][i]


def assert_within(got, se, want, z=4.5):
    """|got - want| within z standard errors everywhere (plus a floor for tiny errors)."""
    bad = np.abs(np.asarray(got) - want) > z * np.asarray(se) + 1e-9
    assert not bad.any(), f"max deviation {np.abs(got - want).max():.4g}, got {got[bad][:5]}, want {want[bad][:5]}"


def test_default_rates_match_master_equation():
    """Every node flips at rate 1 towards its rule: exact window means from exp(Qt)."""
    q = generator(3, lambda i, s: 1.0 if toy_rule(i, s) != s[i] else 0.0)
    exact = node_means(window_means(q, np.full(8, 1 / 8), 0.5, 8), 3)
    res = simulate_continuous(toy(), max_time=4, time_tick=0.5, runs=20000, seed=5, init=InitialSpec(default=0.5))
    assert res.mean.shape == (8, 3)
    assert_within(res.mean, res.error, exact)


def test_custom_rates_partial_hold_and_joint_start_match_master_equation():
    """A up at 1.5, C up at 2 and down at 0.5; B held at 0 with efficacy 0.6; start (A, C)
    jointly 00 (0.3) or 11 (0.7), B off."""
    from mtorsim.formats.maboss.expr import Attr, Cond, Num

    logic = Attr("logic")
    from mtorsim.compiler.ratelaws import NodeRates

    spec = RateSpec(
        {
            "A": NodeRates(Cond(logic, Num(1.5), Num(0.0)), None),
            "C": NodeRates(Cond(logic, Num(2.0), Num(0.0)), Cond(logic, Num(0.0), Num(0.5))),
        }
    )
    e = 0.6

    def rate(i, s):
        up = [1.5, 1.0, 2.0][i]
        down = [1.0, 1.0, 0.5][i]
        r = (up if s[i] == 0 else down) if toy_rule(i, s) != s[i] else 0.0
        if i == 1:  # held at 0
            r = (1 - e) * r + (e * 1.0 if s[1] == 1 else 0.0)
        return r

    q = generator(3, rate)
    p0 = np.zeros(8)
    p0[0b000] = 0.3
    p0[0b101] = 0.7
    exact = node_means(window_means(q, p0, 1.0, 6), 3)
    init = InitialSpec({"B": 0.0}, joint=((("A", "C"), ((3.0, (0, 0)), (7.0, (1, 1)))),))
    res = simulate_continuous(
        toy(), spec, max_time=6, time_tick=1.0, runs=20000, seed=2, init=init, fixed={"B": 0}, efficacy={"B": e}
    )
    assert_within(res.mean, res.error, exact)


def test_state_probabilities_entropy_and_fixed_points_match_exact():
    """A* = A or B, B* = not A: everything ends in A=1, B=0; states, H and fixed points exact."""
    net = Network.from_rules(parse_booleannet("A* = A or B\nB* = not A\n", "x"))
    q = generator(2, lambda i, s: 1.0 if [s[0] | s[1], 1 - s[0]][i] != s[i] else 0.0)
    probs = window_means(q, np.full(4, 0.25), 1.0, 5)
    res = simulate_continuous(net, max_time=5, time_tick=1.0, runs=20000, seed=9, init=InitialSpec(default=0.5))
    names = {0: "<nil>", 1: "A", 2: "B", 3: "A -- B"}
    for w in range(5):
        got = {s: (p, se) for s, p, se in res.states[w]}
        for x in range(4):
            p, se = got.get(names[x], (0.0, 0.0))
            assert abs(p - probs[w, x]) <= 4.5 * se + 2e-3
        h = -sum(p * np.log2(p) for p in probs[w] if p > 0)
        assert abs(res.h[w] - h) < 0.03
    # every run that has left {A=0} is absorbed in A=1, B=0 by t=5 with probability near 1
    fp = {f["state"]: f["probability"] for f in res.fixed_points}
    assert set(fp) == {"A"}
    at_end = window_means(q, np.full(4, 0.25), 1e-3, 1, sub=2)  # a short window at t = 0 ...
    assert at_end[0, 1] == pytest.approx(0.25, abs=1e-3)  # ... where A alone has probability 1/4
    p_end = (np.full(4, 0.25) @ __import__("exact_ctmc").expm(q * 5.0))[1]
    assert abs(fp["A"] - p_end) < 4.5 * np.sqrt(p_end * (1 - p_end) / 20000) + 1e-3


def test_transition_entropy_of_two_competing_flips():
    """From 00 with A* = 1 (rate 1) and B* = 1 (rate 3), before any flip TH = H(1/4, 3/4)."""
    from mtorsim.compiler.ratelaws import NodeRates
    from mtorsim.formats.maboss.expr import Attr, Cond, Num

    net = Network.from_rules(parse_booleannet("A* = 1\nB* = 1\n", "x"))
    spec = RateSpec({"B": NodeRates(Cond(Attr("logic"), Num(3.0), Num(0.0)), None)})
    res = simulate_continuous(net, spec, max_time=1, time_tick=1, runs=1, seed=0, discrete_time=True)
    want = -(0.25 * np.log2(0.25) + 0.75 * np.log2(0.75))
    assert res.th[0] == pytest.approx(want)


@st.composite
def ct_cases(draw):
    """A random network, initial probabilities and a correlated group, held nodes with
    efficacies, per-node speeds, a window length and discrete or continuous time."""
    n = draw(st.integers(1, 7))
    names = [f"N{i}" for i in range(n)]
    net = Network.from_rules([Rule(x, draw(exprs(names, 3, min_args=1))) for x in names])
    probability = st.sampled_from([0.0, 0.25, 0.5, 1.0])
    values = {x: draw(probability) for x in draw(st.lists(st.sampled_from(names), unique=True, max_size=3))}
    members = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
    groups = ((tuple(members), draw(probability)),) if members else ()
    init = InitialSpec(values, groups, draw(probability))
    held = draw(st.lists(st.sampled_from(names), unique=True, max_size=2))
    fixed = {x: draw(st.integers(0, 1)) for x in held}
    efficacy = {x: draw(st.sampled_from([0.3, 0.8, 1.0])) for x in held}
    speeds = [draw(st.sampled_from([0.5, 1.0, 2.0])) for _ in names]
    return net, init, fixed, efficacy, speeds, draw(st.sampled_from([0.25, 0.5, 1.0])), draw(st.booleans())


@settings(max_examples=30, deadline=None)
@given(ct_cases(), st.integers(0, 2**64 - 1))
def test_kernel_equals_plain_python_reference(case, seed):
    """Same draws, same trajectories: window fractions agree run by run, for random networks
    with random starts, partial holds and per-node rates, in continuous and discrete time."""
    net, init, fixed, efficacy, speeds, tick, discrete = case
    max_time = 3.0
    runs = 5
    res = simulate_continuous(
        net,
        RateSpec.constant(net, np.array(speeds)),
        max_time=max_time,
        time_tick=tick,
        runs=runs,
        seed=seed,
        init=init,
        fixed=fixed,
        efficacy=efficacy,
        discrete_time=discrete,
        threads=1,
    )
    model = NaiveModel.build(list(net.nodes), list(net.rules), init.values, init.groups, init.default, fixed)
    index = {x: i for i, x in enumerate(net.nodes)}
    rate = default_rate(model, speeds, {index[x]: (v, efficacy[x]) for x, v in fixed.items()})
    total = np.zeros_like(res.mean)
    reached = 0
    for s in run_seeds(seed, 0, runs):
        frac, final, fp = run(model, rate, int(s), max_time, tick, discrete)
        total += np.array(frac).reshape(res.mean.shape)
        reached += fp
    np.testing.assert_allclose(res.mean, total / runs, atol=1e-9)
    assert sum(f["probability"] for f in res.fixed_points) == pytest.approx(reached / runs)


def test_partial_hold_equals_reference():
    net = toy()
    model = NaiveModel.build(list(net.nodes), list(net.rules), default=0.5, fixed={"A": 1})
    rate = default_rate(model, holds={0: (1, 0.7)})
    res = simulate_continuous(
        net,
        max_time=4,
        time_tick=0.5,
        runs=9,
        seed=11,
        init=InitialSpec(default=0.5),
        fixed={"A": 1},
        efficacy={"A": 0.7},
        threads=1,
    )
    total = sum(np.array(run(model, rate, int(s), 4.0, 0.5)[0]) for s in run_seeds(11, 0, 9))
    np.testing.assert_allclose(res.mean, total / 9, atol=1e-9)


def test_same_seed_same_numbers_any_thread_count():
    net = Network.from_rules([*parse_booleannet("A* = not C\nB* = A or D\nC* = B\nD* = not A and C\n", "x")])
    kw = dict(max_time=10, time_tick=0.5, runs=3000, seed=42, init=InitialSpec(default=0.5), top_states=40)
    one = simulate_continuous(net, threads=1, **kw)
    two = simulate_continuous(net, threads=2, **kw)
    again = simulate_continuous(net, threads=3, **kw)
    for a, b in ((one, two), (one, again)):
        assert np.array_equal(a.mean, b.mean) and np.array_equal(a.error, b.error)
        assert a.states == b.states and np.array_equal(a.th, b.th) and a.fixed_points == b.fixed_points
        assert np.array_equal(a.h, b.h)
    other = simulate_continuous(net, threads=2, **{**kw, "seed": 43})
    assert not np.array_equal(one.mean, other.mean)


def test_skipping_the_transition_entropy_changes_nothing_else():
    net = Network.from_rules([*parse_booleannet("A* = not C\nB* = A or D\nC* = B\nD* = not A and C\n", "x")])
    kw = dict(max_time=6, time_tick=0.5, runs=600, seed=7, init=InitialSpec(default=0.5), threads=2)
    full = simulate_continuous(net, **kw)
    lean = simulate_continuous(net, entropy=False, **kw)
    assert lean.th is None and lean.th_error is None and full.th is not None and full.th.max() > 0
    assert np.array_equal(lean.mean, full.mean) and np.array_equal(lean.error, full.error)
    assert lean.states == full.states and lean.transitions == full.transitions


def test_scheduled_hold_in_continuous_time():
    """A* = A (an input) held at 1 from t=2 to t=4: on exactly then, off outside."""
    from mtorsim.simulation.discrete import Hold

    net = Network.from_rules(parse_booleannet("A* = A\nB* = A\n", "x"))
    res = simulate_continuous(net, max_time=6, time_tick=1, runs=200, seed=1, schedule=[Hold("A", 1, 2.0, 4.0)])
    assert res.mean[:, 0].tolist() == [0, 0, 1, 1, 0, 0]
    assert res.mean[1, 1] == 0 and 0 < res.mean[2, 1] < 1 and res.mean[3, 1] > res.mean[2, 1]


def test_bad_rate_is_a_clear_error():
    from mtorsim.compiler.ratelaws import NodeRates
    from mtorsim.errors import MtorsimError
    from mtorsim.formats.maboss.expr import Binary, NodeRef, Num

    net = toy()
    spec = RateSpec({"A": NodeRates(Binary("-", Num(0.5), NodeRef("C")), None)})
    with pytest.raises(MtorsimError, match="rate of node A became negative"):
        simulate_continuous(net, spec, max_time=5, runs=50, init=InitialSpec(default=1.0))
    with pytest.raises(MtorsimError, match="rate of node A became negative"):  # a worker's error stops the others
        simulate_continuous(net, spec, max_time=5, runs=3000, init=InitialSpec(default=1.0), threads=3)
