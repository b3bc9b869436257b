"""What a screen runs: genotype backgrounds (with swept media) x treatments (none, single drugs,
pairs, ...), and the readout it ranks on."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.model.cohort import Sample
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.treatment.treatment import Given

WILDTYPE = "wildtype"


@dataclass(frozen=True)
class Background:
    label: str  # 'wildtype' or mutation names joined by '+', then '|cond=v,...' when environments are swept
    mutations: tuple[str, ...]
    env: tuple[tuple[str, int], ...] = ()  # environment settings of this background (over the screen's --env)


@dataclass
class ScreenPlan:
    backgrounds: list[Background]
    treatments: list[tuple[str, ...]]  # () first, then singles in vocabulary order, then pairs, ...

    def cells(self) -> list[tuple[Background, tuple[str, ...]]]:
        """Every cell, in the deterministic order of the output (backgrounds outer)."""
        return [(b, t) for b in self.backgrounds for t in self.treatments]


def resolve_drugs(vocab: Vocabulary, names: Sequence[str] | None) -> list[str]:
    """Canonical drug names in vocabulary order (all drugs when ``names`` is empty)."""
    if not names:
        return list(vocab.drugs)
    chosen = {vocab.drug(n).name for n in names}  # unknown -> MtorsimError with did-you-mean
    return [d for d in vocab.drugs if d in chosen]


def resolve_background(vocab: Vocabulary, text: str) -> Background:
    """'wildtype' or mutation names joined by '+' (case-insensitive, aliases allowed), e.g.
    TSC_loss+PTEN_loss; ``NAME:0.5`` is a partial mutation (that efficacy) and ``NAME:het`` one
    altered allele (the mutation's ``heterozygous`` efficacy)."""
    if text.strip().lower() == WILDTYPE:
        return Background(WILDTYPE, ())
    parts = [p.strip() for p in text.split("+")]
    muts: list[str] = []
    names: list[str] = []
    for p in parts:
        if not p:
            raise MtorsimError(
                f"background '{text}': empty mutation name; join mutations with '+', e.g. TSC_loss+PTEN_loss"
            )
        if p.lower() == WILDTYPE:
            raise MtorsimError(f"background '{text}': 'wildtype' cannot be combined with mutations")
        given = Given.parse(p, "background")
        if given.scheduled:
            raise MtorsimError(f"background '{text}': a genotype holds for the whole run; drop '@' from {p}")
        try:
            entry = vocab.mutation(given.name.strip())
        except MtorsimError as e:
            raise MtorsimError(f"background '{text}': {e}") from None
        if entry.name in names:
            raise MtorsimError(f"background '{text}': mutation '{entry.name}' is listed twice")
        names.append(entry.name)
        muts.append(given.named(entry.name))
    return Background("+".join(muts), tuple(muts))


def plan(
    vocab: Vocabulary,
    drugs: Sequence[str] | None = None,
    backgrounds: Sequence[str] | None = None,
    max_combo: int = 2,
    sweep: Sequence[str] = (),
    samples: Sequence[Sample] | None = None,
) -> ScreenPlan:
    """Backgrounds (or a cohort's ``samples``) x treatments; ``sweep`` names environment
    conditions screened at 0 and 1 (each background is repeated for every combination, labelled
    ``genotype|cond=v,...``)."""
    if max_combo < 0:
        raise MtorsimError(f"`max_combo` must be 0 or more, not {max_combo}")
    names = resolve_drugs(vocab, drugs)
    if samples is not None:
        bgs = [Background(x.name, tuple(x.mutations)) for x in samples]
    elif backgrounds:
        bgs = [resolve_background(vocab, b) for b in backgrounds]
    else:
        bgs = [Background(WILDTYPE, ())] + [Background(m, (m,)) for m in vocab.mutations]
    seen, unique = set(), []
    for b in bgs:
        if b.label not in seen:
            seen.add(b.label)
            unique.append(b)
    if sweep:
        for name in sweep:
            vocab.condition(name)
        if len(set(sweep)) != len(sweep):
            raise MtorsimError("an environment condition is swept twice")
        combos = list(itertools.product((0, 1), repeat=len(sweep)))
        unique = [
            Background(f"{b.label}|{','.join(f'{n}={v}' for n, v in zip(sweep, c))}", b.mutations, tuple(zip(sweep, c)))
            for b in unique
            for c in combos
        ]
    treatments: list[tuple[str, ...]] = [()]
    for k in range(1, min(max_combo, len(names)) + 1):
        treatments += list(itertools.combinations(names, k))
    return ScreenPlan(unique, treatments)


def check_readout(vocab: Vocabulary, name: str | None) -> str:
    if not vocab.readouts:
        raise MtorsimError(f"{vocab.source or 'the vocabulary'}: defines no readouts; a screen needs at least one")
    if name is None:
        return vocab.response_readout() or next(iter(vocab.readouts))
    if name not in vocab.readouts:
        hint = did_you_mean(name, vocab.readouts)
        raise MtorsimError(
            f"unknown readout '{name}'" + (f"; {hint}" if hint else "") + f" (valid: {', '.join(vocab.readouts)})"
        )
    return name


def default_goal(vocab: Vocabulary, readout: str) -> str:
    """The vocabulary's goal (``[model] goal``) for its response readout, else 'low'."""
    return vocab.model.get("goal", "low") if readout == vocab.response_readout() else "low"


def readout_ceiling(vocab: Vocabulary, name: str) -> float:
    """The largest value a readout can take: 1 for a node or formula, the top weight for levels."""
    r = vocab.readouts[name]
    return max(r.weights) if r.levels else 1.0


def treatment_label(t: Iterable[str]) -> str:
    t = list(t)
    return " + ".join(t) if t else "none"
