"""Tab-separated tables with a header, ``#`` comment lines and errors that name the line."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from mtorsim.errors import MtorsimError


def read_table(path: str | os.PathLike, required: Sequence[str], what: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for every data line; the header (lower-cased) must name ``required``.
    A row with more cells than the header is refused; missing cells are empty."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise MtorsimError(f"cannot read the {what} {path}: {e.strerror or e}") from None
    rows = [(i, line) for i, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not rows:
        raise MtorsimError(f"{path}: no header and no rows (a {what} is tab-separated: {', '.join(required)})")
    header = [h.strip().lower() for h in rows[0][1].split("\t")]
    missing = [c for c in required if c not in header]
    if missing:
        raise MtorsimError(
            f"{path}:{rows[0][0]}: the header lacks {', '.join(missing)} (tab-separated columns: {', '.join(required)})"
        )
    out = []
    for number, line in rows[1:]:
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > len(header):
            raise MtorsimError(f"{path}:{number}: {len(cells)} columns, the header has {len(header)} (tabs only)")
        out.append((number, dict(zip(header, cells + [""] * (len(header) - len(cells))))))
    return out
