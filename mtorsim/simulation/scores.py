"""Weighted level scores (e.g. Zañudo's ``Proliferation_norm``) over multi-level nodes."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.network import Network


@dataclass(frozen=True)
class LevelScore:
    """Per run, the weight of the highest level that is on (0 when none is); levels are
    nodes ``X``, ``X_2``, ``X_3``... as the multi-level encoding writes them."""

    name: str
    levels: tuple[str, ...]
    weights: tuple[float, ...]

    @classmethod
    def parse(cls, text: str, net: Network) -> LevelScore:
        """``NODE=w1,w2,...`` -> a score named ``NODE_norm`` over NODE, NODE_2, ..."""
        if "=" not in text:
            raise MtorsimError(
                f"`score` '{text}': write NODE=w1,w2,... (one weight per level), e.g. Proliferation=0.25,0.5,1"
            )
        node, _, ws = text.partition("=")
        node = node.strip()
        try:
            weights = tuple(float(w) for w in ws.split(","))
        except ValueError:
            raise MtorsimError(f"`score` '{text}': weights must be numbers separated by commas") from None
        if not all(math.isfinite(w) for w in weights):
            raise MtorsimError(f"`score` '{text}': weights must be finite numbers (not nan or inf)")
        levels = tuple([node] + [f"{node}_{k}" for k in range(2, len(weights) + 1)])
        for lv in levels:
            net.index(lv)
        return cls(f"{node}_norm", levels, weights)

    def per_run(self, states: np.ndarray, net: Network) -> np.ndarray:
        """Score of each run at each sample for ``states`` (runs x samples x nodes)."""
        out = np.zeros(states.shape[:2])
        for lv, w in zip(self.levels, self.weights):
            out = np.where(states[:, :, net.index(lv)] == 1, w, out)
        return out
