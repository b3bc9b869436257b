"""Continuous time with states tracked over several workers: each worker fills the table of its
part of the windows from every block's entries; the numbers must not depend on the thread
count, on how the entry lists are sent, or on how the tables grow. (Kept apart from
test_continuous.py, which CI also runs with numba's JIT off: these runs are too long for that.)"""

from __future__ import annotations

import numpy as np

from mtorsim.formats.parser import parse_booleannet
from mtorsim.network import Network
from mtorsim.simulation.continuous import simulate_continuous
from mtorsim.simulation.initial import InitialSpec


def test_state_tables_split_over_threads_give_the_same_states():
    """Workers fill disjoint tables (a part of the windows each), and the tables and the lists
    of entries grow on the way: every state probability, its error and H equal one thread's."""
    from conftest import DATA

    net = Network.load(DATA / "corpus" / "bbm-070_MAPK-CANCER-CELL-FATE.bnet")
    kw = dict(max_time=12, time_tick=1, runs=2600, seed=5, init=InitialSpec(default=0.5), top_states=50)
    one = simulate_continuous(net, threads=1, **kw)
    assert sum(len(x) for x in one.states) == 12 * 50  # more than 50 states in every window
    for threads in (2, 3):
        other = simulate_continuous(net, threads=threads, **kw)
        assert other.states == one.states and other.states_other == one.states_other
        assert np.array_equal(other.h, one.h) and np.array_equal(other.mean, one.mean)


def test_lists_sent_mid_block_and_waited_for_give_the_same_states(monkeypatch):
    """Lists sent whenever they fill (here every few runs) and workers that wait for their lists
    to come back (one each) change nothing."""
    import mtorsim.simulation.continuous as C

    net = Network.from_rules([*parse_booleannet("A* = not C\nB* = A or D\nC* = B\nD* = not A and C\n", "x")])
    kw = dict(max_time=8, time_tick=0.5, runs=1500, seed=3, init=InitialSpec(default=0.5), top_states=16)
    want = simulate_continuous(net, threads=1, **kw)
    monkeypatch.setattr(C, "ENTRIES_START", 16)
    monkeypatch.setattr(C, "ENTRIES_SEND", 64)
    monkeypatch.setattr(C, "LISTS_PER_WORKER", 1)
    for threads in (1, 2, 3):
        got = simulate_continuous(net, threads=threads, **kw)
        assert got.states == want.states and np.array_equal(got.h, want.h)


def test_whether_states_are_reported_does_not_depend_on_threads(monkeypatch):
    """The limit on (window, state) pairs is on their total, not per worker's table."""
    import mtorsim.simulation.continuous as C

    seen = []
    run = C._Blocks.run

    def counting(self, threads):
        out = run(self, threads)
        seen.append(self.distinct())
        return out

    monkeypatch.setattr(C._Blocks, "run", counting)
    net = Network.from_rules([*parse_booleannet("A* = not C\nB* = A or D\nC* = B\nD* = not A and C\n", "x")])
    kw = dict(max_time=8, time_tick=0.5, runs=1500, seed=3, init=InitialSpec(default=0.5))
    simulate_continuous(net, threads=1, **kw)
    pairs = seen[-1]
    for limit, reported in ((pairs, True), (pairs - 1, False)):
        monkeypatch.setattr(C, "state_limit", lambda nkey, limit=limit: limit)
        for threads in (1, 3):
            res = simulate_continuous(net, threads=threads, **kw)
            assert (res.h is not None) == reported, (limit, threads)
