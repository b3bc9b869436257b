"""The bit-parallel kernels (64 runs per word) against the per-run reference kernels: the same
random draws, hence the same means and scores, bit for bit, on random networks with holds,
partial holds, schedules, correlated starts and level scores; whatever the block size and the
thread count."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_kernels_vs_naive import cases

import mtorsim.simulation.discrete as simulate_module
from mtorsim.compiler.wordcode import compile_words
from mtorsim.simulation.discrete import Hold, simulate
from mtorsim.simulation.scores import LevelScore

SIM = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


def both(update, case, runs, length, **kw):
    a = simulate(
        case.net,
        update,
        length=length,
        runs=runs,
        init=case.init,
        fixed=case.fixed,
        rates=case.rates,
        seed=case.seed,
        kernel="per-run",
        **kw,
    )
    b = simulate(
        case.net,
        update,
        length=length,
        runs=runs,
        init=case.init,
        fixed=case.fixed,
        rates=case.rates,
        seed=case.seed,
        kernel="bits",
        **kw,
    )
    return a, b


@st.composite
def extras(draw, case):
    """Partial efficacies for some held nodes, a schedule on free nodes, a level score."""
    names = list(case.net.nodes)
    eff = {n: draw(st.sampled_from([0.3, 0.5, 0.9, 1.0])) for n in case.fixed if draw(st.booleans())}
    free = [n for n in names if n not in case.fixed]
    schedule = []
    for n in draw(st.lists(st.sampled_from(free), unique=True, max_size=2)) if free else []:
        start = draw(st.integers(0, 4))
        end = draw(st.one_of(st.none(), st.integers(start + 1, 8)))
        schedule.append(Hold(n, draw(st.integers(0, 1)), start, end))
    levels = tuple(draw(st.lists(st.sampled_from(names), unique=True, min_size=1, max_size=3)))
    score = LevelScore("s_norm", levels, tuple(float(k + 1) for k in range(len(levels))))
    return eff, schedule, score


@pytest.mark.parametrize(
    "update, block_words",
    [("sync", 1), ("sync", 64), ("async", 1), ("async", 16), ("random-order", 1), ("random-order", 16)],
)
@SIM
@given(data=st.data(), case=cases(max_n=10), runs=st.integers(2, 300), length=st.integers(1, 10))
def test_bits_equal_per_run(monkeypatch, update, block_words, data, case, runs, length):
    """Sync, async with rates (each run draws its node as the per-run kernel does) and random
    order (each run shuffles its own order)."""
    monkeypatch.setattr(simulate_module, "BLOCK_WORDS" if update == "sync" else "ASYNC_BLOCK_WORDS", block_words)
    eff, schedule, score = data.draw(extras(case))
    length = length if update == "sync" else 1 + length % 4  # async: time units
    a, b = both(update, case, runs, length, efficacy=eff, schedule=schedule, scores=[score])
    assert np.array_equal(a.mean, b.mean) and a.times.tolist() == b.times.tolist()
    assert np.allclose(a.scores["s_norm"], b.scores["s_norm"], rtol=0, atol=1e-12)


def test_threads_do_not_change_the_numbers(monkeypatch):
    from test_kernels_vs_naive import big_network

    from mtorsim.simulation.initial import InitialSpec

    monkeypatch.setattr(simulate_module, "BLOCK_WORDS", 1)
    net = big_network(30)
    kw = dict(length=12, runs=1000, init=InitialSpec(default=0.5), seed=77, fixed={"G2": 1}, efficacy={"G2": 0.5})
    monkeypatch.setattr(simulate_module, "ASYNC_BLOCK_WORDS", 1)
    for update in ("sync", "async", "random-order"):
        one, two = (simulate(net, update, threads=t, **kw) for t in (1, 2))
        assert np.array_equal(one.mean, two.mean)
        assert np.array_equal(one.mean, simulate(net, update, kernel="per-run", **kw).mean)
        with monkeypatch.context() as m:  # many small kernel calls: the same sums
            m.setattr(simulate_module, "CALL_UPDATES", {update: 1})
            assert np.array_equal(one.mean, simulate(net, update, threads=2, **kw).mean)


def test_word_code_folds_negations_and_reuses_no_live_temporary():
    from mtorsim.formats.parser import parse_booleannet
    from mtorsim.network import Network

    net = Network.from_rules(
        parse_booleannet(
            "A* = not B\nB* = (A or C) and not (B and (C or not A))\nC* = C\nD* = 1\nE* = not (A or (B and C) or D)\n",
            "m.rules",
        )
    )
    wp = compile_words(net)
    ops_a = wp.code[wp.ptr[0] : wp.ptr[1]]
    assert ops_a.tolist() == [[2, len(net) + 0, 1, 1, 0, 0]]  # a MOV of B, negated
    # evaluate the word code on all 32 states (bit k of the word = state k) against the rules
    from mtorsim.formats.ast import evaluate

    n = len(net)
    rows = np.zeros((wp.rows, 1), np.uint64)
    for k in range(32):
        for i in range(n):
            if (k >> i) & 1:
                rows[i, 0] |= np.uint64(1 << k)
    rows[wp.one, 0] = np.uint64(2**64 - 1)
    for c in wp.code:
        op, d, a, na, b, nb = (int(x) for x in c)
        x = rows[a, 0] ^ (np.uint64(2**64 - 1) if na else np.uint64(0))
        y = rows[b, 0] ^ (np.uint64(2**64 - 1) if nb else np.uint64(0))
        rows[d, 0] = x & y if op == 0 else x | y if op == 1 else x
    for k in range(32):
        env = {net.nodes[i]: (k >> i) & 1 for i in range(n)}
        for i in range(n):
            assert (int(rows[n + i, 0]) >> k) & 1 == int(evaluate(net.rules[i], env)), (net.nodes[i], k)
