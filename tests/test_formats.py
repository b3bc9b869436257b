"""Parsing, printing and round trips of .rules and .bnet; every bundled corpus model loads."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import CORPUS, MCF7, ZANUDO

from mtorsim.formats.ast import And, Const, Not, Or, Var, evaluate, names
from mtorsim.formats.io import format_rules, read_rules
from mtorsim.formats.parser import parse_bnet, parse_booleannet
from mtorsim.network import Network


def functions_equal(a: Network, b: Network) -> bool:
    """Same nodes and, node by node, the same truth table over the union of regulators
    (all assignments up to 8 regulators, 256 pseudo-random ones above)."""
    if a.nodes != b.nodes:
        return False
    rng = np.random.default_rng(7)
    for ea, eb in zip(a.rules, b.rules):
        regs = sorted(set(names(ea)) | set(names(eb)))
        if len(regs) <= 8:
            rows = list(itertools.product((0, 1), repeat=len(regs)))
        else:
            rows = rng.integers(0, 2, size=(256, len(regs))).tolist()
        envs = [dict(zip(regs, row)) for row in rows]
        if any(evaluate(ea, env) != evaluate(eb, env) for env in envs):
            return False
    return True


def test_booleannet_syntax():
    rules = parse_booleannet(
        "#BOOLEAN RULES\n# comment\nA* = B and not (C or D)  # trailing\nB = True\nC*=0\nD* = not not A\n", "m.rules"
    )
    assert [r.target for r in rules] == ["A", "B", "C", "D"]
    assert rules[0].expr == And((Var("B"), Not(Or((Var("C"), Var("D"))))))
    assert rules[1].expr == Const(True)
    assert rules[2].expr == Const(False)
    assert rules[3].expr == Not(Not(Var("A")))


def test_bnet_syntax():
    rules = parse_bnet("targets, factors\nA, B & !C | D\n# c\nB, 1\nC, (A|B)&!D\nD, D\n", "m.bnet")
    assert rules[0].expr == Or((And((Var("B"), Not(Var("C")))), Var("D")))
    assert rules[1].expr == Const(True)
    assert rules[2].expr == And((Or((Var("A"), Var("B"))), Not(Var("D"))))


def test_precedence_not_and_or():
    (rule,) = parse_booleannet("X* = not A or B and C", "m")
    for a, b, c in itertools.product((0, 1), repeat=3):
        assert evaluate(rule.expr, {"A": a, "B": b, "C": c}) == ((not a) or (b and c))


def test_deep_nesting_parses():
    depth = 3000
    text = "X* = " + "(" * depth + "A" + " and B)" * depth
    (rule,) = parse_booleannet(text, "m")
    assert rule.expr == And((Var("A"),) + (Var("B"),) * depth)


def test_free_inputs_are_added_after_defined_nodes():
    net = Network.from_rules(parse_booleannet("A* = B and C\nB* = A\n", "m"))
    assert net.nodes == ("A", "B", "C")
    assert net.implicit_inputs == ("C",)
    assert net.inputs == ("C",)


def test_signs_and_inputs():
    net = Network.from_rules(
        parse_booleannet("A* = B and not C\nB* = B\nC* = 1\nD* = A and not B or not A and B\n", "m")
    )
    assert net.signs[0] == ("+", "-")
    assert net.inputs == ("B",)
    assert net.constants == {"C": 1}
    assert net.signs[3] == ("±", "±")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:8])
def test_corpus_model_loads_and_round_trips(path, tmp_path):
    net = Network.load(path)
    assert len(net) > 0
    for fmt, suffix in (("rules", ".rules"), ("bnet", ".bnet")):
        out = tmp_path / f"m{suffix}"
        out.write_text(format_rules(net.as_rules(), fmt), encoding="utf-8")
        back = Network.load(out)
        assert functions_equal(net, back), f"{path.name} via {fmt}"


@pytest.mark.parametrize(
    "path", [*sorted(ZANUDO.glob("*.booleannet")), MCF7 / "model.rules"], ids=lambda p: p.stem[-12:]
)
def test_zanudo_booleannet_models_round_trip(path, tmp_path):
    net = Network.load(path)
    out = tmp_path / "m.bnet"
    out.write_text(format_rules(net.as_rules(), "bnet"), encoding="utf-8")
    assert functions_equal(net, Network.load(out))


def test_read_rules_detects_format_from_content(write):
    p = write("model.txt", "A, !B\nB, A\n")
    rules, fmt = read_rules(p)
    assert fmt == "bnet" and [r.target for r in rules] == ["A", "B"]
    p = write("model2.txt", "A* = not B\nB* = A\n")
    assert read_rules(p)[1] == "rules"


def test_booleannet_initial_value_lines(run_cli, write):
    """'A = True' before 'A* = rule' is BooleanNet's initial value, not a second definition; a
    value line alone stays a constant rule."""
    import json

    model = write("iv.rules", "A = True\nB = Random\nC = False\nA* = not B\nB* = A\nC* = C\nD = 1\n")
    net = Network.load(model)
    assert net.meta["initial"] == {"A": 1, "C": 0, "D": 1} and net.meta["initial_random"] == ["B"]
    assert net.rules[:2] == (Not(Var("B")), Var("A")) and len(net) == 4
    out = json.loads(run_cli("simulate", model, "--steps", "1", "--runs", "2000", "--format", "json").stdout)
    assert out["mean"]["A"][0] == 1 and out["mean"]["C"][0] == 0 and 0.45 < out["mean"]["B"][0] < 0.55
    assert out["mean"]["D"] == [1, 1]
