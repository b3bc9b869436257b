"""A stop flag another thread can raise while a kernel runs.

A plain ``stop[0]`` read inside a loop may be hoisted out of it by LLVM (nothing in the kernel
writes it), so the kernel would never see the flag change; ``stop_requested`` reads it with an
atomic (monotonic) load, which the optimiser must repeat at every call.
"""

import numba
from numba import types
from numba.extending import intrinsic

from mtorsim.kernels._jit import jit_inline


@intrinsic
def _atomic_first_byte(typingctx, arr):
    """The first element of a uint8 array, loaded atomically."""
    if not (isinstance(arr, types.Array) and arr.dtype == types.uint8):
        return None
    sig = types.uint8(arr)

    def codegen(context, builder, signature, args):
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        return builder.load_atomic(ary.data, "monotonic", 1)

    return sig, codegen


if numba.config.DISABLE_JIT:  # type: ignore[attr-defined]  # kernels as Python (coverage): a plain read is fresh

    def stop_requested(stop):
        """Whether another thread has set ``stop[0]`` (a uint8 array) to non-zero."""
        return stop[0] != 0

else:

    @jit_inline
    def stop_requested(stop):
        """Whether another thread has set ``stop[0]`` (a uint8 array) to non-zero."""
        return _atomic_first_byte(stop) != 0
