"""The clinical report: the review's questions answered from a screen (``build``)."""
