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
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from mtorsim.compiler import compile_network
from mtorsim.errors import MtorsimError
from mtorsim.initial import InitialSpec
from mtorsim.network import Network
from mtorsim.ratelaws import RateSpec, compile_rates
from mtorsim.simulate import Hold, SimulationResult, run_seeds

BLOCK_RUNS = 256
"""Runs per kernel call; fixed, so that results do not depend on the number of threads."""
TABLE_START = 1 << 12
TABLE_MAX = 1 << 23
"""Most (window, state) entries kept (about 8 million); beyond it states are not tracked."""
TOP_STATES = 10
MAX_WINDOWS = 100_000


@dataclass(frozen=True)
class SetEvent:
    """Set ``node`` to ``value`` at ``time`` without holding it (MaBoSS ``X.schedule``)."""

    node: str
    value: int
    time: float


@dataclass
class ContinuousResult(SimulationResult):
    """Node probabilities per window (``mean``) with standard errors, and MaBoSS's other outputs."""

    error: np.ndarray | None = None  # windows x nodes, standard error of ``mean``
    states: list[list[tuple[str, float, float]]] = field(default_factory=list)  # per window: (state, p, se)
    states_other: list[float] = field(default_factory=list)  # probability of states not listed
    th: np.ndarray | None = None  # transition entropy per window
    th_error: np.ndarray | None = None
    h: np.ndarray | None = None  # state entropy per window (None when states were not tracked)
    hd: np.ndarray | None = None  # windows x (references + 1): Hamming distance distribution
    fixed_points: list[dict] = field(default_factory=list)  # {"state", "probability", "nodes"}
    transitions: int = 0
    internal: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = super().to_dict()
        if self.error is not None:
            out["error"] = {n: [float(x) for x in self.error[:, i]] for i, n in enumerate(self.nodes)}
        out["states"] = [[{"state": s, "p": float(p), "se": float(e)} for s, p, e in w] for w in self.states]
        out["states_other"] = [float(x) for x in self.states_other]
        out["entropy"] = {
            "TH": [float(x) for x in self.th] if self.th is not None else [],
            "TH_se": [float(x) for x in self.th_error] if self.th_error is not None else [],
            "H": [float(x) for x in self.h] if self.h is not None else None,
        }
        if self.hd is not None:
            out["hamming"] = {str(k): [float(x) for x in self.hd[:, k]] for k in range(self.hd.shape[1])}
        out["fixed_points"] = self.fixed_points
        out["transitions"] = self.transitions
        out["internal"] = self.internal
        out["notes"] = self.notes
        return out

    @classmethod
    def from_dict(cls, d: Mapping) -> ContinuousResult:
        base = SimulationResult.from_dict(d)
        nodes = base.nodes
        err = d.get("error")
        ent = d.get("entropy") or {}
        return cls(**{k: getattr(base, k) for k in ("nodes", "times", "mean", "runs", "update", "seed", "trajectory",
                                                  "scores", "settings")},
                   error=None if err is None else np.array([err[n] for n in nodes], dtype=float).T,
                   states=[[(s["state"], s["p"], s["se"]) for s in w] for w in d.get("states", [])],
                   states_other=list(d.get("states_other", [])),
                   th=np.asarray(ent.get("TH", []), dtype=float), h=None if ent.get("H") is None else np.asarray(ent["H"]),
                   fixed_points=list(d.get("fixed_points", [])), transitions=int(d.get("transitions", 0)),
                   internal=list(d.get("internal", [])), notes=list(d.get("notes", [])))


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


def _events(net: Network, schedule: Sequence[Hold], sets: Sequence[SetEvent], fixed: Mapping[str, int],
            efficacy: Mapping[str, float], max_time: float) -> tuple[np.ndarray, ...]:
    """Events sorted by time (ties: in the order given): holds, releases and set values."""
    events: list[tuple[float, int, int, int, float]] = []
    for k, h in enumerate(schedule):
        i = h.check(net, fixed)
        events.append((float(h.start), 2 * k + 1, i, h.value, float(efficacy.get(h.node, 1.0))))
        if h.end is not None:
            events.append((float(h.end), 2 * k, i, h.release(net), 1.0))
    base = 2 * len(schedule)
    for k, s in enumerate(sets):
        if s.value not in (0, 1) or not (s.time >= 0 and math.isfinite(s.time)):
            raise MtorsimError(f"{s.node}: a scheduled value is 0 or 1 at a time >= 0 ({s.value} at {s.time})")
        events.append((float(s.time), base + k, net.index(s.node), -4 - s.value, 1.0))
    events = [e for e in events if e[0] <= max_time]
    events.sort()
    return (np.array([e[0] for e in events], np.float64), np.array([e[2] for e in events], np.int64),
            np.array([e[3] for e in events], np.int8), np.array([e[4] for e in events], np.float64))


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
    progress: Callable[[int], None] | None = None,
) -> ContinuousResult:
    """Simulate ``runs`` continuous-time trajectories up to ``max_time``.

    Returns, per window of ``time_tick`` (``times`` are window starts): the probability that
    each node is on (time-averaged within the window, averaged over runs) and its standard
    error, the ``top_states`` most probable output states (internal nodes left out), the
    transition entropy TH and state entropy H (bits), the Hamming-distance distribution to
    ``refstate``, and the fixed points reached by ``max_time`` with their probabilities.
    ``threads`` (default: all cores) never changes the numbers.
    """
    if not (runs >= 1 and int(runs) == runs):
        raise MtorsimError(f"the number of runs must be a whole number >= 1, not {runs}")
    if not (math.isfinite(max_time) and max_time > 0):
        raise MtorsimError(f"the simulation length (max_time) must be a positive number, not {max_time}")
    if not (math.isfinite(time_tick) and time_tick > 0):
        raise MtorsimError(f"time_tick must be a positive number, not {time_tick}")
    W = int(max_time / time_tick)
    if W < 1:
        raise MtorsimError(f"max_time {max_time:g} is shorter than one time_tick ({time_tick:g}); no window to report")
    if W > MAX_WINDOWS:
        raise MtorsimError(f"max_time / time_tick gives {W:,} windows (at most {MAX_WINDOWS:,}); raise time_tick")
    threads = max(1, int(threads or os.cpu_count() or 1))
    init = init or InitialSpec()
    fixed = dict(fixed or {})
    efficacy = dict(efficacy or {})
    n = len(net)
    program = compile_network(net)
    rp = compile_rates(net, rates)
    held = {h.node for h in schedule}
    hold_val, hold_eff = _holds(net, fixed, {k: v for k, v in efficacy.items() if k not in held})
    ev = _events(net, schedule, sets, fixed, efficacy, max_time)
    init_arrays = init.arrays(net)
    internal_set = set(internal)
    for name in internal_set:
        net.index(name)
    internal_arr = np.array([1 if x in internal_set else 0 for x in net.nodes], np.uint8)
    outputs = [i for i in range(n) if not internal_arr[i]]
    nkey = max(1, (len(outputs) + 63) // 64)
    out_word = np.full(n, -1, np.int64)
    out_bit = np.zeros(n, np.int64)
    for k, i in enumerate(outputs):
        out_word[i], out_bit[i] = k // 64, k % 64
    refstate = dict(refstate or {})
    ref = np.full(n, -1, np.int8)
    for name, v in refstate.items():
        if v not in (0, 1):
            raise MtorsimError(f"the reference state of {name} must be 0 or 1, not {v!r}")
        ref[net.index(name)] = v
    nref = int((ref >= 0).sum())
    words = (n + 63) // 64

    from mtorsim.kernels import gillespie as K

    def block(b: int, track: int) -> dict:
        start = b * BLOCK_RUNS
        count = min(BLOCK_RUNS, runs - start)
        seeds = run_seeds(seed, start, count)
        cap = TABLE_START
        while True:
            out = {
                "node_sum": np.zeros((W, n)), "node_sq": np.zeros((W, n)), "th_sum": np.zeros(W), "th_sq": np.zeros(W),
                "hd_sum": np.zeros((W, nref + 1)), "final": np.zeros((count, words), np.uint64),
                "reached": np.zeros(count, np.uint8), "info": np.zeros(4, np.int64),
            }
            size = cap if track else 1
            table = (np.zeros((size, nkey), np.uint64), np.full(size, -1, np.int32), np.zeros(size), np.zeros(size),
                     np.full(size, -1, np.int64), np.zeros(size), np.zeros(1, np.int64))
            status = K.ct_block(program.arrays(), rp.arrays(), rp.base_up, rp.base_down, hold_val, hold_eff,
                                program.max_stack, rp.max_stack, *init_arrays, *ev, internal_arr, out_word, out_bit,
                                nkey, ref, nref, seeds, float(max_time), float(time_tick), W, int(discrete_time),
                                track, out["node_sum"], out["node_sq"], out["th_sum"], out["th_sq"], out["hd_sum"],
                                *table, out["final"], out["reached"], out["info"])
            if status == 2:
                i, r = int(out["info"][1]), start + int(out["info"][2])
                raise MtorsimError(f"the rate of node {net.nodes[i]} became negative, infinite or not a number "
                                   f"(run {r}); check its rate_up/rate_down expressions and parameters")
            if status == 1:
                if 2 * cap > TABLE_MAX:
                    track = 0
                else:
                    cap *= 2
                continue
            if track:
                keys, win, tsum, tsq, _, tcur, _ = table
                used = win >= 0
                out["table"] = (keys[used], win[used], tsum[used], tsq[used] + tcur[used] ** 2)
            out["tracked"] = bool(track)
            if progress:
                progress(count)
            return out

    n_blocks = (runs + BLOCK_RUNS - 1) // BLOCK_RUNS
    track0 = int(bool(track_states))
    if threads > 1 and n_blocks > 1:
        with ThreadPoolExecutor(max_workers=min(threads, n_blocks)) as pool:
            results = list(pool.map(lambda b: block(b, track0), range(n_blocks)))
    else:
        results = [block(b, track0) for b in range(n_blocks)]

    def total(key: str) -> np.ndarray:
        acc = results[0][key].copy()
        for r in results[1:]:
            acc += r[key]
        return acc

    node_sum, node_sq, th_sum, th_sq, hd_sum = (total(k) for k in ("node_sum", "node_sq", "th_sum", "th_sq", "hd_sum"))
    mean = node_sum / runs
    error = _se(node_sum, node_sq, runs)
    notes: list[str] = []
    states: list[list[tuple[str, float, float]]] = [[] for _ in range(W)]
    other = [0.0] * W
    h = None
    tracked = all(r["tracked"] for r in results) and track_states
    if track_states and not tracked:
        notes.append(f"more than {TABLE_MAX:,} (window, state) pairs were visited: state probabilities and the state "
                     "entropy H are not reported; mark nodes internal to shrink the state space")
    if tracked:
        states, other, h = _state_summary(results, W, runs, time_tick, [net.nodes[i] for i in outputs], top_states)
    finals = np.concatenate([r["final"] for r in results])
    reached = np.concatenate([r["reached"] for r in results]).astype(bool)
    fixed_points = _fixed_points(finals[reached], runs, list(net.nodes))
    settings = {
        "max_time": max_time, "time_tick": time_tick, "discrete_time": bool(discrete_time), "fixed": fixed,
        "efficacy": efficacy, "threads": threads,
        "schedule": [{"node": x.node, "value": x.value, "start": x.start, "end": x.end} for x in schedule],
        "set": [{"node": x.node, "value": x.value, "time": x.time} for x in sets],
        "params": dict((rates or RateSpec()).params),
    }
    return ContinuousResult(
        nodes=list(net.nodes), times=np.arange(W) * time_tick, mean=mean, runs=runs, update="continuous", seed=seed,
        settings=settings, error=error, states=states, states_other=other, th=th_sum / runs,
        th_error=_se(th_sum, th_sq, runs), h=h, hd=hd_sum / runs if nref else None, fixed_points=fixed_points,
        transitions=int(sum(int(r["info"][0]) for r in results)), internal=sorted(internal_set, key=net.index),
        notes=notes,
    )


def _se(s: np.ndarray, sq: np.ndarray, runs: int) -> np.ndarray:
    """Standard error of a mean of per-run values from their sum and sum of squares."""
    if runs < 2:
        return np.zeros_like(s)
    mean = s / runs
    var = np.maximum(sq / runs - mean * mean, 0.0) * runs / (runs - 1)
    return np.sqrt(var / runs)


def _state_summary(results: list[dict], W: int, runs: int, tick: float, outputs: list[str],
                   top: int) -> tuple[list, list, np.ndarray]:
    keys = np.concatenate([r["table"][0] for r in results])
    win = np.concatenate([r["table"][1] for r in results]).astype(np.int64)
    tsum = np.concatenate([r["table"][2] for r in results])
    tsq = np.concatenate([r["table"][3] for r in results])
    rows = np.concatenate([win[:, None].astype(np.uint64), keys], axis=1)
    uniq, inverse = np.unique(rows, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    p = np.bincount(inverse, weights=tsum, minlength=len(uniq)) / (runs * tick)
    sq = np.bincount(inverse, weights=tsq, minlength=len(uniq)) / (tick * tick)
    se = _se(p * runs, sq, runs)
    uwin = uniq[:, 0].astype(np.int64)
    h = np.zeros(W)
    states: list[list[tuple[str, float, float]]] = []
    other: list[float] = []
    order = np.lexsort((-p, uwin))
    starts = np.searchsorted(uwin[order], np.arange(W + 1))
    for w in range(W):
        idx = order[starts[w]:starts[w + 1]]
        pw = p[idx]
        pos = pw[pw > 0]
        h[w] = float(-(pos * np.log2(pos)).sum())
        listed = []
        for k in idx[:top]:
            bits = [int((int(uniq[k, 1 + j // 64]) >> (j % 64)) & 1) for j in range(len(outputs))]
            listed.append((state_name(outputs, bits), float(p[k]), float(se[k])))
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
        out.append({"state": state_name(nodes, bits), "probability": float(c) / runs,
                    "nodes": {n: b for n, b in zip(nodes, bits)}})
    return out
