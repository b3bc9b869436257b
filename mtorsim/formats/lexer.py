"""Tokenizer for rule expressions with a closed token set; anything else is an error."""

from __future__ import annotations

import re
from typing import NamedTuple

from mtorsim.errors import Location, ModelSyntaxError

NAME_PATTERN = re.compile(r"[A-Za-z0-9_]+")
KEYWORDS = {"and": "AND", "or": "OR", "not": "NOT"}
CONSTANTS = {"0": False, "1": True, "true": True, "false": False}
SYMBOLS = [
    ("&&", "AND"),
    ("||", "OR"),
    ("&", "AND"),
    ("|", "OR"),
    ("!", "NOT"),
    ("~", "NOT"),
    ("(", "LPAREN"),
    (")", "RPAREN"),
]


class Token(NamedTuple):
    kind: str  # NAME, CONST, AND, OR, NOT, LPAREN, RPAREN, END
    text: str
    column: int  # 1-based column in the source line


def _hint_for(char: str) -> str | None:
    if char == "=":
        return "write one definition per line: 'Node* = rule'"
    if char in "-+.:/'\"[]":
        return "node names may use letters, digits and '_' only; rename the node (e.g. '4E-BP1' -> '4E_BP1')"
    if char in ";`$@{}":
        return "rules use only names, 0/1, and/or/not (& | !) and parentheses"
    return None


_TOKEN = re.compile(r"[ \t\r]+|([A-Za-z0-9_]+)|(&&|\|\||[&|!~()])|(.)", re.S)
_SYMBOL_KIND = dict(SYMBOLS)


def tokenize(text: str, offset: int, line: Location) -> list[Token]:
    """Tokens of the expression ``text`` that starts at 0-based column ``offset`` of ``line``."""
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN.finditer(text):
        word, sym, bad = m.groups()
        if word is not None:
            col = offset + m.start() + 1
            low = word.lower()
            if low in KEYWORDS:
                append(Token(KEYWORDS[low], word, col))
            elif low in CONSTANTS:
                append(Token("CONST", word, col))
            elif word.isdigit():
                raise ModelSyntaxError(
                    f"'{word}' is not a constant or a node name",
                    Location(line.path, line.line, col, line.text),
                    "constants are 0, 1, True and False",
                    width=len(word),
                )
            else:
                append(Token("NAME", word, col))
        elif sym is not None:
            append(Token(_SYMBOL_KIND[sym], sym, offset + m.start() + 1))
        elif bad is not None:
            raise ModelSyntaxError(
                f"unexpected character {bad!r}",
                Location(line.path, line.line, offset + m.start() + 1, line.text),
                _hint_for(bad),
            )
    append(Token("END", "", offset + len(text) + 1))
    return tokens
