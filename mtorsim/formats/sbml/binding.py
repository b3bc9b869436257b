"""The optional libsbml binding: imported on first use, with the install hint when it is missing.

libsbml ships no type information, so its module and objects are typed ``Any`` (the aliases
below name what a value is).
"""

from __future__ import annotations

from typing import Any, TypeAlias

from mtorsim.errors import MtorsimError

EXTRA_HINT = "pip install 'mtorsim[sbml]'"

LibSBML: TypeAlias = Any
"""The ``libsbml`` module."""
SBase: TypeAlias = Any
"""A libsbml object (document, model, species, transition, ASTNode, XMLNode...)."""


def load_libsbml(action: str = "reading") -> LibSBML:
    """The libsbml module, or an error naming the optional extra (``action``: reading or writing)."""
    try:
        import libsbml
    except ImportError:
        raise MtorsimError(f"{action} SBML-qual needs the optional extra: {EXTRA_HINT}") from None
    return libsbml


def succeeded(code: int, lib: LibSBML) -> bool:
    """Whether a libsbml setter returned success."""
    return bool(code == lib.LIBSBML_OPERATION_SUCCESS)
