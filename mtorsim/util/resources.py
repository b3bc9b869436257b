"""The memory a command may use: ``--max-memory`` (or ``MTORSIM_MAX_MEMORY``), else 4 GiB or
half the memory available when it starts, whichever is smaller. Exhaustive state-space searches
size themselves to it; simulation results that would not fit are refused before work, and those
above ``ANNOUNCE`` bytes are announced (``announce_memory``)."""

from __future__ import annotations

import os
import re

from mtorsim.errors import MtorsimError

ENV = "MTORSIM_MAX_MEMORY"
DEFAULT_CAP = 4 * 2**30  # the default budget never exceeds this, however large the machine
ANNOUNCE = 2**30  # arrays above this size are announced before the work (a warning)
UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def parse_size(text: str) -> int:
    """'8G', '512M', '1.5g', '1000000' -> bytes."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([kKmMgGtT]?)i?[bB]?\s*", text)
    if not m or float(m.group(1)) <= 0:
        raise MtorsimError(f"`max_memory` '{text}': give a size such as 4G, 512M or a number of bytes")
    return int(float(m.group(1)) * UNITS[m.group(2).lower()])


def available_memory() -> int:
    """MemAvailable from /proc/meminfo, else physical memory, in bytes."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 4 * 2**30


_BUDGET: list[int | None] = [None]  # set by the command line (--max-memory) for one invocation


def set_budget(size: int | None) -> None:
    """The budget for this command (None: the environment variable, else the default)."""
    _BUDGET[0] = size


def memory_budget() -> int:
    """Bytes a command may use for its big arrays."""
    if _BUDGET[0] is not None:
        return _BUDGET[0]
    given = os.environ.get(ENV)
    return parse_size(given) if given else min(DEFAULT_CAP, available_memory() // 2)


def announce_memory(need: int, what: str) -> None:
    """Warn (``MtorsimWarning``; the command line prints it as ``warning:``) before work that
    needs more than ``ANNOUNCE`` bytes."""
    if need > ANNOUNCE:
        import warnings

        from mtorsim.errors import MtorsimWarning

        warnings.warn(
            f"{what} needs about {human(need)} (memory budget {human(memory_budget())}, `max_memory`)",
            MtorsimWarning,
            stacklevel=3,
        )


def states_within_budget(per_state: int, cap: int) -> int:
    """The most free nodes whose 2^m states, ``per_state`` bytes each, fit the budget (<= cap)."""
    budget = memory_budget()
    m = 0
    while m < cap and (1 << (m + 1)) * per_state <= budget:
        m += 1
    return m


def human(n: float) -> str:
    """Bytes as '1.5 GiB', '12 MiB', '800 B'."""
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n:,.0f} B"
