"""Population dose-response: simulated cells grow, divide and die by their proliferation and
survival readouts under a drug dose (``growth``); curves over doses give viability, GR,
IC50/GR50, Emax/GRmax and AUC with confidence intervals (``curves``, ``metrics``); the assay's
settings and assumptions (``assay``)."""
