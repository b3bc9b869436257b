"""Update rates for the async scheme: from a rates file or a slow-node list."""

from __future__ import annotations

import os

import numpy as np

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.formats.io import read_text
from mtorsim.network import Network


def _names_in(path: str | os.PathLike, net: Network, columns: int) -> list[tuple[int, list[str]]]:
    """The ``columns``-field lines of ``path`` (comments dropped); a node with a value (a rate)
    once; an empty file is an error (a file that names nothing changes nothing)."""
    out = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        parts = raw.split("#", 1)[0].split()
        if not parts:
            continue
        if len(parts) != columns:
            want = "one node name" if columns == 1 else "'node rate'"
            raise MtorsimError(f"{path}:{number}: expected {want} per line, got {raw.strip()!r}")
        if parts[0] not in net:
            hint = did_you_mean(parts[0], net.nodes)
            raise MtorsimError(f"{path}:{number}: unknown node '{parts[0]}'" + (f"; {hint}" if hint else ""))
        if parts[0] in seen and columns > 1:  # a slow node listed twice means the same; a rate twice may not
            raise MtorsimError(
                f"{path}:{number}: {parts[0]} is listed again (first on line {seen[parts[0]]}); list each node once"
            )
        seen[parts[0]] = number
        out.append((number, parts))
    if not out:
        raise MtorsimError(f"{path}: names no node (empty, or only comments); list one node per line")
    return out


def read_rates(path: str | os.PathLike, net: Network) -> np.ndarray:
    """Rates from ``node rate`` lines; unlisted nodes have rate 1."""
    rates = np.ones(len(net))
    for number, (name, value) in _names_in(path, net, 2):
        try:
            rate = float(value)
        except ValueError:
            rate = -1.0
        if not rate > 0 or not np.isfinite(rate):
            raise MtorsimError(f"{path}:{number}: the rate of {name} must be a positive number, not '{value}'")
        rates[net.index(name)] = rate
    return rates


def slow_fast_rates(path: str | os.PathLike, net: Network, ratio: float) -> np.ndarray:
    """Slow nodes (one per line in ``path``) at rate 1, all others at ``ratio``."""
    if not ratio > 0:
        raise MtorsimError(f"`fast_ratio` must be positive, not {ratio}")
    rates = np.full(len(net), float(ratio))
    for _, (name,) in _names_in(path, net, 1):
        rates[net.index(name)] = 1.0
    return rates


def steps_per_time_unit(rates: np.ndarray) -> float:
    """``sum(rates) / min(rates)``: on average one update of a slowest node per time unit."""
    with np.errstate(over="ignore"):  # an absurd spread gives inf, which the caller refuses
        return float(rates.sum() / rates.min())


def alias_table(rates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walker/Vose alias table: column ``c`` keeps ``c`` with probability ``prob[c]``, else
    gives ``alias[c]``; columns are equally likely, so node ``i`` has ``rates[i]/sum``."""
    n = len(rates)
    scaled = np.asarray(rates, dtype=np.float64) * n / float(np.sum(rates))
    prob = np.ones(n)
    alias = np.arange(n, dtype=np.int64)
    small = [i for i in range(n) if scaled[i] < 1.0]
    large = [i for i in range(n) if scaled[i] >= 1.0]
    while small and large:
        s, g = small.pop(), large.pop()
        prob[s] = scaled[s]
        alias[s] = g
        scaled[g] -= 1.0 - scaled[s]
        (small if scaled[g] < 1.0 else large).append(g)
    return prob, alias
