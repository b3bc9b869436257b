"""The kernels' event codes: what happens to a node when a scheduled event is due.

An event value ``v >= 0`` holds the node at ``v``; the negative codes below release it or set it.
Every kernel and the Python layer that builds event arrays use these names (numba reads the
module-level ints as compile-time constants).
"""

from __future__ import annotations

from enum import IntEnum


class Event(IntEnum):
    """Event values below 0 (0 and 1 hold the node at that value)."""

    RELEASE = -1
    """Back to its rule."""
    RELEASE_SET_0 = -2
    """An input (rule ``X = X``) released and set to 0."""
    RELEASE_SET_1 = -3
    """An input released and set to 1."""
    SET_0 = -4
    """Set to 0 without holding (MaBoSS ``X.schedule``); holds are left alone."""
    SET_1 = -5
    """Set to 1 without holding."""


RELEASE = -1
RELEASE_SET_0 = -2
RELEASE_SET_1 = -3
SET_0 = -4
SET_1 = -5


def release_and_set(value: int) -> Event:
    """The code that releases an input and sets it to ``value``."""
    return Event(RELEASE_SET_0 - value)


def set_to(value: int) -> Event:
    """The code that sets a node to ``value`` without holding it."""
    return Event(SET_0 - value)


def released_value(code: int) -> int:
    """The value a RELEASE_SET_* code sets (kernels inline this as ``RELEASE_SET_0 - code``)."""
    return RELEASE_SET_0 - code


def set_value(code: int) -> int:
    """The value a SET_* code sets (kernels inline this as ``SET_0 - code``)."""
    return SET_0 - code
