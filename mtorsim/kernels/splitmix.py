"""SplitMix64 constants (Steele, Lea & Flood 2014), shared by the kernels' generator
(``rng``) and the per-run seeds (``util.seeds.run_seeds``). Plain integers: importing this module
does not load numba."""

GAMMA = 0x9E3779B97F4A7C15
"""The increment of the state (the golden ratio in 64 bits)."""
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
"""The two multipliers of the output mix, after shifts of 30, 27 and 31 bits."""
STREAM = 0xD1B54A32D192ED03
"""The multiplier spreading run numbers apart when per-run seeds are derived."""
