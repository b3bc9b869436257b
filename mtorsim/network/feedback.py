"""Negative feedback vertex sets of a network's signed interaction graph.

A set ``U`` of nodes is a negative feedback vertex set when every directed cycle of negative
sign passes through ``U``. Once ``U`` is removed, each strongly connected component has only
positive cycles, which holds exactly when its nodes can be labelled +1/-1 so that every edge
``u -> v`` of sign ``s`` has ``label[v] = s * label[u]`` (the directed cycles of a strongly
connected graph span its cycle space). An edge of both signs on a cycle makes that cycle
negative either way, so it counts as unbalanced.
"""

from __future__ import annotations

from collections.abc import Iterable

from mtorsim.network import Network

Edges = list[list[tuple[int, int]]]  # out-edges per node: (target, sign: +1, -1, 0 for both)


def signed_edges(net: Network) -> Edges:
    """Out-edges of every node with their sign (0: the regulator acts both ways)."""
    out: Edges = [[] for _ in range(len(net))]
    for i, (regs, signs) in enumerate(zip(net.regulators, net.signs)):
        for j, s in zip(regs, signs):
            if s != "0":
                out[j].append((i, {"+": 1, "-": -1}.get(s, 0)))
    return out


def components(out: Edges, alive: list[bool]) -> list[list[int]]:
    """Strongly connected components among ``alive`` nodes (Tarjan, iterative)."""
    n = len(out)
    index = [-1] * n
    low = [0] * n
    on = [False] * n
    stack: list[int] = []
    comps: list[list[int]] = []
    counter = 0
    for root in range(n):
        if not alive[root] or index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on[root] = True
        while work:
            v, k = work[-1]
            if k < len(out[v]):
                work[-1] = (v, k + 1)
                w = out[v][k][0]
                if not alive[w]:
                    continue
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on[w] = True
                    work.append((w, 0))
                elif on[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on[w] = False
                    comp.append(w)
                    if w == v:
                        break
                comps.append(comp)
    return comps


def upstream(net: Network, targets: Iterable[int]) -> set[int]:
    """The nodes with a path to any of ``targets`` in the wiring (targets included)."""
    seen = set(targets)
    todo = list(seen)
    while todo:
        for j in net.regulators[todo.pop()]:
            if j not in seen:
                seen.add(j)
                todo.append(j)
    return seen


def _balanced(out: Edges, comp: list[int]) -> bool:
    """Whether every cycle inside the strongly connected ``comp`` is positive."""
    inside = set(comp)
    label = {comp[0]: 1}
    todo = [comp[0]]
    while todo:
        u = todo.pop()
        for v, s in out[u]:
            if v not in inside:
                continue
            if s == 0:
                return False
            want = label[u] * s
            if v not in label:
                label[v] = want
                todo.append(v)
            elif label[v] != want:
                return False
    # undirected closure: a component is strongly connected, so every node got a label
    return True


def unbalanced_components(out: Edges, alive: list[bool]) -> list[list[int]]:
    """The strongly connected components (among ``alive``) that hold a negative cycle."""
    bad = []
    for comp in components(out, alive):
        if len(comp) == 1:
            v = comp[0]
            if any(w == v and s != 1 for w, s in out[v]):
                bad.append(comp)
        elif not _balanced(out, comp):
            bad.append(comp)
    return bad


def negative_feedback_vertex_set(net: Network) -> list[int]:
    """A negative feedback vertex set, small but not necessarily minimum: greedily remove the
    node with most in x out edges inside an unbalanced component, then put back every removed
    node whose return leaves no negative cycle."""
    out = signed_edges(net)
    n = len(out)
    alive = [True] * n
    removed: list[int] = []
    while True:
        bad = unbalanced_components(out, alive)
        if not bad:
            break
        comp = set(bad[0])
        indeg = dict.fromkeys(comp, 0)
        outdeg = dict.fromkeys(comp, 0)
        for u in comp:
            for v, _ in out[u]:
                if v in comp:
                    outdeg[u] += 1
                    indeg[v] += 1
        pick = max(sorted(comp), key=lambda v: indeg[v] * outdeg[v])
        alive[pick] = False
        removed.append(pick)
    for v in reversed(list(removed)):
        alive[v] = True
        if unbalanced_components(out, alive):
            alive[v] = False
        else:
            removed.remove(v)
    return sorted(removed)
