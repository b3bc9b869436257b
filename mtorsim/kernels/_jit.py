"""The one decorator every kernel uses: nopython, cached on disk, GIL released.

The disk cache lives in the user's cache folder (``$NUMBA_CACHE_DIR`` when set, else
``$XDG_CACHE_HOME/mtorsim/numba`` or ``~/.cache/mtorsim/numba``), never inside the installed
package: a reinstall or an editable install then never meets stale files, and a read-only
installation still caches. numba keys each entry by the kernel's file path, so two installs do
not share entries; a folder that cannot be written is skipped by numba (no cache, no error).
"""

import os

import numba
from numba import njit

CACHE = os.environ.get("MTORSIM_NUMBA_CACHE", "1") != "0"


def cache_dir() -> str:
    """Where compiled kernels are cached."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return os.environ["NUMBA_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mtorsim", "numba")


numba.config.CACHE_DIR = cache_dir()  # type: ignore[attr-defined]


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
