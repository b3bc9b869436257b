"""Simulation: validate and shape inputs, run the kernels in chunks, average the runs."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import numpy as np

from mtorsim.compiler import Program, compile_network
from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import Var
from mtorsim.kernels.events import Event, release_and_set
from mtorsim.network import Network
from mtorsim.simulation.initial import InitialSpec
from mtorsim.simulation.rates import alias_table, steps_per_time_unit
from mtorsim.simulation.results import SimulationResult
from mtorsim.simulation.scores import LevelScore
from mtorsim.treatment.records import Hold
from mtorsim.types import UPDATES, Update
from mtorsim.util.seeds import run_seeds

CHUNK_BYTES = 64 * 2**20


MAX_RUNS = 10**9


def check_runs(runs: object) -> None:
    """MtorsimError unless ``runs`` is a whole number from 1 to MAX_RUNS."""
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or not 1 <= runs <= MAX_RUNS:
        raise MtorsimError(f"`runs` must be a whole number from 1 to {MAX_RUNS:,}, not {runs!r}")


def check_output_memory(samples: int, n: int, runs: int) -> None:
    """Refuse before work a result that would not fit the memory budget (``resources``): the
    per-sample sums and means (and, for one run, its trajectory), about 24 bytes per sample and
    node, plus a block of runs in the per-run kernels."""
    from mtorsim.util.resources import announce_memory, human, memory_budget

    need = 24 * samples * n + (samples * n if runs == 1 else 0)
    announce_memory(need, f"the result ({samples:,} samples of {n:,} nodes)")
    if need > memory_budget():
        raise MtorsimError(
            f"{samples:,} samples of {n:,} nodes need about {human(need)} for the result, above the "
            f"memory budget of {human(memory_budget())} (`max_memory`); sample less often (`every`, or "
            "`time_tick` in continuous time) "
            "or shorten the run"
        )


MAX_SAMPLES = 1_000_000  # recorded samples per run
MAX_STEPS = 10**10  # single-node steps per run (async)


def sample_schedule(update: str, length: float, every: float, rates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample times (in steps or time units) and the step count at which each is taken (``rates``:
    one per node, as ``simulate`` checked them)."""
    if not (length > 0 and math.isfinite(length)):
        raise MtorsimError(f"the simulation `length` must be a positive finite number, not {length}")
    if not (every > 0 and math.isfinite(every)):
        raise MtorsimError(f"`every` must be a positive finite number, not {every}")
    if length / every + 1 > MAX_SAMPLES:
        raise MtorsimError(
            f"a length of {length:g} sampled every {every:g} records {length / every + 1:.3g} samples "
            f"per run; at most {MAX_SAMPLES:,}: raise `every` or shorten the run"
        )
    times = np.arange(0.0, length + 1e-9, every)
    if times[-1] < length - 1e-9:
        times = np.append(times, length)
    if update == "async":
        unit = steps_per_time_unit(rates)
        if not (math.isfinite(unit) and unit * length <= MAX_STEPS):
            raise MtorsimError(
                f"with these rates one time unit is {unit:.3g} single-node steps (the sum of the rates "
                f"over the smallest), so {length:g} time units take {unit * length:.3g} steps per run; "
                f"at most {MAX_STEPS:.0e}: narrow the spread of the rates or shorten the `length`"
            )
        steps = np.rint(times * unit).astype(np.int64)
    else:
        if abs(length - round(length)) > 1e-9 or abs(every - round(every)) > 1e-9:
            raise MtorsimError(f"`length` and `every` must be whole numbers for the {update} scheme")
        steps = np.rint(times).astype(np.int64)
    steps, keep = np.unique(steps, return_index=True)
    if steps[-1] == 0:
        raise MtorsimError(
            f"a length of {length} time units is shorter than one update (one time unit is {steps_per_time_unit(rates):g} "
            "single-node steps); give a longer `length`"
        )
    return times[keep], steps


def check_hold(net: Network, hold: Hold, fixed: Mapping[str, int]) -> int:
    """The held node's index, after checking the hold (not also held for the whole run)."""
    i = net.index(hold.node)
    if hold.node in fixed:
        raise MtorsimError(f"{hold.node} is held for the whole run and also scheduled; give one or the other")
    if hold.value not in (0, 1):
        raise MtorsimError(f"a held value must be 0 or 1, not {hold.value!r} (for {hold.node})")
    if not (0 <= hold.start < float("inf")) or (hold.end is not None and not hold.end > hold.start):
        raise MtorsimError(
            f"{hold.node}: the hold must start at 0 or later and end after it starts ({hold.start}-{hold.end})"
        )
    return i


def release_code(net: Network, hold: Hold) -> int:
    """The kernels' event at the end of a hold: back to the rule, or for an input (rule
    ``X = X``) released and set to the other value (a drug washed out, a signal withdrawn)."""
    rule = net.rules[net.index(hold.node)]
    if isinstance(rule, Var) and rule.name == hold.node:
        return int(release_and_set(1 - hold.value))
    return int(Event.RELEASE)


def schedule_arrays(
    net: Network, holds: Sequence[Hold], fixed: Mapping[str, int], update: str, rates: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Events (step, node, value or -1 for release), sorted by step, for the kernels."""
    unit = steps_per_time_unit(rates) if update == "async" else 1.0
    events: list[tuple[int, int, int, int]] = []
    for k, h in enumerate(holds):
        i = check_hold(net, h, fixed)
        events.append((int(round(h.start * unit)), 2 * k + 1, i, h.value))
        if h.end is not None:
            events.append((int(round(h.end * unit)), 2 * k, i, release_code(net, h)))
    events.sort()
    return (
        np.array([e[0] for e in events], dtype=np.int64),
        np.array([e[2] for e in events], dtype=np.int64),
        np.array([e[3] for e in events], dtype=np.int8),
    )


def check_windows(schedule: Sequence[Hold], length: float, update: str) -> None:
    """A window that starts after the run ends would do nothing: refuse it."""
    for h in schedule:
        if h.start > length:
            what = "time" if update == "async" else "step"
            raise MtorsimError(
                f"{h.node}: the hold from {what} {h.start:g} starts after the run ends ({what} {length:g}); "
                "give a window inside the run, or a longer run"
            )


def fixed_array(net: Network, fixed: Mapping[str, int]) -> np.ndarray:
    out = np.full(len(net), -1, dtype=np.int8)
    for name, v in fixed.items():
        if v not in (0, 1):
            raise MtorsimError(f"a fixed value must be 0 or 1, not {v!r} (for {name})")
        out[net.index(name)] = v
    return out


def simulate(
    net: Network,
    update: Update = "sync",
    length: float = 20,
    runs: int = 1,
    init: InitialSpec | None = None,
    fixed: Mapping[str, int] | None = None,
    rates: np.ndarray | None = None,
    seed: int = 0,
    every: float = 1,
    scores: Sequence[LevelScore] = (),
    schedule: Sequence[Hold] = (),
    efficacy: Mapping[str, float] | None = None,
    program: Program | None = None,
    progress: Callable[[int], None] | None = None,
    threads: int | None = None,
    kernel: Literal["bits", "per-run"] = "bits",
) -> SimulationResult:
    """Simulate ``runs`` trajectories and return the mean activity at every sampled time.

    ``length`` is in steps for ``sync`` and ``random-order`` (one step updates every node) and
    in time units for ``async`` (``sum(rates)/min(rates)`` single-node updates each). Runs go 64
    to a machine word over ``threads`` cores (default: all; the numbers never depend on it);
    ``kernel="per-run"`` uses the reference kernels, one run at a time (same trajectories).
    """
    if update not in UPDATES:
        raise MtorsimError(f"unknown update scheme '{update}'; choose one of: {', '.join(UPDATES)}")
    check_runs(runs)
    n = len(net)
    if rates is None:
        rates = np.ones(n)
    rates = np.asarray(rates, dtype=np.float64)
    if rates.shape != (n,) or not np.all(rates > 0):
        raise MtorsimError("rates must be positive, one per node")
    init = init or InitialSpec()
    fixed = dict(fixed or {})
    times, steps = sample_schedule(update, length, every, rates)
    check_output_memory(len(steps), n, runs)
    init_arrays = init.arrays(net)
    fix = fixed_array(net, fixed)
    ev_step, ev_node, ev_val = schedule_arrays(net, schedule, fixed, update, rates)
    fix_p = np.ones(n, dtype=np.float64)
    held = set(fixed) | {h.node for h in schedule}
    for name, p in (efficacy or {}).items():
        if name not in held:
            raise MtorsimError(f"efficacy given for {name}, which is not held (`fixed`) in this run")
        if not 0 < p <= 1:
            raise MtorsimError(f"the efficacy of {name} must be in (0, 1], not {p}")
        fix_p[net.index(name)] = p
    settings = {
        "length": length,
        "every": every,
        "fixed": fixed,
        "efficacy": dict(efficacy or {}),
        "schedule": [{"node": h.node, "value": h.value, "start": h.start, "end": h.end} for h in schedule],
        "steps_per_time_unit": steps_per_time_unit(rates) if update == "async" else 1.0,
    }
    if runs > 1 and kernel == "bits" and all(isinstance(sc, LevelScore) for sc in scores):
        return _bits(
            net,
            update,
            runs,
            init_arrays,
            fix,
            fix_p,
            rates,
            seed,
            times,
            steps,
            (ev_step, ev_node, ev_val),
            scores,
            threads,
            progress,
            settings,
        )
    program = program or compile_network(net)

    from mtorsim.kernels import trajectories as K

    chunk = max(1, min(runs, CHUNK_BYTES // max(1, len(steps) * n)))
    total = np.zeros((len(steps), n), dtype=np.int64)
    score_sums = {s.name: np.zeros(len(steps)) for s in scores}
    trajectory = None
    arrays = program.arrays()
    alias_p, alias = alias_table(rates)
    for start in range(0, runs, chunk):
        count = min(chunk, runs - start)
        seeds = run_seeds(seed, start, count)
        out = np.empty((count, len(steps), n), dtype=np.uint8)
        if update == "sync":
            K.run_sync(arrays, fix, fix_p, init_arrays, seeds, steps, ev_step, ev_node, ev_val, out, program.max_stack)
        elif update == "async":
            K.run_async(
                arrays,
                fix,
                fix_p,
                alias_p,
                alias,
                init_arrays,
                seeds,
                steps,
                ev_step,
                ev_node,
                ev_val,
                out,
                program.max_stack,
            )
        else:
            K.run_random_order(
                arrays, fix, fix_p, init_arrays, seeds, steps, ev_step, ev_node, ev_val, out, program.max_stack
            )
        total += out.sum(axis=0, dtype=np.int64)
        for s in scores:
            score_sums[s.name] += s.per_run(out, net).sum(axis=0)
        if runs == 1:
            trajectory = out[0].copy()
        if progress:
            progress(count)
    return SimulationResult(
        nodes=list(net.nodes),
        times=times,
        mean=total / runs,
        runs=runs,
        update=update,
        seed=seed,
        trajectory=trajectory,
        scores={k: v / runs for k, v in score_sums.items()},
        settings=settings,
    )


BLOCK_WORDS = 128  # words per block of the bit-parallel sync kernel: 8,192 runs (measured best, 16-512)
ASYNC_BLOCK_WORDS = 16  # async and random-order: 1,024 runs per block
# node updates per kernel call (about 0.2-0.5 s on one core), so progress shows and Ctrl-C acts between calls
CALL_UPDATES = {"sync": 2 * 10**10, "async": 10**8, "random-order": 10**8}


def score_terms(net: Network, scores: Sequence[LevelScore]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """Each score as weighted ANDs of literals: level k on and every higher level off (the
    highest level that is on gives the run its weight)."""
    ptr, nodes, neg, weights = [0], [], [], []
    for sc in scores:
        ws = []
        for k, (lv, w) in enumerate(zip(sc.levels, sc.weights)):
            nodes.append(net.index(lv))
            neg.append(0)
            for higher in sc.levels[k + 1 :]:
                nodes.append(net.index(higher))
                neg.append(1)
            ptr.append(len(nodes))
            ws.append(w)
        weights.append(ws)
    return (np.asarray(ptr, np.int64), np.asarray(nodes, np.int64), np.asarray(neg, np.int8), weights)


def interruptible(kernel, threads: int, *args):
    """``kernel(*args, stop)`` in a worker thread while this thread waits, so that Ctrl-C is
    seen at once: it sets ``stop``, the kernel's workers return within a step, the worker
    thread has returned (no numba thread outlives the interpreter) and KeyboardInterrupt goes on."""
    import threading
    import time

    import numba

    stop = np.zeros(1, np.uint8)
    box: dict = {}

    def work() -> None:
        numba.set_num_threads(threads)  # per thread: set where the kernel runs
        try:
            box["out"] = kernel(*args, stop)
        except BaseException as exc:  # handed to the caller
            box["err"] = exc
        finally:
            box["done"] = True

    # polled with sleep, not Thread.join or Event.wait: Ctrl-C inside a lock wait can leave the
    # lock in a state that makes a later join return early or a later wait deadlock
    worker = threading.Thread(target=work, name="mtorsim-kernel", daemon=True)
    worker.start()
    try:
        while "done" not in box:
            time.sleep(0.02)
    except KeyboardInterrupt:
        stop[0] = 1
        while "done" not in box:
            time.sleep(0.01)
        raise
    if "err" in box:
        raise box["err"]
    return box["out"]


def _bits(
    net, update, runs, init_arrays, fix, fix_p, rates, seed, times, steps, events, scores, threads, progress, settings
):
    """Sync or async runs on the bit-parallel kernels (``kernels.bits``)."""
    import os

    import numba

    from mtorsim.compiler.wordcode import compile_words
    from mtorsim.kernels import bits as K

    wp = compile_words(net)
    t_ptr, t_node, t_neg, weights = score_terms(net, scores)
    threads = max(1, int(threads or os.cpu_count() or 1))
    words = BLOCK_WORDS if update == "sync" else ASYNC_BLOCK_WORDS
    blocks = -(-runs // (64 * words))
    workers = max(1, min(threads, blocks))
    seeds = run_seeds(seed, 0, runs)
    alias_p, alias = alias_table(rates)
    # calls of about CALL_UPDATES node updates each, in whole rounds of blocks: progress and
    # Ctrl-C between calls; runs keep their seeds, counts are integers, so the sums are the same
    per_run = int(steps[-1]) * (len(net) if update != "async" else 1)
    round_runs = 64 * words * workers
    chunk = max(round_runs, CALL_UPDATES[update] // max(per_run, 1) // round_runs * round_runs)
    counts = np.zeros((len(steps), len(net)), np.int64)
    tcounts = np.zeros((len(steps), len(t_ptr) - 1), np.int64)
    for start in range(0, runs, chunk):
        c, t = interruptible(
            K.bit_trajectories,
            min(workers, numba.config.NUMBA_NUM_THREADS),
            UPDATES.index(update),
            wp.code,
            wp.ptr,
            wp.rows,
            fix,
            fix_p,
            alias_p,
            alias,
            init_arrays,
            seeds[start : start + chunk],
            steps,
            *events,
            t_ptr,
            t_node,
            t_neg,
            words,
            max(1, min(workers, -(-min(chunk, runs - start) // (64 * words)))),
        )
        counts += c
        tcounts += t
        if progress:
            progress(min(chunk, runs - start))
    score_means, k = {}, 0
    for sc, ws in zip(scores, weights):
        total = np.zeros(len(steps))
        for w in ws:
            total += w * tcounts[:, k]
            k += 1
        score_means[sc.name] = total / runs
    return SimulationResult(
        nodes=list(net.nodes),
        times=times,
        mean=counts / runs,
        runs=runs,
        update=update,
        seed=seed,
        trajectory=None,
        scores=score_means,
        settings=settings,
    )
