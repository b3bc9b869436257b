"""mtorsim: Boolean-network simulation of mTORC1/mTORC2 signalling.

Layers, lowest first: ``formats`` (text -> syntax tree) -> ``network`` (immutable model) ->
``compiler`` (rules -> arrays) -> ``kernels`` (numba) -> ``simulate`` -> ``cli`` and ``plots``.

The Python API (``mtorsim.api``, loaded on first use so that importing mtorsim stays light):
``load_model``, ``simulate``, ``find_attractors``, ``count_attractors``, ``convert``, ``run_scenario``, ``check_scenarios``,
``run_screen``, ``dose_response``, ``validate``, ``window``, ``explain``, ``control``, ``Model``,
``MtorsimError`` and ``MtorsimWarning``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtorsim.errors import MtorsimError, MtorsimWarning

__version__ = "0.1.0"
__all__ = [
    "Model",
    "MtorsimError",
    "MtorsimWarning",
    "Treatment",
    "check_scenarios",
    "control",
    "convert",
    "count_attractors",
    "dose_response",
    "explain",
    "find_attractors",
    "load_model",
    "resolve_treatment",
    "run_scenario",
    "run_screen",
    "simulate",
    "validate",
    "window",
]

if TYPE_CHECKING:
    from mtorsim.api import (
        Model,
        Treatment,
        check_scenarios,
        control,
        convert,
        count_attractors,
        dose_response,
        explain,
        find_attractors,
        load_model,
        resolve_treatment,
        run_scenario,
        run_screen,
        simulate,
        validate,
        window,
    )


def __getattr__(name: str):
    if name in __all__ and name not in ("MtorsimError", "MtorsimWarning"):
        from mtorsim import api

        return getattr(api, name)
    raise AttributeError(f"module 'mtorsim' has no attribute {name!r}")
