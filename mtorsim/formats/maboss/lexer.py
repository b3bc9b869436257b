"""Tokenizer for MaBoSS ``.bnd`` and ``.cfg`` text: a closed token set with line and column.

Comments are ``//`` to the end of the line, ``/* ... */`` and, as MaBoSS reads them, lines that
start with ``#``; anything outside the token set is an error naming the file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from mtorsim.errors import Location, ModelSyntaxError

KEYWORDS = {"AND": "&&", "OR": "||", "NOT": "!", "XOR": "^"}
"""Word operators (upper or lower case) and the symbol each stands for."""


class Token(NamedTuple):
    kind: str  # NAME, NUMBER, PARAM ($x), ATTR (@x), STRING, a symbol, or END
    text: str
    line: int
    column: int

    def where(self, path: str, lines: list[str]) -> Location:
        text = lines[self.line - 1] if 0 < self.line <= len(lines) else ""
        return Location(path, self.line, self.column, text)


_TOKEN = re.compile(
    r"[ \t\r\f]*(?:(?P<nl>\n)|(?P<lc>//[^\n]*)|(?P<bc>/\*)|(?P<hash>\#)"
    r"|(?P<pa>[$@])(?P<pn>[A-Za-z_][A-Za-z0-9_]*)?|(?P<str>\")"
    r"|(?P<num>(?>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))(?![A-Za-z_])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<sym>&&|\|\||==|!=|<=|>=|[{}()\[\];,=?:+\-*/!<>&|^.])"
    r"|(?P<end>\Z)|(?P<bad>.))",
    re.S,
)
"""One token after any blanks (a comment, a line break, the end of the text or a bad character
count as tokens here)."""


def tokenize(text: str, path: str) -> list[Token]:
    """All tokens of ``text``, ending with an END token (one compiled pattern; linear).

    Line breaks, ``//`` comments, names, symbols and numbers are handled here; block and ``#``
    comments, ``$``/``@`` names, strings and bad characters by :func:`_rare_token`."""
    source = _Source(text, path, text.splitlines() or [""])
    out: list[Token] = []
    append = out.append
    n = len(text)
    line, start = 1, 0  # current line number and the offset where it starts
    i = 0
    match = _TOKEN.match
    keywords = KEYWORDS

    while i < n:
        m = match(text, i)
        kind = m.lastgroup if m is not None else None
        if m is None or kind is None:  # cannot happen: '\Z' or '.' (any character) always matches
            raise AssertionError(f"the token pattern failed at offset {i}")
        j = m.end()
        i = m.start(kind)  # after the blanks
        if kind == "nl":
            line += 1
            start = j
        elif kind == "lc" or kind == "end":
            pass
        elif kind == "name":
            word = m.group(kind)
            sym = keywords.get(word.upper())
            append(Token(sym, word, line, i - start + 1) if sym else Token("NAME", word, line, i - start + 1))
        elif kind == "sym":
            sym = m.group(kind)
            append(Token(sym, sym, line, i - start + 1))
        elif kind == "num":
            append(Token("NUMBER", m.group(kind), line, i - start + 1))
        else:
            j, line, start = _rare_token(source, kind, m, line, start, append)
        i = j
    out.append(Token("END", "", line, i - start + 1))
    return out


class _Source(NamedTuple):
    """The text being tokenized, for the helpers of :func:`tokenize` and their errors."""

    text: str
    path: str
    lines: list[str]

    def fail(self, message: str, line: int, start: int, at: int, hint: str | None = None) -> ModelSyntaxError:
        """An error at offset ``at``, on line ``line`` that starts at offset ``start``."""
        lines = self.lines
        return ModelSyntaxError(
            message, Location(self.path, line, at - start + 1, lines[line - 1] if line <= len(lines) else ""), hint
        )


def _rare_token(
    source: _Source, kind: str, m: re.Match[str], line: int, start: int, append: Callable[[Token], None]
) -> tuple[int, int, int]:
    """The match ``m`` of group ``kind`` (line ``line`` starts at offset ``start``): a block or
    ``#`` comment, a ``$name``/``@name``, a string, or a bad character (an error). Tokens go to
    ``append``; returns the offset to go on from, and the line number and line start there."""
    i = m.start(kind)
    if kind == "bc":
        return _block_comment(source, i, line, start)
    if kind == "hash":
        return _hash_comment(source, i, line, start), line, start
    if kind == "pn" or kind == "pa":
        append(_param_or_attr(source, m, line, start))
        return m.end(), line, start
    if kind == "str":
        token, j = _string(source, i, line, start)
        append(token)
        return j, line, start
    raise _bad_character(source, i, line, start)


def _block_comment(source: _Source, i: int, line: int, start: int) -> tuple[int, int, int]:
    """Skip the ``/* ... */`` opened at offset ``i``: the offset after it, and the line number
    and line start there."""
    text = source.text
    end = text.find("*/", i + 2)
    if end < 0:
        raise source.fail("unclosed comment '/*'", line, start, i, "close it with '*/'")
    line += text.count("\n", i, end)
    last = text.rfind("\n", i, end)
    if last >= 0:
        start = last + 1
    return end + 2, line, start


def _hash_comment(source: _Source, i: int, line: int, start: int) -> int:
    """Skip a ``#`` line (only blanks may come before the ``#``): the offset of its line break."""
    text = source.text
    if text[start:i].strip():
        raise source.fail("unexpected character '#'", line, start, i)
    cut = text.find("\n", i)
    return len(text) if cut < 0 else cut


def _param_or_attr(source: _Source, m: re.Match[str], line: int, start: int) -> Token:
    """``$name`` (a PARAM token) or ``@name`` (an ATTR token)."""
    i = m.start("pa")
    ch = m.group("pa")
    name = m.group("pn")
    if name is None:
        raise source.fail(
            f"'{ch}' must be followed by a name",
            line,
            start,
            i,
            "parameters are written $name and node variables @name",
        )
    return Token("PARAM" if ch == "$" else "ATTR", name, line, i - start + 1)


def _string(source: _Source, i: int, line: int, start: int) -> tuple[Token, int]:
    """The string opened by the ``"`` at offset ``i`` (closed on the same line), and the offset
    after it."""
    text = source.text
    end = text.find('"', i + 1)
    if end < 0 or "\n" in text[i:end]:
        raise source.fail("unclosed string", line, start, i, "close it with '\"' on the same line")
    return Token("STRING", text[i + 1 : end], line, i - start + 1), end + 1


def _bad_character(source: _Source, i: int, line: int, start: int) -> ModelSyntaxError:
    """The error for a character outside the token set."""
    ch = source.text[i]
    hint = "names use letters, digits and '_' and start with a letter or '_'" if ch.isalnum() else None
    return source.fail(f"unexpected character {ch!r}", line, start, i, hint)
