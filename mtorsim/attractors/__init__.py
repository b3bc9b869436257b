"""Attractors: exhaustive, proven (SAT for sync, trap spaces for async), sampled and fixed-point
searches (``search``), and counts over every input setting without listing (``count``)."""
