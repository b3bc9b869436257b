"""Scenarios: one treatment -> attractors and readouts (``scenario``), the graded continuous-time
estimate (``estimate``) and scenario files checked against expectations (``checks``)."""
