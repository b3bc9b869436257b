"""Control restricted to drugs and escape routes (``mtorsim.intervention``).

The drug-set search is checked against brute force on random networks: the reference builds
its own truth tables, enumerates every state of the synchronous dynamics to find every attractor
of every drug set, and keeps the sets meeting the goal of which no proper subset does. On the
shipped model every solution and escape is re-run through ``run_scenario``.
"""

from __future__ import annotations

import itertools
import random

import pytest
from click.testing import CliRunner
from conftest import toy_model

import mtorsim
from mtorsim.cli.main import cli
from mtorsim.errors import MtorsimError

# -- brute force ------------------------------------------------------------------------------


def _random_network(rng: random.Random, n: int):
    """Random rules as truth tables over 1-3 regulators, and the same rules as BooleanNet text."""
    names = [f"N{i}" for i in range(n)]
    tables = []
    lines = []
    for name in names:
        regs = rng.sample(names, rng.randint(1, 3))
        table = [rng.random() < 0.5 for _ in range(2 ** len(regs))]
        if not any(table):
            table[rng.randrange(len(table))] = True
        tables.append((regs, table))
        terms = []
        for row, on in enumerate(table):
            if on:
                lits = [r if (row >> k) & 1 else f"not {r}" for k, r in enumerate(regs)]
                terms.append("(" + " and ".join(lits) + ")")
        lines.append(f"{name}* = " + " or ".join(terms))
    return names, tables, "\n".join(lines) + "\n"


def _attractor_states(names, tables, holds):
    """Every state on a synchronous attractor, by enumerating the whole state space."""
    idx = {n: i for i, n in enumerate(names)}

    def step(s):
        out = []
        for i, (regs, table) in enumerate(tables):
            if names[i] in holds:
                out.append(holds[names[i]])
                continue
            row = sum(s[idx[r]] << k for k, r in enumerate(regs))
            out.append(int(table[row]))
        return tuple(out)

    on_attractor = set()
    for code in range(2 ** len(names)):
        s = tuple((code >> k) & 1 for k in range(len(names)))
        seen = []
        pos = {}
        while s not in pos:
            pos[s] = len(seen)
            seen.append(s)
            s = step(s)
        on_attractor |= set(seen[pos[s] :])
    return on_attractor


def _reference(names, tables, drugs, readout, max_size):
    """Minimal drug sets (names) whose every attractor state has ``readout`` off."""
    works = []
    for k in range(0, max_size + 1):
        for combo in itertools.combinations(sorted(drugs), k):
            if any(set(w) <= set(combo) for w in works):
                continue
            holds = {}
            for d in combo:  # later drugs win, as in the treatment's precedence
                holds.update(drugs[d])
            states = _attractor_states(names, tables, holds)
            if all(s[names.index(readout)] == 0 for s in states):
                works.append(combo)
    return {frozenset(w) for w in works}


def _toml(drugs, readout):
    out = []
    for d, holds in drugs.items():
        ((node, value),) = holds.items()
        out.append(f'[drugs.{d}]\nperturbations = [{{ node = "{node}", value = {value} }}]\n')
    out.append(f'[readouts.R]\nformula = "{readout}"\n')
    return "\n".join(out)


@pytest.mark.parametrize("seed", range(12))
def test_control_finds_exactly_the_minimal_drug_sets_of_brute_force(tmp_path, seed):
    rng = random.Random(seed)
    names, tables, rules = _random_network(rng, 7)
    readout = names[-1]
    drugs = {}
    for i in range(5):
        drugs[f"d{i}"] = {rng.choice(names[:-1]): rng.randint(0, 1)}
    drugs["d5"] = dict(drugs["d0"])  # a second molecule with the same action: one class
    net, vocab = toy_model(tmp_path, rules, _toml(drugs, readout))
    want = _reference(names, tables, drugs, readout, 3)
    res = mtorsim.control(
        mtorsim.Model(net, vocab, "toy", tmp_path / "toy.rules"), goal="R<=0", max_drugs=3, estimate=False
    )
    got = {frozenset()} if any("already" in n for n in res.notes) else set()
    for s in res.solutions:
        choices = [[d, *s.equivalents.get(d, [])] for d in s.drugs]
        got |= {frozenset(c) for c in itertools.product(*choices)}
    assert res.complete
    assert got == want


# -- the shipped model ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mtor():
    return mtorsim.load_model("mtor")


def _worst(model, mutations, drugs, readout, fixed=None):
    t = mtorsim.Treatment.of(None, mutations, drugs, None, fixed)
    r = mtorsim.run_scenario(model, treatment=t, estimate=False)
    return r.readouts[readout]["max"]


def test_every_solution_meets_its_goal_and_is_minimal_when_rerun(mtor):
    res = mtorsim.control(mtor, mutations=["TSC2_loss"], max_drugs=2, estimate=False)
    assert res.complete and res.solutions
    for s in res.solutions:
        assert _worst(mtor, ["TSC2_loss"], s.drugs, "TumourGrowth") <= 0.25
        for smaller in itertools.combinations(s.drugs, len(s.drugs) - 1):
            assert _worst(mtor, ["TSC2_loss"], list(smaller), "TumourGrowth") > 0.25


def test_no_single_drug_shuts_tsc2_null_growth_down_but_pairs_do(mtor):
    """A hand check of the search's size logic: single agents leave TumourGrowth above 0.25 in
    TSC2-null cells (every one re-run here), so the solutions start at two drugs."""
    single = [d for d in ("everolimus", "sapanisertib", "alpelisib", "trametinib", "capivasertib")]
    assert all(_worst(mtor, ["TSC2_loss"], [d], "TumourGrowth") > 0.25 for d in single)
    res = mtorsim.control(mtor, mutations=["TSC2_loss"], max_drugs=2, estimate=False)
    assert min(len(s.drugs) for s in res.solutions) == 2


def test_robustness_reads_other_backgrounds_and_doses(mtor):
    res = mtorsim.control(
        mtor, mutations=["TSC2_loss"], max_drugs=2, backgrounds=["wildtype", "KRAS_activating"], top=1, runs=100
    )
    best = res.solutions[0]
    assert set(best.robustness) == {"update", "backgrounds", "doses"}
    for label in best.robustness["backgrounds"]["works"]:
        muts = [] if label == "wildtype" else label.split("+")
        assert _worst(mtor, muts, best.drugs, "TumourGrowth") <= 0.25
    assert best.estimate is not None and 0 <= best.estimate <= 1


def test_escapes_switch_the_readout_to_its_goal_and_are_minimal(mtor):
    res = mtorsim.explain(mtor, drugs=["everolimus"], goal="Proliferation<=0.25")
    assert res.value > 0.25 and res.escapes and res.complete
    for e in res.escapes:
        off = {n: 0 for n in e.nodes}
        assert all(v == 1 for v in e.nodes.values())
        assert _worst(mtor, [], ["everolimus"], "Proliferation", fixed=off) <= 0.25
        for n in e.nodes:
            rest = {m: 0 for m in e.nodes if m != n}
            assert _worst(mtor, [], ["everolimus"], "Proliferation", fixed=rest or None) > 0.25


def test_rapalog_escapes_name_the_spared_mtorc1_output_and_the_irs1_feedback(mtor):
    """The review's two reasons a rapalog fails, derived by hand from the rules: it blocks the
    FRB-dependent outputs (S6K, 4E-BP1 S65) but leaves mTORC1 on, so 4E-BP1 T37/46 keeps eIF4F
    (incomplete); and S6K off relieves S6K -| IRS1, raising IRS1 to its high level (feedback)."""
    res = mtorsim.explain(mtor, drugs=["everolimus"], goal="Proliferation<=0.25")
    kinds = {frozenset(e.nodes): e for e in res.escapes}
    mtorc1 = kinds[frozenset({"mTORC1"})]
    assert mtorc1.kind == "incomplete" and "eIF4F" in mtorc1.carries
    fb = [e for e in res.escapes if e.kinds.get("IRS1_high") == "feedback"]
    assert fb and any("S6K" in p for e in fb for p in e.paths)
    assert all(e.certified == "exact" for e in res.escapes)


def test_explain_says_when_nothing_escapes(mtor):
    res = mtorsim.explain(mtor, mutations=["TSC2_loss"], drugs=["dactolisib", "trametinib"])
    assert res.met and res.escapes == []


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"goal": "TumourGrowth<<0.25"}, "write READOUT<=VALUE"),
        ({"goal": "Prolif<=0.25"}, "did you mean 'Proliferation'"),
        ({"max_drugs": 0}, "max_drugs"),
        ({"goal": 3}, "must be text"),
        ({"drugs": [1]}, "must be names"),
        ({"candidates": ["nodrug"]}, "nodrug"),
    ],
)
def test_bad_control_input_is_a_clear_error(mtor, kwargs, match):
    with pytest.raises(MtorsimError, match=match):
        mtorsim.control(mtor, estimate=False, **kwargs)


def test_cli_explain_and_control(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["explain", "mtor", "--drug", "everolimus", "--goal", "Proliferation<=0.25"])
    assert r.exit_code == 0, r.output
    assert "incomplete: mTORC1" in r.output and "feedback" in r.output
    out = tmp_path / "c.json"
    r = runner.invoke(
        cli, ["control", "mtor", "--mutation", "TSC2_loss", "--max-drugs", "2", "--no-estimate", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "minimal set(s)" in r.output and out.exists()
    r = runner.invoke(cli, ["control", "mtor", "--goal", "Nope<=1"])
    assert r.exit_code == 2 and "no readout 'Nope'" in r.output and "Traceback" not in r.output


def test_node_interventions_are_marked_and_meet_the_goal(mtor):
    res = mtorsim.control(mtor, mutations=["PIK3CA_activating"], max_drugs=1, any_node=True, estimate=False)
    nodes = [s for s in res.solutions if s.nodes]
    assert nodes and res.settings["nodes"] > 0
    for s in nodes:
        assert _worst(mtor, ["PIK3CA_activating"], [], "TumourGrowth", fixed=s.nodes) <= 0.25
        held = any(
            getattr(p, "node", None) == n and getattr(p, "value", None) == v
            for b in mtor.vocabulary.drugs.values()
            for p in b.perturbations
            for n, v in s.nodes.items()
        )
        assert held or any("no drug in the vocabulary holds" in note for note in s.notes)


def test_selectivity_ranks_ties_by_the_window(mtor):
    res = mtorsim.control(
        mtor, mutations=["PIK3CA_activating"], max_drugs=2, top=2, runs=200, estimate=False, selectivity=True
    )
    scored = [s for s in res.solutions if s.selectivity is not None]
    assert len(scored) == 2
    w = mtorsim.window(mtor, mutations=["PIK3CA_activating"], drugs=scored[0].drugs, runs=200)
    assert scored[0].selectivity == (w.selectivity if w.selectivity is not None else w.selectivity_at_least)


def test_a_goal_met_already_needs_nothing(mtor):
    res = mtorsim.control(mtor, mutations=["TSC2_loss"], goal="TumourGrowth<=1", estimate=False)
    assert res.solutions == [] and "already" in res.notes[0]
