"""The compiler (truth tables and bytecode), regulator signs and rule printing, checked by brute
force against the plain-Python evaluator in ``naive.py``."""

from __future__ import annotations

import itertools
import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import exprs

from mtorsim.compiler import compile_network
from mtorsim.formats.ast import And, Not, Or, Rule, Var, evaluate, to_text
from mtorsim.formats.logic import TABLE_MAX_INPUTS
from mtorsim.formats.parser import parse_bnet, parse_booleannet
from mtorsim.network import Network
from mtorsim.simulation.discrete import simulate
from mtorsim.simulation.initial import InitialSpec
from mtorsim.util.seeds import run_seeds

try:
    import naive
except ImportError:  # tests/ imported as a package
    from tests import naive

NAMES = ("A", "B", "C", "D", "E")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assignments(names):
    for bits in itertools.product((0, 1), repeat=len(names)):
        yield dict(zip(names, bits))


def single_rule_network(expr) -> Network:
    """A network whose node ``T`` has rule ``expr``; the names it reads become free inputs."""
    return Network.from_rules([Rule("T", expr)])


# -- truth tables ----------------------------------------------------------------------------
@SETTINGS
@given(exprs(NAMES, 4))
def test_truth_table_matches_evaluation(expr):
    net = single_rule_network(expr)
    prog = compile_network(net)
    i = net.nodes.index("T")
    regs = [net.nodes[j] for j in prog.reg_idx[prog.reg_ptr[i] : prog.reg_ptr[i + 1]]]
    # the regulators are exactly the names read, in order of first appearance
    assert regs == naive.var_names(expr)
    assert [net.nodes[j] for j in net.regulators[i]] == regs
    assert prog.tt_ptr[i] >= 0
    for idx in range(1 << len(regs)):
        env = {name: (idx >> j) & 1 for j, name in enumerate(regs)}
        want = naive.eval_expr(expr, env.__getitem__)
        assert int(prog.tt[prog.tt_ptr[i] + idx]) == want
        assert int(evaluate(expr, env)) == want


@settings(max_examples=100, deadline=None)
@given(exprs(NAMES, 3))
def test_free_inputs_compile_to_identity(expr):
    net = single_rule_network(expr)
    prog = compile_network(net)
    for name in net.implicit_inputs:
        i = net.nodes.index(name)
        assert list(prog.reg_idx[prog.reg_ptr[i] : prog.reg_ptr[i + 1]]) == [i]
        assert list(prog.tt[prog.tt_ptr[i] : prog.tt_ptr[i] + 2]) == [0, 1]


# -- bytecode --------------------------------------------------------------------------------
@st.composite
def small_networks(draw, max_n: int = 5, depth: int = 3, min_args: int = 1):
    n = draw(st.integers(1, max_n))
    names = [f"N{i}" for i in range(n)]
    rules = [Rule(name, draw(exprs(names, depth, min_args))) for name in names]
    return Network.from_rules(rules)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks())
def test_bytecode_matches_evaluation_from_every_state(net):
    from mtorsim.kernels.evaluate import eval_bytecode

    prog = compile_network(net, table_max_inputs=0)
    model = naive.NaiveModel(list(net.nodes), list(net.rules))
    n = len(net)
    stack = np.zeros(prog.max_stack + 1, dtype=np.uint8)
    for i in range(n):
        # only rules that read no node at all keep a (one-entry) table
        assert (prog.tt_ptr[i] >= 0) == (len(naive.var_names(net.rules[i])) == 0)
    coded = [i for i in range(n) if prog.tt_ptr[i] < 0]
    assert prog.max_stack >= max((naive.stack_depth(net.rules[i]) for i in coded), default=1)
    code = {
        i: (
            prog.code_op[prog.code_ptr[i] : prog.code_ptr[i + 1]],
            prog.code_arg[prog.code_ptr[i] : prog.code_ptr[i + 1]],
        )
        for i in coded
    }
    for bits in itertools.product((0, 1), repeat=n):
        state = np.array(bits, dtype=np.uint8)
        want = naive.sync_step(model, list(bits), None)
        for i in coded:
            # the compiled code, run by an independent interpreter within max_stack entries
            assert naive.run_bytecode(*code[i], bits, prog.max_stack) == want[i], (i, bits, net.rules[i])
            got = eval_bytecode(i, state, prog.code_ptr, prog.code_op, prog.code_arg, stack)
            assert int(got) == want[i], (i, bits, net.rules[i])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks(max_n=4))
def test_one_sync_step_from_every_state(net):
    """The whole sync kernel, from each of the 2^n states, table and bytecode compilations."""
    model = naive.NaiveModel(list(net.nodes), list(net.rules))
    programs = [compile_network(net), compile_network(net, table_max_inputs=0)]
    for bits in itertools.product((0, 1), repeat=len(net)):
        init = InitialSpec(dict(zip(net.nodes, map(float, bits))))
        want = [list(bits), naive.sync_step(model, list(bits), None)]
        for prog in programs:
            res = simulate(net, "sync", length=1, init=init, program=prog)
            assert res.trajectory.tolist() == want


# -- signs -----------------------------------------------------------------------------------
@SETTINGS
@given(exprs(NAMES, 4))
def test_signs_match_brute_force_monotonicity(expr):
    net = single_rule_network(expr)
    i = net.nodes.index("T")
    regs = [net.nodes[j] for j in net.regulators[i]]
    assert list(net.signs[i]) == naive.brute_force_signs(expr, regs)
    for edge in net.edges():
        if edge.target == "T":
            assert edge.sign == net.signs[i][regs.index(edge.source)]


def read_once(names, rng: random.Random):
    """A random formula in which every name occurs exactly once (so each sign is syntactic)."""
    leaves = [Var(n) if rng.random() < 0.6 else Not(Var(n)) for n in names]
    rng.shuffle(leaves)
    while len(leaves) > 1:
        k = min(len(leaves), rng.randint(2, 4))
        at = rng.randrange(len(leaves) - k + 1)
        group = leaves[at : at + k]
        node = (And if rng.random() < 0.5 else Or)(tuple(group))
        if rng.random() < 0.25:
            node = Not(node)
        leaves[at : at + k] = [node]
    return leaves[0]


def test_read_once_signs_small_and_wide():
    rng = random.Random(7)
    for k in (3, 6, 10, 20):
        names = [f"X{j}" for j in range(k)]
        for _ in range(5):
            expr = read_once(names, rng)
            net = single_rule_network(expr)
            i = net.nodes.index("T")
            regs = [net.nodes[j] for j in net.regulators[i]]
            syn = naive.syntactic_signs(expr)
            assert list(net.signs[i]) == [syn[r] for r in regs]
            if k <= 10:  # read-once: the function's signs are the syntactic ones
                assert naive.brute_force_signs(expr, regs) == [syn[r] for r in regs]


# -- printing and re-parsing -----------------------------------------------------------------
@SETTINGS
@given(exprs(NAMES, 4, min_args=1), st.sampled_from(["booleannet", "bnet"]))
def test_print_then_parse_keeps_the_function(expr, dialect):
    text = to_text(expr, dialect)
    if dialect == "bnet":
        rules = parse_bnet(f"targets, factors\nT, {text}\n", "x.bnet")
    else:
        rules = parse_booleannet(f"T* = {text}\n", "x.rules")
    assert [r.target for r in rules] == ["T"]
    back = rules[0].expr
    assert set(naive.var_names(back)) == set(naive.var_names(expr))
    names = naive.var_names(expr)
    for env in assignments(names):
        assert naive.eval_expr(back, env.__getitem__) == naive.eval_expr(expr, env.__getitem__), text
    # after one round trip, printing and parsing reach a fixed point
    again = to_text(back, dialect)
    assert to_text(parse_once(again, dialect), dialect) == again


def parse_once(text, dialect):
    if dialect == "bnet":
        return parse_bnet(f"T, {text}", "x.bnet")[0].expr
    return parse_booleannet(f"T* = {text}", "x.rules")[0].expr


@settings(max_examples=60, deadline=None)
@given(exprs(NAMES, 3))
def test_booleannet_and_bnet_texts_agree(expr):
    a = parse_once(to_text(expr, "booleannet"), "booleannet")
    b = parse_once(to_text(expr, "bnet"), "bnet")
    assert a == b  # same tree (locations are not compared)


# -- wide nodes (above the truth-table limit) ------------------------------------------------
def wide_network(k: int, seed: int) -> Network:
    names = [f"X{j}" for j in range(k)]
    expr = read_once(names, random.Random(seed))
    rules = [Rule("T", expr)] + [Rule(n, Not(Var(n)) if j % 3 == 0 else Var(n)) for j, n in enumerate(names)]
    return Network.from_rules(rules)


def test_node_with_20_regulators_uses_bytecode_and_agrees():
    from mtorsim.kernels.evaluate import eval_bytecode

    assert TABLE_MAX_INPUTS < 20
    for seed in range(6):
        net = wide_network(20, seed)
        prog = compile_network(net)
        t = net.nodes.index("T")
        assert len(net.regulators[t]) == 20
        assert prog.tt_ptr[t] == -1  # bytecode
        assert all(prog.tt_ptr[i] >= 0 for i in range(len(net)) if i != t)
        model = naive.NaiveModel(list(net.nodes), list(net.rules))
        rng = random.Random(seed)
        stack = np.zeros(prog.max_stack + 1, dtype=np.uint8)
        ops = prog.code_op[prog.code_ptr[t] : prog.code_ptr[t + 1]]
        args = prog.code_arg[prog.code_ptr[t] : prog.code_ptr[t + 1]]
        for _ in range(300):
            bits = [rng.randint(0, 1) for _ in net.nodes]
            want = model.next_value(t, bits)
            assert naive.run_bytecode(ops, args, bits, prog.max_stack) == want
            got = eval_bytecode(t, np.array(bits, dtype=np.uint8), prog.code_ptr, prog.code_op, prog.code_arg, stack)
            assert int(got) == want
        # whole trajectories, several runs, random initial states
        init = InitialSpec(default=0.5)
        res = simulate(net, "sync", length=12, init=init, seed=seed, runs=1)
        model = naive.NaiveModel.build(net.nodes, net.rules, default=0.5)
        want = naive.trajectory(model, "sync", list(range(13)), int(run_seeds(seed, 0, 1)[0]))
        assert res.trajectory.tolist() == want


def test_table_limit_boundary():
    """16 regulators: a table of 2^16 entries (spot-checked); 17: bytecode."""
    for k, table in ((TABLE_MAX_INPUTS, True), (TABLE_MAX_INPUTS + 1, False)):
        net = wide_network(k, 3)
        prog = compile_network(net)
        t = net.nodes.index("T")
        assert (prog.tt_ptr[t] >= 0) == table
        if table:
            regs = [net.nodes[j] for j in prog.reg_idx[prog.reg_ptr[t] : prog.reg_ptr[t + 1]]]
            rng = random.Random(k)
            for idx in [0, (1 << k) - 1] + [rng.randrange(1 << k) for _ in range(500)]:
                env = {name: (idx >> j) & 1 for j, name in enumerate(regs)}
                assert int(prog.tt[prog.tt_ptr[t] + idx]) == naive.eval_expr(net.rules[t], env.__getitem__)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), k=st.integers(1, 7))
def test_signs_on_integers_equal_the_truth_table(data, k):
    """``logic.signs`` (Python integers as bit sets) against the numpy truth table it replaced."""
    from mtorsim.formats import logic
    from mtorsim.formats.ast import names

    expr = data.draw(exprs([f"x{i}" for i in range(k)], 3))
    regs = names(expr)
    assert logic.signs(expr, regs) == logic.signs_from_table(logic.table(expr, regs), len(regs))


def test_default_rates_take_the_fast_path_and_compile_alike():
    """Nodes without rates of their own skip the expression compiler; the arrays are those the
    general path gives for MaBoSS's default rates written out."""
    from mtorsim.compiler.ratelaws import NodeRates, RateSpec, compile_rates
    from mtorsim.model.catalog import resolve
    from mtorsim.network import Network

    net = Network.load(resolve("mtor")[0])
    fast = compile_rates(net)
    slow = compile_rates(net, RateSpec(nodes={n: NodeRates() for n in net.nodes}))
    for f in ("kind", "ku", "kd", "f_ptr", "f_op", "f_arg", "f_val", "dep_ptr", "dep_idx", "base_up", "base_down"):
        a, b = getattr(fast, f), getattr(slow, f)
        assert a.dtype == b.dtype and np.array_equal(a, b), f
    assert fast.max_stack == slow.max_stack
