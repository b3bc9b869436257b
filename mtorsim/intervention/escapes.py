"""Escape routes: what keeps a readout from its goal under a treatment, computed.

An escape is a minimal set of nodes (active under the drugs, not held by the treatment, upstream
of the readout) whose activity sustains the readout: switching them off brings every attractor
to the goal, and no smaller subset does. Escapes that another escape switches off
with it (an upstream node carrying a downstream one) are folded into it (``carries``).

Each node of an escape is traced from the drugs' targets through the signed wiring. The drug
moves a target from its untreated value to its held value; along a path of sign s that pushes a
node one way or the other. A node is
- *feedback* when the drugs moved it into the state that sustains the readout and a path
  pushes it that way (a negative loop the drug relieves: S6K -| IRS1, GRB10, FOXO-driven RTKs);
- *incomplete* when it kept its untreated state although a path from a target pushes it away
  from it (the inhibition does not reach it: rapalog-resistant 4E-BP1 T37/46, a target
  engaged too little at the dose, a second route into the node);
- *bypass* otherwise: no path from the targets pushes it off (a parallel route).
Nodes with a constant rule (a protein expressed, a genotype's switch, a drug's binding site) are
the cell's make-up, not routes, and are not candidates; drugs that hit them show in ``closed_by``.
The sets of added drugs that close an escape are the minimal drug sets meeting the goal (the
control search) that switch off a node of its route (the escape, what it carries, its path on to
the readout).
"""

from __future__ import annotations

import functools
import itertools
from collections import deque
from collections.abc import Mapping, Sequence

from mtorsim.formats.ast import Const
from mtorsim.intervention.control import candidate_drugs, readout_nodes
from mtorsim.intervention.evaluate import Evaluator, Outcome
from mtorsim.intervention.goal import Goal
from mtorsim.intervention.result import Escape, ExplainResult
from mtorsim.intervention.search import drug_elements, search
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.network.feedback import signed_edges, upstream
from mtorsim.treatment.resolve import ENGAGED

BUDGET = 50_000
"""Node sets evaluated at most before the escape search stops (complete: false)."""


_edges = functools.lru_cache(maxsize=4)(signed_edges)
"""The signed wiring, computed once per network (every trace reads it)."""


def find_escapes(
    net: Network,
    vocab: Vocabulary,
    goal: Goal,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    doses: Mapping[str, float] | None = None,
    max_size: int = 2,
    max_drugs: int = 2,
    budget: int = BUDGET,
) -> ExplainResult:
    """The escape routes of ``drugs`` from ``goal`` (see the module)."""
    ev = Evaluator(net, vocab, env)
    doses = {vocab.drug(k).name: float(v) for k, v in (doses or {}).items()}
    drugs = [vocab.drug(d).name for d in drugs]
    treated = ev.outcome(mutations, drugs, doses)
    untreated = ev.outcome(mutations)
    value = treated.value(goal.readout, goal.low)
    settings = {"mutations": list(mutations), "drugs": drugs, "doses": doses, "max_size": max_size, "met": False}
    notes = _engagement_notes(ev, mutations, drugs, doses)
    base = ExplainResult(
        goal.readout, str(goal), value, untreated.value(goal.readout, goal.low), [], True, settings, notes
    )
    if goal.met_by(*treated.range(goal.readout)):
        settings["met"] = True
        notes.append(f"the drugs meet {goal} in every attractor: nothing escapes")
        return base
    rnodes = readout_nodes(vocab, goal.readout)
    targets = _targets(treated, untreated)
    signal = _drug_signal(net, targets)
    flip = _flips(net, treated, rnodes, signal)
    found, complete, evaluated = _minimal_sets(ev, goal, mutations, drugs, doses, flip, max_size, budget)
    settings["evaluated"] = evaluated
    exact = treated.exact and all(ev.outcome(mutations, drugs, doses, s).exact for s in found)
    spared = _spared(net, treated, signal)
    traced = {_key(s): _kinds(net, s, targets, untreated, rnodes, spared) for s in found}
    kind_of = {k: _overall(kinds) for k, (kinds, _) in traced.items()}
    roots, carried = _fold(ev, mutations, drugs, doses, found, treated, kind_of)
    closers = _closers(ev, goal, mutations, drugs, doses, max_drugs)
    out = []
    for s in roots:
        state = {n: 1 - v for n, v in s.items()}  # the escape's state under the drugs
        kinds, paths = traced[_key(s)]
        kind = kind_of[_key(s)]
        after = {m for n, p in zip(state, paths) for m in p[p.index(n) :]}
        route = (set(s) | carried[_key(s)] | after) - set(rnodes)
        closed = [names for names, o in closers if any(abs(o.activity(n) - treated.activity(n)) >= 0.5 for n in route)]
        out.append(
            Escape(
                state,
                kind,
                kinds,
                paths,
                sorted(carried[_key(s)] - set(s)),
                closed,
                "exact" if exact else "estimate",
            )
        )
    out.sort(key=lambda e: (len(e.nodes), ("feedback", "incomplete", "bypass").index(e.kind), sorted(e.nodes)))
    base.escapes = out
    base.complete = complete
    notes.append(
        f"escapes: minimal sets of up to {max_size} nodes upstream of {goal.readout} whose state under the drugs keeps "
        f"it from {goal} (every attractor decided "
        + ("exactly" if exact else "by a search that was not complete: estimates")
        + f"); {evaluated} sets evaluated"
        + ("" if complete else f", stopped at the budget of {budget}: larger escapes may be missing")
    )
    return base


def _engagement_notes(
    ev: Evaluator, mutations: Sequence[str], drugs: Sequence[str], doses: Mapping[str, float]
) -> list[str]:
    """Targets the doses engage less than half (the attractors take them as uninhibited)."""
    notes = []
    r = ev.resolved(mutations, drugs, doses)
    for h in r.drug_holds():
        if h.efficacy < ENGAGED and h.source is not None:
            notes.append(
                f"{h.source.name} engages {h.node} in only {h.efficacy:.0%} of cells at this dose: the attractors "
                "treat it as not inhibited (incomplete by dose)"
            )
    return notes


def _flips(net: Network, treated: Outcome, rnodes: Sequence[str], signal: set[str]) -> dict[str, int]:
    """Candidate nodes, each with 0 (switched off): the nodes upstream of the readout that are
    active under the drugs, that the treatment leaves free, that have a rule (a constant is the
    cell's make-up: a protein expressed, a genotype's switch, a drug's binding site, not a route)
    and that do not carry the drug's own signal (``signal``)."""
    ups = upstream(net, [net.index(n) for n in rnodes])
    out = {}
    for i in sorted(ups):
        n = net.nodes[i]
        if n in treated.held or n in rnodes or n in signal or isinstance(net.rules[i], Const):
            continue
        if treated.activity(n) >= 0.5:
            out[n] = 0
    return out


def _drug_signal(net: Network, targets: Mapping[str, tuple[int, int]]) -> set[str]:
    """Nodes a drug switches on through activating edges alone (a drug-bound state such as
    the FKBP12-rapalog block): switching them off would undo the drug, not close an escape."""
    out_edges = _edges(net)
    todo = [net.index(t) for t, (before, held) in targets.items() if held > before]
    seen = set(todo)
    while todo:
        for j, s in out_edges[todo.pop()]:
            if s == 1 and j not in seen:
                seen.add(j)
                todo.append(j)
    return {net.nodes[i] for i in seen}


def _minimal_sets(
    ev: Evaluator,
    goal: Goal,
    mutations: Sequence[str],
    drugs: Sequence[str],
    doses: Mapping[str, float],
    flip: Mapping[str, int],
    max_size: int,
    budget: int,
) -> tuple[list[dict[str, int]], bool, int]:
    found: list[dict[str, int]] = []
    keys: list[frozenset[str]] = []
    evaluated = 0
    for k in range(1, max_size + 1):
        for combo in itertools.combinations(flip, k):
            names = frozenset(combo)
            if any(s <= names for s in keys):
                continue
            if evaluated >= budget:
                return found, False, evaluated
            evaluated += 1
            held = {n: flip[n] for n in combo}
            o = ev.outcome(mutations, drugs, doses, held)
            if goal.met_by(*o.range(goal.readout)):
                found.append(held)
                keys.append(names)
    return found, True, evaluated


def _kinds(
    net: Network,
    s: Mapping[str, int],
    targets: Mapping[str, tuple[int, int]],
    untreated: Outcome,
    rnodes: Sequence[str],
    spared: Mapping[str, list[str]],
) -> tuple[dict[str, str], list[list[str]]]:
    """Each node's kind, and its path from a drug target on to the readout."""
    kinds, paths = {}, []
    for n, off in s.items():
        kind, path = _trace(net, n, 1 - off, targets, untreated, spared)
        kinds[n] = kind
        paths.append(path + _to_readout(net, n, rnodes)[1:])
    return kinds, paths


def _overall(kinds: Mapping[str, str]) -> str:
    """An escape's kind: feedback if a node is, else incomplete if a node is, else bypass."""
    return next((k for k in ("feedback", "incomplete") if k in kinds.values()), "bypass")


def _key(s: Mapping[str, int]) -> frozenset[str]:
    return frozenset(s)


def _fold(
    ev: Evaluator,
    mutations: Sequence[str],
    drugs: Sequence[str],
    doses: Mapping[str, float],
    found: list[dict[str, int]],
    treated: Outcome,
    kind_of: Mapping[frozenset[str], str],
) -> tuple[list[dict[str, int]], dict[frozenset[str], set[str]]]:
    """Escapes no other escape carries; each with the nodes of the escapes it carries. T carries
    S (of the same size and kind) when switching T off switches every node of S off too, and not the
    other way round."""

    def switches(t: Mapping[str, int], s: Mapping[str, int]) -> bool:
        o = ev.outcome(mutations, drugs, doses, t)
        return all(abs(o.activity(n) - treated.activity(n)) >= 0.5 for n in s)

    carried_by: dict[frozenset[str], frozenset[str]] = {}
    for s in found:
        for t in found:
            if t is s or len(t) != len(s) or kind_of[_key(t)] != kind_of[_key(s)]:
                continue  # a set carries only sets of its size and kind (a pair shows two branches)
            if switches(t, s) and not switches(s, t):
                carried_by[_key(s)] = _key(t)
                break
    roots = [s for s in found if _key(s) not in carried_by]
    carried: dict[frozenset[str], set[str]] = {_key(s): set() for s in roots}
    for low, top in carried_by.items():
        seen = {low}
        while top in carried_by and top not in seen:  # climb to the root
            seen.add(top)
            top = carried_by[top]
        if top in carried:
            carried[top] |= set(low)
    return roots, carried


def _targets(treated: Outcome, untreated: Outcome) -> dict[str, tuple[int, int]]:
    """Nodes the drugs hold: node -> (untreated value, held value)."""
    out = {}
    for n in treated.held - untreated.held:
        out[n] = (round(untreated.activity(n)), round(treated.activity(n)))
    return out


def _trace(
    net: Network,
    node: str,
    value: int,
    targets: Mapping[str, tuple[int, int]],
    untreated: Outcome,
    spared: Mapping[str, list[str]],
) -> tuple[str, list[str]]:
    """The kind of one escape node and the path that decides it (from a drug target)."""
    toward, away = _signed_paths(net, node, value, targets)
    moved = abs(untreated.activity(node) - value) >= 0.5
    if moved and toward:
        return "feedback", toward
    if not moved and node in spared:
        return "incomplete", spared[node]
    if not moved and away:
        return "incomplete", away
    return "bypass", toward or away or [node]


def _spared(net: Network, treated: Outcome, signal: set[str]) -> dict[str, list[str]]:
    """What a drug that blocks outputs rather than a node leaves on: the active activators of
    the nodes its signal inhibits (mTORC1 for a rapalog, which blocks S6K and 4E-BP1 S65 but not
    T37/46), and the active nodes they drive through activating edges; each with its path from
    the spared node."""
    out_edges = _edges(net)
    prev: dict[int, int | None] = {}
    todo: deque[int] = deque()
    for sig in signal:
        for x, sign in out_edges[net.index(sig)]:
            if sign != -1:
                continue
            for r, rs in zip(net.regulators[x], net.signs[x]):
                name = net.nodes[r]
                if rs == "+" and name not in signal and r not in prev and treated.activity(name) >= 0.5:
                    prev[r] = None
                    todo.append(r)
    while todo:
        i = todo.popleft()
        for j, sign in out_edges[i]:
            if sign == 1 and j not in prev and net.nodes[j] not in signal and treated.activity(net.nodes[j]) >= 0.5:
                prev[j] = i
                todo.append(j)
    out = {}
    for j in prev:
        path = []
        cur: int | None = j
        while cur is not None:
            path.append(net.nodes[cur])
            cur = prev[cur]
        out[net.nodes[j]] = path[::-1]
    return out


def _signed_paths(
    net: Network, node: str, value: int, targets: Mapping[str, tuple[int, int]], limit: int = 20_000
) -> tuple[list[str], list[str]]:
    """Shortest simple paths from a drug target to ``node`` along which the drug pushes
    ``node`` toward ``value`` and away from it (empty when there is none within ``limit``
    partial paths)."""
    out_edges = _edges(net)
    goal = net.index(node)
    reach = upstream(net, [goal])
    want = 1 if value == 1 else -1
    queue: deque[tuple[tuple[int, ...], int]] = deque()
    for t, (before, held) in targets.items():
        push = held - before  # +1: the drug raises the target, -1: it lowers it
        i = net.index(t)
        if push != 0 and i in reach:
            queue.append(((i,), push))
    found: dict[int, list[str]] = {}
    seen = 0
    while queue and len(found) < 2 and seen < limit:
        path, sign = queue.popleft()
        seen += 1
        i = path[-1]
        if i == goal and len(path) > 1:
            found.setdefault(sign, [net.nodes[k] for k in path])
            continue
        for j, s in out_edges[i]:
            if s != 0 and j in reach and j not in path:
                queue.append(((*path, j), sign * s))
    return found.get(want, []), found.get(-want, [])


def _to_readout(net: Network, node: str, rnodes: Sequence[str]) -> list[str]:
    """A shortest path from ``node`` to a node the readout reads."""
    out_edges = _edges(net)
    start = net.index(node)
    goals = {net.index(n) for n in rnodes}
    prev: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        i = queue.popleft()
        if i in goals:
            path = []
            cur: int | None = i
            while cur is not None:
                path.append(net.nodes[cur])
                cur = prev[cur]
            return path[::-1]
        for j, _ in out_edges[i]:
            if j not in prev:
                prev[j] = i
                queue.append(j)
    return [node]


def _closers(
    ev: Evaluator,
    goal: Goal,
    mutations: Sequence[str],
    drugs: Sequence[str],
    doses: Mapping[str, float],
    max_drugs: int,
) -> list[tuple[list[str], Outcome]]:
    """The minimal added drug sets meeting the goal (one drug per class named), with outcomes;
    none when ``max_drugs`` is 0."""
    if max_drugs < 1:
        return []
    names = [n for n in candidate_drugs(ev.vocab, None) if n not in drugs]
    elements, _ = drug_elements(ev, mutations, names, doses)
    found, _, _ = search(ev, goal, mutations, elements, drugs, max_drugs, doses)
    out = []
    for combo in [c for c in found if c]:
        added = [e.members[0] for e in combo]
        out.append((added, ev.outcome(mutations, list(drugs) + added, {d: v for d, v in doses.items() if d in drugs})))
    return out
