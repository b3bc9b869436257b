"""Errors a user can act on: each names the file, line and column or the offending name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


class MtorsimError(ValueError):
    """An error caused by user input (a ``ValueError``); the CLI prints it without a traceback
    (exit 2)."""


class MtorsimWarning(UserWarning):
    """Something in what the user gave that the run works around (a hold overridden, an
    option that does not apply); the CLI prints it as ``warning: ...``."""


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a text file: 1-based line and column, and the text of that line."""

    path: str
    line: int
    column: int
    text: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class ModelSyntaxError(MtorsimError):
    """A problem in a model file, shown as ``file:line:column``, the line and a caret."""

    def __init__(self, message: str, where: Location, hint: str | None = None, width: int = 1):
        self.message = message
        self.where = where
        self.hint = hint
        self.width = max(1, width)
        super().__init__(self.render())

    def render(self) -> str:
        out = [f"{self.where}: {self.message}"]
        if self.where.text:
            number = str(self.where.line)
            pad = " " * len(number)
            out.append(f"  {number} | {self.where.text.rstrip()}")
            out.append(f"  {pad} | {' ' * (self.where.column - 1)}{'^' * self.width}")
        if self.hint:
            out.append(f"hint: {self.hint}")
        return "\n".join(out)


def suggest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``name`` (case-insensitive), or None when none is close."""
    known = list(known)
    lowered = {k.lower(): k for k in known}
    if name.lower() in lowered:
        return lowered[name.lower()]
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """A 'did you mean' hint for an unknown name, or None."""
    best = suggest(name, known)
    return f"did you mean '{best}'?" if best else None


def unknown_name(kind: str, name: str, known: Iterable[str]) -> MtorsimError:
    """An error for an unknown node (or other) name, with the nearest known one."""
    known = list(known)
    msg = f"unknown {kind} '{name}'"
    hint = did_you_mean(name, known)
    if hint:
        msg += f"; {hint}"
    elif known and len(known) <= 30:
        msg += f"; known: {', '.join(known)}"
    return MtorsimError(msg)
