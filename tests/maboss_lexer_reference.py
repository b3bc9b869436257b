"""The MaBoSS tokenizer as first written (a loop over characters), kept as the reference for
the one-pattern tokenizer in mtorsim/formats/maboss/lexer.py (tests/test_maboss.py)."""

from __future__ import annotations

import re

from mtorsim.errors import Location, ModelSyntaxError
from mtorsim.formats.maboss.lexer import KEYWORDS, Token

_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SYMBOLS = (
    "&&",
    "||",
    "==",
    "!=",
    "<=",
    ">=",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    "=",
    "?",
    ":",
    "+",
    "-",
    "*",
    "/",
    "!",
    "<",
    ">",
    "&",
    "|",
    "^",
    ".",
)


def tokenize(text: str, path: str) -> list[Token]:
    """All tokens of ``text``, ending with an END token."""
    lines = text.splitlines() or [""]
    out: list[Token] = []
    i, n = 0, len(text)
    line, start = 1, 0  # current line number and the offset where it starts

    def fail(message: str, at: int, hint: str | None = None) -> ModelSyntaxError:
        return ModelSyntaxError(
            message, Location(path, line, at - start + 1, lines[line - 1] if line <= len(lines) else ""), hint
        )

    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
            start = i
            continue
        if ch in " \t\r\f":
            i += 1
            continue
        if text.startswith("//", i) or (ch == "#" and not text[start:i].strip()):
            cut = text.find("\n", i)
            i = n if cut < 0 else cut
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise fail("unclosed comment '/*'", i, "close it with '*/'")
            line += text.count("\n", i, end)
            last = text.rfind("\n", i, end)
            if last >= 0:
                start = last + 1
            i = end + 2
            continue
        col = i - start + 1
        if ch in "$@":
            m = _NAME.match(text, i + 1)
            if not m:
                raise fail(
                    f"'{ch}' must be followed by a name", i, "parameters are written $name and node variables @name"
                )
            out.append(Token("PARAM" if ch == "$" else "ATTR", m.group(0), line, col))
            i = m.end()
            continue
        if ch == '"':
            end = text.find('"', i + 1)
            if end < 0 or "\n" in text[i:end]:
                raise fail("unclosed string", i, "close it with '\"' on the same line")
            out.append(Token("STRING", text[i + 1 : end], line, col))
            i = end + 1
            continue
        m = _NUMBER.match(text, i)
        if m and not _NAME.match(text, m.end()):
            out.append(Token("NUMBER", m.group(0), line, col))
            i = m.end()
            continue
        m = _NAME.match(text, i)
        if m:
            word = m.group(0)
            sym = KEYWORDS.get(word.upper())
            out.append(Token(sym, word, line, col) if sym else Token("NAME", word, line, col))
            i = m.end()
            continue
        for sym in _SYMBOLS:
            if text.startswith(sym, i):
                out.append(Token(sym, sym, line, col))
                i += len(sym)
                break
        else:
            hint = "names use letters, digits and '_' and start with a letter or '_'" if ch.isalnum() else None
            raise fail(f"unexpected character {ch!r}", i, hint)
    out.append(Token("END", "", line, i - start + 1))
    return out
