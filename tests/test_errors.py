"""Every bad-input case: one paragraph with file:line:column, a caret, a hint; exit status 2."""

from __future__ import annotations

import pytest


def check_error(result, *fragments: str) -> str:
    assert result.exit_code == 2, result.output
    err = result.stderr
    assert err.startswith("error: ")
    assert "Traceback" not in err
    for f in fragments:
        assert f in err, f"{f!r} not in:\n{err}"
    return err


def test_unknown_token(run_cli, write):
    p = write("m.rules", "A* = B\nB* = A $ C\n")
    err = check_error(run_cli("info", p), f"{p}:2:8: unexpected character '$'")
    assert "  2 | B* = A $ C" in err
    assert "\n    |        ^\n" in err


def test_missing_operator_points_at_token(run_cli, write):
    p = write("m.rules", "A* = B\nmTORC1* = RHEB and AKT AKT\n")
    err = check_error(
        run_cli("info", p), f"{p}:2:24: expected an operator before 'AKT'", "hint: join terms with and/or"
    )
    assert "^^^" in err


def test_unknown_name_strict_suggests_nearest(run_cli, write):
    p = write("m.rules", "AKT* = PDK1\nPDK1* = PDK1\nmTORC1* = AKTT and PDK1\n")
    check_error(
        run_cli("info", p, "--strict"), f"{p}:3:11: 'AKTT' is used but has no rule (--strict)", "did you mean 'AKT'?"
    )


def test_free_input_warning_names_it(run_cli, write):
    p = write("m.rules", "AKT* = PDK1\nmTORC1* = AKT\n")
    result = run_cli("info", p)
    assert result.exit_code == 0
    assert "warning: 1 regulator(s) have no rule" in result.stderr and "PDK1" in result.stderr
    assert "without a rule in the file (1): PDK1" in result.stdout


def test_duplicate_definition(run_cli, write):
    p = write("m.rules", "A* = B\nB* = A\nA* = not B\n")
    check_error(run_cli("info", p), f"{p}:3:1: 'A' is defined twice", "first defined at line 1")


def test_duplicate_definition_bnet(run_cli, write):
    p = write("m.bnet", "targets, factors\nA, B\nB, A\nA, !B\n")
    check_error(run_cli("info", p), f"{p}:4:1: 'A' is defined twice")


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("A* =\n", ":1:5: empty rule"),
        ("A* =   # nothing\n", ":1:8: empty rule"),
        ("A* = B and\n", ":1:11: expression ends too early"),
        ("A* = ()\n", ":1:7: empty parentheses"),
    ],
)
def test_empty_expressions(run_cli, write, text, fragment):
    p = write("m.rules", text)
    check_error(run_cli("info", p), f"{p}{fragment}")


def test_unclosed_parenthesis(run_cli, write):
    p = write("m.rules", "A* = (B and (C or A)\nB* = A\nC* = A\n")
    check_error(run_cli("info", p), f"{p}:1:6: unclosed '('", "add the matching ')'")


def test_unmatched_parenthesis(run_cli, write):
    p = write("m.bnet", "A, B)\nB, A\n")
    check_error(run_cli("info", p), f"{p}:1:5: unmatched ')'")


def test_line_without_definition(run_cli, write):
    p = write("m.rules", "A* = B\nB A\n")
    check_error(run_cli("info", p), f"{p}:2:1: expected a definition 'Node* = rule'")


def test_binary_file(run_cli, write):
    p = write("m.rules", b"\x7fELF\x02\x01\x01\x00\x00\x00")
    check_error(run_cli("info", p), f"{p}: looks like a binary file")


def test_non_utf8_file(run_cli, write):
    p = write("m.rules", b"A* = B\nB* = A\n" + b"C* = \xff\n")
    check_error(run_cli("info", p), f"{p}:3: not valid UTF-8", "save the file as UTF-8")


def test_missing_file(run_cli, tmp_path):
    check_error(run_cli("info", tmp_path / "nope.bnet"), "nope.bnet: no such file")


def test_unknown_shipped_model(run_cli):
    check_error(
        run_cli("info", "zanudo2021-mfc7"), "neither a file nor a shipped model", "did you mean 'zanudo2021-mcf7'?"
    )


def test_model_text_is_never_executed(run_cli, write, tmp_path):
    marker = tmp_path / "pwned"
    p = write("m.rules", f"A* = __import__('os').system('touch {marker}')\n")
    check_error(run_cli("info", p), "unexpected character")
    assert not marker.exists()


def test_unknown_node_in_set(run_cli, write):
    p = write("m.rules", "AKT* = not AKT\n")
    check_error(run_cli("simulate", p, "--set", "AKt=1"), "unknown node 'AKt'", "did you mean 'AKT'?")


def test_bad_set_value(run_cli, write):
    p = write("m.rules", "AKT* = not AKT\n")
    check_error(run_cli("simulate", p, "--set", "AKT=2"), "--set AKT=2: the value must be 0 or 1")


def test_steps_with_async_is_explained(run_cli, write):
    p = write("m.rules", "AKT* = not AKT\n")
    check_error(run_cli("simulate", p, "--update", "async", "--steps", "5"), "for async give --time")


def test_existing_output_is_not_overwritten(run_cli, write, tmp_path):
    p = write("m.rules", "AKT* = not AKT\n")
    out = write("keep.json", "precious")
    check_error(run_cli("simulate", p, "--out", out), "already exists", "--force")
    assert out.read_text() == "precious"


def test_absurdly_deep_rule_is_a_clear_error(run_cli, write):
    p = write("m.rules", "A* = " + "not " * 996 + "A\n")
    check_error(run_cli("info", p), f"{p}:1:1: the rule of 'A' nests 997 levels deep (the limit is 200)")


def test_async_time_shorter_than_one_step(run_cli, write):
    p = write("m.rules", "A* = not B\nB* = A\n")
    check_error(run_cli("simulate", p, "--update", "async", "--time", "0.1"), "shorter than one update")


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("simulate", "mtor", "--steps", "100000000000"), "at most 1,000,000"),
        (("simulate", "mtor", "--update", "async", "--time", "inf"), "positive finite number, not inf"),
        (("simulate", "mtor", "--update", "async", "--every", "1e-9"), "raise --every"),
        (("simulate", "mtor", "--runs", "99999999999999999999"), "--runs must be a whole number from 1"),
        (("simulate", "mtor", "--update", "continuous", "--runs", "0"), "--runs must be a whole number from 1"),
        (("simulate", "mtor", "--seed", str(2**64), "--steps", "2"), "--seed must be a whole number from 0"),
        (("simulate", "mtor", "--seed", "-1", "--steps", "2"), "--seed must be a whole number from 0"),
        (
            ("attractors", "mtor", "--method", "sample", "--samples", "-1"),
            "--samples must be a whole number of at least 1",
        ),
        (
            ("attractors", "mtor", "--method", "sample", "--samples", "0"),
            "--samples must be a whole number of at least 1",
        ),
        (("attractors", "mtor", "--method", "fixed-points", "--limit", "-5"), "--limit must be a whole number"),
        (("attractors", "mtor", "--method", "fixed-points", "--limit", "0"), "--limit must be a whole number"),
        (("scenario", "mtor", "--env", "amino_acids=0", "--env", "amino_acids=1"), "given twice"),
        (("scenario", "mtor", "--drug", "everolimus", "--dose", "everolimus=0"), "a dose of 0 is no drug"),
        (("control", "mtor", "--dose", "everolimus=0"), "a dose of 0 is no drug"),
    ],
)
def test_absurd_options_are_refused_before_work(run_cli, args, fragment):
    res = run_cli(*args)
    assert res.exit_code == 2 and fragment in res.stderr and "Traceback" not in res.stderr, res.stderr


@pytest.mark.parametrize("bound", ['mean = "x"', 'at_least = "x"', "at_most = nan", "mean = 1, tolerance = -1"])
def test_bad_expectation_is_refused_with_its_file(run_cli, write, bound):
    model = write("m.rules", "IN* = IN\nA* = IN\n")
    write("m.toml", '[environment.s]\nnodes = ["IN"]\ndefault = 1\n[readouts.a]\nnode = "A"\n')
    scenarios = write("s.toml", f"[scenarios.x]\nexpect = {{ a = {{ {bound} }} }}\n")
    res = run_cli("check", model, scenarios)
    assert res.exit_code == 2 and "s.toml: [scenarios.x]" in res.stderr and "Traceback" not in res.stderr, res.stderr


@pytest.mark.parametrize(
    "out, fragment",
    [
        ("/proc/version", "unsupported --out file type"),
        ("/proc/x.json", "cannot write in the folder '/proc'"),
        ("/sys/x.json", "cannot write in the folder '/sys'"),
        ("/dev/full", "unsupported --out file type"),
        ("x.txt", "use one of: .json, .csv"),
        ("no/such/folder/x.json", "does not exist"),
    ],
)
def test_bad_outputs_are_refused_before_work(run_cli, tmp_path, monkeypatch, out, fragment):
    monkeypatch.chdir(tmp_path)
    res = run_cli("simulate", "mtor", "--runs", "2", "--steps", "2", "--out", out, "--force")
    assert res.exit_code == 2 and fragment in res.stderr and "Traceback" not in res.stderr, res.stderr


def test_special_files_and_plot_suffixes_are_refused(run_cli, tmp_path):
    import os

    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    res = run_cli("simulate", "mtor", "--runs", "2", "--steps", "2", "--out", fifo, "--force")
    assert res.exit_code == 2 and "is not a regular file" in res.stderr
    res = run_cli("attractors", "mtor", "--plot", tmp_path / "a.gif")
    assert res.exit_code == 2 and "use one of: .png, .svg, .pdf" in res.stderr


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    import os

    from mtorsim.errors import MtorsimError
    from mtorsim.util.safeio import write_atomic

    target = tmp_path / "r.json"
    target.write_text("old result")

    def boom(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(MtorsimError, match="No space left on device"):
        write_atomic(target, "new result " * 1000)
    assert target.read_text() == "old result"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left behind


def test_utf16_model_is_read(run_cli, write):
    text = "A* = not B\nB* = A\n"
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        model = write(f"m_{encoding}.rules", text.encode(encoding))
        res = run_cli("info", model)
        assert res.exit_code == 0 and "binary" not in res.stderr, (encoding, res.stderr)


def test_device_and_deep_toml_are_refused(run_cli, write, tmp_path):
    import os

    link = tmp_path / "zero.rules"
    os.symlink("/dev/zero", link)
    res = run_cli("info", link)
    assert res.exit_code == 2 and "not a regular file" in res.stderr
    model = write("m.rules", "IN* = IN\nA* = IN\n")
    write("m.toml", "x = " + "[" * 10000 + "]" * 10000 + "\n")
    res = run_cli("scenario", model)
    assert res.exit_code == 2 and "Traceback" not in res.stderr, res.stderr


def test_max_combinations_zero_is_refused(run_cli):
    res = run_cli("scenario", "mtor", "--max-combinations", "0")
    assert res.exit_code == 2 and "--max-combinations must be a whole number of at least 1" in res.stderr


def test_rates_too_far_apart_are_refused(run_cli, write):
    rates = write("r.txt", "AKT 1e300\nS6K 1e-300\n")
    res = run_cli("simulate", "mtor", "--update", "async", "--rates", rates, "--runs", "10", "--time", "1")
    assert res.exit_code == 2 and "narrow the spread of the rates" in res.stderr


def test_a_run_that_would_never_end_is_stopped_with_the_reason(run_cli, write):
    """Rates of 1e308 (or 1e6 over 1,000 time units) in an oscillator: one run would make more
    transitions than any computer finishes; it stops at the per-run cap with the reason."""
    from mtorsim.simulation.continuous import transition_cap

    for rate, time in (("1e308", "10"), ("1e6", "1000")):
        bnd = write(
            f"osc{rate}.bnd",
            f"Node A {{ logic = !B; rate_up = {rate}; rate_down = {rate}; }}\nNode B {{ logic = A; }}\n",
        )
        res = run_cli("simulate", bnd, "--update", "continuous", "--runs", "4", "--max-time", time)
        assert res.exit_code == 2, res.stderr
        cap = transition_cap(2, float(time))
        assert f"made more than {cap:,} transitions before --max-time {time}" in res.stderr
        assert "Lower the fastest rates or shorten --max-time" in res.stderr
    # a fast node beside a slow one is not refused: the slow one bounds the transitions
    bnd = write(
        "fastslow.bnd",
        "Node A { logic = !B; rate_up = @logic ? 1e9 : 0; rate_down = @logic ? 0 : 1e9; }\nNode B { logic = A; }\n",
    )
    assert run_cli("simulate", bnd, "--update", "continuous", "--runs", "4", "--max-time", "100").exit_code == 0


def test_the_default_memory_budget_is_modest(monkeypatch):
    from mtorsim.util import resources

    monkeypatch.delenv(resources.ENV, raising=False)
    resources.set_budget(None)
    monkeypatch.setattr(resources, "available_memory", lambda: 512 * 2**30)
    assert resources.memory_budget() == 4 * 2**30
    monkeypatch.setattr(resources, "available_memory", lambda: 2 * 2**30)
    assert resources.memory_budget() == 2**30


def test_big_results_are_announced_before_work(run_cli, monkeypatch):
    """Above a gigabyte (here the threshold is lowered to 1 MiB) the need is said first."""
    from mtorsim.util import resources

    monkeypatch.setattr(resources, "ANNOUNCE", 2**20)
    res = run_cli("simulate", "mtor", "--steps", "1000", "--runs", "2", "--format", "csv")
    assert res.exit_code == 0
    assert "warning: the result (1,001 samples of 136 nodes) needs about 3.1 MiB" in res.stderr


def test_long_work_is_announced_once_early(monkeypatch, capsys):
    """The progress helper says the projected total once the pace is known, if it is long."""
    import time as clock

    from mtorsim.cli.common import progress_bar

    now = [100.0]
    monkeypatch.setattr(clock, "monotonic", lambda: now[0])
    bar = progress_bar("screen")
    now[0] += 10.0
    bar(1, 100)  # the first item carries the start-up: not a pace
    for _ in range(3):
        now[0] += 2.0
        bar(1, 100)  # then 2 s per item: 96 left, about 192 s
    err = capsys.readouterr().err
    assert err.count("note: screen: about 3 min left at this pace (Ctrl-C stops it)") == 1
    quick = progress_bar("screen")
    now[0] += 10.0
    quick(1, 100)
    for _ in range(3):
        now[0] += 0.1
        quick(10, 100)
    assert "note:" not in capsys.readouterr().err


def test_exhaustive_search_follows_the_memory_budget(run_cli):
    from conftest import DATA

    bnet = DATA / "corpus" / "bbm-003_MAMMALIAN-CELL-CYCLE.bnet"
    res = run_cli("--max-memory", "1K", "attractors", bnet, "--method", "exhaustive", "--no-reduce")
    assert res.exit_code == 2 and "the memory budget is 1.0 KiB (--max-memory" in res.stderr
    auto = run_cli("--max-memory", "1K", "attractors", bnet, "--no-reduce")
    # auto falls back to the proven search, basins sampled
    assert auto.exit_code == 0 and "method sat, complete" in auto.stdout and "95% intervals" in auto.stderr
    full = run_cli("attractors", bnet, "--no-reduce")
    assert "method exhaustive" in full.stdout
    assert run_cli("--max-memory", "lots", "info", bnet).exit_code == 2


def test_simulation_results_follow_the_memory_budget(run_cli):
    res = run_cli("--max-memory", "1M", "simulate", "mtor", "--steps", "10000", "--runs", "2")
    assert res.exit_code == 2 and "above the memory budget of 1.0 MiB (--max-memory)" in res.stderr
    assert run_cli("--max-memory", "1M", "simulate", "mtor", "--steps", "100", "--runs", "2").exit_code == 0


def test_state_table_follows_the_memory_budget(run_cli):
    from conftest import DATA

    model = DATA / "corpus" / "bbm-070_MAPK-CANCER-CELL-FATE.bnet"
    args = (
        "simulate",
        model,
        "--update",
        "continuous",
        "--runs",
        "2000",
        "--max-time",
        "50",
        "--init-default",
        "0.5",
        "--format",
        "json",
    )
    small = run_cli("--max-memory", "2M", *args)
    assert small.exit_code == 0 and "(window, state) pairs were visited" in small.stderr
    full = run_cli(*args)
    assert "(window, state) pairs were visited" not in full.stderr


def test_library_errors_name_parameters_and_the_cli_names_flags(run_cli, write):
    """The Python API speaks of its parameters (`runs`), the command line of its flags (--runs)."""
    import mtorsim

    with pytest.raises(mtorsim.MtorsimError, match="`runs` must be a whole number"):
        mtorsim.simulate(mtorsim.load_model("mtor"), runs=0)
    res = run_cli("simulate", "mtor", "--runs", "0")
    assert res.exit_code == 2 and "--runs must be a whole number" in res.stderr and "`" not in res.stderr
    res = run_cli("attractors", write("m.rules", "A* = not B\nB* = A\n"), "--method", "sample", "--update", "async")
    assert res.exit_code == 2 and "--method sample is for --update sync" in res.stderr


def test_cli_flags_for_library_parameters():
    from mtorsim.cli.common import as_flags

    assert (
        as_flags("raise `max_combinations` or hold some (`fixed`)")
        == "raise --max-combinations or hold some (--set/--inputs)"
    )
    assert as_flags("the `length` (`fmt`) `dask scheduler`") == "the --steps/--time (--from) `dask scheduler`"


def test_screen_force_replaces_only_a_screen_database(run_cli, tmp_path):
    """`--db FILE --force` discards an earlier screen, never a model, a result or another SQLite
    database: nothing the user had is lost."""
    import sqlite3

    model = tmp_path / "victim.rules"
    model.write_text("A* = A\n")
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE mine (x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    for victim, why in ((model, "is not a SQLite database"), (other, "other tables than a screen's")):
        res = run_cli("screen", "mtor", "--max-combo", "1", "--db", victim, "--force")
        assert res.exit_code == 2 and why in res.stderr and "nothing was changed" in res.stderr, res.stderr
    assert model.read_text() == "A* = A\n" and other.read_bytes() == before


def test_written_files_follow_the_umask(run_cli, tmp_path):
    import os

    out = tmp_path / "r.json"
    old = os.umask(0o022)
    try:
        assert run_cli("simulate", "mtor", "--runs", "2", "--steps", "2", "--out", out).exit_code == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


def test_an_edge_cut_drug_refuses_an_efficacy_it_cannot_apply(tmp_path):
    """A cut acts in every cell or in none: the vocabulary refuses an efficacy below 1 or an ic50
    on it, and a scenario refuses ':EFF' on such a drug, instead of cutting fully in silence."""
    from conftest import toy_model

    import mtorsim
    from mtorsim.errors import MtorsimError

    rules = "A* = A\nB* = A\n"
    with pytest.raises(MtorsimError, match="acts in every cell or in none"):
        toy_model(tmp_path, rules, '[drugs.cut]\nefficacy = 0.5\nperturbations = [{ edge = ["A", "B"], value = 0 }]\n')
    net, vocab = toy_model(
        tmp_path, rules, '[drugs.cut]\nperturbations = [{ edge = ["A", "B"], value = 0 }]\n[readouts.b]\nnode = "B"\n'
    )
    model = mtorsim.Model(net, vocab, "toy", tmp_path / "toy.rules")
    with pytest.raises(MtorsimError, match="efficacy below 1 cannot be applied"):
        mtorsim.run_scenario(model, drugs=["cut:0.1"], estimate=False)
    assert mtorsim.run_scenario(model, drugs=["cut"], estimate=False).readouts["b"]["max"] == 0


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda m, mt: mt.simulate(m, length="5", runs=2), "`length` must be a positive finite number"),
        (lambda m, mt: mt.simulate(m, length=2, runs=2, progress="x"), "`progress` must be a function"),
        (lambda m, mt: mt.simulate(m, length=2, runs=2).plot(42), "`path` must be a file name"),
        (lambda m, mt: mt.window(m, drugs=None), "`drugs` must be a drug name or a list"),
        (lambda m, mt: mt.dose_response(m, drugs=5), "`drugs` must be a drug name or a list"),
        (lambda m, mt: mt.run_screen(m, backgrounds=[], drugs=["everolimus"]), "`backgrounds` is empty"),
        (
            lambda m, mt: mt.run_screen(
                m, backgrounds=["wildtype"], drugs=["everolimus"], max_combo=1, estimate=False
            ).ranking("nope"),
            "no background 'nope'",
        ),
    ],
)
def test_api_arguments_are_checked_at_the_boundary(call, match):
    import mtorsim
    from mtorsim.errors import MtorsimError

    with pytest.raises(MtorsimError, match=match):
        call(mtorsim.load_model("mtor"), mtorsim)


def test_a_saved_result_missing_its_fields_is_a_clear_error():
    from mtorsim.errors import MtorsimError
    from mtorsim.simulation.results import SimulationResult

    with pytest.raises(MtorsimError, match="not a saved simulation result: no 'nodes'"):
        SimulationResult.from_dict({"x": 1})


@pytest.mark.parametrize("update", ["async", "random-order"])
@pytest.mark.parametrize("threads", [1, 2])
def test_ctrl_c_stops_the_bit_parallel_kernels_mid_run(update, threads):
    """A KeyboardInterrupt one second into a run that would take minutes stops it within a
    couple of seconds (the kernel's workers read a stop flag at every step, and are joined)."""
    import _thread
    import threading
    import time

    import mtorsim

    model = mtorsim.load_model("mtor")
    mtorsim.simulate(model, update=update, length=2, runs=64, threads=threads)  # compiled before the clock
    timer = threading.Timer(1.0, _thread.interrupt_main)
    t0 = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        mtorsim.simulate(model, update=update, length=200_000, runs=4096, threads=threads)
    assert time.perf_counter() - t0 < 4.0
    time.sleep(0.2)  # the worker thread has returned from the kernel; give it time to exit
    assert not any(t.name == "mtorsim-kernel" for t in threading.enumerate())


@pytest.mark.parametrize(
    ("files", "args", "fragment"),
    [
        ({"i.txt": "AKT 1\nAKT 0\n"}, ["--init-file", "i.txt"], "i.txt:2: AKT is given again (first on line 1)"),
        ({"i.txt": "# nothing\n"}, ["--init-file", "i.txt"], "gives no initial value"),
        ({"r.txt": ""}, ["--update", "async", "--rates", "r.txt"], "names no node"),
        ({"r.txt": "AKT 2\nAKT 3\n"}, ["--update", "async", "--rates", "r.txt"], "AKT is listed again"),
        ({}, ["--update", "async", "--fast-ratio", "3"], "give --slow too"),
        ({}, ["--steps", "10", "--set", "AKT=1@50-60"], "starts after the run ends (step 10)"),
    ],
)
def test_silent_simulation_inputs_are_now_errors(run_cli, tmp_path, monkeypatch, files, args, fragment):
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    length = [] if "--steps" in args else ["--time", "2"] if "async" in args else ["--steps", "2"]
    res = run_cli("simulate", "mtor", "--runs", "2", *length, *args)
    assert res.exit_code == 2 and fragment in res.stderr and "Traceback" not in res.stderr, res.stderr


def test_count_refuses_a_sampling_method(run_cli):
    res = run_cli("attractors", "mtor", "--count", "--method", "sample")
    assert res.exit_code == 2 and "--count counts exactly" in res.stderr


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('drugs = ["everolimus"]\nexpect = { S6K = 2 }', "cannot be expected at 2"),
        ('drugs = ["everolimus"]\nexpect = { S6K = { at_least = 1.5 } }', "cannot be expected at 1.5"),
        ('drugs = ["everolimus"]\nexpect = { S6K = nan }', "cannot be expected at nan"),
        ('drugs = ["everolimus"]\nchange = { S6K = "lower" }\ncontrol = "S1"', "is its own control"),
    ],
)
def test_scenarios_no_result_could_pass_are_refused(run_cli, tmp_path, body, fragment):
    f = tmp_path / "s.toml"
    f.write_text(f"[scenarios.S1]\n{body}\n")
    res = run_cli("check", "mtor", f)
    assert res.exit_code == 2 and fragment in res.stderr and "Traceback" not in res.stderr, res.stderr


def test_cfg_parameter_twice_and_a_bad_refstate_are_refused(run_cli, tmp_path):
    from pathlib import Path

    data = Path(__file__).parent / "data" / "maboss"
    base = (data / "toy.cfg").read_text()
    for extra, fragment in (("$ka = 2;", "$ka is set again"), ("A.refstate = 5;", "refstate must be 0 or 1")):
        cfg = tmp_path / "t.cfg"
        cfg.write_text(base + "\n" + extra + "\n")
        res = run_cli("simulate", data / "toy.bnd", "--cfg", cfg, "--update", "continuous", "--runs", "10")
        assert res.exit_code == 2 and fragment in res.stderr, res.stderr


def test_a_node_given_two_initial_values_or_held_twice_by_a_drug_is_refused(run_cli, tmp_path):
    rules = tmp_path / "i.rules"
    rules.write_text("A = True\nA = False\nA* = not B\nB* = A\n")
    res = run_cli("simulate", rules, "--steps", "2", "--runs", "2")
    assert res.exit_code == 2 and "i.rules:2:1: A's initial value is given again (first on line 1)" in res.stderr
    rules.write_text("A* = not B\nB* = A\n")
    vocab = tmp_path / "v.toml"
    vocab.write_text('[drugs.both]\nperturbations = [{ node = "A", value = 0 }, { node = "A", value = 1 }]\n')
    res = run_cli("scenario", rules, "--vocabulary", vocab, "--drug", "both", "--no-estimate")
    assert res.exit_code == 2 and "holds A twice (A=0 and A=1)" in res.stderr


def test_an_initial_value_for_a_node_without_a_rule_is_named(run_cli, tmp_path):
    """``AKTT = True`` beside ``AKT* = ...``: a constant that no rule reads, most likely a
    misspelt initial value; said with the line and the nearest name."""
    rules = tmp_path / "iv.rules"
    rules.write_text("AKTT = True\nAKT* = not AKT\nB* = AKT\n")
    res = run_cli("simulate", rules, "--steps", "2")
    assert res.exit_code == 0
    assert "iv.rules: 'AKTT' is given a value but has no rule and no rule reads it" in res.stderr
    assert "did you mean 'AKT'?" in res.stderr
    rules.write_text("AKT = True\nAKT* = not AKT\nC = False\nB* = AKT and C\n")  # used constants: no word
    assert "warning" not in run_cli("simulate", rules, "--steps", "2").stderr
