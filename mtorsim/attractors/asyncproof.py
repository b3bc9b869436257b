"""Asynchronous attractors without enumerating the state space, with a proof.

Candidates. Take a negative feedback vertex set ``U`` (:mod:`mtorsim.network.feedback`) and give each
node ``u`` of it a retained value ``r_u``; in the modified network ``u`` may only move towards
``r_u``. Every attractor of the network contains a fixed point of the modified network (the
retained-set theorem behind biobalm and Trinh et al.'s work: once its negative cycles are cut,
a network has only fixed-point attractors). These fixed points, the candidates, are found by
answer-set search (clingo), those inside given trap spaces excluded.

Deciding a candidate ``c``. An attractor is closed under transitions, so if ``c`` reaches a trap
space that does not hold it, or another candidate that is kept, ``c``'s attractor (if any) is
decided elsewhere and ``c`` is dropped: random walks first, then the explicit set of states
reachable from ``c`` (on the smallest trap subcube holding ``c``; at most ``CAP`` states, at most
62 free nodes). That set is ``c``'s attractor exactly when every state of it reaches ``c`` back.
A candidate that can be neither dropped nor confirmed stays unresolved, and the answer is
incomplete.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import numpy as np

from mtorsim.attractors.fixedpoints import rule_literals
from mtorsim.compiler import compile_network
from mtorsim.formats import logic
from mtorsim.network import Network
from mtorsim.network.feedback import negative_feedback_vertex_set
from mtorsim.network.reduction import percolate

Space = dict[int, int]  # node -> fixed value; absent nodes are free

CAP = 1 << 18
"""States enumerated explicitly from one candidate; a larger attractor is reported unlisted."""
EVERY_CHOICE = 6
"""Feedback sets up to this size try every choice of retained values."""
OPTIMISE_SECONDS = 2.0
"""Time spent choosing retained values that give fewer candidates."""
MAX_CANDIDATES = 50_000
"""Candidates enumerated per question; beyond, the answer is incomplete."""
MAX_PACKED = 62
"""Free nodes the explicit reachable-set search can hold in a 64-bit word."""
WALK_STEPS = (1 << 10, 1 << 20)
"""Node picks of the first and of the longest random walk from a candidate."""


@dataclass
class Decided:
    """What the candidates of one question came to: attractors listed state by state (rows of
    0/1 in the network's node order), attractors known to exist with too many states to list
    (a state of each and the smallest trap subcube holding it), and undecided candidates with
    their subcube."""

    attractors: list[np.ndarray] = field(default_factory=list)
    unlisted: list[tuple[np.ndarray, Space]] = field(default_factory=list)
    unresolved: list[tuple[np.ndarray, Space]] = field(default_factory=list)
    candidates: int = 0
    nfvs: int = 0
    overflow: bool = False  # more than MAX_CANDIDATES candidates: not all were examined


def retained_values(net: Network, nfvs: list[int], prefer: Space | None = None) -> Space:
    """A retained value per feedback node: from ``prefer`` where it fixes the node, else the
    value the node's function takes on most regulator settings."""
    out: Space = {}
    for u in nfvs:
        if prefer and u in prefer:
            out[u] = prefer[u]
            continue
        regs = [net.nodes[j] for j in net.regulators[u]]
        if len(regs) <= logic.TABLE_MAX_INPUTS:
            out[u] = int(logic.table(net.rules[u], regs).mean() > 0.5)
        else:
            out[u] = 1
    return out


def candidate_program(net: Network, nfvs: list[int], avoid: list[Space]) -> str:
    """Fixed points of the network in which each node ``u`` of ``nfvs`` may only move towards
    its retained value (chosen per solve: external atom ``ret(u,v)``), outside every space of
    ``avoid``. Only integers reach clingo."""
    lines = [f"{{x({i})}}." for i in range(len(net))]
    held = set(nfvs)
    for i, lit in enumerate(rule_literals(net, lines)):
        lines.append(f"r({i}) :- {lit}.")
        if i in held:
            lines += [
                f"#external ret({i},0). #external ret({i},1).",
                f":- ret({i},1), not x({i}), r({i}).",
                f":- ret({i},0), x({i}), not r({i}).",
            ]
        else:
            lines += [f":- x({i}), not r({i}).", f":- not x({i}), r({i})."]
    for space in avoid:
        lines.append(":- " + ", ".join(f"x({i})" if v else f"not x({i})" for i, v in space.items()) + ".")
    lines += ["#show.", "#show I : x(I)."]
    return "\n".join(lines) + "\n"


class Candidates:
    """The candidate states of ``net`` outside ``avoid`` for any retained values of ``nfvs``
    (one grounding, one solve per choice of values)."""

    def __init__(self, net: Network, nfvs: list[int], avoid: list[Space]):
        import clingo

        self.m = len(net)
        self.nfvs = nfvs
        self.empty = any(not space for space in avoid)  # a space fixing nothing holds every state
        self.ctl = clingo.Control(["--warn=none"])
        self.ctl.add("base", [], candidate_program(net, nfvs, avoid))
        self.ctl.ground([("base", [])])

    def _solve(self, retained: Space, limit: int, yield_: bool = True):
        import clingo

        self.ctl.configuration.solve.models = str(limit)  # type: ignore[union-attr]
        for u in self.nfvs:
            for v in (0, 1):
                self.ctl.assign_external(
                    clingo.Function("ret", [clingo.Number(u), clingo.Number(v)]), retained.get(u) == v
                )
        return self.ctl.solve(yield_=yield_)

    def count(self, retained: Space, limit: int) -> int:
        """How many candidates these retained values give (at most ``limit``), counted by the
        solver (no model reaches Python)."""
        if self.empty:
            return 0
        self._solve(retained, limit, yield_=False)
        return int(self.ctl.statistics["summary"]["models"]["enumerated"])

    def states(self, retained: Space, limit: int) -> np.ndarray:
        """Candidate states (rows of 0/1) for these retained values, at most ``limit``."""
        if self.empty:
            return np.zeros((0, self.m), np.uint8)
        rows = []
        with self._solve(retained, limit) as handle:
            for model in handle:
                row = np.zeros(self.m, np.uint8)
                row[[sym.number for sym in model.symbols(shown=True)]] = 1
                rows.append(row)
        return np.array(rows, np.uint8).reshape(len(rows), self.m)

    def fewest(self, start: Space, limit: int) -> tuple[Space, np.ndarray]:
        """Retained values giving few candidates: every choice for a small set, else flips of
        one value at a time from ``start`` kept while they lower the count; at most
        ``OPTIMISE_SECONDS`` of trying."""
        best, count = start, self.count(start, limit)
        stop = time.monotonic() + OPTIMISE_SECONDS
        if len(self.nfvs) <= EVERY_CHOICE:
            rounds = [[dict(zip(self.nfvs, bits)) for bits in itertools.product((0, 1), repeat=len(self.nfvs))]]
        else:
            rounds = None
        improved = True
        while improved and count > 1 and time.monotonic() < stop:
            improved = False
            choices = rounds.pop() if rounds else [{**best, u: 1 - best[u]} for u in self.nfvs]
            for choice in choices:
                if count <= 1 or time.monotonic() > stop:
                    break
                got = self.count(choice, count)
                if got < count:
                    best, count, improved = choice, got, rounds is None
        return best, self.states(best, limit)


def trap_subcube(net: Network, state: np.ndarray) -> Space:
    """The smallest subcube that holds ``state`` and that no transition leaves: a node is freed
    when its function can differ from its value in the subcube, until nothing changes."""
    tables = [
        logic.table(e, [net.nodes[j] for j in regs]) if len(regs) <= logic.TABLE_MAX_INPUTS else None
        for e, regs in zip(net.rules, net.regulators)
    ]
    readers: list[list[int]] = [[] for _ in range(len(net))]
    for i, regs in enumerate(net.regulators):
        for j in regs:
            readers[j].append(i)
    free = np.zeros(len(net), bool)
    todo = list(range(len(net)))
    while todo:
        i = todo.pop()
        if free[i]:
            continue
        regs = net.regulators[i]
        table = tables[i]
        if table is None:
            can_move = True  # too wide for a table: freed (a larger subcube is still a trap)
        else:
            idx = np.arange(len(table))
            fixed_mask = sum(1 << p for p, j in enumerate(regs) if not free[j])
            want = sum(int(state[j]) << p for p, j in enumerate(regs) if not free[j])
            inside = ((idx ^ want) & fixed_mask) == 0
            can_move = bool((table[inside] != state[i]).any())
        if can_move:
            free[i] = True
            todo.extend(readers[i])
    return {i: int(state[i]) for i in range(len(net)) if not free[i]}


class _Decider:
    """Decides candidates of one network against target trap spaces (see the module text)."""

    def __init__(self, net: Network, targets: list[Space], seed: int):
        self.net = net
        self.m = len(net)
        self.targets = targets
        self.seed = seed
        self.prog = compile_network(net)

    def walks(self, rows: np.ndarray, kept: np.ndarray) -> None:
        """Drop (``kept[k] = False``) the candidates whose random walks reach a target or a kept
        candidate; walks grow until a round drops nothing."""
        from mtorsim.kernels.reach import walk_to_targets

        t_ptr, t_id, t_val, t_size = _target_arrays(self.targets, self.m)
        zobrist = np.random.default_rng(self.seed).integers(0, 2**63, self.m, dtype=np.uint64)
        hashes = np.bitwise_xor.reduce(np.where(rows != 0, zobrist, np.uint64(0)), axis=1).astype(np.uint64)
        table = np.full(1 << (4 * len(rows)).bit_length(), -1, np.int64)
        mask = len(table) - 1
        for k, h in enumerate(hashes.tolist()):
            slot = (h >> 11) & mask
            while table[slot] >= 0:
                slot = (slot + 1) & mask
            table[slot] = k
        active = kept.astype(np.uint8)
        steps, last = WALK_STEPS
        rnd = 0
        while steps <= last and active.any():
            before = int(active.sum())
            walk_to_targets(
                *self.prog.arrays(),
                self.prog.max_stack,
                rows,
                t_ptr,
                t_id,
                t_val,
                t_size,
                zobrist,
                table,
                hashes,
                active,
                steps,
                self.seed + rnd,
            )
            rnd += 1
            if int(active.sum()) == before and rnd > 1:
                break
            steps *= 4
        kept[:] = active != 0

    def explicit(self, k: int, rows: np.ndarray, kept: np.ndarray, out: Decided, unique: bool) -> None:
        """The set of states reachable from candidate ``k``: drop it, list its attractor, or
        leave it unresolved. ``unique``: the network is known to hold exactly one attractor,
        which contains this candidate."""
        from mtorsim.kernels.reach import all_reach_start, reachable_set

        c = rows[k]
        cube = trap_subcube(self.net, c)
        inner = percolate(self.net, {self.net.nodes[i]: v for i, v in cube.items()}, propagate=False)
        m = len(inner.reduced)
        if m > MAX_PACKED:
            (out.unlisted if unique else out.unresolved).append((c, cube))
            return
        pos = [self.net.index(n) for n in inner.reduced.nodes]
        masks, vals = [], []
        others = [dict(enumerate(rows[j].tolist())) for j in np.flatnonzero(kept) if j != k]
        for space in self.targets + others:
            if any(i in cube and cube[i] != v for i, v in space.items()):
                continue  # fixes a node of the subcube to the other value: out of reach
            mask = val = 0
            for q, i in enumerate(pos):
                if i in space:
                    mask |= 1 << q
                    val |= space[i] << q
            masks.append(mask)
            vals.append(val)
        prog = compile_network(inner.reduced)
        start = sum(int(c[i]) << q for q, i in enumerate(pos))
        size = 1 << (2 * CAP - 1).bit_length()
        table = np.full(size, -1, np.int64)
        states = np.empty(CAP, np.int64)
        got = reachable_set(
            *prog.arrays(),
            prog.max_stack,
            m,
            start,
            np.array(masks, np.int64).reshape(-1),
            np.array(vals, np.int64).reshape(-1),
            table,
            states,
        )
        if got == -2 - len(masks):
            (out.unlisted if unique else out.unresolved).append((c, cube))
            return
        if got < 0:
            kept[k] = False
            return
        if not unique:
            seen = np.zeros(size, np.uint8)
            queue = np.empty(got, np.int64)
            if not all_reach_start(*prog.arrays(), prog.max_stack, m, states, got, table, seen, queue):
                kept[k] = False
                return
        packed = np.sort(states[:got])
        sub = ((packed[:, None] >> np.arange(m, dtype=np.int64)) & 1).astype(np.uint8)
        full = np.repeat(c[None, :], got, axis=0)
        full[:, pos] = sub
        out.attractors.append(full)


def _target_arrays(spaces: list[Space], m: int):
    """Per node, the spaces that fix it and the value (CSR), and each space's fixed count."""
    per: list[list[tuple[int, int]]] = [[] for _ in range(m)]
    for t, space in enumerate(spaces):
        for i, v in space.items():
            per[i].append((t, v))
    ptr = np.zeros(m + 1, np.int64)
    ptr[1:] = np.cumsum([len(x) for x in per])
    t_id = np.array([t for x in per for t, _ in x], np.int64)
    t_val = np.array([v for x in per for _, v in x], np.uint8)
    t_size = np.array([len(s) for s in spaces], np.int64)
    return ptr, t_id, t_val, t_size


def decide(net: Network, avoid: list[Space], minimal: bool, seed: int = 0) -> Decided:
    """The attractors of ``net`` outside the trap spaces ``avoid``. ``minimal``: ``net`` is a
    minimal trap space percolated (it holds at least one attractor, and no trap space inside)."""
    nfvs = negative_feedback_vertex_set(net)
    prefer = min(avoid, key=lambda s: len(set(s) & set(nfvs))) if avoid else None
    search = Candidates(net, nfvs, avoid)
    _, rows = search.fewest(retained_values(net, nfvs, prefer), MAX_CANDIDATES + 1)
    out = Decided(candidates=len(rows), nfvs=len(nfvs))
    if len(rows) > MAX_CANDIDATES:
        out.overflow = True
        rows = rows[:MAX_CANDIDATES]
    kept = np.ones(len(rows), bool)
    if len(rows) == 0:
        return out
    decider = _Decider(net, avoid, seed)
    unique = minimal and len(rows) == 1
    if not unique:
        decider.walks(rows, kept)
        unique = minimal and kept.sum() == 1
    for k in range(len(rows)):
        if kept[k]:
            decider.explicit(k, rows, kept, out, unique)
    return out
