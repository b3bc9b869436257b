"""New models, fixations, schedules and initial states reuse the compiled kernels."""

from __future__ import annotations

import numpy as np
from conftest import CORPUS

from mtorsim.compiler import compile_network
from mtorsim.network import Network
from mtorsim.simulation.discrete import Hold, simulate
from mtorsim.simulation.initial import InitialSpec


def test_one_signature_per_kernel_across_models_and_perturbations():
    """Both kernel families (the bit-parallel default and the per-run references) are called
    here, so the check does not depend on which tests ran before."""
    from mtorsim.kernels import bits as B
    from mtorsim.kernels import trajectories as K

    big = next(p for p in CORPUS if "bbm-243" in p.name)  # in-degree above the table limit: bytecode
    cases = [
        (Network.load(CORPUS[0]), {}, InitialSpec(), ()),
        (Network.load(CORPUS[1]), {}, InitialSpec(default=0.5, groups=()), ()),
        (Network.load(big), {}, InitialSpec(default=0.3), ()),
    ]
    net = cases[0][0]
    cases.append((net, {net.nodes[0]: 1}, InitialSpec(values={net.nodes[1]: 1.0}, groups=((net.nodes[2:4], 0.3),)), ()))
    cases.append((net, {}, InitialSpec(), (Hold(net.nodes[0], 0, 1, 3),)))
    for kernel_family in ("bits", "per-run"):
        for update in ("sync", "async", "random-order"):
            for model, fixed, init, holds in cases:
                program = compile_network(model, table_max_inputs=0) if model is net and holds else None
                simulate(
                    model,
                    update,
                    length=3,
                    runs=3,
                    init=init,
                    fixed=fixed,
                    rates=np.linspace(1, 2, len(model)),
                    schedule=holds,
                    program=program,
                    kernel=kernel_family,
                )
    for kernel in (K.run_sync, K.run_async, K.run_random_order, B.bit_trajectories):
        assert len(kernel.signatures) == 1, kernel.signatures
