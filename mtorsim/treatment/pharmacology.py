"""Dose -> efficacy: the one place a drug's (or a partial mutation's) engagement of its target is
computed.

Given a dose ``D`` in the drug's unit, a target with potency ``ic50`` and Hill coefficient ``h``
is engaged to ``D**h / (D**h + ic50**h)`` (occupancy). Without a dose, a drug given in a
concentration unit (nM) acts at its reference dose (``reference_dose``: its clinical free Cmax
when the vocabulary gives it, else ten times its primary target's IC50, unless the entry names a
``default_dose``), so that its other targets are engaged only as far as their own potency
allows; any other bundle acts with its vocabulary ``efficacy`` (1 unless given).
"""

from __future__ import annotations

import math

from mtorsim.errors import MtorsimError
from mtorsim.model.vocabulary import Perturbation, Perturbing


def occupancy(dose: float, ic50: float, hill: float = 1.0) -> float:
    """``dose**hill / (dose**hill + ic50**hill)``, the fraction of target engaged."""
    if dose <= 0:
        return 0.0
    x = float((dose / ic50) ** hill)
    return x / (1.0 + x)


CONCENTRATION_UNITS = ("nM", "uM", "µM", "mM", "pM", "ng/mL")
"""Units in which a dose is a concentration (a drug in such a unit has a reference dose)."""
REFERENCE_MULTIPLE = 10.0
"""Without a clinical exposure, a drug's reference dose is this many times its primary IC50."""


def reference_dose(bundle: Perturbing) -> tuple[float, str] | None:
    """The dose a drug acts at when none is given, and what it is: its ``default_dose``, its
    clinical free Cmax (``exposure``: cmax x free_fraction), or ten times the IC50 of its first
    (primary) target; None for a bundle dosed in multiples of an unknown IC50."""
    if bundle.unit not in CONCENTRATION_UNITS:
        return None
    if "default_dose" in bundle.info:
        return float(bundle.info["default_dose"]), "the vocabulary's default dose"
    exp = bundle.exposure
    if "cmax" in exp and "free_fraction" in exp:
        return float(exp["cmax"]) * float(exp["free_fraction"]), "clinical free Cmax"
    if not bundle.perturbations:
        return None
    ic50 = getattr(bundle.perturbations[0], "ic50", None) or bundle.ic50
    if ic50 is None:
        return None
    return REFERENCE_MULTIPLE * float(ic50), f"{REFERENCE_MULTIPLE:g} x the IC50 of its primary target"


def efficacy(bundle: Perturbing, perturbation: Perturbation | None = None, dose: float | None = None) -> float:
    """The efficacy of ``perturbation`` (one of ``bundle``'s) at ``dose`` (None: at the drug's
    reference dose when it has one, else the bundle's own ``efficacy``)."""
    if dose is None:
        ref = reference_dose(bundle) if perturbation is not None else None
        if ref is None:
            return bundle.efficacy
        dose = ref[0]
    if not (math.isfinite(dose) and dose >= 0):
        raise MtorsimError(f"the dose of {bundle.name} must be a number >= 0, not {dose}")
    ic50 = getattr(perturbation, "ic50", None) or bundle.ic50
    if ic50 is None:
        raise MtorsimError(
            f"{bundle.name} has no ic50 in the vocabulary, so a dose cannot be turned into an "
            "efficacy; give its efficacy instead, or add ic50 to the drug's entry"
        )
    hill = getattr(perturbation, "hill", None) or bundle.hill
    return occupancy(dose, ic50, hill)
