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


def test_every_api_result_has_to_dict_and_to_dataframe():
    """The README promises both on every result the API returns."""
    import importlib
    import inspect

    import mtorsim.api as api

    homes = [
        "mtorsim.attractors.count",
        "mtorsim.attractors.result",
        "mtorsim.intervention.result",
        "mtorsim.response.curves",
        "mtorsim.scenarios.result",
        "mtorsim.screening.result",
        "mtorsim.selectivity.window",
        "mtorsim.validation.score",
        "mtorsim.simulation.results",
        "mtorsim.treatment.resolve",
    ]
    names = {k: v for m in homes for k, v in vars(importlib.import_module(m)).items() if isinstance(v, type)}
    checked = []
    for name in api.__all__:
        f = getattr(mtorsim, name)
        if isinstance(f, type) or name in ("load_model", "convert"):
            continue
        ann = inspect.signature(f).return_annotation
        cls = names[ann] if isinstance(ann, str) else ann
        assert callable(getattr(cls, "to_dict", None)) and callable(getattr(cls, "to_dataframe", None)), name
        checked.append(name)
    assert len(checked) >= 11


def test_count_resolve_control_explain_window_frames(model):
    """The frames added for the rest of the API carry the same numbers as ``to_dict()``."""
    count = mtorsim.count_attractors(model, mutations=["TSC2_loss"], update="sync")
    row = count.to_dataframe().iloc[0]
    assert row["count"] == count.to_dict()["count"] and bool(row["complete"]) == count.complete

    resolved = mtorsim.resolve_treatment(model, mutations=["TSC2_loss"], drugs=["everolimus"])
    df = resolved.to_dataframe()
    holds = resolved.to_dict()["holds"]
    assert list(df["node"]) == [h["node"] for h in holds] and list(df["efficacy"]) == [h["efficacy"] for h in holds]
    assert "drug everolimus" in set(df["source"])

    ctl = mtorsim.control(model, mutations=["TSC2_loss"], max_drugs=2, estimate=False)
    df = ctl.to_dataframe()
    sols = ctl.to_dict()["solutions"]
    assert len(df) == len(sols) > 0
    assert list(df["drugs"]) == [" + ".join(s["drugs"]) for s in sols]
    assert list(df["size"]) == [len(s["drugs"]) + len(s["nodes"]) for s in sols]
    nodes = mtorsim.control(model, mutations=["TSC2_loss"], max_drugs=1, any_node=True, estimate=False)
    df = nodes.to_dataframe()
    assert all(df["size"] == 1) and all(df["nodes"].str.contains("=")) and len(df) == len(nodes.solutions)
    empty = mtorsim.control(model, mutations=["TSC2_loss"], max_drugs=1, candidates=["erlotinib"], estimate=False)
    assert len(empty.solutions) == 0 and len(empty.to_dataframe()) == 0

    exp = mtorsim.explain(model, mutations=["TSC2_loss"], drugs=["everolimus"], goal="Proliferation<=0.25")
    df = exp.to_dataframe()
    assert list(df["kind"]) == [e["kind"] for e in exp.to_dict()["escapes"]] and len(df) > 0

    win = mtorsim.window(model, drugs="everolimus", doses=[0.1, 1, 10], runs=100)
    df = win.to_dataframe()
    d = win.to_dict()
    assert list(df.index) == d["doses"]
    assert list(df["tumour_viability"]) == d["tumour"]["viability"]
    for name, curves in d["contexts"].items():
        for c in curves:
            assert list(df[f"{name}:{c['readout']}"]) == c["values"]
