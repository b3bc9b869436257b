"""`mtorsim attractors`: output shapes, inputs, errors, plot."""

from __future__ import annotations

import json

from conftest import CORPUS

CELL_CYCLE = next(p for p in CORPUS if "bbm-023" in p.name)  # Fauré et al. 2006, 10 nodes
TOGGLE = "A* = not B\nB* = not A\nC* = A and IN\nIN* = IN\n"


def test_json_shape_sync(run_cli):
    data = json.loads(run_cli("attractors", CELL_CYCLE, "--format", "json").stdout)
    assert data["update"] == "sync" and data["complete"] is True
    assert len(data["nodes"]) == 10
    kinds = sorted((a["kind"], a["size"]) for a in data["attractors"])
    assert kinds == [("cycle", 7), ("fixed", 1)]  # the published result: a stable state and a 7-step cycle
    for a in data["attractors"]:
        assert len(a["states"]) == a["size"] and all(len(s) == 10 for s in a["states"])
        assert set(a["activity"]) == set(data["nodes"])
        assert a["basin"] == 0.5


def test_async_complex_attractor(run_cli):
    data = json.loads(run_cli("attractors", CELL_CYCLE, "--update", "async", "--format", "json").stdout)
    assert sorted((a["kind"], a["size"]) for a in data["attractors"]) == [("complex", 112), ("fixed", 1)]
    assert all(a["basin"] is None for a in data["attractors"])
    big = next(a for a in data["attractors"] if a["size"] == 112)
    assert len(big["states"]) == 112


def test_inputs_fixed_and_enumerated(run_cli, write):
    p = write("t.rules", TOGGLE)
    both = json.loads(run_cli("attractors", p, "--format", "json").stdout)
    assert both["combinations"] == {"examined": 2, "total": 2}
    one = json.loads(run_cli("attractors", p, "--inputs", "IN=1", "--format", "json").stdout)
    assert one["combinations"]["total"] == 1
    # A/B toggle: two fixed points (1,0) and (0,1), plus the sync 2-cycle (0,0) <-> (1,1); C = A and IN
    assert sorted(a["states"][0] for a in one["attractors"] if a["kind"] == "fixed") == ["0101", "1011"]


def test_partial_when_combinations_capped(run_cli, write):
    p = write("t.rules", "A* = X or Y\nX* = X\nY* = Y\n")
    result = run_cli("attractors", p, "--max-combinations", "2", "--format", "json")
    data = json.loads(result.stdout)
    assert data["complete"] is False and "partial: 2 of 4 combinations" in result.stderr


def test_bad_input_name(run_cli, write):
    p = write("t.rules", TOGGLE)
    result = run_cli("attractors", p, "--inputs", "A=1")
    assert result.exit_code == 2 and "'A' is not an input of the model" in result.stderr and "--set" in result.stderr
    result = run_cli("attractors", p, "--inputs", "In=1")
    assert result.exit_code == 2 and "did you mean 'IN'?" in result.stderr


def test_table_csv_and_plot(run_cli, write, tmp_path):
    p = write("t.rules", TOGGLE)
    table = run_cli("attractors", p, "--inputs", "IN=0").stdout
    assert "complete" in table and "A1:" in table
    csv = run_cli("attractors", p, "--inputs", "IN=0", "--format", "csv").stdout.splitlines()
    assert csv[0] == "attractor,kind,size,basin,state,A,B,C,IN"
    fig = tmp_path / "a.png"
    assert run_cli("attractors", CELL_CYCLE, "--plot", fig).exit_code == 0
    assert fig.read_bytes()[:4] == b"\x89PNG"


def test_fixed_points_any_size(run_cli):
    big = next(p for p in CORPUS if "bbm-243" in p.name)  # 1,076 nodes
    result = run_cli("attractors", big, "--method", "fixed-points", "--limit", "5", "--format", "json")
    data = json.loads(result.stdout)
    assert len(data["nodes"]) == 1076 and len(data["attractors"]) == 5
    assert data["complete"] is False and "more than 5 fixed points" in result.stderr
