"""Validation as a feature: published genotype-drug facts, the model's prediction for each, and
the score."""
