"""A table of published genotype-drug facts: which genotype is more (or less, or equally)
sensitive to which drug than which comparator, with the evidence and the reference.

The table is tab-separated with a header; lines starting with ``#`` are comments (a shipped table
lists there the facts it left out and why). Columns:

``id``          the fact's name
``drug``        a vocabulary drug, or ``A+B`` (a fixed-ratio combination)
``genotype``    a background: ``wildtype`` or mutations joined by ``+`` (``NAME:het``, ``NAME:0.5``)
``comparator``  the background it is compared with
``env``         medium overrides, ``name=0|1`` joined by ``,`` (may be empty)
``expected``    ``sensitive``, ``resistant`` or ``same``: the genotype against the comparator
``evidence``    what the fact rests on (``cell lines``, ``xenografts``, ``patients``, ...)
``reference``   where it is published
``status``      ``confirmed`` (read in the source) or ``recalled``
``magnitude``, ``claim``  free text (optional columns)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.screening.plan import resolve_background
from mtorsim.util.tables import read_table

REQUIRED = ("id", "drug", "genotype", "comparator", "env", "expected", "evidence", "reference", "status")
EXPECTED = ("sensitive", "resistant", "same")
CELL_EVIDENCE = ("cell", "isogenic", "xenograft", "gemm", "mouse", "organoid")
"""Words that mark a fact as measured on cells or animals (otherwise: patients)."""


@dataclass(frozen=True)
class Fact:
    """One published comparison (see the module docstring for the fields)."""

    id: str
    drugs: tuple[str, ...]
    genotype: str
    comparator: str
    env: tuple[tuple[str, int], ...]
    expected: str
    evidence: str
    reference: str
    status: str
    magnitude: str = ""
    claim: str = ""
    line: int = 0

    @property
    def in_cells(self) -> bool:
        """Measured on cells or animals (as the model is), not only in patients."""
        return any(w in self.evidence.lower() for w in CELL_EVIDENCE)


def read_facts(path: str | os.PathLike, vocab: Vocabulary) -> list[Fact]:
    """The facts of a table, every name checked against the vocabulary (errors name the line
    and the column)."""
    path = Path(path)
    rows = read_table(path, REQUIRED, "facts table")
    facts, seen = [], set()
    for number, row in rows:
        where = f"{path}:{number}"
        facts.append(_fact(row, vocab, where, number))
        if facts[-1].id in seen:
            raise MtorsimError(f"{where}: column 'id': {facts[-1].id} is used twice")
        seen.add(facts[-1].id)
    return facts


def _fact(row: dict[str, str], vocab: Vocabulary, where: str, number: int) -> Fact:
    def column(name: str, error: MtorsimError) -> MtorsimError:
        return MtorsimError(f"{where}: column '{name}': {error}")

    if not row["id"]:
        raise MtorsimError(f"{where}: column 'id' is empty")
    try:
        drugs = tuple(vocab.drug(d.strip()).name for d in row["drug"].split("+"))
    except MtorsimError as e:
        raise column("drug", e) from None
    for name in ("genotype", "comparator"):
        try:
            resolve_background(vocab, row[name])
        except MtorsimError as e:
            raise column(name, e) from None
    env = []
    for item in filter(None, (x.strip() for x in row["env"].split(","))):
        key, eq, value = item.partition("=")
        if not eq or value.strip() not in ("0", "1"):
            raise MtorsimError(f"{where}: column 'env': write name=0 or name=1, not '{item}'")
        try:
            vocab.condition(key.strip())
        except MtorsimError as e:
            raise column("env", e) from None
        env.append((key.strip(), int(value)))
    expected = row["expected"].lower()
    if expected not in EXPECTED:
        hint = did_you_mean(expected, EXPECTED)
        raise MtorsimError(
            f"{where}: column 'expected': '{row['expected']}' is not one of {', '.join(EXPECTED)}"
            + (f"; {hint}" if hint else "")
        )
    return Fact(
        row["id"],
        drugs,
        resolve_background(vocab, row["genotype"]).label,
        resolve_background(vocab, row["comparator"]).label,
        tuple(env),
        expected,
        row["evidence"],
        row["reference"],
        row["status"],
        row.get("magnitude", ""),
        row.get("claim", ""),
        number,
    )
