"""Every attractor method against the brute-force reference (random networks and corpus models)."""

from __future__ import annotations

import pytest
from brute_attractors import async_attractors, fixed_points, sync_attractors
from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import networks

from mtorsim.attractors.search import find_attractors
from mtorsim.formats.ast import And, Const, Not, Rule, Var
from mtorsim.network import Network


def as_sets(result):
    return {frozenset(tuple(s) for s in a.states) for a in result.attractors}


def is_rotation(a: list, b: list) -> bool:
    return len(a) == len(b) and any(a[k:] + a[:k] == b for k in range(len(a)))


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(networks())
def test_sync_exhaustive_matches_brute_force_with_exact_basins(case):
    net, held = case
    ref = sync_attractors(net, held)
    res = find_attractors(net, "sync", "exhaustive", fixed=held, reduce=False)
    assert res.complete
    assert as_sets(res) == set(ref)
    for a in res.attractors:
        cycle, basin = ref[frozenset(tuple(s) for s in a.states)]
        assert is_rotation([tuple(s) for s in a.states], cycle)
        total = 2 ** (len(net) - len(held))
        assert a.basin * total == pytest.approx(basin)
        assert a.kind == ("fixed" if len(cycle) == 1 else "cycle")


@FAST
@given(networks())
def test_sync_with_percolation_finds_the_same_attractors(case):
    """The defaults (percolation on) give brute force's attractors and its basins: fractions of
    all states of the nodes not held, as BoolNet reports them."""
    net, held = case
    ref = sync_attractors(net, held)
    res = find_attractors(net, "sync", "auto", fixed=held)
    assert res.complete and as_sets(res) == set(ref)
    total = 2 ** (len(net) - len(held))
    for a in res.attractors:
        assert a.basin * total == pytest.approx(ref[frozenset(tuple(s) for s in a.states)][1])


def test_basins_beyond_the_budget_are_named_reduced():
    from conftest import DATA

    from mtorsim.util.resources import set_budget

    net = Network.load(DATA / "corpus" / "bbm-003_MAMMALIAN-CELL-CYCLE.bnet")
    full = find_attractors(net, "sync")
    assert sorted(round(a.basin, 4) for a in full.attractors) == [0.0015, 0.4985, 0.5]  # BoolNet's numbers
    set_budget(2**16)  # 2^13 states of 8 bytes: percolated (13 free nodes) fits, the whole (19) does not
    try:
        small = find_attractors(net, "sync")
    finally:
        set_budget(None)
    # where percolation decides every node (v_EGF=0), the one fixed point's basin stays exact
    exact = [a for a in small.attractors if a.basin is not None]
    assert [round(a.basin, 4) for a in exact] == [0.5] and exact[0].basin_reduced is None
    assert all(a.basin is None and a.basin_reduced is not None for a in small.attractors if a not in exact)
    assert any("basin_reduced gives fractions" in n for n in small.notes)


@FAST
@given(networks())
def test_async_exhaustive_matches_brute_force(case):
    net, held = case
    ref = async_attractors(net, held)
    for reduce in (False, True):
        res = find_attractors(net, "async", "exhaustive", fixed=held, reduce=reduce)
        assert res.complete and as_sets(res) == ref
        for a in res.attractors:
            assert a.size == len(a.states)
            assert a.kind == ("fixed" if a.size == 1 else "complex")


@FAST
@given(networks())
def test_fixed_points_match_brute_force(case):
    net, held = case
    res = find_attractors(net, "sync", "fixed-points", fixed=held)
    assert res.complete
    assert {tuple(a.states[0]) for a in res.attractors} == fixed_points(net, held)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_n=6), st.integers(0, 2**32))
def test_sync_sampling_estimates_basins(case, seed):
    net, held = case
    ref = sync_attractors(net, held)
    res = find_attractors(net, "sync", "sample", fixed=held, samples=2000, seed=seed, reduce=False)
    assert res.complete == ("sample" not in res.method)  # sampling is never complete; pure percolation is
    total = 2 ** (len(net) - len(held))
    found = {frozenset(tuple(s) for s in a.states): a for a in res.attractors}
    assert set(found) <= set(ref)
    for key, (_, basin) in ref.items():
        p = basin / total
        if p > 0.02:
            assert key in found
        est = found[key].basin if key in found else 0.0
        assert abs(est - p) <= 5 * (p * (1 - p) / 2000) ** 0.5 + 1e-9


def test_activity_and_percolated_nodes():
    # A toggles, B copies A, C is constant 1, D = C and B. By hand (A,B,D), C = 1 after percolation:
    # (1,0,1) -> (0,1,0) -> (1,0,1), one cycle of length 2; every other state falls into it.
    net = Network.from_rules(
        [Rule("A", Not(Var("A"))), Rule("B", Var("A")), Rule("C", Const(True)), Rule("D", And((Var("C"), Var("B"))))]
    )
    res = find_attractors(net, "sync")
    (a,) = res.attractors
    assert a.kind == "cycle" and a.size == 2 and a.basin == 1.0
    assert sorted(a.states) == [[0, 1, 1, 0], [1, 0, 1, 1]]
    assert dict(zip(res.nodes, a.activity)) == {"A": 0.5, "B": 0.5, "C": 1.0, "D": 0.5}


SMALL_CORPUS = [p for p in CORPUS if len(Network.load(p)) <= 16]


@pytest.mark.parametrize("path", SMALL_CORPUS, ids=lambda p: p.name[:8])
def test_corpus_models_match_brute_force(path):
    net = Network.load(path)
    ref_sync = sync_attractors(net)
    res = find_attractors(net, "sync", reduce=False)
    assert as_sets(res) == set(ref_sync)
    total = 2 ** len(net)
    for a in res.attractors:
        assert a.basin * total == ref_sync[frozenset(tuple(s) for s in a.states)][1]
    assert as_sets(find_attractors(net, "async")) == async_attractors(net)
    assert {tuple(a.states[0]) for a in find_attractors(net, method="fixed-points").attractors} == fixed_points(net)


@FAST
@given(networks())
def test_trapspace_method_finds_every_attractor(case):
    """Minimal trap spaces plus the candidates outside them: on these small networks the
    answer is proven, and equal to brute force."""
    net, held = case
    res = find_attractors(net, "async", "trapspace", fixed=held)
    assert res.complete and not res.candidates
    assert as_sets(res) == async_attractors(net, held)


def test_minimal_trap_spaces_of_the_cell_cycle_model():
    from mtorsim.attractors.trapspaces import minimal_trap_spaces

    net = Network.load(next(p for p in CORPUS if "bbm-023" in p.name))
    spaces = sorted(minimal_trap_spaces(net))
    # Brute force: a subspace is a trap space iff every state in it keeps every fixed node fixed.
    from brute_attractors import step_function

    step = step_function(net)
    for space in spaces:
        free = [i for i, v in enumerate(space) if v < 0]
        for bits in range(1 << len(free)):
            state = [v if v >= 0 else 0 for v in space]
            for k, i in enumerate(free):
                state[i] = (bits >> k) & 1
            nxt = step(tuple(state))
            assert all(nxt[i] == v for i, v in enumerate(space) if v >= 0)
    assert len(spaces) == 2 and spaces[1].count(-1) == 0  # the 112-state attractor's space and the stable state


@FAST
@given(networks(max_n=5))
def test_minimal_trap_spaces_match_brute_force(case):
    from brute_attractors import minimal_trap_spaces as brute

    from mtorsim.attractors.trapspaces import minimal_trap_spaces

    net, _ = case
    assert {tuple(s) for s in minimal_trap_spaces(net)} == brute(net)


@FAST
@given(networks(max_n=7))
def test_minimal_trap_spaces_through_the_backend_equal_the_program_text(case):
    from mtorsim.attractors.trapspaces import minimal_trap_spaces, minimal_trap_spaces_from_text

    net, _ = case
    assert sorted(minimal_trap_spaces(net)) == sorted(minimal_trap_spaces_from_text(net))


@FAST
@given(networks(max_n=8))
def test_incremental_successors_equal_the_generic_kernel(case):
    """Both successor kernels (incremental for truth tables, generic with bytecode) agree with
    a step of the brute-force reference on every state."""
    import numpy as np
    from brute_attractors import step_function

    from mtorsim.attractors.search import _readers
    from mtorsim.compiler import compile_network
    from mtorsim.kernels import statespace as K

    net, _ = case
    m = len(net)
    step = step_function(net)
    want = np.array(
        [sum(b << i for i, b in enumerate(step(tuple((s >> i) & 1 for i in range(m))))) for s in range(1 << m)],
        dtype=np.uint32,
    )
    prog = compile_network(net)
    inc = np.empty(1 << m, dtype=np.uint32)
    K.sync_successors_incremental(prog.arrays(), m, *_readers(prog, m), inc)
    generic = np.empty(1 << m, dtype=np.uint32)
    bc = compile_network(net, table_max_inputs=0)
    K.sync_successors(bc.arrays(), m, bc.max_stack, generic)
    assert (inc == want).all() and (generic == want).all()
