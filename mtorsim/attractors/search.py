"""Attractors: exhaustive (sync and async), sampled (sync), fixed points (any size).

Every search runs on the network left after percolation (``reduction.percolate``); free inputs
are enumerated one combination at a time, each percolated on its own.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from mtorsim.attractors import MAX_COMBINATIONS
from mtorsim.attractors.result import Attractor, AttractorResult
from mtorsim.compiler import compile_network
from mtorsim.errors import MtorsimError
from mtorsim.network import Network
from mtorsim.network.reduction import Reduction, percolate
from mtorsim.types import METHODS, AttractorUpdate, Method
from mtorsim.util.resources import human, memory_budget, states_within_budget
from mtorsim.util.seeds import check_seed

SAT_SECONDS = 60.0  # time for the proven synchronous search per input setting (method auto or sat)
MAX_SYNC_EXHAUSTIVE = 30  # free nodes; 2^30 states x 8 bytes = 8 GiB
MAX_ASYNC_EXHAUSTIVE = 25  # free nodes; Tarjan needs ~25 bytes per state
STATES_SHOWN = 1024


def _unpack(states: np.ndarray, m: int) -> np.ndarray:
    """Packed states (bit i = node i) -> rows of 0/1."""
    return ((states[:, None] >> np.arange(m, dtype=np.int64)) & 1).astype(np.uint8)


SYNC_BYTES, ASYNC_BYTES = 8, 26  # per state: successor + label (sync); Tarjan's arrays (async)


def sync_limit() -> int:
    """Free nodes the sync exhaustive search may take: MAX_SYNC_EXHAUSTIVE, or fewer when the
    memory budget (``resources``) is smaller."""
    return states_within_budget(SYNC_BYTES, MAX_SYNC_EXHAUSTIVE)


def async_limit() -> int:
    return states_within_budget(ASYNC_BYTES, MAX_ASYNC_EXHAUSTIVE)


def _memory_error(m: int, per_state: int, what: str) -> MtorsimError:
    return MtorsimError(
        f"{what} over {m} free nodes needs 2^{m} states, about {human((1 << m) * per_state)}; the memory budget "
        f"is {human(memory_budget())} (`max_memory`; default 4 GiB or half the available memory, whichever is less). Hold inputs or nodes (`fixed`) to shrink "
        "the network, or use the method 'sample' (sync) or 'fixed-points'"
    )


def _activity(red: Reduction, rows: np.ndarray | None = None, mean: np.ndarray | None = None) -> np.ndarray:
    """Fraction of states with each original node on, from reduced rows or their mean
    (percolated nodes at their constant values)."""
    if mean is None:
        assert rows is not None  # callers give rows or mean
        mean = rows.mean(axis=0) if len(rows) else np.zeros(len(red.reduced))
    pos = {n: i for i, n in enumerate(red.reduced.nodes)}
    return np.array([red.values[n] if n in red.values else mean[pos[n]] for n in red.original.nodes], dtype=float)


def _readers(prog, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each node j, the (node, position) pairs whose truth-table index reads j (CSR)."""
    pairs: list[list[tuple[int, int]]] = [[] for _ in range(m)]
    for i in range(m):
        for p, j in enumerate(prog.reg_idx[prog.reg_ptr[i] : prog.reg_ptr[i + 1]]):
            pairs[j].append((i, p))
    ptr = np.zeros(m + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in pairs])
    flat = [q for x in pairs for q in x]
    return (
        ptr,
        np.array([q[0] for q in flat], dtype=np.int64).reshape(-1),
        np.array([q[1] for q in flat], dtype=np.int64).reshape(-1),
    )


def sync_exhaustive(red: Reduction, show: int = STATES_SHOWN) -> list[Attractor]:
    """Every state's successor, every cycle, exact basins (fractions of the reduced space)."""
    from mtorsim.kernels import statespace as K

    m = len(red.reduced)
    if m > sync_limit():
        raise _memory_error(m, SYNC_BYTES, "the synchronous exhaustive search")
    prog = compile_network(red.reduced)
    n = 1 << m
    succ = np.empty(n, dtype=np.uint32)
    if (prog.tt_ptr >= 0).all():
        K.sync_successors_incremental(prog.arrays(), m, *_readers(prog, m), succ)
    else:
        K.sync_successors(prog.arrays(), m, prog.max_stack, succ)
    label = np.zeros(n, dtype=np.int32)
    reps = np.empty(min(n, 1 << 20), dtype=np.int64)
    count = K.label_functional_graph(succ, label, reps)
    if count < 0:
        raise MtorsimError("more than 2^20 synchronous attractors; fix inputs to split the search")
    sizes = K.basin_sizes(label, count)
    out = []
    buf = np.empty(1 << 22, dtype=np.int64)
    for a in range(count):
        length = K.cycle_from(succ, reps[a], buf.shape[0], buf)
        cyc = buf[: min(length, buf.shape[0])].copy()
        start = int(np.argmin(cyc)) if length <= buf.shape[0] else 0
        cyc = np.roll(cyc, -start)
        rows = _unpack(cyc, m)
        out.append(
            Attractor(
                kind="fixed" if length == 1 else "cycle",
                size=int(length),
                states=red.expand(rows) if length <= show else None,
                activity=_activity(red, rows),
                basin=sizes[a + 1] / n,
            )
        )
    return out


def async_exhaustive(red: Reduction, show: int = STATES_SHOWN) -> list[Attractor]:
    """Terminal strongly connected components of the asynchronous state transition graph."""
    from mtorsim.kernels import statespace as K

    m = len(red.reduced)
    if m > async_limit():
        raise _memory_error(m, ASYNC_BYTES, "the asynchronous exhaustive search")
    prog = compile_network(red.reduced)
    n = 1 << m
    comp = np.empty(n, dtype=np.int32)
    terminal = np.zeros(n, dtype=np.uint8)
    n_comp = K.async_terminal_sccs(prog.arrays(), m, prog.max_stack, comp, terminal)
    ids = np.flatnonzero(terminal[:n_comp])
    wanted = np.full(n_comp, -1, dtype=np.int64)
    wanted[ids] = np.arange(len(ids))
    sizes = np.zeros(len(ids), dtype=np.int64)
    counts = np.zeros((len(ids), m), dtype=np.int64)
    K.component_summary(comp, wanted, m, sizes, counts)
    out = []
    buf = np.empty(show, dtype=np.int64)
    for k, c in enumerate(ids):
        activity = counts[k] / sizes[k]
        states = None
        if sizes[k] <= show:
            got = K.component_states(comp, c, show, buf)
            states = red.expand(_unpack(buf[:got].copy(), m))
        out.append(
            Attractor(
                "fixed" if sizes[k] == 1 else "complex", int(sizes[k]), states, _activity(red, mean=activity), None
            )
        )
    return out


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a proportion k/n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def sync_sample(red: Reduction, samples: int, seed: int, max_steps: int = 1_000_000) -> tuple[list[Attractor], int]:
    """Random starts, Brent's cycle detection; basins estimated with 95% intervals.
    Returns the attractors and the number of runs that found no cycle within ``max_steps``."""
    from mtorsim.kernels import sampling as K
    from mtorsim.util.seeds import run_seeds

    m = len(red.reduced)
    prog = compile_network(red.reduced)
    reps = np.zeros((samples, m), dtype=np.uint8)
    lengths = np.zeros(samples, dtype=np.int64)
    transients = np.zeros(samples, dtype=np.int64)
    K.sync_sample_cycles(
        prog.arrays(), m, prog.max_stack, run_seeds(seed, 0, samples), max_steps, reps, lengths, transients
    )
    ok = lengths >= 0
    unresolved = int((~ok).sum())
    found: dict[bytes, list[int]] = {}
    for i in np.flatnonzero(ok):
        found.setdefault(reps[i].tobytes(), []).append(int(i))
    out = []
    total = int(ok.sum())
    for runs in found.values():
        r = runs[0]
        length = int(lengths[r])
        keep = min(length, STATES_SHOWN)
        orbit = np.zeros((keep, m), dtype=np.uint8)
        K.sync_orbit(prog.arrays(), reps[r], keep, prog.max_stack, orbit)
        out.append(
            Attractor(
                kind="fixed" if length == 1 else "cycle",
                size=length,
                states=red.expand(orbit) if length <= STATES_SHOWN else None,
                activity=_activity(red, orbit),
                basin=len(runs) / total,
                basin_ci=wilson(len(runs), total),
            )
        )
    return out, unresolved


@dataclass(frozen=True)
class _Proof:
    """The proven synchronous search's note for one input setting: every state enters a listed
    attractor within ``horizon`` steps (several settings' proofs become one note)."""

    horizon: int

    def text(self) -> str:
        return (
            f"proven: every state enters one of them within {self.horizon} synchronous steps "
            "(answer-set search, unsatisfiable beyond)"
        )


def sync_sat(
    red: Reduction, show: int, notes: list[str | _Proof], time_limit: float | None = None
) -> tuple[list[Attractor], bool]:
    """Every synchronous attractor by answer-set search with a completeness proof (see
    :mod:`mtorsim.attractors.syncsat`), on the network with its constants propagated; no basins."""
    from mtorsim.attractors.syncsat import search

    inner = percolate(red.reduced, {}, propagate=True)
    how: str | _Proof
    if len(inner.reduced) == 0:
        rows = np.zeros((1, 0), np.uint8)
        cycles, done = [rows], True
        how = "constants decide every node"
    else:
        res = search(inner.reduced, SAT_SECONDS if time_limit is None else time_limit)
        cycles, done = res.cycles, res.complete
        reasons: dict[str, str | _Proof] = {
            "proven": _Proof(res.horizon),
            "time": "incomplete: the proven search ran out of time "
            f"({SAT_SECONDS if time_limit is None else time_limit:.0f} s) at horizon {res.horizon}",
            "horizon": f"incomplete: transients are longer than the largest horizon tried ({res.horizon} steps)",
            "count": f"incomplete: stopped after {len(cycles)} attractors",
            "cycle too long": "incomplete: a trajectory found no cycle within 10^7 steps",
        }
        how = reasons[res.reason]
    notes.append(how)
    out = []
    for rows in cycles:
        full = np.array(red.expand(np.array(inner.expand(rows), dtype=np.uint8).reshape(len(rows), -1)), np.uint8)
        out.append(
            Attractor(
                kind="fixed" if len(rows) == 1 else "cycle",
                size=len(rows),
                states=full.tolist() if len(rows) <= show else None,
                activity=full.mean(axis=0),
            )
        )
    return out, done


def _with_sampled_basins(proven: list[Attractor], sampled: list[Attractor], samples: int) -> list[Attractor]:
    """The proven attractors with the basin estimates of sampling (0 with its interval when no
    start reached one), and any sampled attractor the proven search did not reach (when it
    stopped early)."""

    def key(a: Attractor):
        return (a.size, tuple(np.round(a.activity, 9)), min(map(tuple, a.states)) if a.states else None)

    by_key = {key(a): a for a in sampled}
    out = []
    for a in proven:
        s = by_key.pop(key(a), None)
        a.basin, a.basin_ci = (s.basin, s.basin_ci) if s else (0.0, wilson(0, samples))
        out.append(a)
    return out + list(by_key.values())


def fixed_point_attractors(red: Reduction, limit: int) -> tuple[list[Attractor], bool]:
    """Exact fixed points (at most ``limit``); the flag says whether the list is complete."""
    from mtorsim.attractors.fixedpoints import fixed_points

    rows = list(fixed_points(red.reduced, limit + 1))
    complete = len(rows) <= limit
    out = []
    for row in rows[:limit]:
        arr = np.array([row], dtype=np.uint8).reshape(1, len(red.reduced))
        out.append(Attractor("fixed", 1, red.expand(arr), _activity(red, arr), None))
    return out, complete


EXHAUSTIVE_IN_SPACE = 20
"""Free nodes up to which a minimal trap space is searched exhaustively (exact sizes)."""


def _space_string(red: Reduction, values: Mapping[str, int]) -> str:
    merged = {**red.values, **values}
    return "".join(str(merged[n]) if n in merged else "*" for n in red.original.nodes)


def _from_rows(red: Reduction, rows: np.ndarray, show: int) -> Attractor:
    """An attractor listed state by state (rows over ``red.reduced``'s nodes)."""
    return Attractor(
        "fixed" if len(rows) == 1 else "complex",
        len(rows),
        red.expand(rows) if len(rows) <= show else None,
        _activity(red, rows),
    )


def _unlisted(red: Reduction, cube: Mapping[int, int]) -> Attractor:
    """An attractor known to exist in the trap subcube ``cube`` (of ``red.reduced``), too big to
    list: size None, activity exact on the subcube's fixed nodes and NaN on its free ones."""
    values = {red.reduced.nodes[i]: v for i, v in cube.items()}
    mean = np.array([values.get(n, np.nan) for n in red.reduced.nodes], dtype=float)
    return Attractor("complex", None, None, _activity(red, mean=mean), space=_space_string(red, values))


def trapspace_attractors(
    red: Reduction, show: int, candidates: list[dict], notes: list[str | _Proof]
) -> tuple[list[Attractor], bool]:
    """Asynchronous attractors by minimal trap spaces and retained-set candidates
    (:mod:`mtorsim.attractors.asyncproof`): each minimal trap space is searched exhaustively when small,
    else decided by its candidates; candidates outside every minimal trap space rule out (or
    find) the motif-avoidant attractors. Returns the attractors and whether the list is proven."""
    from mtorsim.attractors.asyncproof import CAP, decide
    from mtorsim.attractors.trapspaces import minimal_trap_spaces

    net = red.reduced
    spaces = [{i: v for i, v in enumerate(sp) if v >= 0} for sp in minimal_trap_spaces(net)]
    out: list[Attractor] = []
    complete = True
    for space in spaces:
        sub = percolate(red.original, {**red.values, **{net.nodes[i]: v for i, v in space.items()}})
        if len(sub.reduced) <= EXHAUSTIVE_IN_SPACE:
            out.extend(async_exhaustive(sub, show))
            continue
        got = decide(sub.reduced, [], minimal=True)
        out.extend(_from_rows(sub, rows, show) for rows in got.attractors)
        out.extend(_unlisted(sub, cube) for _, cube in got.unlisted)
        if got.unresolved or got.overflow:
            complete = False
            candidates.append(
                {
                    "trap_space": _space_string(sub, {}),
                    "free": len(sub.reduced),
                    "certain": not (got.attractors or got.unlisted),
                }
            )
            notes.append(
                "incomplete: a minimal trap space holds several candidate states that could not be "
                f"told apart (their reachable sets exceed {CAP:,} states)"
            )
    avoid = decide(net, spaces, minimal=False)
    out.extend(_from_rows(red, rows, show) for rows in avoid.attractors)
    for _, cube in avoid.unresolved:
        complete = False
        values = {net.nodes[i]: v for i, v in cube.items()}
        candidates.append({"trap_space": _space_string(red, values), "free": len(net) - len(cube), "certain": False})
    if avoid.unresolved or avoid.overflow:
        complete = False
        notes.append(
            f"incomplete: {len(avoid.unresolved) or 'too many'} candidate state(s) outside the minimal "
            "trap spaces could not be decided: motif-avoidant attractors are not ruled out"
        )
    else:
        found = f"{len(avoid.attractors)} motif-avoidant attractor(s) found" if avoid.attractors else "none exists"
        notes.append(
            "proven: every attractor lies in a minimal trap space or contains a fixed point of the network with a "
            "negative feedback vertex set held towards retained values; each such candidate state outside the "
            f"minimal trap spaces was decided by its reachable states ({found})"
        )
    if any(a.size is None for a in out):
        notes.append(
            f"attractors of more than {CAP:,} states are not listed (size null): each is the only one in "
            "its minimal trap space (trap_space), proven by a single candidate state; activity is given on "
            "the trap space's fixed nodes"
        )
    return out, complete


def _checked(
    net: Network, update: str, method: str, fixed: Mapping[str, int] | None, seed: int, **counts: int
) -> dict[str, int]:
    """The held nodes, after checking every argument of :func:`find_attractors`."""
    if update not in ("sync", "async"):
        raise MtorsimError(f"unknown update scheme '{update}' for attractors; choose sync or async")
    if method not in METHODS:
        raise MtorsimError(f"unknown method '{method}'; choose one of: {', '.join(METHODS)}")
    for what, v in counts.items():
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 1:
            raise MtorsimError(f"`{what}` must be a whole number of at least 1, not {v!r}")
    check_seed(seed)
    held = dict(fixed or {})
    for name, v in held.items():
        net.index(name)
        if v not in (0, 1):
            raise MtorsimError(f"{name}: a fixed value must be 0 or 1, not {v!r}")
    return held


def _network_for_basins(
    net: Network,
    held: dict[str, int],
    update: str,
    method: str,
    reduce: bool,
    basins: str,
    auto_exhaustive: int,
    notes: list[str | _Proof],
) -> tuple[Reduction, bool]:
    """The network searched for one input setting, and whether its basins are only over the
    states left after percolation: sync basins are over all states of the nodes not held
    whenever that space fits (percolation then only speeds up what cannot change a number)."""
    red = percolate(net, held, propagate=reduce)
    if not (update == "sync" and reduce and basins == "all" and method in ("auto", "exhaustive", "sample")):
        return red, False
    whole = percolate(net, held, propagate=False)
    m_all = len(whole.reduced)
    fits = m_all <= sync_limit() and (method == "exhaustive" or m_all <= min(auto_exhaustive, sync_limit()))
    if fits or method == "sample" or len(red.reduced) > min(auto_exhaustive, sync_limit()):
        return whole, False  # basins over all states (sampling is cheap on the whole network too)
    if len(red.reduced) == 0:  # every state reaches the one fixed point: basin 1
        return red, False
    notes.append(
        f"basins over all 2^{m_all} states are beyond the memory budget: basin_reduced gives "
        "fractions of the states left free after percolation"
    )
    return red, True


def _scale_basins(a: Attractor, settings: int) -> None:
    """Basins of one of ``settings`` input settings as fractions over all of them."""
    if a.basin is not None:
        a.basin /= settings
        if a.basin_ci is not None:
            a.basin_ci = (a.basin_ci[0] / settings, a.basin_ci[1] / settings)
    if a.basin_reduced is not None:
        a.basin_reduced /= settings


def find_attractors(
    net: Network,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    fixed: Mapping[str, int] | None = None,
    samples: int = 1000,
    seed: int = 0,
    limit: int = 10_000,
    enumerate_inputs: bool = True,
    max_combinations: int = MAX_COMBINATIONS,
    reduce: bool = True,
    show_states: int = STATES_SHOWN,
    progress: Callable[[int], None] | None = None,
    auto_exhaustive: int = MAX_SYNC_EXHAUSTIVE,
    basins: Literal["all", "reduced"] = "all",
    time_limit: float = SAT_SECONDS,
) -> AttractorResult:
    """Attractors of ``net`` under ``update`` ('sync' or 'async') with ``fixed`` nodes held.

    Free inputs (rule ``X = X``) not in ``fixed`` are enumerated, each combination percolated
    and searched on its own, up to ``max_combinations``; the result says when it is partial.
    Attractors with more than ``show_states`` states are reported without their states.
    Sync basins are fractions of all states of the nodes not held (as BoolNet reports them):
    each input setting is searched on the whole network when its state space fits the memory
    budget (percolation then only speeds up what cannot change a number); otherwise on the
    percolated network, and the fractions of its smaller space are given as ``basin_reduced``
    (``basin`` None, with a note). ``basins="reduced"`` always takes the percolated network and
    puts those fractions in ``basin`` (the scenario machinery's weights).
    ``auto_exhaustive``: the most free nodes ``method="auto"`` searches exhaustively (sync).
    """
    fixed = _checked(net, update, method, fixed, seed, samples=samples, limit=limit, max_combinations=max_combinations)
    free_inputs = [n for n in net.inputs if n not in fixed] if enumerate_inputs and method != "fixed-points" else []
    total = 2 ** len(free_inputs)
    notes: list[str | _Proof] = []
    complete = True
    attractors: list[Attractor] = []
    used_methods: set[str] = set()
    candidates: list[dict] = []
    examined = 0
    combos = itertools.product((0, 1), repeat=len(free_inputs))
    for combo in combos:
        if examined >= max_combinations:
            complete = False
            notes.append(
                f"partial: {examined} of {total} combinations of the free inputs examined "
                f"({', '.join(free_inputs)}); hold some (`fixed`) or raise `max_combinations`"
            )
            break
        setting = dict(zip(free_inputs, combo))
        red, reduced_basins = _network_for_basins(
            net, {**fixed, **setting}, update, method, reduce, basins, auto_exhaustive, notes
        )
        found, done, how = _search(
            red, update, method, samples, seed, limit, notes, show_states, candidates, auto_exhaustive, time_limit
        )
        used_methods.add(how)
        complete &= done
        for a in found:
            a.inputs = setting
            if reduced_basins:
                a.basin_reduced, a.basin = a.basin, None
            _scale_basins(a, total)
        attractors.extend(found)
        examined += 1
        if progress:
            progress(1)
    attractors.sort(key=lambda a: (-(a.basin or 0.0), a.size or math.inf, a.states or []))
    return AttractorResult(
        list(net.nodes),
        update,
        "+".join(sorted(used_methods)),
        complete,
        attractors,
        _dedupe(notes),
        examined,
        total,
        candidates,
    )


def _dedupe(notes: list[str | _Proof]) -> list[str]:
    """Each note once; the proofs of several input settings as one, with the longest horizon."""
    proofs = [n.horizon for n in notes if isinstance(n, _Proof)]
    merged = _Proof(max(proofs)).text() if proofs else ""
    out = [merged if isinstance(n, _Proof) else n for n in notes]
    return list(dict.fromkeys(out))


def _search(
    red: Reduction,
    update: str,
    method: str,
    samples: int,
    seed: int,
    limit: int,
    notes: list[str | _Proof],
    show: int,
    candidates: list[dict],
    auto_exhaustive: int = MAX_SYNC_EXHAUSTIVE,
    time_limit: float = SAT_SECONDS,
) -> tuple[list[Attractor], bool, str]:
    """One percolated network: (attractors, complete, method used)."""
    m = len(red.reduced)
    if m == 0:
        row = np.zeros((1, 0), dtype=np.uint8)
        return (
            [Attractor("fixed", 1, red.expand(row), _activity(red, row), 1.0 if update == "sync" else None)],
            True,
            "percolation",
        )
    if method == "fixed-points":
        found, complete = fixed_point_attractors(red, limit)
        if not complete:
            notes.append(f"partial: more than {limit} fixed points; only the first {limit} are listed (raise `limit`)")
        return found, complete, "fixed-points"
    if method == "trapspace" and update == "sync":
        raise MtorsimError("`method` trapspace is for `update` async; for sync use exhaustive or sample")
    if update == "sync":
        if method == "exhaustive" or (method == "auto" and m <= min(auto_exhaustive, sync_limit())):
            return sync_exhaustive(red, show), True, "exhaustive"
        proven: list[Attractor] = []
        done = False
        if method in ("auto", "sat"):
            proven, done = sync_sat(red, show, notes, time_limit)
            if method == "sat":
                return proven, done, "sat"
        found, unresolved = sync_sample(red, samples, seed)
        if unresolved:
            notes.append(f"{unresolved} sampled runs found no cycle within the step limit")
        if method == "sample":
            notes.append(
                f"sampled: {samples} random starts over {m} free nodes; basins are estimates, other "
                "attractors may exist"
            )
            return found, False, "sample"
        notes.append(
            f"basins: estimated from {samples} random starts (95% intervals); an attractor no start "
            "reached has basin 0 with its interval"
        )
        return _with_sampled_basins(proven, found, samples), done, "sat"
    if method in ("sample", "sat"):
        raise MtorsimError(
            f"`method` {method} is for `update` sync; for async use exhaustive, trapspace or fixed-points"
        )
    if method == "exhaustive" or (method == "auto" and m <= min(EXHAUSTIVE_IN_SPACE, async_limit())):
        return async_exhaustive(red, show), True, "exhaustive"
    found, done = trapspace_attractors(red, show, candidates, notes)
    return found, done, "trapspace"
