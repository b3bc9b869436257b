"""Reading and writing model files: format detection, file errors, text output, metadata comments.

Metadata (model name, notes, per-node annotations, initial levels; see ``Network.meta``) lives in
SBML-qual natively; in .rules and .bnet files it is kept in comment lines of the form
``#@ model.KEY: VALUE`` and ``#@ node.NODE.KEY: VALUE`` (see :func:`meta_comments`), which other
tools read as ordinary comments.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mtorsim.errors import ModelSyntaxError, MtorsimError
from mtorsim.formats.ast import Rule, to_text
from mtorsim.formats.parser import parse_bnet
from mtorsim.formats.textfile import MAX_FILE_BYTES as MAX_FILE_BYTES  # still importable from io
from mtorsim.formats.textfile import decode_text, read_bytes, read_text
from mtorsim.util.safeio import write_atomic


def _text_reader(parse):
    """A .rules/.bnet reader: the rules, and metadata from ``#@`` comment lines."""

    def read(text: str, path: str) -> tuple[list[Rule], dict[str, Any]]:
        return parse(text, path), read_meta_comments(text)

    return read


def _read_sbml(text: str, path: str) -> tuple[list[Rule], dict[str, Any]]:
    from mtorsim.formats.sbml import parse_sbml  # libsbml is imported only now

    return parse_sbml(text, path)


def _read_bnd(text: str, path: str) -> tuple[list[Rule], dict[str, Any]]:
    from mtorsim.formats.maboss.model import read_bnd

    return read_bnd(text, path)


def _read_booleannet(text: str, path: str) -> tuple[list[Rule], dict[str, Any]]:
    """BooleanNet rules; its initial-value lines go to ``meta["initial"]`` (0/1) and
    ``meta["initial_random"]`` (node names drawn at random)."""
    from mtorsim.formats.parser import parse_booleannet_initial

    rules, initial = parse_booleannet_initial(text, path)
    meta = read_meta_comments(text)
    _initial_meta(meta, initial)
    return rules, meta


def _initial_meta(meta: dict[str, Any], initial: Mapping[str, float]) -> None:
    if initial:
        meta.setdefault("initial", {}).update({k: int(v) for k, v in initial.items() if v in (0.0, 1.0)})
        meta["initial_random"] = sorted(k for k, v in initial.items() if v == 0.5)


FORMATS = {"rules": _read_booleannet, "bnet": _text_reader(parse_bnet), "sbml": _read_sbml, "bnd": _read_bnd}
"""Format name -> reader ``(text, path) -> (rules, metadata)``."""
_SUFFIXES = {".rules": "rules", ".booleannet": "rules", ".bnet": "bnet", ".sbml": "sbml", ".xml": "sbml", ".bnd": "bnd"}


def detect_format(path: str | os.PathLike, text: str | None = None) -> str:
    """``rules``, ``bnet`` or ``sbml`` from the file suffix, else from the content."""
    suffix = Path(path).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if text is not None:
        if text.lstrip().startswith("<"):
            return "sbml"
        if re.search(r"^\s*node\s+[A-Za-z_]\w*\s*\{", text, re.IGNORECASE | re.MULTILINE):
            return "bnd"
        for raw in text.splitlines():
            body = raw.split("#", 1)[0].strip()
            if not body:
                continue
            if "=" in body:
                return "rules"
            if "," in body:
                return "bnet"
            break
    raise MtorsimError(
        f"{path}: cannot tell the model format from the name '{Path(path).name}'; "
        "use a .rules, .booleannet, .bnet, .sbml or .bnd suffix, or pass the format (`fmt`: rules, bnet, sbml or bnd)"
    )


def read_model(
    path: str | os.PathLike, fmt: str | None = None, flat: bool = False
) -> tuple[list[Rule], str, dict[str, Any]]:
    """Parse a model file into rules; returns the rules, the format used and the metadata.
    With ``flat``, a big .rules or .bnet file comes back as a ``FlatModel`` in place of the
    list of rules (see :mod:`mtorsim.formats.flat`)."""
    data = read_bytes(path)
    if flat:
        from mtorsim.formats import flat as flatmod

        if len(data) >= flatmod.FAST_MIN_BYTES and data.isascii() and b"\x00" not in data:
            known = Path(path).suffix.lower() in _SUFFIXES
            fmt = fmt or detect_format(path, None if known else data.decode())
            if fmt in ("rules", "bnet"):
                model = flatmod.read_flat(data, str(path), fmt)
                if model is not None:
                    return _flat_result(model, fmt, data, path)
    text = decode_text(data, path)
    del data
    fmt = fmt or detect_format(path, text)
    if fmt not in FORMATS:
        raise MtorsimError(f"unknown model format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    if flat and fmt in ("rules", "bnet") and len(text) >= flatmod.FAST_MIN_BYTES:
        model = flatmod.read_flat(text.encode(), str(path), fmt)
        if model is not None:
            return _flat_result(model, fmt, text, path)
    rules, meta = FORMATS[fmt](text, str(path))
    if not rules:
        raise _no_nodes(path)
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.target in seen:
            raise _defined_twice(rule, seen[rule.target])
        seen[rule.target] = rule
    return rules, fmt, meta


def _flat_result(model, fmt: str, text: str | bytes, path: str | os.PathLike):
    _check_flat(model, path)
    if isinstance(text, bytes):
        text = text.decode() if b"#@" in text else ""
    meta = read_meta_comments(text)
    if fmt == "rules":
        _initial_meta(meta, model.initial)
    return model, fmt, meta


def _no_nodes(path: str | os.PathLike) -> MtorsimError:
    return MtorsimError(f"{path}: defines no nodes; a model needs at least one rule such as 'A* = B'")


def _defined_twice(rule: Rule, first: Rule) -> ModelSyntaxError:
    assert rule.where is not None and first.where is not None
    return ModelSyntaxError(
        f"'{rule.target}' is defined twice",
        rule.where,
        f"first defined at line {first.where.line}; keep one definition (combine them with 'or' if both apply)",
        width=len(rule.target),
    )


def _check_flat(model, path: str | os.PathLike) -> None:
    """The checks ``read_model`` makes on a list of rules, made on a ``FlatModel``."""
    if len(model.lines) == 0:
        raise _no_nodes(path)
    if model.twice is not None:
        raise _defined_twice(model.rule(model.twice[0]), model.rule(model.twice[1]))


def read_rules(path: str | os.PathLike, fmt: str | None = None) -> tuple[list[Rule], str]:
    """Parse a model file into rules; returns the rules and the format used."""
    rules, fmt, _ = read_model(path, fmt)
    return rules, fmt


# -- metadata in comments ----------------------------------------------------------------------
_META_LINE = re.compile(r"#@\s*(model|node\.([A-Za-z0-9_]+))\.([A-Za-z]+(?::[A-Za-z]+)?):\s*(.*)")
_TEXT_KEYS = ("id", "name", "sbo", "compartment")


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def meta_comments(meta: Mapping[str, Any] | None) -> list[str]:
    """Comment lines holding ``meta`` in a .rules/.bnet file (read back by :func:`read_meta_comments`).

    ``#@ model.name: ...``, ``#@ model.notes: ...`` (one line each), ``#@ model.bqmodel:isDescribedBy:
    URI ...``; the same keys per node as ``#@ node.NODE.KEY: ...``, plus ``#@ node.NODE.initial: 0|1``.
    """
    if not meta:
        return []
    lines: list[str] = []

    def scope(prefix: str, info: Mapping[str, Any]) -> None:
        for key in _TEXT_KEYS:
            if info.get(key):
                lines.append(f"#@ {prefix}.{key}: {_one_line(info[key])}")
        if info.get("notes"):
            lines.extend(f"#@ {prefix}.notes: {_one_line(line)}".rstrip() for line in str(info["notes"]).split("\n"))
        for qualifier, uris in info.get("annotations") or ():
            lines.append(f"#@ {prefix}.{qualifier}: {' '.join(str(u) for u in uris)}")

    scope("model", meta)
    nodes: Mapping[str, Mapping[str, Any]] = meta.get("nodes") or {}
    initial: Mapping[str, int] = meta.get("initial") or {}
    for node in list(nodes) + [n for n in initial if n not in nodes]:
        scope(f"node.{node}", nodes.get(node, {}))
        if node in initial:
            lines.append(f"#@ node.{node}.initial: {int(initial[node])}")
    return lines


def read_meta_comments(text: str) -> dict[str, Any]:
    """Metadata from ``#@`` comment lines (see :func:`meta_comments`); other comments are ignored."""
    meta: dict[str, Any] = {}
    warnings: list[str] = []
    if "#@" not in text:
        return meta
    for number, raw in enumerate(text.splitlines(), start=1):
        m = _META_LINE.fullmatch(raw.strip())
        if not m:
            continue
        node, key, value = m.group(2), m.group(3), _one_line(m.group(4))
        info = meta if node is None else meta.setdefault("nodes", {}).setdefault(node, {})
        if key in _TEXT_KEYS:
            info[key] = value
        elif key == "notes":
            info["notes"] = f"{info['notes']}\n{value}" if "notes" in info else value
        elif key.startswith(("bqbiol:", "bqmodel:")):
            info.setdefault("annotations", []).append((key, tuple(value.split())))
        elif key == "initial" and node is not None and value in ("0", "1"):
            meta.setdefault("initial", {})[node] = int(value)
        else:
            warnings.append(f"line {number}: metadata comment '{raw.strip()}' is not understood and is ignored")
    if "nodes" in meta:
        meta["nodes"] = {n: info for n, info in meta["nodes"].items() if info}
        if not meta["nodes"]:
            del meta["nodes"]
    if warnings:
        meta["warnings"] = warnings
    return meta


# -- writing -----------------------------------------------------------------------------------
def format_rules(
    rules: Sequence[Rule], fmt: str, header: Sequence[str] = (), meta: Mapping[str, Any] | None = None
) -> str:
    """Text of ``rules`` in ``fmt`` (``rules``, ``bnet`` or ``sbml``), with optional comment lines
    and metadata (as ``#@`` comments in .rules/.bnet)."""
    if fmt == "sbml":
        from mtorsim.formats.sbml import format_sbml

        return format_sbml(rules, meta)[0]
    if fmt == "bnd":
        from mtorsim.formats.maboss.model import format_bnd

        return format_bnd(rules, meta)
    lines = [f"# {h}" if h else "#" for h in header]
    lines += meta_comments(meta)
    if fmt == "bnet":
        lines.append("targets, factors")
        lines += [f"{r.target}, {to_text(r.expr, 'bnet')}" for r in rules]
    elif fmt == "rules":
        lines.append("#BOOLEAN RULES")
        lines += [f"{r.target}* = {to_text(r.expr, 'booleannet')}" for r in rules]
    else:
        raise MtorsimError(f"unknown model format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    return "\n".join(lines) + "\n"


def write_rules(
    rules: Sequence[Rule],
    path: str | os.PathLike,
    fmt: str | None = None,
    header: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
) -> list[str]:
    """Write rules (and metadata) to ``path`` (format from ``fmt`` or the suffix); returns the
    metadata the format could not hold."""
    fmt = fmt or detect_format(path)
    dropped = []
    if fmt != "bnd" and meta and meta.get("rates"):
        dropped.append(f"rate expressions of {len(meta['rates'])} node(s) (only .bnd holds rates)")
    if fmt == "sbml":
        from mtorsim.formats.sbml import format_sbml

        text, more = format_sbml(rules, meta)
        write_atomic(path, text)
        return dropped + more
    write_atomic(path, format_rules(rules, fmt, header, meta))
    return dropped


def read_toml(path: str | os.PathLike, what: str = "file") -> dict[str, Any]:
    """A TOML file (vocabulary, scenarios, settings) with clear errors for a missing or bad file."""
    import tomllib

    if not Path(path).exists():
        raise MtorsimError(f"{path}: no such {what}")
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MtorsimError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise MtorsimError(
            f"{path}: nested too deeply to read (arrays or tables within each other thousands of levels deep)"
        ) from None
