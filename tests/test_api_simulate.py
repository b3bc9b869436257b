"""``mtorsim.simulate``: the shipped settings, drug windows and warnings, checked against the
lower-level ``simulation.simulate`` called with the same settings written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

import mtorsim
from mtorsim.errors import MtorsimError, MtorsimWarning
from mtorsim.simulation.discrete import Hold, simulate
from mtorsim.simulation.initial import read_initial_file
from mtorsim.simulation.rates import slow_fast_rates
from mtorsim.simulation.scores import LevelScore


def test_shipped_settings_are_the_simulate_toml_ones():
    """zanudo2021-mcf7's simulate.toml, read here by hand: async, 25 time units, the paper's
    initial conditions, slow nodes at rate 1 and the rest 5 times faster, two level scores."""
    model = mtorsim.load_model("zanudo2021-mcf7")
    folder = model.path.parent
    net = model.network
    ours = mtorsim.simulate(model, runs=300, seed=3, fixed={"Alpelisib": 1})
    ref = simulate(
        net,
        "async",
        length=25,
        runs=300,
        seed=3,
        init=read_initial_file(folder / "initial.txt", net),
        rates=slow_fast_rates(folder / "slow_nodes.txt", net, 5),
        fixed={"Alpelisib": 1},
        scores=[
            LevelScore.parse("Proliferation=0.25,0.5,1.0,0.0", net),
            LevelScore.parse("Apoptosis=0.25,0.5,1.0", net),
        ],
    )
    assert ours.update == "async" and np.array_equal(ours.times, ref.times)
    assert np.array_equal(ours.mean, ref.mean)
    assert set(ours.scores) == {"Proliferation_norm", "Apoptosis_norm"}
    for name, values in ref.scores.items():
        assert np.array_equal(ours.scores[name], values)
    # a value given wins over the shipped one
    assert mtorsim.simulate(model, update="sync", length=4, runs=2).update == "sync"


def test_a_drug_window_is_a_scheduled_hold():
    """``drugs=["everolimus:1@3-"]`` holds the vocabulary's nodes (RAPALOG=1, RAPALOG_C2=1) fully from t=3 on."""
    model = mtorsim.load_model("mtor")
    ours = mtorsim.simulate(model, update="sync", length=8, runs=1, drugs=["everolimus:1@3-"])
    base = mtorsim.resolve_treatment(model)  # the medium alone
    ref = simulate(
        base.net,
        "sync",
        length=8,
        runs=1,
        fixed=base.fixed(),
        schedule=[Hold("RAPALOG", 1, 3, None), Hold("RAPALOG_C2", 1, 3, None)],
    )
    assert np.array_equal(ours.trajectory, ref.trajectory)
    i = model.network.index("RAPALOG")
    assert ours.trajectory[4:, i].all()


def test_a_fixed_node_over_a_drug_hold_warns_and_wins():
    model = mtorsim.load_model("mtor")
    with pytest.warns(MtorsimWarning, match="RAPALOG=0 overrides the drug everolimus's hold"):
        res = mtorsim.simulate(model, length=3, runs=1, drugs=["everolimus"], fixed={"RAPALOG": 0})
    assert not res.trajectory[:, model.network.index("RAPALOG")].any()


def test_errors_name_the_parameter(tmp_path):
    model = mtorsim.load_model("mtor")
    with pytest.raises(MtorsimError, match="`drugs` everolimus@x: write the window"):
        mtorsim.simulate(model, drugs=["everolimus@x"])
    with pytest.raises(MtorsimError, match="`init` AKT=2"):
        mtorsim.simulate(model, init={"AKT": 2})
    with pytest.raises(MtorsimError, match="no vocabulary"):
        plain = tmp_path / "plain.bnet"
        plain.write_text("A, B\nB, A\n")
        mtorsim.simulate(plain, drugs=["everolimus"])


def test_convert_writes_the_same_functions_and_keeps_existing_files(tmp_path):
    """mtorsim.convert: the written .bnet reads back to the same rules (node by node); an existing
    target needs force."""
    from mtorsim.formats.ast import to_text
    from mtorsim.network import Network

    out = tmp_path / "mtor.bnet"
    res = mtorsim.convert("mtor", out)
    assert res.written == [out] and res.format == "bnet"
    src, back = mtorsim.load_model("mtor").network, Network.load(out)
    assert back.nodes == src.nodes
    assert [to_text(e) for e in back.rules] == [to_text(e) for e in src.rules]
    with pytest.raises(MtorsimError, match="already exists"):
        mtorsim.convert("mtor", out)
    assert mtorsim.convert("mtor", out, force=True).written == [out]


def test_a_cfg_outside_continuous_time_is_refused():
    """A MaBoSS .cfg (or params) only sets continuous-time runs: with another scheme it would
    be ignored, so it is refused."""
    with pytest.raises(MtorsimError, match="this run is async: give update='continuous'"):
        mtorsim.simulate("zanudo2021-mcf7", cfg="run.cfg", runs=2)
