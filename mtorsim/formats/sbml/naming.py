"""Names in both directions: Boolean node names for qualitative species ids (reading), and
unique SBML ids for node names (writing).

Node names follow the rule-file syntax (:data:`mtorsim.formats.lexer.NAME_PATTERN`, not a
keyword or constant); SBML ids must not start with a digit, so a node such as ``4EBP1`` is
written as ``_4EBP1`` and read back as ``4EBP1``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from mtorsim.formats.lexer import CONSTANTS, KEYWORDS, NAME_PATTERN
from mtorsim.formats.sbml.context import Context, Species

_SID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGIT_ESCAPED = re.compile(r"_[0-9][A-Za-z0-9_]*")
_NOT_NAME_CHAR = re.compile(r"[^A-Za-z0-9_]")


def _sanitised(name: str, empty: str) -> str:
    """``name`` with every character outside letters, digits and '_' replaced by '_'."""
    return _NOT_NAME_CHAR.sub("_", name) or empty


def _unique(base: str, clashes: Callable[[str], bool]) -> str:
    """``base``, or the first of ``base_2``, ``base_3``... that does not clash."""
    name, n = base, 2
    while clashes(name):
        name = f"{base}_{n}"
        n += 1
    return name


def _reserved(name: str) -> bool:
    """A keyword or constant of the rule syntax, or a number: not usable as a node name."""
    low = name.lower()
    return low in KEYWORDS or low in CONSTANTS or name.isdigit()


# -- reading -----------------------------------------------------------------------------------
def assign_node_names(ctx: Context) -> None:
    """Give every species its node name and its level nodes (``X``, ``X_2``... for maxLevel > 1)."""
    ids = set(ctx.species)
    taken: set[str] = set()
    for sp in ctx.species.values():
        sp.node = _node_name(ctx, sp, ids, taken)
        taken.add(sp.node)
    level_names: dict[str, str] = {}
    for sp in ctx.species.values():
        _assign_levels(ctx, sp, taken, level_names)


def _node_name(ctx: Context, sp: Species, ids: set[str], taken: set[str]) -> str:
    sid = sp.sid
    name = sid
    if _DIGIT_ESCAPED.fullmatch(sid) and sid[1:] not in ids:
        name = sid[1:]  # the form write_sbml uses for names that start with a digit
    if not NAME_PATTERN.fullmatch(name):
        name = _sanitised(name, "node")
    if _reserved(name):
        name = name + "_"
    name = _unique(name, lambda x: x in taken or (x != sid and x in ids))
    if name != sid and name != sid[1:]:
        ctx.warnings.append(
            f"qualitative species '{sid}' is named '{name}' (node names use letters, digits and '_', and not and/or/not/true/false)"
        )
    return name


def _assign_levels(ctx: Context, sp: Species, taken: set[str], level_names: dict[str, str]) -> None:
    k = sp.max_level
    sp.levels = [sp.node] + [f"{sp.node}_{j}" for j in range(2, k + 1)]
    if k > 1:
        ctx.warnings.append(
            f"qualitative species '{sp.sid}' has {k + 1} levels; it is read as the Boolean nodes "
            f"{', '.join(sp.levels)} (level >= 1, ..., >= {k}), changing one level per update"
        )
    for extra in sp.levels[1:]:
        if extra in taken or extra in level_names:
            other = level_names.get(extra) or _species_named(ctx.species, extra)
            raise ctx.fail(
                sp.obj,
                f"qualitative species '{sp.sid}'",
                f"has maxLevel {k}, which mtorsim represents by the Boolean nodes "
                f"{', '.join(sp.levels)} (level >= 1, >= 2, ...), but '{extra}' is already taken by '{other}'",
                "rename one of the two species so the level nodes do not collide",
            )
        level_names[extra] = sp.sid


def _species_named(species: Mapping[str, Species], node: str) -> str:
    return next(s.sid for s in species.values() if s.node == node)


# -- writing -----------------------------------------------------------------------------------
class SidMaker:
    """Unique SBML ids (SId syntax) made from wanted names, in the order asked."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, wanted: str) -> str:
        sid = _sanitised(wanted, "x")
        if not _SID.fullmatch(sid):
            sid = "_" + sid
        sid = _unique(sid, self.used.__contains__)
        self.used.add(sid)
        return sid


def written_as_escape(node: str, sid: str) -> bool:
    """Whether ``sid`` is the reversible form of ``node``: the name itself, or ``_`` before a leading digit."""
    return sid == node or (sid == "_" + node and node[:1].isdigit())
