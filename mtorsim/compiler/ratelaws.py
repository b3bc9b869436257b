"""Rate laws for continuous time: each node's ``rate_up`` (0 -> 1) and ``rate_down`` (1 -> 0).

A rate is an expression (``formats.maboss.expr``) that may read node states, parameters
``$name``, the node's own Boolean function ``@logic`` and its other variables ``@name``. The
compiler turns every rate into data: a node whose rates are ``@logic ? a : 0`` and
``@logic ? 0 : b`` with constant ``a`` and ``b`` (MaBoSS's default, and the ``$u_X``/``$d_X``
convention) becomes a *standard* node (its truth table and two numbers); any other rate becomes
postfix code for a float stack machine. Nothing is evaluated as Python.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.formats.maboss.expr import (
    Arith,
    Attr,
    Binary,
    Call,
    Cond,
    NodeRef,
    Num,
    Param,
    Unary,
    binary_op,
    call,
    children,
    node_names,
    substitute,
    walk,
)
from mtorsim.network import Network

LOGIC = Attr("logic")
DEFAULT_UP = Cond(LOGIC, Num(1.0), Num(0.0))
DEFAULT_DOWN = Cond(LOGIC, Num(0.0), Num(1.0))

# Float stack-machine operations (postfix).
F_NODE, F_CONST, F_LOGIC, F_NEG, F_NOT = 0, 1, 2, 3, 4
F_ADD, F_SUB, F_MUL, F_DIV = 5, 6, 7, 8
F_LT, F_LE, F_GT, F_GE, F_EQ, F_NE = 9, 10, 11, 12, 13, 14
F_AND, F_OR, F_XOR, F_SELECT = 15, 16, 17, 18
F_EXP, F_LOG, F_EXPB, F_LOGB = 19, 20, 21, 22
_BIN = {
    "+": F_ADD,
    "-": F_SUB,
    "*": F_MUL,
    "/": F_DIV,
    "<": F_LT,
    "<=": F_LE,
    ">": F_GT,
    ">=": F_GE,
    "==": F_EQ,
    "!=": F_NE,
    "&&": F_AND,
    "||": F_OR,
    "^": F_XOR,
}

KIND_STANDARD, KIND_CODE = 0, 1


@dataclass(frozen=True)
class NodeRates:
    """A node's rates (None: MaBoSS's default for that direction) and its other variables."""

    up: Arith | None = None
    down: Arith | None = None
    variables: Mapping[str, Arith] = field(default_factory=dict)
    has_logic: bool = True


@dataclass(frozen=True)
class RateSpec:
    """Rates of the nodes that have their own (others take the default) and parameter values."""

    nodes: Mapping[str, NodeRates] = field(default_factory=dict)
    params: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def constant(cls, net: Network, rates: np.ndarray | None = None) -> RateSpec:
        """Node ``i`` moves towards its rule's value at rate ``rates[i]`` (1 by default)."""
        if rates is None:
            return cls()
        nodes = {
            n: NodeRates(Cond(LOGIC, Num(float(r)), Num(0.0)), Cond(LOGIC, Num(0.0), Num(float(r))))
            for n, r in zip(net.nodes, rates)
            if r != 1.0
        }
        return cls(nodes)

    @classmethod
    def from_meta(cls, net: Network, params: Mapping[str, float] | None = None) -> RateSpec:
        """The rates a model file gave (``.bnd``: ``net.meta["rates"]``); others take the default."""
        rates = net.meta.get("rates") or {}
        no_logic = set(net.meta.get("no_logic") or ())
        nodes = {}
        for name in net.nodes:
            v = dict(rates.get(name) or {})
            if v or name in no_logic:
                up, down = v.pop("rate_up", None), v.pop("rate_down", None)
                nodes[name] = NodeRates(up, down, v, name not in no_logic)
        return cls(nodes, dict(params or {}))

    def with_params(self, values: Mapping[str, float]) -> RateSpec:
        """These parameter values on top; a name no file defines and no rate reads is an error."""
        unknown = [k for k in values if k not in self.params and k not in self.used_params()]
        if unknown:
            known = sorted(set(self.params) | self.used_params())
            hint = did_you_mean(unknown[0], known)
            raise MtorsimError(
                f"`param` {unknown[0]}: no parameter of that name"
                + (f"; {hint}" if hint else f" (parameters: {', '.join(known) or 'none'})")
            )
        return RateSpec(self.nodes, {**self.params, **values})

    def used_params(self) -> set[str]:
        out = set()
        for r in self.nodes.values():
            for e in [r.up, r.down, *r.variables.values()]:
                if e is not None:
                    out |= {x.name for x in walk(e) if isinstance(x, Param)}
        return out


@dataclass(frozen=True, eq=False)
class RateProgram:
    """Compiled rates. Node ``i`` is standard (``kind 0``: rate up ``ku[i]`` when its logic is 1,
    rate down ``kd[i]`` when it is 0) or runs code ``f_op/f_arg/f_val[f_ptr[2i]:f_ptr[2i+1]]``
    (up) and ``[f_ptr[2i+1]:f_ptr[2i+2]]`` (down). ``dep_idx[dep_ptr[j]:dep_ptr[j+1]]`` lists the
    nodes whose rates read node ``j``. ``base_up``/``base_down`` are the rates a partial hold
    pushes a node with (``ku``/``kd`` for standard nodes, 1 otherwise)."""

    kind: np.ndarray
    ku: np.ndarray
    kd: np.ndarray
    f_ptr: np.ndarray
    f_op: np.ndarray
    f_arg: np.ndarray
    f_val: np.ndarray
    max_stack: int
    dep_ptr: np.ndarray
    dep_idx: np.ndarray
    base_up: np.ndarray
    base_down: np.ndarray

    def arrays(self) -> tuple:
        return (self.kind, self.ku, self.kd, self.f_ptr, self.f_op, self.f_arg, self.f_val, self.dep_ptr, self.dep_idx)


def _inline(node: str, e: Arith, variables: Mapping[str, Arith], has_logic: bool, chain: tuple[str, ...] = ()) -> Arith:
    """Replace ``@var`` by the variable's expression (``@logic`` stays); cycles are errors."""

    def leaf(x: Arith) -> Arith | None:
        if not isinstance(x, Attr):
            return None
        if x.name == "logic":
            if not has_logic:
                raise MtorsimError(
                    f"node {node}: a rate reads @logic but the node has no logic; give it one "
                    f"(logic = ...;) or write the rate without @logic"
                )
            return None
        if x.name in chain:
            raise MtorsimError(
                f"node {node}: @{x.name} is defined in terms of itself ({' -> @'.join(chain + (x.name,))})"
            )
        if x.name not in variables:
            if x.name in ("rate_up", "rate_down"):
                return DEFAULT_UP if x.name == "rate_up" else DEFAULT_DOWN
            hint = did_you_mean(x.name, variables)
            raise MtorsimError(f"node {node}: no variable @{x.name}" + (f"; {hint}" if hint else ""))
        return _inline(node, variables[x.name], variables, has_logic, chain + (x.name,))

    return substitute(e, leaf)


def _bind(node: str, e: Arith, params: Mapping[str, float]) -> Arith:
    def leaf(x: Arith) -> Arith | None:
        if isinstance(x, Param):
            if x.name not in params:
                hint = did_you_mean(x.name, params)
                raise MtorsimError(
                    f"node {node}: parameter ${x.name} has no value; define it in the .cfg "
                    f"(${x.name} = 1;) or pass `param` {x.name}=VALUE" + (f"; {hint}" if hint else "")
                )
            return Num(float(params[x.name]))
        return None

    return substitute(e, leaf)


def fold(e: Arith) -> Arith:
    """Constant folding: operators whose operands are all numbers become numbers."""
    if isinstance(e, Unary):
        a = fold(e.arg)
        if isinstance(a, Num):
            return Num(float(a.value == 0) if e.op == "!" else -a.value)
        return Unary(e.op, a)
    if isinstance(e, Call):
        a = fold(e.arg)
        b = None if e.base is None else fold(e.base)
        if isinstance(a, Num) and (b is None or isinstance(b, Num)):
            return Num(call(e.fn, a.value, None if b is None else b.value))
        return Call(e.fn, a, b)
    if isinstance(e, Binary):
        a, b = fold(e.left), fold(e.right)
        if isinstance(a, Num) and isinstance(b, Num):
            return Num(binary_op(e.op, a.value, b.value))
        return Binary(e.op, a, b)
    if isinstance(e, Cond):
        t = fold(e.test)
        if isinstance(t, Num):
            return fold(e.then) if t.value != 0 else fold(e.other)
        return Cond(t, fold(e.then), fold(e.other))
    return e


def _standard(up: Arith, down: Arith) -> tuple[float, float] | None:
    """(a, b) when ``up`` is ``@logic ? a : 0`` and ``down`` is ``@logic ? 0 : b``."""
    if not (isinstance(up, Cond) and isinstance(down, Cond) and up.test == LOGIC and down.test == LOGIC):
        return None
    a, up_off, down_on, b = up.then, up.other, down.then, down.other
    if not (isinstance(a, Num) and isinstance(up_off, Num) and isinstance(down_on, Num) and isinstance(b, Num)):
        return None
    if up_off.value != 0 or down_on.value != 0:
        return None
    return a.value, b.value


def _code(e: Arith, index: Mapping[str, int], me: int) -> tuple[list[int], list[int], list[float], int]:
    """Postfix code for a bound, inlined rate; returns ops, args, constants and stack depth."""
    ops: list[int] = []
    args: list[int] = []
    vals: list[float] = []
    depth = best = 0
    work: list[tuple[Arith, bool]] = [(e, False)]
    while work:
        x, done = work.pop()
        if isinstance(x, Num | NodeRef | Attr):
            if isinstance(x, Num):
                op, arg, val = F_CONST, 0, x.value
            elif isinstance(x, NodeRef):
                op, arg, val = F_NODE, index[x.name], 0.0
            else:
                op, arg, val = F_LOGIC, me, 0.0
            ops.append(op)
            args.append(arg)
            vals.append(val)
            depth += 1
            best = max(best, depth)
            continue
        if isinstance(x, Param):  # _bind replaced every parameter by its value
            raise MtorsimError(f"parameter ${x.name} has no value")
        if not done:
            work.append((x, True))
            work.extend((k, False) for k in reversed(children(x)))  # Call: arg, then base if given
            continue
        if isinstance(x, Unary):
            ops.append(F_NOT if x.op == "!" else F_NEG)
        elif isinstance(x, Call):
            base = x.base is not None
            ops.append(
                {("exp", False): F_EXP, ("log", False): F_LOG, ("exp", True): F_EXPB, ("log", True): F_LOGB}[x.fn, base]
            )
            depth -= int(base)
        elif isinstance(x, Binary):
            ops.append(_BIN[x.op])
            depth -= 1
        else:
            ops.append(F_SELECT)
            depth -= 2
        args.append(0)
        vals.append(0.0)
    return ops, args, vals, best


def compile_rates(net: Network, spec: RateSpec | None = None) -> RateProgram:
    """Compile every node's rates for the continuous-time kernel (rules from ``net``)."""
    spec = spec or RateSpec()
    n = len(net)
    index = {name: i for i, name in enumerate(net.nodes)}
    unknown = [k for k in spec.nodes if k not in index]
    if unknown:
        raise MtorsimError(f"rates given for '{unknown[0]}', which is not a node of the model")
    kind = np.zeros(n, np.int8)
    ku = np.ones(n)
    kd = np.ones(n)
    f_ptr = np.zeros(2 * n + 1, np.int64)
    ops: list[int] = []
    args: list[int] = []
    vals: list[float] = []
    max_stack = 1
    reads: list[set[int]] = []
    for i, name in enumerate(net.nodes):
        if name not in spec.nodes:  # MaBoSS's default rates: standard, 1 up and 1 down (ku, kd as set)
            reads.append(set(net.regulators[i]) | {i})
            f_ptr[2 * i + 1] = f_ptr[2 * i + 2] = len(ops)
            continue
        r = spec.nodes[name]
        up0 = r.up if r.up is not None else DEFAULT_UP if r.has_logic else Num(0.0)
        down0 = r.down if r.down is not None else DEFAULT_DOWN if r.has_logic else Num(0.0)
        up = fold(_bind(name, _inline(name, up0, r.variables, r.has_logic), spec.params))
        down = fold(_bind(name, _inline(name, down0, r.variables, r.has_logic), spec.params))
        std = _standard(up, down)
        logic_regs = set(net.regulators[i])
        if std is not None:
            a, b = std
            for what, v in (("rate_up", a), ("rate_down", b)):
                if not (v >= 0 and math.isfinite(v)):
                    raise MtorsimError(f"node {name}: {what} is {v:g}; a rate must be a finite number >= 0")
            ku[i], kd[i] = a, b
            reads.append(logic_regs | {i})
        else:
            kind[i] = KIND_CODE
            reads_i = {i}
            for k, e in enumerate((up, down)):
                e_ops, e_args, e_vals, e_depth = _code(e, index, i)
                ops += e_ops
                args += e_args
                vals += e_vals
                max_stack = max(max_stack, e_depth)
                if k == 0:
                    f_ptr[2 * i + 1] = len(ops)
                reads_i |= {index[m] for m in node_names(e)}
                if any(isinstance(x, Attr) for x in walk(e)):
                    reads_i |= logic_regs
            reads.append(reads_i)
        if kind[i] == KIND_STANDARD:
            f_ptr[2 * i + 1] = len(ops)
        f_ptr[2 * i + 2] = len(ops)
    readers: list[list[int]] = [[] for _ in range(n)]
    for i, rs in enumerate(reads):
        for j in sorted(rs):
            readers[j].append(i)
    dep_ptr = np.zeros(n + 1, np.int64)
    dep_ptr[1:] = np.cumsum([len(x) for x in readers])
    dep_idx = np.array([i for x in readers for i in x], dtype=np.int64)
    base_up = np.where(kind == KIND_STANDARD, ku, 1.0)
    base_down = np.where(kind == KIND_STANDARD, kd, 1.0)
    return RateProgram(
        kind,
        ku,
        kd,
        f_ptr,
        np.asarray(ops, np.int8),
        np.asarray(args, np.int64),
        np.asarray(vals, np.float64),
        max_stack,
        dep_ptr,
        dep_idx,
        base_up,
        base_down,
    )
