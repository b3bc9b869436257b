"""Why a treatment fails and what would work instead: escape routes (``escapes``) and control
restricted to drugs (``search``), both on the exact attractors of the treated network."""
