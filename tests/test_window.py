"""The therapeutic window: normal contexts share the tumour's drugs (drugs_from) and take the same
doses; a context readout at a dose is the share of its cells with the target engaged (Hill
occupancy over the potency strata), derived here by hand; the window and selectivity follow
from the thresholds; the command's JSON contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

import mtorsim
from mtorsim.response.assay import Assay
from mtorsim.response.growth import potency_strata
from mtorsim.response.metrics import crossing

TUMOUR = "X* = 0\nP* = not X\nS* = 1\n"
CONTEXT = "X* = 0\nR* = X\nQ* = 1\n"
VOCAB = """
[drugs.inh]
unit = "nM"
perturbations = [{ node = "X", value = 1, ic50 = 10 }]
[drugs.other]
unit = "nM"
perturbations = [{ node = "Z", value = 0, ic50 = 1 }]
[drugs.tumour_only]
unit = "nM"
perturbations = [{ node = "P", value = 0, ic50 = 1 }]
[readouts.Proliferation]
node = "P"
[readouts.Survival]
node = "S"
[model.contexts.normal]
model = "context.rules"
readouts = ["R", "Q"]
[model.assay]
doubling_time = 10.0
"""
CONTEXT_VOCAB = 'drugs_from = "tumour.toml"\n[readouts.R]\nnode = "R"\n[readouts.Q]\nnode = "Q"\n'


@pytest.fixture
def toy(tmp_path):
    (tmp_path / "tumour.rules").write_text(TUMOUR + "Z* = 1\n")
    (tmp_path / "tumour.toml").write_text(VOCAB)
    (tmp_path / "context.rules").write_text(CONTEXT + "Z* = 1\n")
    (tmp_path / "context.toml").write_text(CONTEXT_VOCAB)
    return tmp_path


def test_context_readouts_are_the_engaged_share_and_the_window_follows(toy):
    doses = [1.0, 3.0, 10.0, 30.0, 100.0]
    res = mtorsim.window(toy / "tumour.rules", drugs=["inh"], doses=doses, tolerance=0.3, runs=400, strata=8)
    (r, q) = res.contexts["normal"]
    strata = potency_strata(Assay(strata=8))
    share = [float(np.mean([(x / m) / (x / m + 10) for m in strata])) for x in doses]
    assert r.untreated == 0.0 and r.values == pytest.approx(share, abs=0.01)
    assert q.values == [1.0] * 5 and q.threshold is None  # an untouched readout never limits
    want, _ = crossing(doses, [-v for v in share], -0.3)
    assert r.threshold == pytest.approx(want, rel=0.05)
    assert res.toxicity_dose == r.threshold and res.limiting == "normal:R"
    eff = res.efficacy_dose
    assert eff is not None and res.selectivity == pytest.approx(res.toxicity_dose / eff, rel=1e-6)
    assert (res.window is not None) == (eff < res.toxicity_dose)


def test_a_drug_without_a_target_in_the_context_leaves_it_alone(toy):
    """'other' holds Z, which the context has, and the tumour's P does not read: the tumour does
    not respond (no window) and the context's readouts stay put."""
    res = mtorsim.window(toy / "tumour.rules", drugs=["other"], doses=[0.1, 1, 10], runs=100, strata=1)
    assert res.efficacy_dose is None and res.window is None
    assert all(c.threshold is None for c in res.contexts["normal"])


def test_a_target_missing_from_a_context_model_is_not_assessed(toy):
    """'tumour_only' holds P, which the context's model lacks and does not declare absent: its
    harm there is unknown, so no window is claimed."""
    res = mtorsim.window(toy / "tumour.rules", drugs=["tumour_only"], doses=[0.1, 1, 10], runs=100, strata=1)
    assert not res.assessed and all(c.not_assessed for c in res.contexts["normal"])
    assert res.efficacy_dose is not None and res.selectivity is None and res.selectivity_at_least is None


def test_window_command_json_contract(run_cli):
    out = run_cli(
        "window", "mtor", "--mutation", "ERBB2_amplification", "--drug", "seribantumab", "--runs", "100",
        "--format", "json",
    )  # fmt: skip
    assert out.exit_code == 0, out.stderr
    d = json.loads(out.stdout)
    for key in ("tumour", "contexts", "window", "selectivity", "doses", "efficacy_dose", "toxicity_dose"):
        assert key in d
    assert set(d["contexts"]) == {"insulin_tissue", "t_cell"}
    for curves in d["contexts"].values():
        for c in curves:
            assert {"readout", "doses", "values", "untreated"} <= set(c) and len(c["values"]) == len(d["doses"])
    # HER3 is in neither normal context: nothing there moves, the window is open above
    assert d["toxicity_dose"] is None and d["window"] is not None and d["window"][1] is None
    bad = run_cli("window", "mtor", "--drug", "everolimus", "--context", "liver")
    assert bad.exit_code == 2 and "no context 'liver'" in bad.stderr
