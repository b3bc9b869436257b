"""Validation as a feature: the facts table is read with errors that name the line and the
column, each fact is posed as a viability comparison, and the score is counted by hand on a
toy model whose answers follow from its rules."""

from __future__ import annotations

import json

import pytest
from conftest import toy_model

from mtorsim.errors import MtorsimError
from mtorsim.response.assay import Assay
from mtorsim.validation.facts import read_facts
from mtorsim.validation.score import predict, validate

# P (proliferation) needs the drug-bound node D off, unless the bypass M is on
RULES = """
SERUM* = SERUM
D* = 0
M* = 0
P* = not D or M
S* = 1
"""
VOCAB = """
[environment.serum]
nodes = ["SERUM"]
default = 1
[mutations.M_gain]
perturbations = [{ node = "M", value = 1 }]
[drugs.inh]
ic50 = 10
perturbations = [{ node = "D", value = 1 }]
[readouts.Proliferation]
node = "P"
[readouts.Survival]
node = "S"
"""
HEADER = "id\tdrug\tgenotype\tcomparator\tenv\texpected\tevidence\treference\tstatus\n"


@pytest.fixture
def toy(tmp_path):
    return toy_model(tmp_path, RULES, VOCAB)


def table(tmp_path, *rows: str) -> str:
    path = tmp_path / "facts.tsv"
    path.write_text("# a comment\n" + HEADER + "".join(r + "\n" for r in rows))
    return str(path)


def test_predictions_by_hand():
    assert predict(-0.2) == "sensitive" and predict(0.2) == "resistant" and predict(0.01) == "same"
    assert predict(-0.05) == "sensitive" and predict(-0.049) == "same"


def test_the_bypass_is_resistant_and_the_score_counts_it(toy, tmp_path):
    """M_gain keeps P on under the drug, so its viability AUC is exactly 1 and the wild type's
    is below: 'resistant' matches, 'sensitive' does not; half the facts match, and always saying
    the commonest answer ('resistant', 2 of 3) would match 2."""
    net, vocab = toy
    path = table(
        tmp_path,
        "F1\tinh\tM_gain\twildtype\t\tresistant\tcell lines\tref 1\tconfirmed",
        "F2\tinh\tM_gain\twildtype\t\tsensitive\tpatients\tref 2\trecalled",
        "F3\tinh\twildtype\tM_gain\t\tresistant\tcell lines\tref 3\tconfirmed",
    )
    facts = read_facts(path, vocab)
    assert [f.in_cells for f in facts] == [True, False, True]
    res = validate(net, vocab, facts, Assay(runs=200, bootstrap=0, doubling_time=10.0))
    f1, f2, f3 = res.rows
    assert f1["auc_genotype"] == pytest.approx(1.0) and f1["auc_comparator"] < 0.95
    assert (f1["predicted"], f1["match"], f2["match"]) == ("resistant", True, False)
    assert (f3["predicted"], f3["match"]) == ("sensitive", False)
    s = res.scores()
    assert (s["all"]["facts"], s["all"]["matched"]) == (3, 1)
    assert s["all"]["baseline"] == {"always": "resistant", "matched": 2, "fraction": pytest.approx(2 / 3)}
    assert (s["cells and animals"]["facts"], s["patients only"]["matched"]) == (2, 0)
    assert s["confirmed"]["facts"] == 2


@pytest.mark.parametrize(
    "row,fragment",
    [
        ("F1\tinhh\tM_gain\twildtype\t\tresistant\tx\tr\tconfirmed", "facts.tsv:3: column 'drug': unknown drug 'inhh'"),
        ("F1\tinh\tM_gian\twildtype\t\tresistant\tx\tr\tconfirmed", "column 'genotype'"),
        ("F1\tinh\tM_gain\twildtype\tserum=2\tresistant\tx\tr\tconfirmed", "column 'env': write name=0 or name=1"),
        ("F1\tinh\tM_gain\twildtype\t\tresistnt\tx\tr\tconfirmed", "did you mean 'resistant'"),
        ("F1\tinh\tM_gain\twildtype\t\tresistant\tx\tr\tconfirmed\textra\tcells", "tabs only"),
    ],
)
def test_bad_rows_name_the_line_and_column(toy, tmp_path, row, fragment):
    _, vocab = toy
    with pytest.raises(MtorsimError, match=None) as e:
        read_facts(table(tmp_path, row), vocab)
    assert fragment in str(e.value)


def test_a_header_without_a_column_is_refused(toy, tmp_path):
    _, vocab = toy
    path = tmp_path / "f.tsv"
    path.write_text("id\tdrug\tgenotype\n")
    with pytest.raises(MtorsimError, match="the header lacks comparator, env, expected"):
        read_facts(path, vocab)


def test_validate_command_on_the_shipped_table(run_cli):
    out = run_cli("validate", "mtor", "--only", "TSC_01", "--only", "EIF4_02", "--runs", "40", "--format", "json")
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert [r["id"] for r in data["rows"]] == ["TSC_01", "EIF4_02"]
    assert data["scores"]["all"]["facts"] == 2 and data["settings"]["table"].endswith("validation.tsv")
    bad = run_cli("validate", "mtor", "--only", "TSC_99")
    assert bad.exit_code == 2 and "no fact TSC_99" in bad.stderr
