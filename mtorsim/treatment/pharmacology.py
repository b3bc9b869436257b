"""Dose -> efficacy: the one place a drug's (or a partial mutation's) engagement of its target is
computed.

A perturbation acts with efficacy 1 (complete) unless its bundle says otherwise. Given a dose
``D`` in the bundle's unit, a target with potency ``ic50`` and Hill coefficient ``h`` is engaged
to ``D**h / (D**h + ic50**h)`` (occupancy); without a dose the bundle's own ``efficacy``
applies.
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


def efficacy(bundle: Perturbing, perturbation: Perturbation | None = None, dose: float | None = None) -> float:
    """The efficacy of ``perturbation`` (one of ``bundle``'s) at ``dose`` (None: the bundle's
    own ``efficacy``, 1 unless the vocabulary says otherwise)."""
    if dose is None:
        return bundle.efficacy
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
