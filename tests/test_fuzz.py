"""Fuzzing every reader: a valid file with random damage (bytes inserted, deleted, replaced,
lines shuffled or cut) must give a clean ``MtorsimError`` or a valid result, never another
exception. Derandomised (the same cases in every run); ``MTORSIM_FUZZ=N`` runs N cases per
reader with fresh randomness (for releases: ``MTORSIM_FUZZ=2000 pytest tests/test_fuzz.py``)."""

from __future__ import annotations

import os

import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtorsim.errors import MtorsimError
from mtorsim.network import Network

FUZZ = int(os.environ.get("MTORSIM_FUZZ", "0"))
FUZZ_SETTINGS = settings(
    max_examples=FUZZ or 60,
    derandomize=not FUZZ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

TOY = DATA / "toy"
SBML = next((DATA / "sbml").glob("bbm-003_*.sbml"))
MCF7 = DATA.parents[1] / "models" / "zanudo2021_mcf7"


@st.composite
def damaged(draw, text: str) -> bytes:
    """``text`` with a few random edits."""
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "cut", "swap", "junk"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[pos : pos + draw(st.integers(1, 20))]
        elif kind == "replace":
            data[pos : pos + 1] = draw(
                st.sampled_from(
                    [
                        b"(",
                        b")",
                        b"=",
                        b"*",
                        b"[",
                        b"]",
                        b"{",
                        b"}",
                        b'"',
                        b"\n",
                        b"#",
                        b"\x00",
                        b"\xff",
                        b"-",
                        b"1e999",
                        b"nan",
                        b"<",
                        b">",
                    ]
                )
            )
        elif kind == "cut":
            del data[pos:]
        elif kind == "swap":
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        else:
            data[pos:pos] = draw(st.text(max_size=12)).encode("utf-8", "surrogatepass")
    return bytes(data)


def clean(fn):
    """Run ``fn``: a result or an MtorsimError are both fine."""
    try:
        return fn()
    except MtorsimError as exc:
        assert str(exc).strip(), "an error without a message"
        return None


def damage(data, target, source) -> object:
    """Write a damaged copy of ``source`` (a path or a text) to ``target``; returns ``target``."""
    text = source if isinstance(source, str) else source.read_text(encoding="utf-8")
    target.write_bytes(data.draw(damaged(text)))
    return target


@pytest.mark.parametrize(
    "name, source",
    [
        ("m.rules", TOY / "toy.rules"),
        ("m.bnet", DATA / "corpus" / SBML.with_suffix(".bnet").name),
        ("m.sbml", SBML),
        ("m.bnd", DATA / "maboss" / "toy.bnd"),
    ],
)
@FUZZ_SETTINGS
@given(data=st.data())
def test_model_readers(tmp_path, name, source, data):
    clean(lambda: Network.load(damage(data, tmp_path / name, source)))


@FUZZ_SETTINGS
@given(data=st.data())
def test_vocabulary_and_scenarios(tmp_path, data):
    from mtorsim.model.vocabulary import load_vocabulary
    from mtorsim.scenarios.checks import load_scenarios

    net = Network.load(TOY / "toy.rules")
    vocab = clean(lambda: load_vocabulary(damage(data, tmp_path / "v.toml", TOY / "toy.toml"), net))
    if vocab is not None:
        clean(lambda: load_scenarios(damage(data, tmp_path / "s.toml", TOY / "scenarios.toml"), vocab))


@FUZZ_SETTINGS
@given(data=st.data())
def test_rates_initial_and_cfg(tmp_path, data):
    from mtorsim.simulation.initial import read_initial_file
    from mtorsim.simulation.rates import read_rates, slow_fast_rates
    from mtorsim.simulation.runconfig import load_run_config

    net = Network.load(MCF7 / "model.rules")
    clean(lambda: read_initial_file(damage(data, tmp_path / "init.txt", MCF7 / "initial.txt"), net))
    clean(lambda: slow_fast_rates(damage(data, tmp_path / "slow.txt", MCF7 / "slow_nodes.txt"), net, 5))
    rates = "\n".join(f"{n} {1 + i % 3}" for i, n in enumerate(net.nodes))
    clean(lambda: read_rates(damage(data, tmp_path / "rates.txt", rates), net))
    bnd_net = Network.load(DATA / "maboss" / "toy.bnd")
    clean(lambda: load_run_config(bnd_net, [damage(data, tmp_path / "m.cfg", DATA / "maboss" / "toy.cfg")]))


JUNK = [
    "0",
    "-1",
    "1",
    "2",
    "0.5",
    "1e999",
    "nan",
    "inf",
    "-inf",
    "abc",
    "",
    " ",
    "1e-300",
    "18446744073709551616",
    "X=1",
    "=",
    "AKT",
    "AKT=2",
    "growth_factors=1",
    "growth_factors=2",
    "nope=1",
]
OPTIONS = [
    "--runs",
    "--steps",
    "--every",
    "--seed",
    "--init-default",
    "--set",
    "--env",
    "--init",
    "--drug",
    "--mutation",
    "--threads",
    "--show",
]


@FUZZ_SETTINGS
@given(
    picks=st.lists(st.tuples(st.sampled_from(OPTIONS), st.sampled_from(JUNK)), min_size=1, max_size=4),
    update=st.sampled_from(["sync", "async", "random-order"]),
)
def test_simulate_options(run_cli, picks, update):
    """Junk option values: a result or a clean usage error (exit 2), never a traceback."""
    args = ["simulate", "mtor", "--update", update, "--runs", "3"]
    args += ["--steps", "2"] if update != "async" else ["--time", "1"]
    for opt, value in picks:
        if opt == "--steps" and update == "async":
            opt = "--time"
        if (
            opt in ("--runs", "--steps", "--time")
            and value.lstrip("-").replace(".", "").isdigit()
            and float(value) > 50
        ):
            value = "50"  # keep the fuzz fast; the ceilings have their own tests
        args += [opt, value]
    res = run_cli(*args)
    assert res.exit_code in (0, 2), (args, res.exit_code, res.output, res.stderr)
    assert "Traceback" not in res.stderr and "Traceback" not in res.output, (args, res.stderr)
