"""Trajectory heatmaps and node ordering (results are built by hand: no simulation)."""

from __future__ import annotations

import numpy as np
import pytest

from mtorsim.errors import MtorsimError
from mtorsim.plots.heatmap import average_linkage, cluster_order, node_order, plot_trajectory
from mtorsim.simulation.results import SimulationResult

MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".svg": b"<?xml", ".pdf": b"%PDF-"}


def make_result(
    n: int = 5, samples: int = 12, runs: int = 1, update: str = "sync", scores: bool = False
) -> SimulationResult:
    rng = np.random.default_rng(n * 1000 + runs)
    step = 0.5 if update == "async" else 1.0
    times = np.arange(samples) * step
    nodes = [f"node_{i}" for i in range(n)]
    if runs == 1:
        trajectory = (rng.random((samples, n)) < 0.5).astype(np.uint8)
        mean = trajectory.astype(float)
    else:
        trajectory = None
        mean = rng.integers(0, runs + 1, size=(samples, n)) / runs
    sc = {"Proliferation_norm": np.linspace(0.0, 1.0, samples), "Apoptosis_norm": rng.random(samples)} if scores else {}
    return SimulationResult(
        nodes=nodes, times=times, mean=mean, runs=runs, update=update, seed=0, trajectory=trajectory, scores=sc
    )


def svg_text(result: SimulationResult, path, **kw) -> str:
    """Write an SVG with text kept as text, so labels and titles can be searched."""
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        plot_trajectory(result, path, **kw)
    return path.read_text()


# ---------------------------------------------------------------- writing files


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_writes_each_format(tmp_path, suffix):
    out = tmp_path / f"fig{suffix}"
    plot_trajectory(make_result(runs=1), out)
    data = out.read_bytes()
    assert len(data) > 1000
    assert data.startswith(MAGIC[suffix])


def test_suffix_is_case_insensitive(tmp_path):
    out = tmp_path / "fig.PNG"
    plot_trajectory(make_result(), out)
    assert out.read_bytes().startswith(MAGIC[".png"])


@pytest.mark.parametrize("name", ["fig.jpg", "fig", "fig.png.txt"])
def test_bad_suffix(tmp_path, name):
    with pytest.raises(MtorsimError) as err:
        plot_trajectory(make_result(), tmp_path / name)
    msg = str(err.value)
    assert ".png" in msg and ".svg" in msg and ".pdf" in msg
    assert not (tmp_path / name).exists()


def test_many_runs_with_colorbar_and_scores(tmp_path):
    result = make_result(n=8, runs=50, update="async", scores=True)
    text = svg_text(result, tmp_path / "fig.svg")
    assert "mean activity (50 runs)" in text
    assert "time (time units)" in text
    assert "Proliferation_norm" in text and "Apoptosis_norm" in text
    assert "async update, 50 runs" in text


def test_one_run_legend_and_axis(tmp_path):
    text = svg_text(make_result(n=4, runs=1), tmp_path / "fig.svg")
    assert "sync update, 1 run" in text
    assert "time (steps)" in text
    assert ">off<" in text and ">on<" in text
    assert "mean activity" not in text


def test_one_run_without_trajectory_uses_mean(tmp_path):
    result = make_result(n=4, runs=1)
    result.trajectory = None
    out = tmp_path / "fig.png"
    plot_trajectory(result, out)
    assert out.read_bytes().startswith(MAGIC[".png"])


def test_150_nodes_every_name_labelled(tmp_path):
    result = make_result(n=150, samples=30, runs=1)
    png = tmp_path / "fig.png"
    plot_trajectory(result, png, order="cluster")
    assert png.read_bytes().startswith(MAGIC[".png"])
    from matplotlib.image import imread

    height, width = imread(png).shape[:2]
    assert height > 1.5 * width  # the figure grows with the node count
    text = svg_text(result, tmp_path / "fig.svg", order="name", title="my title")
    assert all(f">{name}<" in text for name in result.nodes)
    assert "my title" in text


def test_many_nodes_label_every_kth(tmp_path):
    result = make_result(n=300, samples=6, runs=20)
    text = svg_text(result, tmp_path / "fig.svg")
    assert "every 2nd of 300 nodes labelled" in text
    assert ">node_0<" in text and ">node_2<" in text and ">node_1<" not in text


def test_node_subset(tmp_path):
    result = make_result(n=6)
    text = svg_text(result, tmp_path / "fig.svg", nodes=["node_4", "node_1"])
    assert ">node_4<" in text and ">node_1<" in text and ">node_0<" not in text
    assert "2 of 6 nodes" in text


def test_unknown_node_names_nearest(tmp_path):
    result = make_result(n=6)
    result.nodes[3] = "mTORC1"
    out = tmp_path / "fig.png"
    with pytest.raises(MtorsimError) as err:
        plot_trajectory(result, out, nodes=["node_1", "mTORC"])
    assert "mTORC" in str(err.value) and "did you mean 'mTORC1'" in str(err.value)
    assert not out.exists()


def test_unknown_order(tmp_path):
    with pytest.raises(MtorsimError, match="file, name, cluster"):
        plot_trajectory(make_result(), tmp_path / "fig.png", order="random")  # type: ignore[arg-type]


def test_single_sample(tmp_path):
    result = make_result(n=3, samples=1, runs=10)
    out = tmp_path / "fig.pdf"
    plot_trajectory(result, out)
    assert out.read_bytes().startswith(MAGIC[".pdf"])


# ---------------------------------------------------------------- node order


def test_order_file_is_identity():
    result = make_result(n=7)
    assert node_order(result, None, "file") == list(range(7))
    assert node_order(np.zeros((4, 3)), None, "file") == [0, 1, 2, 3]


def test_order_name_case_insensitive():
    names = ["mTORC1", "AKT", "Rheb", "akt2", "ERK", "b"]
    order = node_order(np.zeros((6, 2)), names, "name")
    assert [names[i] for i in order] == ["AKT", "akt2", "b", "ERK", "mTORC1", "Rheb"]


def test_order_name_uses_result_nodes():
    result = make_result(n=3)
    result.nodes = ["c", "A", "b"]
    assert node_order(result, None, "name") == [1, 2, 0]


def test_cluster_groups_identical_profiles():
    rng = np.random.default_rng(7)
    profiles = rng.random((3, 20))
    label = rng.permutation(np.repeat([0, 1, 2], [9, 12, 7]))
    matrix = profiles[label]
    order = node_order(matrix, None, "cluster")
    assert sorted(order) == list(range(len(label)))
    seq = label[order]
    blocks = [seq[0]] + [b for a, b in zip(seq, seq[1:]) if a != b]
    assert sorted(blocks) == [0, 1, 2]  # each profile forms one contiguous block


def test_cluster_uses_result_mean_over_time():
    # nodes 0 and 2 share one time profile, 1 and 3 another: rows of result.mean.T
    mean = np.array([[0, 1, 0, 1], [0, 1, 0, 1], [1, 0, 1, 0], [1, 0, 1, 0.0]])
    result = SimulationResult(nodes=list("abcd"), times=np.arange(4.0), mean=mean, runs=5, update="sync", seed=0)
    assert node_order(result, None, "cluster") == [0, 2, 1, 3]


def test_cluster_deterministic_and_ties_by_index():
    rng = np.random.default_rng(3)
    x = (rng.random((60, 8)) < 0.5).astype(float)
    first = node_order(x, None, "cluster")
    assert all(node_order(x.copy(), None, "cluster") == first for _ in range(3))
    assert node_order(np.zeros((5, 3)), None, "cluster") == [0, 1, 2, 3, 4]
    assert cluster_order(np.zeros((0, 3))) == [] and cluster_order(np.ones((1, 3))) == [0]


def naive_average_linkage(x: np.ndarray) -> list[tuple[int, int, float]]:
    """Textbook UPGMA: scan every pair each step; ties by lowest (a, b)."""
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    clusters = {i: [i] for i in range(len(x))}
    merges = []
    while len(clusters) > 1:
        keys = sorted(clusters)
        best = None
        for i in keys:
            for j in keys:
                if j > i:
                    dist = d[np.ix_(clusters[i], clusters[j])].mean()
                    if best is None or dist < best[2] - 1e-9:
                        best = (i, j, dist)
        a, b, dist = best
        clusters[a] += clusters.pop(b)
        merges.append((a, b, round(float(dist), 8)))
    return merges


@pytest.mark.parametrize("kind", ["continuous", "binary", "coarse"])
def test_average_linkage_matches_textbook(kind):
    rng = np.random.default_rng({"continuous": 1, "binary": 2, "coarse": 3}[kind])
    for _ in range(6):
        n = int(rng.integers(2, 30))
        if kind == "continuous":
            x = rng.random((n, 5))
        elif kind == "binary":
            x = (rng.random((n, 4)) < 0.5).astype(float)  # many exact ties
        else:
            x = np.round(rng.random((n, 6)), 1)
        got = [(a, b, round(dist, 8)) for a, b, dist in average_linkage(x)]
        assert got == naive_average_linkage(x)


def test_cluster_large():
    """1,100 profiles cluster into a permutation (its speed is measured in benchmarks/, not here)."""
    rng = np.random.default_rng(0)
    x = (rng.random((1100, 200)) < 0.5).astype(float)
    order = cluster_order(x)
    assert sorted(order) == list(range(1100))


def test_cluster_name_count_mismatch():
    with pytest.raises(ValueError):
        node_order(np.zeros((3, 2)), ["a", "b"], "cluster")


def test_results_plot_themselves(tmp_path):
    """Every result of the Python API has .plot(): a Figure in memory, a file when given a path."""
    from matplotlib.figure import Figure

    import mtorsim

    model = mtorsim.load_model("mtor")
    sim = mtorsim.simulate(model, update="sync", length=5, runs=1)
    att = mtorsim.find_attractors(model)
    scen = mtorsim.run_scenario(model, drugs=["everolimus"], runs=20)
    for res, name in ((sim, "sim.png"), (att, "att.svg"), (scen, "scen.png")):
        assert isinstance(res.plot(), Figure)
        fig = res.plot(tmp_path / name)
        assert isinstance(fig, Figure) and (tmp_path / name).stat().st_size > 1000


def test_a_result_never_overwrites_a_file_unless_told(tmp_path):
    """``result.plot(path)`` refuses an existing file (the user's data stays), and replaces it
    with ``overwrite=True``."""
    import mtorsim
    from mtorsim.errors import MtorsimError

    res = mtorsim.simulate(mtorsim.load_model("mtor"), update="sync", length=3, runs=2)
    victim = tmp_path / "keep.png"
    victim.write_bytes(b"precious")
    with pytest.raises(MtorsimError, match="already exists"):
        res.plot(victim)
    assert victim.read_bytes() == b"precious"
    res.plot(victim, overwrite=True)
    assert victim.read_bytes().startswith(b"\x89PNG")


def _edges_blank(png) -> bool:
    """Nothing drawn on the saved image's outer pixels: no text or legend runs off the figure."""
    from matplotlib.image import imread

    img = imread(png)[:, :, :3]
    edges = np.concatenate(
        [img[:2].reshape(-1, 3), img[-2:].reshape(-1, 3), img[:, :2].reshape(-1, 3), img[:, -2:].reshape(-1, 3)]
    )
    return bool((edges > 0.98).all())


def test_titles_name_the_treatment_and_fit_the_figure(tmp_path):
    """Mutations, drugs and the user's own holds are in every figure's title, and the title is
    inside the figure (a narrow attractor map once cut it off)."""
    import mtorsim

    model = mtorsim.load_model("mtor")
    kw = {"mutations": ["TSC2_loss"], "drugs": ["everolimus"], "fixed": {"AKT": 0}}
    sim = mtorsim.simulate(model, update="sync", length=3, runs=5, **kw)
    att = mtorsim.find_attractors(model, **kw)
    line = "mutations: TSC2_loss; drugs: everolimus; held: AKT=0"
    for res, name in ((sim, "sim.png"), (att, "att.png")):
        fig = res.plot(tmp_path / name, nodes=["mTORC1", "S6K"])
        assert line in fig.axes[0].get_title()
        assert _edges_blank(tmp_path / name), name


def test_scenario_plot_shows_readouts_and_the_treatment(tmp_path):
    import mtorsim

    res = mtorsim.run_scenario("mtor", mutations=["TSC2_loss"], drugs=["everolimus"], runs=50)
    fig = res.plot(tmp_path / "s.png")
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == list(res.readouts)
    cols = [t.get_text() for t in ax.get_xticklabels()]
    assert cols[-1] == "estimate (50 runs)" and len(cols) == len(res.attractors.attractors) + 1
    assert "mutations: TSC2_loss; drugs: everolimus" in ax.get_title()
    # the cells carry the numbers: last column the graded mean of each readout
    texts = {(round(t.get_position()[0]), round(t.get_position()[1])): t.get_text() for t in ax.texts}
    for i, name in enumerate(rows):
        assert texts[(len(cols) - 1, i)] == f"{res.readouts[name]['mean']:.2f}"
    picked = res.plot(readouts=["S6K", "eIF4F"])
    assert [t.get_text() for t in picked.axes[0].get_yticklabels()] == ["S6K", "eIF4F"]
    assert [t.get_text() for t in res.plot(readouts="S6K").axes[0].get_yticklabels()] == ["S6K"]
    from mtorsim.errors import MtorsimError

    with pytest.raises(MtorsimError, match=r"result.attractors.plot\(path, nodes=..."):
        res.plot(nodes=["AKT"])


def test_state_legend_stays_inside_the_figure(tmp_path):
    """A 136-node model's states are named by what differs from the first, and the legend is
    inside the saved figure."""
    import mtorsim
    from mtorsim.plots.states import plot_states

    res = mtorsim.simulate("mtor", update="continuous", length=10, runs=200, mutations=["TSC2_loss"], top_states=12)
    fig = plot_states(res, tmp_path / "st.png")
    assert _edges_blank(tmp_path / "st.png")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[0].startswith("S1: ") and all(len(x) <= 48 for x in labels)
    assert "mutations: TSC2_loss" in fig.axes[0].get_title()


def test_scenario_plot_without_an_estimate_has_no_estimate_column():
    import mtorsim

    res = mtorsim.run_scenario("mtor", mutations=["TSC2_loss"], drugs=["everolimus"], estimate=False)
    cols = [t.get_text() for t in res.plot().axes[0].get_xticklabels()]
    assert cols == [
        f"A{k}" + ("" if a.basin is None else f" ({a.basin:.2f})") for k, a in enumerate(res.attractors.attractors, 1)
    ]
