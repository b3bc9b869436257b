"""Random seeds: whole numbers from 0 to 2**64 - 1, refused otherwise (never wrapped)."""

from __future__ import annotations

import numpy as np

from mtorsim.errors import MtorsimError
from mtorsim.kernels import splitmix

MAX_SEED = 2**64 - 1


def check_seed(seed: object) -> None:
    """MtorsimError unless ``seed`` is a whole number from 0 to 2**64 - 1."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= int(seed) <= MAX_SEED:
        raise MtorsimError(f"`seed` must be a whole number from 0 to {MAX_SEED} (2**64 - 1), not {seed!r}")


def run_seeds(seed: int, start: int, count: int) -> np.ndarray:
    """One independent 64-bit seed per run (SplitMix64 of the seed and the run number): run
    ``r`` always gets the same seed for a given ``seed``, whatever the block or thread."""
    check_seed(seed)
    r = np.arange(start, start + count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * np.uint64(splitmix.GAMMA) + r * np.uint64(splitmix.STREAM)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(splitmix.MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(splitmix.MIX2)
    return z ^ (z >> np.uint64(31))
