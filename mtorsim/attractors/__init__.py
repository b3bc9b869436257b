"""Attractors: exhaustive, proven (SAT for sync, trap spaces for async), sampled and fixed-point
searches (``search``), and counts over every input setting without listing (``count``)."""

MAX_COMBINATIONS = 4096
"""Settings of the free inputs searched one by one before an answer says it is incomplete."""
