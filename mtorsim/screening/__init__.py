"""Screens: every treatment in every background, stored, resumed, ranked (``screen``)."""
