"""Reproduce the published MCF7 simulations (Zañudo et al. 2021, Cancer Res 81:4603).

The authors' results (``data/zanudo2021/published_mcf7``: 10,000 runs each) are compared with
ours node by node and time point by time point, within the statistical error of both Monte
Carlo estimates: |ours - theirs| <= 5 SE + 0.01 with SE^2 = p(1-p) (1/R + 1/10000).
Set MTORSIM_FULL=1 to run 10,000 runs as the paper did (the README's worked example).
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest
from conftest import MCF7, ZANUDO

from mtorsim.network import Network
from mtorsim.simulation.discrete import Hold, simulate
from mtorsim.simulation.initial import read_initial_file
from mtorsim.simulation.rates import slow_fast_rates
from mtorsim.simulation.scores import LevelScore

PUBLISHED = ZANUDO / "published_mcf7"
FULL = os.environ.get("MTORSIM_FULL") == "1"
RUNS_TIMECOURSE = 10_000 if FULL else 2_000
RUNS_SUMMARY = 10_000 if FULL else 1_000
# Names in summary_MCF7.csv that differ from the model's node names.
NAME_FIXES = {
    "ER_microenviroment": "ER_microenvironment",
    "HER3_microenviroment": "HER3_microenvironment",
    "p21/p27_T": "p21_p27_T",
}


@pytest.fixture(scope="module")
def mcf7():
    net = Network.load(MCF7 / "model.rules")
    init = read_initial_file(MCF7 / "initial.txt", net)
    rates = slow_fast_rates(MCF7 / "slow_nodes.txt", net, 5)
    weights = (MCF7 / "weights.txt").read_text().split("\n")
    apo, pro = (",".join(line.split()) for line in weights[:2])
    scores = [LevelScore.parse(f"Proliferation={pro}", net), LevelScore.parse(f"Apoptosis={apo}", net)]
    return net, init, rates, scores


def read_timecourse(path):
    rows = [line.rstrip("\n").split("\t") for line in path.read_text().splitlines() if line.strip()]
    times = np.array([float(x) for x in rows[0][1:] if x])
    values = {r[0]: np.array([float(x) for x in r[1:] if x]) for r in rows[1:]}
    return times, values


def within_error(ours: float, theirs: float, runs: int) -> bool:
    p = max(ours * (1 - ours), theirs * (1 - theirs))
    return abs(ours - theirs) <= 5 * np.sqrt(p * (1 / runs + 1 / 10_000)) + 0.01


def level_fixations(net: Network, name: str, level: int) -> dict[str, int]:
    """``X=k`` on a multi-level node: levels X, X_2, X_3, ... (contiguous) up to k on, the rest off."""
    levels = [name]
    while f"{name}_{len(levels) + 1}" in net.nodes:
        levels.append(f"{name}_{len(levels) + 1}")
    return {lv: int(k < level) for k, lv in enumerate(levels)}


TIMECOURSES = sorted(PUBLISHED.glob("timecourse_*.txt"))


@pytest.mark.parametrize("path", TIMECOURSES, ids=lambda p: p.stem.replace("timecourse_", ""))
def test_timecourse_matches_published(mcf7, path):
    """Every node at every published time point. The authors switch the perturbation on at
    their third sample (t = 2 x 57/281); we apply it there with a scheduled hold."""
    net, init, rates, scores = mcf7
    times, published = read_timecourse(path)
    perturbation = dict(
        (m.group(1), int(m.group(2)))
        for m in re.finditer(r"(?:^|_)([A-Za-z0-9][A-Za-z0-9_]*?)=(\d)", path.stem.split("MCF7")[1])
    )
    holds = [Hold(node, value, start=times[2]) for node, value in perturbation.items()]
    result = simulate(
        net,
        "async",
        length=times[-1],
        runs=RUNS_TIMECOURSE,
        init=init,
        rates=rates,
        seed=11,
        every=times[1],
        scores=scores,
        schedule=holds,
    )
    assert np.allclose(result.times, times, atol=1e-6)
    bad = []
    for name, series in published.items():
        ours = result.scores[name] if name in result.scores else result.mean[:, net.index(name)]
        for t, (a, b) in enumerate(zip(ours, series)):
            if not within_error(a, b, RUNS_TIMECOURSE):
                bad.append(f"{name} at t={times[t]:.2f}: ours {a:.4f}, published {b:.4f}")
    assert not bad, f"{len(bad)} disagreements, first: " + "; ".join(bad[:5])
    # At 25 time units, between two published samples, a run that ends there agrees with the
    # published curve interpolated linearly (give or take the curve's change over that interval).
    at = int(np.searchsorted(times, 25.0))
    w = (25.0 - times[at - 1]) / (times[at] - times[at - 1])
    end = simulate(
        net,
        "async",
        length=25.0,
        runs=RUNS_TIMECOURSE,
        init=init,
        rates=rates,
        seed=12,
        every=25.0,
        scores=scores,
        schedule=holds,
    )
    assert end.times[-1] == 25.0
    bad = []
    for name, series in published.items():
        ours = end.scores[name][-1] if name in end.scores else end.mean[-1, net.index(name)]
        theirs = series[at - 1] + w * (series[at] - series[at - 1])
        if not within_error(ours, theirs, RUNS_TIMECOURSE) and abs(ours - theirs) > abs(series[at] - series[at - 1]):
            bad.append(f"{name} at t=25: ours {ours:.4f}, published (interpolated) {theirs:.4f}")
    assert not bad, bad[:5]


SUMMARY = [line.split(",") for line in (PUBLISHED / "summary_MCF7.csv").read_text().splitlines()[1:] if line]
# One published row is not reproduced: holding all three nodes from t=0 (or from the authors'
# switch-on time) gives Proliferation_norm ~0.84 at 10,000 runs, not 0.729 (without HER3_T: ~0.75).
# The summary does not record how this perturbation was applied; kept visible as a strict xfail.
NOT_REPRODUCED = {"Alpelisib+HER3_microenviroment=1+HER3_T=1+HER2=1"}
SUMMARY_CASES = [
    pytest.param(
        r, id=r[2], marks=pytest.mark.xfail(strict=True, reason="published value not reproduced, see NOT_REPRODUCED")
    )
    if r[2] in NOT_REPRODUCED
    else pytest.param(r, id=r[2])
    for r in SUMMARY
]


@pytest.mark.parametrize("row", SUMMARY_CASES)
def test_proliferation_norm_matches_published(mcf7, row):
    net, init, rates, scores = mcf7
    proliferation, apoptosis, perturbation = float(row[0]), float(row[1]), row[2]
    fixed: dict[str, int] = {}
    if perturbation != "None":
        for part in perturbation.split("+"):
            name, _, value = part.partition("=")
            name = NAME_FIXES.get(name, name)
            fixed.update(level_fixations(net, name, int(value)) if value else {name: 1})
    result = simulate(
        net, "async", length=25, runs=RUNS_SUMMARY, init=init, fixed=fixed, rates=rates, seed=5, every=25, scores=scores
    )
    ours_p = result.scores["Proliferation_norm"][-1]
    ours_a = result.scores["Apoptosis_norm"][-1]
    assert within_error(ours_p, proliferation, RUNS_SUMMARY), (
        f"Proliferation_norm: ours {ours_p}, published {proliferation}"
    )
    assert within_error(ours_a, apoptosis, RUNS_SUMMARY), f"Apoptosis_norm: ours {ours_a}, published {apoptosis}"


def test_shipped_model_settings_reproduce_the_paper(run_cli):
    """`mtorsim simulate zanudo2021-mcf7` with the shipped settings (models/zanudo2021_mcf7:
    async, the paper's initial conditions, slow nodes at rate 1 and the rest 5 times faster)
    matches the authors' alpelisib time course; the default length is the paper's 25 units."""
    import json

    times, published = read_timecourse(PUBLISHED / "timecourse_MCF7_Alpelisib=1.txt")
    out = json.loads(
        run_cli(
            "simulate",
            "zanudo2021-mcf7",
            "--runs",
            "2000",
            "--seed",
            "5",
            "--time",
            f"{times[-1]:.10g}",
            "--every",
            f"{times[1]:.10g}",
            "--set",
            f"Alpelisib=1@{times[2]:.10g}-",
            "--format",
            "json",
        ).stdout
    )
    assert out["update"] == "async" and np.allclose(out["times"], times, atol=1e-6)
    bad = [
        f"{name} at t={times[t]:.2f}"
        for name, series in published.items()
        if name in out["mean"]
        for t, (a, b) in enumerate(zip(out["mean"][name], series))
        if not within_error(a, b, 2000)
    ]
    assert len([n for n in published if n in out["mean"]]) > 50 and not bad, bad[:5]
    # the shipped scores (simulate.toml's weights) give the published normalised scores
    for name in ("Proliferation_norm", "Apoptosis_norm"):
        ours = out["scores"][name]
        bad = [t for t, (a, b) in enumerate(zip(ours, published[name])) if not within_error(a, b, 2000)]
        assert len(ours) == len(times) and not bad, (name, bad[:5])
    default = json.loads(run_cli("simulate", "zanudo2021-mcf7", "--runs", "10", "--format", "json").stdout)
    assert default["times"][-1] == 25 and default["update"] == "async"
