"""Reading and writing rule files: format detection, file errors, text output."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from mtorsim.errors import ModelSyntaxError, MtorsimError
from mtorsim.formats.ast import Rule, to_text
from mtorsim.formats.parser import parse_bnet, parse_booleannet

FORMATS = {"rules": parse_booleannet, "bnet": parse_bnet}
_SUFFIXES = {".rules": "rules", ".booleannet": "rules", ".bnet": "bnet"}


def detect_format(path: str | os.PathLike, text: str | None = None) -> str:
    """``rules`` or ``bnet`` from the file suffix, else from the content."""
    suffix = Path(path).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if text is not None:
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
        "use a .rules, .booleannet or .bnet suffix, or pass --from rules|bnet"
    )


def read_text(path: str | os.PathLike) -> str:
    """The UTF-8 text of a model file, with a clear error for anything else."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise MtorsimError(f"{p}: no such file; check the path (the current folder is {os.getcwd()})") from None
    except IsADirectoryError:
        raise MtorsimError(f"{p}: is a folder, not a model file; name the .rules or .bnet file inside it") from None
    except PermissionError:
        raise MtorsimError(f"{p}: permission denied; check the file's read permission") from None
    if b"\x00" in data:
        raise MtorsimError(
            f"{p}: looks like a binary file (it contains NUL bytes), not a model; "
            "give a text file in .rules (BooleanNet) or .bnet format"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MtorsimError(
            f"{p}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 text"
        ) from None
    return text


def read_rules(path: str | os.PathLike, fmt: str | None = None) -> tuple[list[Rule], str]:
    """Parse a model file into rules; returns the rules and the format used."""
    text = read_text(path)
    fmt = fmt or detect_format(path, text)
    if fmt not in FORMATS:
        raise MtorsimError(f"unknown model format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    rules = FORMATS[fmt](text, str(path))
    if not rules:
        raise MtorsimError(f"{path}: defines no nodes; a model needs at least one rule such as 'A* = B'")
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.target in seen:
            first = seen[rule.target].where
            raise ModelSyntaxError(
                f"'{rule.target}' is defined twice",
                rule.where,
                f"first defined at line {first.line}; keep one definition (combine them with 'or' if both apply)",
                width=len(rule.target),
            )
        seen[rule.target] = rule
    return rules, fmt


def format_rules(rules: Sequence[Rule], fmt: str, header: Sequence[str] = ()) -> str:
    """Text of ``rules`` in ``fmt`` (``rules`` or ``bnet``), with optional comment lines."""
    lines = [f"# {h}" if h else "#" for h in header]
    if fmt == "bnet":
        lines.append("targets, factors")
        lines += [f"{r.target}, {to_text(r.expr, 'bnet')}" for r in rules]
    elif fmt == "rules":
        lines.append("#BOOLEAN RULES")
        lines += [f"{r.target}* = {to_text(r.expr, 'booleannet')}" for r in rules]
    else:
        raise MtorsimError(f"unknown model format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    return "\n".join(lines) + "\n"


def write_rules(rules: Sequence[Rule], path: str | os.PathLike, fmt: str | None = None, header: Sequence[str] = ()) -> None:
    """Write rules to ``path`` (format from ``fmt`` or the suffix)."""
    fmt = fmt or detect_format(path)
    Path(path).write_text(format_rules(rules, fmt, header), encoding="utf-8")
