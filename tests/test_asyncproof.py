"""The proven asynchronous search (minimal trap spaces + retained-set candidates) against brute
force, and negative feedback vertex sets against an enumeration of cycles."""

from __future__ import annotations

import itertools
import random

import pytest
from brute_attractors import async_attractors
from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from strategies import networks

from mtorsim.attractors import asyncproof
from mtorsim.attractors import search as A
from mtorsim.attractors.search import find_attractors
from mtorsim.attractors.trapspaces import minimal_trap_spaces
from mtorsim.formats.ast import And, Not, Or, Rule, Var
from mtorsim.network import Network
from mtorsim.network.feedback import negative_feedback_vertex_set, signed_edges

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_network(seed: int) -> Network:
    """The seeded random networks some of which have motif-avoidant attractors."""
    rng = random.Random(seed)

    def expr(names, d):
        if d == 0 or rng.random() < 0.3:
            v = Var(rng.choice(names))
            return Not(v) if rng.random() < 0.4 else v
        args = tuple(expr(names, d - 1) for _ in range(rng.randint(2, 3)))
        e = (And if rng.random() < 0.5 else Or)(args)
        return Not(e) if rng.random() < 0.2 else e

    names = [f"N{i}" for i in range(rng.randint(4, 7))]
    return Network.from_rules([Rule(x, expr(names, 2)) for x in names])


def negative_cycles_avoiding(net: Network, removed: set[int]) -> list[list[int]]:
    """Every simple directed cycle of negative sign (an edge of both signs counts as either)
    among the nodes not ``removed`` (brute force over node sequences)."""
    out = signed_edges(net)
    sign = {}
    for u, edges in enumerate(out):
        for v, s in edges:
            sign[(u, v)] = {1: {1}, -1: {-1}, 0: {1, -1}}[s]
    alive = [v for v in range(len(net)) if v not in removed]
    bad = []
    for k in range(1, len(alive) + 1):
        for cycle in itertools.permutations(alive, k):
            if cycle[0] != min(cycle):
                continue
            pairs = list(zip(cycle, cycle[1:] + cycle[:1]))
            if not all(p in sign for p in pairs):
                continue
            signs = {1}
            for p in pairs:
                signs = {a * b for a in signs for b in sign[p]}
            if -1 in signs:
                bad.append(list(cycle))
    return bad


@FAST
@given(networks(max_n=6))
def test_negative_feedback_vertex_set_cuts_every_negative_cycle(case):
    net, _ = case
    nfvs = negative_feedback_vertex_set(net)
    assert negative_cycles_avoiding(net, set(nfvs)) == []
    for v in nfvs:  # none is superfluous (the greedy set is pruned)
        assert negative_cycles_avoiding(net, set(nfvs) - {v}) != []


def _check_against_brute_force(net: Network, held: dict, res, cap: int) -> None:
    """Listed attractors are true ones; each unlisted one is the only true attractor in its trap
    space and bigger than the cap; a complete answer accounts for every attractor."""
    ref = async_attractors(net, held)
    listed = {frozenset(tuple(s) for s in a.states) for a in res.attractors if a.size is not None}
    assert listed <= ref
    matched = set(listed)
    for a in res.attractors:
        if a.size is None:
            inside = [b for b in ref if all(c == "*" or s[i] == int(c) for s in b for i, c in enumerate(a.space))]
            assert len(inside) == 1 and len(inside[0]) > cap
            matched |= set(inside)
    if res.complete:
        assert matched == ref and len(res.attractors) == len(ref)
        assert not res.candidates
    else:
        assert res.candidates or any("too many" in n for n in res.notes)
    for c in res.candidates:
        inside = [
            b for b in ref if all(ch == "*" or s[i] == int(ch) for s in b for i, ch in enumerate(c["trap_space"]))
        ]
        assert inside or not c["certain"]


@FAST
@given(networks(max_held=1))
def test_proven_search_equals_brute_force_when_every_space_goes_through_candidates(case):
    """No exhaustive search inside trap spaces and a tiny cap: every path of the candidate
    machinery (unique candidates, walks, reachable sets, unlisted attractors) is used."""
    net, held = case
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(A, "EXHAUSTIVE_IN_SPACE", 0)
        mp.setattr(asyncproof, "CAP", 6)
        res = find_attractors(net, "async", "trapspace", fixed=held, show_states=1 << 20)
    _check_against_brute_force(net, held, res, 6)


@pytest.mark.parametrize("seed", [431, 5252, 10345])
def test_motif_avoidant_attractors_are_found(seed):
    """Networks with an attractor outside every minimal trap space (checked by brute force)."""
    net = random_network(seed)
    ref = async_attractors(net)
    spaces = list(minimal_trap_spaces(net))

    def inside(att):
        return any(all(sp[i] < 0 or s[i] == sp[i] for s in att for i in range(len(net))) for sp in spaces)

    assert any(not inside(a) for a in ref)
    res = find_attractors(net, "async", "trapspace", show_states=1 << 20)
    assert res.complete
    assert {frozenset(tuple(s) for s in a.states) for a in res.attractors} == ref
    assert any(n.startswith("proven") for n in res.notes)


@pytest.mark.parametrize("walks", [True, False])
@pytest.mark.parametrize("cap", [4, 1 << 16])
@pytest.mark.parametrize("seed", range(30))
def test_random_networks_with_every_path(seed, cap, walks, monkeypatch):
    """Without walks every candidate goes to the reachable-set search; a cap of 4 leaves some
    undecided (an incomplete but sound answer)."""
    monkeypatch.setattr(A, "EXHAUSTIVE_IN_SPACE", 0)
    monkeypatch.setattr(asyncproof, "CAP", cap)
    if not walks:
        monkeypatch.setattr(asyncproof, "WALK_STEPS", (0, 0))
    net = random_network(seed)
    res = find_attractors(net, "async", "trapspace", show_states=1 << 20)
    _check_against_brute_force(net, {}, res, cap)


MID_CORPUS = [p for p in CORPUS if 16 < len(Network.load(p)) <= 20]


@pytest.mark.parametrize("path", MID_CORPUS, ids=lambda p: p.name[:8])
def test_corpus_models_equal_the_exhaustive_search(path, monkeypatch):
    """Up to 20 nodes the exhaustive search is the reference; the proven search, forced through
    candidates in every trap space, gives the same attractors (or unlisted ones of the right count)."""
    net = Network.load(path)
    ref = find_attractors(net, "async", "exhaustive", show_states=1 << 20)
    monkeypatch.setattr(A, "EXHAUSTIVE_IN_SPACE", 0)
    res = find_attractors(net, "async", "trapspace", show_states=1 << 20)
    assert res.complete and len(res.attractors) == len(ref.attractors)
    big = sorted(a.size for a in ref.attractors if a.size > asyncproof.CAP)
    assert sum(a.size is None for a in res.attractors) == len(big)
    listed = {frozenset(map(tuple, a.states)) for a in res.attractors if a.size is not None}
    assert listed == {frozenset(map(tuple, a.states)) for a in ref.attractors if a.size <= asyncproof.CAP}
