"""Node-level control against AEON's phenotype control (``Control.phenotype_permanent``).

Where the problems coincide they must agree: asynchronous dynamics, any node held at 0 or 1 for
good, the phenotype "the readout node is 0 in every attractor, from any initial state". AEON
returns every perturbation that works; its minimal ones (no working proper subset), leaving out
the readout node itself, are the minimal sets mtorsim's search returns.
"""

from __future__ import annotations

import random

import pytest
from conftest import toy_model
from test_intervention import _random_network

from mtorsim.intervention.evaluate import Evaluator
from mtorsim.intervention.goal import Goal
from mtorsim.intervention.search import node_elements, search

pytestmark = pytest.mark.peers


def _bnet(rules: str) -> str:
    """BooleanNet rules (as the random networks are written) as .bnet."""
    out = ["targets, factors"]
    for line in rules.strip().splitlines():
        name, _, expr = line.partition("* = ")
        out.append(f"{name}, " + expr.replace(" and ", " & ").replace(" or ", " | ").replace("not ", "!"))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("seed", range(8))
def test_node_control_agrees_with_aeon_phenotype_control(tmp_path, seed):
    ba = pytest.importorskip("biodivine_aeon")
    rng = random.Random(100 + seed)
    names, _, rules = _random_network(rng, 6)
    readout = names[-1]
    net, vocab = toy_model(tmp_path, rules, f'[readouts.R]\nformula = "{readout}"\n')

    g = ba.AsynchronousPerturbationGraph(ba.BooleanNetwork.from_bnet(_bnet(rules)).infer_valid_graph())
    works = ba.Control.phenotype_permanent(g, g.mk_subspace_vertices({readout: False}), size_limit=2)
    sets = [
        frozenset((k, int(v)) for k, v in p.perturbed_named_dict().items())
        for p in works.select_by_size(2, True).perturbations().items()
    ]
    sets = [s for s in sets if readout not in {n for n, _ in s}]
    aeon = {s for s in sets if not any(t < s for t in sets)}

    ev = Evaluator(net, vocab, update="async")
    elements = node_elements(ev, [], [readout], both=True)
    found, _, complete = search(ev, Goal.parse("R<=0", vocab.readouts), [], elements, max_size=2)
    ours = {frozenset(e.node for e in combo) for combo in found}
    assert complete
    assert ours == aeon
