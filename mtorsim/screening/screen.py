"""Drug-combination screens: every treatment (none, single drugs, pairs, ...) over genotype
backgrounds, each cell one scenario; then a ranking of the treatments, Bliss-independence and
highest-single-agent synergy, and compensation (readouts that rise under treatment).

Cells are written to an optional SQLite database as soon as they finish, so an interrupted
screen can be resumed; the database records the screen's settings and refuses to mix results
from different settings. The parts: ``plan`` (what is run), ``cells`` (one cell), ``store``
(the database), ``workers`` (processes and Dask), ``result`` (ranking and synergy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mtorsim.errors import MtorsimError
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.response.assay import Assay
from mtorsim.screening.cells import normalise_cell, run_cell
from mtorsim.screening.plan import ScreenPlan, check_readout, default_goal, readout_ceiling
from mtorsim.screening.result import ScreenResult
from mtorsim.screening.store import ScreenDB, _stored_cells
from mtorsim.screening.workers import _run_dask, _run_processes


def _check_run(
    vocab: Vocabulary, env: Mapping[str, int] | None, goal: str, jobs: int, scheduler: str | None
) -> dict[str, int]:
    """The screen's medium, after checking it and how the cells are to run."""
    if goal not in ("low", "high"):
        raise MtorsimError(f"goal must be 'low' or 'high', not '{goal}'")
    if jobs < 1:
        raise MtorsimError(f"`jobs` must be 1 or more, not {jobs}")
    if scheduler is not None and jobs != 1:
        raise MtorsimError(
            "`jobs` and `scheduler` exclude each other: `jobs` N runs cells in local processes, "
            "`scheduler` runs them on the Dask cluster's workers"
        )
    medium = dict(env or {})
    for name, value in medium.items():
        vocab.condition(name)
        if value not in (0, 1):
            raise MtorsimError(f"environment condition {name}: the value must be 0 or 1, not {value!r}")
    return medium


def run_screen(
    net: Network,
    vocab: Vocabulary,
    screen: ScreenPlan,
    *,
    env: Mapping[str, int] | None = None,
    update: str = "sync",
    method: str = "auto",
    readout: str | None = None,
    goal: str | None = None,
    jobs: int = 1,
    db: ScreenDB | None = None,
    settings: Mapping | None = None,
    progress: Callable[[int], None] | None = None,
    options: Mapping | None = None,
    scheduler: str | None = None,
) -> ScreenResult:
    """Run every cell not already in ``db`` (locally, in ``jobs`` processes, or on the Dask
    cluster whose scheduler listens at ``scheduler``); ``progress(n)`` is called as cells finish
    (n = 1 per cell, including skipped ones). Cells are stored in ``db`` by this process as they
    finish, in whatever order; the result is always in the plan's order."""
    readout = check_readout(vocab, readout)
    goal = default_goal(vocab, readout) if goal is None else goal
    env = _check_run(vocab, env, goal, jobs, scheduler)
    options = dict(options or {})
    wanted = [(b.label, t) for b, t in screen.cells()]
    by_label = {b.label: b for b in screen.backgrounds}
    cells = _stored_cells(db, wanted, vocab)
    skipped = len(cells)
    if progress and skipped:
        progress(skipped)
    todo = [
        (label, by_label[label].mutations, t, by_label[label].env) for label, t in wanted if (label, t) not in cells
    ]

    def finish(key, result):
        label, _, t, _ = key
        result = normalise_cell(result, vocab)
        cells[(label, t)] = result
        if db is not None:
            db.add(label, t, result)
        if progress:
            progress(1)

    if scheduler is not None:
        if todo:
            _run_dask(scheduler, todo, finish, net, vocab, env, update, method, options)
    elif jobs == 1 or len(todo) <= 1:
        for key in todo:
            finish(key, run_cell(net, vocab, {**env, **dict(key[3])}, key[1], key[2], update, method, options))
    else:
        _run_processes(jobs, todo, finish, net, vocab, env, update, method, options)
    return ScreenResult(screen, cells, readout, goal, readout_ceiling(vocab, readout), dict(settings or {}), skipped)


VIABILITY = "Viability"
"""The readout a viability screen ranks on: cells relative to untreated after the assay."""


def run_viability_screen(
    net: Network,
    vocab: Vocabulary,
    screen: ScreenPlan,
    assay: Assay,
    *,
    env: Mapping[str, int] | None = None,
    settings: Mapping | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScreenResult:
    """Every cell as the viability assay (``mtorsim.response``) with each drug at its reference
    dose (clinical free Cmax where known): relative viability with its standard error, ranked
    low; Bliss and HSA synergy then read viability as the fraction surviving."""
    from mtorsim.response.curves import Background, viability_at_reference

    medium = _check_run(vocab, env, "low", 1, None)
    cells = {}
    for b in screen.backgrounds:
        got = viability_at_reference(
            net, vocab, Background(b.label, b.mutations), screen.treatments, assay, {**medium, **dict(b.env)}
        )
        for t in screen.treatments:
            mean, se = got[tuple(vocab.drug(d).name for d in t)]
            cells[(b.label, t)] = {
                "readouts": {VIABILITY: {"mean": round(mean, 12), "se": round(se, 12), "min": None, "max": None}},
                "complete": True,
                "oscillating": False,
                "holds": [],
            }
        if progress:
            progress(len(screen.treatments))
    return ScreenResult(screen, cells, VIABILITY, "low", 1.0, dict(settings or {}))
