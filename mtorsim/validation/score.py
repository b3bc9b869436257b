"""The model's prediction for each published fact, and the score.

Each fact is posed as the viability assay (``mtorsim.response``) on its genotype and its
comparator with its drug over the drug's default dose grid; the difference of their areas under
the viability curve (genotype minus comparator) predicts ``sensitive`` (at most ``-margin``),
``resistant`` (at least ``+margin``) or ``same``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.response.assay import Assay
from mtorsim.response.curves import Background, dose_response
from mtorsim.screening.plan import resolve_background
from mtorsim.validation.facts import Fact

MARGIN = 0.05
"""A difference of viability AUC below this is 'same'."""


def predict(delta: float, margin: float = MARGIN) -> str:
    """``sensitive``, ``resistant`` or ``same`` from genotype minus comparator AUC."""
    if delta <= -margin:
        return "sensitive"
    if delta >= margin:
        return "resistant"
    return "same"


@dataclass
class ValidationResult:
    """The facts, the model's AUCs and prediction for each, and the score.

    Parameters
    ----------
    rows : list of dict
        Per fact: ``id``, ``drugs``, ``genotype``, ``comparator``, ``env``, ``expected``,
        ``auc_genotype``, ``auc_comparator``, ``delta``, ``predicted``, ``match``, ``evidence``,
        ``in_cells``, ``reference``, ``status``, ``claim``.
    margin : float
        The AUC difference below which the prediction is ``same``.
    settings : dict
        The model, table and assay.
    """

    rows: list[dict[str, Any]]
    margin: float = MARGIN
    settings: dict[str, Any] = field(default_factory=dict)

    def score(self, rows: Sequence[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Matches out of facts, with what always answering the commonest direction would get."""
        rows = self.rows if rows is None else rows
        n = len(rows)
        counts = Counter(r["expected"] for r in rows)
        common, k = counts.most_common(1)[0] if counts else ("-", 0)
        hits = sum(r["match"] for r in rows)
        return {
            "facts": n,
            "matched": hits,
            "fraction": hits / n if n else None,
            "expected": dict(counts),
            "baseline": {"always": common, "matched": k, "fraction": k / n if n else None},
        }

    def scores(self) -> dict[str, dict[str, Any]]:
        """The score over all facts, over those measured on cells or animals, over patients,
        and over the confirmed ones."""
        return {
            "all": self.score(),
            "cells and animals": self.score([r for r in self.rows if r["in_cells"]]),
            "patients only": self.score([r for r in self.rows if not r["in_cells"]]),
            "confirmed": self.score([r for r in self.rows if r["status"].startswith("confirmed")]),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "scores": self.scores(), "margin": self.margin, "settings": self.settings}

    def to_dataframe(self) -> Any:
        """One row per fact (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        return to_dataframe([{**r, "drugs": "+".join(r["drugs"])} for r in self.rows], index="id")


def validate(
    net: Network,
    vocab: Vocabulary,
    facts: Sequence[Fact],
    assay: Assay,
    margin: float = MARGIN,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationResult:
    """Every fact posed to the model (see the module docstring)."""
    groups: dict[tuple[tuple[tuple[str, int], ...], tuple[str, ...]], list[str]] = {}
    for f in facts:
        labels = groups.setdefault((f.env, f.drugs), [])
        labels.extend(x for x in (f.genotype, f.comparator) if x not in labels)
    auc: dict[tuple[tuple[tuple[str, int], ...], tuple[str, ...], str], float] = {}
    for (env, drugs), labels in groups.items():
        backgrounds = [Background(b.label, b.mutations) for b in (resolve_background(vocab, x) for x in labels)]
        res = dose_response(net, vocab, backgrounds, [list(drugs)], assay, env=dict(env), progress=progress)
        for curve in res.curves:
            value = curve.measures["auc"]
            auc[(env, drugs, curve.background)] = float("nan") if value is None else float(value)
    rows = []
    for f in facts:
        g, c = auc[(f.env, f.drugs, f.genotype)], auc[(f.env, f.drugs, f.comparator)]
        delta = g - c
        predicted = predict(delta, margin)
        rows.append(
            {
                "id": f.id,
                "drugs": list(f.drugs),
                "genotype": f.genotype,
                "comparator": f.comparator,
                "env": dict(f.env),
                "expected": f.expected,
                "auc_genotype": round(g, 4),
                "auc_comparator": round(c, 4),
                "delta": round(delta, 4),
                "predicted": predicted,
                "match": predicted == f.expected,
                "evidence": f.evidence,
                "in_cells": f.in_cells,
                "reference": f.reference,
                "status": f.status,
                "claim": f.claim,
            }
        )
    return ValidationResult(rows, margin)
