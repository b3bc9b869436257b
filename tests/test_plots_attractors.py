"""Attractor heatmaps (results are built by hand: no attractor search)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mtorsim.attractors.result import Attractor, AttractorResult
from mtorsim.errors import MtorsimError
from mtorsim.plots.attractors import MAX_ATTRACTORS, MAX_CYCLE_COLUMNS, _block, plot_attractors

MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".svg": b"<?xml", ".pdf": b"%PDF-"}


def fixed(state, basin=None, ci=None) -> Attractor:
    s = [int(v) for v in state]
    return Attractor("fixed", 1, [s], np.array(s, dtype=float), basin, ci)


def cycle(states, basin=None, ci=None) -> Attractor:
    rows = [[int(v) for v in r] for r in states]
    return Attractor("cycle", len(rows), rows, np.array(rows, dtype=float).mean(axis=0), basin, ci)


def seven_cycle(n: int) -> list[list[int]]:
    return [[int((i + j) % 7 < 3) for i in range(n)] for j in range(7)]


def small_result(n: int = 6, update: str = "sync", complete: bool = True) -> AttractorResult:
    """Two fixed points (one with a CI), a 7-state cycle and a complex attractor without states."""
    rng = np.random.default_rng(n)
    nodes = [f"node_{i}" for i in range(n - 1)] + ["mTORC1"]
    attractors = [
        fixed(rng.integers(0, 2, n), 0.5, (0.48, 0.52)),
        cycle(seven_cycle(n), 0.3),
        fixed(rng.integers(0, 2, n), 0.2),
        Attractor("complex", 112, None, rng.random(n), None),
    ]
    return AttractorResult(nodes, update, "exhaustive", complete, attractors)


def svg_text(result: AttractorResult, path, **kw) -> str:
    """Write an SVG with text kept as text, so labels and titles can be searched."""
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        plot_attractors(result, path, **kw)
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- writing files


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_writes_each_format(tmp_path, suffix):
    out = tmp_path / f"fig{suffix}"
    plot_attractors(small_result(), out)
    data = out.read_bytes()
    assert len(data) > 1000
    assert data.startswith(MAGIC[suffix])


def test_suffix_is_case_insensitive(tmp_path):
    out = tmp_path / "fig.PDF"
    plot_attractors(small_result(), out)
    assert out.read_bytes().startswith(MAGIC[".pdf"])


@pytest.mark.parametrize("name", ["fig.jpg", "fig", "fig.png.txt"])
def test_bad_suffix(tmp_path, name):
    with pytest.raises(MtorsimError) as err:
        plot_attractors(small_result(), tmp_path / name)
    msg = str(err.value)
    assert ".png" in msg and ".svg" in msg and ".pdf" in msg
    assert not (tmp_path / name).exists()


# ---------------------------------------------------------------- labels


def test_labels_basins_kinds_and_legends(tmp_path):
    text = svg_text(small_result(), tmp_path / "fig.svg")
    assert "4 attractors (sync, complete)" in text
    for label in ("A1", "A2", "A3", "A4"):
        assert f">{label}<" in text
    assert "basin 0.50 [0.48, 0.52]" in text  # basin with its 95% interval
    assert ">basin 0.30<" in text and ">basin 0.20<" in text
    assert text.count(">basin ") == 3  # the complex attractor has no basin
    assert ">cycle of 7<" in text
    assert ">complex, 112 states<" in text
    assert text.count(">fixed point<") == 2
    assert ">off<" in text and ">on<" in text  # states
    assert "activity (fraction of" in text  # colorbar for the activity column
    assert ">mTORC1<" in text


def test_only_states_no_colorbar(tmp_path):
    result = small_result()
    result.attractors = result.attractors[:3]
    text = svg_text(result, tmp_path / "fig.svg")
    assert ">off<" in text and "activity (fraction of" not in text


def test_only_activity_no_off_on_legend(tmp_path):
    result = small_result(update="async", complete=False)
    result.attractors = result.attractors[3:]
    text = svg_text(result, tmp_path / "fig.svg")
    assert "1 attractor (async, incomplete)" in text
    assert "activity (fraction of" in text and ">off<" not in text


def test_custom_title_and_node_subset(tmp_path):
    text = svg_text(small_result(), tmp_path / "fig.svg", nodes=["mTORC1", "node_2"], title="my title")
    assert "my title" in text and "attractors (" not in text
    assert ">mTORC1<" in text and ">node_2<" in text and ">node_0<" not in text
    text = svg_text(small_result(), tmp_path / "fig2.svg", nodes=["node_3", "node_1"])
    assert "4 attractors (sync, complete), 2 of 6 nodes" in text


# ---------------------------------------------------------------- columns


def test_columns_per_attractor():
    n = 5
    a = _block(1, fixed([1, 0, 1, 0, 1], 0.5), n)
    assert a.binary and a.data.shape == (n, 1)
    assert a.data[:, 0].tolist() == [1, 0, 1, 0, 1]
    c = _block(2, cycle(seven_cycle(n)), n)
    assert c.binary and c.data.shape == (n, 7)
    assert c.data.T.tolist() == seven_cycle(n)  # states in cycle order, one column each
    x = _block(3, Attractor("complex", 112, None, np.linspace(0, 1, n)), n)
    assert not x.binary and x.data.shape == (n, 1)
    assert x.data[:, 0].tolist() == np.linspace(0, 1, n).tolist()
    assert x.lines == ["complex, 112 states"]


def test_long_cycle_shown_as_activity(tmp_path):
    n = 4
    rng = np.random.default_rng(1)
    long = cycle(rng.integers(0, 2, (MAX_CYCLE_COLUMNS + 1, n)), 0.25)
    block = _block(1, long, n)
    assert not block.binary and block.data.shape == (n, 1)
    np.testing.assert_allclose(block.data[:, 0], long.activity)
    huge = Attractor("cycle", 5000, None, rng.random(n), 0.75)  # states not kept (> 1024)
    assert _block(2, huge, n).data.shape == (n, 1)
    result = AttractorResult(list("abcd"), "sync", "exhaustive", True, [long, huge])
    text = svg_text(result, tmp_path / "fig.svg")
    assert f">cycle of {MAX_CYCLE_COLUMNS + 1}<" in text and ">cycle of 5000<" in text
    assert text.count(">(activity)<") == 2


# ---------------------------------------------------------------- many nodes, many attractors


def test_120_nodes_every_name_labelled(tmp_path):
    n = 120
    rng = np.random.default_rng(120)
    nodes = [f"gene_{i}" for i in range(n)]
    attractors = [
        fixed(rng.integers(0, 2, n), 0.4, (0.35, 0.45)),
        cycle(rng.integers(0, 2, (7, n)), 0.35),
        Attractor("complex", 112, None, rng.random(n), None),
        fixed(rng.integers(0, 2, n), 0.25),
    ]
    result = AttractorResult(nodes, "sync", "sample", False, attractors)
    png = tmp_path / "fig.png"
    plot_attractors(result, png, order="cluster")
    from matplotlib.image import imread

    height, width = imread(png).shape[:2]
    assert height > 1.5 * width  # the figure grows with the node count
    text = svg_text(result, tmp_path / "fig.svg", order="name")
    assert all(f">{name}<" in text for name in nodes)
    assert "4 attractors (sync, incomplete)" in text
    assert "basin 0.40 [0.35, 0.45]" in text


def test_cap_keeps_largest_basins(tmp_path):
    k, n = MAX_ATTRACTORS + 17, 8
    rng = np.random.default_rng(5)
    basins = rng.permutation(np.arange(1, k + 1)) / (k * (k + 1) / 2)
    attractors = [fixed(rng.integers(0, 2, n), float(b)) for b in basins]
    result = AttractorResult([f"n{i}" for i in range(n)], "sync", "exhaustive", True, attractors)
    text = svg_text(result, tmp_path / "fig.svg")
    assert f"{k} attractors (sync, complete)" in text
    assert f"(the {MAX_ATTRACTORS} with the largest basins shown)" in text
    shown = {int(m) for m in re.findall(r">A(\d+)<", text)}
    largest = set((np.argsort(-basins)[:MAX_ATTRACTORS] + 1).tolist())
    assert shown == largest  # labels keep the attractors' numbers in the result


def test_cap_without_basins(tmp_path):
    attractors = [fixed([i % 2, (i // 2) % 2, 1]) for i in range(MAX_ATTRACTORS + 2)]
    result = AttractorResult(["a", "b", "c"], "async", "fixed-points", False, attractors)
    text = svg_text(result, tmp_path / "fig.svg", title="custom")
    assert "custom" in text and f"(the first {MAX_ATTRACTORS} shown)" in text
    assert f">A{MAX_ATTRACTORS}<" in text and f">A{MAX_ATTRACTORS + 1}<" not in text
    assert ">basin" not in text


# ---------------------------------------------------------------- order and errors


def test_cluster_groups_rows_by_profile(tmp_path):
    # a* nodes share one profile over all columns, b* nodes another; file order interleaves them
    n = 10
    pa, pb = [1, 0, 1, 1, 0, 0, 1, 0], [0, 1, 1, 0, 1, 0, 0, 1]
    states = [[pa[j] if i % 2 == 0 else pb[j] for i in range(n)] for j in range(8)]
    names = [f"{'a' if i % 2 == 0 else 'b'}{i}" for i in range(n)]
    result = AttractorResult(names, "sync", "exhaustive", True, [fixed(states[0], 0.5), cycle(states[1:], 0.5)])
    text = svg_text(result, tmp_path / "fig.svg", order="cluster")
    rows = sorted(names, key=lambda name: text.index(f">{name}<"))  # labels in row order
    groups = "".join(name[0] for name in rows)
    assert groups in ("aaaaabbbbb", "bbbbbaaaaa")


def test_unknown_node_names_nearest(tmp_path):
    out = tmp_path / "fig.png"
    with pytest.raises(MtorsimError) as err:
        plot_attractors(small_result(), out, nodes=["node_1", "mTORC"])
    assert "mTORC" in str(err.value) and "did you mean 'mTORC1'" in str(err.value)
    assert not out.exists()


def test_unknown_order_and_empty(tmp_path):
    with pytest.raises(MtorsimError, match="file, name, cluster"):
        plot_attractors(small_result(), tmp_path / "fig.png", order="random")  # type: ignore[arg-type]
    empty = AttractorResult(["a"], "sync", "exhaustive", True, [])
    with pytest.raises(MtorsimError, match="no attractors"):
        plot_attractors(empty, tmp_path / "fig.png")
    with pytest.raises(MtorsimError, match="no nodes"):
        plot_attractors(small_result(), tmp_path / "fig.png", nodes=[])
    assert not (tmp_path / "fig.png").exists()


def test_a_small_basin_shows_its_interval_inside_zero_and_one(tmp_path):
    """A sampled basin near 0 has an asymmetric (Wilson) interval: the label gives its ends, never
    a symmetric half-width that would read as a negative basin."""
    from mtorsim.attractors.search import wilson

    lo, hi = wilson(1, 16000)
    assert 0 < lo < 1 / 16000 < hi and hi - 1 / 16000 > 1 / 16000 - lo
    result = AttractorResult(
        ["a", "b"], "sync", "sample", False, [fixed([0, 1], 1 / 16000, (lo, hi)), fixed([1, 0], 0.5)]
    )
    text = svg_text(result, tmp_path / "fig.svg")
    assert f"basin 6.3e-05 [{lo:.2g}, {hi:.2g}]" in text and "\u00b1" not in text
