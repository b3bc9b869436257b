"""The normal contexts of the therapeutic window: insulin-responsive tissue (mtor-insulin) and
the T cell (mtor-tcell). Their checks hold (each with its published source), every rule is
commented with a reference, and their drugs are the tumour model's: same names, same targets
where the context has the node, same potencies."""

from __future__ import annotations

import pytest

import mtorsim

CONTEXTS = ["mtor-insulin", "mtor-tcell"]


@pytest.mark.parametrize("name", CONTEXTS)
def test_context_checks_hold(name):
    report = mtorsim.check_scenarios(name, runs=300)
    failed = [(r["scenario"], r["readout"]) for r in report.results if not r["pass"]]
    assert not failed and report.passed >= 25


@pytest.mark.parametrize("name", CONTEXTS)
def test_every_rule_is_commented_with_a_reference(name):
    model = mtorsim.load_model(name)
    for line in model.path.read_text(encoding="utf-8").splitlines():
        if "*" in line.partition("#")[0] and "=" in line.partition("#")[0]:
            comment = line.partition("#")[2]
            assert any(ch.isdigit() for ch in comment), f"{name}: no reference in: {line}"


@pytest.mark.parametrize("name", CONTEXTS)
def test_drugs_are_the_tumour_models(name):
    tumour = mtorsim.load_model("mtor").vocabulary
    context = mtorsim.load_model(name)
    nodes = set(context.network.nodes)
    for drug in tumour.drugs.values():
        here = context.vocabulary.drug(drug.name)
        if drug.name == "idelalisib":  # the T cell has p110delta, the tumour does not
            continue
        want = {(p.node, p.value, p.ic50) for p in drug.perturbations if p.node in nodes}
        got = {(p.node, p.value, p.ic50) for p in here.perturbations}
        assert got == want, drug.name
        assert (not got) == ("no_target" in here.info)


def test_absent_targets_are_nil_and_missing_ones_unknown():
    """A T cell lacks p110alpha/beta by biology: alpelisib has no target there, with the reason;
    Rheb is in every cell but not in these models: NR1 is not modelled there, not harmless."""
    tcell = mtorsim.load_model("mtor-tcell").vocabulary
    alpelisib, nr1 = tcell.drug("alpelisib"), tcell.drug("NR1")
    assert "p110delta carries TCR" in alpelisib.info["no_target"] and "not_modelled" not in alpelisib.info
    assert nr1.info["not_modelled"] == "targets not in this model: RHEB, RHEB_high"
