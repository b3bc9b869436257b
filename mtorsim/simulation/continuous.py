"""Continuous-time simulation (MaBoSS semantics): validate and shape inputs, run the Gillespie
kernel over blocks of runs (in threads, merged in block order, so the result does not depend on
the thread count), and summarise per ``time_tick`` window.

Semantics: node ``i`` flips 0 -> 1 at ``rate_up`` and 1 -> 0 at ``rate_down`` (``ratelaws``);
the time to the next flip is exponential with the total rate (``discrete_time``: one
``time_tick``). A hold sets the node's value when it starts; a node held with efficacy ``e < 1``
then keeps ``(1 - e)`` of its rates and is pushed towards the held value at ``e`` times its base
rate: the continuous-time twin of a hold that applies at each update with probability ``e``. Windows are ``[k tick, (k + 1) tick)`` for
``k < int(max_time / tick)``, as MaBoSS counts them.
"""

from __future__ import annotations

import math
import mmap
import os
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from mtorsim.compiler import Program, compile_network
from mtorsim.compiler.ratelaws import RateProgram, RateSpec, compile_rates
from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import Expr, variables
from mtorsim.kernels.events import set_to
from mtorsim.network import Network
from mtorsim.simulation.discrete import (
    check_hold,
    check_output_memory,
    check_runs,
    release_code,
)
from mtorsim.simulation.initial import InitialSpec
from mtorsim.simulation.results import ContinuousResult
from mtorsim.treatment.records import Hold
from mtorsim.util.seeds import run_seeds

BLOCK_RUNS = 256
"""Runs per kernel call; fixed, so that results do not depend on the number of threads."""
TABLE_START = 1 << 14
TABLE_MAX = 1 << 23
"""Twice the most (window, state) pairs tracked (about 4 million, in tables kept at most half
full); beyond them, or beyond what a quarter of the memory budget holds, states are not reported."""
TABLE_GROW4 = 1 << 20
"""Up to this many slots a table grows fourfold, beyond it twofold."""
ENTRIES_START = 1 << 14
"""Rows of a worker's first lists of (window, state) entries (doubled when a run needs more)."""
ENTRIES_SEND = 1 << 20
"""Rows at which a full list is sent to the workers in the middle of a block instead of growing."""
LISTS_PER_WORKER = 3
"""Lists a worker may have out (per worker) before it waits for one to come back."""
TOP_STATES = 10
MAX_WINDOWS = 100_000


@dataclass(frozen=True)
class SetEvent:
    """Set ``node`` to ``value`` at ``time`` without holding it (MaBoSS ``X.schedule``)."""

    node: str
    value: int
    time: float


def state_name(nodes: Sequence[str], bits: Sequence[int]) -> str:
    """MaBoSS's name of a state: the active nodes joined by `` -- ``, or ``<nil>``."""
    on = [n for n, b in zip(nodes, bits) if b]
    return " -- ".join(on) if on else "<nil>"


def _holds(net: Network, fixed: Mapping[str, int], efficacy: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    n = len(net)
    val = np.full(n, -1, np.int8)
    eff = np.ones(n, np.float64)
    for name, v in fixed.items():
        if v not in (0, 1):
            raise MtorsimError(f"a held value must be 0 or 1, not {v!r} (for {name})")
        val[net.index(name)] = v
    for name, e in efficacy.items():
        if name not in fixed:
            raise MtorsimError(f"efficacy given for {name}, which is not held in this run")
        if not 0 < e <= 1:
            raise MtorsimError(f"the efficacy of {name} must be in (0, 1], not {e}")
        eff[net.index(name)] = e
    return val, eff


def _events(
    net: Network,
    schedule: Sequence[Hold],
    sets: Sequence[SetEvent],
    fixed: Mapping[str, int],
    efficacy: Mapping[str, float],
    max_time: float,
) -> tuple[np.ndarray, ...]:
    """Events sorted by time (ties: in the order given): holds, releases and set values."""
    events: list[tuple[float, int, int, int, float]] = []
    for k, h in enumerate(schedule):
        i = check_hold(net, h, fixed)
        events.append((float(h.start), 2 * k + 1, i, h.value, float(efficacy.get(h.node, h.efficacy))))
        if h.end is not None:
            events.append((float(h.end), 2 * k, i, release_code(net, h), 1.0))
    base = 2 * len(schedule)
    for k, s in enumerate(sets):
        if s.value not in (0, 1) or not (s.time >= 0 and math.isfinite(s.time)):
            raise MtorsimError(f"{s.node}: a scheduled value is 0 or 1 at a time >= 0 ({s.value} at {s.time})")
        events.append((float(s.time), base + k, net.index(s.node), int(set_to(s.value)), 1.0))
    events = [e for e in events if e[0] <= max_time]
    events.sort()
    return (
        np.array([e[0] for e in events], np.float64),
        np.array([e[2] for e in events], np.int64),
        np.array([e[3] for e in events], np.int8),
        np.array([e[4] for e in events], np.float64),
    )


def simulate_continuous(
    net: Network,
    rates: RateSpec | None = None,
    max_time: float = 100.0,
    time_tick: float = 1.0,
    runs: int = 1000,
    seed: int = 0,
    init: InitialSpec | None = None,
    fixed: Mapping[str, int] | None = None,
    efficacy: Mapping[str, float] | None = None,
    schedule: Sequence[Hold] = (),
    sets: Sequence[SetEvent] = (),
    discrete_time: bool = False,
    internal: Sequence[str] = (),
    refstate: Mapping[str, int] | None = None,
    threads: int | None = None,
    track_states: bool = True,
    top_states: int = TOP_STATES,
    entropy: bool = True,
    observe: Mapping[str, Expr] | None = None,
    progress: Callable[[int], None] | None = None,
    per_run: Sequence[str] = (),
) -> ContinuousResult:
    """Simulate ``runs`` continuous-time trajectories up to ``max_time``.

    Returns, per window of ``time_tick`` (``times`` are window starts): the probability that
    each node is on (time-averaged within the window, averaged over runs) and its standard
    error, the ``top_states`` most probable output states (internal nodes left out), the
    transition entropy TH and state entropy H (bits), the Hamming-distance distribution to
    ``refstate``, and the fixed points reached by ``max_time`` with their probabilities.
    ``observe`` maps names to Boolean formulas over nodes: each is followed at every instant,
    and ``observed[name]`` gives the probability that it holds per window, with its standard
    error. ``per_run`` names nodes (or observed formulas) whose time fraction in each window is
    kept for every run: ``result.per_run[name]`` is a (runs, windows) array. ``entropy=False``
    skips the transition entropy (``th`` is then None; on large models it costs about a tenth of
    the time). ``threads`` (default: all cores) never changes the numbers.
    """
    check_runs(runs)
    W = _windows(max_time, time_tick)
    threads = max(1, int(threads or os.cpu_count() or 1))
    check_output_memory(W * min(threads, 1 + runs // BLOCK_RUNS) * 2, len(net), runs)  # per worker
    fixed = dict(fixed or {})
    efficacy = dict(efficacy or {})
    observe = dict(observe or {})
    plan = _plan(
        net,
        rates,
        init or InitialSpec(),
        fixed,
        efficacy,
        schedule,
        sets,
        max_time,
        internal,
        refstate or {},
        observe,
        per_run,
    )
    runner = _Blocks(
        plan, runs, seed, max_time, time_tick, W, discrete_time, track_states, top_states, entropy, progress
    )
    results = runner.run(threads)
    if runner.tracking and runner.distinct() > runner.limit:  # the same verdict at any thread count
        runner.tracking = False
    mean, error, observed, th, th_error, hd = _run_means(results, plan, runs, W, observe)
    notes: list[str] = []
    states: list[list[tuple[str, float, float]]] = [[] for _ in range(W)]
    other = [0.0] * W
    h = None
    if track_states and not runner.tracking:
        notes.append(
            f"more than {runner.limit:,} (window, state) pairs were visited (the most the state tables hold in "
            "a quarter of the memory budget, `max_memory`, and never more than "
            f"{TABLE_MAX // 2:,}): state probabilities and the state entropy H are not reported; mark nodes "
            "internal to shrink the state space"
        )
    elif track_states:
        states, other, h = _state_summary(runner, W, runs, [plan.net.nodes[i] for i in plan.outputs], top_states)
    finals = np.concatenate([r["final"] for r in results])
    reached = np.concatenate([r["reached"] for r in results]).astype(bool)
    nodes = list(plan.net.nodes[: plan.base_nodes])
    settings = {
        "max_time": max_time,
        "time_tick": time_tick,
        "discrete_time": bool(discrete_time),
        "fixed": fixed,
        "efficacy": efficacy,
        "threads": threads,
        "schedule": [{"node": x.node, "value": x.value, "start": x.start, "end": x.end} for x in schedule],
        "set": [{"node": x.node, "value": x.value, "time": x.time} for x in sets],
        "params": dict((rates or RateSpec()).params),
    }
    return ContinuousResult(
        nodes=nodes,
        times=np.arange(W) * time_tick,
        mean=mean,
        runs=runs,
        update="continuous",
        seed=seed,
        settings=settings,
        error=error,
        states=states,
        states_other=other,
        th=th if entropy else None,
        th_error=th_error if entropy else None,
        h=h,
        hd=hd,
        fixed_points=_fixed_points(finals[reached], runs, nodes),
        transitions=int(sum(int(r["info"][0]) for r in results)),
        internal=[x for x in nodes if x in plan.internal],
        notes=notes,
        observed=observed,
        per_run=_per_run(results, plan),
    )


MIN_CAP = 10**7  # transitions one run may always make
PER_NODE_TIME = 1000  # beyond MIN_CAP: transitions per node and time unit, on average


def transition_cap(n: int, max_time: float) -> int:
    """The transitions one run may make before it is stopped as runaway: far above any model
    whose rates are of the order of its time unit, and reached in seconds by absurd rates."""
    return int(max(MIN_CAP, min(PER_NODE_TIME * n * max_time, 2**62)))


def _per_run(results: list[_BlockSums], plan: _Plan) -> dict[str, np.ndarray]:
    """The kept nodes' per-run window fractions, runs in order."""
    if not plan.kept:
        return {}
    table = np.concatenate([r["run_keep"] for r in results])
    return {name: np.ascontiguousarray(table[:, :, k]) for k, name in enumerate(plan.kept)}


def _windows(max_time: float, time_tick: float) -> int:
    """The number of whole ``time_tick`` windows in ``max_time``, after checking both."""
    if not (math.isfinite(max_time) and max_time > 0):
        raise MtorsimError(f"the simulation length (max_time) must be a positive number, not {max_time}")
    if not (math.isfinite(time_tick) and time_tick > 0):
        raise MtorsimError(f"time_tick must be a positive number, not {time_tick}")
    W = int(max_time / time_tick)
    if W < 1:
        raise MtorsimError(f"max_time {max_time:g} is shorter than one time_tick ({time_tick:g}); no window to report")
    if W > MAX_WINDOWS:
        raise MtorsimError(f"max_time / time_tick gives {W:,} windows (at most {MAX_WINDOWS:,}); raise time_tick")
    return W


@dataclass(frozen=True, eq=False)
class _Plan:
    """What every block of runs shares: the network (with one node per observed formula after
    its own ``base_nodes``), its compiled rules and rates, and the kernel's other inputs."""

    net: Network
    base_nodes: int
    program: Program
    rp: RateProgram
    simple: np.ndarray  # standard rates and a truth table: the kernel's fast path
    lu: np.ndarray  # ku log2 ku, kd log2 kd (0 for a zero rate): transition entropy terms
    ld: np.ndarray
    instant: np.ndarray  # observers: nodes that follow their formula at once
    hold_val: np.ndarray
    hold_eff: np.ndarray
    events: tuple[np.ndarray, ...]
    init_arrays: tuple[np.ndarray, ...]
    internal: frozenset[str]
    internal_arr: np.ndarray
    outputs: list[int]  # nodes that make up the reported states
    nkey: int  # words of a packed output state
    out_word: np.ndarray
    out_bit: np.ndarray
    ref: np.ndarray  # reference value per node, -1 where there is none
    nref: int
    words: int  # words of a packed whole state
    keep: np.ndarray  # node -> column of the per-run output, or -1
    kept: tuple[str, ...]  # the per-run output's columns


def _plan(
    net: Network,
    rates: RateSpec | None,
    init: InitialSpec,
    fixed: Mapping[str, int],
    efficacy: Mapping[str, float],
    schedule: Sequence[Hold],
    sets: Sequence[SetEvent],
    max_time: float,
    internal: Sequence[str],
    refstate: Mapping[str, int],
    observe: Mapping[str, Expr],
    per_run: Sequence[str] = (),
) -> _Plan:
    """Check the inputs and compile the model and its rates into the kernel's arrays."""
    base_nodes = len(net)
    net, internal = _with_observers(net, observe, internal)
    n = len(net)
    program = compile_network(net)
    rp = compile_rates(net, rates)
    instant = np.zeros(n, np.uint8)
    instant[base_nodes:] = 1
    simple = ((rp.kind == 0) & (program.tt_ptr >= 0)).astype(np.uint8)
    lu, ld = _entropy_terms(rp)
    held = {h.node for h in schedule}
    hold_val, hold_eff = _holds(net, fixed, {k: v for k, v in efficacy.items() if k not in held})
    events = _events(net, schedule, sets, fixed, efficacy, max_time)
    init_arrays = init.arrays(net)
    internal_set = frozenset(internal)
    for name in internal_set:
        net.index(name)
    internal_arr = np.array([1 if x in internal_set else 0 for x in net.nodes], np.uint8)
    outputs = [i for i in range(n) if not internal_arr[i]]
    nkey, out_word, out_bit = _output_layout(n, outputs)
    ref = _reference(net, refstate)
    keep = np.full(n, -1, np.int64)
    observer_index = {name: base_nodes + k for k, name in enumerate(observe)}
    for k, name in enumerate(per_run):
        i = observer_index[name] if name in observer_index else net.index(name)
        if keep[i] >= 0:
            raise MtorsimError(f"`per_run` names {name} twice")
        keep[i] = k
    return _Plan(
        net=net,
        base_nodes=base_nodes,
        program=program,
        rp=rp,
        simple=simple,
        lu=lu,
        ld=ld,
        instant=instant,
        hold_val=hold_val,
        hold_eff=hold_eff,
        events=events,
        init_arrays=init_arrays,
        internal=internal_set,
        internal_arr=internal_arr,
        outputs=outputs,
        nkey=nkey,
        out_word=out_word,
        out_bit=out_bit,
        ref=ref,
        nref=int((ref >= 0).sum()),
        words=(n + 63) // 64,
        keep=keep,
        kept=tuple(per_run),
    )


def _with_observers(
    net: Network, observe: Mapping[str, Expr], internal: Sequence[str]
) -> tuple[Network, Sequence[str]]:
    """``net`` with an internal node ``observed k`` per formula of ``observe`` (after checking
    that the formulas read nodes of ``net``), and the internal nodes with them."""
    if not observe:
        return net, internal
    names = tuple(f"observed {k}" for k in range(len(observe)))
    for formula in observe.values():
        for x in variables(formula):
            net.index(x.name)
    rules = tuple(net.rules) + tuple(observe.values())
    return Network(net.nodes + names, rules, net.implicit_inputs, net.source, meta=net.meta), tuple(internal) + names


def _entropy_terms(rp: RateProgram) -> tuple[np.ndarray, np.ndarray]:
    """``k log2 k`` of every standard rate up and down (0 for a zero rate)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lu = np.where(rp.ku > 0, rp.ku * np.log2(np.where(rp.ku > 0, rp.ku, 1.0)), 0.0)
        ld = np.where(rp.kd > 0, rp.kd * np.log2(np.where(rp.kd > 0, rp.kd, 1.0)), 0.0)
    return lu, ld


def _output_layout(n: int, outputs: Sequence[int]) -> tuple[int, np.ndarray, np.ndarray]:
    """Words of a packed output state, and each node's word and bit in it (word -1: internal)."""
    nkey = max(1, (len(outputs) + 63) // 64)
    out_word = np.full(n, -1, np.int64)
    out_bit = np.zeros(n, np.int64)
    for k, i in enumerate(outputs):
        out_word[i], out_bit[i] = k // 64, k % 64
    return nkey, out_word, out_bit


def _reference(net: Network, refstate: Mapping[str, int]) -> np.ndarray:
    """The reference state per node (-1 where ``refstate`` gives none) for the Hamming distance."""
    ref = np.full(len(net), -1, np.int8)
    for name, v in refstate.items():
        if v not in (0, 1):
            raise MtorsimError(f"the reference state of {name} must be 0 or 1, not {v!r}")
        ref[net.index(name)] = v
    return ref


_BlockSums = dict[str, np.ndarray]
"""One block's sums (``node_sum``, ``th_sum``, ...), final states and counters (``info``)."""


class _Blocks:
    """Runs blocks of ``BLOCK_RUNS`` runs through the Gillespie kernel, over worker threads (each
    takes every ``workers``-th block). With states tracked, a block's (window, state) entries go
    to a list (``_Batch``) that is put in every worker's inbox; worker ``w`` adds the entries of
    its windows (``w % workers``) from the lists it receives to its own table, between its
    blocks, so tables fill in parallel and no table is merged; a worker waits for another only at
    the end, or when all the lists it may have out are still being read."""

    def __init__(
        self,
        plan: _Plan,
        runs: int,
        seed: int,
        max_time: float,
        time_tick: float,
        W: int,
        discrete_time: bool,
        track_states: bool,
        top_states: int,
        entropy: bool,
        progress: Callable[[int], None] | None,
    ):
        self.plan = plan
        self.entropy = int(entropy)
        self.top = max(top_states, 1)
        self.runs = runs
        self.seed = seed
        self.max_time = float(max_time)
        self.time_tick = float(time_tick)
        self.W = W
        self.discrete_time = int(discrete_time)
        self.track_states = track_states
        self.progress = progress
        self.scale = 2.0**31 / time_tick
        self.n_blocks = (runs + BLOCK_RUNS - 1) // BLOCK_RUNS
        self.tracking = bool(track_states)  # off for good past ``limit`` pairs (or a table that cannot grow)
        self.stop = threading.Event()
        self.pending: list[_Pending] = []
        self.tables: list[_Table] = []
        self.summaries: list[tuple[np.ndarray, np.ndarray]] = []  # per table: top rows, entropy H
        self.inbox: list[queue.SimpleQueue] = []
        self.ends: list[int] = []  # per worker: workers whose last list it has received
        self.limit = state_limit(plan.nkey)

    def run(self, threads: int) -> list[_BlockSums]:
        """Every block's sums, in block order."""
        workers = min(threads, self.n_blocks)
        self.inbox = [queue.SimpleQueue() for _ in range(workers)]
        self.ends = [0] * workers
        if self.track_states:
            self.pending = [_Pending(ENTRIES_START, self.plan.nkey, self.W) for _ in range(workers)]
            self.tables = [_Table(TABLE_START, self.plan.nkey) for _ in range(workers)]
            self.summaries = [(np.full((self.W, self.top), -1, np.int64), np.zeros(self.W)) for _ in range(workers)]
        if workers == 1:
            return [r for _, r in self.worker(0, 1)]
        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            futures = [pool.submit(self.worker, w, workers) for w in range(workers)]
            done = [item for f in futures for item in f.result()]
        except BaseException:
            self.stop.set()
            raise
        finally:
            pool.shutdown(wait=True)
        return [r for _, r in sorted(done, key=lambda x: x[0])]

    def worker(self, w: int, workers: int) -> list[tuple[int, _BlockSums]]:
        """Worker ``w``'s blocks (index, sums), its table filled from its inbox (see the class)."""
        done: list[tuple[int, _BlockSums]] = []
        try:
            states, local = _buffers(4096, self.plan.nkey)
            buf = [*states, np.zeros((4 * len(self.plan.net) + 64, 3), np.int64), *local]
            for b in range(w, self.n_blocks, workers):
                if self.stop.is_set():  # Ctrl-C or another worker's error: finish this block, start no other
                    break
                pending = self.pending[w] if self.tracking else None
                if pending is not None:
                    self.take_list(w)
                done.append((b, self.run_block(b, pending, buf)))
                if pending is not None and self.tracking:
                    self.send(pending)
                self.add_entries(w, workers, wait=False)
        except BaseException:
            self.stop.set()
            raise
        finally:
            for inbox in self.inbox:
                inbox.put(None)  # this worker's lists are all sent
            try:
                self.add_entries(w, workers, wait=True)
            except BaseException:
                self.stop.set()
                raise
        if self.tracking and not self.stop.is_set():
            self.finish(w, workers)
        return done

    def send(self, pending: _Pending) -> None:
        """Put the entries of ``pending``'s list in every worker's inbox."""
        batch = pending.batch(len(self.inbox))
        for inbox in self.inbox:
            inbox.put(batch)

    def take_list(self, w: int) -> None:
        """A list for worker ``w``'s next entries; while all it may have out are being read, it
        reads its own inbox (so that no two workers wait for each other)."""
        pending = self.pending[w]
        while not pending.start(LISTS_PER_WORKER * len(self.inbox) if not self.stop.is_set() else None):
            self.add_entries(w, len(self.inbox), wait=False)

    def add_entries(self, part: int, parts: int, wait: bool) -> None:
        """Add the entries for the windows of ``part`` from the lists in its inbox to its table
        (growing it; past ``limit`` pairs, states are no longer tracked); ``wait``: until every
        worker has sent its last list (``ends[part]`` counts them), or ``stop``."""
        from mtorsim.kernels import gillespie as K

        inbox = self.inbox[part]
        while self.ends[part] < parts:
            try:
                batch = inbox.get(timeout=0.05) if wait else inbox.get_nowait()
            except queue.Empty:
                if wait and not self.stop.is_set():
                    continue
                return
            if batch is None:
                self.ends[part] += 1
                continue
            table = self.tables[part]
            start = 0
            while self.tracking and not self.stop.is_set():
                start = K.table_add(batch.ent, start, batch.rows, part, parts, table.tab, table.count)
                if start == batch.rows:
                    break
                if self.distinct() > self.limit or not table.grow():
                    self.tracking = False
            batch.release()

    def distinct(self) -> int:
        """(window, state) pairs in the tables so far."""
        return sum(int(t.count[0]) for t in self.tables)

    def finish(self, part: int, parts: int) -> None:
        """Add every worker's whole-window counts for the windows of ``part`` to its table, then
        list its windows' most probable states and their entropy (``summaries[part]``)."""
        from mtorsim.kernels import gillespie as K

        table = self.tables[part]
        for p in self.pending:
            start = 0
            while self.tracking:
                start = K.add_stretches(p.stab, p.sdiff, self.W, part, parts, start, table.tab, table.count)
                if start == len(p.stab):
                    break
                if self.distinct() > self.limit or not table.grow():
                    self.tracking = False
        if not self.tracking:
            return
        top_row, h = self.summaries[part]
        K.table_summary(table.tab, self.plan.nkey, self.W, self.runs, top_row, h)

    def run_block(self, b: int, pending: _Pending | None, buf: list[np.ndarray]) -> _BlockSums:
        """Block ``b``'s sums; the kernel stops early (a status) when it runs out of room, and
        goes on from that run once the room is made."""
        start = b * BLOCK_RUNS
        count = min(BLOCK_RUNS, self.runs - start)
        seeds = run_seeds(self.seed, start, count)
        W, n, nref = self.W, len(self.plan.net), self.plan.nref
        out: _BlockSums = {
            "node_sum": np.zeros((W, n)),
            "node_sq": np.zeros((W, n)),
            "node_full": np.zeros((W + 1, n), np.int64),
            "th_sum": np.zeros(W),
            "th_sq": np.zeros(W),
            "hd_sum": np.zeros((W, nref + 1)),
            "final": np.zeros((count, self.plan.words), np.uint64),
            "run_keep": np.zeros((count, W, len(self.plan.kept)), np.float64),
            "reached": np.zeros(count, np.uint8),
            "info": np.zeros(5, np.int64),
        }
        out["info"][4] = transition_cap(n, self.max_time)
        r0 = 0
        while True:
            tracked = pending if self.tracking else None
            status = self._kernel(seeds, r0, tracked, buf, out)
            if status == 0:
                break
            if status == 2:
                i, r = int(out["info"][1]), start + int(out["info"][2])
                raise MtorsimError(
                    f"the rate of node {self.plan.net.nodes[i]} became negative, infinite or not a number "
                    f"(run {r}); check its rate_up/rate_down expressions and parameters"
                )
            if status == 6:
                raise MtorsimError(
                    f"run {start + int(out['info'][2])} made more than {int(out['info'][4]):,} transitions "
                    f"before `max_time` {self.max_time:g} (over {PER_NODE_TIME:,} per node and time unit): the "
                    "rates are too fast for this run length (a run's length in transitions is rate x time). "
                    "Lower the fastest rates or shorten `max_time`"
                )
            r0 = int(out["info"][3])
            self._make_room(status, tracked, buf)
        if self.progress:
            self.progress(count)
        return out

    def _kernel(
        self, seeds: np.ndarray, r0: int, tracked: _Pending | None, buf: list[np.ndarray], out: _BlockSums
    ) -> int:
        """One call of the kernel from run ``r0`` of the block; states go to ``tracked`` (None:
        not tracked). Returns its status."""
        from mtorsim.kernels import gillespie as K

        p = self.plan
        t = tracked if tracked is not None else _Pending.empty(p.nkey)
        return K.ct_block(
            p.program.arrays(),
            p.rp.arrays(),
            p.simple,
            p.lu,
            p.ld,
            p.rp.base_up,
            p.rp.base_down,
            p.hold_val,
            p.hold_eff,
            p.program.max_stack,
            p.rp.max_stack,
            p.init_arrays,
            *p.events,
            p.internal_arr,
            p.instant,
            p.out_word,
            p.out_bit,
            p.nkey,
            p.ref,
            p.nref,
            seeds,
            r0,
            self.max_time,
            self.time_tick,
            self.W,
            self.discrete_time,
            int(tracked is not None),
            self.entropy,
            self.scale,
            out["node_sum"],
            out["node_sq"],
            out["node_full"],
            out["th_sum"],
            out["th_sq"],
            out["hd_sum"],
            *buf,
            *t.arrays(),
            out["final"],
            out["reached"],
            out["info"],
            p.keep,
            out["run_keep"],
        )

    def _make_room(self, status: int, tracked: _Pending | None, buf: list[np.ndarray]) -> None:
        """Make room for what the kernel ran out of (its status): the run's state buffer (3), its
        list of touched windows (4), the worker's whole-window stretches (5) or its entry list (1),
        which, when it cannot grow, turns state tracking off for every worker."""
        if status == 3:
            buf[:3], buf[4:] = _buffers(2 * len(buf[0]), self.plan.nkey)
        elif status == 4:
            buf[3] = np.zeros((2 * len(buf[3]), 3), np.int64)
        elif tracked is None:
            raise RuntimeError(
                f"the continuous-time kernel stopped (status {status}) for a state table it was not given"
            )
        elif status == 5:
            tracked.grow_stretches()
        elif tracked.count[0] and len(tracked.ent) >= ENTRIES_SEND:  # send what the list holds, go on in another
            self.send(tracked)
            self.take_list(self.pending.index(tracked))
        elif not tracked.grow():
            self.tracking = False


def _run_means(
    results: list[_BlockSums], plan: _Plan, runs: int, W: int, observe: Mapping[str, Expr]
) -> tuple[
    np.ndarray,
    np.ndarray,
    dict[str, tuple[np.ndarray, np.ndarray]],
    np.ndarray,
    np.ndarray,
    np.ndarray | None,
]:
    """From the blocks' sums (in block order): node means and standard errors, the observed
    formulas' (p, se), the transition entropy with its standard error, and the Hamming
    distance distribution (None without a reference state)."""

    def total(key: str) -> np.ndarray:
        acc = results[0][key].copy()
        for r in results[1:]:
            acc += r[key]
        return acc

    node_sum, node_sq, th_sum, th_sq, hd_sum = (total(k) for k in ("node_sum", "node_sq", "th_sum", "th_sq", "hd_sum"))
    whole = np.cumsum(total("node_full"), axis=0)[:W]  # runs on for a whole window (value 1)
    node_sum = node_sum + whole
    node_sq = node_sq + whole
    mean = node_sum / runs
    error = _se(node_sum, node_sq, runs)
    base = plan.base_nodes
    observed = {name: (mean[:, base + k].copy(), error[:, base + k].copy()) for k, name in enumerate(observe)}
    hd = hd_sum / runs if plan.nref else None
    return mean[:, :base], error[:, :base], observed, th_sum / runs, _se(th_sum, th_sq, runs), hd


def _se(s: np.ndarray, sq: np.ndarray, runs: int) -> np.ndarray:
    """Standard error of a mean of per-run values from their sum and sum of squares."""
    if runs < 2:
        return np.zeros_like(s)
    mean = s / runs
    var = np.maximum(sq / runs - mean * mean, 0.0) * runs / (runs - 1)
    return np.sqrt(var / runs)


def _zeros(shape: tuple[int, ...], dtype) -> np.ndarray:
    """Zeroed memory for a large table, its pages mapped in one call (``MAP_POPULATE``, where
    the platform has it): faulting them in one by one costs more than filling the table, and
    numpy's huge pages cost 0.06-1.1 s of system time per call on a shared VM where these take
    a steady 0.2 s."""
    nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    flag = getattr(mmap, "MAP_POPULATE", 0)
    if nbytes < (1 << 20) or not flag:
        return np.zeros(shape, dtype)
    buf = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | flag)
    return np.frombuffer(buf, dtype=dtype).reshape(shape)


def _buffers(size: int, nkey: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """A run's state buffer (window, packed state, time) of ``size`` entries, and the per-run
    summing table (twice as many rows) with its list of used rows."""
    return (
        [np.zeros(size, np.int32), np.zeros((size, nkey), np.uint64), np.zeros(size, np.int64)],
        [np.zeros((2 * size, nkey + 2), np.uint64), np.zeros(2 * size, np.int64)],
    )


class _Batch:
    """A block's (window, state) entries (``ent[:rows]``), read by every worker; when the last
    has read it, the list goes back to its worker's ``free`` queue."""

    def __init__(self, ent: np.ndarray, rows: int, readers: int, free: queue.SimpleQueue):
        self.ent = ent
        self.rows = rows
        self.left = readers
        self.free = free
        self.lock = threading.Lock()

    def release(self) -> None:
        with self.lock:
            self.left -= 1
            last = self.left == 0
        if last:
            self.free.put(self.ent)


class _Pending:
    """A worker's (window, state) entries of the block it runs (``ent``: rows as in a table, one
    per run and (window, state), appended; lists come back through ``free`` once read), and its
    states seen over whole windows: state -> row (``stab``) of difference counts (``sdiff``)."""

    def __init__(self, rows: int, nkey: int, W: int = 1, states: int = 64):
        self.nkey = nkey
        self.W = W
        self.rows = rows
        self.ent = np.zeros((rows, nkey + 3), np.uint64)
        self.out = 1  # lists made (in use, being read, or back in ``free``)
        self.free: queue.SimpleQueue = queue.SimpleQueue()
        self.free.put(self.ent)
        self.stab = np.zeros((2 * states, nkey + 2), np.uint64)
        self.sdiff = np.zeros((states, W + 1), np.int64)
        self.count = np.zeros(3, np.int64)  # rows in the list in use; scratch for a run; rows in stab

    @classmethod
    def empty(cls, nkey: int) -> _Pending:
        return cls(1, nkey, 1, 1)

    def arrays(self) -> tuple:
        return (self.ent, self.stab, self.sdiff, self.count)

    def start(self, most: int | None) -> bool:
        """A list to append to from its start: one given back (it grows again if it is shorter
        than the longest yet), else a new one while fewer than ``most`` (None: no limit) are out;
        False when none is to be had within a few milliseconds."""
        try:
            self.ent = self.free.get_nowait() if most is None or self.out < most else self.free.get(timeout=0.005)
        except queue.Empty:
            if most is not None and self.out >= most:
                return False
            self.ent = np.zeros((self.rows, self.nkey + 3), np.uint64)
            self.out += 1
        self.count[0] = 0
        return True

    def batch(self, readers: int) -> _Batch:
        """The block's entries, for ``readers`` workers to read."""
        return _Batch(self.ent, int(self.count[0]), readers, self.free)

    def grow(self) -> bool:
        """Twice the rows for the list in use, keeping its entries; False beyond a quarter of
        the memory budget (``--max-memory``)."""
        from mtorsim.util.resources import memory_budget

        old = self.ent
        if 2 * old.nbytes > memory_budget() // 4:
            return False
        self.ent = np.zeros((2 * len(old), self.nkey + 3), np.uint64)
        self.ent[: len(old)] = old
        self.rows = max(self.rows, len(self.ent))
        return True

    def grow_stretches(self) -> None:
        """Twice the room for states seen over whole windows."""
        from mtorsim.kernels import gillespie as K

        states = 2 * len(self.sdiff)
        stab = np.zeros((2 * states, self.nkey + 2), np.uint64)
        count = np.zeros(3, np.int64)
        K.rehash_states(self.stab, stab, count)
        sdiff = np.zeros((states, self.W + 1), np.int64)
        sdiff[: len(self.sdiff)] = self.sdiff
        self.stab, self.sdiff = stab, sdiff


class _Table:
    """A table of (window, output state) -> integer time sums: a uint64 row per slot,
    ``[key words..., window + 1, sum, sum of shifted squares]`` (``kernels.gillespie``)."""

    def __init__(self, cap: int, nkey: int):
        self.nkey = nkey
        self.tab = _zeros((cap, nkey + 3), np.uint64)
        self.count = np.zeros(1, np.int64)  # rows used

    def grow(self) -> bool:
        """Four times the capacity while small, twice beyond ``TABLE_GROW4`` slots (a big table
        costs its pages), keeping the contents; False beyond a quarter of the memory budget
        (``--max-memory``; ``state_limit`` stops tracking before that)."""
        from mtorsim.kernels import gillespie as K
        from mtorsim.util.resources import memory_budget

        cap = 4 * len(self.tab) if 4 * len(self.tab) <= TABLE_GROW4 else 2 * len(self.tab)
        if cap * (self.nkey + 3) * 8 > memory_budget() // 4:
            return False
        tab = _zeros((cap, self.nkey + 3), np.uint64)
        count = np.zeros(1, np.int64)
        K.table_add(self.tab, 0, len(self.tab), 0, 1, tab, count)
        self.tab = tab
        self.count[0] = count[0]
        return True


def state_limit(nkey: int) -> int:
    """The most (window, state) pairs tracked, whatever the thread count: ``TABLE_MAX / 2``, or
    fewer when a table holding them all (grown fourfold from half full) would pass a quarter of
    the memory budget."""
    from mtorsim.util.resources import memory_budget

    return int(min(TABLE_MAX // 2, memory_budget() // 4 // (8 * (nkey + 3) * 8) - 1))


def _state_summary(runner: _Blocks, W: int, runs: int, outputs: list[str], top: int) -> tuple[list, list, np.ndarray]:
    """Per window: the ``top`` most probable states (name, p, se), the rest's total, entropy H;
    window ``w``'s states are in table ``w % len(tables)``."""
    from mtorsim.kernels import gillespie as K

    tables = runner.tables
    k = tables[0].nkey
    h = np.sum([part_h for _, part_h in runner.summaries], axis=0)  # a window is in one table: others add 0
    states: list[list[tuple[str, float, float]]] = []
    other: list[float] = []
    for w in range(W):
        tab = tables[w % len(tables)].tab
        listed = []
        for row in runner.summaries[w % len(tables)][0][w, :top]:
            if row < 0:
                break
            p = float(tab[row, k + 1]) / (2.0**31 * runs)
            ef2 = float(tab[row, k + 2]) / 2.0 ** (2 * (31 - K.SQ_SHIFT)) / runs
            se = math.sqrt(max(ef2 - p * p, 0.0) * runs / (runs - 1) / runs) if runs > 1 else 0.0
            bits = [int((int(tab[row, j // 64]) >> (j % 64)) & 1) for j in range(len(outputs))]
            listed.append((state_name(outputs, bits), p, se))
        states.append(listed)
        other.append(float(max(0.0, 1.0 - sum(x[1] for x in listed))))
    return states, other, h


def _fixed_points(finals: np.ndarray, runs: int, nodes: list[str]) -> list[dict]:
    if not len(finals):
        return []
    uniq, counts = np.unique(finals, axis=0, return_counts=True)
    out = []
    for row, c in sorted(zip(uniq, counts), key=lambda x: (-x[1], x[0].tolist())):
        bits = [int((int(row[j // 64]) >> (j % 64)) & 1) for j in range(len(nodes))]
        out.append(
            {
                "state": state_name(nodes, bits),
                "probability": float(c) / runs,
                "nodes": {n: b for n, b in zip(nodes, bits)},
            }
        )
    return out
