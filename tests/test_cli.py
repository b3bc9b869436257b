"""The command line: info, convert, simulate, plot; --help stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CORPUS, MCF7

from mtorsim.network import Network

TOGGLE = "#BOOLEAN RULES\nA* = not B\nB* = A\nC* = A and B\n"


def test_help_does_not_import_numba_or_matplotlib():
    code = (
        "import sys\nfrom mtorsim.cli.main import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('numba', 'matplotlib', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_every_command_help_has_an_example(run_cli):
    from mtorsim.cli.main import COMMANDS

    assert len(COMMANDS) >= 10
    for cmd in COMMANDS:
        result = run_cli(cmd, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.output and "mtorsim " + cmd in result.output


def test_help_keeps_indented_blocks_as_written(run_cli):
    """Lists and examples indented in a command's docstring reach --help line for line (click
    re-wraps a paragraph unless it is marked with \\b)."""
    import inspect

    import click

    from mtorsim.cli.main import COMMANDS, cli

    for cmd in COMMANDS:
        command = cli.get_command(click.Context(cli), cmd)
        doc = inspect.cleandoc(command.callback.__doc__ or "")
        shown = {line.strip() for line in run_cli(cmd, "--help").output.splitlines()}
        for line in doc.splitlines():
            if line.startswith("  ") and line.strip():
                assert line.strip() in shown, (cmd, line)


def test_info_json(run_cli, write):
    p = write("m.rules", TOGGLE)
    data = json.loads(run_cli("info", p, "--format", "json").stdout)
    assert data["nodes"] == ["A", "B", "C"]
    assert {"source": "B", "target": "A", "sign": "-"} in data["edges"]
    assert data["in_degree"]["max"] == 2


def test_convert_round_trip_and_no_overwrite(run_cli, tmp_path):
    src = CORPUS[0]
    out = tmp_path / "m.rules"
    assert run_cli("convert", src, out).exit_code == 0
    a, b = Network.load(src), Network.load(out)
    assert a.nodes == b.nodes
    result = run_cli("convert", src, out)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert run_cli("convert", src, out, "--force").exit_code == 0


def test_simulate_json_shape_and_sync_trajectory(run_cli, write):
    p = write("m.rules", TOGGLE)
    result = run_cli("simulate", p, "--steps", "4", "--init", "A=1", "--format", "json")
    data = json.loads(result.stdout)
    assert data["nodes"] == ["A", "B", "C"] and data["times"] == [0, 1, 2, 3, 4]
    # Hand derivation from A=1,B=0,C=0 with A'=!B, B'=A, C'=A&B:
    # (1,0,0) -> (1,1,0) -> (0,1,1) -> (0,0,0) -> (1,0,0)
    assert data["trajectory"] == {"A": [1, 1, 0, 0, 1], "B": [0, 1, 1, 0, 0], "C": [0, 0, 1, 0, 0]}
    assert data["mean"]["A"] == [1, 1, 0, 0, 1]


def test_simulate_many_runs_is_reproducible(run_cli, write):
    p = write("m.rules", TOGGLE)
    args = ("simulate", p, "--update", "random-order", "--init-default", "random", "--runs", "200", "--format", "json")
    a = json.loads(run_cli(*args, "--seed", "3").stdout)
    b = json.loads(run_cli(*args, "--seed", "3").stdout)
    c = json.loads(run_cli(*args, "--seed", "4").stdout)
    assert a["mean"] == b["mean"]
    assert a["mean"] != c["mean"]
    assert all(0 <= x <= 1 for xs in a["mean"].values() for x in xs)


def test_simulate_csv_and_table(run_cli, write):
    p = write("m.rules", TOGGLE)
    csv = run_cli("simulate", p, "--steps", "2", "--init", "A=1", "--format", "csv").stdout.splitlines()
    assert csv == ["time,A,B,C", "0,1,0,0", "1,1,1,0", "2,0,1,1"]
    table = run_cli("simulate", p, "--steps", "2", "--init", "A=1").stdout
    assert "state (0/1)" in table and table.splitlines()[-1].split() == ["C", "0", "0", "1"]


def test_simulate_set_holds_and_windows(run_cli, write):
    p = write("m.rules", TOGGLE)
    data = json.loads(run_cli("simulate", p, "--steps", "4", "--set", "B=1@1-3", "--format", "json").stdout)
    # Hand derivation from all zeros, B held at 1 for times 1..3 (set after step 1, released after step 3):
    # (0,0,0) -> (1,0,0)+hold -> (1,1,0) -> (0,1,1) -> (0,1,0)+release -> (0,0,0)
    assert data["trajectory"]["B"] == [0, 1, 1, 1, 0]
    assert data["trajectory"]["A"] == [0, 1, 0, 0, 0]
    assert data["trajectory"]["C"] == [0, 0, 1, 0, 0]


def test_shipped_model_from_another_folder(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("simulate", "zanudo2021-mcf7", "--runs", "50", "--time", "2", "--show", "AKT", "--format", "json")
    data = json.loads(result.stdout)
    assert data["update"] == "async" and data["nodes"] == ["AKT"]
    assert "Proliferation_norm" in data["scores"]


def test_save_and_plot(run_cli, write, tmp_path):
    p = write("m.rules", TOGGLE)
    saved = tmp_path / "r.json"
    fig = tmp_path / "r.png"
    assert (
        run_cli("simulate", p, "--runs", "20", "--init-default", "random", "--out", saved, "--format", "csv").exit_code
        == 0
    )
    assert run_cli("plot", saved, "--out", fig, "--order", "cluster").exit_code == 0
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = write("bad.json", "{not json")
    result = run_cli("plot", bad, "--out", tmp_path / "x.png")
    assert result.exit_code == 2 and "not a JSON result" in result.stderr


def test_zanudo_initial_file_and_rates(run_cli):
    model = MCF7 / "model.rules"
    init = MCF7 / "initial.txt"
    slow = MCF7 / "slow_nodes.txt"
    result = run_cli(
        "simulate",
        model,
        "--update",
        "async",
        "--time",
        "1",
        "--runs",
        "10",
        "--init-file",
        init,
        "--slow",
        slow,
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    assert data["settings"]["steps_per_time_unit"] == 55 + 5 * 45
    assert data["mean"]["IGF1R_T"][0] == 1 and data["mean"]["HER2"][0] == 0


def test_simulate_uses_one_medium_with_or_without_options(run_cli):
    """The vocabulary's environment applies whether or not --env/--drug are given, so an
    untreated run and a treated one differ by the drug alone (and --env X=default changes nothing)."""
    import json

    args = (
        "simulate",
        "mtor",
        "--update",
        "async",
        "--runs",
        "50",
        "--time",
        "5",
        "--show",
        "GF",
        "--show",
        "AA_ext",
        "--format",
        "json",
    )
    plain, same = (json.loads(run_cli(*args, *extra).stdout) for extra in ((), ("--env", "glucose=1")))
    assert plain["mean"] == same["mean"] and plain["mean"]["GF"][0] == 1 and plain["mean"]["AA_ext"][0] == 1
    assert plain["settings"]["environment"]["growth_factors"] == 1 and plain["settings"]["drugs"] == []
    table = run_cli(*args[:-2]).stdout
    assert "# environment: growth_factors=1, egf=0, amino_acids=1" in table and "drugs: -" in table
    starved = json.loads(run_cli(*args, "--env", "growth_factors=0").stdout)
    assert starved["mean"]["GF"][-1] == 0


def test_set_over_a_drug_says_that_set_wins(run_cli):
    import json

    res = run_cli(
        "simulate",
        "mtor",
        "--runs",
        "4",
        "--steps",
        "2",
        "--drug",
        "alpelisib",
        "--set",
        "PI3Ka=1",
        "--format",
        "json",
        "--show",
        "PI3Ka",
    )
    assert "--set PI3Ka=1 overrides the drug alpelisib's hold (PI3Ka=0): --set wins" in res.stderr
    assert json.loads(res.stdout)["mean"]["PI3Ka"][-1] == 1


@pytest.mark.parametrize(
    "args",
    [
        ("simulate", "mtor", "--runs", "3000000", "--steps", "3000"),
        ("simulate", "mtor", "--update", "continuous", "--runs", "3000000", "--max-time", "100"),
    ],
)
def test_ctrl_c_stops_with_a_clean_message(args):
    """SIGINT while a kernel runs: exit 130 and 'interrupted', no traceback."""
    import signal
    import time

    p = subprocess.Popen(
        [sys.executable, "-m", "mtorsim", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        text=True,
    )
    time.sleep(3)
    p.send_signal(signal.SIGINT)
    err = p.communicate(timeout=60)[1]
    assert p.returncode == 130 and err.strip().endswith("interrupted") and "Traceback" not in err, err


@pytest.mark.parametrize(
    "args, label",
    [
        (("check", "mtor-tcell", "--runs", "50", "--format", "json"), "scenarios: "),
        (
            (
                "screen",
                "mtor",
                "--drug",
                "everolimus",
                "--drug",
                "alpelisib",
                "--max-combo",
                "1",
                "--runs",
                "50",
                "--format",
                "json",
            ),
            "screen: ",
        ),
        (
            ("response", "mtor", "--drug", "everolimus", "--doses", "1,10", "--runs", "50", "--format", "json"),
            "populations: ",
        ),
    ],
)
def test_long_commands_report_progress_even_into_json(run_cli, monkeypatch, args, label):
    """Progress goes to stderr (a line every EVERY seconds off a terminal), so stdout stays the
    JSON document; here EVERY is 0 so every step prints."""
    from mtorsim.cli.common import progress_bar

    monkeypatch.setattr(progress_bar, "EVERY", 0.0)
    res = run_cli(*args)
    assert res.exit_code == 0, res.stderr
    json.loads(res.stdout)
    lines = [x for x in res.stderr.splitlines() if x.startswith(label)]
    assert lines and lines[-1].split()[1].split("/")[0] == lines[-1].split()[1].split("/")[1], res.stderr
