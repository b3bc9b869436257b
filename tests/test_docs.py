"""The public API documents itself: numpydoc's validator on ``mtorsim.__all__`` and the result
classes users receive (every parameter documented with a type and a description, a Returns
section, a summary line). Examples and See Also sections are not required."""

from __future__ import annotations

import importlib

import pytest

import mtorsim

numpydoc = pytest.importorskip("numpydoc.validate")

IGNORED = {
    "SA01",  # See Also
    "EX01",  # Examples
    "ES01",  # extended summary
    "SS05",  # summary starts with an infinitive verb
    "SS06",  # summary on one line
    "GL01",  # text on the line of the opening quotes
    "GL02",  # closing quotes on their own line
    "RT02",  # a name before the return type
}
RESULTS = [
    "mtorsim.simulation.results.SimulationResult",
    "mtorsim.simulation.results.ContinuousResult",
    "mtorsim.attractors.result.AttractorResult",
    "mtorsim.attractors.result.Attractor",
    "mtorsim.attractors.count.AttractorCount",
    "mtorsim.scenarios.result.ScenarioResult",
    "mtorsim.scenarios.result.CheckReport",
    "mtorsim.screening.result.ScreenResult",
    "mtorsim.conversion.Converted",
    "mtorsim.treatment.resolve.Resolved",
    "mtorsim.treatment.records.Hold",
]


def _public() -> list[str]:
    out = []
    for name in mtorsim.__all__:
        obj = getattr(mtorsim, name)
        out.append(f"{obj.__module__}.{obj.__qualname__}")
    return out + RESULTS


@pytest.mark.parametrize("path", _public())
def test_numpydoc_clean(path):
    module, _, name = path.rpartition(".")
    assert getattr(importlib.import_module(module), name).__doc__, f"{path} has no docstring"
    errors = [f"{code}: {msg}" for code, msg in numpydoc.validate(path)["errors"] if code not in IGNORED]
    assert not errors, f"{path}:\n" + "\n".join(errors)
