"""Screens: every treatment in every background, stored, resumed, ranked: ``screen.run_screen``
over ``plan`` (what is run), ``cells`` (one cell), ``store`` (SQLite), ``workers`` (processes,
Dask) and ``result`` (ranking, synergy)."""
