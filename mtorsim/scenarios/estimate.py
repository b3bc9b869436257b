"""Graded readouts: a continuous-time estimate of every readout of a scenario.

Semantics (documented for users in the README): every node that nothing holds starts at random;
the cell first settles for ``burn_in`` time units in its environment and genotype (mutations and
environment hold their nodes from the start), then the drugs are added and act for ``treatment``
time units; each readout is the probability that it holds, time-averaged over the second half of
the treatment and over ``runs`` trajectories of the continuous-time chain (rate 1 per node, so one
time unit is about one update of every node). A drug with efficacy ``e < 1`` engages its target
fully in a share ``e`` of the cells and not at all in the rest (``treatment.regimes``): each
regime is simulated with the same random numbers and the readouts are their weighted means. A
partial mutation (efficacy below 1) is a rate instead: its hold keeps ``(1 - e)`` of the
target's own rates and pushes it at rate ``e``, in every cell. A readout of
levels reports the expected weight of its highest level; a combined readout the weighted sum of
its parts. Untreated and treated cells of one scenario use the same random numbers, so a
difference between them comes from the drug.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import And, Expr, Not, Var
from mtorsim.model.vocabulary import Readout, Vocabulary
from mtorsim.network import Network
from mtorsim.simulation.initial import InitialSpec
from mtorsim.treatment.records import Hold


@dataclass(frozen=True)
class EstimateSettings:
    runs: int = 1000
    seed: int = 0
    burn_in: float = 20.0
    treatment: float = 40.0
    threads: int | None = None

    def check(self) -> None:
        if not (isinstance(self.runs, int) and 1 <= self.runs <= 10_000_000):
            raise MtorsimError(f"estimate runs must be a whole number from 1 to 10,000,000, not {self.runs!r}")
        for what, v in (("burn-in", self.burn_in), ("treatment time", self.treatment)):
            if not (math.isfinite(v) and v >= 0):
                raise MtorsimError(f"the {what} must be a finite number >= 0, not {v}")
        if not self.treatment > 0:
            raise MtorsimError("the treatment time must be positive")
        ratio = self.burn_in / (self.treatment / 2)
        if abs(ratio - round(ratio)) > 1e-9:
            raise MtorsimError(
                f"the burn-in ({self.burn_in:g}) must be a multiple of half the treatment time "
                f"({self.treatment / 2:g}), so that the last window is the second half of the treatment"
            )

    def to_record(self) -> dict:
        """The settings as plain data (a screen stores them with its cells)."""
        return {"runs": self.runs, "seed": self.seed, "burn_in": self.burn_in, "treatment": self.treatment}

    def to_dict(self) -> dict:
        return {
            "scheme": "continuous",
            "runs": self.runs,
            "seed": self.seed,
            "burn_in": self.burn_in,
            "treatment": self.treatment,
            "window": [self.burn_in + self.treatment / 2, self.burn_in + self.treatment],
        }


def readout_terms(r: Readout, readouts: Mapping[str, Readout]) -> list[tuple[Expr, float]]:
    """A readout as weighted Boolean terms whose probabilities add up to its expected value."""
    if r.combine:
        out = []
        for part, w in r.combine:
            out += [(e, w * x) for e, x in readout_terms(readouts[part], readouts)]
        return out
    if r.formula is not None:
        return [(r.formula, 1.0)]
    out = []
    for j, (level, w) in enumerate(zip(r.levels, r.weights)):
        higher = [Not(Var(x)) for x in r.levels[j + 1 :]]
        out.append((And((Var(level), *higher)) if higher else Var(level), w))
    return out


_MEMO: dict[tuple, dict[str, tuple[float, float]]] = {}
"""Each regime's readouts, computed once per process (a screen's cells share their untreated
regime; the numbers do not depend on the threads)."""
_MEMO_LOCK = threading.Lock()
MEMO_SIZE = 4096


def estimate_readouts(
    net: Network,
    vocab: Vocabulary,
    baseline: Mapping[str, Hold],
    drug_holds: Sequence[Hold],
    settings: EstimateSettings,
) -> dict[str, dict]:
    """``{readout: {"mean", "se"}}`` for ``net`` (already perturbed by the scenario): the
    ``baseline`` holds (environment, mutations) from the start, ``drug_holds`` from the end of
    the burn-in (over what the baseline held there), as a mixture of their engagement regimes.
    The standard error of a readout built from several terms or regimes ignores their
    covariances (for levels, whose terms exclude each other, it is an upper bound). Each regime
    is simulated once per process (``_MEMO``)."""
    from mtorsim.treatment.regimes import regimes

    settings.check()
    question = (  # what a regime's numbers depend on besides its drug holds: content, never identity
        net.nodes,
        tuple(repr(e) for e in net.rules),
        repr(sorted(vocab.readouts.items())),
        tuple(sorted(baseline.items())),
        (settings.runs, settings.seed, settings.burn_in, settings.treatment),
    )
    parts = []
    for r in regimes(drug_holds):
        key = (*question, tuple(sorted(r.holds, key=repr)))
        with _MEMO_LOCK:
            known = _MEMO.get(key)
        if known is None:
            known = _estimate(net, vocab, baseline, r.holds, settings)
            with _MEMO_LOCK:
                if len(_MEMO) >= MEMO_SIZE:
                    _MEMO.pop(next(iter(_MEMO)))
                _MEMO[key] = known
        parts.append((r.weight, known))
    out = {}
    for name in vocab.readouts:
        mean = sum(w * est[name][0] for w, est in parts)
        se = math.sqrt(sum((w * est[name][1]) ** 2 for w, est in parts))
        out[name] = {"mean": round(mean, 12), "se": round(se, 12)}
    return out


def _estimate(
    net: Network,
    vocab: Vocabulary,
    baseline: Mapping[str, Hold],
    drug_holds: Sequence[Hold],
    settings: EstimateSettings,
) -> dict[str, tuple[float, float]]:
    """Every readout's (mean, se) with ``drug_holds`` as given (one regime)."""
    from mtorsim.simulation.continuous import simulate_continuous

    observe: dict[str, Expr] = {}
    plans: dict[str, list[tuple[str, float]]] = {}
    for name, r in vocab.readouts.items():
        keys = []
        for expr, w in readout_terms(r, vocab.readouts):
            if isinstance(expr, Var):
                keys.append((f"node {expr.name}", w))
            else:
                key = repr(expr)
                observe.setdefault(key, expr)
                keys.append((f"obs {key}", w))
        plans[name] = keys
    schedule = []
    whole = dict(baseline)
    for h in sorted(drug_holds, key=lambda h: h.node):
        before = whole.pop(h.node, None)
        if before is not None:  # held untreated, then taken over by the drug
            schedule.append(Hold(h.node, before.value, 0.0, settings.burn_in, before.efficacy, before.source))
        schedule.append(Hold(h.node, h.value, settings.burn_in, None, h.efficacy, h.source))
    fixed = {n: h.value for n, h in whole.items()}
    held_eff = {n: h.efficacy for n, h in whole.items() if h.efficacy < 1}
    res = simulate_continuous(
        net,
        max_time=settings.burn_in + settings.treatment,
        time_tick=settings.treatment / 2,
        runs=settings.runs,
        seed=settings.seed,
        init=InitialSpec(default=0.5),
        fixed=fixed,
        efficacy=held_eff,
        schedule=schedule,
        threads=settings.threads,
        track_states=False,
        entropy=False,
        observe=observe,
    )
    index = {n: i for i, n in enumerate(res.nodes)}
    error = res.error
    assert error is not None  # simulate_continuous always reports the standard errors

    def term(key: str) -> tuple[float, float]:
        kind, _, what = key.partition(" ")
        if kind == "node":
            i = index[what]
            return float(res.mean[-1, i]), float(error[-1, i])
        p, se = res.observed[what]
        return float(p[-1]), float(se[-1])

    out = {}
    for name, keys in plans.items():
        mean = var = 0.0
        for key, w in keys:
            m, se = term(key)
            mean += w * m
            var += (w * se) ** 2
        out[name] = (mean, math.sqrt(var))
    return out
