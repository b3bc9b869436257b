"""Simulation: the façade ``setup.simulate`` (``mtorsim.simulate``) over the discrete schemes
(``discrete``) and continuous time (``continuous``), with initial states, rates, level scores and
MaBoSS run configurations."""
