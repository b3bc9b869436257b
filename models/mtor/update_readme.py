"""Regenerate the generated sections of models/mtor/README.md.

Run from the repository root after changing the rules or the scenarios::

    python models/mtor/update_readme.py

It rewrites the node table (from ``model.rules``), the behaviour-check counts and the table of
all scenarios (from ``mtorsim check`` under both update schemes). ``tests/test_mtor_model.py``
checks the node table against the rules.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"


def _replace(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}: generated -->", f"<!-- /{name} -->"
    i, j = text.index(start), text.index(end)
    return text[: i + len(start)] + "\n" + body + text[j:]


def node_table() -> str:
    rows, kinds = [], {"input": 0, "constant": 0, "regulated": 0}
    for line in (HERE / "model.rules").read_text(encoding="utf-8").splitlines():
        body, _, comment = line.partition("#")
        if "*" not in body or "=" not in body:
            continue
        node, _, rule = body.partition("=")
        node, rule = node.strip().rstrip("*").strip(), rule.strip()
        kinds["input" if rule == node else "constant" if rule in ("0", "1") else "regulated"] += 1
        rows.append(f"| `{node}` | `{rule}` | {comment.strip().replace('|', '/')} |")
    head = (
        f"{len(rows)} nodes: {kinds['input']} environment inputs, {kinds['constant']} constants (expressed "
        f"proteins, genotype switches and the drug-bound nodes), {kinds['regulated']} regulated nodes. Levels "
        "`X_high` require `X`. This table is generated from `model.rules` (a test checks that it matches)."
    )
    return head + "\n\n| node | rule | stands for; references |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"


def _setting(spec: dict) -> str:
    parts = []
    if spec.get("env"):
        parts.append(", ".join(f"{k}={v}" for k, v in spec["env"].items()))
    else:
        parts.append("full medium")
    if spec.get("mutations"):
        parts.append("+".join(spec["mutations"]))
    if spec.get("drugs"):
        doses = spec.get("doses", {})
        parts.append("+".join(f"{d} {doses[d]} nM" if d in doses else d for d in spec["drugs"]))
    return "; ".join(parts)


def _value(v: object) -> str:
    if isinstance(v, list):
        return "+".join(map(str, v)) or "none"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={x}" for k, x in v.items()) + "}"
    return str(v)


def _checks(spec: dict) -> str:
    out = []
    if spec.get("expect"):
        out.append("expect " + ", ".join(spec["expect"]))
    if spec.get("change"):
        control = spec.get("control", {})
        against = control if isinstance(control, str) else ", ".join(f"{k}={_value(v)}" for k, v in control.items())
        out.append(f"change vs {against}: " + ", ".join(f"{k} {v}" for k, v in spec["change"].items()))
    return "; ".join(out)


def scenario_tables() -> tuple[str, str]:
    import mtorsim

    specs = tomllib.loads((HERE / "scenarios.toml").read_text(encoding="utf-8"))["scenarios"]
    status: dict[str, dict[str, str]] = {}
    counts = []
    for update in ("sync", "async"):
        print(f"checking under {update} ...", file=sys.stderr)
        report = mtorsim.check_scenarios("mtor", update=update)
        rows = report.results
        known = sorted({r["scenario"] for r in rows if not r["pass"] and r["known_failure"]})
        for r in rows:
            state = status.setdefault(r["scenario"], {}).get(update, "pass")
            if not r["pass"]:
                state = "FAIL (known)" if r["known_failure"] else "FAIL"
            status[r["scenario"]][update] = state
        total = len(rows)
        counts.append(
            f"| {update} | {len(specs)} | {report.passed} of {total} | {report.known_failures} expectations"
            + (f" in {', '.join(known)}" if known else "")
            + " |"
        )
    count_table = "| update | scenarios | expectations passing | known failures |\n| --- | --- | --- | --- |\n"
    count_table += "\n".join(counts) + "\n"
    lines = ["| scenario | setting | checks | sync | async |", "| --- | --- | --- | --- | --- |"]
    for name, spec in specs.items():
        s = status.get(name, {})
        lines.append(
            f"| {name} | {_setting(spec)} | {_checks(spec)} | {s.get('sync', 'n/a')} | {s.get('async', 'n/a')} |"
        )
    return count_table, "\n".join(lines) + "\n"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    text = _replace(text, "nodes", node_table())
    counts, scenarios = scenario_tables()
    text = _replace(text, "counts", counts)
    text = _replace(text, "scenarios", scenarios)
    README.write_text(text, encoding="utf-8")
    print(f"updated {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
