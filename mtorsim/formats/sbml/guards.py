"""Checks on SBML text before libsbml parses it, and the limits of what is read.

No DTD or entity declarations (nothing to expand, no external files), no element nesting deeper
than :data:`MAX_XML_DEPTH` (libsbml's recursive parser crashes somewhere past 5,000), no single
attribute or text run longer than :data:`MAX_ATTRIBUTE` characters.
"""

from __future__ import annotations

import re

from mtorsim.errors import MtorsimError

MAX_DEPTH = 200
"""Deepest function-term condition read (the same limit as the rule-file parsers)."""
MAX_XML_DEPTH = 1000
"""Deepest element nesting handed to libsbml (its recursive parser crashes somewhere past 5,000)."""
MAX_LEVEL = 64
"""Highest maxLevel read: each level becomes a Boolean node."""
MAX_ATTRIBUTE = 2**20
"""Longest attribute value or text run between tags, in characters."""

_FORBIDDEN = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<(/?)(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>", re.DOTALL)


def check_document(text: str, path: str) -> None:
    """Every check, in order: declarations, emptiness, nesting depth, run lengths."""
    check_text(text, path)
    if not text.strip():
        raise MtorsimError(f"{path}: the file is empty; an SBML-qual file is an XML document starting with <sbml ...>")
    check_depth(text, path)
    check_sizes(text, path)


def check_text(text: str, path: str) -> None:
    """Refuse documents that declare a DTD or entities (no expansion, no external entities)."""
    m = _FORBIDDEN.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        kind = m.group(1).upper()
        raise MtorsimError(
            f"{path}:{line}: the document contains an <!{kind}> declaration; mtorsim does not read XML with "
            "document type or entity declarations (they can expand entities without bound or read other "
            "files). SBML needs neither: remove the declaration"
        )


def check_sizes(text: str, path: str) -> None:
    """Refuse a single attribute or text run longer than MAX_ATTRIBUTE characters before libsbml
    sees it (XML parsers spend minutes on one huge attribute; no model needs one). Linear: the
    runs between '<' and '>' are measured in UTF-8 bytes, and only those over the limit there
    are counted again in characters."""
    import numpy as np

    if len(text) <= MAX_ATTRIBUTE:
        return
    raw = text.encode()
    data = np.frombuffer(raw, np.uint8)
    edges = np.concatenate(([-1], np.flatnonzero((data == 60) | (data == 62)), [len(data)]))
    for i in np.flatnonzero(np.diff(edges) - 1 > MAX_ATTRIBUTE).tolist():
        a, b = int(edges[i]) + 1, int(edges[i + 1])
        if len(raw[a:b].decode()) > MAX_ATTRIBUTE:
            line = raw.count(b"\n", 0, a) + 1
            raise MtorsimError(
                f"{path}:{line}: a single attribute or text run of more than {MAX_ATTRIBUTE:,} "
                "characters; no SBML-qual model needs one, so the file is refused"
            )


def check_depth(text: str, path: str) -> None:
    """Refuse element nesting deeper than :data:`MAX_XML_DEPTH` before libsbml sees it."""
    level = 0
    for m in _MARKUP.finditer(text):
        if m.group(0)[1] in "!?":
            continue
        if m.group(1):
            level -= 1
        elif not m.group(2):
            level += 1
            if level > MAX_XML_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                raise MtorsimError(
                    f"{path}:{line}: XML elements nest more than {MAX_XML_DEPTH} levels deep; no SBML-qual "
                    "model needs that (a rule nested this deep would be unreadable), so the file is refused"
                )
