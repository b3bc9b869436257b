"""Synchronous attractor sampling for networks of any size: Brent's cycle detection per run."""

import numpy as np

from mtorsim.kernels._jit import jit
from mtorsim.kernels.evaluate import eval_bytecode
from mtorsim.kernels.rng import next_double


@jit
def sync_step(src, dst, program, stack):
    reg_ptr, reg_idx, tt_ptr, tt, code_ptr, code_op, code_arg = program
    for i in range(src.shape[0]):
        if tt_ptr[i] >= 0:
            idx = 0
            j = 0
            for p in range(reg_ptr[i], reg_ptr[i + 1]):
                idx |= np.int64(src[reg_idx[p]]) << j
                j += 1
            dst[i] = tt[tt_ptr[i] + idx]
        else:
            dst[i] = eval_bytecode(i, src, code_ptr, code_op, code_arg, stack)


@jit
def less(a, b):
    for i in range(a.shape[0]):
        if a[i] != b[i]:
            return a[i] < b[i]
    return False


@jit
def same(a, b):
    for i in range(a.shape[0]):
        if a[i] != b[i]:
            return False
    return True


@jit
def sync_cycle_from(program, x0, max_stack, max_steps, rep, stack, tort, hare, tmp):
    """Brent's algorithm from ``x0``: returns ``(length, transient)`` of the cycle reached and
    puts its smallest state (its canonical name) in ``rep``; ``(-1, -1)`` if no cycle shows
    within ``max_steps`` steps. ``stack``, ``tort``, ``hare``, ``tmp`` are scratch."""
    tort[:] = x0
    sync_step(x0, hare, program, stack)
    power = 1
    lam = 1
    steps = 1
    while not same(tort, hare) and steps <= max_steps:
        if power == lam:
            tort[:] = hare
            power *= 2
            lam = 0
        sync_step(hare, tmp, program, stack)
        hare[:] = tmp
        lam += 1
        steps += 1
    if steps > max_steps:
        return -1, -1
    # transient length: hare starts lam steps ahead of the tortoise
    tort[:] = x0
    hare[:] = x0
    for _ in range(lam):
        sync_step(hare, tmp, program, stack)
        hare[:] = tmp
    mu = 0
    while not same(tort, hare):
        sync_step(tort, tmp, program, stack)
        tort[:] = tmp
        sync_step(hare, tmp, program, stack)
        hare[:] = tmp
        mu += 1
    rep[:] = tort
    for _ in range(lam - 1):
        sync_step(tort, tmp, program, stack)
        tort[:] = tmp
        if less(tort, rep):
            rep[:] = tort
    return lam, mu


@jit
def sync_sample_cycles(program, n, max_stack, seeds, max_steps, reps, lengths, transients):
    """For each run: a uniform random start, then :func:`sync_cycle_from`. ``reps[r]`` gets the
    smallest state of the cycle reached, ``lengths[r]`` its length and ``transients[r]`` the
    steps before it; ``lengths[r] = -1`` if not found in ``max_steps``."""
    stack = np.zeros(max_stack + 1, np.uint8)
    st = np.empty(1, np.uint64)
    x0 = np.empty(n, np.uint8)
    tort = np.empty(n, np.uint8)
    hare = np.empty(n, np.uint8)
    tmp = np.empty(n, np.uint8)
    for r in range(seeds.shape[0]):
        st[0] = seeds[r]
        for i in range(n):
            x0[i] = 1 if next_double(st) < 0.5 else 0
        lengths[r], transients[r] = sync_cycle_from(program, x0, max_stack, max_steps, reps[r], stack, tort, hare, tmp)


@jit
def sync_cycles_from(program, n, max_stack, starts, max_steps, reps, lengths, transients):
    """:func:`sync_sample_cycles` from the given ``starts`` (one row each)."""
    stack = np.zeros(max_stack + 1, np.uint8)
    tort = np.empty(n, np.uint8)
    hare = np.empty(n, np.uint8)
    tmp = np.empty(n, np.uint8)
    for r in range(starts.shape[0]):
        lengths[r], transients[r] = sync_cycle_from(
            program, starts[r], max_stack, max_steps, reps[r], stack, tort, hare, tmp
        )


@jit
def sync_orbit(program, start, length, max_stack, out):
    """``out[k]`` = the state after k synchronous steps from ``start`` (k < length)."""
    stack = np.zeros(max_stack + 1, np.uint8)
    out[0, :] = start
    for k in range(1, length):
        sync_step(out[k - 1], out[k], program, stack)
