"""Brute-force attractors for small networks: enumerate every state in plain Python.

Independent of mtorsim's reduction, compiler and kernels: rules are evaluated with the simple
tree evaluator. States are tuples of 0/1 in node order.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from mtorsim.formats.ast import evaluate
from mtorsim.network import Network


def step_function(net: Network, fixed: Mapping[str, int] | None = None):
    """F(state) -> tuple of every node's next value, with fixed nodes held."""
    fixed = dict(fixed or {})
    pairs = list(zip(net.nodes, net.rules))

    def step(state: tuple[int, ...]) -> tuple[int, ...]:
        env = dict(zip(net.nodes, state))
        return tuple(fixed[n] if n in fixed else int(evaluate(rule, env)) for n, rule in pairs)

    return step


def all_states(net: Network, fixed: Mapping[str, int] | None = None):
    """Every state, with fixed nodes at their values (the space the attractors live in)."""
    fixed = dict(fixed or {})
    free = [i for i, n in enumerate(net.nodes) if n not in fixed]
    for bits in itertools.product((0, 1), repeat=len(free)):
        s = [0] * len(net)
        for i, n in enumerate(net.nodes):
            if n in fixed:
                s[i] = fixed[n]
        for i, b in zip(free, bits):
            s[i] = b
        yield tuple(s)


def sync_attractors(net: Network, fixed: Mapping[str, int] | None = None) -> dict[frozenset, tuple[list, int]]:
    """{attractor states (frozenset): (cycle in order starting at its smallest state, basin size)}."""
    step = step_function(net, fixed)
    succ = {s: step(s) for s in all_states(net, fixed)}
    found: dict[frozenset, list] = {}
    basin: dict[frozenset, int] = {}
    owner: dict[tuple, frozenset] = {}
    for s in succ:
        path = []
        on_path = set()
        x = s
        while x not in owner and x not in on_path:
            path.append(x)
            on_path.add(x)
            x = succ[x]
        if x in owner:
            key = owner[x]
        else:
            cycle = path[path.index(x) :]
            key = frozenset(cycle)
            start = cycle.index(min(cycle))
            found[key] = cycle[start:] + cycle[:start]
            basin[key] = 0
        for y in path:
            owner[y] = key
        basin[key] += len(path)
    return {k: (found[k], basin[k]) for k in found}


def async_attractors(net: Network, fixed: Mapping[str, int] | None = None) -> set[frozenset]:
    """Terminal strongly connected components of the asynchronous state transition graph
    (Kosaraju: finishing order on the graph, then components on the reversed graph)."""
    step = step_function(net, fixed)
    states = list(all_states(net, fixed))
    succ = {}
    for s in states:
        f = step(s)
        succ[s] = [s[:i] + (f[i],) + s[i + 1 :] for i in range(len(s)) if f[i] != s[i]]
    pred: dict[tuple, list] = {s: [] for s in states}
    for s, ys in succ.items():
        for y in ys:
            pred[y].append(s)
    order, seen = [], set()
    for root in states:
        if root in seen:
            continue
        seen.add(root)
        todo = [(root, iter(succ[root]))]
        while todo:
            x, it = todo[-1]
            for y in it:
                if y not in seen:
                    seen.add(y)
                    todo.append((y, iter(succ[y])))
                    break
            else:
                todo.pop()
                order.append(x)
    comp: dict[tuple, int] = {}
    members: list[list] = []
    for root in reversed(order):
        if root in comp:
            continue
        comp[root] = len(members)
        group, todo = [root], [root]
        while todo:
            x = todo.pop()
            for y in pred[x]:
                if y not in comp:
                    comp[y] = comp[root]
                    group.append(y)
                    todo.append(y)
        members.append(group)
    return {frozenset(group) for c, group in enumerate(members) if all(comp[y] == c for x in group for y in succ[x])}


def fixed_points(net: Network, fixed: Mapping[str, int] | None = None) -> set[tuple[int, ...]]:
    step = step_function(net, fixed)
    return {s for s in all_states(net, fixed) if step(s) == s}


def minimal_trap_spaces(net: Network) -> set[tuple[int, ...]]:
    """All subspaces (0, 1 or -1 for free per node) closed under every update, minimal by inclusion."""
    step = step_function(net)
    n = len(net)
    traps = []
    for space in itertools.product((0, 1, -1), repeat=n):
        free = [i for i in range(n) if space[i] < 0]
        ok = True
        for bits in itertools.product((0, 1), repeat=len(free)):
            s = list(space)
            for i, b in zip(free, bits):
                s[i] = b
            nxt = step(tuple(s))
            if any(space[i] >= 0 and nxt[i] != space[i] for i in range(n)):
                ok = False
                break
        if ok:
            traps.append(space)

    def inside(a, b):  # a is a subspace of b
        return all(bv < 0 or av == bv for av, bv in zip(a, b))

    return {t for t in traps if not any(u != t and inside(u, t) for u in traps)}
