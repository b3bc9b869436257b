"""Population dose-response: the per-run kernel output against the plain-Python Gillespie run by
run, the population's growth against the Feynman-Kac formula solved exactly (a matrix
exponential of the generator plus the growth rates), the measures by hand, and the command."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import toy_model
from exact_ctmc import expm, generator
from naive import NaiveModel
from naive_ct import default_rate, run

from mtorsim.response.assay import Assay
from mtorsim.response.growth import grow, potency_strata
from mtorsim.response.metrics import area, crossing, gr_value, measure
from mtorsim.simulation.continuous import simulate_continuous
from mtorsim.simulation.initial import InitialSpec
from mtorsim.treatment.resolve import resolve
from mtorsim.treatment.treatment import Treatment
from mtorsim.util.seeds import run_seeds

RULES = """
X* = 0
P* = not X
S* = 1
"""
VOCAB = """
[drugs.inh]
ic50 = 1
unit = "x IC50"
perturbations = [{ node = "X", value = 1 }]
[readouts.Proliferation]
node = "P"
[readouts.Survival]
node = "S"
"""


@pytest.fixture
def toy(tmp_path):
    return toy_model(tmp_path, RULES, VOCAB)


def test_per_run_fractions_equal_the_reference_run_by_run(toy):
    net, _ = toy
    model = NaiveModel.build(list(net.nodes), list(net.rules), default=0.5, fixed={"X": 1})
    rate = default_rate(model, holds={0: (1, 0.4)})
    res = simulate_continuous(
        net,
        max_time=6,
        time_tick=0.5,
        runs=7,
        seed=5,
        init=InitialSpec(default=0.5),
        fixed={"X": 1},
        efficacy={"X": 0.4},
        threads=1,
        track_states=False,
        per_run=["P", "X"],
    )
    for r, s in enumerate(run_seeds(5, 0, 7)):
        frac, _, _ = run(model, rate, int(s), 6.0, 0.5)
        np.testing.assert_allclose(res.per_run["P"][r], [w[1] for w in frac], atol=1e-9)
        np.testing.assert_allclose(res.per_run["X"][r], [w[0] for w in frac], atol=1e-9)


def _feynman_kac(efficacy: float | None, birth: float, burn: float, length: float) -> float:
    """E[exp(birth * integral of P over the assay)], exactly: the distribution at the end of the
    burn-in (uniform start, no drug), X set to 1 when the drug comes, then the generator with
    the growth rate on its diagonal (states: bit 0 X, bit 1 P, bit 2 S)."""

    def untreated(i, s):
        target = [0, 1 - s[0], 1][i]
        return 1.0 if s[i] != target else 0.0

    def treated(i, s):
        r = untreated(i, s)
        if i == 0 and efficacy is not None:  # held at 1 with efficacy e: (1 - e) of its rate, pushed at e
            r = (1 - efficacy) * r + (efficacy if s[0] != 1 else 0.0)
        return r

    p = np.full(8, 1 / 8) @ expm(generator(3, untreated) * burn)
    q = np.zeros(8)
    for x in range(8):
        q[x | 1 if efficacy is not None else x] += p[x]  # the hold sets X to 1 when it starts
    growth = np.diag([birth * ((x >> 1) & 1) for x in range(8)])
    return float(q @ expm((generator(3, treated) + growth) * length) @ np.ones(8))


@pytest.mark.parametrize("dose", [0.25, 1.0, 4.0])
def test_population_growth_is_the_feynman_kac_expectation(toy, dose):
    net, vocab = toy
    assay = Assay(doubling_time=10.0, assay_time=12.0, burn_in=4.0, division_spread=0.0, runs=20000, seed=3)
    r = resolve(net, vocab, Treatment.of(drugs=["inh"], doses={"inh": dose}))
    g = grow(r.net, vocab, r.baseline, r.drug_holds(), assay)
    weights = np.exp(g.log_growth)
    want = _feynman_kac(dose / (1 + dose), math.log(2) / 10.0, 4.0, 12.0)
    se = weights.std() / math.sqrt(len(weights))
    assert abs(weights.mean() - want) < 4 * se, (weights.mean(), want, se)
    untreated = grow(net, vocab, {}, [], assay)
    assert np.exp(untreated.log_growth).mean() == pytest.approx(
        _feynman_kac(None, math.log(2) / 10.0, 4.0, 12.0), rel=4 * se / want
    )


@pytest.mark.parametrize("dose", [0.3, 3.0])
def test_a_dose_is_a_mixture_of_engaged_and_free_cells(toy, dose):
    """In the assay a dose engages the target fully in a share of the cells (the occupancy, over
    the potency strata) and not at all in the rest: viability is the exact Feynman-Kac mixture."""
    from mtorsim.response.curves import Background, dose_response

    net, vocab = toy
    assay = Assay(
        doubling_time=10.0, assay_time=12.0, burn_in=4.0, division_spread=0.0, runs=20000, seed=3, bootstrap=0
    )
    res = dose_response(net, vocab, [Background("wildtype")], [["inh"]], assay, doses=[dose, 10 * dose])
    birth = math.log(2) / 10.0
    free, engaged = _feynman_kac(None, birth, 4.0, 12.0), _feynman_kac(1.0, birth, 4.0, 12.0)
    share = np.mean([(dose / m) / (1 + dose / m) for m in potency_strata(assay)])
    want = (share * engaged + (1 - share) * free) / free
    (curve,) = res.curves
    assert curve.measures["viability"][0] == pytest.approx(want, abs=0.02)


def test_regimes_by_hand():
    """A dual inhibitor engaging its targets 0.9 and 0.3: 10% of cells free, 60% with the first
    target only, 30% with both; a second drug (0.5) draws independently."""
    from mtorsim.treatment.records import Hold, Source
    from mtorsim.treatment.regimes import regimes

    a, b = Source("drug", "dual"), Source("drug", "other")
    dual = [Hold("B", 0, efficacy=0.3, source=a), Hold("A", 0, efficacy=0.9, source=a)]
    got = {r.key: r.weight for r in regimes(dual)}
    assert got == pytest.approx({(): 0.1, (("A", 0),): 0.6, (("A", 0), ("B", 0)): 0.3})
    both = {r.key: r.weight for r in regimes([*dual, Hold("C", 1, efficacy=0.5, source=b)])}
    assert len(both) == 6 and sum(both.values()) == pytest.approx(1.0)
    assert both[(("A", 0), ("C", 1))] == pytest.approx(0.6 * 0.5)
    assert all(h.efficacy == 1.0 for r in regimes(dual) for h in r.holds)
    assert {r.key: r.weight for r in regimes([Hold("A", 0, efficacy=1.0, source=a)])} == {(("A", 0),): 1.0}


def test_measures_by_hand():
    assert gr_value(4.0, 4.0) == pytest.approx(1.0)
    assert gr_value(1.0, 4.0) == pytest.approx(0.0)  # cytostatic
    assert gr_value(0.5, 4.0) == pytest.approx(2 ** (-0.5) - 1)
    assert gr_value(2.0, 1.0) is None  # the control does not grow
    # falls below 0.5 between 10 (0.6) and 100 (0.4): log-midpoint
    assert crossing([1, 10, 100], [0.9, 0.6, 0.4], 0.5) == (pytest.approx(10**1.5), None)
    assert crossing([1, 10], [0.9, 0.8], 0.5) == (None, ">")
    assert crossing([1, 10], [0.4, 0.3], 0.5) == (None, "<")
    assert area([1, 10, 100], [1.0, 0.5, 0.0]) == pytest.approx(0.5)
    assert area([1, 100], [1.0, 1.0]) == pytest.approx(1.0)


def test_measures_and_intervals_from_cells():
    control = np.log(np.full(50, 4.0))
    treated = [[np.log(np.full(50, 4.0))], [np.log(np.full(50, 1.0))], [np.log(np.full(50, 0.25))]]
    point, ci = measure([1.0, 10.0, 100.0], treated, control, 20, 0)
    assert point.viability == pytest.approx([1.0, 0.25, 1 / 16])
    assert point.gr == pytest.approx([1.0, 0.0, -0.5])
    assert point.emax == pytest.approx(1 / 16) and point.grmax == pytest.approx(-0.5)
    assert ci["viability"][1] == pytest.approx([0.25, 0.25])  # identical cells: no spread


def test_potency_strata_are_lognormal_medians():
    s = potency_strata(Assay(potency_spread=0.5, strata=4))
    assert len(s) == 4 and np.prod(s) == pytest.approx(1.0)  # symmetric around 1 in log
    assert s[0] < s[1] < 1 < s[2] < s[3]
    assert list(potency_strata(Assay(potency_spread=0.0))) == [1.0]


def test_response_command_json(run_cli, tmp_path):
    out = run_cli(
        "response",
        "mtor",
        "--mutation",
        "TSC2_loss",
        "--drug",
        "everolimus",
        "--runs",
        "60",
        "--bootstrap",
        "10",
        "--strata",
        "2",
        "--format",
        "json",
    )
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    (curve,) = data["curves"]
    assert curve["background"] == "TSC2_loss" and curve["drugs"] == ["everolimus"]
    for key in ("doses", "viability", "gr", "ic50", "gr50", "emax", "auc", "viability_ci", "auc_ci"):
        assert key in curve
    assert len(curve["viability"]) == len(curve["doses"]) and curve["viability"][0] > curve["viability"][-1]
    assert data["settings"]["assay"]["runs"] == 60


def test_response_errors(run_cli):
    bad = run_cli("response", "mtor", "--drug", "everolimus", "--doses", "10,1")
    assert bad.exit_code == 2 and "increasing order" in bad.stderr
    bad = run_cli("response", "mtor", "--drug", "nodrug")
    assert bad.exit_code == 2 and "unknown drug 'nodrug'" in bad.stderr


def test_a_viability_screen_cell_is_the_exact_mixture(toy):
    """screen --measure viability: each drug at its reference dose (here its IC50, the drug has
    no clinical exposure); the cell's viability is the Feynman-Kac mixture of engaged and free
    cells, and the untreated cell is 1."""
    from mtorsim.screening.plan import plan
    from mtorsim.screening.screen import run_viability_screen

    net, vocab = toy
    assay = Assay(doubling_time=10.0, assay_time=12.0, burn_in=4.0, division_spread=0.0, runs=20000, seed=3)
    res = run_viability_screen(net, vocab, plan(vocab, ["inh"], ["wildtype"], 1), assay)
    birth = math.log(2) / 10.0
    free, engaged = _feynman_kac(None, birth, 4.0, 12.0), _feynman_kac(1.0, birth, 4.0, 12.0)
    share = np.mean([(1 / m) / (1 + 1 / m) for m in potency_strata(assay)])
    want = (share * engaged + (1 - share) * free) / free
    assert res.mean("wildtype", ()) == 1.0
    assert res.mean("wildtype", ("inh",)) == pytest.approx(want, abs=0.02)
    (rank1, rank2) = res.ranking("wildtype")
    assert rank1["treatment"] == ["inh"] and rank2["treatment"] == []


def test_viability_screen_command(run_cli):
    args = ("screen", "mtor", "--measure", "viability", "--drug", "everolimus", "--background", "TSC2_loss")
    out = run_cli(*args, "--max-combo", "1", "--runs", "50", "--format", "json")
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["readout"] == "Viability" and data["settings"]["measure"] == "viability"
    assert [r["treatment"] for r in data["ranking"]["TSC2_loss"]] == [["everolimus"], []]
    bad = run_cli(*args, "--jobs", "2")
    assert bad.exit_code == 2 and "runs in this process" in bad.stderr


def test_a_check_row_on_viability_reads_the_assay(toy, tmp_path):
    """A scenario row on `Viability` is the viability assay of the scenario's treatment: here
    the exact Feynman-Kac mixture at the drug's reference dose (its IC50), within 0.03."""
    from mtorsim.api import check_scenarios
    from mtorsim.model.load import Model

    net, vocab = toy
    birth = math.log(2) / 30.0  # the default assay: doubling 30 h, burn-in 24 h, 72 h of drug
    assay = Assay()
    free, engaged = _feynman_kac(None, birth, assay.burn_in, 72.0), _feynman_kac(1.0, birth, assay.burn_in, 72.0)
    share = np.mean([(1 / m) / (1 + 1 / m) for m in potency_strata(assay)])
    want = (share * engaged + (1 - share) * free) / free
    path = tmp_path / "v.toml"
    path.write_text(
        f'[scenarios.v]\ndrugs = ["inh"]\nexpect = {{ Viability = {{ mean = {want:.4f}, tolerance = 0.03 }} }}\n'
        'control = { drugs = [] }\nchange = { Viability = "lower" }\n'
    )
    report = check_scenarios(Model(net, vocab, "toy", tmp_path / "toy.rules"), path=path, runs=4000, estimate=False)
    assert [r["pass"] for r in report.results] == [True, True], report.results


def test_a_grid_gives_the_numbers_of_its_curves_run_one_by_one():
    """Genotypes x drugs x doses computed together (sharing compiled rules and engagement
    regimes) give each curve exactly as when it is computed alone."""
    import mtorsim

    model = mtorsim.load_model("mtor")
    doses = [0.1, 1.0, 10.0]
    grid = mtorsim.dose_response(
        model,
        backgrounds=["wildtype", "TSC2_loss"],
        drugs=["everolimus", "alpelisib"],
        doses=doses,
        runs=120,
        bootstrap=20,
    )
    assert len(grid.curves) == 4
    for c in grid.curves:
        alone = mtorsim.dose_response(
            model, backgrounds=[c.background], drugs=[c.drugs], doses=doses, runs=120, bootstrap=20
        )
        (one,) = alone.curves
        assert one.to_dict() == c.to_dict(), (c.background, c.drugs)
