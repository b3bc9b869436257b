"""Treatments: the medium, genotype and drugs applied to a network (``perturb``)."""
