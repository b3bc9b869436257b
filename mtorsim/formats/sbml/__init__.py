"""SBML-qual (SBML Level 3, Qualitative Models package) in and out, through python-libsbml.

libsbml is an optional extra (``pip install 'mtorsim[sbml]'``) imported only when an SBML file is
read or written. MathML is converted by walking libsbml's ASTNode trees into our syntax tree;
nothing is evaluated or rewritten as Python text.

Reading (:func:`read_sbml`, :func:`parse_sbml`):

- every qualitative species becomes a node named by its id (``_4EBP1`` is read as ``4EBP1``, the
  form :func:`write_sbml` uses for names that start with a digit; ids that are reserved words
  such as ``not`` get a trailing ``_``, with a warning);
- a species with ``maxLevel`` k > 1 becomes the Boolean nodes ``X, X_2, ..., X_k`` with ``X_j``
  meaning "level >= j" (the convention of the Zañudo models). Their rules follow the stepwise
  (Van Ham) mapping ``X_j* = X_(j+1) or (X_(j-1) and F_j)``, where ``F_j`` says "the target level is
  at least j": levels move one step at a time and every reachable state keeps the staircase
  ``X_(j+1) -> X_j``;
- the target level of a transition is the highest ``resultLevel`` among its satisfied function
  terms, or the default term's when none is satisfied (as bioLQM/GINsim read it);
- a species without a transition (or whose transition has neither function nor default terms,
  as in the BBM corpus) is a free input ``X* = X``; a constant species with an initial level is
  that constant.

Writing (:func:`write_sbml`) produces Boolean species (``maxLevel`` 1), one transition per
non-input node with one function term (result 1) and a default term (result 0), input signs
derived from the function, names, notes, initial levels and RDF annotations (CV terms) from the
network's metadata. The document passes libsbml's consistency checks.

Modules: :mod:`.guards` (text checks and limits), :mod:`.document` (the document as a whole),
:mod:`.read` (the reading steps), :mod:`.transitions`, :mod:`.mathml`, :mod:`.levels`
(transitions to Boolean rules), :mod:`.naming`, :mod:`.metadata`, :mod:`.write`,
:mod:`.boolean` (tree builders, signs), :mod:`.context` and :mod:`.binding` (libsbml).
"""

from mtorsim.formats.sbml.binding import EXTRA_HINT
from mtorsim.formats.sbml.boolean import signs
from mtorsim.formats.sbml.guards import (
    MAX_ATTRIBUTE,
    MAX_DEPTH,
    MAX_LEVEL,
    MAX_XML_DEPTH,
    check_depth,
    check_sizes,
    check_text,
)
from mtorsim.formats.sbml.metadata import notes_text
from mtorsim.formats.sbml.read import parse_sbml, read_sbml
from mtorsim.formats.sbml.write import format_sbml, write_sbml

__all__ = [
    "EXTRA_HINT",
    "MAX_ATTRIBUTE",
    "MAX_DEPTH",
    "MAX_LEVEL",
    "MAX_XML_DEPTH",
    "check_depth",
    "check_sizes",
    "check_text",
    "format_sbml",
    "notes_text",
    "parse_sbml",
    "read_sbml",
    "signs",
    "write_sbml",
]
