"""MaBoSS files: ``.bnd`` (nodes with logic and rates) and ``.cfg`` (parameters, initial states, settings)."""
