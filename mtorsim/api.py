"""The Python API for notebooks: load a model once, then ask it questions.

>>> import mtorsim
>>> model = mtorsim.load_model("mtor")
>>> res = mtorsim.run_scenario(model, mutations=["PIK3CA_activating"], drugs=["everolimus"], runs=200)
>>> round(res.readouts["Proliferation"]["mean"], 2)
0.5

Every function takes a :class:`Model` (or a model path or shipped name) and returns a result
object with ``to_dict()`` and ``to_dataframe()`` (needs pandas). Errors in what the user gave
raise :class:`mtorsim.MtorsimError` with a message that names the offending parameter. numba
and matplotlib load only when a function needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtorsim.conversion import convert
from mtorsim.errors import MtorsimError
from mtorsim.model import Model, as_model, load_model
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.simulation.setup import simulate
from mtorsim.types import AttractorUpdate, Method

if TYPE_CHECKING:
    from mtorsim.attractors.count import AttractorCount
    from mtorsim.attractors.search import AttractorResult
    from mtorsim.scenarios.estimate import EstimateSettings
    from mtorsim.scenarios.scenario import ScenarioResult
    from mtorsim.screening.screen import ScreenResult

__all__ = [
    "Model",
    "check_scenarios",
    "convert",
    "count_attractors",
    "find_attractors",
    "load_model",
    "run_scenario",
    "run_screen",
    "simulate",
]


def _vocab(m: Model, what: str) -> Vocabulary:
    if m.vocabulary is None:
        raise MtorsimError(f"{m.name} has no vocabulary, so {what} cannot be named; give vocabulary= to load_model")
    return m.vocabulary


def _applied(
    m: Model, env: Mapping[str, int] | None, mutations: Sequence[str], drugs: Sequence[str]
) -> tuple[Network, dict[str, int]]:
    """(network, held nodes) after the medium, mutations and drugs."""
    from mtorsim.treatment.perturb import apply

    if m.vocabulary is None:
        if env or mutations or drugs:
            _vocab(m, "environment conditions, mutations or drugs")
        return m.network, {}
    applied = apply(m.network, m.vocabulary, dict(env or {}), list(mutations), list(drugs))
    return applied.net, dict(applied.fixed)


def find_attractors(
    model: Model | str | Path,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    fixed: Mapping[str, int] | None = None,
    **options: Any,
) -> AttractorResult:
    """Attractors of the model in its medium (its vocabulary's environment, then ``env``) with
    ``mutations`` and ``drugs``; free inputs left unset are enumerated.

    Parameters
    ----------
    model : a :class:`Model`, a model file or a shipped model name.
    update : ``"sync"`` (fixed points and cycles, with basins) or ``"async"`` (terminal strongly
        connected components).
    method : ``"auto"`` (exhaustive when small, else the proven search: SAT for sync, trap
        spaces for async), ``"exhaustive"``, ``"sat"``, ``"sample"``, ``"trapspace"`` or
        ``"fixed-points"``.
    fixed : node -> 0/1 held on top of the vocabulary's holds.
    options : ``samples``, ``seed``, ``limit``, ``max_combinations``, ``reduce``... (see
        ``mtorsim.attractors.find_attractors``).

    Returns
    -------
    AttractorResult
        ``attractors`` (each with ``kind``, ``size``, ``states`` (size x nodes, 0/1) when
        listed, ``activity`` (nodes,) float64, ``basin``), ``complete`` (whether the answer is
        proven), ``method``, ``notes``, ``candidates``; ``to_dict()``, ``to_dataframe()``,
        ``plot()``.
    """
    from mtorsim.attractors.search import find_attractors as search

    m = as_model(model)
    net, held = _applied(m, env, mutations, drugs)
    held.update(fixed or {})
    return search(net, update, method, fixed=held, **options)


def count_attractors(
    model: Model | str | Path,
    update: AttractorUpdate = "async",
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    fixed: Mapping[str, int] | None = None,
    fixed_points_only: bool = False,
    time_limit: float = 60.0,
) -> AttractorCount:
    """How many attractors (``update`` "async" or "sync"; or fixed points) the model has over
    every setting of its free inputs, counted without listing them (bbm-215's 2^26 settings in
    about a second); an error past ``time_limit`` seconds.

    Returns
    -------
    AttractorCount
        ``count`` (int), ``complete`` (False: ``count`` is a lower bound, ``notes`` say why),
        ``kind``, ``lengths`` (sync: cycle length -> count); ``to_dict()``.
    """
    from mtorsim.attractors.count import count_attractors as count

    m = as_model(model)
    net, held = _applied(m, env, mutations, drugs)
    held.update(fixed or {})
    return count(net, held, update, fixed_points_only=fixed_points_only, time_limit=time_limit)


def estimate_settings(
    estimate: bool = True, runs: int = 1000, seed: int = 0, burn_in: float = 20.0, treatment_time: float = 40.0
) -> EstimateSettings | None:
    """The graded continuous-time estimate's settings, checked (None when ``estimate`` is off)."""
    from mtorsim.scenarios.estimate import EstimateSettings

    if not estimate:
        return None
    if runs < 1:
        raise MtorsimError(f"`runs` must be at least 1, not {runs}")
    est = EstimateSettings(runs=runs, seed=seed, burn_in=burn_in, treatment=treatment_time)
    est.check()
    return est


def run_scenario(
    model: Model | str | Path,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    doses: Mapping[str, float] | None = None,
    runs: int = 1000,
    seed: int = 0,
    estimate: bool = True,
    burn_in: float = 20.0,
    treatment_time: float = 40.0,
    **options: Any,
) -> ScenarioResult:
    """A genotype, medium and drugs -> attractors and every readout.

    Parameters
    ----------
    env, mutations, drugs : names from the model's vocabulary; ``doses`` gives a drug's dose
        in units of its IC50 (efficacy D/(1+D)).
    update, method : the exact attractor search (``"sync"``/``"async"``; ``"auto"``...).
    runs, seed, burn_in, treatment_time : the graded estimate: ``runs`` continuous-time
        trajectories that settle untreated for ``burn_in`` time units, then are treated for
        ``treatment_time``; readouts are averaged over its second half. ``estimate=False``
        skips it (``mean`` is then the basin-weighted attractor mean).
    options : passed to the attractor search (e.g. ``max_combinations``).

    Returns
    -------
    ScenarioResult
        ``readouts[name]``: ``min``/``max`` over the attractors, ``mean`` and ``se`` (the
        graded estimate), ``values`` per attractor; ``attractors``, ``conflicts``,
        ``warnings``, ``settings``; ``to_dict()``.
    """
    from mtorsim.scenarios.scenario import run_scenario as run

    m = as_model(model)
    return run(
        m.network,
        _vocab(m, "a scenario"),
        dict(env or {}),
        list(mutations),
        list(drugs),
        update,
        method,
        estimate=estimate_settings(estimate, runs, seed, burn_in, treatment_time),
        doses=doses,
        **options,
    )


def check_scenarios(
    model: Model | str | Path,
    path: str | Path | None = None,
    update: AttractorUpdate = "sync",
    runs: int = 1000,
    seed: int = 0,
    *,
    method: Method = "auto",
    only: Sequence[str] = (),
    estimate: bool = True,
    burn_in: float = 20.0,
    treatment_time: float = 40.0,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> dict:
    """Run a scenario file and compare each readout with what the scenario expects.

    Parameters
    ----------
    model : a :class:`Model` with a vocabulary, a model file or a shipped model name.
    path : the scenario file (default: ``<stem>.scenarios.toml`` or ``scenarios.toml`` beside
        the model).
    only : run only the scenarios with these names.
    update, method : the attractor search of every scenario that does not set its own.
    runs, seed, estimate, burn_in, treatment_time : the graded estimate (see
        :func:`run_scenario`); ``progress(n)`` is called as scenarios finish.

    Returns
    -------
    dict
        ``results`` (one row per expectation: scenario, readout, kind, expected, observed
        ``min``/``max``/``mean`` or ``treated``/``control``, ``pass``, ``complete``,
        ``known_failure`` (the reason, for a failing row of a scenario marked so)), ``passed``,
        ``failed``, ``known_failures``, ``unexpected_passes`` (marked scenarios that now pass).
    """
    from mtorsim.errors import did_you_mean
    from mtorsim.model.catalog import scenarios_path
    from mtorsim.scenarios.checks import check_scenarios as check
    from mtorsim.scenarios.checks import load_scenarios

    m = as_model(model)
    vocab = _vocab(m, "scenarios")
    scenarios = load_scenarios(path if path is not None else scenarios_path(m.path), vocab)
    names = {sc.name for sc in scenarios}
    for name in only:
        if name not in names:
            hint = did_you_mean(name, names)
            raise MtorsimError(f"`only` {name}: no such scenario" + (f"; {hint}" if hint else ""))
    if only:
        scenarios = [sc for sc in scenarios if sc.name in only]
    est = estimate_settings(estimate, runs, seed, burn_in, treatment_time)
    return check(m.network, vocab, scenarios, update, method, estimate=est, progress=progress, **options)


def run_screen(
    model: Model | str | Path,
    drugs: Sequence[str] | None = None,
    backgrounds: Sequence[str] | None = None,
    max_combo: int = 2,
    env: Mapping[str, int] | None = None,
    readout: str | None = None,
    jobs: int = 1,
    runs: int = 1000,
    seed: int = 0,
    *,
    sweep: Sequence[str] = (),
    goal: str | None = None,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    estimate: bool = True,
    burn_in: float = 20.0,
    treatment_time: float = 40.0,
    db: str | Path | None = None,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    **options: Any,
) -> ScreenResult:
    """Every treatment (untreated, single drugs, combinations up to ``max_combo``) in every
    background, each cell a scenario, ranked on the response readout.

    Parameters
    ----------
    model : a :class:`Model` with a vocabulary, a model file or a shipped model name.
    drugs : the drugs screened (default: all of the vocabulary's).
    backgrounds : genotypes: ``"wildtype"``, mutation names, or ``"A+B"`` combinations
        (default: wildtype and each mutation).
    max_combo : the most drugs combined in one treatment.
    env : the medium, over the vocabulary's environment defaults; ``sweep`` names conditions
        screened at 0 and at 1.
    readout, goal : the readout ranked on (default: ``[model] response_readout``) and whether
        lower (``"low"``) or higher is better (default: ``[model] goal``).
    jobs, scheduler : local processes running cells, or the address of a Dask scheduler.
    runs, seed, estimate, burn_in, treatment_time : each cell's graded estimate (see
        :func:`run_scenario`); ``update`` and ``method``: its attractor search.
    db, resume, force : a SQLite file that stores each cell as it finishes; ``resume`` skips
        the cells it holds (same settings), ``force`` starts it afresh.
    progress : called as ``progress(n, total)`` as cells finish.
    options : passed to each cell's attractor search (e.g. ``max_combinations``).

    Returns
    -------
    ScreenResult
        ``cells`` ((background, treatment) -> readouts), ``ranking(background)``,
        ``synergy(background)`` (Bliss and HSA excess of the combinations), ``skipped``,
        ``to_dict()``, ``to_dataframe()`` (one row per cell), ``plot()``.
    """
    from mtorsim.screening.screen import ScreenDB, check_readout, plan, require_dask, screen_settings
    from mtorsim.screening.screen import run_screen as run

    if scheduler is not None:
        if not scheduler.strip():
            raise MtorsimError("`scheduler`: give the Dask scheduler's address, e.g. tcp://host:8786")
        require_dask()
    if resume and db is None:
        raise MtorsimError("`resume` needs `db` (the database of the screen to continue)")
    m = as_model(model)
    vocab = _vocab(m, "a screen")
    medium = dict(env or {})
    if set(sweep) & set(medium):
        raise MtorsimError("a condition cannot be both set with `env` and swept with `sweep`")
    readout = check_readout(vocab, readout)
    the_plan = plan(vocab, drugs, backgrounds, max_combo, sweep)
    est = estimate_settings(estimate, runs, seed, burn_in, treatment_time)
    opts = {**options, "estimate": None if est is None else est.to_record()}
    settings = screen_settings(m.path, vocab, medium, update, method, readout, opts)
    store = ScreenDB(db, settings, resume=resume, force=force) if db is not None else None
    total = len(the_plan.cells())
    try:
        return run(
            m.network,
            vocab,
            the_plan,
            env=medium,
            update=update,
            method=method,
            readout=readout,
            goal=goal,
            jobs=jobs,
            db=store,
            settings=settings,
            progress=(lambda n: progress(n, total)) if progress is not None else None,
            options=opts,
            scheduler=scheduler,
        )
    finally:
        if store is not None:
            store.close()
