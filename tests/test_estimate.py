"""The graded estimate of scenario readouts (``mtorsim.scenarios.estimate``) against the master equation:
a random start, an untreated burn-in, then a partial-efficacy drug, readouts averaged over the
second half of the treatment. A drug engaged at E holds its target fully in a share E of the cells
and not at all in the rest: the exact answer is the mix of the two master equations."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import DATA
from exact_ctmc import expm, generator

from mtorsim.model.vocabulary import load_vocabulary
from mtorsim.network import Network
from mtorsim.scenarios.estimate import EstimateSettings
from mtorsim.scenarios.scenario import run_scenario

MODEL = DATA / "estimate" / "tiny.rules"
E = 0.6  # the inhibitor's efficacy in tiny.toml
B, T = 2.0, 4.0  # burn-in, treatment


def load():
    net = Network.load(MODEL)
    return net, load_vocabulary(DATA / "estimate" / "tiny.toml", net)


# states over (DRUG, K, X, Y) as bits 0..3; A is held at 1
def rule(i, s, drug_held):
    drug, k, x, y = s
    return [0, int(not drug), k, int(x and not drug)][i]


def rates(drug_held):
    def rate(i, s):
        target = 1 if i == 0 and drug_held else rule(i, s, drug_held)  # the drug holds DRUG at 1
        return 1.0 if target != s[i] else 0.0

    return rate


def exact(treated: bool) -> dict[str, float]:
    p = np.full(16, 1 / 16)
    p = p @ expm(generator(4, rates(False)) * B)
    if treated:  # the hold sets DRUG at once
        q = np.zeros(16)
        for x in range(16):
            q[x | 1] += p[x]
        p = q
    qm = generator(4, rates(treated))
    p = p @ expm(qm * (T / 2))
    step = expm(qm * (T / 2 / 400))
    acc = np.zeros(16)
    w = np.ones(401)
    w[1:-1:2], w[2:-1:2] = 4, 2
    for k in range(401):
        acc += w[k] * p
        p = p @ step
    avg = acc / (3 * 400)
    bits = [[(x >> i) & 1 for i in range(4)] for x in range(16)]
    level = sum(avg[x] * (1.0 if b[3] else 0.5 if b[2] else 0.0) for x, b in enumerate(bits))
    both = sum(avg[x] for x, b in enumerate(bits) if b[1] and b[2])
    return {"level": level, "both": both, "score": 0.5 * level + 0.5 * both}


@pytest.mark.parametrize("treated", [False, True])
def test_estimate_matches_master_equation(treated):
    net, vocab = load()
    est = EstimateSettings(runs=20000, seed=3, burn_in=B, treatment=T)
    res = run_scenario(net, vocab, drugs=["inhibitor"] if treated else [], estimate=est)
    full, none = exact(True), exact(False)
    want = {k: E * full[k] + (1 - E) * none[k] for k in full} if treated else none
    for name in ("level", "both", "score"):
        got = res.readouts[name]
        assert abs(got["mean"] - want[name]) <= 4.5 * got["se"] + 1e-3, (name, got, want[name])
    assert res.settings["efficacy"] == ({"inhibitor": E} if treated else {})


def test_partial_efficacy_is_graded_and_attractors_are_not():
    net, vocab = load()
    res = run_scenario(net, vocab, drugs=["inhibitor"], estimate=EstimateSettings(runs=4000, burn_in=B, treatment=T))
    assert res.readouts["level"]["min"] == res.readouts["level"]["max"] == 0.0  # inhibition complete
    assert 0.1 < res.readouts["level"]["mean"] < 0.9  # the rate leaves part of the activity


def test_dose_sets_efficacy_by_hand():
    net, vocab = load()
    from mtorsim.treatment.pharmacology import efficacy

    drug = vocab.drug("inhibitor")  # ic50 1, Hill 1: 3 / (1 + 3)
    assert efficacy(drug, drug.perturbations[0], 3.0) == pytest.approx(0.75)
    assert efficacy(drug, drug.perturbations[0], 0.0) == 0.0
    res = run_scenario(net, vocab, drugs=["inhibitor"], doses={"inhibitor": 3.0}, estimate=None)
    assert res.settings["efficacy"] == {"inhibitor": 0.75}


def test_same_random_numbers_for_control_and_treated():
    """A drug no readout depends on changes nothing: the burn-in and the draws are shared."""
    net, vocab = load()
    est = EstimateSettings(runs=500, seed=9, burn_in=B, treatment=T)
    a = run_scenario(net, vocab, estimate=est)
    b = run_scenario(net, vocab, drugs=["bystander"], estimate=est)
    assert all(a.readouts[k]["mean"] == b.readouts[k]["mean"] for k in a.readouts)


def test_scenario_cli_is_reproducible(run_cli):
    args = (
        "scenario",
        MODEL,
        "--vocabulary",
        DATA / "estimate" / "tiny.toml",
        "--drug",
        "inhibitor",
        "--format",
        "json",
        "--runs",
        "300",
        "--burn-in",
        "2",
        "--treatment-time",
        "4",
    )
    a, b = (json.loads(run_cli(*args).stdout) for _ in range(2))
    assert a["readouts"] == b["readouts"] and a["scenario"]["estimate"]["window"] == [4.0, 6.0]
    bad = run_cli(*args[:-4], "--burn-in", "3", "--treatment-time", "4")
    assert bad.exit_code == 2 and "multiple of half the treatment time" in bad.stderr


def test_a_regime_is_simulated_once_per_process_and_only_for_the_same_question(monkeypatch):
    """The estimate remembers a regime by content: a second scenario sharing the untreated regime
    does not simulate it again, gets the same numbers as a fresh computation, and a change of
    seed, runs or holds is simulated anew."""
    import mtorsim
    from mtorsim.scenarios import estimate as est

    model = mtorsim.load_model("mtor")
    calls = []
    real = est._estimate
    monkeypatch.setattr(est, "_estimate", lambda *a: calls.append(a) or real(*a))
    monkeypatch.setattr(est, "_MEMO", {})
    mtorsim.run_scenario(model, mutations=["TSC2_loss"], drugs=["everolimus"], runs=100)
    n_first = len(calls)
    assert n_first >= 2  # the engaged regimes (everolimus: mTORC1, with or without mTORC2) and the untreated one
    again = mtorsim.run_scenario(model, mutations=["TSC2_loss"], drugs=["trametinib"], runs=100)
    assert len(calls) == n_first + 1  # trametinib engaged; the untreated regime was remembered
    monkeypatch.setattr(est, "_MEMO", {})
    fresh = mtorsim.run_scenario(model, mutations=["TSC2_loss"], drugs=["trametinib"], runs=100)
    assert fresh.readouts == again.readouts
    before = len(calls)
    mtorsim.run_scenario(model, mutations=["TSC2_loss"], drugs=["everolimus"], runs=100, seed=1)
    mtorsim.run_scenario(model, mutations=["TSC2_loss"], drugs=["everolimus"], runs=101)
    mtorsim.run_scenario(model, mutations=["PTEN_loss"], drugs=["everolimus"], runs=100)
    assert len(calls) == before + 3 * n_first  # a new seed, run count or genotype: every regime anew
