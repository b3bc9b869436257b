"""Cohorts: a genotype table read through the vocabulary's genes into backgrounds; zygosity and
lineage; what the model cannot express is listed, never dropped."""

from __future__ import annotations

import json

import pytest

import mtorsim
from mtorsim.errors import MtorsimError
from mtorsim.model.cohort import read_alteration, read_cohort

TABLE = """# sample	gene	alteration	zygosity	lineage
sample	gene	alteration	zygosity	lineage
S1	PIK3CA	E545K	heterozygous	breast ER+
S1	ESR1	expressed		breast ER+
S2	KRAS	p.G12D
S2	TSC2	Q1503*	heterozygous
S2	PTEN	R130*	heterozygous
S2	PTEN	K267fs	heterozygous
S3	PTEN	deletion
S3	BRAF	G464V
S3	EGFR	T790M
S3	MYC	amplification		lung adenocarcinoma
S4
"""


@pytest.fixture(scope="module")
def vocab():
    return mtorsim.load_model("mtor").vocabulary


def test_alterations_are_read_through_the_genes(vocab):
    for gene, alteration, name in [
        ("PIK3CA", "H1047R", "PIK3CA_activating"),
        ("pik3ca", "p.E545K", "PIK3CA_activating"),
        ("KRAS", "G12C", "KRAS_activating"),
        ("BRAF", "V600E", "BRAF_V600E"),
        ("EGFR", "exon 19 deletion", "EGFR_activating"),
        ("MTOR", "S2215Y", "MTOR_activating"),
        ("MTOR", "F2108L", "MTOR_FRB_resistance"),
        ("MTOR", "M2327I", "MTOR_kinase_resistance"),
        ("ERBB2", "amplification", "ERBB2_amplification"),
        ("TSC1", "frameshift", "TSC1_loss"),
        ("STK11", "Q37*", "STK11_loss"),
        ("NF1", "deletion", "NF1_loss"),
    ]:
        entry, why = read_alteration(vocab, gene, alteration)
        assert entry is not None and entry.name == name, (gene, alteration, why)
    for gene, alteration, reason in [
        ("BRAF", "G464V", "no mutation of BRAF in the model lists this alteration (BRAF_V600E: V600)"),
        ("MYC", "amplification", "the model has no mutation of MYC"),
        ("PIK3CA", "deletion", "the model has no loss of PIK3CA"),
        ("PIK3CA", "H1047*", "the model has no loss of PIK3CA"),
    ]:
        entry, why = read_alteration(vocab, gene, alteration)
        assert entry is None and reason in why


def test_a_table_becomes_samples_with_zygosity_and_lineage(vocab, tmp_path):
    path = tmp_path / "cohort.tsv"
    path.write_text(TABLE)
    s1, s2, s3, s4 = read_cohort(path, vocab)
    assert (s1.name, s1.mutations, s1.unread) == ("S1", ["PIK3CA_activating", "ER_positive"], [])
    # one TSC2 allele: :het (no effect, said so); two PTEN alleles: the full loss
    assert s2.mutations == ["KRAS_activating", "TSC2_loss:het", "PTEN_loss"]
    assert any("two-hit" in n for n in s2.notes)
    assert s3.mutations == ["PTEN_loss"] and "PTEN_loss: zygosity not given, taken as biallelic" in s3.notes
    assert [u.split(":")[0] for u in s3.unread] == ["BRAF G464V", "EGFR T790M", "MYC amplification"]
    assert "lineage 'lung adenocarcinoma' is not modelled: the cells are of one generic type" in s3.notes
    assert (s4.mutations, s4.read, s4.unread) == ([], [], [])


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("sample\tgene\nS1\tPTEN\n", "the header lacks alteration"),
        ("sample\tgene\talteration\tzygosity\nS1\tPTEN\tdeletion\tsometimes\n", "column 'zygosity': 'sometimes'"),
        ("sample\tgene\talteration\nS1\tPTEN\t\n", "column 'alteration' is empty for PTEN"),
        (
            "sample\tgene\talteration\tlineage\nS1\tPTEN\tdeletion\tbreast ER+\nS1\tKRAS\tG12D\tlung\n",
            "has lineage 'breast ER+' above and 'lung' here",
        ),
    ],
)
def test_bad_tables_name_the_line(vocab, tmp_path, text, fragment):
    path = tmp_path / "c.tsv"
    path.write_text(text)
    with pytest.raises(MtorsimError) as e:
        read_cohort(path, vocab)
    assert fragment in str(e.value) and "c.tsv" in str(e.value)


def test_response_takes_a_cohort(run_cli, tmp_path):
    path = tmp_path / "cohort.tsv"
    path.write_text(TABLE)
    out = run_cli(
        "response", "mtor", "--cohort", path, "--drug", "everolimus", "--runs", "30", "--bootstrap", "0",
        "--strata", "1", "--format", "json",
    )  # fmt: skip
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert [c["background"] for c in data["curves"]] == ["S1", "S2", "S3", "S4"]
    assert data["curves"][1]["mutations"] == ["KRAS_activating", "TSC2_loss:het", "PTEN_loss"]
    assert [s["sample"] for s in data["settings"]["cohort"]] == ["S1", "S2", "S3", "S4"]
    assert "not modelled: BRAF G464V" in out.stderr and "cohort: S1 = PIK3CA_activating+ER_positive" in out.stderr
    both = run_cli("response", "mtor", "--cohort", path, "--background", "wildtype", "--drug", "everolimus")
    assert both.exit_code == 2 and "either --cohort (a genotype table) or --background" in both.stderr


def test_screen_takes_a_cohort(run_cli, tmp_path):
    path = tmp_path / "cohort.tsv"
    path.write_text("sample\tgene\talteration\nP1\tPTEN\tdeletion\nK1\tKRAS\tG12V\n")
    out = run_cli(
        "screen", "mtor", "--cohort", path, "--drug", "everolimus", "--max-combo", "1", "--runs", "20",
        "--format", "json",
    )  # fmt: skip
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert sorted(data["backgrounds"]) == ["K1", "P1"] and data["settings"]["cohort"][0]["sample"] == "P1"
    assert "cohort: P1 = PTEN_loss" in out.stderr and "taken as biallelic" in out.stderr
