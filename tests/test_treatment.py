"""One treatment, resolved once: precedence, windows, efficacy from dose, and the same holds
seen by every analysis. Expected values are derived by hand on small networks."""

from __future__ import annotations

import pytest
from conftest import toy_model

import mtorsim
from mtorsim.errors import MtorsimError
from mtorsim.kernels import events
from mtorsim.treatment.records import Hold, Source
from mtorsim.treatment.resolve import resolve
from mtorsim.treatment.treatment import Treatment

RULES = """
S* = S
A* = S
B* = A
C* = A and B
"""
VOCAB = """
[environment.signal]
nodes = ["S"]
default = 1
[mutations.A_loss]
heterozygous = 0.4
perturbations = [{ node = "A", value = 0 }]
[mutations.B_loss]
heterozygous = 0
perturbations = [{ node = "B", value = 0 }]
[mutations.A_gain]
perturbations = [{ node = "A", value = 1 }]
[drugs.ainib]
ic50 = 10
perturbations = [{ node = "A", value = 0 }]
[drugs.binib]
ic50 = 2
hill = 2
perturbations = [{ node = "B", value = 0 }, { node = "C", value = 0, ic50 = 20 }]
[drugs.cut]
perturbations = [{ edge = ["A", "C"], value = 0 }]
[readouts.c]
node = "C"
[readouts.b]
node = "B"
"""


@pytest.fixture
def toy(tmp_path):
    return toy_model(tmp_path, RULES, VOCAB)


def holds_of(r):
    return {(h.node, h.value, h.start, h.end, h.efficacy, str(h.source)) for h in r.holds}


def test_precedence_fixed_over_drug_over_mutation_over_environment(toy):
    net, vocab = toy
    r = resolve(net, vocab, Treatment.of(env={"signal": 0}, mutations=["A_gain"], drugs=["ainib"], fixed={"B": 1}))
    assert r.fixed() == {"S": 0, "A": 0, "B": 1}
    assert r.sources()["A"] == Source("drug", "ainib") and r.sources()["S"] == Source("environment", "signal")
    assert r.conflicts == ("drug ainib holds A=0 over mutation A_gain's A=1",)
    assert r.baseline["A"].value == 1  # the untreated cell: the mutation's hold
    assert r.drug_holds() == [Hold("A", 0, source=Source("drug", "ainib"))]
    r = resolve(net, vocab, Treatment.of(drugs=["ainib"], fixed={"A": 1}))
    assert r.fixed()["A"] == 1 and "`fixed` A=1 overrides the drug ainib's hold" in r.overrides[0]


def test_a_window_keeps_the_lower_hold_outside_it(toy):
    net, vocab = toy
    r = resolve(net, vocab, Treatment.of(mutations=["A_gain"], drugs=["ainib@2-5"]))
    assert "A" not in r.fixed()
    assert [(h.value, h.start, h.end) for h in r.scheduled()] == [(1, 0.0, 2.0), (0, 2.0, 5.0), (1, 5.0, None)]
    # by hand, sync: A is 1 until step 2, 0 for steps 2-4, 1 again from 5; B follows A one step later
    sim = mtorsim.simulate(net, update="sync", length=7, treatment=_bare(r))
    a, b = sim.trajectory[:, net.index("A")], sim.trajectory[:, net.index("B")]
    assert a.tolist() == [1, 1, 0, 0, 0, 1, 1, 1]
    assert b.tolist()[1:] == a.tolist()[:-1]


def _bare(r):
    """The resolved holds as the user's own (a network without vocabulary takes only these)."""
    return Treatment(fixed=r.fixed(), holds=tuple(r.scheduled()))


def test_overlapping_windows_are_refused(toy):
    net, vocab = toy
    with pytest.raises(MtorsimError, match="two holds overlap"):
        resolve(net, vocab, Treatment.of(mutations=["A_loss@0-4"], drugs=["ainib@3-6"]))


def test_efficacy_from_dose_per_target(toy):
    net, vocab = toy
    r = resolve(net, vocab, Treatment.of(drugs=["binib", "ainib"], doses={"binib": 2.0, "ainib": 30.0}))
    eff = r.efficacy()
    assert eff["B"] == pytest.approx(0.5)  # (2/2)^2 / (1 + 1)
    assert eff["C"] == pytest.approx(0.01 / 1.01)  # (2/20)^2 = 0.01
    assert eff["A"] == pytest.approx(0.75)  # 30 / (30 + 10)
    with pytest.raises(MtorsimError, match="not among the drugs"):
        resolve(net, vocab, Treatment.of(drugs=["ainib"], doses={"binib": 1.0}))


def test_partial_and_heterozygous_mutations(toy):
    """``NAME:E`` holds at that efficacy; ``NAME:het`` at the vocabulary's heterozygous value, and
    not at all when one allele has no effect (heterozygous = 0); a drug takes no ':het'."""
    from mtorsim.screening.plan import resolve_background

    net, vocab = toy
    by = {h.node: h.efficacy for h in resolve(net, vocab, Treatment.of(mutations=["A_loss:0.3"])).holds}
    assert by["A"] == pytest.approx(0.3)
    r = resolve(net, vocab, Treatment.of(mutations=["A_loss:het", "B_loss:het"]))
    assert {h.node: h.efficacy for h in r.holds if h.node != "S"} == {"A": pytest.approx(0.4)}
    with pytest.raises(MtorsimError, match="applies to mutations, not drugs"):
        resolve(net, vocab, Treatment.of(drugs=["ainib:het"]))
    with pytest.raises(MtorsimError, match="in \\(0, 1\\], or 'het'"):
        Treatment.of(mutations=["A_loss:2"])
    bg = resolve_background(vocab, "a_loss:HET+B_loss:0.5")
    assert bg.mutations == ("A_loss:het", "B_loss:0.5") and bg.label == "A_loss:het+B_loss:0.5"
    with pytest.raises(MtorsimError, match="`background` A_loss:x: after ':' give the efficacy"):
        resolve_background(vocab, "A_loss:x")


def test_edge_cuts_and_windows(toy):
    net, vocab = toy
    r = resolve(net, vocab, Treatment.of(drugs=["cut"]))
    assert r.fixed() == {"S": 1} and [c.target for c in r.changes] == ["C"]
    assert "A" not in str(r.net.rule("C"))
    with pytest.raises(MtorsimError, match="only node holds can be scheduled"):
        resolve(net, vocab, Treatment.of(drugs=["cut@1-2"]))


def test_the_same_holds_through_simulate_scenario_and_screen(toy, tmp_path):
    """One treatment, three analyses: each reports the holds resolve() gives, efficacies included."""
    net, vocab = toy
    model = mtorsim.Model(net, vocab, "toy", tmp_path / "toy.rules")
    t = Treatment.of(mutations=["A_gain"], drugs=["binib"], doses={"binib": 2.0})
    want = resolve(net, vocab, t).records()
    sim = mtorsim.simulate(model, update="continuous", length=2, runs=10, treatment=t)
    scen = mtorsim.run_scenario(model, treatment=t, runs=10)
    screen = mtorsim.run_screen(model, drugs=["binib"], backgrounds=["A_gain"], max_combo=1, runs=10)
    cell = screen.cell("A_gain", ("binib",))
    full = resolve(net, vocab, Treatment.of(mutations=["A_gain"], drugs=["binib"])).records()
    assert sim.settings["holds"] == want == scen.settings["holds"]
    assert cell["holds"] == full  # a screen gives each drug at its vocabulary efficacy (no dose)
    assert {h["node"]: h["efficacy"] for h in want}["B"] == pytest.approx(0.5)
    assert sim.settings["efficacy"] == {"B": pytest.approx(0.5), "C": pytest.approx(0.01 / 1.01)}


@pytest.mark.parametrize(
    "kwargs,parameter",
    [
        ({"drugs": None}, "`drugs`"),
        ({"drugs": [1]}, "`drugs`"),
        ({"env": "signal=1"}, "`env`"),
        ({"env": {"signal": 2}}, "`env`"),
        ({"mutations": None}, "`mutations`"),
        ({"holds": ["A"]}, "`holds`"),
        ({"doses": {"ainib": float("nan")}}, "`doses`"),
        ({"fixed": {"A": True}}, "`fixed`"),
    ],
)
def test_wrong_types_name_the_parameter(kwargs, parameter):
    with pytest.raises(MtorsimError, match=parameter):
        Treatment.of(**kwargs)


def test_a_lone_name_is_one_name():
    assert Treatment.of(drugs="ainib").drug_names == ["ainib"]


def test_event_codes_agree():
    assert [int(e) for e in events.Event] == [
        events.RELEASE,
        events.RELEASE_SET_0,
        events.RELEASE_SET_1,
        events.SET_0,
        events.SET_1,
    ]
    for v in (0, 1):
        assert events.released_value(events.release_and_set(v)) == v
        assert events.set_value(events.set_to(v)) == v


def test_mtorsim_error_is_a_value_error():
    assert issubclass(MtorsimError, ValueError)


def test_a_hold_against_a_named_medium_condition_warns():
    """`--env growth_factors=1 --set GF=0`: the settings name a medium the run is not in, so it
    says so; holding a node over the medium's default (no --env) is ordinary and silent."""
    import warnings

    import mtorsim
    from mtorsim.errors import MtorsimWarning

    model = mtorsim.load_model("mtor")
    with pytest.warns(MtorsimWarning, match="overrides the medium's growth_factors=1"):
        mtorsim.simulate(model, length=2, runs=2, env={"growth_factors": 1}, fixed={"GF": 0})
    with warnings.catch_warnings():
        warnings.simplefilter("error", MtorsimWarning)
        mtorsim.simulate(model, length=2, runs=2, fixed={"GF": 0})
