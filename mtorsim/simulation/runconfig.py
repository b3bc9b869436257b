"""A continuous-time run configuration: MaBoSS ``.cfg`` files applied to a network.

Parameters go into the rates, ``istate`` values and joint distributions into the initial
state (nodes a file does not set start at random, as in MaBoSS), ``is_internal`` and
``refstate`` into the outputs, ``X.schedule`` into set events, and the settings (``max_time``,
``time_tick``, ``sample_count``, ``discrete_time``, ``seed_pseudorandom``, ``thread_count``)
into the run. Later files and ``--param`` values win, as with MaBoSS's ``-c`` and ``-v``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtorsim.compiler.ratelaws import RateSpec
from mtorsim.formats.io import read_text
from mtorsim.formats.maboss.cfg import SETTINGS, Cfg, parse_cfg
from mtorsim.network import Network
from mtorsim.simulation.continuous import SetEvent
from mtorsim.simulation.initial import InitialSpec


@dataclass
class RunConfig:
    rates: RateSpec
    init: InitialSpec
    internal: tuple[str, ...] = ()
    refstate: dict[str, int] = field(default_factory=dict)
    sets: tuple[SetEvent, ...] = ()
    settings: dict[str, float] = field(default_factory=dict)  # only what the files gave
    notes: list[str] = field(default_factory=list)

    def setting(self, key: str):
        """A setting from the files, else MaBoSS's default."""
        return self.settings.get(key, SETTINGS[key])


def sibling_cfg(model_file: str | os.PathLike) -> Path | None:
    """``MODEL.cfg`` beside a ``.bnd`` file, if there is one."""
    p = Path(model_file).with_suffix(".cfg")
    return p if p.is_file() else None


def load_run_config(
    net: Network, cfg_files: Sequence[str | os.PathLike] = (), params: Mapping[str, float] | None = None
) -> RunConfig:
    """Read ``cfg_files`` in order against ``net``; ``params`` override parameter values."""
    params = dict(params or {})
    cfg = Cfg()
    for path in cfg_files:
        cfg = cfg.merge(parse_cfg(read_text(path), str(path), list(net.nodes), params))
    rates = RateSpec.from_meta(net, {k: v for k, v in cfg.params.items() if k in cfg.declared})
    if params:
        rates = rates.with_params(params)
    init = InitialSpec(
        dict(cfg.istate), (), 0.5 if cfg_files else 0.0, tuple((names, tuple(options)) for names, options in cfg.joint)
    )
    internal = tuple(n for n in net.nodes if cfg.internal.get(n))
    sets = tuple(SetEvent(node, value, time) for node, time, value in cfg.schedule)
    return RunConfig(rates, init, internal, dict(cfg.refstate), sets, dict(cfg.settings), list(cfg.notes))
