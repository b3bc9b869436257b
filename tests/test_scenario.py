"""Vocabulary, perturbation semantics (hand-derived on small networks), scenario and check."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

from mtorsim.errors import MtorsimError
from mtorsim.formats.ast import evaluate
from mtorsim.formats.parser import parse_booleannet, parse_expression
from mtorsim.model.vocabulary import load_vocabulary
from mtorsim.network import Network
from mtorsim.scenarios.scenario import run_scenario
from mtorsim.treatment.resolve import resolve
from mtorsim.treatment.treatment import Treatment

TOY = DATA / "toy"


def net_of(text: str) -> Network:
    return Network.from_rules(parse_booleannet(text, "m.rules"))


def vocab_of(tmp_path, net, text):
    p = tmp_path / "v.toml"
    p.write_text(text)
    return load_vocabulary(p, net)


CHAIN = "IN* = IN\nA* = IN\nB* = A\nC* = A and B\n"


def test_node_loss_and_gain(tmp_path):
    net = net_of(CHAIN)
    v = vocab_of(
        tmp_path,
        net,
        """
[environment.signal]
nodes = ["IN"]
default = 1
[mutations.A_loss]
perturbations = [{ node = "A", value = 0 }]
[drugs.B_activator]
perturbations = [{ node = "B", value = 1 }]
[readouts.c]
node = "C"
""",
    )
    # By hand: IN=1 -> A=1 -> B=1 -> C=1. A lost: B=0, C=0. A lost, B forced on: C = A and B = 0.
    assert run_scenario(net, v).readouts["c"]["mean"] == 1
    assert run_scenario(net, v, mutations=["A_loss"]).readouts["c"]["max"] == 0
    assert run_scenario(net, v, mutations=["A_loss"], drugs=["B_activator"]).readouts["c"]["max"] == 0
    assert run_scenario(net, v, env={"signal": 0}).readouts["c"]["max"] == 0


def test_edge_cut_spares_other_outputs(tmp_path):
    net = net_of(CHAIN)
    v = vocab_of(
        tmp_path,
        net,
        """
[drugs.cut]
perturbations = [{ edge = ["A", "C"], value = 0 }]
[readouts.b]
node = "B"
[readouts.c]
node = "C"
""",
    )
    applied = resolve(net, v, Treatment.of(drugs=["cut"]))
    assert applied.fixed() == {}
    # C's rule 'A and B' reads A as 0: C = 0; B still follows A.
    res = run_scenario(net, v, drugs=["cut"])
    assert res.readouts["c"]["max"] == 0
    assert {tuple(s[:3]) for a in res.attractors.attractors for s in a.states} == {(0, 0, 0), (1, 1, 1)}


def test_replaced_rule(tmp_path):
    net = net_of(CHAIN)
    v = vocab_of(
        tmp_path,
        net,
        """
[mutations.C_rewired]
perturbations = [{ node = "C", rule = "B or not A" }]
[readouts.c]
node = "C"
""",
    )
    res = run_scenario(net, v, mutations=["C_rewired"])
    # IN free: IN=0 -> A=B=0 -> C = 0 or 1 = 1; IN=1 -> A=B=1 -> C = 1.
    assert res.readouts["c"]["min"] == 1


def test_drug_wins_conflict_and_is_reported(tmp_path):
    net = net_of(CHAIN)
    v = vocab_of(
        tmp_path,
        net,
        """
[mutations.A_gain]
perturbations = [{ node = "A", value = 1 }]
[drugs.A_inhibitor]
aliases = ["ainib"]
perturbations = [{ node = "A", value = 0 }]
[readouts.a]
node = "A"
""",
    )
    res = run_scenario(net, v, mutations=["A_gain"], drugs=["ainib"])
    assert res.readouts["a"]["max"] == 0
    assert res.conflicts == ["drug A_inhibitor holds A=0 over mutation A_gain's A=1"]


def test_unknown_names_list_valid_ones(tmp_path):
    net = net_of(CHAIN)
    with pytest.raises(MtorsimError, match="unknown node 'AA'; did you mean 'A'"):
        vocab_of(tmp_path, net, '[mutations.x]\nperturbations = [{ node = "AA", value = 0 }]\n')
    with pytest.raises(MtorsimError, match="no edge C -> A"):
        vocab_of(tmp_path, net, '[drugs.x]\nperturbations = [{ edge = ["C", "A"], value = 0 }]\n')
    v = vocab_of(
        tmp_path, net, '[drugs.rapalog]\naliases = ["everolimus"]\nperturbations = [{ node = "A", value = 0 }]\n'
    )
    with pytest.raises(MtorsimError, match="did you mean 'everolimus'"):
        v.drug("everolimu")
    assert v.drug("Everolimus").name == "rapalog"


def test_model_media_and_limits(tmp_path):
    net = net_of(CHAIN)
    env = '[environment.signal]\nnodes = ["IN"]\ndefault = 1\n'
    v = vocab_of(
        tmp_path, net, env + '[model]\nlimitations = ["one cell"]\n[model.conditions]\n"poor" = { signal = 0 }\n'
    )
    assert v.conditions() == {"poor": {"signal": 0}} and v.limitations() == ["one cell"]
    with pytest.raises(
        MtorsimError,
        match=r"\[model.conditions\]: 'poor': unknown environment condition 'signl'; "
        "did you mean 'signal'",
    ):
        vocab_of(tmp_path, net, env + '[model.conditions]\n"poor" = { signl = 0 }\n')
    with pytest.raises(MtorsimError, match="signal must be 0 or 1, not 2"):
        vocab_of(tmp_path, net, env + '[model.conditions]\n"poor" = { signal = 2 }\n')
    with pytest.raises(MtorsimError, match="limitations must be a list of sentences"):
        vocab_of(tmp_path, net, env + "[model]\nlimitations = 3\n")


def test_weighted_level_readout(tmp_path):
    net = net_of("P* = P\nP_2* = P_2 and P\n")
    v = vocab_of(tmp_path, net, '[readouts.prolif]\nlevels = ["P", "P_2"]\nweights = [0.25, 1.0]\n')
    res = run_scenario(net, v)
    # Fixed points (P, P_2): (0,0) -> 0, (1,0) -> 0.25, (1,1) -> 1; (0,1) goes to (0,0).
    assert sorted(res.readouts["prolif"]["values"]) == [0.0, 0.25, 1.0]


def test_scenario_cli_json(run_cli):
    data = json.loads(run_cli("scenario", TOY / "toy.rules", "--drug", "everolimus", "--format", "json").stdout)
    assert data["readouts"]["s6k"] == {"min": 0.0, "max": 0.0, "mean": 0.0, "se": 0.0, "attractor_mean": 0.0}
    assert data["readouts"]["akt"] == {"min": 1.0, "max": 1.0, "mean": 1.0, "se": 0.0, "attractor_mean": 1.0}
    assert data["scenario"]["drugs"] == ["rapalog"] and data["scenario"]["estimate"]["runs"] == 1000
    off = json.loads(
        run_cli("scenario", TOY / "toy.rules", "--drug", "everolimus", "--no-estimate", "--format", "json").stdout
    )
    assert off["readouts"]["akt"]["se"] is None and "estimate" not in off["scenario"]


def test_check_passes_and_fails(run_cli, write):
    """A wrong expectation fails with the value found: torki holds mTORC1 at 0, so translation
    (which needs mTORC1 in the toy model) is 0 in every attractor, not 1."""
    ok = run_cli("check", TOY / "toy.rules", TOY / "scenarios.toml")
    assert ok.exit_code == 0 and "8 passed, 0 failed" in ok.stdout  # the table's summary line
    bad = write("bad.toml", '[scenarios.wrong]\ndrugs = ["torki"]\nexpect = { translation = 1 }\n')
    result = run_cli("check", TOY / "toy.rules", bad, "--vocabulary", TOY / "toy.toml", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["passed"], data["failed"]) == (0, 1)
    (r,) = data["results"]
    assert (r["scenario"], r["readout"], r["pass"], r["complete"]) == ("wrong", "translation", False, True)
    assert (r["min"], r["max"]) == (0.0, 0.0)


def test_a_control_without_a_drug_drops_its_dose(write):
    """control = { drugs = [...] } keeps the doses of the drugs it keeps, and only those."""
    from mtorsim.scenarios.checks import load_scenarios

    net = Network.load(TOY / "toy.rules")
    vocab = load_vocabulary(TOY / "toy.toml", net)
    path = write(
        "c.toml",
        '[scenarios.x]\ndrugs = ["torki", "rapalog"]\ndoses = { torki = 3, rapalog = 2 }\n'
        'expect = { translation = 0 }\ncontrol = { drugs = ["everolimus"] }\n',
    )
    (sc,) = load_scenarios(path, vocab)
    assert sc.doses == {"torki": 3, "rapalog": 2} and sc.control.doses == {"rapalog": 2}


def test_check_unknown_readout(run_cli, write):
    bad = write("bad.toml", "[scenarios.x]\nexpect = { translaton = 1 }\n")
    result = run_cli("check", TOY / "toy.rules", bad, "--vocabulary", TOY / "toy.toml")
    assert result.exit_code == 2 and "did you mean 'translation'" in result.stderr


def test_simulate_with_drug_windows_and_washout(run_cli):
    """torki holds mTORC1 at 0 from step 2 to 4; by hand from the toy's all-zero start with
    GF = AA = 1 (environment defaults): IRS1, AKT follow; after the window mTORC1 follows RHEB and RAG."""
    data = json.loads(
        run_cli("simulate", TOY / "toy.rules", "--drug", "torki@2-4", "--steps", "8", "--format", "json").stdout
    )
    m = data["trajectory"]["mTORC1"]
    assert m[2:5] == [0, 0, 0]
    assert data["trajectory"]["GF"] == [1] * 9
    assert 1 in m[5:]  # the pathway reactivates once the drug is gone


def test_input_node_returns_after_its_window(run_cli, write):
    p = write("m.rules", "D* = D\nX* = D\n")
    data = json.loads(run_cli("simulate", p, "--set", "D=1@1-3", "--steps", "5", "--format", "json").stdout)
    # D is an input (D = D): set to 1 at time 1, set back to 0 at time 3 (the washout takes effect
    # at the window's end); X copies D one step later.
    assert data["trajectory"]["D"] == [0, 1, 1, 0, 0, 0]
    assert data["trajectory"]["X"] == [0, 0, 1, 1, 0, 0]


def test_edge_drugs_cannot_be_scheduled(run_cli):
    result = run_cli("simulate", TOY / "toy.rules", "--drug", "rapalog@2-6")
    assert result.exit_code == 2 and "only node holds can be scheduled" in result.stderr


def test_check_json(run_cli):
    result = run_cli("check", TOY / "toy.rules", TOY / "scenarios.toml", "--format", "json")
    data = json.loads(result.stdout)
    assert data["passed"] == 8 and data["failed"] == 0
    assert all(r["pass"] is True for r in data["results"])


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('[environment.s]\nnodes = ["IN"]\ndefualt = 1\n', "unknown key 'defualt'; did you mean 'default'"),
        ('[drugs.d]\nefficacyy = 0.5\nperturbations = [{ node = "A", value = 0 }]\n', "unknown key 'efficacyy'"),
        (
            '[drugs.d]\nperturbations = [{ node = "A", value = 0 }]\n[drugs.e]\naliases = ["D"]\n'
            'perturbations = [{ node = "A", value = 0 }]\n',
            "'D' already names the drug 'd'",
        ),
        (
            '[drugs.d]\naliases = ["x"]\nperturbations = [{ node = "A", value = 0 }]\n[drugs.e]\naliases = ["X"]\n'
            'perturbations = [{ node = "A", value = 0 }]\n',
            "'X' already names the drug 'd'",
        ),
        (
            '[drugs.d]\nperturbations = [{ node = "A", value = 0 }]\n[readouts.r]\nnode = "A"\n'
            '[model.contrast]\ndrugs = ["dd"]\nreadouts = ["r"]\n',
            r"\[model.contrast\]: drugs: 'dd' is not one of the vocabulary's drugs; did you mean 'd'",
        ),
        (
            '[drugs.d]\nperturbations = [{ node = "A", value = 0 }]\n[readouts.r]\nnode = "A"\n'
            '[model.contrast]\ndrugs = ["d"]\nreadouts = ["r"]\nlabel = {}\n',
            "unknown key 'label'; did you mean 'labels'",
        ),
    ],
)
def test_vocabulary_typos_and_clashing_names_are_refused(tmp_path, text, fragment):
    with pytest.raises(MtorsimError, match=fragment):
        vocab_of(tmp_path, net_of(CHAIN), text)


def test_candidate_ranges_bound_every_completion():
    """Readout bounds over a trap space (free nodes '*') hold for every completion of the free
    nodes (brute force), and are exact where the fixed nodes decide."""
    import itertools

    from mtorsim.model.vocabulary import Readout
    from mtorsim.scenarios.scenario import candidate_range

    nodes = ["A", "B", "C", "D"]
    from mtorsim.errors import Location

    formula = Readout("f", formula=parse_expression("A and (B or not C)", Location("t", 1, 1, "")))
    levels = Readout("l", levels=("C", "D"), weights=(0.5, 1.0))
    both = Readout("t", combine=(("f", 0.5), ("l", 0.5)))
    readouts = {"f": formula, "l": levels, "t": both}

    def value(r, state):
        env = dict(zip(nodes, state))
        if r.combine:
            return sum(w * value(readouts[p], state) for p, w in r.combine)
        if r.formula is not None:
            return float(evaluate(r.formula, env))
        v = 0.0
        for lv, w in zip(r.levels, r.weights):
            v = w if env[lv] else v
        return v

    for space in map("".join, itertools.product("01*", repeat=4)):
        completions = [
            tuple(int(c) if c != "*" else b for c, b in zip(space, bits))
            for bits in itertools.product((0, 1), repeat=4)
        ]
        completions = sorted(set(completions))
        for r in readouts.values():
            lo, hi = candidate_range(r, space, nodes, readouts)
            vals = [value(r, s) for s in completions]
            assert lo <= min(vals) + 1e-12 and hi >= max(vals) - 1e-12, (r.name, space)
            if r is levels:
                assert (lo, hi) == (min(vals), max(vals))


def test_unlisted_attractor_gives_ranges_not_nothing(run_cli):
    """Under capivasertib the async attractor is too big to list: it is proven the only one of
    its trap space, and the readouts are that trap space's ranges."""
    import json

    out = json.loads(
        run_cli(
            "scenario", "mtor", "--update", "async", "--drug", "capivasertib", "--runs", "100", "--format", "json"
        ).stdout
    )
    assert out["complete"] and not out["candidates"]
    (a,) = out["attractors"]
    assert a["size"] is None and "*" in a["trap_space"]
    assert all(r["min"] is not None and r["max"] is not None for r in out["readouts"].values())
    assert out["readouts"]["mTORC1"]["min"] < out["readouts"]["mTORC1"]["max"]


def test_reading_notes_explain_a_mean_outside_the_range_and_level_readouts(run_cli):
    """TSC2-null under everolimus (80% of cells engaged): eIF4F sits at its lower level in the
    attractor (eIF4F on, eIF4F_high off, weight 0.5 in the vocabulary) while the graded mean
    mixes unengaged cells; both are said, on stderr, after the table."""
    res = run_cli("scenario", "mtor", "--mutation", "TSC2_loss", "--drug", "everolimus", "--drug", "trametinib")
    assert res.exit_code == 0
    notes = [x for x in res.stderr.splitlines() if x.startswith("note: ")]
    outside = next(x for x in notes if "lies outside the attractors' [min, max]" in x)
    assert "everolimus 80%" in outside
    level = next(x for x in notes if "a level readout takes the weight" in x)
    assert "eIF4F 0.5 = eIF4F on, eIF4F_high off" in level
    untreated = run_cli("scenario", "mtor", "--mutation", "TSC2_loss")
    assert "lies outside" not in untreated.stderr
