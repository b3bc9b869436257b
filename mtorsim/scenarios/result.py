"""What a scenario and a scenario check return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mtorsim.attractors.result import AttractorResult


@dataclass
class ScenarioResult:
    """One treatment's attractors and readouts.

    Parameters
    ----------
    attractors : AttractorResult
        The exact attractors of the treated network (inhibitions complete).
    readouts : dict of str to dict
        Readout -> ``min`` and ``max`` over the attractors, ``mean`` and ``se`` (the graded
        continuous-time estimate), ``attractor_mean`` (basin-weighted), ``values`` per attractor.
    conflicts : list of str
        Holds that took over another's (a drug over a mutation).
    warnings : list of str
        What the run worked around.
    settings : dict
        The medium, mutations, drugs, efficacies, resolved holds and estimate settings.
    notes : list of str
        How to read the numbers (a graded mean outside the attractors' range, level readouts).
    """

    attractors: AttractorResult
    readouts: dict[str, dict[str, Any]]  # name -> {"min", "max", "mean", "se", "attractor_mean", "values"}
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def plot(self, path: str | None = None, readouts: Any = None, overwrite: bool = False, **options: Any) -> Any:
        """The readouts in each attractor and the graded estimate, the treatment in the title (a
        matplotlib Figure; ``plots.scenario``), saved to ``path`` (.png, .svg, .pdf) when given (an
        existing file only with ``overwrite``); ``readouts`` picks and orders the rows.
        ``result.attractors.plot()`` draws every node."""
        from mtorsim.errors import MtorsimError
        from mtorsim.plots.scenario import plot_scenario
        from mtorsim.util.safeio import check_figure

        if options:
            raise MtorsimError(
                f"ScenarioResult.plot() draws the readouts and takes no {', '.join(map(repr, options))}; "
                "result.attractors.plot(path, nodes=..., order=...) draws every node"
            )
        check_figure(path, overwrite)
        return plot_scenario(self, path, readouts)

    def to_dataframe(self) -> Any:
        """One row per readout: min and max over the attractors, mean and se (the graded
        estimate), attractor_mean, then its value in each attractor (A1, A2, ...). Needs pandas."""
        from mtorsim.util.frames import to_dataframe

        rows = []
        for name, r in self.readouts.items():
            row = {"readout": name, **{k: r.get(k) for k in ("min", "max", "mean", "se", "attractor_mean")}}
            row.update({f"A{i}": v for i, v in enumerate(r["values"], start=1)})
            rows.append(row)
        return to_dataframe(rows, index="readout")

    def to_dict(self) -> dict[str, Any]:
        d = self.attractors.to_dict()
        d["readouts"] = {
            k: {key: v.get(key) for key in ("min", "max", "mean", "se", "attractor_mean")}
            for k, v in self.readouts.items()
        }
        for a, i in zip(d["attractors"], range(len(d["attractors"]))):
            a["readouts"] = {k: v["values"][i] for k, v in self.readouts.items()}
        d["conflicts"] = self.conflicts
        d["warnings"] = self.warnings
        d["reading_notes"] = self.notes
        d["scenario"] = self.settings
        return d


@dataclass(frozen=True)
class CheckReport:
    """The rows of a scenario check and their tally.

    Parameters
    ----------
    results : list of dict
        One row per expectation: ``scenario``, ``readout``, ``kind`` ("expect" or "change"),
        ``expected``, observed ``min``/``max``/``mean``/``se`` or ``treated``/``control``/
        ``difference``, ``pass``, ``complete``, ``known_failure``.
    passed : int
        Rows that pass.
    failed : int
        Rows that fail unexpectedly.
    known_failures : int
        Failing rows of scenarios marked ``known_failure``.
    unexpected_passes : list of str
        Marked scenarios that now pass.
    """

    results: list[dict[str, Any]]
    passed: int
    failed: int
    known_failures: int
    unexpected_passes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "results": self.results,
            "passed": self.passed,
            "failed": self.failed,
            "known_failures": self.known_failures,
            "unexpected_passes": self.unexpected_passes,
        }

    def to_dataframe(self) -> Any:
        """One row per expectation (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        return to_dataframe(self.results)
