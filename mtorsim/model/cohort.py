"""A cohort: samples (cell lines, patients) given as a genotype table, read into genotypes the
vocabulary knows.

The table is tab-separated with a header; ``#`` starts a comment line. Columns: ``sample``,
``gene`` (HGNC symbol), ``alteration``, and optionally ``zygosity`` and ``lineage``; one row per
alteration (a sample with no alteration in the model's genes takes one row with an empty gene).
An alteration is read against the vocabulary's mutations of that gene:

- a loss (``deletion``, ``nonsense``, ``frameshift``, ``splice``, ``truncating``, ``loss``, or a
  protein change ending in ``*`` or ``fs``) is the gene's ``kind = "loss"`` entry; one allele
  (zygosity ``heterozygous``) is ``NAME:het``, two altered alleles of a gene (two rows) or
  ``homozygous`` the full loss; without a zygosity a loss is taken as biallelic, and said so;
- a protein change (``H1047R``, ``p.G12D``) or a word (``amplification``, ``expressed``) is the
  gain whose ``alterations`` list it or its residue (``H1047``);
- ``lineage`` is matched to the ``lineages`` of the vocabulary's lineage entries (``ER+``).

What the model cannot express (an unknown gene, an alteration no entry lists, a lineage it does
not model) is listed with the reason, never dropped silently.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from mtorsim.errors import MtorsimError
from mtorsim.model.vocabulary import Perturbing, Vocabulary
from mtorsim.util.tables import read_table

REQUIRED = ("sample", "gene", "alteration")
LOSS_WORDS = (
    "loss",
    "deletion",
    "homozygous deletion",
    "del",
    "homdel",
    "nonsense",
    "frameshift",
    "splice",
    "splice site",
    "truncating",
    "truncation",
    "inactivating",
    "loss of function",
    "knockout",
)
HETEROZYGOUS = ("heterozygous", "het", "monoallelic", "one allele")
HOMOZYGOUS = ("homozygous", "hom", "biallelic", "two alleles", "loh")
PROTEIN = re.compile(r"^(?:p\.)?([A-Z])(\d+)([A-Z*]|fs.*|_.*)?$")


@dataclass
class Sample:
    """One sample's genotype in vocabulary terms.

    Parameters
    ----------
    name : str
        The sample.
    mutations : list of str
        Vocabulary mutations (``NAME`` or ``NAME:het``), as a background takes them.
    lineage : str
        The lineage as given ("" when none).
    read : list of str
        How each row was read ("PIK3CA E545K -> PIK3CA_activating").
    unread : list of str
        Rows the model cannot express, each with the reason.
    notes : list of str
        Assumptions made (a loss without zygosity taken as biallelic, ...).
    """

    name: str
    mutations: list[str] = field(default_factory=list)
    lineage: str = ""
    read: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "sample": self.name,
            "mutations": self.mutations,
            "lineage": self.lineage,
            "read": self.read,
            "unread": self.unread,
            "notes": self.notes,
        }


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _is_loss(alteration: str) -> bool:
    """A loss word (alone or leading: ``nonsense Q37*``, ``splice c.253+1G>T``), or a protein
    change to a stop or a frameshift."""
    a = alteration.strip()
    words = {_norm(w) for w in LOSS_WORDS}
    if _norm(a) in words or _norm(a).split(" ")[0] in words:
        return True
    m = PROTEIN.match(a)
    return bool(m and m.group(3) and (m.group(3) == "*" or m.group(3).startswith("fs")))


def _gain_matches(entry: Perturbing, alteration: str) -> bool:
    a = alteration.strip()
    a = a[2:] if a.startswith("p.") else a
    for listed in entry.alterations:
        if _norm(listed) == _norm(a):
            return True
        m = PROTEIN.match(a)
        if m and re.fullmatch(r"[A-Z]\d+", listed) and f"{m.group(1)}{m.group(2)}" == listed:
            return m.group(3) is None or not (m.group(3) == "*" or m.group(3).startswith(("fs", "_")))
    return False


def read_alteration(vocab: Vocabulary, gene: str, alteration: str) -> tuple[Perturbing | None, str]:
    """The vocabulary mutation that ``gene`` ``alteration`` is, or None and why not."""
    entries = [m for m in vocab.mutations.values() if m.gene and m.gene.upper() == gene.upper() and m.kind]
    if not entries:
        known = sorted({m.gene for m in vocab.mutations.values() if m.gene and m.kind})
        return None, f"the model has no mutation of {gene} (genes it knows: {', '.join(known)})"
    if _is_loss(alteration):
        losses = [m for m in entries if m.kind == "loss"]
        if losses:
            return losses[0], ""
        return None, f"the model has no loss of {gene} (only {', '.join(m.name for m in entries)})"
    for m in entries:
        if m.kind in ("gain", "lineage") and _gain_matches(m, alteration):
            return m, ""
    listed = "; ".join(f"{m.name}: {', '.join(m.alterations)}" for m in entries if m.alterations)
    why = f"no mutation of {gene} in the model lists this alteration" + (f" ({listed})" if listed else "")
    if any(m.kind == "loss" for m in entries):
        why += (
            f"; a loss of {gene} is read from deletion, nonsense, frameshift or splice: write 'loss' if it inactivates"
        )
    return None, why


def _lineage(vocab: Vocabulary, text: str) -> Perturbing | None:
    for m in vocab.mutations.values():
        if m.kind == "lineage" and _norm(text) in {_norm(x) for x in m.lineages}:
            return m
    return None


def _read_row(vocab: Vocabulary, s: Sample, row: dict[str, str], where: str, alleles: dict) -> None:
    """One alteration of sample ``s``: read into ``alleles`` (mutation -> zygosity per row), or
    listed as unread."""
    lineage = row.get("lineage", "")
    if lineage and s.lineage and _norm(lineage) != _norm(s.lineage):
        raise MtorsimError(f"{where}: sample {s.name} has lineage '{s.lineage}' above and '{lineage}' here")
    s.lineage = s.lineage or lineage
    if not row["gene"]:
        return
    if not row["alteration"]:
        raise MtorsimError(f"{where}: column 'alteration' is empty for {row['gene']} (e.g. H1047R, deletion)")
    what = f"{row['gene']} {row['alteration']}"
    entry, why = read_alteration(vocab, row["gene"], row["alteration"])
    if entry is None:
        s.unread.append(f"{what}: {why}")
        return
    zyg = _norm(row.get("zygosity", ""))
    if zyg and zyg not in HETEROZYGOUS + HOMOZYGOUS:
        raise MtorsimError(
            f"{where}: column 'zygosity': '{row['zygosity']}' is not heterozygous or homozygous (or empty)"
        )
    alleles.setdefault(entry.name, []).append("het" if zyg in HETEROZYGOUS else zyg)
    s.read.append(f"{what}{' (' + row['zygosity'] + ')' if zyg else ''} -> {entry.name}")


def _settle(vocab: Vocabulary, s: Sample, alleles: dict[str, list[str]]) -> None:
    """The sample's mutations from its alleles (one altered allele of a loss: ``:het``; two, or
    homozygous, or unstated: the full loss) and its lineage."""
    for mutation, zygs in alleles.items():
        entry = vocab.mutation(mutation)
        if entry.kind == "loss" and zygs == ["het"]:
            s.mutations.append(f"{mutation}:het")
            if entry.heterozygous == 0:
                s.notes.append(f"{mutation}: one altered allele, which the model reads as no effect (two-hit gene)")
            continue
        s.mutations.append(mutation)
        if entry.kind == "loss" and zygs == [""]:
            s.notes.append(f"{mutation}: zygosity not given, taken as biallelic")
    if s.lineage:
        lineage = _lineage(vocab, s.lineage)
        if lineage is None:
            s.notes.append(f"lineage '{s.lineage}' is not modelled: the cells are of one generic type")
        elif lineage.name not in s.mutations:
            s.mutations.append(lineage.name)
            s.read.append(f"lineage {s.lineage} -> {lineage.name}")


def read_cohort(path: str | os.PathLike, vocab: Vocabulary) -> list[Sample]:
    """The samples of a genotype table, in the order they first appear."""
    samples: dict[str, Sample] = {}
    alleles: dict[str, dict[str, list[str]]] = {}
    for number, row in read_table(path, REQUIRED, "cohort"):
        where = f"{path}:{number}"
        if not row["sample"]:
            raise MtorsimError(f"{where}: column 'sample' is empty")
        s = samples.setdefault(row["sample"], Sample(row["sample"]))
        _read_row(vocab, s, row, where, alleles.setdefault(s.name, {}))
    for s in samples.values():
        _settle(vocab, s, alleles.get(s.name, {}))
    return list(samples.values())
