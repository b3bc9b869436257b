"""The one decorator every kernel uses: nopython, cached on disk, GIL released."""

import os

from numba import njit

CACHE = os.environ.get("MTORSIM_NUMBA_CACHE", "1") != "0"


def jit(fn):
    return njit(cache=CACHE, nogil=True)(fn)


def jit_inline(fn):
    """For small helpers called in inner loops: inlined into the caller (no call overhead)."""
    return njit(cache=CACHE, nogil=True, inline="always")(fn)


def jit_reassoc(fn):
    """For loops that sum floats: lets LLVM reorder the additions (and so vectorise them). Only
    reassociation: NaN and infinity keep their meaning, and a compiled kernel is deterministic."""
    return njit(cache=CACHE, nogil=True, fastmath={"reassoc"})(fn)


def jit_parallel(fn):
    """For kernels that split their work over threads with ``prange``."""
    return njit(cache=CACHE, nogil=True, parallel=True)(fn)
