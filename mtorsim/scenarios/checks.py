"""Behaviour checks: named scenarios with expected readouts and drug- or mutation-caused contrasts.

A scenarios file (TOML) holds ``[scenarios.NAME]`` tables::

    [scenarios.tsc2_everolimus]
    env = { growth_factors = 1 }
    mutations = ["TSC2_loss"]
    drugs = ["everolimus"]
    doses = { everolimus = 3 }            # optional: dose in the drug's unit (nM)
    expect = { S6K = 0, Proliferation = { at_least = 0.25 } }
    control = { drugs = [] }              # the same scenario with these fields replaced,
                                          # or the name of another scenario
    change = { Proliferation = "partial", Growth = { change = "lower", by = 0.2 } }
    known_failure = "why the model cannot pass this row"

``expect``: a number must hold in every attractor (min = max = value); ``{mean = x,
tolerance = t}`` bounds the graded estimate; ``{at_least = x}`` / ``{at_most = x}`` bound every
attractor. ``change`` compares the graded estimates of the scenario and its control: ``lower`` /
``higher`` by at least ``by`` (default 0.1), ``same`` (differ by less than ``by``), ``partial``
(lower by at least ``by`` and still at least ``by`` above 0).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.formats.io import read_toml
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.scenarios.estimate import EstimateSettings
from mtorsim.scenarios.result import CheckReport
from mtorsim.scenarios.scenario import DEFAULT_ESTIMATE, ScenarioResult, run_scenario
from mtorsim.treatment.treatment import Treatment
from mtorsim.types import AttractorUpdate, Method

SCENARIO_KEYS = {
    "env",
    "mutations",
    "drugs",
    "doses",
    "update",
    "method",
    "expect",
    "description",
    "source",
    "notes",
    "control",
    "change",
    "known_failure",
}
CHANGES = ("lower", "higher", "same", "partial")
DEFAULT_BY = 0.1


@dataclass(frozen=True)
class Scenario:
    name: str
    env: dict
    mutations: tuple[str, ...]
    drugs: tuple[str, ...]
    doses: dict
    update: AttractorUpdate | None  # None: the run's; checked by the attractor search
    method: Method | None
    expect: dict
    control: Scenario | None = None
    change: dict = field(default_factory=dict)
    known_failure: str | None = None
    info: dict = field(default_factory=dict)

    def treatment(self) -> Treatment:
        """The scenario's medium, genotype, drugs and doses."""
        return Treatment.of(self.env, self.mutations, self.drugs, self.doses)

    def key(self) -> tuple:
        return (
            tuple(sorted(self.env.items())),
            self.mutations,
            self.drugs,
            tuple(sorted(self.doses.items())),
            self.update,
            self.method,
        )


def _list(v: object, where: str, what: str) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise MtorsimError(f'{where}: {what} must be a list of names, e.g. {what} = ["TSC2_loss"]')
    return tuple(v)


def _table(v: object, where: str, what: str) -> dict:
    if not isinstance(v, dict):
        raise MtorsimError(f"{where}: {what} must be a table, e.g. {what} = {{ growth_factors = 1 }}")
    return dict(v)


def _parse(name: str, sc: Mapping, vocab: Vocabulary, where: str) -> Scenario:
    unknown = set(sc) - SCENARIO_KEYS
    if unknown:
        bad = sorted(unknown)[0]
        hint = did_you_mean(bad, SCENARIO_KEYS)
        raise MtorsimError(
            f"{where}: unknown key '{bad}'" + (f"; {hint}" if hint else f" (valid: {', '.join(sorted(SCENARIO_KEYS))})")
        )
    env = _table(sc.get("env", {}), where, "env")
    for k, v in env.items():
        vocab.condition(k)
        if v not in (0, 1) or isinstance(v, bool):
            raise MtorsimError(f"{where}: env {k} must be 0 or 1, not {v!r}")
    mutations = _list(sc.get("mutations", []), where, "mutations")
    drugs = _list(sc.get("drugs", []), where, "drugs")
    given = Treatment.of(mutations=mutations, drugs=drugs)  # NAME:0.5, NAME:het
    for m in given.mutation_names:
        vocab.mutation(m)
    for d in given.drug_names:
        vocab.drug(d)
    doses = _table(sc.get("doses", {}), where, "doses")
    expect = _table(sc.get("expect", {}), where, "expect")
    change = _table(sc.get("change", {}), where, "change")
    for readout in list(expect) + list(change):
        if readout not in vocab.readouts and readout != VIABILITY:
            hint = did_you_mean(readout, vocab.readouts)
            raise MtorsimError(f"{where}: unknown readout '{readout}'" + (f"; {hint}" if hint else ""))
    for readout, want in change.items():
        _change_spec(want, where, readout)
    for readout, want in expect.items():  # refused here, before any work
        _expect({"min": 0.0, "max": 0.0, "mean": 0.0}, want, where, readout)
        _in_range(vocab, readout, want, where)
    if change and "control" not in sc:
        raise MtorsimError(
            f"{where}: 'change' compares with a control; give control = {{ drugs = [] }} (the same "
            "scenario without drugs) or the name of another scenario"
        )
    if not expect and not change:
        raise MtorsimError(f"{where}: expects nothing; give 'expect' and/or 'change' (with 'control')")
    known = sc.get("known_failure")
    if known is not None and not (isinstance(known, str) and known.strip()):
        raise MtorsimError(f"{where}: known_failure must be the reason, as text")
    info = {k: sc[k] for k in ("description", "source", "notes") if k in sc}
    return Scenario(
        name, env, mutations, drugs, doses, sc.get("update"), sc.get("method"), expect, None, change, known, info
    )


def ceiling(vocab: Vocabulary, name: str) -> float:
    """The largest value a readout can take: 1 for a node or formula, the top weight of levels,
    the weighted sum of a combined readout's parts."""
    r = vocab.readouts[name]
    if r.combine:
        return sum(w * ceiling(vocab, part) for part, w in r.combine)
    return max(r.weights) if r.levels else 1.0


def _in_range(vocab: Vocabulary, readout: str, want: object, where: str) -> None:
    """An expected value the readout can take: a finite number in [0, its ceiling] (Viability, a
    relative measure, is checked as a number only)."""
    values: list[object] = []
    if isinstance(want, int | float):
        values = [want]
    elif isinstance(want, dict) and readout in vocab.readouts:
        values = [want.get(k) for k in ("mean", "at_least", "at_most")]
    top = ceiling(vocab, readout) if readout in vocab.readouts else math.inf
    for v in values:
        if not isinstance(v, int | float) or isinstance(v, bool):
            continue
        if not math.isfinite(v) or not 0 <= v <= top + 1e-12:
            raise MtorsimError(
                f"{where}: '{readout}' takes values from 0 to {top:g}, so it cannot be expected at {v!r}; "
                "no result could pass"
            )


def _change_spec(want: object, where: str, readout: str) -> tuple[str, float]:
    if isinstance(want, str):
        kind, by = want, DEFAULT_BY
    elif isinstance(want, dict) and set(want) <= {"change", "by"} and "change" in want:
        kind, by = want["change"], want.get("by", DEFAULT_BY)
    else:
        raise MtorsimError(
            f"{where}: change of '{readout}' must be one of {', '.join(CHANGES)}, or a table such as "
            '{ change = "lower", by = 0.2 }'
        )
    if kind not in CHANGES:
        raise MtorsimError(f"{where}: change of '{readout}' must be one of {', '.join(CHANGES)}, not {kind!r}")
    if isinstance(by, bool) or not isinstance(by, int | float) or not 0 < by <= 1:
        raise MtorsimError(f"{where}: 'by' for '{readout}' must be a number in (0, 1], not {by!r}")
    return kind, float(by)


def load_scenarios(path: str | os.PathLike, vocab: Vocabulary) -> list[Scenario]:
    """Every scenario of the file, checked against the vocabulary, controls resolved."""
    data = read_toml(path, "scenarios file")
    table = data.get("scenarios")
    if not isinstance(table, dict) or not table:
        raise MtorsimError(f"{path}: no [scenarios.NAME] tables found")
    raw = {}
    for name, sc in table.items():
        where = f"{path}: [scenarios.{name}]"
        if not isinstance(sc, dict):
            raise MtorsimError(f"{where}: must be a table")
        raw[name] = (_parse(name, sc, vocab, where), sc.get("control"), where)
    out = []
    for name, (sc, control, where) in raw.items():
        if isinstance(control, str):
            if control not in raw:
                hint = did_you_mean(control, raw)
                raise MtorsimError(
                    f"{where}: control '{control}' is not a scenario of this file" + (f"; {hint}" if hint else "")
                )
            if control == name:
                raise MtorsimError(
                    f"{where}: is its own control; name another scenario, or a table such as {{ drugs = [] }}"
                )
            ctl = raw[control][0]
        elif isinstance(control, dict):
            ctl = _control_table(name, sc, control, vocab, where)
        elif control is None:
            ctl = None
        else:
            raise MtorsimError(f"{where}: control must be a scenario name or a table such as {{ drugs = [] }}")
        out.append(
            Scenario(
                sc.name,
                sc.env,
                sc.mutations,
                sc.drugs,
                sc.doses,
                sc.update,
                sc.method,
                sc.expect,
                ctl,
                sc.change,
                sc.known_failure,
                sc.info,
            )
        )
    return out


def _control_table(name: str, sc: Scenario, control: dict, vocab: Vocabulary, where: str) -> Scenario:
    """The scenario with the fields ``control`` replaces (a dropped drug takes its dose along)."""
    base = {"env": sc.env, "mutations": list(sc.mutations), "drugs": list(sc.drugs), "doses": sc.doses}
    extra = set(control) - {"env", "mutations", "drugs", "doses"}
    if extra:
        raise MtorsimError(
            f"{where}: control may replace env, mutations, drugs or doses, not {', '.join(sorted(extra))}"
        )
    merged = {**base, **control}
    if "drugs" in control and "doses" not in control:  # the doses of the drugs it keeps
        kept = {
            vocab.drug(d).name for d in Treatment.of(drugs=_list(control["drugs"], where, "control drugs")).drug_names
        }
        merged["doses"] = {d: x for d, x in sc.doses.items() if vocab.drug(d).name in kept}
    if "env" in control:
        merged["env"] = {**sc.env, **_table(control["env"], where, "control env")}
    ctl = Scenario(
        f"{name} (control)",
        _table(merged["env"], where, "control env"),
        _list(merged["mutations"], where, "control mutations"),
        _list(merged["drugs"], where, "control drugs"),
        _table(merged["doses"], where, "control doses"),
        sc.update,
        sc.method,
        {},
    )
    given = Treatment.of(mutations=ctl.mutations, drugs=ctl.drugs)
    for m in given.mutation_names:
        vocab.mutation(m)
    for d in given.drug_names:
        vocab.drug(d)
    for k in ctl.env:
        vocab.condition(k)
    if ctl.key() == sc.key():
        raise MtorsimError(f"{where}: the control is the scenario itself; change its drugs, mutations or env")
    return ctl


def _expect(got: dict, want: object, where: str, readout: str) -> tuple[bool, str]:
    """(passes, what was expected); an attractor bound fails when no attractor is known."""
    known = got["min"] is not None
    if isinstance(want, int | float) and not isinstance(want, bool):
        return known and abs(got["min"] - want) < 1e-9 and abs(got["max"] - want) < 1e-9, f"all = {want:g}"
    if isinstance(want, dict) and len(want) >= 1:
        for key in ("mean", "at_least", "at_most"):
            v = want.get(key, 0.0)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise MtorsimError(f"{where}: {key} for '{readout}' must be a number, not {v!r}")
        if "mean" in want and set(want) <= {"mean", "tolerance"}:
            tol = want.get("tolerance", 0.05)
            if isinstance(tol, bool) or not isinstance(tol, int | float) or not tol >= 0:
                raise MtorsimError(f"{where}: tolerance for '{readout}' must be a number >= 0, not {tol!r}")
            ok = got["mean"] is not None and abs(got["mean"] - float(want["mean"])) <= tol
            return ok, f"mean {want['mean']:g}±{tol:g}"
        if set(want) == {"at_least"}:
            return known and got["min"] >= float(want["at_least"]) - 1e-9, f">= {want['at_least']:g}"
        if set(want) == {"at_most"}:
            return known and got["max"] <= float(want["at_most"]) + 1e-9, f"<= {want['at_most']:g}"
    raise MtorsimError(
        f"{where}: expectation for '{readout}' must be a number or a table with mean (and tolerance), "
        f"at_least or at_most, not {want!r}"
    )


def _change(treated: float | None, control: float | None, kind: str, by: float) -> bool:
    if treated is None or control is None:
        return False
    d = treated - control
    if kind == "lower":
        return d <= -by
    if kind == "higher":
        return d >= by
    if kind == "same":
        return abs(d) < by
    return d <= -by and treated >= by  # partial


VIABILITY = "Viability"
"""A check row on the population viability assay (``mtorsim response``) instead of a readout."""


def check_scenarios(
    net: Network,
    vocab: Vocabulary,
    scenarios: list[Scenario],
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    estimate: EstimateSettings | None = DEFAULT_ESTIMATE,
    progress: Callable[[int, int], None] | None = None,
    viability: Callable[[Treatment], tuple[float, float]] | None = None,
    **options,
) -> CheckReport:
    """Run every scenario (and its control) once; rows per expectation and per change; a row of
    a scenario marked ``known_failure`` that fails counts as known, not as a failure. A row on
    ``Viability`` reads the population viability assay that ``viability`` computes for the
    scenario's treatment (mean and standard error; its bounds apply to the mean)."""
    cache: dict[tuple, ScenarioResult] = {}

    def run(sc: Scenario, viable: bool = False) -> ScenarioResult:
        key = sc.key() + (update, method)
        if key not in cache:
            res = run_scenario(
                net,
                vocab,
                sc.treatment(),
                sc.update or update,
                sc.method or method,
                estimate=estimate,
                **options,
            )
            cache[key] = res
        res = cache[key]
        if (viable or VIABILITY in sc.expect or VIABILITY in sc.change) and VIABILITY not in res.readouts:
            if viability is None:
                raise MtorsimError(
                    f"[scenarios.{sc.name}]: a Viability row needs the viability assay (run it through mtorsim check)"
                )
            mean, se = viability(sc.treatment())
            res.readouts[VIABILITY] = {"min": mean, "max": mean, "mean": round(mean, 12), "se": round(se, 12)}
        return res

    rows = []
    for sc in scenarios:
        res = run(sc)
        where = f"[scenarios.{sc.name}]"
        for readout, want in sc.expect.items():
            got = res.readouts[readout]
            ok, wanted = _expect(got, want, where, readout)
            rows.append(
                {
                    "scenario": sc.name,
                    "readout": readout,
                    "kind": "expect",
                    "expected": wanted,
                    "min": got["min"],
                    "max": got["max"],
                    "mean": got["mean"],
                    "se": got["se"],
                    "pass": bool(ok),
                    "complete": bool(res.attractors.complete),
                }
            )
        if sc.change:
            assert sc.control is not None  # load_scenarios refuses 'change' without 'control'
            ctl = run(sc.control, VIABILITY in sc.change)
            for readout, want in sc.change.items():
                kind, by = _change_spec(want, where, readout)
                t, c = res.readouts[readout]["mean"], ctl.readouts[readout]["mean"]
                ok = _change(t, c, kind, by)
                rows.append(
                    {
                        "scenario": sc.name,
                        "readout": readout,
                        "kind": "change",
                        "expected": f"{kind} by {by:g}" if kind != "same" else f"same within {by:g}",
                        "treated": t,
                        "control": c,
                        "difference": None if t is None or c is None else round(t - c, 12),
                        "control_scenario": _describe(sc.control),
                        "pass": bool(ok),
                        "complete": bool(res.attractors.complete and ctl.attractors.complete),
                    }
                )
        for row in rows:
            if row["scenario"] == sc.name:
                row["known_failure"] = sc.known_failure if (sc.known_failure and not row["pass"]) else None
        if progress:
            progress(1, len(scenarios))
    failed = [r for r in rows if not r["pass"] and not r["known_failure"]]
    known = [r for r in rows if not r["pass"] and r["known_failure"]]
    stale = sorted({sc.name for sc in scenarios if sc.known_failure} - {r["scenario"] for r in rows if not r["pass"]})
    return CheckReport(rows, sum(r["pass"] for r in rows), len(failed), len(known), stale)


def _describe(sc: Scenario | None) -> str:
    if sc is None:
        return ""
    parts = [", ".join(f"{k}={v}" for k, v in sc.env.items())]
    parts.append("+".join(sc.mutations) or "wildtype")
    parts.append("+".join(sc.drugs) or "no drug")
    return "; ".join(p for p in parts if p)
