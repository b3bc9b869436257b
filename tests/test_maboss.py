"""MaBoSS files: .bnd/.cfg reading (every construct, every error), expressions evaluated the same
by the kernel's stack machine and by the tree walker, writing, and the CLI in continuous time."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import DATA
from exact_ctmc import generator, node_means, window_means
from hypothesis import given, settings
from hypothesis import strategies as st

from mtorsim.errors import ModelSyntaxError, MtorsimError
from mtorsim.formats.maboss.bnd import parse_bnd
from mtorsim.formats.maboss.cfg import parse_cfg
from mtorsim.formats.maboss.expr import (
    Attr,
    Binary,
    Call,
    Cond,
    NodeRef,
    Num,
    Parser,
    Unary,
    evaluate,
    to_text,
)
from mtorsim.formats.maboss.lexer import tokenize
from mtorsim.network import Network

TOY = DATA / "maboss" / "toy.bnd"
TOY_CFG = DATA / "maboss" / "toy.cfg"


def parse(text: str):
    return Parser(tokenize(text, "x"), "x", text.splitlines()).expression()


@pytest.mark.parametrize(
    "text, state, want",
    [
        ("A & B | C", {"A": 1, "B": 0, "C": 1}, 1.0),
        ("A | B ^ C", {"A": 1, "B": 0, "C": 1}, 0.0),  # xor binds looser than or: (A|B) ^ C
        ("!A AND NOT B", {"A": 0, "B": 0}, 1.0),
        ("A xor B", {"A": 1, "B": 1}, 0.0),
        ("1 + 2 * 3 - 4 / 2", {}, 5.0),
        ("-2 * -3", {}, 6.0),
        ("A ? 2.5 : B ? 1 : 0", {"A": 0, "B": 1}, 1.0),  # right-associative
        ("(A + B) * 2 >= 3", {"A": 1, "B": 1}, 1.0),
        ("2 < 3 == 1", {}, 1.0),
        ("exp(log(7))", {}, 7.0),
        ("log(8, 2) + exp(3, 2)", {}, 11.0),
        ("1e-3 * 1000 + .5 + 2.", {}, 3.5),
        ("true & !false", {}, 1.0),
    ],
)
def test_expressions_follow_maboss_precedence(text, state, want):
    assert evaluate(parse(text), state) == pytest.approx(want)


def test_bnd_constructs():
    nodes = parse_bnd(TOY.read_text(), str(TOY))
    assert [n.name for n in nodes] == ["A", "B", "C", "D", "E"]
    a, b, c, d, e = nodes
    assert a.text["description"].startswith("input-like")
    assert a.variables["rate_up"] == Cond(Attr("logic"), a.variables["rate_up"].then, Num(0.0))
    assert b.variables == {} and d.logic is None
    assert c.variables["k"] == Binary("*", Num(2.0), c.variables["k"].right)
    assert to_text(e.logic) == "A || C"


def test_network_from_bnd_keeps_rates_and_logic():
    net = Network.load(TOY)
    assert net.nodes == ("A", "B", "C", "D", "E")
    assert net.inputs == ("D",)  # no logic: a free input in Boolean analyses
    assert set(net.meta["rates"]) == {"A", "C", "D"} and net.meta["no_logic"] == ["D"]
    assert any("D has no logic" in w for w in net.meta["warnings"])
    assert net.meta["nodes"]["A"]["notes"].startswith("input-like")


def test_arithmetic_logic_is_tabulated():
    net = Network.from_rules(
        __import__("mtorsim.formats.maboss.model", fromlist=["x"]).read_bnd(
            "Node A { logic = B + C >= 2; }\nNode B { logic = B; }\nNode C { logic = C; }", "x"
        )[0]
    )
    from mtorsim.formats.ast import evaluate as bool_eval

    for b in (0, 1):
        for c in (0, 1):
            assert bool_eval(net.rules[0], {"B": b, "C": c}) == (b + c >= 2)


@pytest.mark.parametrize(
    "text, line, col, words",
    [
        ("Node A { logic = B; }", 1, 18, "'B' is not a node"),
        ("Node A { logic = A }", 1, 20, "expected ';'"),
        ("Node A { logic = A; }\nNode A { logic = 1; }", 2, 6, "defined twice"),
        ("Node A { logic = A; rate_up = @k; }", 1, 31, "no variable 'k'"),
        ("Node A { logic = A; } /* open", 1, 23, "unclosed comment"),
        ("Node A { logic = A % 2; }", 1, 20, "unexpected character '%'"),
        ("Nod A { }", 1, 1, "expected 'Node'"),
        ("Node A { logic = (A; }", 1, 20, "expected ')'"),
        ("Node A { logic = A &&; }", 1, 22, "ends too early"),
        ("Node A { logic = A; logic = 1; }", 1, 21, "given twice"),
        ("", 1, 1, "defines no nodes"),
    ],
)
def test_bnd_errors_name_line_and_column(text, line, col, words):
    with pytest.raises(ModelSyntaxError) as info:
        parse_bnd(text, "m.bnd")
    err = info.value
    assert words in err.message and (err.where.line, err.where.column) == (line, col)
    assert str(err).startswith(f"m.bnd:{line}:{col}:")


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(ModelSyntaxError, match="nests more than"):
        parse_bnd("Node A { logic = " + "(" * 5000 + "A" + ")" * 5000 + "; }", "m.bnd")
    with pytest.raises(ModelSyntaxError, match="nests more than"):
        parse_bnd("Node A { logic = " + "!" * 5000 + "A; }", "m.bnd")


def test_cfg_constructs():
    cfg = parse_cfg(TOY_CFG.read_text(), str(TOY_CFG), ["A", "B", "C", "D", "E"])
    assert cfg.params == {"half": 0.25, "kc": 0.5, "ka": 1.5}
    assert cfg.istate == {"A": 1.0, "E": 0.0, "D": 0.0}
    assert cfg.joint == [(("B", "C"), [(0.3, (0, 0)), (0.7, (1, 1))])]
    assert cfg.internal == {"D": True} and cfg.refstate == {"A": 0, "B": 1}
    assert cfg.settings == {"time_tick": 0.5, "max_time": 4.0, "sample_count": 4000, "discrete_time": 0}
    assert any("use_physrandgen" in note for note in cfg.notes)
    over = parse_cfg("$b = $a + 1; $a = 1;", "c.cfg", overrides={"a": 5.0})  # any order (MaBoSS: defined first)
    assert over.params == {"a": 5.0, "b": 6.0}
    sched = parse_cfg("A.schedule = 1: 1, 2.5: 0;", "c.cfg", ["A"])
    assert sched.schedule == [("A", 1.0, 1), ("A", 2.5, 0)]
    assert parse_cfg("A.istate = -1;", "c.cfg", ["A"]).istate == {"A": 0.5}


@pytest.mark.parametrize(
    "text, words",
    [
        ("max_tim = 3;", "unknown setting 'max_tim'\n"),
        ("max_tim = 3;", "did you mean 'max_time'?"),
        ("X.istate = 1;", "'X' is not a node of the model"),
        ("A.istat = 1;", "unknown node setting 'istat'"),
        ("A.istate = 0.3;", "must be 0, 1 or -1"),
        ("$a = $b; $b = $a;", "defined in terms of itself"),
        ("max_time = $nope;", "parameter $nope has no value"),
        ("[A, B].istate = 1 [0];", "1 value(s) for 2 node(s)"),
        ("[A].istate = 0 [1], 0 [0];", "sum to 0"),
        ("time_tick = 0;", "time_tick must be a positive number"),
        ("sample_count = 2.5;", "sample_count must be a whole number"),
        ("max_time = A;", "must be a number"),
    ],
)
def test_cfg_errors(text, words):
    with pytest.raises(MtorsimError) as info:
        parse_cfg(text, "c.cfg", ["A", "B"])
    assert words in str(info.value)


# -- the kernel's stack machine against the tree walker ---------------------------------------
NAMES = ["A", "B", "C"]
leaf = st.one_of(
    st.sampled_from(NAMES).map(NodeRef),
    st.sampled_from([0.0, 1.0, 0.5, 2.0, -3.0, 1e300]).map(Num),
    st.just(Attr("logic")),
)


def arith(depth: int):
    if depth == 0:
        return leaf
    sub = arith(depth - 1)
    ops = st.sampled_from(["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "&&", "||", "^"])
    return st.one_of(
        leaf,
        st.tuples(st.sampled_from(["!", "-"]), sub).map(lambda x: Unary(*x)),
        st.tuples(ops, sub, sub).map(lambda x: Binary(*x)),
        st.tuples(sub, sub, sub).map(lambda x: Cond(*x)),
        st.tuples(st.sampled_from(["exp", "log"]), sub, st.one_of(st.none(), sub)).map(lambda x: Call(*x)),
    )


@settings(max_examples=200, deadline=None)
@given(arith(3), st.lists(st.integers(0, 1), min_size=3, max_size=3))
def test_stack_machine_equals_tree_walker(expr, bits):
    """Any expression (nan, inf and division by zero included) gives the same number."""
    from mtorsim.compiler import compile_network
    from mtorsim.compiler.ratelaws import NodeRates, RateSpec, compile_rates
    from mtorsim.formats.parser import parse_booleannet
    from mtorsim.kernels.gillespie import eval_float

    net = Network.from_rules(parse_booleannet("A* = B or not C\nB* = A\nC* = C\n", "x"))
    prog = compile_network(net)
    rp = compile_rates(net, RateSpec({"A": NodeRates(expr, Num(0.0))}))
    state = np.array(bits, dtype=np.uint8)
    logic = float(bits[1] or not bits[2])
    if rp.kind[0] == 0:  # folded to the standard form: check the numbers it kept
        want = evaluate(expr, dict(zip(NAMES, bits)), attrs={"logic": Num(logic)})
        got = rp.ku[0] if logic else 0.0
    else:
        got = eval_float(
            rp.f_ptr[0],
            rp.f_ptr[1],
            rp.f_op,
            rp.f_arg,
            rp.f_val,
            state,
            *prog.arrays(),
            np.zeros(prog.max_stack + 1, np.uint8),
            np.zeros(rp.max_stack + 1),
        )
        want = evaluate(expr, dict(zip(NAMES, bits)), attrs={"logic": Num(logic)})
    assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, rel=1e-12, abs=1e-300)


# -- the toy model against its master equation -------------------------------------------------
def toy_rates(i, s):
    a, b, c, d, e = s
    if i == 0:
        return (1.5 if a == 0 else 1.0) if (1 - b) != a else 0.0
    if i == 1:
        return 1.0 if a != b else 0.0
    if i == 2:
        return (1.0 if c == 0 else 0.5) if (a & b) != c else 0.0
    if i == 3:
        return (0.5 if c else 0.0) if d == 0 else 0.1
    return 1.0 if (a | c) != e else 0.0


def test_toy_bnd_cfg_matches_master_equation():
    from mtorsim.simulation.continuous import simulate_continuous
    from mtorsim.simulation.runconfig import load_run_config

    net = Network.load(TOY)
    rc = load_run_config(net, [TOY_CFG])
    res = simulate_continuous(
        net,
        rc.rates,
        rc.setting("max_time"),
        rc.setting("time_tick"),
        20000,
        seed=4,
        init=rc.init,
        internal=rc.internal,
        refstate=rc.refstate,
    )
    p0 = np.zeros(32)
    p0[0b00001] = 0.3  # A=1, B=C=0
    p0[0b00111] = 0.7  # A=B=C=1
    probs = window_means(generator(5, toy_rates), p0, 0.5, 8)
    exact = node_means(probs, 5)
    bad = np.abs(res.mean - exact) > 4.5 * res.error + 1e-9
    assert not bad.any(), (res.mean[bad], exact[bad])
    # Hamming distance to A=0, B=1 and the states seen without the internal node D
    hd = np.zeros((8, 3))
    for x in range(32):
        hd[:, ((x >> 0) & 1 != 0) + ((x >> 1) & 1 != 1)] += probs[:, x]
    assert np.abs(res.hd - hd).max() < 0.02
    assert all("D" not in name.split(" -- ") for w in res.states for name, _, _ in w)
    assert res.internal == ["D"]


def test_observed_formula_matches_master_equation():
    from mtorsim.formats.ast import And, Not, Var
    from mtorsim.simulation.continuous import simulate_continuous
    from mtorsim.simulation.runconfig import load_run_config

    net = Network.load(TOY)
    rc = load_run_config(net, [TOY_CFG])
    res = simulate_continuous(
        net, rc.rates, 4, 0.5, 20000, seed=8, init=rc.init, observe={"A_not_C": And((Var("A"), Not(Var("C"))))}
    )
    p0 = np.zeros(32)
    p0[0b00001], p0[0b00111] = 0.3, 0.7
    probs = window_means(generator(5, toy_rates), p0, 0.5, 8)
    want = probs[:, [x for x in range(32) if x & 1 and not x & 4]].sum(axis=1)
    p, se = res.observed["A_not_C"]
    assert (np.abs(p - want) <= 4.5 * se + 1e-9).all()
    assert res.nodes == ["A", "B", "C", "D", "E"] and res.mean.shape == (8, 5)


# -- writing ------------------------------------------------------------------------------------
def test_rules_to_bnd_and_cfg_round_trip(tmp_path):
    from mtorsim.formats.io import read_model
    from mtorsim.formats.logic import table
    from mtorsim.formats.maboss.model import format_bnd, format_cfg

    src = Network.load(DATA / "corpus" / "bbm-003_MAMMALIAN-CELL-CYCLE.bnet")
    (tmp_path / "m.bnd").write_text(format_bnd(src.as_rules(), src.meta))
    (tmp_path / "m.cfg").write_text(format_cfg(src.as_rules(), src.meta))
    back = Network.load(tmp_path / "m.bnd")
    assert back.nodes == src.nodes
    for a, b, regs in zip(src.rules, back.rules, src.regulators):
        names = [src.nodes[j] for j in regs]
        assert (table(a, names) == table(b, names)).all()
    cfg = parse_cfg((tmp_path / "m.cfg").read_text(), "m.cfg", list(src.nodes))
    assert cfg.params[f"u_{src.nodes[0]}"] == 1.0 and len(cfg.params) == 2 * len(src)
    rules, fmt, meta = read_model(tmp_path / "m.bnd")
    assert fmt == "bnd" and len(meta["rates"]) == len(src)


# -- the command line ----------------------------------------------------------------------------
def test_cli_simulates_a_bnd_with_its_cfg(run_cli, tmp_path):
    res = run_cli("simulate", TOY, "--format", "json", "--runs", "300")
    assert res.exit_code == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["update"] == "continuous" and d["runs"] == 300 and len(d["times"]) == 8
    assert set(d["entropy"]) == {"TH", "TH_se", "H"} and d["internal"] == ["D"]
    assert d["settings"]["params"]["ka"] == 1.5 and "reading" in res.stderr
    again = json.loads(run_cli("simulate", TOY, "--format", "json", "--runs", "300").stdout)
    assert again["mean"] == d["mean"]
    other = json.loads(run_cli("simulate", TOY, "--format", "json", "--runs", "300", "--param", "ka=0.01").stdout)
    assert other["mean"]["A"][-1] < d["mean"]["A"][-1]


def test_cli_continuous_for_rules_and_plots(run_cli, tmp_path):
    model = DATA / "corpus" / "bbm-003_MAMMALIAN-CELL-CYCLE.bnet"
    res = run_cli(
        "simulate",
        model,
        "--update",
        "continuous",
        "--max-time",
        "6",
        "--time-tick",
        "2",
        "--runs",
        "50",
        "--plot",
        tmp_path / "h.png",
        "--plot-states",
        tmp_path / "s.png",
        "--format",
        "csv",
    )
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("time,") and lines[0].endswith("_se") and len(lines) == 4
    assert (tmp_path / "h.png").stat().st_size > 1000 and (tmp_path / "s.png").stat().st_size > 1000


@pytest.mark.parametrize(
    "args, words",
    [
        (["--param", "nope=1"], "--param nope: no parameter of that name"),
        (["--param", "ka=x"], "must be a number"),
        (["--steps", "5"], "give --max-time"),
        (["--update", "sync", "--max-time", "3"], "apply to --update continuous"),
        (["--max-time", "0.1"], "shorter than one time_tick"),
        (["--threads", "0"], "--threads must be at least 1"),
    ],
)
def test_cli_continuous_errors(run_cli, args, words):
    res = run_cli("simulate", TOY, *args)
    assert res.exit_code == 2 and words in res.stderr, res.stderr


def test_cli_convert_writes_bnd_and_cfg(run_cli, tmp_path):
    src = DATA / "corpus" / "bbm-003_MAMMALIAN-CELL-CYCLE.bnet"
    res = run_cli("convert", src, tmp_path / "m.bnd")
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "m.bnd").is_file() and (tmp_path / "m.cfg").is_file()
    again = run_cli("convert", src, tmp_path / "m.bnd")
    assert again.exit_code == 2 and "already exists" in again.stderr
    (tmp_path / "n.cfg").write_text("// mine")
    third = run_cli("convert", src, tmp_path / "n.bnd")
    assert third.exit_code == 2 and "n.cfg" in third.stderr and (tmp_path / "n.cfg").read_text() == "// mine"
    back = run_cli("convert", TOY, tmp_path / "toy.rules")
    assert back.exit_code == 0 and "dropped: rate expressions of 3 node(s)" in back.stderr


LEX_PIECES = [
    "node",
    "A",
    "b_1",
    "AND",
    "or",
    "Not",
    "xor",
    "1",
    "2.5",
    "1e3",
    ".5",
    "1.e",
    "3x",
    "$k",
    "@logic",
    "$",
    "@",
    '"s"',
    '"',
    "//c",
    "/*",
    "*/",
    "#",
    " ",
    "\t",
    "\n",
    "\r\n",
    "&&",
    "||",
    "==",
    "!=",
    "<=",
    ">=",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    "=",
    "?",
    ":",
    "+",
    "-",
    "*",
    "/",
    "!",
    "<",
    ">",
    "&",
    "|",
    "^",
    ".",
    "é",
    "\v",
    "٣",
]


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(LEX_PIECES), max_size=30).map("".join))
def test_tokenizer_equals_the_reference(text):
    """The one-pattern tokenizer gives the reference's tokens, or its error, on any text."""
    import maboss_lexer_reference as ref

    from mtorsim.formats.maboss.lexer import tokenize

    def run(fn):
        try:
            return [(t.kind, t.text, t.line, t.column) for t in fn(text, "m.bnd")]
        except MtorsimError as exc:
            return str(exc)

    assert run(tokenize) == run(ref.tokenize)


def test_the_transition_count_does_not_depend_on_threads_or_the_state_table():
    """A run started again because the state table had to grow is counted once."""
    from mtorsim.network import Network
    from mtorsim.simulation.continuous import simulate_continuous
    from mtorsim.simulation.initial import InitialSpec

    net = Network.load(DATA / "corpus" / "bbm-070_MAPK-CANCER-CELL-FATE.bnet")
    kw = dict(max_time=20, time_tick=1, runs=6000, seed=3, init=InitialSpec(default=0.5))
    counts = {
        (threads, track): simulate_continuous(net, threads=threads, track_states=track, **kw).transitions
        for threads in (1, 2)
        for track in (True, False)
    }
    assert len(set(counts.values())) == 1, counts


def test_states_are_tracked_only_when_asked(run_cli, tmp_path):
    """A table needs only node probabilities: no state table (no H) unless JSON, --plot-states or
    --top-states asks; the node probabilities are the same either way."""
    model = DATA / "maboss" / "toy.bnd"
    cfg = DATA / "maboss" / "toy.cfg"
    base = ("simulate", model, "--cfg", cfg, "--update", "continuous", "--runs", "300", "--format", "csv")
    plain = run_cli(*base)
    tracked = run_cli(*base, "--top-states", "5")
    assert plain.exit_code == tracked.exit_code == 0
    assert plain.stdout == tracked.stdout
    table = run_cli(*base[:-2])
    assert "(H)" not in table.stdout and "H and the states: --top-states N" in table.stdout
    assert "(H)" in run_cli(*base[:-2], "--top-states", "5").stdout
    data = json.loads(run_cli(*base[:-2], "--format", "json").stdout)
    assert data["states"] and data["entropy"]["H"] is not None
    bad = run_cli(*base, "--top-states", "0", "--plot-states", tmp_path / "s.png")
    assert bad.exit_code == 2 and "--plot-states needs the states" in bad.stderr
