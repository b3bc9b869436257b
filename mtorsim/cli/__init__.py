"""The ``mtorsim`` command line (click); commands load their modules only when run."""
