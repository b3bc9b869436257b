"""Read MaBoSS ``.cfg`` run configurations: parameters, initial states, node flags, settings.

```
$u_AKT = 2;                     // a parameter (may use other parameters)
AKT.istate = 1;                 // 0, 1, or -1 for a fair coin
[A, B].istate = 0.3 [0, 0], 0.7 [1, 1];   // a joint initial distribution (weights normalised)
Apoptosis.is_internal = 1;      // simulated, left out of the state probabilities
AKT.refstate = 1;               // reference state for the Hamming-distance distribution
max_time = 50; time_tick = 0.5; sample_count = 10000; discrete_time = 0;
```
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from mtorsim.errors import Location, ModelSyntaxError, MtorsimError, did_you_mean
from mtorsim.formats.maboss.expr import Arith, Param, Parser, evaluate, walk
from mtorsim.formats.maboss.lexer import Token, tokenize

SETTINGS = {
    "time_tick": 0.5,
    "max_time": 1000.0,
    "sample_count": 10000,
    "discrete_time": 0,
    "seed_pseudorandom": 0,
    "thread_count": 1,
}
"""Settings mtorsim honours, with MaBoSS's defaults (used for keys a .cfg file leaves out)."""
IGNORED_SETTINGS = (
    "use_physrandgen",
    "use_glibcrandgen",
    "use_mtrandgen",
    "display_traj",
    "statdist_traj_count",
    "statdist_cluster_threshold",
    "statdist_similarity_cache_max_size",
    "init_pop",
    "pop_base",
)
"""Settings MaBoSS accepts that have no meaning here (read, then ignored with a note)."""
NODE_KEYS = ("istate", "is_internal", "refstate", "in_graph", "schedule")


@dataclass
class Cfg:
    """What a ``.cfg`` file says. ``istate`` holds single-node values (0, 1 or -1 random);
    ``joint`` holds ``(nodes, [(weight, values), ...])`` distributions."""

    params: dict[str, float] = field(default_factory=dict)
    settings: dict[str, float] = field(default_factory=dict)
    istate: dict[str, float] = field(default_factory=dict)
    joint: list[tuple[tuple[str, ...], list[tuple[float, tuple[int, ...]]]]] = field(default_factory=list)
    internal: dict[str, bool] = field(default_factory=dict)
    refstate: dict[str, int] = field(default_factory=dict)
    schedule: list[tuple[str, float, int]] = field(default_factory=list)  # (node, time, value)
    notes: list[str] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)  # parameters the files define
    where: dict[str, Location] = field(default_factory=dict)  # node -> first place it is named

    def merge(self, other: Cfg) -> Cfg:
        """``other`` read after this file (MaBoSS's repeated ``-c``): later values win."""
        out = Cfg(
            params={**self.params, **other.params},
            settings={**self.settings, **other.settings},
            istate={**self.istate, **other.istate},
            internal={**self.internal, **other.internal},
            refstate={**self.refstate, **other.refstate},
            schedule=[x for x in self.schedule if x[0] not in {y[0] for y in other.schedule}] + other.schedule,
            notes=self.notes + other.notes,
            where={**self.where, **other.where},
            declared=self.declared | other.declared,
        )
        redrawn = {n for names, _ in other.joint for n in names} | set(other.istate)
        out.joint = [j for j in self.joint if not set(j[0]) & redrawn] + list(other.joint)
        out.istate = {k: v for k, v in out.istate.items() if k not in {n for names, _ in other.joint for n in names}}
        return out


_Pending = tuple[str, str, Arith, Location]
"""A ``setting = value`` (target ``""``) or ``NODE.key = value`` statement: (target, key, expr, where)."""
_Joint = tuple[tuple[str, ...], list[tuple[Arith, tuple[int, ...]]], Location]
"""A ``[A, B].istate = w [a, b], ...`` statement: (nodes, [(weight, values), ...], where)."""
_Schedule = tuple[str, list[tuple[Arith, Arith]], Location]
"""A ``NODE.schedule = time: value, ...`` statement: (node, [(time, value), ...], where)."""


@dataclass
class _Statements:
    """The statements of a ``.cfg`` text as read, before any expression is evaluated."""

    params: dict[str, tuple[Arith, Location]] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)
    joints: list[_Joint] = field(default_factory=list)
    schedules: list[_Schedule] = field(default_factory=list)


def parse_cfg(text: str, path: str, nodes: list[str] | None = None, overrides: dict[str, float] | None = None) -> Cfg:
    """Parse a ``.cfg`` text; node names are checked against ``nodes`` when given. ``overrides``
    (``--param``) replace parameter values before anything is evaluated."""
    lines = text.splitlines() or [""]
    p = Parser(tokenize(text, path), path, lines)
    cfg = Cfg()
    read = _read_statements(p, nodes, cfg)
    cfg.params = _resolve_params(read.params, overrides or {})
    cfg.declared = set(read.params)
    for target, key, expr, where in read.pending:
        _apply(cfg, target, key, _number(expr, cfg.params, where), where)
    for name, items, where in read.schedules:
        _apply_schedule(cfg, name, items, where)
    for names, options, where in read.joints:
        _apply_joint(cfg, names, options, where)
    _check_settings(cfg, path)
    return cfg


def _read_statements(p: Parser, nodes: list[str] | None, cfg: Cfg) -> _Statements:
    """Every statement up to the end of the file; node names are checked (and their first place
    kept in ``cfg.where``) as they are read."""
    read = _Statements()
    while p.peek().kind != "END":
        tok = p.peek()
        where = p.where(tok)
        if tok.kind == "PARAM":
            p.take()
            p.expect("=", f"write '${tok.text} = value;'")
            if tok.text in read.params:
                raise MtorsimError(
                    f"{where}: ${tok.text} is set again (first at {read.params[tok.text][1]}); set each parameter "
                    "once (a command-line --param overrides the file's value)"
                )
            read.params[tok.text] = (p.expression(), where)
        elif tok.kind == "[":
            read.joints.append(_joint(p, nodes, cfg))
        elif tok.kind == "NAME" and p.peek(1).kind == ".":
            _node_statement(p, nodes, cfg, read, where)
        elif tok.kind == "NAME":
            _setting_statement(p, read, where)
        else:
            raise p.error(
                f"unexpected '{tok.text}'",
                tok,
                "a .cfg statement is '$param = value;', 'setting = value;', 'NODE.istate = value;' "
                "or '[A, B].istate = weight [0, 1], ...;'",
            )
        p.expect(";", "end each statement with ';'")
    return read


def _node_statement(p: Parser, nodes: list[str] | None, cfg: Cfg, read: _Statements, where: Location) -> None:
    """``NODE.key = value`` (``key`` one of :data:`NODE_KEYS`), without the final ';'."""
    tok = p.take()
    p.take()  # the '.'
    key = p.expect("NAME", f"write {tok.text}.istate, {tok.text}.is_internal or {tok.text}.refstate")
    if key.text not in NODE_KEYS:
        raise p.error(
            f"unknown node setting '{key.text}'",
            key,
            did_you_mean(key.text, NODE_KEYS) or f"use one of: {', '.join(NODE_KEYS)}",
        )
    _node(p, tok, nodes, cfg)
    p.expect("=", f"write '{tok.text}.{key.text} = value;'")
    if key.text == "schedule":
        read.schedules.append((tok.text, _schedule(p), where))
    else:
        read.pending.append((tok.text, key.text, p.expression(), where))


def _setting_statement(p: Parser, read: _Statements, where: Location) -> None:
    """``setting = value`` for a known or ignored setting, without the final ';'."""
    tok = p.take()
    known = tuple(SETTINGS) + IGNORED_SETTINGS
    if tok.text not in known:
        raise p.error(
            f"unknown setting '{tok.text}'",
            tok,
            did_you_mean(tok.text, known) or f"settings: {', '.join(known)}",
        )
    p.expect("=", f"write '{tok.text} = value;'")
    read.pending.append(("", tok.text, p.expression(), where))


def _apply(cfg: Cfg, target: str, key: str, value: float, where: Location) -> None:
    """Record a setting (``target`` empty) or a node's ``istate``, ``is_internal``, ``refstate``
    or ``in_graph`` (the last is noted and ignored)."""
    if not target:
        if key in IGNORED_SETTINGS:
            cfg.notes.append(f"{where}: '{key}' is a MaBoSS setting with no meaning in mtorsim; ignored")
        else:
            cfg.settings[key] = value
    elif key == "istate":
        _apply_istate(cfg, target, value, where)
    elif key == "is_internal":
        cfg.internal[target] = value != 0
    elif key == "refstate":
        if value in (0.0, 1.0):
            cfg.refstate[target] = int(value)
        elif value >= 0:  # MaBoSS takes a negative value as "no reference state for this node"
            raise MtorsimError(f"{where}: {target}.refstate must be 0 or 1 (or negative for none), not {value:g}")
    else:
        cfg.notes.append(f"{where}: '{target}.{key}' (MaBoSS's observed transition graph) is not supported; ignored")


def _apply_istate(cfg: Cfg, target: str, value: float, where: Location) -> None:
    """``target.istate = value``: 0 or 1, or any negative value for a fair coin; it replaces an
    earlier joint distribution that includes ``target``."""
    if value not in (0.0, 1.0, -1.0) and not value < 0:
        raise ModelSyntaxError(
            f"{target}.istate must be 0, 1 or -1 (random), not {value:g}",
            where,
            f"for a probability p write [{target}].istate = p [1], 1 - p [0];",
        )
    cfg.istate[target] = 0.5 if value < 0 else value
    cfg.joint = [j for j in cfg.joint if target not in j[0]]


def _apply_schedule(cfg: Cfg, name: str, items: list[tuple[Arith, Arith]], where: Location) -> None:
    """``name.schedule = time: value, ...``: it replaces an earlier schedule of ``name``."""
    cfg.schedule = [x for x in cfg.schedule if x[0] != name]
    for t, v in items:
        time, value = _number(t, cfg.params, where), _number(v, cfg.params, where)
        if not (time >= 0 and math.isfinite(time)):
            raise ModelSyntaxError(f"a schedule time must be a number >= 0, not {time:g}", where)
        cfg.schedule.append((name, time, int(value != 0)))


def _apply_joint(
    cfg: Cfg, names: tuple[str, ...], options: list[tuple[Arith, tuple[int, ...]]], where: Location
) -> None:
    """``[names].istate = weight [values], ...``: it replaces earlier initial values of ``names``."""
    weighted: list[tuple[float, tuple[int, ...]]] = []
    for w, values in options:
        weight = _number(w, cfg.params, where)
        if not weight >= 0 or not math.isfinite(weight):
            raise ModelSyntaxError(f"a weight of an initial distribution must be >= 0, not {weight:g}", where)
        weighted.append((weight, values))
    if sum(w for w, _ in weighted) <= 0:
        raise ModelSyntaxError(
            "the weights of this initial distribution sum to 0", where, "give at least one positive weight"
        )
    for n in names:
        cfg.istate.pop(n, None)
    cfg.joint = [j for j in cfg.joint if not set(j[0]) & set(names)] + [(names, weighted)]


def _check_settings(cfg: Cfg, path: str) -> None:
    """Counts and flags are whole numbers (stored as ``int``); times are positive and finite."""
    for key, least in (("sample_count", 1), ("thread_count", 1), ("discrete_time", 0), ("seed_pseudorandom", 0)):
        if key in cfg.settings:
            v = cfg.settings[key]
            if not math.isfinite(v) or v != int(v) or v < least:
                raise MtorsimError(f"{path}: {key} must be a whole number >= {least}, not {v:g}")
            cfg.settings[key] = int(v)
    for key in ("time_tick", "max_time"):
        if key in cfg.settings and not (cfg.settings[key] > 0 and math.isfinite(cfg.settings[key])):
            raise MtorsimError(f"{path}: {key} must be a positive number, not {cfg.settings[key]:g}")


def _node(p: Parser, tok: Token, nodes: list[str] | None, cfg: Cfg) -> None:
    if nodes is not None and tok.text not in nodes:
        raise p.error(
            f"'{tok.text}' is not a node of the model",
            tok,
            did_you_mean(tok.text, nodes) or "check the name against the .bnd file",
        )
    cfg.where.setdefault(tok.text, p.where(tok))


def _joint(p: Parser, nodes: list[str] | None, cfg: Cfg) -> _Joint:
    """``[A, B].istate = w1 [a1, b1], w2 [a2, b2], ...``."""
    where = p.where(p.take())
    names: list[str] = []
    while True:
        tok = p.expect("NAME", "list node names: [A, B].istate = ...")
        _node(p, tok, nodes, cfg)
        if tok.text in names:
            raise p.error(f"'{tok.text}' is listed twice", tok)
        names.append(tok.text)
        if p.peek().kind == "]":
            p.take()
            break
        p.expect(",", "separate node names with ','")
    p.expect(".", "write [A, B].istate = ...")
    key = p.expect("NAME")
    if key.text != "istate":
        raise p.error(f"only istate can be given for a list of nodes, not '{key.text}'", key)
    p.expect("=", "write [A, B].istate = weight [0, 1], weight [1, 0];")
    options: list[tuple[Arith, tuple[int, ...]]] = []
    while True:
        weight = p.expression()
        p.expect("[", "each weight is followed by the values in brackets, e.g. 0.5 [0, 1]")
        values: list[int] = []
        while True:
            tok = p.expect("NUMBER", "values are 0 or 1")
            if tok.text not in ("0", "1"):
                raise p.error(f"a node value is 0 or 1, not {tok.text}", tok)
            values.append(int(tok.text))
            if p.peek().kind == "]":
                p.take()
                break
            p.expect(",", "separate values with ','")
        if len(values) != len(names):
            raise p.error(
                f"{len(values)} value(s) for {len(names)} node(s)",
                p.peek(-1) if p.pos else p.peek(),
                "give one value per listed node",
            )
        options.append((weight, tuple(values)))
        if p.peek().kind != ",":
            break
        p.take()
    return tuple(names), options, where


def _schedule(p: Parser) -> list[tuple[Arith, Arith]]:
    """``time: value, time: value, ...``."""
    items: list[tuple[Arith, Arith]] = []
    while True:
        t = p.expression()
        p.expect(":", "write the schedule as 'time: value, time: value'")
        items.append((t, p.expression()))
        if p.peek().kind != ",":
            return items
        p.take()


def _resolve_params(raw: dict[str, tuple[Arith, Location]], overrides: dict[str, float]) -> dict[str, float]:
    """Evaluate parameters in dependency order; ``overrides`` win; cycles and unknowns are errors."""
    values: dict[str, float] = dict(overrides)
    visiting: list[str] = []

    def value(name: str, where: Location | None) -> float:
        if name in values:
            return values[name]
        if name not in raw:
            raise MtorsimError(
                f"{where}: parameter ${name} has no value" if where else f"parameter ${name} has no value"
            )
        if name in visiting:
            raise ModelSyntaxError(
                f"parameter ${name} is defined in terms of itself ({' -> '.join(visiting + [name])})", raw[name][1]
            )
        visiting.append(name)
        expr, loc = raw[name]
        for x in walk(expr):
            if isinstance(x, Param):
                value(x.name, x.where)
        values[name] = _number(expr, values, loc)
        visiting.pop()
        return values[name]

    for name in raw:
        value(name, raw[name][1])
    return values


def _number(expr: Arith, params: dict[str, float], where: Location) -> float:
    for x in walk(expr):
        if isinstance(x, Param) and x.name not in params:
            raise ModelSyntaxError(
                f"parameter ${x.name} has no value",
                x.where or where,
                did_you_mean(x.name, params) or f"define it: ${x.name} = 1;",
            )
        if not isinstance(x, Param) and type(x).__name__ in ("NodeRef", "Attr"):
            raise ModelSyntaxError(
                "a setting or parameter must be a number (node names and @variables are not allowed here)",
                getattr(x, "where", None) or where,
            )
    try:
        v = evaluate(expr, {}, params)
    except OverflowError:
        v = math.inf
    if math.isnan(v):
        raise ModelSyntaxError("this value is not a number (NaN)", where)
    return v
