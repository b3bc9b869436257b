"""The exact attractor answer of one treatment, fast: resolve, hold, percolate.

A treatment that percolates every node (the shipped model in any medium does) has one attractor,
a fixed point, under every update scheme: the answer is exact and costs well under a millisecond.
Otherwise the attractor search answers (``attractors.search``) and says whether it is complete.
Results are cached by treatment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from mtorsim.attractors.search import Attractor, AttractorResult, find_attractors
from mtorsim.model.vocabulary import Readout, Vocabulary
from mtorsim.network import Network
from mtorsim.network.reduction import Reduction, percolate
from mtorsim.scenarios.scenario import SCENARIO_EXHAUSTIVE, readout_value
from mtorsim.treatment.resolve import ENGAGED, Resolved, resolve
from mtorsim.treatment.treatment import Treatment
from mtorsim.types import AttractorUpdate


@dataclass
class Outcome:
    """The attractors of one treatment: readout ranges (computed when asked) and node activity."""

    attractors: list[Attractor]
    nodes: list[str]
    readout_defs: Mapping[str, Readout]
    exact: bool  # every attractor is known (percolation, or a complete search)
    how: str  # "percolation" or the search method
    held: frozenset[str]  # nodes the treatment holds
    _ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict, repr=False)

    def range(self, readout: str) -> tuple[float | None, float | None]:
        """The readout's (min, max) over the attractors; (None, None) where it cannot be read."""
        got = self._ranges.get(readout)
        if got is None:
            r = self.readout_defs[readout]
            vals = [readout_value(r, a, self.nodes, self.readout_defs) for a in self.attractors]
            known = [v for v in vals if v is not None]
            got = (min(known), max(known)) if known and len(known) == len(vals) else (None, None)
            self._ranges[readout] = got
        return got

    def value(self, readout: str, low: bool) -> float | None:
        """The readout's worst value for a goal (its maximum for a low goal, else its minimum)."""
        lo, hi = self.range(readout)
        return hi if low else lo

    def activity(self, node: str) -> float:
        """The node's mean activity over the attractors (0 or 1 at one fixed point)."""
        i = self.nodes.index(node)
        return float(np.mean([a.activity[i] for a in self.attractors])) if self.attractors else float("nan")


class Evaluator:
    """Exact outcomes of treatments of one network in one medium, cached."""

    def __init__(
        self,
        net: Network,
        vocab: Vocabulary,
        env: Mapping[str, int] | None = None,
        update: AttractorUpdate = "sync",
    ) -> None:
        self.net = net
        self.vocab = vocab
        self.env = dict(env or {})
        self.update = update
        self.calls = 0
        self._cache: dict[tuple, Outcome] = {}
        self._free: dict[tuple, AttractorResult] = {}

    def resolved(
        self,
        mutations: Sequence[str] = (),
        drugs: Sequence[str] = (),
        doses: Mapping[str, float] | None = None,
        fixed: Mapping[str, int] | None = None,
    ) -> Resolved:
        """The treatment applied to the network."""
        t = Treatment.of(self.env, list(mutations), list(drugs), dict(doses or {}), dict(fixed or {}))
        return resolve(self.net, self.vocab, t)

    def outcome(
        self,
        mutations: Sequence[str] = (),
        drugs: Sequence[str] = (),
        doses: Mapping[str, float] | None = None,
        fixed: Mapping[str, int] | None = None,
        update: AttractorUpdate | None = None,
    ) -> Outcome:
        """The attractors of the treated network (drugs held where engaged at least half)."""
        update = update or self.update
        key = (
            tuple(mutations),
            tuple(sorted(drugs)),
            tuple(sorted((doses or {}).items())),
            tuple(sorted((fixed or {}).items())),
            update,
        )
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        self.calls += 1
        r = self.resolved(mutations, drugs, doses, fixed)
        held = r.fixed(ENGAGED)
        red = percolate(r.net, held)
        nodes = list(r.net.nodes)
        if not red.reduced.nodes:
            state = [red.values[n] for n in nodes]
            attractors = [Attractor("fixed", 1, [state], np.asarray(state, dtype=float))]
            exact, how = True, "percolation"
        else:
            attractors, exact, how = self._free_part(red, update)
        out = Outcome(attractors, nodes, self.vocab.readouts, exact, how, frozenset(held))
        self._cache[key] = out
        return out

    def _free_part(self, red: Reduction, update: AttractorUpdate) -> tuple[list[Attractor], bool, str]:
        """Attractors of what percolation leaves free, searched once per distinct free network
        (many treatments leave the same feedback loop free), as full states."""
        sig = (tuple(red.reduced.nodes), tuple(repr(e) for e in red.reduced.rules), update)
        res = self._free.get(sig)
        if res is None:
            res = find_attractors(red.reduced, update, "auto", auto_exhaustive=SCENARIO_EXHAUSTIVE, basins="reduced")
            self._free[sig] = res
        nodes = list(red.original.nodes)
        pos = {n: i for i, n in enumerate(red.reduced.nodes)}
        out = []
        for a in res.attractors:
            activity = np.asarray(
                [red.values[n] if n in red.values else float(a.activity[pos[n]]) for n in nodes], dtype=float
            )
            states = red.expand(a.states) if a.states is not None else None
            out.append(Attractor(a.kind, a.size, states, activity))
        return out, res.complete, res.method
