"""Random seeds: whole numbers from 0 to 2**64 - 1, refused otherwise (never wrapped)."""

from __future__ import annotations

import numpy as np

from mtorsim.errors import MtorsimError

MAX_SEED = 2**64 - 1


def check_seed(seed: object) -> None:
    """MtorsimError unless ``seed`` is a whole number from 0 to 2**64 - 1."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= int(seed) <= MAX_SEED:
        raise MtorsimError(f"`seed` must be a whole number from 0 to {MAX_SEED} (2**64 - 1), not {seed!r}")
