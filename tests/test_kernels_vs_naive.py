"""The numba trajectory kernels, driven through ``simulate``, agree exactly with the plain-Python
reference in ``naive.py``: same random numbers, same initial states, same updates, same samples."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import exprs

import mtorsim.simulation.discrete as simulate_module
from mtorsim.compiler import compile_network
from mtorsim.formats.ast import And, Const, Not, Or, Rule, Var
from mtorsim.network import Network
from mtorsim.simulation.discrete import simulate
from mtorsim.simulation.initial import InitialSpec
from mtorsim.simulation.rates import alias_table
from mtorsim.util.seeds import run_seeds

try:
    import naive
except ImportError:  # tests/ imported as a package
    from tests import naive

UPDATES = ("sync", "async", "random-order")
# Dyadic rates: every sum is exact, so sum(rates)/min(rates) is the same however it is summed.
RATES = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)


probabilities = st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(0.0, 1.0))


@dataclass
class Case:
    net: Network
    init: InitialSpec
    fixed: dict
    rates: np.ndarray
    seed: int

    def model(self) -> naive.NaiveModel:
        return naive.NaiveModel.build(
            self.net.nodes, self.net.rules, self.init.values, self.init.groups, self.init.default, self.fixed
        )


@st.composite
def cases(draw, min_n: int = 1, max_n: int = 12, uniform_rates: bool = False):
    """A random network with random rules, held nodes, initial probabilities, a correlated group,
    rates and seed."""
    n = draw(st.integers(min_n, max_n))
    names = [f"N{i}" for i in range(n)]
    rules = [Rule(name, draw(exprs(names, 3, min_args=1))) for name in names]
    net = Network.from_rules(rules)
    subset = st.lists(st.sampled_from(names), unique=True, max_size=max(1, n // 3))
    fixed = {name: draw(st.integers(0, 1)) for name in draw(subset)}
    values = {name: draw(probabilities) for name in draw(subset)}
    groups = []
    for _ in range(draw(st.integers(0, 2))):
        members = draw(st.lists(st.sampled_from(names), unique=True, min_size=1, max_size=max(1, n // 2)))
        groups.append((tuple(members), draw(probabilities)))
    init = InitialSpec(values, tuple(groups), draw(probabilities))
    if uniform_rates or draw(st.booleans()):
        rates = np.full(n, draw(st.sampled_from(RATES)))
    else:
        rates = np.array([draw(st.sampled_from(RATES)) for _ in names])
    seed = draw(st.integers(0, 2**64 - 1))
    return Case(net, init, fixed, rates, seed)


class RecordRuns:
    """Passed as a score, it sees every chunk of per-run samples (runs x samples x nodes)."""

    name = "recorded"

    def __init__(self) -> None:
        self.runs: list[list[list[int]]] = []

    def per_run(self, states: np.ndarray, net: Network) -> np.ndarray:
        self.runs.extend(states.tolist())
        return np.zeros(states.shape[:2])


def check_against_naive(case: Case, update: str, program_limit: int, runs: int, length: float, every: float) -> None:
    """``simulate`` against the reference: times, means, the trajectory (one run) and, through a
    recording score, every run's samples."""
    program = compile_network(case.net, table_max_inputs=program_limit)
    record = RecordRuns()
    res = simulate(
        case.net,
        update,
        length=length,
        runs=runs,
        init=case.init,
        fixed=case.fixed,
        rates=case.rates,
        seed=case.seed,
        every=every,
        scores=[record],
        program=program,
    )
    seeds = [int(s) for s in run_seeds(case.seed, 0, runs)]
    rates = [float(r) for r in case.rates]
    times, steps, per_run, mean = naive.simulate(case.model(), update, length, runs, seeds, every, rates)
    assert res.times.tolist() == times
    assert res.mean.shape == (len(steps), len(case.net))
    assert record.runs == per_run
    assert res.mean.tolist() == mean
    if runs == 1:
        assert res.trajectory.tolist() == per_run[0]
    else:
        assert res.trajectory is None


SIM = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("limit", [16, 0], ids=["table", "bytecode"])
@pytest.mark.parametrize("update", UPDATES)
@SIM
@given(case=cases(), length=st.integers(1, 15), every=st.integers(1, 4))
def test_one_run_trajectory_is_exact(update, limit, case, length, every):
    if update == "async":
        length = 1 + length % 4  # time units; up to a few hundred single-node steps
    check_against_naive(case, update, limit, runs=1, length=length, every=every)


@pytest.mark.parametrize("limit", [16, 0], ids=["table", "bytecode"])
@pytest.mark.parametrize("update", UPDATES)
@SIM
@given(case=cases(max_n=8), runs=st.integers(2, 6), length=st.integers(1, 8))
def test_means_over_runs_are_exact(update, limit, case, runs, length):
    if update == "async":
        length = 1 + length % 3
    check_against_naive(case, update, limit, runs=runs, length=length, every=1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=cases(max_n=6),
    every=st.sampled_from([0.1, 0.25, 0.3, 0.5, 0.7, 1.0, 2.5]),
    length=st.sampled_from([1.0, 1.5, 2.0, 3.3]),
)
def test_async_fractional_sample_times(case, every, length):
    check_against_naive(case, "async", 16, runs=1, length=length, every=every)


@settings(max_examples=60, deadline=None)
@given(case=cases(max_n=10), runs=st.integers(1, 5))
def test_initial_states_are_exact(case, runs):
    """Only the initial states: groups drawn first, then each node with 0 < p < 1, then held values."""
    res = simulate(case.net, "sync", length=1, runs=runs, init=case.init, fixed=case.fixed, seed=case.seed)
    model = case.model()
    states = [model.initial_state(naive.SplitMix64(int(s))) for s in run_seeds(case.seed, 0, runs)]
    assert res.mean[0].tolist() == [sum(s[i] for s in states) / runs for i in range(len(case.net))]


@pytest.mark.parametrize("update", UPDATES)
def test_runs_split_into_chunks_give_the_same_means(update, monkeypatch):
    """With a tiny chunk size every run is its own kernel call; means must not change."""
    net = big_network(20)
    init = InitialSpec(default=0.5)
    rates = np.array([1.0, 2.0] * 10)
    kw = dict(update=update, length=4, runs=7, init=init, rates=rates, seed=31, fixed={"G2": 1})
    whole = simulate(net, **kw)
    monkeypatch.setattr(simulate_module, "CHUNK_BYTES", 1)
    chunked = simulate(net, **kw)
    assert np.array_equal(whole.mean, chunked.mean)
    model = naive.NaiveModel.build(net.nodes, net.rules, default=0.5, fixed={"G2": 1})
    seeds = [int(s) for s in run_seeds(31, 0, 7)]
    assert chunked.mean.tolist() == naive.simulate(model, update, 4, 7, seeds, 1, list(rates))[3]


# -- the alias table and the async node choice ----------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.floats(1e-3, 1e3), st.sampled_from(RATES)), min_size=1, max_size=40))
def test_alias_table_is_exact(rates):
    prob, alias = alias_table(np.array(rates))
    n = len(rates)
    assert prob.shape == (n,) and alias.shape == (n,)
    assert all(0.0 <= p <= 1.0 for p in prob)
    assert all(0 <= a < n for a in alias)
    total = math.fsum(rates)
    for i in range(n):
        mass = math.fsum((prob[c] if c == i else 0.0) + ((1.0 - prob[c]) if alias[c] == i else 0.0) for c in range(n))
        assert abs(mass / n - rates[i] / total) <= 1e-12


def flip_network(n: int) -> Network:
    """Every update flips the node, so the changed node reveals which one was drawn."""
    return Network.from_rules([Rule(f"F{i}", Not(Var(f"F{i}"))) for i in range(n)])


@pytest.mark.parametrize("rates", [[1.0, 2.0, 3.0, 4.0], [0.5, 0.5, 4.0, 1.0, 2.0], [1.0, 1.0, 1.0]])
def test_async_choice_frequencies_follow_rates(rates):
    rates = np.array(rates)
    n = len(rates)
    unit = rates.sum() / rates.min()
    assert unit == int(unit)
    net = flip_network(n)
    length = 30000 / unit  # time units, sampled at every single step
    res = simulate(net, "async", length=length, every=1 / unit, rates=rates, seed=12345)
    traj = res.trajectory.astype(np.int64)
    assert traj.shape[0] == 30001  # one sample per step
    diff = np.abs(np.diff(traj, axis=0))
    assert (diff.sum(axis=1) == 1).all()  # exactly one node flipped per step
    counts = diff.sum(axis=0)
    steps = counts.sum()
    p = rates / rates.sum()
    z = (counts - steps * p) / np.sqrt(steps * p * (1 - p) + (p == 1))
    assert np.all(np.abs(z) < 4.5), (counts, steps * p, z)
    # and the same draws as the reference
    times, sample_steps = naive.schedule("async", length, 1 / unit, list(rates))
    assert sample_steps == list(range(30001))
    model = naive.NaiveModel.build(net.nodes, net.rules)
    assert res.trajectory.tolist() == naive.trajectory(
        model, "async", sample_steps, int(run_seeds(12345, 0, 1)[0]), list(rates)
    )


# -- large networks --------------------------------------------------------------------------
def big_network(n: int = 150) -> Network:
    """A ring with a few long-range links: node i reads i-1, i+1 and i+n//2 in a mix of ways."""
    names = [f"G{i}" for i in range(n)]
    rules = []
    for i, name in enumerate(names):
        a, b, c = names[i - 1], names[(i + 1) % n], names[(i + n // 2) % n]
        kind = i % 4
        if kind == 0:
            expr = Or((And((Var(a), Not(Var(b)))), Var(c)))
        elif kind == 1:
            expr = Not(Var(a))
        elif kind == 2:
            expr = And((Or((Var(a), Var(b))), Not(Var(c))))
        else:
            expr = Or((Var(a), Not(Var(c)), Var(name)))
        rules.append(Rule(name, expr))
    return Network.from_rules(rules)


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize("limit", [16, 0], ids=["table", "bytecode"])
def test_network_with_150_nodes(update, limit):
    net = big_network(150)
    assert len(net) > 64
    fixed = {"G3": 1, "G70": 0, "G149": 1}
    init = InitialSpec({"G0": 1.0, "G1": 0.0, "G100": 0.25}, ((("G10", "G11", "G80", "G140"), 0.6),), 0.5)
    rates = np.ones(150)
    rates[::7] = 2.0
    rates[::11] = 0.5
    case = Case(net, init, fixed, rates, seed=2024)
    length = 3 if update == "async" else 20
    check_against_naive(case, update, limit, runs=1, length=length, every=1)
    check_against_naive(case, update, limit, runs=3, length=length, every=1)


# -- reproducibility -------------------------------------------------------------------------
@pytest.mark.parametrize("update", UPDATES)
def test_same_seed_same_result_different_seed_different_result(update):
    net = big_network(40)
    init = InitialSpec(default=0.5)
    kw = dict(update=update, length=10, init=init, rates=np.linspace(1.0, 3.0, 40))
    a = simulate(net, seed=99, **kw)
    b = simulate(net, seed=99, **kw)
    c = simulate(net, seed=100, **kw)
    assert np.array_equal(a.trajectory, b.trajectory) and np.array_equal(a.mean, b.mean)
    assert not np.array_equal(a.trajectory, c.trajectory)
    # several runs: identical means with the same seed, and runs differ from each other
    m1 = simulate(net, seed=5, runs=20, **kw).mean
    m2 = simulate(net, seed=5, runs=20, **kw).mean
    m3 = simulate(net, seed=6, runs=20, **kw).mean
    assert np.array_equal(m1, m2)
    assert not np.array_equal(m1, m3)
    assert ((m1 > 0) & (m1 < 1)).any()


@st.composite
def hold_cases(draw):
    """A random case plus scheduled holds on nodes that are not held for the whole run."""
    case = draw(cases(min_n=2, max_n=8))
    free = [n for n in case.net.nodes if n not in case.fixed]
    holds = []
    for name in draw(st.lists(st.sampled_from(free), unique=True, max_size=3)) if free else []:
        start = draw(st.integers(0, 8))
        end = draw(st.one_of(st.none(), st.integers(start + 1, 14)))
        holds.append((name, draw(st.integers(0, 1)), start, end))
    return case, holds


@pytest.mark.parametrize("update", UPDATES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=hold_cases())
def test_scheduled_holds_match_reference(update, data):
    """Holds switched on and off during the run (drug schedules) agree exactly with the reference."""
    case, holds = data
    unit = float(case.rates.sum() / case.rates.min()) if update == "async" else 1.0
    schedule = [simulate_module.Hold(n, v, a / unit, None if b is None else b / unit) for n, v, a, b in holds]
    record = RecordRuns()
    length = 15 / unit
    res = simulate(
        case.net,
        update,
        length=length,
        runs=3,
        init=case.init,
        fixed=case.fixed,
        rates=case.rates,
        seed=case.seed,
        every=1 / unit,
        scores=[record],
        schedule=schedule,
    )
    seeds = [int(s) for s in run_seeds(case.seed, 0, 3)]
    ref_holds = [(case.net.index(h.node), h.value, h.start, h.end) for h in schedule]
    times, steps, per_run, mean = naive.simulate(
        case.model(), update, length, 3, seeds, 1 / unit, [float(r) for r in case.rates], ref_holds
    )
    assert record.runs == per_run
    assert res.mean.tolist() == mean


@pytest.mark.parametrize("update", UPDATES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(min_n=2, max_n=8), data=st.data())
def test_partial_efficacy_matches_reference(update, case, data):
    """A hold with efficacy p applies at each update of its node with probability p (one draw)."""
    if not case.fixed:
        case.fixed = {case.net.nodes[0]: 1}
    eff = {name: data.draw(st.sampled_from([0.25, 0.5, 0.9, 1.0])) for name in case.fixed}
    record = RecordRuns()
    res = simulate(
        case.net,
        update,
        length=6,
        runs=3,
        init=case.init,
        fixed=case.fixed,
        rates=case.rates,
        seed=case.seed,
        every=1,
        scores=[record],
        efficacy=eff,
    )
    model = case.model()
    model.efficacy = {case.net.index(n): p for n, p in eff.items()}
    seeds = [int(s) for s in run_seeds(case.seed, 0, 3)]
    times, steps, per_run, mean = naive.simulate(model, update, 6, 3, seeds, 1, [float(r) for r in case.rates])
    assert record.runs == per_run
    assert res.mean.tolist() == mean


def test_efficacy_in_distribution():
    """A node held at 0 with efficacy 0.75 whose rule is 1: on after one sync update with probability 0.25."""
    net = Network.from_rules([Rule("A", Const(True)), Rule("B", Var("B"))])
    res = simulate(net, "sync", length=1, runs=20_000, fixed={"A": 0}, efficacy={"A": 0.75}, seed=3)
    p = res.mean[1, 0]
    assert abs(p - 0.25) < 5 * math.sqrt(0.25 * 0.75 / 20_000)
