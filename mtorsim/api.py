"""The Python API for notebooks: load a model once, then ask it questions.

>>> import mtorsim
>>> model = mtorsim.load_model("mtor")
>>> res = mtorsim.run_scenario(model, mutations=["PIK3CA_activating"], drugs=["everolimus"], runs=200)
>>> res.readouts["Proliferation"]["mean"] < 1
True

Every verb is ``verb(model, *, <treatment>, <settings>)``: the model first (a :class:`Model`, a
:class:`~mtorsim.network.Network`, a model file or a shipped model name), then keywords only.
The treatment keywords are the same everywhere (``env``, ``mutations``, ``drugs``, ``doses``,
``fixed``, or one :class:`~mtorsim.treatment.Treatment` as ``treatment=``), with the command
line's names and defaults. Results have ``to_dict()`` and ``to_dataframe()`` (needs pandas).
Errors in what the user gave raise :class:`mtorsim.MtorsimError` (a ``ValueError``) naming the
parameter. numba and matplotlib load only when a function needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mtorsim.attractors import MAX_COMBINATIONS
from mtorsim.conversion import convert
from mtorsim.errors import MtorsimError
from mtorsim.model import Model, as_model, load_model
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.simulation.setup import simulate
from mtorsim.treatment.resolve import Resolved, resolve
from mtorsim.treatment.treatment import Treatment
from mtorsim.types import AttractorUpdate, Method

if TYPE_CHECKING:
    from mtorsim.attractors.count import AttractorCount
    from mtorsim.attractors.search import AttractorResult
    from mtorsim.scenarios.checks import CheckReport
    from mtorsim.scenarios.estimate import EstimateSettings
    from mtorsim.scenarios.scenario import ScenarioResult
    from mtorsim.screening.screen import ScreenResult

__all__ = [
    "Model",
    "Treatment",
    "check_scenarios",
    "convert",
    "count_attractors",
    "find_attractors",
    "load_model",
    "resolve_treatment",
    "run_scenario",
    "run_screen",
    "simulate",
]

ModelLike = Model | Network | str | Path


def _vocab(m: Model, what: str) -> Vocabulary:
    if m.vocabulary is None:
        raise MtorsimError(f"{m.name} has no vocabulary, so {what} cannot be named; give vocabulary= to load_model")
    return m.vocabulary


def _treatment(
    treatment: Treatment | None,
    env: Mapping[str, int] | None,
    mutations: Sequence[str],
    drugs: Sequence[str],
    doses: Mapping[str, float] | None,
    fixed: Mapping[str, int] | None,
) -> Treatment:
    """``treatment``, or one built from its parts (not both)."""
    if treatment is None:
        return Treatment.of(env, mutations, drugs, doses, fixed)
    if not isinstance(treatment, Treatment):
        raise MtorsimError(f"`treatment` must be a mtorsim.Treatment, not {type(treatment).__name__}")
    if env or mutations or drugs or doses or fixed:
        raise MtorsimError("give either `treatment` or its parts (`env`, `mutations`, `drugs`, ...), not both")
    return treatment


def resolve_treatment(
    model: ModelLike,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    doses: Mapping[str, float] | None = None,
    fixed: Mapping[str, int] | None = None,
    treatment: Treatment | None = None,
) -> Resolved:
    """What a treatment does to the model: every node hold with its value, window, efficacy and
    source, the edge cuts and rule swaps, and the conflicts between holds.

    Parameters
    ----------
    model : Model or Network or str or Path
        The model (a shipped name or a file is loaded).
    env : mapping of str to int, optional
        Medium: environment condition -> 0 or 1, over the vocabulary's defaults.
    mutations, drugs : sequence of str
        Vocabulary names or aliases; ``"NAME@START-END"`` gives a window.
    doses : mapping of str to float, optional
        Drug -> dose in the drug's unit (efficacy from its potency).
    fixed : mapping of str to int, optional
        Node -> 0 or 1 held for the whole run; wins over every vocabulary hold.
    treatment : Treatment, optional
        All of the above as one value.

    Returns
    -------
    Resolved
        ``net``, ``holds``, ``baseline``, ``changes``, ``conflicts``, ``overrides``,
        ``medium``; ``fixed()``, ``scheduled()``, ``efficacy()``, ``records()``.
    """
    m = as_model(model)
    return resolve(m.network, m.vocabulary, _treatment(treatment, env, mutations, drugs, doses, fixed))


def find_attractors(
    model: ModelLike,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    fixed: Mapping[str, int] | None = None,
    treatment: Treatment | None = None,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    time_limit: float = 60.0,
    samples: int = 1000,
    seed: int = 0,
    limit: int = 10_000,
    max_combinations: int = MAX_COMBINATIONS,
    reduce: bool = True,
    progress: Callable[[int], None] | None = None,
) -> AttractorResult:
    """Attractors of the model in its medium (the vocabulary's environment, then ``env``) with
    ``mutations``, ``drugs`` and ``fixed`` nodes; free inputs left unset are enumerated.

    Parameters
    ----------
    model : Model or Network or str or Path
        The model (a shipped name or a file is loaded).
    env, mutations, drugs, fixed, treatment
        The treatment (see :func:`resolve_treatment`); drugs act at full engagement here.
    update : {"sync", "async"}, default "sync"
        sync: fixed points and cycles, with basins; async: terminal strongly connected
        components.
    method : {"auto", "exhaustive", "sat", "sample", "trapspace", "fixed-points"}, default "auto"
        auto: exhaustive when small, else the proven search (SAT for sync, trap spaces for
        async).
    time_limit : float, default 60.0
        Seconds the proven synchronous search may spend per input setting.
    samples, seed : int, default 1000 and 0
        Random starts for ``method="sample"`` (and sampled basins), and their seed.
    limit : int, default 10000
        Most fixed points listed by ``method="fixed-points"``.
    max_combinations : int, default 1024
        Settings of the free inputs searched, one by one, before the answer says incomplete.
    reduce : bool, default True
        Propagate constants first (never changes a number).
    progress : callable, optional
        Called with the number of input settings finished.

    Returns
    -------
    AttractorResult
        ``attractors`` (each with ``kind``, ``size``, ``states``, ``activity``, ``basin``),
        ``complete``, ``method``, ``notes``, ``candidates``; ``to_dict()``,
        ``to_dataframe()``, ``plot()``.
    """
    from mtorsim.attractors.search import find_attractors as search

    m = as_model(model)
    r = resolve(m.network, m.vocabulary, _treatment(treatment, env, mutations, drugs, None, fixed))
    _no_windows(r, "find_attractors")
    return search(
        r.net,
        update,
        method,
        fixed=r.fixed(),
        samples=samples,
        seed=seed,
        limit=limit,
        max_combinations=max_combinations,
        reduce=reduce,
        progress=progress,
        time_limit=time_limit,
    )


def count_attractors(
    model: ModelLike,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    fixed: Mapping[str, int] | None = None,
    treatment: Treatment | None = None,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    time_limit: float = 60.0,
) -> AttractorCount:
    """How many attractors the model has over every setting of its free inputs, counted
    without listing them (bbm-215's 2^26 settings in about a second).

    Parameters
    ----------
    model : Model or Network or str or Path
        The model (a shipped name or a file is loaded).
    env, mutations, drugs, fixed, treatment
        The treatment, as for :func:`find_attractors`.
    update : {"sync", "async"}, default "sync"
        Whose attractors are counted.
    method : {"auto", "fixed-points"}, default "auto"
        ``"fixed-points"`` counts the fixed points (the same under every scheme).
    time_limit : float, default 60.0
        Seconds before the count stops with an error.

    Returns
    -------
    AttractorCount
        ``count``, ``complete`` (False: ``count`` is a lower bound, ``notes`` say why),
        ``kind``, ``lengths`` (sync: cycle length -> count); ``to_dict()``.
    """
    from mtorsim.attractors.count import count_attractors as count

    if method not in ("auto", "fixed-points"):
        raise MtorsimError(f"`method` of a count is 'auto' or 'fixed-points', not {method!r}")
    m = as_model(model)
    r = resolve(m.network, m.vocabulary, _treatment(treatment, env, mutations, drugs, None, fixed))
    _no_windows(r, "count_attractors")
    return count(r.net, r.fixed(), update, fixed_points_only=method == "fixed-points", time_limit=time_limit)


def _no_windows(r: Resolved, verb: str) -> None:
    if r.scheduled():
        h = r.scheduled()[0]
        raise MtorsimError(f"{verb} holds nodes for the whole search; {h.node} is given a time window")


def estimate_settings(
    estimate: bool = True, runs: int = 1000, seed: int = 0, burn_in: float = 20.0, treatment_time: float = 40.0
) -> EstimateSettings | None:
    """The graded continuous-time estimate's settings, checked (None when ``estimate`` is off).

    Parameters
    ----------
    estimate : bool, default True
        False: no estimate (None).
    runs, seed : int, default 1000 and 0
        Continuous-time trajectories and their seed.
    burn_in, treatment_time : float, default 20.0 and 40.0
        Time units untreated, then treated; readouts average the treatment's second half.

    Returns
    -------
    EstimateSettings or None
        The checked settings.
    """
    from mtorsim.scenarios.estimate import EstimateSettings

    if not estimate:
        return None
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise MtorsimError(f"`runs` must be a whole number of at least 1, not {runs!r}")
    est = EstimateSettings(runs=runs, seed=seed, burn_in=burn_in, treatment=treatment_time)
    est.check()
    return est


def run_scenario(
    model: ModelLike,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    doses: Mapping[str, float] | None = None,
    treatment: Treatment | None = None,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    runs: int = 1000,
    seed: int = 0,
    estimate: bool = True,
    burn_in: float = 20.0,
    treatment_time: float = 40.0,
    max_combinations: int = MAX_COMBINATIONS,
) -> ScenarioResult:
    """A genotype, medium and drugs -> attractors and every readout.

    Parameters
    ----------
    model : Model or Network or str or Path
        A model with a vocabulary.
    env, mutations, drugs, doses, treatment
        The treatment (see :func:`resolve_treatment`); ``doses`` set each drug's efficacy
        from its potency.
    update : {"sync", "async"}, default "sync"
        The exact attractor search.
    method : {"auto", "exhaustive", "sat", "sample", "trapspace", "fixed-points"}, default "auto"
        Its method.
    runs, seed : int, default 1000 and 0
        The graded estimate: continuous-time trajectories and their seed.
    estimate : bool, default True
        False skips the estimate (``mean`` is then the basin-weighted attractor mean).
    burn_in, treatment_time : float, default 20.0 and 40.0
        Time units the cell settles untreated, then is treated; readouts average the second
        half of the treatment.
    max_combinations : int, default 1024
        Settings of free inputs searched one by one.

    Returns
    -------
    ScenarioResult
        ``readouts[name]``: ``min``/``max`` over the attractors, ``mean`` and ``se`` (the
        graded estimate), ``values`` per attractor; ``attractors``, ``conflicts``,
        ``warnings``, ``settings``; ``to_dict()``, ``to_dataframe()``, ``plot()``.
    """
    from mtorsim.scenarios.scenario import run_scenario as run

    m = as_model(model)
    return run(
        m.network,
        _vocab(m, "a scenario"),
        _treatment(treatment, env, mutations, drugs, doses, None),
        update,
        method,
        estimate=estimate_settings(estimate, runs, seed, burn_in, treatment_time),
        max_combinations=max_combinations,
    )


def check_scenarios(
    model: ModelLike,
    *,
    path: str | Path | None = None,
    only: Sequence[str] = (),
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    runs: int = 1000,
    seed: int = 0,
    estimate: bool = True,
    burn_in: float = 20.0,
    treatment_time: float = 40.0,
    max_combinations: int = MAX_COMBINATIONS,
    progress: Callable[[int], None] | None = None,
) -> CheckReport:
    """Run a scenario file and compare each readout with what the scenario expects.

    Parameters
    ----------
    model : Model or Network or str or Path
        A model with a vocabulary.
    path : str or Path, optional
        The scenario file (default: ``<stem>.scenarios.toml`` or ``scenarios.toml`` beside
        the model).
    only : sequence of str
        Run only the scenarios with these names.
    update, method
        The attractor search of every scenario that does not set its own.
    runs, seed, estimate, burn_in, treatment_time, max_combinations
        The graded estimate and the search, as for :func:`run_scenario`.
    progress : callable, optional
        Called with the number of scenarios finished.

    Returns
    -------
    CheckReport
        ``results`` (one row per expectation), ``passed``, ``failed``, ``known_failures``,
        ``unexpected_passes``; ``to_dict()``, ``to_dataframe()``.
    """
    from mtorsim.errors import did_you_mean
    from mtorsim.model.catalog import scenarios_path
    from mtorsim.scenarios.checks import check_scenarios as check
    from mtorsim.scenarios.checks import load_scenarios

    if path is not None and not isinstance(path, str | Path):
        raise MtorsimError(f"`path` must be a scenario file path, not {type(path).__name__}")
    m = as_model(model)
    vocab = _vocab(m, "scenarios")
    scenarios = load_scenarios(path if path is not None else scenarios_path(m.path), vocab)
    names = {sc.name for sc in scenarios}
    for name in (only,) if isinstance(only, str) else only:
        if name not in names:
            hint = did_you_mean(name, names)
            raise MtorsimError(f"`only` {name}: no such scenario" + (f"; {hint}" if hint else ""))
    if only:
        wanted = {only} if isinstance(only, str) else set(only)
        scenarios = [sc for sc in scenarios if sc.name in wanted]
    est = estimate_settings(estimate, runs, seed, burn_in, treatment_time)
    return check(
        m.network, vocab, scenarios, update, method, estimate=est, progress=progress, max_combinations=max_combinations
    )


def run_screen(
    model: ModelLike,
    *,
    drugs: Sequence[str] | None = None,
    backgrounds: Sequence[str] | None = None,
    max_combo: int = 2,
    env: Mapping[str, int] | None = None,
    sweep: Sequence[str] = (),
    readout: str | None = None,
    goal: str | None = None,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    runs: int = 1000,
    seed: int = 0,
    estimate: bool = True,
    burn_in: float = 20.0,
    treatment_time: float = 40.0,
    max_combinations: int = MAX_COMBINATIONS,
    jobs: int = 1,
    scheduler: str | None = None,
    db: str | Path | None = None,
    resume: bool = False,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ScreenResult:
    """Every treatment (untreated, single drugs, combinations up to ``max_combo``) in every
    background, each cell a scenario, ranked on the response readout.

    Parameters
    ----------
    model : Model or Network or str or Path
        A model with a vocabulary.
    drugs : sequence of str, optional
        The drugs screened (default: all of the vocabulary's).
    backgrounds : sequence of str, optional
        Genotypes: ``"wildtype"``, mutation names, or ``"A+B"`` combinations (default:
        wildtype and each mutation).
    max_combo : int, default 2
        The most drugs combined in one treatment.
    env : mapping of str to int, optional
        The medium, over the vocabulary's environment defaults.
    sweep : sequence of str
        Conditions screened at 0 and at 1.
    readout, goal : str, optional
        The readout ranked on (default: ``[model] response_readout``) and whether lower
        (``"low"``) or higher is better (default: ``[model] goal``).
    update, method
        Each cell's attractor search.
    runs, seed, estimate, burn_in, treatment_time, max_combinations
        Each cell's graded estimate and search, as for :func:`run_scenario`.
    jobs, scheduler
        Local processes running cells, or the address of a Dask scheduler.
    db, resume, force
        A SQLite file that stores each cell as it finishes; ``resume`` skips the cells it
        holds (same settings), ``force`` starts it afresh.
    progress : callable, optional
        Called as ``progress(n, total)`` as cells finish.

    Returns
    -------
    ScreenResult
        ``cells``, ``ranking(background)``, ``synergy(background)``, ``skipped``,
        ``to_dict()``, ``to_dataframe()``, ``plot()``.
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
    medium = Treatment.of(env=env).env
    if isinstance(sweep, str):
        sweep = (sweep,)
    if set(sweep) & set(medium):
        raise MtorsimError("a condition cannot be both set with `env` and swept with `sweep`")
    readout = check_readout(vocab, readout)
    screen_plan = plan(vocab, drugs, backgrounds, max_combo, sweep)
    est = estimate_settings(estimate, runs, seed, burn_in, treatment_time)
    opts = {"max_combinations": max_combinations, "estimate": None if est is None else est.to_record()}
    settings = screen_settings(m.path, vocab, medium, update, method, readout, opts)
    store = ScreenDB(db, settings, resume=resume, force=force) if db is not None else None
    total = len(screen_plan.cells())
    try:
        return run(
            m.network,
            vocab,
            screen_plan,
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
