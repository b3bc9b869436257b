"""``mtorsim screen``: cells equal individual scenarios; deterministic, parallel and resumable;
Bliss/HSA synergy and compensation checked against hand computations."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest
from conftest import DATA

from mtorsim.model import load_model
from mtorsim.scenarios.scenario import run_scenario
from mtorsim.screening.store import cells_from_db

TOY = DATA / "toy" / "toy.rules"

# A synthetic model for synergy by hand. O oscillates (sync: O = 0, 1, 0, ...), so a readout that
# reads O has mean 0.5. A, B follow the growth-factor input (1 by default).
SYN_RULES = "GF* = GF\nO* = not O\nA* = GF\nB* = GF\n"
SYN_VOCAB = """
[environment.gf]
nodes = ["GF"]
default = 1
[mutations.A_loss]
perturbations = [{ node = "A", value = 0 }]
[mutations.O_off]
perturbations = [{ node = "O", value = 0 }]
[drugs.a_inhibitor]
perturbations = [{ node = "A", value = 0 }]
[drugs.b_inhibitor]
perturbations = [{ node = "B", value = 0 }]
[drugs.b_inhibitor2]
perturbations = [{ node = "B", value = 0 }]
[readouts.out]
formula = "(A and O) or B"
[readouts.a]
node = "A"
"""


def screen_json(run_cli, *args):
    result = run_cli("screen", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def cell(data, background, treatment):
    (row,) = [r for r in data["results"] if r["background"] == background and r["treatment"] == treatment]
    return row


def synergy(data, background, treatment):
    (row,) = [s for s in data["synergy"][background] if s["treatment"] == treatment]
    return row


@pytest.fixture
def syn_model(write):
    write("syn.toml", SYN_VOCAB)
    return write("syn.rules", SYN_RULES)


def test_cells_equal_individual_scenarios(run_cli):
    data = screen_json(run_cli, TOY, "--env", "growth_factors=1")
    assert data["backgrounds"] == ["wildtype", "TSC_loss"]
    assert data["treatments"] == [[], ["rapalog"], ["torki"], ["rapalog", "torki"]]
    assert [(r["background"], r["treatment"]) for r in data["results"]] == [
        (b, t) for b in data["backgrounds"] for t in data["treatments"]
    ]
    model = load_model(str(TOY))
    net, vocab = model.network, model.vocabulary
    for row in data["results"]:
        res = run_scenario(net, vocab, env={"growth_factors": 1}, mutations=row["mutations"], drugs=row["treatment"])
        keys = ("min", "max", "mean", "se", "attractor_mean")
        want = {k: {key: v[key] for key in keys} for k, v in res.readouts.items()}
        assert row["readouts"] == want
        assert row["complete"] is res.attractors.complete is True


def test_combined_background_and_drug_restriction(run_cli, syn_model):
    data = screen_json(
        run_cli,
        syn_model,
        "--background",
        "A_loss+O_off",
        "--background",
        "wildtype",
        "--drug",
        "b_inhibitor",
        "--drug",
        "A_INHIBITOR",
        "--max-combo",
        "1",
    )
    assert data["backgrounds"] == ["A_loss+O_off", "wildtype"]
    assert data["treatments"] == [[], ["a_inhibitor"], ["b_inhibitor"]]  # vocabulary order
    model = load_model(str(syn_model))
    net, vocab = model.network, model.vocabulary
    for row in data["results"]:
        res = run_scenario(net, vocab, mutations=row["mutations"], drugs=row["treatment"])
        assert row["readouts"]["out"]["mean"] == res.readouts["out"]["mean"]
    assert cell(data, "A_loss+O_off", [])["mutations"] == ["A_loss", "O_off"]


def test_json_is_deterministic_and_jobs_do_not_change_results(run_cli):
    a = screen_json(run_cli, TOY)
    b = screen_json(run_cli, TOY)
    c = screen_json(run_cli, TOY, "--jobs", "2")
    assert a == b
    assert a["results"] == c["results"] and a["ranking"] == c["ranking"] and a["synergy"] == c["synergy"]


def test_db_resume_after_interruption_gives_the_same_db(run_cli, tmp_path):
    full, part = tmp_path / "full.sqlite", tmp_path / "part.sqlite"
    ref = screen_json(run_cli, TOY, "--db", full)
    screen_json(run_cli, TOY, "--db", part)
    con = sqlite3.connect(part)
    with con:  # simulate an interrupted run: only some cells were written
        con.execute("DELETE FROM cells WHERE background = 'TSC_loss' OR treatment LIKE '%torki%'")
    con.close()
    assert len(cells_from_db(part)) == 2
    result = run_cli("screen", TOY, "--db", part, "--resume", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "2 of 8 cell(s) taken from" in result.stderr
    assert cells_from_db(part) == cells_from_db(full) and len(cells_from_db(full)) == 8
    assert json.loads(result.stdout)["results"] == ref["results"]
    con = sqlite3.connect(full)
    settings = dict(con.execute("SELECT key, value FROM settings"))
    con.close()
    assert {"model", "vocabulary", "update", "method", "env", "readout"} <= set(settings)
    assert json.loads(settings["env"]) == {"growth_factors": 1, "amino_acids": 1}


def test_db_refuses_to_mix_settings_or_overwrite(run_cli, tmp_path):
    db = tmp_path / "s.sqlite"
    assert run_cli("screen", TOY, "--db", db).exit_code == 0
    before = cells_from_db(db)
    for args in (("--env", "amino_acids=0"), ("--update", "async"), ("--readout", "akt")):
        result = run_cli("screen", TOY, "--db", db, "--resume", *args)
        assert result.exit_code == 2 and "different settings" in result.stderr and "refusing to mix" in result.stderr
    result = run_cli("screen", TOY, "--db", db)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert cells_from_db(db) == before
    assert run_cli("screen", TOY, "--db", db, "--force", "--env", "amino_acids=0").exit_code == 0
    assert cells_from_db(db) != before
    assert run_cli("screen", TOY, "--resume").exit_code == 2


def test_bliss_and_hsa_on_toy_by_hand(run_cli):
    data = screen_json(run_cli, TOY, "--readout", "s6k", "--no-estimate")  # attractor means
    # Hand: wildtype untreated S6K cycles (mean 0.5); rapalog, torki and the pair all hold it at 0.
    means = [cell(data, "wildtype", t)["readouts"]["s6k"]["mean"] for t in data["treatments"]]
    assert means == [0.5, 0.0, 0.0, 0.0]
    # e = (0.5 - 0) / 0.5 = 1 for each; expected = 1 - (1-1)(1-1) = 1; Bliss = 1 - 1 = 0; HSA = 1 - 1 = 0
    s = synergy(data, "wildtype", ["rapalog", "torki"])
    assert (s["effect"], s["expected"], s["bliss"], s["hsa"]) == (1.0, 1.0, 0.0, 0.0)
    # translation: rapalog raises EIF4F (0.5 -> 1: effect clipped to 0), torki 0.5 -> 0 (effect 1),
    # pair 0 (effect 1); expected 1 - (1-0)(1-1) = 1; Bliss 0; HSA 1 - max(0, 1) = 0
    data = screen_json(run_cli, TOY, "--readout", "translation")
    s = synergy(data, "wildtype", ["rapalog", "torki"])
    assert s["singles"] == [0.0, 1.0] and (s["expected"], s["bliss"], s["hsa"]) == (1.0, 0.0, 0.0)
    assert [r["treatment"] for r in data["ranking"]["wildtype"]] == [["torki"], ["rapalog", "torki"], [], ["rapalog"]]


def test_bliss_and_hsa_fractional_by_hand(run_cli, syn_model):
    data = screen_json(run_cli, syn_model, "--background", "wildtype", "--readout", "out", "--no-estimate")
    # out = (A and O) or B, O alternating 0/1:
    #   untreated A=B=1 -> 1; a_inhibitor (A=0) -> B = 1; b_inhibitor (B=0) -> O -> mean 0.5; a+b -> 0
    m = {tuple(t): cell(data, "wildtype", t)["readouts"]["out"]["mean"] for t in data["treatments"]}
    assert m[()] == 1 and m[("a_inhibitor",)] == 1 and m[("b_inhibitor",)] == 0.5
    assert m[("a_inhibitor", "b_inhibitor")] == 0 and m[("b_inhibitor", "b_inhibitor2")] == 0.5
    # a + b: e_a = 0, e_b = 0.5, e_ab = 1; expected = 1 - 1 * 0.5 = 0.5; Bliss = 0.5; HSA = 1 - 0.5 = 0.5
    s = synergy(data, "wildtype", ["a_inhibitor", "b_inhibitor"])
    assert (s["effect"], s["expected"], s["bliss"], s["hsa"], s["synergistic"]) == (1.0, 0.5, 0.5, 0.5, True)
    # b + b2 (same target): e = 0.5 each, pair 0.5; expected = 1 - 0.5 * 0.5 = 0.75; Bliss = -0.25; HSA = 0
    s = synergy(data, "wildtype", ["b_inhibitor", "b_inhibitor2"])
    assert (s["expected"], s["bliss"], s["hsa"], s["synergistic"]) == (0.75, -0.25, 0.0, False)
    # --goal high on the same readout: untreated is already at the ceiling (1): no room, no effect
    high = screen_json(run_cli, syn_model, "--background", "wildtype", "--readout", "out", "--goal", "high")
    assert synergy(high, "wildtype", ["a_inhibitor", "b_inhibitor"])["bliss"] is None
    assert high["ranking"]["wildtype"][0]["mean"] == 1


def test_compensation_akt_rises_under_torki(run_cli):
    data = screen_json(run_cli, TOY, "--no-estimate")  # sync attractor means, derived by hand
    assert cell(data, "wildtype", [])["readouts"]["akt"]["mean"] == 0.5
    assert cell(data, "wildtype", ["torki"])["readouts"]["akt"]["mean"] == 1
    assert cell(data, "wildtype", ["torki"])["compensation"] == {"akt": 0.5}
    assert cell(data, "wildtype", [])["compensation"] == {}
    # rapalog raises both AKT (relieved feedback) and translation (EIF4F no longer cycles)
    assert cell(data, "wildtype", ["rapalog"])["compensation"] == {"translation": 0.5, "akt": 0.5}


@pytest.mark.parametrize(
    "args, message",
    [
        (("--drug", "everolimuss"), "did you mean 'everolimus'"),
        (("--background", "TSC_los"), "did you mean 'TSC_loss'"),
        (("--background", "wildtype+TSC_loss"), "cannot be combined"),
        (("--readout", "sk6"), "did you mean 's6k'"),
        (("--env", "amino_acid=1"), "did you mean 'amino_acids'"),
        (("--scheduler", "tcp://x:8786", "--jobs", "2"), "exclude each other"),
        (("--scheduler", " "), "give the Dask scheduler's address"),
        (("--plot", "x.txt"), "unsupported --plot file type"),
    ],
)
def test_user_errors_exit_2(run_cli, args, message):
    result = run_cli("screen", TOY, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_table_csv_plot_and_help(run_cli, tmp_path):
    table = run_cli("screen", TOY, "--no-estimate").stdout
    assert "== wildtype" in table and "== TSC_loss" in table and "akt +0.50" in table
    csv = run_cli("screen", TOY, "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("background,treatment,complete,translation_min")
    assert len(csv) == 9 and csv[3].startswith("wildtype,torki,1,")
    png = tmp_path / "screen.png"
    assert run_cli("screen", TOY, "--plot", png).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run_cli("screen", TOY, "--plot", png).exit_code == 2  # no silent overwrite
    help_text = run_cli("screen", "--help").output
    assert "Examples:" in help_text and "mtorsim screen" in help_text


def test_plot_marks_synergy(syn_model):
    from mtorsim.plots.screen import screen_figure
    from mtorsim.screening.plan import plan
    from mtorsim.screening.screen import run_screen

    model = load_model(str(syn_model))
    net, vocab = model.network, model.vocabulary
    res = run_screen(net, vocab, plan(vocab, backgrounds=["wildtype", "A_loss"]), readout="out")
    fig = screen_figure(res)
    ax = fig.axes[0]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    texts = {(rows[round(t.get_position()[1])], cols[round(t.get_position()[0])]): t.get_text() for t in ax.texts}
    # wildtype: a + b and a + b2 (Bliss 0.5); in A_loss, a does nothing, so e_b = 1 and Bliss = 0
    marked = sorted(k for k, v in texts.items() if "*" in v)
    assert marked == [("wildtype", "a_inhibitor + b_inhibitor"), ("wildtype", "a_inhibitor + b_inhibitor2")]
    # out = (A and O) or B with O a free oscillator: the synergy comes from averaging O's cycle
    assert all(texts[k].endswith("*~") for k in marked) and texts[("wildtype", "b_inhibitor")] == ".50"
    assert texts[("A_loss", "a_inhibitor")] == "1.00" and texts[("A_loss", "b_inhibitor")] == ".00"  # out = B
    assert texts[("wildtype", "untreated")] == "1.00" and rows == ["wildtype", "A_loss"]


def test_plot_stays_legible_for_a_swept_screen(syn_model):
    """One panel per environment, backgrounds as rows, at most 8 combinations: a bounded figure."""
    from mtorsim.plots.screen import TOP_COMBINATIONS, screen_figure
    from mtorsim.screening.plan import plan
    from mtorsim.screening.screen import run_screen

    model = load_model(str(syn_model))
    net, vocab = model.network, model.vocabulary
    sweep = list(vocab.environment)[:1]
    res = run_screen(net, vocab, plan(vocab, sweep=sweep), readout="out")
    fig = screen_figure(res)
    heat = [ax for ax in fig.axes if ax.images and ax.get_yticklabels()]
    assert len(heat) == 2
    n_cols = len(heat[0].get_xticklabels()) or len(heat[-1].get_xticklabels())
    singles = sum(1 for t in res.plan.treatments if len(t) <= 1)
    assert n_cols <= singles + TOP_COMBINATIONS
    assert fig.get_size_inches()[0] <= 16


# ---------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def dask_cluster():
    """A one-worker Dask cluster in a separate process, so cells really travel pickled."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster:
        yield cluster.scheduler_address


def test_dask_scheduler_gives_the_local_results_and_db(run_cli, tmp_path, dask_cluster):
    local_db, dask_db = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    local = screen_json(run_cli, TOY, "--db", local_db)
    remote = screen_json(run_cli, TOY, "--db", dask_db, "--scheduler", dask_cluster)
    assert remote["results"] == local["results"] and len(remote["results"]) == 8
    assert remote["ranking"] == local["ranking"] and remote["synergy"] == local["synergy"]
    assert cells_from_db(dask_db) == cells_from_db(local_db)


def test_dask_resume_and_settings_shared_with_local(run_cli, tmp_path, syn_model, dask_cluster):
    full, part = tmp_path / "full.sqlite", tmp_path / "part.sqlite"
    args = (syn_model, "--readout", "out", "--format", "json")
    ref = screen_json(run_cli, *args[:-2], "--db", full)
    screen_json(run_cli, *args[:-2], "--db", part)
    con = sqlite3.connect(part)
    with con:  # interrupted: keep only the wildtype cells
        con.execute("DELETE FROM cells WHERE background != 'wildtype'")
    con.close()
    kept = len(cells_from_db(part))
    result = run_cli("screen", *args, "--db", part, "--resume", "--scheduler", dask_cluster)
    assert result.exit_code == 0, result.stderr
    assert f"{kept} of {len(ref['results'])} cell(s) taken from" in result.stderr
    assert cells_from_db(part) == cells_from_db(full)
    assert json.loads(result.stdout)["results"] == ref["results"]


def test_dask_bad_address_is_a_user_error(run_cli):
    pytest.importorskip("dask.distributed")
    result = run_cli("screen", TOY, "--scheduler", "foo://x:8786")
    assert result.exit_code == 2 and "unknown address scheme 'foo'" in result.stderr


def test_scheduler_without_dask_names_the_extra(run_cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)  # import dask / dask.distributed now raise ImportError
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    result = run_cli("screen", TOY, "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2
    assert "needs the optional extra: pip install 'mtorsim[dask]'" in result.stderr


def test_backgrounds_file(run_cli, write):
    listing = write("bg.txt", "# backgrounds\nwildtype\nTSC_loss  # the mutant\n")
    a = json.loads(run_cli("screen", DATA / "toy" / "toy.rules", "--backgrounds", listing, "--format", "json").stdout)
    b = json.loads(
        run_cli(
            "screen",
            DATA / "toy" / "toy.rules",
            "--background",
            "wildtype",
            "--background",
            "TSC_loss",
            "--format",
            "json",
        ).stdout
    )
    assert a["results"] == b["results"]


def test_environment_sweep_cells_equal_scenarios(run_cli):
    """--env-sweep repeats each background per environment; every cell equals its scenario."""
    from mtorsim.model import load_model
    from mtorsim.scenarios.scenario import run_scenario

    data = json.loads(
        run_cli(
            "screen",
            DATA / "toy" / "toy.rules",
            "--env-sweep",
            "amino_acids",
            "--background",
            "wildtype",
            "--format",
            "json",
        ).stdout
    )
    assert data["backgrounds"] == ["wildtype|amino_acids=0", "wildtype|amino_acids=1"]
    model = load_model(str(DATA / "toy" / "toy.rules"))
    net, vocab = model.network, model.vocabulary
    for cell in data["results"]:
        ref = run_scenario(net, vocab, env=cell["environment"], mutations=cell["mutations"], drugs=cell["treatment"])
        assert {k: v["mean"] for k, v in cell["readouts"].items()} == {k: v["mean"] for k, v in ref.readouts.items()}
    result = run_cli("screen", DATA / "toy" / "toy.rules", "--env-sweep", "amino_acids", "--env", "amino_acids=1")
    assert result.exit_code == 2 and "both set with --env and swept" in result.stderr


def test_resumed_screen_prints_the_same_bytes(run_cli, tmp_path):
    """Cells read back from the database and fresh cells print alike (order of readouts and keys)."""
    db = tmp_path / "s.sqlite"
    assert run_cli("screen", TOY, "--db", db, "--drug", "rapalog", "--max-combo", "1").exit_code == 0
    for fmt in ("csv", "json", "table"):
        resumed = run_cli("screen", TOY, "--db", db, "--resume", "--format", fmt)
        fresh = run_cli("screen", TOY, "--format", fmt)
        assert resumed.exit_code == 0 and fresh.exit_code == 0
        if fmt == "json":
            a, b = json.loads(resumed.stdout), json.loads(fresh.stdout)
            a.pop("settings"), b.pop("settings")
            assert json.dumps(a) == json.dumps(b)
        else:
            assert resumed.stdout == fresh.stdout


def test_a_second_screen_on_one_database_is_refused(run_cli, tmp_path):
    from mtorsim.screening.store import ScreenDB

    db = tmp_path / "s.sqlite"
    holder = ScreenDB(db, {"x": 1})
    try:
        for extra in (("--resume",), ("--force",)):
            res = run_cli("screen", TOY, "--db", db, *extra)
            assert res.exit_code == 2 and "another screen is running on this database" in res.stderr
    finally:
        holder.close()
    assert run_cli("screen", TOY, "--db", db, "--force").exit_code == 0


def test_workers_die_with_a_killed_screen(tmp_path):
    """kill -9 of a `screen --jobs 2` parent: its worker processes end too (Linux)."""
    import signal
    import subprocess
    import sys
    import time

    psutil = pytest.importorskip("psutil")
    if not sys.platform.startswith("linux"):
        pytest.skip("parent-death signal is Linux-only")
    p = subprocess.Popen(
        [sys.executable, "-m", "mtorsim", "screen", "mtor", "--jobs", "2", "--db", str(tmp_path / "s.sqlite")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children = []
    for _ in range(200):
        children = psutil.Process(p.pid).children(recursive=True)
        if len(children) >= 2:
            break
        time.sleep(0.1)
    assert len(children) >= 2, "the workers did not start"
    p.send_signal(signal.SIGKILL)
    p.wait()
    gone, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, f"workers outlived their parent: {alive}"


def test_a_worker_whose_parent_died_before_it_asked_ends_at_once():
    """The race in the test above: a worker forked just before its parent was killed asks for the
    parent-death signal too late (it has a new parent by then) and must end itself."""
    import os
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("parent-death signal is Linux-only")
    from mtorsim.screening.workers import _die_with_parent

    pid = os.fork()
    if pid == 0:  # the child pretends its parent was another process, long gone
        try:
            _die_with_parent(os.getppid() + 1_000_000)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 1
    pid = os.fork()
    if pid == 0:  # with its real parent alive, the worker carries on
        try:
            _die_with_parent(os.getppid())
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
