"""Tokenizer for MaBoSS ``.bnd`` and ``.cfg`` text: a closed token set with line and column.

Comments are ``//`` to the end of the line, ``/* ... */`` and, as MaBoSS reads them, lines that
start with ``#``; anything outside the token set is an error naming the file, line and column.
"""

from __future__ import annotations

import re
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
    """All tokens of ``text``, ending with an END token (one compiled pattern; linear)."""
    lines = text.splitlines() or [""]
    out: list[Token] = []
    append = out.append
    n = len(text)
    line, start = 1, 0  # current line number and the offset where it starts
    i = 0
    match = _TOKEN.match
    keywords = KEYWORDS

    def fail(message: str, at: int, hint: str | None = None) -> ModelSyntaxError:
        return ModelSyntaxError(
            message, Location(path, line, at - start + 1, lines[line - 1] if line <= len(lines) else ""), hint
        )

    while i < n:
        m = match(text, i)
        kind = m.lastgroup
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
        elif kind == "bc":
            end = text.find("*/", i + 2)
            if end < 0:
                raise fail("unclosed comment '/*'", i, "close it with '*/'")
            line += text.count("\n", i, end)
            last = text.rfind("\n", i, end)
            if last >= 0:
                start = last + 1
            j = end + 2
        elif kind == "hash":
            if text[start:i].strip():
                raise fail("unexpected character '#'", i)
            cut = text.find("\n", i)
            j = n if cut < 0 else cut
        elif kind == "pn" or kind == "pa":
            i = m.start("pa")
            ch = m.group("pa")
            if m.group("pn") is None:
                raise fail(
                    f"'{ch}' must be followed by a name", i, "parameters are written $name and node variables @name"
                )
            append(Token("PARAM" if ch == "$" else "ATTR", m.group("pn"), line, i - start + 1))
        elif kind == "str":
            end = text.find('"', i + 1)
            if end < 0 or "\n" in text[i:end]:
                raise fail("unclosed string", i, "close it with '\"' on the same line")
            append(Token("STRING", text[i + 1 : end], line, i - start + 1))
            j = end + 1
        else:
            ch = text[i]
            hint = "names use letters, digits and '_' and start with a letter or '_'" if ch.isalnum() else None
            raise fail(f"unexpected character {ch!r}", i, hint)
        i = j
    out.append(Token("END", "", line, i - start + 1))
    return out
