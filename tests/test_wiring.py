"""Wiring diagrams: drawn, fingerprinted, checkable against the model."""

from __future__ import annotations

from conftest import DATA

from mtorsim.formats.parser import parse_booleannet
from mtorsim.network import Network
from mtorsim.plots.wiring import fingerprint, layers, recorded_fingerprint


def test_layers_follow_the_acyclic_part():
    net = Network.from_rules(parse_booleannet("IN* = IN\nA* = IN and not C\nB* = A\nC* = B\n", "m"))
    # IN -> A -> B -> C, and C -| A is a feedback (back) edge: layers 0, 1, 2, 3.
    assert layers(net) == [0, 1, 2, 3]


def test_png_records_the_model_fingerprint(run_cli, tmp_path):
    out = tmp_path / "w.png"
    assert run_cli("wiring", DATA / "toy" / "toy.rules", "--out", out).exit_code == 0
    net = Network.load(DATA / "toy" / "toy.rules")
    assert recorded_fingerprint(out) == fingerprint(net)
    changed = Network.from_rules(
        parse_booleannet((DATA / "toy" / "toy.rules").read_text().replace("IRS1* = GF and not S6K", "IRS1* = GF"), "m")
    )
    assert fingerprint(changed) != fingerprint(net)


def test_bad_suffix(run_cli, tmp_path):
    result = run_cli("wiring", DATA / "toy" / "toy.rules", "--out", tmp_path / "w.gif")
    assert result.exit_code == 2 and "unsupported image format" in result.stderr
