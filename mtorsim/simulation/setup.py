"""One simulation from what the user gave: the model's shipped settings under the given values,
the vocabulary's medium, mutations and drugs (for the whole run or a time window), held nodes,
initial conditions and rates, then the discrete or continuous-time run.

:func:`simulate` is ``mtorsim.simulate``, and ``mtorsim simulate`` calls it; a parameter left
at None takes the model's shipped setting (``simulate.toml``), then the .cfg's (continuous
time), then the fallback below. Messages name parameters in backquotes (the CLI shows flags)
and warnings are :class:`mtorsim.errors.MtorsimWarning`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtorsim.errors import MtorsimError, MtorsimWarning
from mtorsim.model import Model, as_model
from mtorsim.network import Network
from mtorsim.treatment.describe import treatment_settings
from mtorsim.treatment.records import Hold
from mtorsim.treatment.resolve import resolve
from mtorsim.treatment.treatment import Treatment
from mtorsim.types import SimulationUpdate

if TYPE_CHECKING:
    from mtorsim.simulation.initial import InitialSpec
    from mtorsim.simulation.results import ContinuousResult, SimulationResult

STEPS = 20  # sync and random-order length, in steps
TIME = 25.0  # async and continuous-time length, in time units
RUNS = 1  # discrete schemes: one trajectory
CONTINUOUS_RUNS = 1000
INIT_DEFAULT = "0"
FAST_RATIO = 5.0
TIME_TICK = 1.0


def default_update(net: Network, settings: Mapping[str, Any], given: SimulationUpdate | None) -> SimulationUpdate:
    """``given``, else the shipped setting, else continuous time for a MaBoSS model, else sync."""
    if given is not None:
        return given
    if "update" in settings:
        return settings["update"]
    return "continuous" if net.meta.get("rates") is not None else "sync"


def _initial(
    net: Network,
    init_file: str | Path | None,
    init: Mapping[str, float | str],
    init_groups: Sequence[tuple[Sequence[str], float | str]],
    init_default: float | str | None,
) -> tuple[InitialSpec, InitialSpec]:
    """(from the file or the model's declared values, from the parameters) initial conditions."""
    from mtorsim.simulation.initial import InitialSpec, parse_value, read_initial_file

    def value(v: float | str, what: str) -> float:
        return parse_value(str(v), what)

    spec = read_initial_file(init_file, net) if init_file else InitialSpec()
    # initial values the model file declares (SBML initialLevel, BooleanNet 'A = True' lines)
    declared = {**(net.meta.get("initial") or {}), **{n: 0.5 for n in net.meta.get("initial_random") or []}}
    if declared and not init_file:
        spec = InitialSpec({k: float(v) for k, v in declared.items() if k in net}, spec.groups, spec.default)
    values = {}
    for name, v in init.items():
        net.index(name)
        values[name] = value(v, f"`init` {name}={v}")
    groups = []
    for members, p in init_groups:
        for n in members:
            net.index(n)
        groups.append((tuple(members), value(p, f"`init_groups` {','.join(members)}={p}")))
    default = spec.default
    if init_default is not None or not init_file:
        default = value(INIT_DEFAULT if init_default is None else init_default, "`init_default`")
    return spec, InitialSpec(values, tuple(groups), default)


def _check_settings(threads: object, length: object, progress: object) -> None:
    """The run's settings by type, before any work."""
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise MtorsimError(f"`threads` must be at least 1 (a whole number), not {threads!r}")
    if length is not None and (
        isinstance(length, bool) or not isinstance(length, int | float) or not math.isfinite(length) or length <= 0
    ):
        raise MtorsimError(f"`length` must be a positive finite number, not {length!r} (steps or time units)")
    if progress is not None and not callable(progress):
        raise MtorsimError(f"`progress` must be a function called as progress(n, total), not {progress!r}")


def simulate(
    model: Model | Network | str | Path,
    *,
    env: Mapping[str, int] | None = None,
    mutations: Sequence[str] = (),
    drugs: Sequence[str] = (),
    doses: Mapping[str, float] | None = None,
    fixed: Mapping[str, int] | None = None,
    holds: Sequence[Hold] = (),
    treatment: Treatment | None = None,
    update: SimulationUpdate | None = None,
    length: float | None = None,
    runs: int | None = None,
    seed: int | None = None,
    every: float | None = None,
    threads: int | None = None,
    init: Mapping[str, float | str] | None = None,
    init_groups: Sequence[tuple[Sequence[str], float | str]] = (),
    init_default: float | str | None = None,
    init_file: str | Path | None = None,
    rates_file: str | Path | None = None,
    slow: str | Path | None = None,
    fast_ratio: float | None = None,
    scores: Sequence[str] | None = None,
    cfg: str | Path | Sequence[str | Path] = (),
    params: Mapping[str, float] | None = None,
    time_tick: float | None = None,
    discrete_time: bool | None = None,
    top_states: int = 10,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Simulate trajectories of a model in its medium, with mutations, drugs and held nodes.

    Parameters left at None take the shipped model's published settings (``simulate.toml``),
    then the fallbacks named here.

    Parameters
    ----------
    model : Model or Network or str or Path
        The model: a loaded :class:`Model`, a bare network, a model file or a shipped name.
    env : mapping of str to int, optional
        The medium: condition -> 0 or 1 over the vocabulary's defaults.
    mutations : sequence of str, default ()
        Vocabulary mutations, for the whole run or a window (``"NAME@5-10"``, ``"NAME@5-"``).
    drugs : sequence of str, default ()
        Vocabulary drugs, for the whole run or a window (node holds only).
    doses : mapping of str to float, optional
        Drug -> dose in the drug's unit; its targets are engaged by potency (Hill).
    fixed : mapping of str to int, optional
        Node -> 0 or 1 for the whole run; wins over the vocabulary's holds.
    holds : sequence of Hold, default ()
        Node holds in time windows (:class:`mtorsim.treatment.Hold`).
    treatment : Treatment, optional
        All of the above as one value, instead of the keywords.
    update : {"sync", "async", "random-order", "continuous"}, optional
        The scheme (default sync; continuous for a MaBoSS model).
    length : float, optional
        Steps for sync and random-order (default 20), time units for async and continuous time
        (default 25; continuous: the .cfg's ``max_time``).
    runs : int, optional
        Trajectories (default 1; continuous time: the .cfg's ``sample_count``, else 1000).
    seed : int, optional
        The random seed (default 0; continuous time: the .cfg's ``seed_pseudorandom``).
    every : float, optional
        Sampling interval in steps or time units (continuous time: ``time_tick``).
    threads : int, optional
        Worker threads (default: all cores); the numbers never depend on it.
    init : mapping of str to float or str, optional
        Initial values: node -> 0, 1, ``"random"`` or a probability.
    init_groups : sequence of (nodes, value), default ()
        Groups of nodes that share one random draw per run.
    init_default : float or str, optional
        The initial value of nodes given no other (default 0).
    init_file : str or Path, optional
        A file of ``node<TAB>value`` initial values.
    rates_file : str or Path, optional
        Async rates: a file of ``node rate`` lines.
    slow : str or Path, optional
        Async rates: a file of slow nodes; the others are ``fast_ratio`` times faster.
    fast_ratio : float, optional
        How much faster the fast nodes are (default 5).
    scores : sequence of str, optional
        Level scores ``"NODE=w1,w2,..."`` (discrete schemes).
    cfg : str or Path or sequence of them, default ()
        Continuous time: MaBoSS .cfg files (later ones win).
    params : mapping of str to float, optional
        Continuous time: $parameter values.
    time_tick : float, optional
        Continuous time: the averaging window.
    discrete_time : bool, optional
        Continuous time: MaBoSS's discrete_time (every transition takes one tick).
    top_states : int, default 10
        Continuous time: the most probable states kept per window; 0 does not track states at all
        (no state probabilities or state entropy H: faster, and the memory is only the node
        probabilities).
    progress : callable, optional
        Called as ``progress(n, total)`` when n more runs finish.

    Returns
    -------
    SimulationResult
        ``times`` (samples,), ``mean`` (samples x nodes, float64: the fraction of runs with each
        node on; time-averaged in each window for continuous time, a :class:`ContinuousResult`
        with errors, states and entropies), ``nodes``, ``settings``; ``to_dict()``,
        ``to_dataframe()``, ``plot()``.
    """
    from mtorsim.simulation.rates import read_rates, slow_fast_rates

    m = as_model(model)
    net, vocab, settings = m.network, m.vocabulary, m.settings
    upd = default_update(net, settings, update)
    if upd not in ("async", "continuous") and (rates_file is not None or slow is not None):
        warnings.warn(
            f"rates only matter for async or continuous time; ignored for {upd}", MtorsimWarning, stacklevel=2
        )
    runs = runs if runs is not None else settings.get("runs")
    every = every if every is not None else settings.get("every", 1)
    init_file = init_file if init_file is not None else settings.get("init_file")
    slow = slow if slow is not None else settings.get("slow")
    rates_file = rates_file if rates_file is not None else settings.get("rates")
    if fast_ratio is not None and not slow:
        raise MtorsimError("`fast_ratio` sets the speed of the nodes `slow` does not list; give `slow` too, or drop it")
    fast_ratio = fast_ratio if fast_ratio is not None else settings.get("fast_ratio", FAST_RATIO)
    if scores is None:
        scores = settings.get("score", ()) if upd != "continuous" else ()
    _check_settings(threads, length, progress)
    if rates_file and slow:
        raise MtorsimError("give either `rates` or `slow`, not both")

    if treatment is None:
        treatment = Treatment.of(env, mutations, drugs, doses, fixed, holds)
    elif env or mutations or drugs or doses or fixed or holds:
        raise MtorsimError("give either `treatment` or its parts (`env`, `mutations`, `drugs`, ...), not both")
    resolved = resolve(net, vocab, treatment)
    for line in resolved.conflicts:
        warnings.warn(f"conflict: {line}", MtorsimWarning, stacklevel=2)
    for line in resolved.overrides:
        warnings.warn(line, MtorsimWarning, stacklevel=2)
    net = resolved.net
    fixed_all, holds_all, efficacy = resolved.fixed(), resolved.scheduled(), resolved.efficacy()
    medium = resolved.medium if vocab is not None else None

    file_init, given_init = _initial(net, init_file, init or {}, init_groups, init_default)
    rates = None
    if rates_file:
        rates = read_rates(rates_file, net)
    elif slow:
        rates = slow_fast_rates(slow, net, fast_ratio)
    if upd != "continuous" and (cfg or params):
        raise MtorsimError(
            f"`cfg` and `params` set MaBoSS continuous-time runs, and this run is {upd}: give update='continuous' "
            "(--update continuous), or drop them"
        )
    if upd == "continuous":
        if scores:
            raise MtorsimError(
                "`scores` is not available with continuous time; read the levels' probabilities from the node columns"
            )
        result: SimulationResult | ContinuousResult = _continuous(
            net,
            m.path,
            [cfg] if isinstance(cfg, str | Path) else list(cfg),
            params or {},
            file_init,
            given_init,
            init_default is not None,
            rates,
            fixed_all,
            holds_all,
            efficacy,
            runs,
            seed,
            length,
            time_tick,
            discrete_time,
            threads,
            top_states,
            progress,
        )
    else:
        from mtorsim.simulation.discrete import check_windows
        from mtorsim.simulation.discrete import simulate as run
        from mtorsim.simulation.scores import LevelScore

        if length is None:
            length = settings.get("time", TIME) if upd == "async" else settings.get("steps", STEPS)
        check_windows(holds_all, length, upd)
        total = RUNS if runs is None else runs
        level_scores = [LevelScore.parse(s, net) for s in scores]
        result = run(
            net,
            update=upd,
            length=length,
            runs=total,
            init=file_init.merged(given_init),
            fixed=fixed_all,
            rates=rates,
            seed=0 if seed is None else seed,
            schedule=holds_all,
            efficacy=efficacy,
            every=every,
            scores=level_scores,
            threads=threads,
            progress=(lambda n: progress(n, total)) if progress is not None and total >= 100 else None,
        )
        result.settings.update({"model": str(net.source), "init_default": given_init.default})
    # what the run used: the medium (the vocabulary's defaults, then env), genotype and drugs
    result.settings.update({"environment": medium, **treatment_settings(resolved)})
    return result


def _continuous(
    net: Network,
    model_path: str | Path | None,
    cfgs: Sequence[str | Path],
    params: Mapping[str, float],
    file_init: InitialSpec,
    given_init: InitialSpec,
    default_given: bool,
    rates,
    fixed: Mapping[str, int],
    holds: Sequence[Hold],
    efficacy: Mapping[str, float],
    runs: int | None,
    seed: int | None,
    max_time: float | None,
    time_tick: float | None,
    discrete_time: bool | None,
    threads: int | None,
    top_states: int,
    progress: Callable[[int, int], None] | None,
) -> ContinuousResult:
    """Continuous time: the .cfg files (or MODEL.cfg beside a .bnd), then the parameters on top."""
    from mtorsim.compiler.ratelaws import RateSpec
    from mtorsim.simulation.continuous import simulate_continuous
    from mtorsim.simulation.initial import InitialSpec
    from mtorsim.simulation.runconfig import load_run_config, sibling_cfg

    files = list(cfgs)
    notes = []
    beside = sibling_cfg(model_path) if model_path is not None else None
    if not files and net.meta.get("rates") is not None and beside:
        files = [beside]
        notes.append(f"reading {beside}")
    rc = load_run_config(net, files, {k.lstrip("$"): float(v) for k, v in params.items()})
    spec = rc.rates
    if rates is not None:
        if net.meta.get("rates"):
            raise MtorsimError("`rates`/`slow` replace every node's rates; this model has its own rate expressions")
        spec = RateSpec.constant(net, rates)
    init = rc.init
    if file_init.values or file_init.groups:
        init = init.merged(InitialSpec(file_init.values, file_init.groups, init.default))
    base_default = given_init.default if (default_given or not files) else init.default
    init = init.merged(InitialSpec(given_init.values, given_init.groups, base_default))

    def pick(value, key: str, fallback):
        if value is not None:
            return value
        return rc.setting(key) if files else fallback

    runs = pick(runs, "sample_count", CONTINUOUS_RUNS)
    seed = pick(seed, "seed_pseudorandom", 0)
    length = pick(max_time, "max_time", TIME)
    tick = pick(time_tick, "time_tick", TIME_TICK)
    discrete = bool(discrete_time) if discrete_time is not None else bool(rc.setting("discrete_time") if files else 0)
    if top_states < 0:
        raise MtorsimError(f"`top_states` must be 0 or more, not {top_states}")
    result = simulate_continuous(
        net,
        spec,
        max_time=length,
        time_tick=tick,
        runs=runs,
        seed=seed,
        init=init,
        fixed=fixed,
        efficacy=efficacy,
        schedule=holds,
        sets=rc.sets,
        discrete_time=discrete,
        internal=rc.internal,
        refstate=rc.refstate,
        threads=threads,
        top_states=top_states,
        track_states=top_states > 0,
        progress=(lambda n: progress(n, runs)) if progress is not None and runs >= 100 else None,
    )
    result.settings.update({"model": str(net.source), "cfg": [str(f) for f in files], "init_default": init.default})
    result.notes = notes + rc.notes + result.notes
    return result
