"""Shared fixtures: test data paths and a CLI runner that keeps stderr apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"
CORPUS = sorted((DATA / "corpus").glob("*.bnet"))
ZANUDO = DATA / "zanudo2021"
MCF7 = Path(__file__).parent.parent / "models" / "zanudo2021_mcf7"
"""The shipped Zañudo 2021 MCF7 model: the authors' files, renamed (model.rules, initial.txt,
slow_nodes.txt, weights.txt); tests read them here rather than keeping copies."""


@pytest.fixture
def run_cli():
    """Invoke the mtorsim CLI in-process; returns the click Result (stdout, stderr, exit_code)."""
    from mtorsim.cli.main import cli

    def run(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


@pytest.fixture
def write(tmp_path):
    """Write a text (or bytes) file into tmp_path and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        p = tmp_path / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return p

    return _write


def toy_model(tmp_path: Path, rules: str, vocabulary: str):
    """A small network (BooleanNet text) and its vocabulary (TOML text), written to tmp_path."""
    from mtorsim.formats.parser import parse_booleannet
    from mtorsim.model.vocabulary import load_vocabulary
    from mtorsim.network import Network

    net = Network.from_rules(parse_booleannet(rules, "toy.rules"), source=str(tmp_path / "toy.rules"))
    (tmp_path / "toy.toml").write_text(vocabulary)
    return net, load_vocabulary(tmp_path / "toy.toml", net)
