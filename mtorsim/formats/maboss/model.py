"""MaBoSS files as models: ``.bnd`` -> rules plus rate expressions; rules -> ``.bnd`` and ``.cfg`` text.

The Boolean rule of a node is its ``logic`` (logical operators become and/or/not; logic with
arithmetic or comparisons is tabulated over its node inputs). A node without logic keeps its
value unless its rates move it: in Boolean analyses it is a free input. Rates and other node
variables are kept in the metadata under ``"rates"``: ``{node: {"rate_up": expr, ...}}``, with
``"no_logic"`` listing nodes without logic.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from mtorsim.errors import ModelSyntaxError
from mtorsim.formats.ast import And, Const, Expr, Not, Or, Rule, Var
from mtorsim.formats.maboss.bnd import parse_bnd
from mtorsim.formats.maboss.expr import (
    Arith,
    Attr,
    Cond,
    Num,
    Param,
    evaluate,
    from_boolean,
    node_names,
    to_boolean,
    to_text,
    walk,
)

MAX_TABULATED_INPUTS = 16


def _tabulated(name: str, logic: Arith, where) -> Expr:
    """A Boolean rule equal to an arithmetic ``logic`` (non-zero is true), as a sum of minterms."""
    regs = node_names(logic)
    bad = next((x for x in walk(logic) if isinstance(x, Param | Attr)), None)
    if bad is not None:
        what = f"${bad.name}" if isinstance(bad, Param) else f"@{bad.name}"
        raise ModelSyntaxError(
            f"the logic of {name} reads {what}; a logic may only read node states",
            bad.where or where,
            "move parameters into rate_up/rate_down",
        )
    if len(regs) > MAX_TABULATED_INPUTS:
        raise ModelSyntaxError(
            f"the logic of {name} uses arithmetic over {len(regs)} nodes (at most "
            f"{MAX_TABULATED_INPUTS} can be tabulated)",
            where,
            "write it with AND/OR/NOT",
        )
    terms: list[Expr] = []
    for bits in itertools.product((0, 1), repeat=len(regs)):
        if evaluate(logic, dict(zip(regs, bits))) != 0:
            lits = tuple(Var(r) if b else Not(Var(r)) for r, b in zip(regs, bits))
            terms.append(lits[0] if len(lits) == 1 else And(lits) if lits else Const(True))
    if not terms:
        return Const(False)
    return terms[0] if len(terms) == 1 else Or(tuple(terms))


def read_bnd(text: str, path: str) -> tuple[list[Rule], dict[str, Any]]:
    """Rules and metadata (rates, descriptions) of a ``.bnd`` file."""
    rules: list[Rule] = []
    rates: dict[str, dict[str, Arith]] = {}
    no_logic: list[str] = []
    notes: dict[str, dict[str, str]] = {}
    warnings: list[str] = []
    for node in parse_bnd(text, path):
        if node.logic is None:
            expr: Expr = Var(node.name, node.where)
            no_logic.append(node.name)
            if node.variables:
                warnings.append(
                    f"node {node.name} has no logic: Boolean analyses treat it as a free input; "
                    "continuous time uses its rates"
                )
        else:
            expr = to_boolean(node.logic) or _tabulated(node.name, node.logic, node.where)
        rules.append(Rule(node.name, expr, node.where))
        if node.variables:
            rates[node.name] = dict(node.variables)
        if node.text.get("description"):
            notes[node.name] = {"notes": node.text["description"]}
    meta: dict[str, Any] = {"rates": rates, "no_logic": no_logic}
    if notes:
        meta["nodes"] = notes
    if warnings:
        meta["warnings"] = warnings
    return rules, meta


def default_rates(node: str) -> dict[str, Arith]:
    """The ``$u_X``/``$d_X`` convention: ``@logic ? $u_X : 0`` and ``@logic ? 0 : $d_X``."""
    logic = Attr("logic")
    return {
        "rate_up": Cond(logic, Param(f"u_{node}"), Num(0.0)),
        "rate_down": Cond(logic, Num(0.0), Param(f"d_{node}")),
    }


def format_bnd(rules: Sequence[Rule], meta: Mapping[str, Any] | None = None) -> str:
    """``.bnd`` text: each node's logic and rates (its own, else the ``$u_X``/``$d_X`` convention)."""
    meta = meta or {}
    rates: Mapping[str, Mapping[str, Arith]] = meta.get("rates") or {}
    no_logic = set(meta.get("no_logic") or ())
    described = meta.get("nodes") or {}
    out = ["// MaBoSS network written by mtorsim; parameters and initial states are in the .cfg beside it", ""]
    for r in rules:
        body = []
        note = (described.get(r.target) or {}).get("notes")
        if note:
            body.append(f'  description = "{" ".join(str(note).split()).replace(chr(34), chr(39))}";')
        if r.target not in no_logic:
            body.append(f"  logic = {to_text(from_boolean(r.expr))};")
        variables = dict(rates.get(r.target) or default_rates(r.target))
        for key in ("rate_up", "rate_down"):
            if key in variables:
                body.append(f"  {key} = {to_text(variables.pop(key))};")
        body += [f"  {k} = {to_text(v)};" for k, v in variables.items()]
        out.append(f"Node {r.target} {{")
        out += body
        out += ["}", ""]
    return "\n".join(out)


def format_cfg(
    rules: Sequence[Rule],
    meta: Mapping[str, Any] | None = None,
    params: Mapping[str, float] | None = None,
    settings: Mapping[str, float] | None = None,
    istate: Mapping[str, float] | None = None,
    joint: Sequence[tuple[Sequence[str], Sequence[tuple[float, Sequence[int]]]]] = (),
) -> str:
    """``.cfg`` text: parameters (rates' ``$u_X``/``$d_X`` default to 1), initial states
    (``joint`` distributions, else ``istate``, else ``meta["initial"]``, else 0; -1 or 0.5 is
    random) and run settings."""
    meta = meta or {}
    rates = meta.get("rates") or {}
    used: list[str] = []
    for r in rules:
        for e in (rates.get(r.target) or default_rates(r.target)).values():
            used += [x.name for x in walk(e) if isinstance(x, Param) and x.name not in used]
    params = dict(params or {})
    out = ["// MaBoSS run configuration written by mtorsim", ""]
    out += [f"${p} = {_num(params.get(p, 1.0))};" for p in used]
    out += [f"${p} = {_num(v)};" for p, v in params.items() if p not in used]
    out.append("")
    initial = {**(meta.get("initial") or {}), **(istate or {})}
    in_joint = {n for names, _ in joint for n in names}
    for r in rules:
        if r.target not in in_joint:
            v = initial.get(r.target, 0)
            out.append(f"{r.target}.istate = {'-1' if v not in (0, 1) else int(v)};")
    for names, options in joint:
        out.append(
            f"[{', '.join(names)}].istate = "
            + ", ".join(f"{_num(w)} [{', '.join(str(int(x)) for x in v)}]" for w, v in options)
            + ";"
        )
    out.append("")
    base = {
        "time_tick": 1.0,
        "max_time": 100.0,
        "sample_count": 1000,
        "discrete_time": 0,
        "seed_pseudorandom": 0,
        "thread_count": 1,
    }
    base.update(settings or {})
    out += [f"{k} = {_num(v)};" for k, v in base.items()]
    return "\n".join(out) + "\n"


def _num(v: float) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
