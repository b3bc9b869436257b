"""Rules -> arrays: truth tables and bytecode per node (``program``), word-level three-address
code for the bit-parallel kernels (``wordcode``) and continuous-time rate laws (``ratelaws``)."""

from mtorsim.compiler.program import Program, compile_network

__all__ = ["Program", "compile_network"]
