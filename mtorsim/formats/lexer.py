"""Tokenizer for rule expressions with a closed token set; anything else is an error."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtorsim.errors import Location, ModelSyntaxError

NAME_PATTERN = re.compile(r"[A-Za-z0-9_]+")
KEYWORDS = {"and": "AND", "or": "OR", "not": "NOT"}
CONSTANTS = {"0": False, "1": True, "true": True, "false": False}
SYMBOLS = [("&&", "AND"), ("||", "OR"), ("&", "AND"), ("|", "OR"), ("!", "NOT"), ("~", "NOT"), ("(", "LPAREN"), (")", "RPAREN")]


@dataclass(frozen=True)
class Token:
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


def tokenize(text: str, offset: int, line: Location) -> list[Token]:
    """Tokens of the expression ``text`` that starts at 0-based column ``offset`` of ``line``."""
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        col = offset + i + 1
        if ch in " \t\r":
            i += 1
            continue
        m = NAME_PATTERN.match(text, i)
        if m:
            word = m.group(0)
            low = word.lower()
            if low in KEYWORDS:
                tokens.append(Token(KEYWORDS[low], word, col))
            elif low in CONSTANTS:
                tokens.append(Token("CONST", word, col))
            elif word.isdigit():
                raise ModelSyntaxError(
                    f"'{word}' is not a constant or a node name",
                    Location(line.path, line.line, col, line.text),
                    "constants are 0, 1, True and False",
                    width=len(word),
                )
            else:
                tokens.append(Token("NAME", word, col))
            i = m.end()
            continue
        for sym, kind in SYMBOLS:
            if text.startswith(sym, i):
                tokens.append(Token(kind, sym, col))
                i += len(sym)
                break
        else:
            raise ModelSyntaxError(
                f"unexpected character {ch!r}",
                Location(line.path, line.line, col, line.text),
                _hint_for(ch),
            )
    tokens.append(Token("END", "", offset + n + 1))
    return tokens
