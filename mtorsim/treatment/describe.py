"""A treatment in one line, for table headers and figure titles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def held_by_user(holds: list[Mapping[str, Any]]) -> list[str]:
    """The user's own holds (``--set``, ``fixed``) as ``NODE=V`` or ``NODE=V@START-END``."""
    parts = []
    for r in holds:
        if (r.get("source") or {}).get("kind") != "fixed":
            continue
        whole = not r.get("start") and r.get("end") is None
        window = "" if whole else f"@{r['start']:g}-" + ("" if r.get("end") is None else f"{r['end']:g}")
        parts.append(f"{r['node']}={r['value']}{window}")
    return parts


def describe(settings: Mapping[str, Any]) -> str:
    """``mutations: TSC2_loss; drugs: everolimus; held: AKT=0`` from a result's settings; the
    parts with nothing in them are left out ('' when there is no treatment at all)."""
    parts = []
    if settings.get("mutations"):
        parts.append("mutations: " + ", ".join(settings["mutations"]))
    if settings.get("drugs"):
        doses = settings.get("doses") or {}
        parts.append("drugs: " + ", ".join(f"{d} {doses[d]:g}" if d in doses else str(d) for d in settings["drugs"]))
    held = held_by_user(settings.get("holds") or [])
    if held:
        parts.append("held: " + ", ".join(held))
    return "; ".join(parts)


def treatment_settings(resolved: Any) -> dict[str, Any]:
    """A resolved treatment's mutations, drugs and holds, as results' ``settings`` give them."""
    t = resolved.treatment
    return {
        "mutations": [g.text for g in t.mutations],
        "drugs": [g.text for g in t.drugs],
        "doses": dict(t.doses),
        "holds": resolved.records(),
    }
