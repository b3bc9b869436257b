"""SplitMix64: a tiny counter-based generator, one state word per run, identical in Python."""

import numpy as np

from mtorsim.kernels import splitmix
from mtorsim.kernels._jit import jit_inline

GAMMA = np.uint64(splitmix.GAMMA)
M1 = np.uint64(splitmix.MIX1)
M2 = np.uint64(splitmix.MIX2)
S30, S27, S31, S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
INV53 = 1.0 / 9007199254740992.0


@jit_inline
def next_u64(st):
    """Advance ``st[0]`` and return the next 64-bit output."""
    s = st[0] + GAMMA
    st[0] = s
    z = (s ^ (s >> S30)) * M1
    z = (z ^ (z >> S27)) * M2
    return z ^ (z >> S31)


@jit_inline
def next_double(st):
    """Uniform in [0, 1) with 53 random bits."""
    return np.float64(next_u64(st) >> S11) * INV53


@jit_inline
def split_double(s):
    """(next state, uniform in [0, 1)) from state ``s``: ``next_double`` on a scalar, for loops
    that keep many streams (no round trip through memory)."""
    s = s + GAMMA
    z = (s ^ (s >> S30)) * M1
    z = (z ^ (z >> S27)) * M2
    z = z ^ (z >> S31)
    return s, np.float64(z >> S11) * INV53
