"""numba kernels: arrays in, arrays out. Import only where simulation runs (loads numba)."""
