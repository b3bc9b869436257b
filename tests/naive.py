"""A deliberately simple pure-Python reference simulator, written independently of the kernels.

Everything here uses plain Python ints, floats and lists: one node update at a time, the rule
evaluated by walking the syntax tree. It is slow on purpose and serves only as the oracle the
numba kernels are compared with in ``test_kernels_vs_naive.py`` and ``test_compiler.py``.

The only things taken from ``mtorsim`` are the syntax-tree classes (data), the per-run seed
derivation (``run_seeds``) and the Walker alias table (``alias_table``, checked separately for
exactness by the tests); the kernels, the compiler and the truth-table code are not used.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mtorsim.formats.ast import And, Const, Not, Or, Var

MASK64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB


# -- random numbers --------------------------------------------------------------------------
class SplitMix64:
    """64-bit SplitMix64 on a Python int."""

    def __init__(self, seed: int):
        self.s = int(seed) & MASK64

    def next_u64(self) -> int:
        self.s = (self.s + GAMMA) & MASK64
        z = self.s
        z = ((z ^ (z >> 30)) * MIX1) & MASK64
        z = ((z ^ (z >> 27)) * MIX2) & MASK64
        return z ^ (z >> 31)

    def next_double(self) -> float:
        return (self.next_u64() >> 11) * 2.0**-53


# -- rules -----------------------------------------------------------------------------------
def eval_expr(expr, value) -> int:
    """Evaluate a syntax tree; ``value(name)`` gives 0/1 for a variable. Returns 0 or 1."""
    if isinstance(expr, Const):
        return 1 if expr.value else 0
    if isinstance(expr, Var):
        return 1 if value(expr.name) else 0
    if isinstance(expr, Not):
        return 1 - eval_expr(expr.arg, value)
    if isinstance(expr, And):
        for a in expr.args:
            if not eval_expr(a, value):
                return 0
        return 1
    if isinstance(expr, Or):
        for a in expr.args:
            if eval_expr(a, value):
                return 1
        return 0
    raise TypeError(f"not an expression: {expr!r}")


def var_names(expr) -> list[str]:
    """Distinct variable names in left-to-right order of first appearance (recursive walk)."""
    out: list[str] = []

    def walk(e) -> None:
        if isinstance(e, Var):
            if e.name not in out:
                out.append(e.name)
        elif isinstance(e, Not):
            walk(e.arg)
        elif isinstance(e, (And, Or)):
            for a in e.args:
                walk(a)

    walk(expr)
    return out


def brute_force_signs(expr, regulators: Sequence[str]) -> list[str]:
    """'+', '-', '±' or '0' per regulator by flipping it in every assignment of the others."""
    out = []
    for j, name in enumerate(regulators):
        others = [r for k, r in enumerate(regulators) if k != j]
        up = down = False
        for bits in itertools.product((0, 1), repeat=len(others)):
            env = dict(zip(others, bits))
            env[name] = 0
            f0 = eval_expr(expr, env.__getitem__)
            env[name] = 1
            f1 = eval_expr(expr, env.__getitem__)
            up = up or f1 > f0
            down = down or f1 < f0
        out.append("±" if up and down else "+" if up else "-" if down else "0")
    return out


def syntactic_signs(expr) -> dict[str, str]:
    """Sign of each variable from the parity of negations above its occurrences."""
    seen: dict[str, set[int]] = {}

    def walk(e, sign: int) -> None:
        if isinstance(e, Var):
            seen.setdefault(e.name, set()).add(sign)
        elif isinstance(e, Not):
            walk(e.arg, -sign)
        elif isinstance(e, (And, Or)):
            for a in e.args:
                walk(a, sign)

    walk(expr, 1)
    return {k: "+" if v == {1} else "-" if v == {-1} else "±" for k, v in seen.items()}


# -- the model -------------------------------------------------------------------------------
@dataclass
class NaiveModel:
    """Node names, one rule per node, held values and the initial-state description."""

    nodes: list[str]
    rules: list
    fixed: dict[int, int] = field(default_factory=dict)
    init_p: list[float] = field(default_factory=list)
    init_group: list[int] = field(default_factory=list)
    group_p: list[float] = field(default_factory=list)
    efficacy: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {name: i for i, name in enumerate(self.nodes)}
        if not self.init_p:
            self.init_p = [0.0] * len(self.nodes)
        if not self.init_group:
            self.init_group = [-1] * len(self.nodes)

    @classmethod
    def build(
        cls,
        nodes,
        rules,
        values: Mapping[str, float] | None = None,
        groups=(),
        default: float = 0.0,
        fixed: Mapping[str, int] | None = None,
    ) -> NaiveModel:
        """From names, rules and an initial spec written like ``InitialSpec(values, groups, default)``.

        A node in a group takes the group's draw (a later group wins over an earlier one);
        otherwise its value in ``values``; otherwise ``default``.
        """
        index = {name: i for i, name in enumerate(nodes)}
        p = [float(default)] * len(nodes)
        for name, v in (values or {}).items():
            p[index[name]] = float(v)
        group = [-1] * len(nodes)
        group_p = []
        for g, (members, gp) in enumerate(groups):
            group_p.append(float(gp))
            for name in members:
                group[index[name]] = g
        fix = {index[name]: int(v) for name, v in (fixed or {}).items()}
        return cls(list(nodes), list(rules), fix, p, group, group_p)

    def __len__(self) -> int:
        return len(self.nodes)

    def next_value(self, i: int, state: Sequence[int], rng: SplitMix64 | None = None) -> int:
        """The value node ``i`` takes when it is updated, reading ``state``. A held node with an
        efficacy below 1 draws once: the hold applies if the draw is below the efficacy."""
        if i in self.fixed:
            p = self.efficacy.get(i, 1.0)
            if p >= 1.0 or rng.next_double() < p:
                return self.fixed[i]
        return eval_expr(self.rules[i], lambda name: state[self.index[name]])

    def initial_state(self, rng: SplitMix64) -> list[int]:
        group_val = [1 if rng.next_double() < gp else 0 for gp in self.group_p]
        state = []
        for i in range(len(self.nodes)):
            g, p = self.init_group[i], self.init_p[i]
            if g >= 0:
                v = group_val[g]
            elif p <= 0.0:
                v = 0
            elif p >= 1.0:
                v = 1
            else:
                v = 1 if rng.next_double() < p else 0
            state.append(v)
        for i, v in self.fixed.items():
            state[i] = v
        return state


# -- update schemes --------------------------------------------------------------------------
def sync_step(model: NaiveModel, state: list[int], rng: SplitMix64) -> list[int]:
    return [model.next_value(i, state, rng) for i in range(len(model))]


def async_chooser(rates: Sequence[float]):
    """A function ``rng -> node`` drawing node ``i`` with probability rate_i / sum (alias method)."""
    from mtorsim.simulation.rates import alias_table

    prob, alias = alias_table([float(r) for r in rates])
    prob = [float(x) for x in prob]
    alias = [int(x) for x in alias]
    n = len(prob)

    def choose(rng: SplitMix64) -> int:
        u = rng.next_double() * n
        c = int(u)
        return c if (u - c) < prob[c] else alias[c]

    return choose


def random_order(n: int, rng: SplitMix64) -> list[int]:
    """Fisher-Yates from the top: swap position i with a uniform j in [0, i]."""
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(rng.next_double() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def trajectory(
    model: NaiveModel,
    update: str,
    sample_steps: Sequence[int],
    seed: int,
    rates: Sequence[float] | None = None,
    holds: Sequence[tuple[int, int, int, int | None]] = (),
) -> list[list[int]]:
    """The states at the step counts ``sample_steps`` (sorted, distinct) of one run.

    ``holds``: (node, value, start, end) in steps; after ``start`` steps the node is set to
    ``value`` and held, after ``end`` steps (None: never) it follows its rule again."""
    rng = SplitMix64(seed)
    state = model.initial_state(rng)
    base_fixed = dict(model.fixed)

    def boundary(step: int) -> None:
        for i, v, _, end in holds:
            if end == step:
                model.fixed.pop(i, None)
                rule = model.rules[i]
                if isinstance(rule, Var) and rule.name == model.nodes[i]:
                    state[i] = 1 - v  # an input returns to the other value
        for i, v, start, _ in holds:
            if start == step:
                model.fixed[i] = v
                state[i] = v

    boundary(0)
    choose = async_chooser(rates if rates is not None else [1.0] * len(model)) if update == "async" else None
    wanted = set(int(s) for s in sample_steps)
    out = []
    if 0 in wanted:
        out.append(list(state))
    last = max(wanted)
    for step in range(1, last + 1):
        if update == "sync":
            state = sync_step(model, state, rng)
        elif update == "async":
            i = choose(rng)
            state[i] = model.next_value(i, state, rng)
        elif update == "random-order":
            for i in random_order(len(model), rng):
                state[i] = model.next_value(i, state, rng)
        else:
            raise ValueError(update)
        boundary(step)
        if step in wanted:
            out.append(list(state))
    model.fixed = base_fixed
    return out


def schedule(update: str, length: float, every: float, rates: Sequence[float] | None = None):
    """Sample times and step counts: 0, every, 2*every, ... up to ``length`` (appended if missed);
    async times are in units of sum(rates)/min(rates) steps, rounded half-to-even."""
    times = []
    k = 0
    while k * every <= length + 1e-9:
        times.append(k * every)
        k += 1
    if times[-1] < length - 1e-9:
        times.append(float(length))
    if update == "async":
        total = 0.0
        for r in rates:
            total += float(r)
        unit = total / min(float(r) for r in rates)
    else:
        unit = 1.0
    out_t, out_s, seen = [], [], set()
    for t in times:
        s = round(t * unit)
        if s not in seen:  # the first time that rounds to a step count keeps it
            seen.add(s)
            out_t.append(t)
            out_s.append(s)
    order = sorted(range(len(out_s)), key=out_s.__getitem__)
    return [out_t[i] for i in order], [out_s[i] for i in order]


def simulate(
    model: NaiveModel,
    update: str,
    length: float,
    runs: int,
    seeds: Sequence[int],
    every: float = 1,
    rates: Sequence[float] | None = None,
    holds: Sequence[tuple[int, int, float, float | None]] = (),
):
    """(times, steps, per-run trajectories, mean) for ``runs`` runs with the given per-run seeds;
    hold times are in steps, or time units for async (rounded like the sample times)."""
    times, steps = schedule(update, length, every, rates)
    unit = 1.0
    if update == "async":
        unit = sum(float(r) for r in rates) / min(float(r) for r in rates)
    step_holds = [(i, v, round(a * unit), None if b is None else round(b * unit)) for i, v, a, b in holds]
    per_run = [trajectory(model, update, steps, int(seeds[r]), rates, step_holds) for r in range(runs)]
    mean = [[sum(per_run[r][s][i] for r in range(runs)) / runs for i in range(len(model))] for s in range(len(steps))]
    return times, steps, per_run, mean


# -- compiled bytecode, interpreted independently --------------------------------------------
def stack_depth(expr) -> int:
    """Stack entries a postfix evaluation of ``expr`` needs (children left to right)."""
    if isinstance(expr, (Const, Var)):
        return 1
    if isinstance(expr, Not):
        return stack_depth(expr.arg)
    return max(k + stack_depth(a) for k, a in enumerate(expr.args))


def run_bytecode(ops: Sequence[int], args: Sequence[int], state: Sequence[int], limit: int) -> int:
    """Run postfix code (0 load node, 1 constant, 2 not, 3 and of k, 4 or of k) on a Python list,
    failing if the stack ever holds more than ``limit`` entries or does not end with one."""
    stack: list[int] = []
    for op, arg in zip(ops, args):
        op, arg = int(op), int(arg)
        if op == 0:
            stack.append(int(state[arg]))
        elif op == 1:
            stack.append(arg)
        elif op == 2:
            stack.append(1 - stack.pop())
        elif op in (3, 4):
            assert 1 <= arg <= len(stack), "and/or takes more entries than the stack holds"
            top = stack[-arg:]
            del stack[-arg:]
            stack.append(int(all(top)) if op == 3 else int(any(top)))
        else:
            raise AssertionError(f"unknown op {op}")
        assert len(stack) <= limit, f"stack of {len(stack)} entries exceeds max_stack={limit}"
    assert len(stack) == 1, f"the code leaves {len(stack)} entries"
    return stack[0]
