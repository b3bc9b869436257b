"""A goal on a readout: ``"TumourGrowth<=0.25"``."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from mtorsim.errors import MtorsimError, did_you_mean

_GOAL = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*$")


@dataclass(frozen=True)
class Goal:
    """``readout op threshold`` with op one of ``<=``, ``>=``, ``<``, ``>``."""

    readout: str
    op: str
    threshold: float

    @classmethod
    def parse(cls, text: str, readouts: Iterable[str]) -> Goal:
        m = _GOAL.match(text or "")
        if m is None:
            raise MtorsimError(f"goal '{text}': write READOUT<=VALUE (or >=, <, >), e.g. 'TumourGrowth<=0.25'")
        name, op, value = m.groups()
        known = list(readouts)
        if name not in known:
            hint = did_you_mean(name, known)
            raise MtorsimError(f"goal '{text}': no readout '{name}'" + (f"; {hint}" if hint else ""))
        try:
            threshold = float(value)
        except ValueError:
            raise MtorsimError(f"goal '{text}': '{value}' is not a number") from None
        if not math.isfinite(threshold):
            raise MtorsimError(f"goal '{text}': the threshold must be a finite number")
        return cls(name, op, threshold)

    @property
    def low(self) -> bool:
        """The goal asks the readout to fall (``<=`` or ``<``)."""
        return self.op in ("<=", "<")

    def met(self, value: float | None) -> bool:
        """Whether ``value`` meets the goal (an unknown value does not)."""
        if value is None or math.isnan(value):
            return False
        t = self.threshold
        return {"<=": value <= t + 1e-12, ">=": value >= t - 1e-12, "<": value < t, ">": value > t}[self.op]

    def met_by(self, lo: float | None, hi: float | None) -> bool:
        """Whether every attractor meets it, given the readout's range over the attractors."""
        return self.met(hi) if self.low else self.met(lo)

    def __str__(self) -> str:
        return f"{self.readout}{self.op}{self.threshold:g}"
