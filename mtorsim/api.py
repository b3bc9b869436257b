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
from typing import TYPE_CHECKING, Any, TypeVar

from mtorsim.attractors import MAX_COMBINATIONS
from mtorsim.conversion import convert
from mtorsim.errors import MtorsimError
from mtorsim.model import Model, as_model, load_model
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.simulation.setup import simulate
from mtorsim.treatment.describe import treatment_settings
from mtorsim.treatment.resolve import ENGAGED, Resolved, resolve
from mtorsim.treatment.treatment import Treatment
from mtorsim.types import AttractorUpdate, Method

if TYPE_CHECKING:
    from mtorsim.attractors.count import AttractorCount
    from mtorsim.attractors.result import AttractorResult
    from mtorsim.intervention.result import ControlResult, ExplainResult
    from mtorsim.response.curves import DoseResponse
    from mtorsim.scenarios.estimate import EstimateSettings
    from mtorsim.scenarios.result import CheckReport, ScenarioResult
    from mtorsim.screening.result import ScreenResult
    from mtorsim.selectivity.window import WindowResult
    from mtorsim.validation.score import ValidationResult

__all__ = [
    "Model",
    "Treatment",
    "check_scenarios",
    "control",
    "convert",
    "count_attractors",
    "dose_response",
    "explain",
    "find_attractors",
    "load_model",
    "resolve_treatment",
    "run_scenario",
    "run_screen",
    "simulate",
    "validate",
    "window",
]

ModelLike = Model | Network | str | Path
_F = TypeVar("_F", bound=Callable[..., Any])

_PARTS = {
    "model": """model : Model or Network or str or Path
        The model: a loaded :class:`Model`, a bare network, a model file or a shipped name.""",
    "env": """env : mapping of str to int, optional
        The medium: environment condition -> 0 or 1, over the vocabulary's defaults.""",
    "mutations": """mutations : sequence of str, default ()
        Vocabulary mutations (``"NAME@START-END"`` gives a window where windows apply).""",
    "drugs": """drugs : sequence of str, default ()
        Vocabulary drugs or their aliases (``"NAME@START-END"`` where windows apply).""",
    "doses": """doses : mapping of str to float, optional
        Drug -> dose in the drug's unit; its targets are engaged by potency (Hill).""",
    "fixed": """fixed : mapping of str to int, optional
        Node -> 0 or 1 held for the whole run; wins over every vocabulary hold.""",
    "treatment": """treatment : Treatment, optional
        The treatment as one value, instead of ``env``, ``mutations``, ``drugs``... .""",
    "update": """update : {"sync", "async"}, default "sync"
        The attractor search's scheme.""",
    "method": """method : {"auto", "exhaustive", "sat", "sample", "trapspace", "fixed-points"}, default "auto"
        The attractor method (auto: exhaustive when small, else proven: SAT or trap spaces).""",
    "runs": """runs : int, default 1000
        Continuous-time trajectories of the graded estimate.""",
    "seed": """seed : int, default 0
        Seed of the estimate; the same seed gives the same numbers.""",
    "estimate": """estimate : bool, default True
        False skips the estimate (``mean`` is then the basin-weighted attractor mean).""",
    "burn_in": """burn_in : float, default 20.0
        Time units the cell settles untreated before the drugs.""",
    "treatment_time": """treatment_time : float, default 40.0
        Time units of treatment; readouts average its second half.""",
    "threads": """threads : int, optional
        Worker threads (all cores when None); the numbers do not depend on it.""",
    "populations": """progress : callable, optional
        Called as ``progress(n, total)`` as populations finish.""",
    "max_combinations": """max_combinations : int, default 4096
        Settings of free inputs searched one by one before the answer says it is incomplete.""",
}


def _doc(*names: str, tail: Sequence[str] = ()) -> Callable[[_F], _F]:
    """Fill ``{parts}`` in a docstring with the shared parameter descriptions ``names``, and
    ``{tail}`` with those of ``tail`` (the last parameters)."""

    def decorate(fn: _F) -> _F:
        text = "\n    ".join(_PARTS[n] for n in names)
        last = "\n    ".join(_PARTS[n] for n in tail)
        fn.__doc__ = (fn.__doc__ or "").replace("{parts}", text).replace("{tail}", last)
        return fn

    return decorate


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


@_doc("model", "env", "mutations", "drugs", "doses", "fixed", "treatment")
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
    {parts}

    Returns
    -------
    Resolved
        ``net``, ``holds``, ``baseline``, ``changes``, ``conflicts``, ``overrides``,
        ``medium``; ``fixed()``, ``scheduled()``, ``efficacy()``, ``records()``.
    """
    m = as_model(model)
    return resolve(m.network, m.vocabulary, _treatment(treatment, env, mutations, drugs, doses, fixed))


@_doc("model", "env", "mutations", "drugs", "fixed", "treatment", "update", "method")
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

    Drugs act at full engagement here; sync attractors are fixed points and cycles with basins,
    async ones terminal strongly connected components.

    Parameters
    ----------
    {parts}
    time_limit : float, default 60.0
        Seconds the proven synchronous search may spend per input setting.
    samples : int, default 1000
        Random starts for ``method="sample"`` (and sampled basins).
    seed : int, default 0
        Seed of the random starts.
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
    found = search(
        r.net,
        update,
        method,
        fixed=r.fixed(ENGAGED),
        samples=samples,
        seed=seed,
        limit=limit,
        max_combinations=max_combinations,
        reduce=reduce,
        progress=progress,
        time_limit=time_limit,
    )
    found.treatment = treatment_settings(r)
    return found


@_doc("model", "env", "mutations", "drugs", "fixed", "treatment")
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
    {parts}
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
    return count(r.net, r.fixed(ENGAGED), update, fixed_points_only=method == "fixed-points", time_limit=time_limit)


def _no_windows(r: Resolved, verb: str) -> None:
    if r.scheduled():
        h = r.scheduled()[0]
        raise MtorsimError(f"{verb} holds nodes for the whole search; {h.node} is given a time window")


@_doc("estimate", "runs", "seed", "burn_in", "treatment_time")
def estimate_settings(
    estimate: bool = True, runs: int = 1000, seed: int = 0, burn_in: float = 20.0, treatment_time: float = 40.0
) -> EstimateSettings | None:
    """The graded continuous-time estimate's settings, checked (None when ``estimate`` is off).

    Parameters
    ----------
    {parts}

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


@_doc(
    "model",
    "env",
    "mutations",
    "drugs",
    "doses",
    "treatment",
    "update",
    "method",
    "runs",
    "seed",
    "estimate",
    "burn_in",
    "treatment_time",
    "max_combinations",
)
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

    The graded estimate: ``runs`` continuous-time trajectories settle untreated for ``burn_in``
    time units, then are treated for ``treatment_time``; readouts average its second half.

    Parameters
    ----------
    {parts}

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


@_doc("model", "update", "method", "runs", "seed", "estimate", "burn_in", "treatment_time", "max_combinations")
def check_scenarios(
    model: ModelLike,
    *,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    runs: int = 1000,
    seed: int = 0,
    estimate: bool = True,
    burn_in: float = 20.0,
    treatment_time: float = 40.0,
    max_combinations: int = MAX_COMBINATIONS,
    path: str | Path | None = None,
    only: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> CheckReport:
    """Run a scenario file and compare each readout with what the scenario expects.

    Parameters
    ----------
    {parts}
    path : str or Path, optional
        The scenario file (default: ``<stem>.scenarios.toml`` or ``scenarios.toml`` beside
        the model).
    only : sequence of str, default ()
        Run only the scenarios with these names.
    progress : callable, optional
        Called as ``progress(n, total)`` as scenarios finish.

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
        m.network,
        vocab,
        scenarios,
        update,
        method,
        estimate=est,
        progress=progress,
        max_combinations=max_combinations,
        viability=_viability_provider(m, vocab, runs, seed),
    )


def _viability_provider(
    m: Model, vocab: Vocabulary, runs: int, seed: int
) -> Callable[[Treatment], tuple[float, float]]:
    """A scenario treatment -> its relative viability and standard error (the response assay,
    ``runs`` cells), for check rows on ``Viability``."""

    def viability(treatment: Treatment) -> tuple[float, float]:
        from mtorsim.response.assay import assay_of
        from mtorsim.response.curves import viability as run

        return run(m.network, vocab, treatment, assay_of(vocab, runs=runs, seed=seed, bootstrap=0))

    return viability


@_doc("model", "update", "method", "runs", "seed", "estimate", "burn_in", "treatment_time", "max_combinations")
def run_screen(
    model: ModelLike,
    *,
    update: AttractorUpdate = "sync",
    method: Method = "auto",
    runs: int = 1000,
    seed: int = 0,
    estimate: bool = True,
    burn_in: float = 20.0,
    treatment_time: float = 40.0,
    max_combinations: int = MAX_COMBINATIONS,
    drugs: Sequence[str] | None = None,
    backgrounds: Sequence[str] | None = None,
    cohort: str | Path | None = None,
    max_combo: int = 2,
    env: Mapping[str, int] | None = None,
    sweep: Sequence[str] = (),
    readout: str | None = None,
    goal: str | None = None,
    measure: str = "readout",
    jobs: int = 1,
    scheduler: str | None = None,
    db: str | Path | None = None,
    resume: bool = False,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ScreenResult:
    """Every treatment (untreated, single drugs, combinations up to ``max_combo``) in every
    background, each cell a scenario, ranked on the response readout.

    Each cell is a scenario (see :func:`run_scenario` for its search and estimate settings).

    Parameters
    ----------
    {parts}
    drugs : sequence of str, optional
        The drugs screened (default: all of the vocabulary's).
    backgrounds : sequence of str, optional
        Genotypes: ``"wildtype"``, mutation names, or ``"A+B"`` combinations (default:
        wildtype and each mutation).
    cohort : str or Path, optional
        A genotype table (sample, gene, alteration, zygosity, lineage; see
        ``mtorsim.model.cohort``): one background per sample, instead of ``backgrounds``.
    max_combo : int, default 2
        The most drugs combined in one treatment.
    env : mapping of str to int, optional
        The medium, over the vocabulary's environment defaults.
    sweep : sequence of str, default ()
        Conditions screened at 0 and at 1.
    readout : str, optional
        The readout ranked on (default: the vocabulary's ``[model] response_readout``).
    goal : {"low", "high"}, optional
        Whether lower or higher is better (default: ``[model] goal``).
    measure : {"readout", "viability"}, default "readout"
        What a cell is: a scenario ranked on ``readout``, or the viability assay of
        :func:`dose_response` with every drug at its reference dose (clinical free Cmax where
        known; ``runs`` cells), ranked on relative viability.
    jobs : int, default 1
        Local processes running cells.
    scheduler : str, optional
        The address of a Dask scheduler that runs the cells instead.
    db : str or Path, optional
        A SQLite file that stores each cell as it finishes.
    resume : bool, default False
        Skip the cells ``db`` holds (made with the same settings).
    force : bool, default False
        Start ``db`` afresh when it holds a screen.
    progress : callable, optional
        Called as ``progress(n, total)`` as cells finish.

    Returns
    -------
    ScreenResult
        ``cells``, ``ranking(background)``, ``synergy(background)``, ``skipped``,
        ``to_dict()``, ``to_dataframe()``, ``plot()``.
    """
    from mtorsim.screening.plan import check_readout, plan
    from mtorsim.screening.screen import run_screen as run
    from mtorsim.screening.store import ScreenDB, screen_settings
    from mtorsim.screening.workers import require_dask

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
    if backgrounds is not None and not isinstance(backgrounds, str) and len(backgrounds) == 0:
        raise MtorsimError("`backgrounds` is empty: give at least one genotype, or None for the default set")
    samples = _cohort(vocab, cohort, backgrounds)
    screen_plan = plan(vocab, drugs, backgrounds, max_combo, sweep, samples=samples)
    if measure not in ("readout", "viability"):
        raise MtorsimError(f"`measure` must be 'readout' or 'viability', not {measure!r}")
    if measure == "viability":
        return _viability_screen(
            m, vocab, screen_plan, medium, runs, seed, samples, (readout, goal, jobs, db, scheduler), progress
        )
    readout = check_readout(vocab, readout)
    est = estimate_settings(estimate, runs, seed, burn_in, treatment_time)
    opts = {"max_combinations": max_combinations, "estimate": None if est is None else est.to_record()}
    settings = screen_settings(m.path, vocab, medium, update, method, readout, opts)
    store = ScreenDB(db, settings, resume=resume, force=force) if db is not None else None
    total = len(screen_plan.cells())
    try:
        result = run(
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
    if samples is not None:
        result.settings["cohort"] = [x.to_dict() for x in samples]
    return result


def _viability_screen(
    m: Model,
    vocab: Vocabulary,
    screen_plan: Any,
    medium: dict[str, int],
    runs: int,
    seed: int,
    samples: list[Any] | None,
    refused: tuple[Any, ...],
    progress: Callable[[int, int], None] | None,
) -> ScreenResult:
    """A screen whose cells are the viability assay at the drugs' reference doses."""
    from mtorsim.response.assay import assay_of
    from mtorsim.screening.screen import run_viability_screen

    readout, goal, jobs, db, scheduler = refused
    if readout is not None or goal is not None:
        raise MtorsimError("a viability screen ranks on relative viability (low is better): drop `readout` and `goal`")
    if jobs != 1 or db is not None or scheduler is not None:
        raise MtorsimError(
            "a viability screen runs in this process (every dose only weighs simulated regimes): drop `jobs`, `db` "
            "and `scheduler`"
        )
    assay = assay_of(vocab, runs=runs, seed=seed, bootstrap=0)
    total = len(screen_plan.cells())
    settings = {"model": m.name, "measure": "viability", "environment": vocab.medium(medium), "assay": assay.to_dict()}
    result = run_viability_screen(
        m.network,
        vocab,
        screen_plan,
        assay,
        env=medium,
        settings=settings,
        progress=(lambda n: progress(n, total)) if progress is not None else None,
    )
    if samples is not None:
        result.settings["cohort"] = [x.to_dict() for x in samples]
    return result


def _cohort(vocab: Vocabulary, cohort: str | Path | None, backgrounds: Sequence[str] | None) -> list[Any] | None:
    """The samples of a genotype table (None without one)."""
    from mtorsim.model.cohort import read_cohort

    if cohort is None:
        return None
    if not isinstance(cohort, str | Path):
        raise MtorsimError(f"`cohort` must be a genotype table path, not {type(cohort).__name__}")
    if backgrounds is not None:
        raise MtorsimError("give either `cohort` (a genotype table) or `backgrounds`, not both")
    samples = read_cohort(cohort, vocab)
    if not samples:
        raise MtorsimError(f"{cohort}: no samples")
    return samples


def _backgrounds(
    vocab: Vocabulary, mutations: Sequence[str], backgrounds: Sequence[str] | None, samples: list[Any] | None = None
) -> list[Any]:
    """The cohort's samples, ``backgrounds`` ("wildtype" or mutations joined by "+"), else one
    of ``mutations``."""
    from mtorsim.response.curves import Background
    from mtorsim.screening.plan import resolve_background

    if samples is not None:
        return [Background(x.name, tuple(x.mutations)) for x in samples]
    if backgrounds is not None and mutations:
        raise MtorsimError("give either `mutations` (one genotype) or `backgrounds` (several), not both")
    if backgrounds is None:
        muts = [g.named(vocab.mutation(g.name).name) for g in Treatment.of(mutations=mutations).mutations]
        return [Background("+".join(muts) or "wildtype", tuple(muts))]
    names = (backgrounds,) if isinstance(backgrounds, str) else tuple(backgrounds)
    out = []
    for text in names:
        b = resolve_background(vocab, text)
        out.append(Background(b.label, b.mutations))
    return out


def _drug_sets(drugs: Sequence[str] | Sequence[Sequence[str]] | str) -> list[list[str]]:
    """Drug sets: a name, ``"A+B"`` (a combination) or a list of names, for each entry."""
    if not isinstance(drugs, str | list | tuple):
        raise MtorsimError(f"`drugs` must be a drug name or a list of names, e.g. ['everolimus'], not {drugs!r}")
    items = [drugs] if isinstance(drugs, str) else list(drugs)
    out = []
    for item in items:
        if isinstance(item, str):
            out.append([x.strip() for x in item.split("+") if x.strip()])
        elif isinstance(item, list | tuple) and all(isinstance(x, str) for x in item):
            out.append(list(item))
        else:
            raise MtorsimError(f"`drugs`: each entry is a drug name, 'A+B' or a list of names, not {item!r}")
    if not out or any(not s for s in out):
        raise MtorsimError("`drugs` must name at least one drug, e.g. drugs=['everolimus']")
    return out


@_doc("model", "env", "mutations", tail=("threads", "populations"))
def dose_response(
    model: ModelLike,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] | Sequence[Sequence[str]] | str,
    backgrounds: Sequence[str] | None = None,
    cohort: str | Path | None = None,
    doses: Sequence[float] | None = None,
    runs: int = 1000,
    seed: int = 0,
    strata: int | None = None,
    bootstrap: int = 200,
    assay_time: float | None = None,
    threads: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DoseResponse:
    """Dose-response curves of a simulated cell population: viability, GR, IC50/GR50,
    Emax/GRmax and AUC with 95% intervals, per genotype and drug set.

    Each cell follows the model's continuous-time dynamics, divides at a rate set by its
    proliferation readout and dies at a rate set by its survival readout (the vocabulary's
    ``[model.assay]``); a dose engages each target by its potency (Hill occupancy) in that share
    of the cells, all or none in each cell (``mtorsim.treatment.regimes``), so every engagement
    regime is simulated once and each dose only weighs them. See ``mtorsim.response``.

    Parameters
    ----------
    {parts}
    drugs : str or sequence of str or sequence of sequences of str
        The drug sets, one curve each: a name, ``"A+B"`` or a list of names (a fixed-ratio
        combination, dosed as multiples of each drug's reference dose).
    backgrounds : sequence of str, optional
        Several genotypes, each ``"wildtype"`` or mutations joined by ``"+"`` (instead of
        ``mutations``).
    cohort : str or Path, optional
        A genotype table (sample, gene, alteration, zygosity, lineage; see
        ``mtorsim.model.cohort``): one curve per sample and drug set, instead of ``backgrounds``.
    doses : sequence of float, optional
        The dose grid, increasing, in the drug's unit (combinations: multiples of the reference
        doses); default: 9 log-spaced doses around the target's IC50 and the clinical exposure.
    runs : int, default 1000
        Simulated cells (every dose and potency stratum weighs the same cells).
    seed : int, default 0
        The random seed; the same seed gives the same numbers.
    strata : int, optional
        Potency strata of the cell-to-cell variation (default: the assay's, 16).
    bootstrap : int, default 200
        Bootstrap resamples of the cells for the intervals (0: none).
    assay_time : float, optional
        Hours of treatment (default: the assay's, 72).
    {tail}

    Returns
    -------
    DoseResponse
        ``curves`` (background, drugs, doses, viability, gr, ic50, gr50, emax, grmax, auc and
        intervals, exposure, engagement, notes), ``settings``; ``to_dict()``,
        ``to_dataframe()``, ``plot()``.
    """
    from mtorsim.response.assay import assay_of
    from mtorsim.response.curves import dose_response as run

    m = as_model(model)
    vocab = _vocab(m, "drugs")
    medium = Treatment.of(env=env).env
    for name in medium:
        vocab.condition(name)
    assay = assay_of(
        vocab, runs=runs, seed=seed, strata=strata, bootstrap=bootstrap, assay_time=assay_time, threads=threads
    )
    samples = _cohort(vocab, cohort, backgrounds)
    if samples is not None and mutations:
        raise MtorsimError("give either `cohort` (a genotype table) or `mutations`, not both")
    bgs = _backgrounds(vocab, mutations, backgrounds, samples)
    grid = None if doses is None else [float(x) for x in doses]
    result = run(m.network, vocab, bgs, _drug_sets(drugs), assay, grid, medium, progress)
    result.settings.update({"model": m.name, "environment": vocab.medium(medium)})
    if samples is not None:
        result.settings["cohort"] = [x.to_dict() for x in samples]
    return result


@_doc("model", tail=("threads", "populations"))
def validate(
    model: ModelLike,
    *,
    table: str | Path | None = None,
    runs: int = 300,
    seed: int = 0,
    margin: float = 0.05,
    only: Sequence[str] = (),
    threads: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationResult:
    """The model against published genotype-drug facts: each fact's genotype and comparator are
    grown under its drug (the viability assay of :func:`dose_response`) and the difference of
    their areas under the viability curve predicts "sensitive", "resistant" or "same".

    Parameters
    ----------
    {parts}
    table : str or Path, optional
        The facts (TSV; default: ``validation.tsv`` beside the model). See
        ``mtorsim.validation.facts`` for the columns.
    runs : int, default 300
        Simulated cells per population.
    seed : int, default 0
        The random seed; the same seed gives the same numbers.
    margin : float, default 0.05
        A difference of viability AUC smaller than this predicts "same".
    only : sequence of str, default ()
        Pose only the facts with these ids.
    {tail}

    Returns
    -------
    ValidationResult
        ``rows`` (per fact: expected, AUCs, predicted, match, reference), ``scores()`` (all,
        cells and animals, patients only, confirmed; each with the commonest-answer baseline),
        ``to_dict()``, ``to_dataframe()``.
    """
    from mtorsim.errors import did_you_mean
    from mtorsim.model.catalog import validation_path
    from mtorsim.response.assay import assay_of
    from mtorsim.validation.facts import read_facts
    from mtorsim.validation.score import validate as run

    if table is not None and not isinstance(table, str | Path):
        raise MtorsimError(f"`table` must be a facts table path, not {type(table).__name__}")
    if not (isinstance(margin, int | float) and 0 <= margin < 1):
        raise MtorsimError(f"`margin` must be a number in [0, 1), not {margin!r}")
    m = as_model(model)
    vocab = _vocab(m, "drugs")
    path = Path(table) if table is not None else validation_path(m.path)
    facts = read_facts(path, vocab)
    wanted = {only} if isinstance(only, str) else set(only)
    unknown = wanted - {f.id for f in facts}
    if unknown:
        hint = did_you_mean(sorted(unknown)[0], [f.id for f in facts])
        raise MtorsimError(f"`only`: no fact {', '.join(sorted(unknown))} in {path}" + (f"; {hint}" if hint else ""))
    if wanted:
        facts = [f for f in facts if f.id in wanted]
    assay = assay_of(vocab, runs=runs, seed=seed, bootstrap=0, threads=threads)
    result = run(m.network, vocab, facts, assay, float(margin), progress)
    result.settings.update({"model": m.name, "table": str(path), "assay": assay.to_dict()})
    return result


@_doc("model", "env", "mutations", tail=("threads", "populations"))
def window(
    model: ModelLike,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] | str,
    doses: Sequence[float] | None = None,
    tumour_goal: float = 0.5,
    tolerance: float = 0.2,
    contexts: Sequence[str] | None = None,
    runs: int = 1000,
    seed: int = 0,
    strata: int | None = None,
    threads: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> WindowResult:
    """The therapeutic window of one treatment: the tumour's dose-response beside the normal
    contexts the vocabulary names (``[model.contexts]``: for ``mtor`` insulin-responsive tissue
    and T cells) under the same doses, the dose range where the tumour responds while every
    normal readout stays within ``tolerance`` of untreated, and the selectivity.

    Parameters
    ----------
    {parts}
    drugs : str or sequence of str
        The treatment: one drug, or several (``"A+B"`` or a list) given together at a fixed ratio
        of their reference doses.
    doses : sequence of float, optional
        The dose grid (the drug's unit; combinations: multiples of the reference doses).
    tumour_goal : float, default 0.5
        The fall in tumour viability sought (0.5: viability at most 0.5).
    tolerance : float, default 0.2
        How far a normal readout may move from untreated.
    contexts : sequence of str, optional
        The contexts to include (default: all the vocabulary names).
    runs : int, default 1000
        Simulated cells per population (and trajectories per context estimate).
    seed : int, default 0
        The random seed; the same seed gives the same numbers.
    strata : int, optional
        Potency strata of the cell-to-cell variation (default: the assay's).
    {tail}

    Returns
    -------
    WindowResult
        ``tumour`` (a dose-response curve), ``contexts`` (readout curves), ``window``,
        ``selectivity``, ``efficacy_dose``, ``toxicity_dose``, ``limiting``, ``to_dict()``,
        ``plot()``.
    """
    from mtorsim.errors import did_you_mean
    from mtorsim.model.load import load_model as load
    from mtorsim.response.assay import assay_of
    from mtorsim.selectivity.window import therapeutic_window

    m = as_model(model)
    vocab = _vocab(m, "drugs")
    named = vocab.contexts()
    if not named:
        raise MtorsimError(
            f"{vocab.source}: names no normal contexts; add [model.contexts.NAME] with model = ... and readouts = [...]"
        )
    chosen = list(contexts) if contexts else list(named)
    for c in chosen:
        if c not in named:
            hint = did_you_mean(c, named)
            raise MtorsimError(
                f"`contexts`: no context '{c}'" + (f"; {hint}" if hint else f" (known: {', '.join(named)})")
            )
    medium = Treatment.of(env=env).env
    names = [d for s in _drug_sets(drugs) for d in s]  # one treatment: every drug given together
    loaded = {c: (load(named[c]["model"]), named[c]["readouts"], named[c]["env"]) for c in chosen}
    assay = assay_of(vocab, runs=runs, seed=seed, strata=strata, bootstrap=0, threads=threads)
    (bg,) = _backgrounds(vocab, mutations, None)
    grid = None if doses is None else [float(x) for x in doses]
    result = therapeutic_window(
        m,
        loaded,
        bg,
        names,
        assay,
        doses=grid,
        env=medium,
        tumour_goal=tumour_goal,
        tolerance=tolerance,
        progress=progress,
    )
    result.settings["model"] = m.name
    return result


def _goal(vocab: Vocabulary, goal: str | None, readout: str | None = None) -> Any:
    """The goal parsed (default: the response readout at most 0.25, or at least 0.75 for a
    readout that should rise)."""
    from mtorsim.intervention.goal import Goal

    if goal is not None and not isinstance(goal, str):
        raise MtorsimError(f"`goal` must be text such as 'TumourGrowth<=0.25', not {type(goal).__name__}")
    if goal is None:
        name = readout or vocab.response_readout()
        if name is None:
            raise MtorsimError("give `goal` (e.g. 'Proliferation<=0.25'): the vocabulary names no response readout")
        low = vocab.model.get("goal", "low") == "low"
        goal = f"{name}<=0.25" if low else f"{name}>=0.75"
    g = Goal.parse(goal, vocab.readouts)
    if readout is not None and g.readout != readout:
        raise MtorsimError(f"`goal` reads {g.readout} but `readout` is {readout}: give one readout")
    return g


def _whole_names(value: Sequence[str] | str | None, parameter: str) -> list[str]:
    if value is None:
        return []
    names = [value] if isinstance(value, str) else list(value)
    for n in names:
        if not isinstance(n, str):
            raise MtorsimError(f"`{parameter}` must be names (text), not {type(n).__name__}")
    return names


@_doc("model", "env", "mutations")
def control(
    model: ModelLike,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    goal: str | None = None,
    drugs: Sequence[str] = (),
    candidates: Sequence[str] | None = None,
    doses: Mapping[str, float] | None = None,
    max_drugs: int = 3,
    backgrounds: Sequence[str] | None = None,
    any_node: bool = False,
    estimate: bool = True,
    top: int = 10,
    runs: int = 1000,
    seed: int = 0,
    selectivity: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ControlResult:
    """The smallest drug sets that bring a readout to a goal in every attractor, ranked.

    Drugs act at their doses (``doses``, else each drug's reference dose: its clinical free Cmax
    where the vocabulary gives one); a target engaged at least half counts as inhibited in the
    attractors. Drugs engaging the same targets form one class, searched once. Every solution
    is minimal and certified by the exact attractors (percolation, else the attractor search);
    each gets its robustness over update schemes, ``backgrounds`` and a range of doses, and the
    first ``top`` the graded continuous-time estimate (and, with ``selectivity``, the
    therapeutic window's selectivity).

    Parameters
    ----------
    {parts}
    goal : str, optional
        ``"READOUT<=VALUE"`` (or ``>=``, ``<``, ``>``); default: the response readout at most 0.25.
    drugs : sequence of str, default ()
        Drugs already given: the search adds to them.
    candidates : sequence of str, optional
        The drugs to search (default: every drug with a target in the model).
    doses : mapping of str to float, optional
        Drug -> dose in the drug's unit, over the reference doses.
    max_drugs : int, default 3
        The largest set tried (classes of equivalent drugs count once).
    backgrounds : sequence of str, optional
        Other genotypes ("wildtype" or mutations joined by "+") over which robustness is read.
    any_node : bool, default False
        Also search node interventions upstream of the readout (target discovery); a node no
        drug holds is marked.
    estimate : bool, default True
        Give the first ``top`` solutions the graded continuous-time estimate.
    top : int, default 10
        How many solutions get the estimate (and selectivity).
    runs : int, default 1000
        Trajectories of each graded estimate (and cells of each window population).
    seed : int, default 0
        The random seed; the same seed gives the same numbers.
    selectivity : bool, default False
        Compute each of the first ``top`` drug-only solutions' therapeutic window (slow: seconds each).
    progress : callable, optional
        Called as ``progress(n, total)`` as sets are decided.

    Returns
    -------
    ControlResult
        ``solutions`` (each with ``drugs``, ``doses``, ``value``, ``certified``, ``robustness``,
        ``estimate``, ``equivalents``), ``complete``, ``searched``, ``to_dict()``.
    """
    from mtorsim.intervention.control import check_max_size, drug_control, rank_solution
    from mtorsim.intervention.search import Solution

    m = as_model(model)
    vocab = _vocab(m, "drugs")
    check_max_size(max_drugs)
    if isinstance(top, bool) or not isinstance(top, int) or top < 0:
        raise MtorsimError(f"`top` must be a whole number >= 0, not {top!r}")
    g = _goal(vocab, goal)
    t = Treatment.of(env, mutations, _whole_names(drugs, "drugs"), doses)
    for given in t.mutations + t.drugs:
        if given.scheduled:
            raise MtorsimError(f"{given.text}: control takes no time windows; give the name alone")
    (bg,) = _backgrounds(vocab, mutations, None)
    others = [(b.label, tuple(b.mutations)) for b in _backgrounds(vocab, (), list(backgrounds))] if backgrounds else []
    est = estimate_settings(estimate, runs, seed)
    result = drug_control(
        m.network,
        vocab,
        g,
        env=t.env,
        mutations=list(bg.mutations),
        background=bg.label,
        base_drugs=t.drug_names,
        candidates=_whole_names(candidates, "candidates") or None,
        doses=t.doses,
        max_size=max_drugs,
        any_node=any_node,
        backgrounds=others,
        estimate=est,
        top=top,
        progress=progress,
    )
    if selectivity:
        chosen: list[Solution] = [s for s in result.solutions[:top] if not s.nodes]
        for s in chosen:
            w = window(m, env=env, mutations=list(bg.mutations), drugs=t.drug_names + s.drugs, runs=runs, seed=seed)
            s.selectivity = w.selectivity if w.selectivity is not None else w.selectivity_at_least
        result.solutions.sort(key=rank_solution)
        result.notes.append(
            "selectivity: the therapeutic window's harm dose over response dose for the whole set at a fixed "
            "ratio of reference doses (a lower bound where no harm is seen on the grid); it breaks ties of size, "
            "robustness and dose margin"
        )
    result.settings["model"] = m.name
    return result


@_doc("model", "env", "mutations")
def explain(
    model: ModelLike,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] | str,
    doses: Mapping[str, float] | None = None,
    readout: str | None = None,
    goal: str | None = None,
    max_size: int = 2,
    max_drugs: int = 2,
) -> ExplainResult:
    """Why ``drugs`` leave a readout above its goal: the escape routes, computed.

    The escapes are the minimal sets of nodes (up to ``max_size``) whose state, held against
    the drugs, keeps the readout from its goal: flipping them brings every attractor to the
    goal. Each is traced from the drugs' targets to the readout (signed paths) and called
    *feedback* (the drugs raise it through a negative loop they relieve), *incomplete* (downstream
    of a target, the inhibition does not reach it) or *bypass* (no path from the targets: a
    parallel route), with the added drug sets (up to ``max_drugs``) that close it.

    Parameters
    ----------
    {parts}
    drugs : str or sequence of str
        The treatment that fails.
    doses : mapping of str to float, optional
        Drug -> dose in the drug's unit (default: each drug's reference dose).
    readout : str, optional
        The readout (default: the goal's, else the vocabulary's response readout).
    goal : str, optional
        ``"READOUT<=VALUE"``; default: the readout at most 0.25 (at least 0.75 if it should rise).
    max_size : int, default 2
        The largest node set tried as an escape.
    max_drugs : int, default 2
        The largest added drug set tried to close an escape.

    Returns
    -------
    ExplainResult
        ``value``, ``untreated``, ``escapes`` (each ``nodes``, ``kind``, ``paths``, ``closed_by``,
        ``certified``), ``complete``, ``to_dict()``.
    """
    from mtorsim.intervention.control import check_max_size
    from mtorsim.intervention.escapes import find_escapes

    m = as_model(model)
    vocab = _vocab(m, "drugs")
    g = _goal(vocab, goal, readout)
    check_max_size(max_drugs)
    if isinstance(max_size, bool) or not isinstance(max_size, int) or not 1 <= max_size <= 3:
        raise MtorsimError(f"`max_size` must be a whole number from 1 to 3, not {max_size!r}")
    names = _whole_names(drugs, "drugs")
    if not names:
        raise MtorsimError("`drugs`: give the treatment to explain (at least one drug)")
    t = Treatment.of(env, mutations, names, doses)
    for given in t.mutations + t.drugs:
        if given.scheduled:
            raise MtorsimError(f"{given.text}: explain takes no time windows; give the name alone")
    (bg,) = _backgrounds(vocab, mutations, None)
    result = find_escapes(
        m.network,
        vocab,
        g,
        env=t.env,
        mutations=list(bg.mutations),
        drugs=t.drug_names,
        doses=t.doses,
        max_size=max_size,
        max_drugs=max_drugs,
    )
    result.settings.update({"model": m.name, "background": bg.label})
    return result
