"""A finished screen: cells ranked on the response readout (ties named), effects, Bliss and
highest-single-agent synergy, compensation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mtorsim.errors import MtorsimError
from mtorsim.screening.plan import ScreenPlan, treatment_label

SYNERGY_MARK = 0.1  # Bliss excess above which a combination is marked synergistic


EPS = 1e-9
TIE_Z = 1.96
"""Standard errors of a difference within which two treatments' means are a tie (95%)."""


@dataclass
class ScreenResult:
    """Every cell of a screen, ranked on its response readout.

    Parameters
    ----------
    plan : ScreenPlan
        The backgrounds (genotype and medium) and treatments screened.
    cells : dict
        (background label, treatment) -> the cell: ``readouts`` (min, max, mean, se,
        attractor_mean), ``complete``, ``oscillating``, ``holds``.
    readout : str
        The readout ranked on.
    goal : {"low", "high"}
        Whether lower or higher is better.
    ceiling : float, default 1.0
        The readout's highest possible value.
    settings : dict
        The settings the cells were run with.
    skipped : int, default 0
        Cells taken from the database.
    synergy_mark : float, default 0.1
        Bliss excess above which a combination is marked synergistic.
    """

    plan: ScreenPlan
    cells: dict[tuple[str, tuple[str, ...]], dict[str, Any]]  # (background label, treatment) -> run_cell output
    readout: str
    goal: str
    ceiling: float = 1.0
    settings: dict[str, Any] = field(default_factory=dict)
    skipped: int = 0  # cells taken from the database
    synergy_mark: float = SYNERGY_MARK  # Bliss excess above which a combination is marked synergistic

    def cell(self, background: str, treatment: Sequence[str]) -> dict[str, Any]:
        key = (background, tuple(treatment))
        if key not in self.cells:
            from mtorsim.errors import did_you_mean

            labels = [b.label for b in self.plan.backgrounds]
            if background not in labels:
                hint = did_you_mean(str(background), labels)
                raise MtorsimError(
                    f"no background '{background}' in this screen"
                    + (f"; {hint}" if hint else f" ({', '.join(labels)})")
                )
            raise MtorsimError(f"the screen has no treatment {' + '.join(treatment) or '(untreated)'} in {background}")
        return self.cells[key]

    def mean(self, background: str, treatment: Sequence[str], readout: str | None = None) -> float | None:
        value = self.cell(background, treatment)["readouts"][readout or self.readout]["mean"]
        return None if value is None else float(value)

    def effect(self, background: str, treatment: Sequence[str]) -> float | None:
        """Fractional effect on the chosen readout relative to untreated, clipped to [0, 1].

        goal low: (untreated - treated) / untreated; goal high: (treated - untreated) / (ceiling -
        untreated), the ceiling being the readout's largest value. None when the untreated value
        leaves no room to improve (0 for goal low, the ceiling for goal high) or is unknown."""
        u, t = self.mean(background, ()), self.mean(background, treatment)
        if u is None or t is None:
            return None
        if self.goal == "low":
            room, gain = u, u - t
        else:
            room, gain = self.ceiling - u, t - u
        if room <= EPS:
            return None
        return min(1.0, max(0.0, gain / room))

    def compensation(self, background: str, treatment: Sequence[str]) -> dict[str, float]:
        """Readouts whose mean rises under the treatment relative to untreated: name -> rise."""
        if not treatment:
            return {}
        base = self.cell(background, ())["readouts"]
        out = {}
        for name, r in self.cell(background, treatment)["readouts"].items():
            u, t = base[name]["mean"], r["mean"]
            if u is not None and t is not None and t - u > EPS:
                out[name] = round(t - u, 12)
        return out

    def ranking(self, background: str) -> list[dict[str, Any]]:
        """Treatments best first on the chosen readout's graded mean. Treatments whose means
        differ by less than the 95% interval of their difference (``TIE_Z`` standard errors)
        are a tie: they share a rank and are ordered by fewer drugs, then the better mean over
        the exact attractors, then the name, never by the noise between them; unknown last.
        ``tie`` is True for every row that shares its rank; ``interval`` is the mean's 95%
        interval."""
        sign = 1 if self.goal == "low" else -1
        rows = []
        for t in self.plan.treatments:
            m = self.mean(background, t)
            r = self.cell(background, t)["readouts"][self.readout]
            se = float(r.get("se") or 0.0)
            am = r.get("attractor_mean")
            after = (len(t), 0.0 if am is None else round(sign * am, 9), treatment_label(t))
            interval = None if m is None else [round(m - TIE_Z * se, 9), round(m + TIE_Z * se, 9)]
            row = {"treatment": list(t), "mean": m, "interval": interval, "effect": self.effect(background, t)}
            rows.append((m is None, 0.0 if m is None else sign * m, se, after, row))
        rows.sort(key=lambda r: r[:2])
        groups: list[list[tuple[Any, ...]]] = []
        for r in rows:
            lead = groups[-1][0] if groups else None
            if (
                lead is not None
                and not r[0]
                and not lead[0]
                and abs(r[1] - lead[1]) <= TIE_Z * math.hypot(r[2], lead[2]) + 1e-9
            ):
                groups[-1].append(r)
            else:
                groups.append([r])
        out: list[dict[str, Any]] = []
        for g in groups:
            rank = len(out) + 1
            for r in sorted(g, key=lambda r: r[3]):
                out.append(dict(r[4], rank=rank, tie=len(g) > 1))
        return out

    def oscillating(self, background: str, treatment: Sequence[str]) -> bool:
        return bool(self.cell(background, treatment).get("oscillating", False))

    def synergy(self, background: str) -> list[dict[str, Any]]:
        """Bliss excess (observed effect - (1 - prod(1 - e_single))) and HSA excess (observed effect -
        best single effect) for every combination of two or more drugs. ``oscillating`` lists the
        treatments (the combination or its single drugs) whose attractors include a cycle: there
        the readout is a time average, and a synergy can come from where a cycle is averaged."""
        out = []
        for t in self.plan.treatments:
            if len(t) < 2:
                continue
            e = self.effect(background, t)
            singles = [self.effect(background, (d,)) for d in t]
            osc = [list(x) for x in [t, *((d,) for d in t)] if self.oscillating(background, x)]
            row = {
                "treatment": list(t),
                "effect": e,
                "singles": singles,
                "expected": None,
                "bliss": None,
                "hsa": None,
                "synergistic": False,
                "oscillating": osc,
            }
            known = [s for s in singles if s is not None]
            if e is not None and len(known) == len(singles):
                expected = 1 - math.prod(1 - s for s in known)
                row.update(
                    expected=round(expected, 12),
                    bliss=round(e - expected, 12),
                    hsa=round(e - max(known), 12),
                    synergistic=e - expected > SYNERGY_MARK,
                )
            out.append(row)
        return out

    def results(self) -> list[dict[str, Any]]:
        return [
            {
                "background": b.label,
                "mutations": list(b.mutations),
                "environment": dict(b.env),
                "treatment": list(t),
                "readouts": self.cell(b.label, t)["readouts"],
                "complete": self.cell(b.label, t)["complete"],
                "compensation": self.compensation(b.label, t),
            }
            for b, t in self.plan.cells()
        ]

    def plot(self, path: str | None = None, title: str | None = None, overwrite: bool = False) -> Any:
        """The screen's heatmaps (a matplotlib Figure; see ``plots.screen``), saved to ``path``
        (.png, .svg, .pdf) when given (an existing file only
        with ``overwrite``)."""
        from mtorsim.plots.screen import plot_screen
        from mtorsim.util.safeio import check_figure

        check_figure(path, overwrite)
        return plot_screen(self, path, title=title)

    def to_dataframe(self) -> Any:
        """One row per (background, treatment): each readout's mean, the effect, complete (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        rows = []
        for r in self.results():
            row = {
                "background": r["background"],
                "treatment": treatment_label(r["treatment"]),
                "effect": self.effect(r["background"], r["treatment"]),
                "complete": r["complete"],
            }
            row.update({k: v["mean"] for k, v in r["readouts"].items()})
            rows.append(row)
        return to_dataframe(rows)

    def to_dict(self) -> dict[str, Any]:
        labels = [b.label for b in self.plan.backgrounds]
        return {
            "settings": self.settings,
            "readout": self.readout,
            "goal": self.goal,
            "backgrounds": labels,
            "treatments": [list(t) for t in self.plan.treatments],
            "results": self.results(),
            "ranking": {b: self.ranking(b) for b in labels},
            "synergy": {b: self.synergy(b) for b in labels},
        }
