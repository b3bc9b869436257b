"""Synchronous attractors of networks too big to enumerate: answer-set search with a proof.

The program unrolls ``K`` synchronous steps from a free start state: atom ``x(i,t)`` is node
``i`` on at step ``t``, ``a(k,t)`` the k-th subexpression (only integers reach clingo, never text
from the model). Attractors are closed under the update, so a trajectory that is outside every
known attractor at step ``K`` was outside them at every earlier step. The search asks for a state
at step ``K`` outside the known attractors:

- there is none: every state enters a known attractor within ``K`` steps, and the list is
  complete (the proof: the solver's unsatisfiability at horizon ``K``);
- there is one: it is followed explicitly (Brent's cycle detection) to its attractor. A new
  attractor is added and excluded from the next question; a known one shows that transients are
  longer than ``K``, and ``K`` grows.

Each round finds an attractor or grows the horizon, so the search ends; the budget (horizon, time,
count) bounds it, and an unfinished search says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from mtorsim.attractors.fixedpoints import rule_literals
from mtorsim.compiler import Program, compile_network
from mtorsim.network import Network

MAX_HORIZON = 4096
"""The longest unrolling tried (synchronous steps)."""
MAX_CYCLE_STEPS = 10_000_000
"""The most explicit steps followed from one state to find its cycle."""


@dataclass
class SatSearch:
    """The attractors found (each a list of states, rows of 0/1 in node order, starting at the
    smallest state), whether the list is proven complete, the last horizon asked and why the
    search stopped."""

    cycles: list[np.ndarray]
    complete: bool
    horizon: int
    reason: str


def unrolled_program(net: Network, horizon: int) -> str:
    """``horizon`` synchronous steps of ``net`` as a logic program (choice of the start state)."""
    lines = [f"t(0..{horizon - 1}).", *(f"{{x({i},0)}}." for i in range(len(net)))]
    for i, lit in enumerate(rule_literals(net, lines, time=True)):
        lines.append(f"x({i},T+1) :- t(T), {lit}.")
    lines += ["#show.", f"#show x(I) : x(I,{horizon})."]
    return "\n".join(lines) + "\n"


def _exclusion(state: np.ndarray, horizon: int) -> str:
    """No answer whose state at ``horizon`` is ``state``."""
    body = [f"x({i},{horizon})" if v else f"not x({i},{horizon})" for i, v in enumerate(state.tolist())]
    return f":- {', '.join(body)}." if body else ":- #true."


PY_STEPS = 100_000
"""Walks longer than this leave Python for the compiled kernel (which costs numba's start)."""


class _Follower:
    """Explicit synchronous trajectories: the cycle a state reaches. Short walks (the usual
    case: a state at the horizon is near its attractor) step in Python over truth tables;
    longer ones, and rules too wide for a table, run in the compiled kernel."""

    def __init__(self, net: Network):
        from mtorsim.formats import logic

        self.net = net
        self.m = len(net)
        self.prog: Program | None = None
        self.nodes: list[tuple[list[tuple[int, int]], list[int]]] | None = None  # (regulator, bit), table
        if all(len(r) <= logic.TABLE_MAX_INPUTS for r in net.regulators):
            self.nodes = [
                ([(r, 1 << j) for j, r in enumerate(regs)], logic.table(e, [net.nodes[r] for r in regs]).tolist())
                for e, regs in zip(net.rules, net.regulators)
            ]

    def step(self, x: tuple) -> tuple:
        if self.nodes is None:
            raise RuntimeError("no truth tables: a rule is too wide; step in the kernel (_kernel_cycle, path)")
        out = []
        for regs, table in self.nodes:
            idx = 0
            for r, w in regs:
                if x[r]:
                    idx |= w
            out.append(table[idx])
        return tuple(out)

    def cycle(self, start: np.ndarray) -> tuple[np.ndarray, int] | None:
        """The cycle reached from ``start`` (rows from its smallest state) and the steps before
        it; None when no cycle shows within MAX_CYCLE_STEPS."""
        if self.nodes is not None:
            found = self._py_cycle(tuple(int(v) for v in start))
            if found is not None:
                return found
        return self._kernel_cycle(start)

    def _py_cycle(self, x0: tuple) -> tuple[np.ndarray, int] | None:
        """Brent's algorithm in Python; None past PY_STEPS."""
        step = self.step
        tort, hare = x0, step(x0)
        power = lam = steps = 1
        while tort != hare:
            if steps > PY_STEPS:
                return None
            if power == lam:
                tort, power, lam = hare, power * 2, 0
            hare = step(hare)
            lam += 1
            steps += 1
        tort = hare = x0
        for _ in range(lam):
            hare = step(hare)
        mu = 0
        while tort != hare:
            tort, hare, mu = step(tort), step(hare), mu + 1
        orbit = [tort]
        for _ in range(lam - 1):
            orbit.append(step(orbit[-1]))
        first = orbit.index(min(orbit))
        return np.array(orbit[first:] + orbit[:first], np.uint8).reshape(lam, self.m), mu

    def _kernel_cycle(self, start: np.ndarray) -> tuple[np.ndarray, int] | None:
        from mtorsim.kernels import sampling as K

        m, prog = self.m, self._program()
        rep = np.zeros((1, m), np.uint8)
        lengths = np.zeros(1, np.int64)
        transients = np.zeros(1, np.int64)
        K.sync_cycles_from(
            prog.arrays(),
            m,
            prog.max_stack,
            start.reshape(1, m).astype(np.uint8),
            MAX_CYCLE_STEPS,
            rep,
            lengths,
            transients,
        )
        if lengths[0] < 0:
            return None
        orbit = np.zeros((int(lengths[0]), m), np.uint8)
        K.sync_orbit(prog.arrays(), rep[0], int(lengths[0]), prog.max_stack, orbit)
        return orbit, int(transients[0])

    def _program(self) -> Program:
        if self.prog is None:
            self.prog = compile_network(self.net)
        return self.prog

    def path(self, start: np.ndarray, steps: int) -> np.ndarray:
        """``start`` and the states after it, ``steps`` states in all (none for 0)."""
        if steps == 0:
            return np.zeros((0, self.m), np.uint8)
        if self.nodes is not None and steps <= PY_STEPS:
            x = tuple(int(v) for v in start)
            rows = [x]
            for _ in range(steps - 1):
                rows.append(self.step(rows[-1]))
            return np.array(rows, np.uint8).reshape(steps, self.m)
        from mtorsim.kernels import sampling as K

        prog = self._program()
        out = np.zeros((steps, self.m), np.uint8)
        K.sync_orbit(prog.arrays(), start.astype(np.uint8), steps, prog.max_stack, out)
        return out


def search(
    net: Network,
    time_limit: float = 60.0,
    max_horizon: int = MAX_HORIZON,
    max_attractors: int = 100_000,
    horizon: int = 16,
    patience: int = 16,
) -> SatSearch:
    """Every synchronous attractor of ``net``, with a proof of completeness when it ends in time.

    The states excluded at the horizon are the attractors' and the transient states seen on the
    way to them (all in their basins, so the proof holds); after ``patience`` answers that lead
    to known attractors in a row, the horizon doubles.
    """
    import clingo

    m = len(net)
    follower = _Follower(net)
    known: set[bytes] = set()  # states of found attractors, and of paths seen leading to them
    excluded: list[np.ndarray] = []
    cycles: list[np.ndarray] = []
    deadline = time.monotonic() + time_limit

    def exclude(states) -> str:
        fresh = [s for s in states if s.tobytes() not in known]
        for s in fresh:
            known.add(s.tobytes())
            excluded.append(s)
        return "\n".join(_exclusion(s, horizon) for s in fresh)

    while True:
        ctl = clingo.Control(["1", "--warn=none"])
        ctl.add("base", [], unrolled_program(net, horizon))
        ctl.add("known", [], "\n".join(_exclusion(s, horizon) for s in excluded))
        ctl.ground([("base", []), ("known", [])])
        parts = 0
        stale = 0
        while stale < patience:
            found: list[np.ndarray] = []

            def on_model(model, found=found) -> None:
                state = np.zeros(m, np.uint8)
                for sym in model.symbols(shown=True):
                    state[sym.arguments[0].number] = 1
                found.append(state)

            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return SatSearch(cycles, False, horizon, "time")
            with ctl.solve(on_model=on_model, async_=True) as handle:
                if not handle.wait(remaining):
                    handle.cancel()
                    return SatSearch(cycles, False, horizon, "time")
                unsat = handle.get().unsatisfiable
            if unsat:
                return SatSearch(cycles, True, horizon, "proven")
            reached = follower.cycle(found[0])
            if reached is None:
                return SatSearch(cycles, False, horizon, "cycle too long")
            orbit, transient = reached
            path = follower.path(found[0], transient)
            if orbit[0].tobytes() in known:
                stale += 1
                program = exclude(path)
            else:
                stale = 0
                cycles.append(orbit)
                if len(cycles) >= max_attractors:
                    return SatSearch(cycles, False, horizon, "count")
                program = exclude([*orbit, *path])
            parts += 1
            ctl.add(f"new{parts}", [], program)
            ctl.ground([(f"new{parts}", [])])
        if horizon >= max_horizon:
            return SatSearch(cycles, False, horizon, "horizon")
        horizon = min(max_horizon, 2 * horizon)
