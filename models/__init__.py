"""Models shipped with mtorsim (installed as ``mtorsim.models``); see ``mtorsim.catalog``."""
