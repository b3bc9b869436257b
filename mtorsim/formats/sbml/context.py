"""What the reading steps share: the species read so far, the warnings and dropped content
collected on the way, and errors located at an SBML element."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.formats.sbml.binding import LibSBML, SBase


@dataclass
class Species:
    """A qualitative species and the Boolean node(s) that represent it."""

    sid: str
    obj: SBase
    declared_max: int | None = None
    """``maxLevel`` as written (None when the attribute is missing)."""
    max_level: int = 0
    """The highest level: ``declared_max``, or inferred when missing (see ``resolve_max_levels``)."""
    initial: int | None = None
    constant: bool = False
    transition: tuple[SBase, str] | None = None
    """The transition assigning this species, and how messages name it."""
    node: str = ""
    levels: list[str] = field(default_factory=list)
    """The Boolean node of each level >= 1, >= 2, ... (``node`` first)."""


@dataclass
class Context:
    """libsbml, the file's path and what reading it has to report."""

    lib: LibSBML
    path: str
    species: dict[str, Species] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def fail(self, obj: SBase | None, element: str, message: str, hint: str | None = None) -> MtorsimError:
        """An error at ``obj``'s line and column (the file alone when libsbml does not know them)."""
        line = obj.getLine() if obj is not None else 0
        col = obj.getColumn() if obj is not None else 0
        where = f"{self.path}:{line}:{col}" if line else self.path
        text = f"{where}: {element}: {message}"
        if hint:
            text += f"\nhint: {hint}"
        return MtorsimError(text)


def did_you_mean_hint(name: str, known: Iterable[str]) -> str | None:
    """A 'did you mean' hint for an unknown id (none for an empty one)."""
    return did_you_mean(name, known) if name else None
