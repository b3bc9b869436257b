"""Big model files read through arrays (formats/flat.py, formats/flatkernels.py) give the very
network, and the very errors, of the reference parser; checked differentially on random texts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import exprs

from mtorsim.errors import MtorsimError
from mtorsim.formats import flat
from mtorsim.formats.ast import And, Const, Not, Or, Var
from mtorsim.formats.flat import FlatRules
from mtorsim.network import Network

SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def load(path, monkeypatch, fast: bool, strict: bool = False):
    """(network or None, error text or None) with the array reader forced on or off."""
    monkeypatch.setattr(flat, "FAST_MIN_BYTES", 0 if fast else 2**62)
    try:
        return Network.load(path, strict=strict), None
    except MtorsimError as exc:
        return None, str(exc)


def same(a: Network, b: Network) -> None:
    assert a.nodes == b.nodes
    assert a.implicit_inputs == b.implicit_inputs
    assert tuple(a.rules) == tuple(b.rules)
    assert a.regulators == b.regulators
    assert a.signs == b.signs
    assert a.inputs == b.inputs
    assert a.constants == b.constants
    assert a.in_degrees() == b.in_degrees()
    assert a.edges() == b.edges()
    for x, y in zip(a.edge_arrays(), b.edge_arrays()):
        assert np.array_equal(x, y)
    assert dict(a.meta) == dict(b.meta)


def compare(tmp_path, monkeypatch, text: str | bytes, suffix: str, strict: bool = False):
    p = tmp_path / f"m{suffix}"
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    fast, fast_err = load(p, monkeypatch, True, strict)
    ref, ref_err = load(p, monkeypatch, False, strict)
    assert fast_err == ref_err
    if ref is not None:
        assert isinstance(fast.rules, FlatRules) or fast_err is None
        same(fast, ref)
    return fast, ref_err


AND = ["and", "AND", "And", "&", "&&"]
OR = ["or", "OR", "|", "||"]
NOT = ["not ", "NOT ", "!", "~", "! "]
TRUE = ["1", "True", "TRUE", "true"]
FALSE = ["0", "False", "false"]


@st.composite
def rendered(draw, e) -> str:
    """``e`` written with random spellings, spacing and redundant parentheses."""
    sp = draw(st.sampled_from(["", " ", "  ", "\t"]))
    if isinstance(e, Const):
        text = draw(st.sampled_from(TRUE if e.value else FALSE))
    elif isinstance(e, Var):
        text = e.name
    elif isinstance(e, Not):
        text = draw(st.sampled_from(NOT)) + "(" + draw(rendered(e.arg)) + ")"
    else:
        ops = AND if isinstance(e, And) else OR
        parts = [draw(rendered(a)) for a in e.args]
        text = parts[0]
        for part in parts[1:]:
            op = draw(st.sampled_from(ops))
            pad = " " if op.isalpha() else sp
            text += f"{pad}{op}{pad}({part})" if draw(st.booleans()) else f"{pad}{op}{pad}{part}"
    return f"({text})" if draw(st.integers(0, 4)) == 0 else text


NAMES = ["A", "b_2", "Node_10", "x", "Y1", "TSC2", "mTORC1", "AKT", "random", "Z9z"]


@st.composite
def model_texts(draw, fmt: str) -> str:
    targets = draw(st.lists(st.sampled_from(NAMES[:8]), min_size=1, max_size=6, unique=True))
    lines = []
    if fmt == "bnet" and draw(st.booleans()):
        lines.append(draw(st.sampled_from(["targets, factors", "Targets,Factors", "  targets ,  factors  # x"])))
    for t in targets:
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(["", "   ", "# a comment", "#@ model.name: toy", "  # é ü ±"])))
        body = draw(rendered(draw(exprs(NAMES, 3))))
        if fmt == "bnet":
            lines.append(f"{t},{draw(st.sampled_from(['', ' ', '  ']))}{body}")
        else:
            head = draw(st.sampled_from([f"{t}*", f"{t} *", t, f"  {t}*"]))
            lines.append(f"{head} ={draw(st.sampled_from(['', ' ']))}{body}")
            if draw(st.integers(0, 4)) == 0:  # a BooleanNet initial value line
                lines.append(f"{t} = {draw(st.sampled_from(['True', 'False', 'Random', '1', 'B']))}")
        if draw(st.integers(0, 4)) == 0:
            lines[-1] += draw(st.sampled_from(["  # trailing", "#", " # é"]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return end.join(lines) + draw(st.sampled_from(["", end, end + end]))


@SETTINGS
@given(data=st.data(), fmt=st.sampled_from(["rules", "bnet"]), strict=st.booleans())
def test_random_models_read_alike(tmp_path, monkeypatch, data, fmt, strict):
    compare(tmp_path, monkeypatch, data.draw(model_texts(fmt)), "." + fmt, strict)


PIECES = [
    "A",
    "b",
    "A_1",
    "and",
    "OR",
    "not",
    "!",
    "~",
    "&",
    "&&",
    "|",
    "||",
    "(",
    ")",
    "0",
    "1",
    "True",
    "7",
    "01",
    "*",
    "=",
    ",",
    "#",
    " ",
    "\t",
    "-",
    "é",
    "\x1f",
    "\x0c",
    "targets",
    "factors",
    "\u2028",
]


SOUP = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)


@SETTINGS
@given(
    lines=st.lists(
        st.one_of(SOUP, SOUP.map(lambda s: "A* = " + s), SOUP.map(lambda s: "B, " + s)), min_size=1, max_size=5
    ),
    suffix=st.sampled_from([".rules", ".bnet"]),
)
def test_random_token_soup_reads_alike(tmp_path, monkeypatch, lines, suffix):
    """Mostly bad lines: the same error text (file, line, column, hint), or the same network."""
    compare(tmp_path, monkeypatch, "\n".join(lines), suffix)


@pytest.mark.parametrize(
    "text",
    [
        "A* = B\nA* = C\n",  # defined twice
        "A* = B\n\n# c\nC* = A\nA = 1\nA* = not C\n",  # defined twice after an initial value line
        "A* = Q and B\nB* = A\n",  # Q without a rule (an error with strict)
        "# only a comment\n",
        "A* = " + " and ".join(f"N{i}" for i in range(300)) + "\n",  # long chain, 300 regulators
        "A* = " + "(" * 150 + "B" + ")" * 150 + "\n",
        "A* = " + "not " * 199 + "B\n",  # 200 levels deep: the limit
        "A* = " + "not " * 200 + "B\n",  # 201 levels: refused
        "A* = (B or (C and (D or (E and F))))\n",
        "A* = B and 7\n",
        "A* = 01\n",
        "7* = B\n",
        "and* = B\n",
        "True* = B\n",
        "A B* = C\n",
        "A** = B\n",
        "A* = B C\n",
        "A* = (B\n",
        "A* = B)\n",
        "A* = ()\n",
        "A* =\n",
        "* = B\n",
        "A* = B and\n",
        "A\n",
        "A* = B-C\n",
        "A* = B # C)\n",
        "A* = Random\nA = Random\n",
        "A = 1\n",
        "A = B\n",
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_edge_cases_read_alike(tmp_path, monkeypatch, text, strict):
    compare(tmp_path, monkeypatch, text, ".rules", strict)


def test_wide_rules_signs_alike(tmp_path, monkeypatch):
    """Tables of 7 to 16 regulators (several words per row set) and syntax signs above 16."""
    rng = np.random.default_rng(5)
    lines = []
    for k in [0, 1, 5, 6, 7, 9, 12, 16, 17, 25]:
        names = [f"R{j}" for j in range(k)] or ["1"]
        for rep in range(3):
            terms = [("not " if rng.random() < 0.4 else "") + n for n in names]
            groups = [terms[i : i + 3] for i in range(0, len(terms), 3)]
            expr = " or ".join("(" + " and ".join(g) + ")" for g in groups)
            if rep == 2 and k > 1:  # a regulator on both sides and one without effect
                expr = f"({expr}) and (Q or not Q) or ({names[0]} and not {names[1]} and {names[1]})"
            lines.append(f"T{k}_{rep}* = {expr}")
    fast, _ = compare(tmp_path, monkeypatch, "\n".join(lines) + "\n", ".rules")
    assert {"0", "±"} <= {s for row in fast.signs for s in row}


def test_big_file_is_read_through_arrays(tmp_path):
    """Above FAST_MIN_BYTES Network.load keeps FlatRules (and a rule reads as written)."""
    n = 2000
    rng = np.random.default_rng(1)
    lines = [f"N{i}* = N{rng.integers(n)} and not N{rng.integers(n)} or N{rng.integers(n)}" for i in range(n)]
    text = "\n".join(lines) + "\n"
    p = tmp_path / "big.rules"
    reps = flat.FAST_MIN_BYTES // len(text) + 1
    p.write_text("".join(t.replace("N", f"G{r}_") for r, t in enumerate([text] * reps)))
    net = Network.load(p)
    assert isinstance(net.rules, FlatRules)
    assert len(net) == n * reps
    assert net.rules[5] == Or(
        (
            And((Var(f"G0_{rng_name(lines[5], 0)}"), Not(Var(f"G0_{rng_name(lines[5], 1)}")))),
            Var(f"G0_{rng_name(lines[5], 2)}"),
        )
    )


def rng_name(line: str, k: int) -> str:
    import re

    return re.findall(r"N(\d+)", line.split("=", 1)[1])[k]


def test_flat_network_compiles_alike(tmp_path, monkeypatch):
    """The kernels' programs built from FlatRules equal those built from the parser's trees."""
    from mtorsim.compiler import compile_network
    from mtorsim.compiler.wordcode import compile_words

    rng = np.random.default_rng(2)
    lines = [
        f"N{i}* = N{rng.integers(40)} and not (N{rng.integers(40)} or N{rng.integers(60)}) or 0" for i in range(40)
    ]
    fast, _ = compare(tmp_path, monkeypatch, "\n".join(lines) + "\n", ".rules")
    monkeypatch.setattr(flat, "FAST_MIN_BYTES", 2**62)
    ref = Network.load(tmp_path / "m.rules")
    assert isinstance(fast.rules, FlatRules) and not isinstance(ref.rules, FlatRules)
    a, b = compile_network(fast), compile_network(ref)
    assert all(np.array_equal(x, y) for x, y in zip(a.arrays(), b.arrays())) and a.max_stack == b.max_stack
    wa, wb = compile_words(fast), compile_words(ref)
    assert np.array_equal(wa.code, wb.code) and np.array_equal(wa.ptr, wb.ptr)
