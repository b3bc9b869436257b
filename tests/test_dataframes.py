"""``to_dataframe()`` on every result: the same numbers as ``to_dict()``, one row per time,
attractor, readout or screen cell (pandas is in the test extra)."""

from __future__ import annotations

import math

import pytest

import mtorsim
from mtorsim.errors import MtorsimError

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def model():
    return mtorsim.load_model("mtor")


def test_simulation_frame(model):
    sim = mtorsim.simulate(model, update="sync", length=4, runs=50, seed=2)
    df = sim.to_dataframe()
    assert list(df.index) == list(sim.times) and list(df.columns[: len(sim.nodes)]) == sim.nodes
    assert (df[sim.nodes].to_numpy() == sim.mean).all()


def test_attractor_frame(model):
    res = mtorsim.find_attractors("zanudo2021-mcf7", method="fixed-points", fixed={"Alpelisib": 1}, limit=20)
    df = res.to_dataframe()
    d = res.to_dict()
    assert list(df.index) == [f"A{k}" for k in range(1, len(res.attractors) + 1)]
    for k, a in enumerate(d["attractors"]):
        row = df.iloc[k]
        assert row["kind"] == a["kind"] and row["size"] == a["size"]
        for node, v in a["activity"].items():
            assert math.isclose(row[node], v, abs_tol=1e-6)


def test_scenario_frame(model):
    res = mtorsim.run_scenario(model, drugs=["everolimus"], runs=100)
    df = res.to_dataframe()
    assert list(df.index) == list(res.readouts)
    for name, r in res.readouts.items():
        for key in ("min", "max", "mean"):
            assert (r[key] is None and pd.isna(df.loc[name, key])) or df.loc[name, key] == r[key]
        for i, v in enumerate(r["values"], start=1):
            assert (v is None and pd.isna(df.loc[name, f"A{i}"])) or df.loc[name, f"A{i}"] == v


def test_without_pandas_the_error_says_how_to_get_it(monkeypatch, model):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    sim = mtorsim.simulate(model, length=2, runs=1)
    with pytest.raises(MtorsimError, match="pip install pandas"):
        sim.to_dataframe()
