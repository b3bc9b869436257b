"""Drug-combination screens: every treatment (none, single drugs, pairs, ...) over genotype
backgrounds, each cell one :func:`mtorsim.scenario.run_scenario` call; then a ranking of the
treatments, Bliss-independence and highest-single-agent synergy, and compensation (readouts
that rise under treatment).

Cells are written to an optional SQLite database as soon as they finish, so an interrupted
screen can be resumed; the database records the screen's settings and refuses to mix results
from different settings.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network
from mtorsim.treatment.treatment import Treatment
from mtorsim.types import AttractorUpdate, Method

WILDTYPE = "wildtype"
SYNERGY_MARK = 0.1  # Bliss excess above which a combination is marked synergistic
EPS = 1e-9


@dataclass(frozen=True)
class Background:
    label: str  # 'wildtype' or mutation names joined by '+', then '|cond=v,...' when environments are swept
    mutations: tuple[str, ...]
    env: tuple[tuple[str, int], ...] = ()  # environment settings of this background (over the screen's --env)


@dataclass
class ScreenPlan:
    backgrounds: list[Background]
    treatments: list[tuple[str, ...]]  # () first, then singles in vocabulary order, then pairs, ...

    def cells(self) -> list[tuple[Background, tuple[str, ...]]]:
        """Every cell, in the deterministic order of the output (backgrounds outer)."""
        return [(b, t) for b in self.backgrounds for t in self.treatments]


# ---------------------------------------------------------------- planning


def resolve_drugs(vocab: Vocabulary, names: Sequence[str] | None) -> list[str]:
    """Canonical drug names in vocabulary order (all drugs when ``names`` is empty)."""
    if not names:
        return list(vocab.drugs)
    chosen = {vocab.drug(n).name for n in names}  # unknown -> MtorsimError with did-you-mean
    return [d for d in vocab.drugs if d in chosen]


def resolve_background(vocab: Vocabulary, text: str) -> Background:
    """'wildtype' or mutation names joined by '+' (case-insensitive), e.g. TSC_loss+PTEN_loss."""
    if text.strip().lower() == WILDTYPE:
        return Background(WILDTYPE, ())
    parts = [p.strip() for p in text.split("+")]
    muts = []
    for p in parts:
        if not p:
            raise MtorsimError(
                f"background '{text}': empty mutation name; join mutations with '+', e.g. TSC_loss+PTEN_loss"
            )
        if p.lower() == WILDTYPE:
            raise MtorsimError(f"background '{text}': 'wildtype' cannot be combined with mutations")
        match = [m for m in vocab.mutations if m.lower() == p.lower()]
        if not match:
            known = [WILDTYPE, *vocab.mutations]
            hint = did_you_mean(p, known)
            raise MtorsimError(
                f"unknown mutation '{p}' in background '{text}'"
                + (f"; {hint}" if hint else "")
                + f" (valid: {', '.join(known)})"
            )
        if match[0] in muts:
            raise MtorsimError(f"background '{text}': mutation '{match[0]}' is listed twice")
        muts.append(match[0])
    return Background("+".join(muts), tuple(muts))


def plan(
    vocab: Vocabulary,
    drugs: Sequence[str] | None = None,
    backgrounds: Sequence[str] | None = None,
    max_combo: int = 2,
    sweep: Sequence[str] = (),
) -> ScreenPlan:
    """Backgrounds x treatments; ``sweep`` names environment conditions screened at 0 and 1
    (each background is repeated for every combination, labelled ``genotype|cond=v,...``)."""
    if max_combo < 0:
        raise MtorsimError(f"`max_combo` must be 0 or more, not {max_combo}")
    names = resolve_drugs(vocab, drugs)
    if backgrounds:
        bgs = [resolve_background(vocab, b) for b in backgrounds]
    else:
        bgs = [Background(WILDTYPE, ())] + [Background(m, (m,)) for m in vocab.mutations]
    seen, unique = set(), []
    for b in bgs:
        if b.label not in seen:
            seen.add(b.label)
            unique.append(b)
    if sweep:
        for name in sweep:
            vocab.condition(name)
        if len(set(sweep)) != len(sweep):
            raise MtorsimError("an environment condition is swept twice")
        combos = list(itertools.product((0, 1), repeat=len(sweep)))
        unique = [
            Background(f"{b.label}|{','.join(f'{n}={v}' for n, v in zip(sweep, c))}", b.mutations, tuple(zip(sweep, c)))
            for b in unique
            for c in combos
        ]
    treatments: list[tuple[str, ...]] = [()]
    for k in range(1, min(max_combo, len(names)) + 1):
        treatments += list(itertools.combinations(names, k))
    return ScreenPlan(unique, treatments)


def check_readout(vocab: Vocabulary, name: str | None) -> str:
    if not vocab.readouts:
        raise MtorsimError(f"{vocab.source or 'the vocabulary'}: defines no readouts; a screen needs at least one")
    if name is None:
        return vocab.response_readout() or next(iter(vocab.readouts))
    if name not in vocab.readouts:
        hint = did_you_mean(name, vocab.readouts)
        raise MtorsimError(
            f"unknown readout '{name}'" + (f"; {hint}" if hint else "") + f" (valid: {', '.join(vocab.readouts)})"
        )
    return name


def default_goal(vocab: Vocabulary, readout: str) -> str:
    """The vocabulary's goal (``[model] goal``) for its response readout, else 'low'."""
    return vocab.model.get("goal", "low") if readout == vocab.response_readout() else "low"


def readout_ceiling(vocab: Vocabulary, name: str) -> float:
    """The largest value a readout can take: 1 for a node or formula, the top weight for levels."""
    r = vocab.readouts[name]
    return max(r.weights) if r.levels else 1.0


# ---------------------------------------------------------------- running one cell


def _num(v):
    return None if v is None else float(v)


def run_cell(
    net: Network,
    vocab: Vocabulary,
    env: Mapping[str, int],
    mutations: Sequence[str],
    treatment: Sequence[str],
    update: str,
    method: str,
    options: Mapping,
    threads: int | None = None,
) -> dict:
    """One cell: a scenario's readouts (min, max over attractors; mean, the graded estimate, and
    its se; attractor_mean), whether the attractor search was complete and whether a cyclic
    attractor moves a node that a readout reads. ``options["estimate"]`` holds the estimate
    settings (None: attractors only); ``threads`` the estimate's worker threads (1 in screen
    workers, so that --jobs N processes use N cores, not N times all of them)."""
    from mtorsim.scenarios.estimate import EstimateSettings
    from mtorsim.scenarios.scenario import run_scenario

    options = dict(options)
    est = options.pop("estimate", {})
    estimate = None if est is None else EstimateSettings(**{**est, "threads": threads})
    res = run_scenario(
        net,
        vocab,
        Treatment.of(env, mutations, treatment),
        cast(AttractorUpdate, update),  # checked by the attractor search
        cast(Method, method),
        estimate=estimate,
        **options,
    )
    return {
        "readouts": {
            k: {key: _num(v.get(key)) for key in ("min", "max", "mean", "se", "attractor_mean")}
            for k, v in res.readouts.items()
        },
        "complete": bool(res.attractors.complete),
        "oscillating": oscillates(res.attractors, readout_nodes(vocab)),
        "holds": res.settings["holds"],
    }


def readout_nodes(vocab: Vocabulary) -> set[str]:
    """Every node a readout reads."""
    from mtorsim.formats.ast import names

    out: set[str] = set()
    for r in vocab.readouts.values():
        out |= set(r.levels) | (set(names(r.formula)) if r.formula is not None else set())
    return out


def oscillates(result, nodes: set[str]) -> bool:
    """Whether a cyclic attractor moves any of ``nodes`` (or an unresolved candidate may)."""
    if result.candidates:
        return True
    idx = [i for i, n in enumerate(result.nodes) if n in nodes]
    return any(a.kind != "fixed" and any(a.activity[i] not in (0.0, 1.0) for i in idx) for a in result.attractors)


_WORKER: dict = {}


def _init_worker(parent: int, net, vocab, env, update, method, options) -> None:
    _die_with_parent(parent)
    _WORKER.update(net=net, vocab=vocab, env=env, update=update, method=method, options=options)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to end this worker when its parent (pid ``parent``) dies, even by kill -9;
    elsewhere a no-op. A parent that died before the request was made (the worker was already
    handed to another parent, so the signal would never come) ends the worker at once."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            return
        if os.getppid() != parent:
            os._exit(1)


CELL_KEYS = ("min", "max", "mean", "se", "attractor_mean")


def normalise_cell(cell: Mapping, vocab: Vocabulary) -> dict:
    """A cell with its readouts in vocabulary order and fixed keys, however it was made (fresh
    or read back from a database), so resumed and uninterrupted screens print the same bytes."""
    readouts = cell["readouts"]
    return {
        "readouts": {k: {key: readouts[k].get(key) for key in CELL_KEYS} for k in vocab.readouts if k in readouts},
        "complete": bool(cell["complete"]),
        "oscillating": bool(cell.get("oscillating", False)),
        "holds": list(cell.get("holds", [])),
    }


def _work(key: tuple):
    label, mutations, treatment, cell_env = key
    w = _WORKER
    return key, run_cell(
        w["net"],
        w["vocab"],
        {**w["env"], **dict(cell_env)},
        mutations,
        treatment,
        w["update"],
        w["method"],
        w["options"],
        threads=1,
    )  # one thread per process: --jobs N uses N cores


# ---------------------------------------------------------------- database


def file_digest(path: str | Path | None) -> str | None:
    if not path:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


class ScreenDB:
    """SQLite store: ``settings(key, value)`` and ``cells(background, treatment, result)``; each
    cell is committed in its own transaction as soon as it finishes."""

    def __init__(self, path: str | Path, settings: Mapping, resume: bool = False, force: bool = False):
        self.path = Path(path)
        if resume and force:
            raise MtorsimError(
                "`resume` and `force` exclude each other: `resume` continues the screen in the "
                "database, `force` starts it again from scratch"
            )
        if self.path.is_dir():
            raise MtorsimError(f"{self.path}: is a folder, not a database file")
        if not self.path.parent.exists():
            raise MtorsimError(f"{self.path}: the folder '{self.path.parent}' does not exist; create it first")
        self._lock = self._acquire_lock()
        try:
            self._open(settings, resume, force)
        except BaseException:
            self._lock.close()
            raise

    def _open(self, settings: Mapping, resume: bool, force: bool) -> None:
        exists = self.path.exists()
        if exists and not resume:
            if not force:
                raise MtorsimError(
                    f"{self.path}: already exists; pass `resume` to continue that screen or `force` "
                    "to discard it and start again"
                )
            self.path.unlink()
            exists = False
        try:
            self.con = sqlite3.connect(self.path)
            self.con.execute("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self.con.execute(
                "CREATE TABLE IF NOT EXISTS cells (background TEXT NOT NULL, treatment TEXT NOT NULL, "
                "result TEXT NOT NULL, PRIMARY KEY (background, treatment))"
            )
            self.con.commit()
            stored = dict(self.con.execute("SELECT key, value FROM settings").fetchall())
        except sqlite3.DatabaseError as exc:
            raise MtorsimError(f"{self.path}: not a usable screen database ({exc})") from None
        current = {k: json.dumps(v, sort_keys=True) for k, v in settings.items()}
        if stored:
            diff = sorted(k for k in set(stored) | set(current) if stored.get(k) != current.get(k))
            if diff:
                self.con.close()
                lines = "; ".join(
                    f"{k}: stored {stored.get(k, '(none)')}, now {current.get(k, '(none)')}" for k in diff
                )
                raise MtorsimError(
                    f"{self.path}: was written with different settings ({lines}); refusing to mix "
                    "results; use the same settings, another `db` file, or `force` without `resume`"
                )
        else:
            with self.con:
                self.con.executemany("INSERT INTO settings (key, value) VALUES (?, ?)", sorted(current.items()))

    def _acquire_lock(self):
        """An exclusive lock on ``<db>.lock`` for the life of this screen: a second screen on the
        same database (a --resume, a --force) is refused instead of duplicating or destroying work."""
        import fcntl

        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fh = open(lock_path, "a+")
        except OSError as exc:
            raise MtorsimError(f"{lock_path}: cannot create the lock file ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise MtorsimError(
                f"{self.path}: another screen is running on this database; wait for it to finish "
                "(or stop it), then `resume`"
            ) from None
        return fh

    @staticmethod
    def key(treatment: Sequence[str]) -> str:
        return json.dumps(list(treatment))

    def done(self) -> dict[tuple[str, tuple[str, ...]], dict]:
        rows = self.con.execute("SELECT background, treatment, result FROM cells").fetchall()
        return {(b, tuple(json.loads(t))): json.loads(r) for b, t, r in rows}

    def add(self, background: str, treatment: Sequence[str], result: Mapping) -> None:
        with self.con:  # one transaction per cell
            self.con.execute(
                "INSERT OR REPLACE INTO cells (background, treatment, result) VALUES (?, ?, ?)",
                (background, self.key(treatment), json.dumps(result, sort_keys=True)),
            )

    def close(self) -> None:
        self.con.close()
        self._lock.close()


# ---------------------------------------------------------------- the screen


@dataclass
class ScreenResult:
    plan: ScreenPlan
    cells: dict[tuple[str, tuple[str, ...]], dict]  # (background label, treatment) -> run_cell output
    readout: str
    goal: str
    ceiling: float = 1.0
    settings: dict = field(default_factory=dict)
    skipped: int = 0  # cells taken from the database
    synergy_mark: float = SYNERGY_MARK  # Bliss excess above which a combination is marked synergistic

    def cell(self, background: str, treatment: Sequence[str]) -> dict:
        return self.cells[(background, tuple(treatment))]

    def mean(self, background: str, treatment: Sequence[str], readout: str | None = None) -> float | None:
        return self.cell(background, treatment)["readouts"][readout or self.readout]["mean"]

    def effect(self, background: str, treatment: Sequence[str]) -> float | None:
        """Fractional effect on the chosen readout relative to untreated, clipped to [0, 1].

        goal low: (untreated - treated) / untreated; goal high: (treated - untreated) / (ceiling -
        untreated), the ceiling being the readout's largest value. None when the untreated value
        leaves no room to improve (0 for goal low, the ceiling for goal high) or is unknown."""
        u, t = self.mean(background, ()), self.mean(background, treatment)
        if u is None or t is None:
            return None
        if self.goal == "low":
            room, gain = u, u - t
        else:
            room, gain = self.ceiling - u, t - u
        if room <= EPS:
            return None
        return min(1.0, max(0.0, gain / room))

    def compensation(self, background: str, treatment: Sequence[str]) -> dict[str, float]:
        """Readouts whose mean rises under the treatment relative to untreated: name -> rise."""
        if not treatment:
            return {}
        base = self.cell(background, ())["readouts"]
        out = {}
        for name, r in self.cell(background, treatment)["readouts"].items():
            u, t = base[name]["mean"], r["mean"]
            if u is not None and t is not None and t - u > EPS:
                out[name] = round(t - u, 12)
        return out

    def ranking(self, background: str) -> list[dict]:
        """Treatments best first on the chosen readout's graded mean (to 1e-9); ties go to fewer
        drugs, then to the better mean over the exact attractors, then to the name; unknown last.
        ``tie`` is True where the graded mean equals the previous row's."""
        sign = 1 if self.goal == "low" else -1
        rows = []
        for t in self.plan.treatments:
            m = self.mean(background, t)
            am = self.cell(background, t)["readouts"][self.readout].get("attractor_mean")
            key = (
                m is None,
                0.0 if m is None else round(sign * m, 9),
                len(t),
                0.0 if am is None else round(sign * am, 9),
                treatment_label(t),
            )
            rows.append((key, {"treatment": list(t), "mean": m, "effect": self.effect(background, t)}))
        rows.sort(key=lambda r: r[0])
        out = []
        for k, (key, r) in enumerate(rows, start=1):
            tie = k > 1 and rows[k - 2][0][:2] == key[:2]
            out.append(dict(r, rank=k, tie=tie))
        return out

    def oscillating(self, background: str, treatment: Sequence[str]) -> bool:
        return bool(self.cell(background, treatment).get("oscillating", False))

    def synergy(self, background: str) -> list[dict]:
        """Bliss excess (observed effect - (1 - prod(1 - e_single))) and HSA excess (observed effect -
        best single effect) for every combination of two or more drugs. ``oscillating`` lists the
        treatments (the combination or its single drugs) whose attractors include a cycle: there
        the readout is a time average, and a synergy can come from where a cycle is averaged."""
        out = []
        for t in self.plan.treatments:
            if len(t) < 2:
                continue
            e = self.effect(background, t)
            singles = [self.effect(background, (d,)) for d in t]
            osc = [list(x) for x in [t, *((d,) for d in t)] if self.oscillating(background, x)]
            row = {
                "treatment": list(t),
                "effect": e,
                "singles": singles,
                "expected": None,
                "bliss": None,
                "hsa": None,
                "synergistic": False,
                "oscillating": osc,
            }
            known = [s for s in singles if s is not None]
            if e is not None and len(known) == len(singles):
                expected = 1 - math.prod(1 - s for s in known)
                row.update(
                    expected=round(expected, 12),
                    bliss=round(e - expected, 12),
                    hsa=round(e - max(known), 12),
                    synergistic=e - expected > SYNERGY_MARK,
                )
            out.append(row)
        return out

    def results(self) -> list[dict]:
        return [
            {
                "background": b.label,
                "mutations": list(b.mutations),
                "environment": dict(b.env),
                "treatment": list(t),
                "readouts": self.cell(b.label, t)["readouts"],
                "complete": self.cell(b.label, t)["complete"],
                "compensation": self.compensation(b.label, t),
            }
            for b, t in self.plan.cells()
        ]

    def plot(self, path: str | None = None, title: str | None = None):
        """The screen's heatmaps (a matplotlib Figure; see ``plots.screen``), saved to ``path``
        (.png, .svg, .pdf) when given."""
        from mtorsim.plots.screen import plot_screen

        return plot_screen(self, path, title=title)

    def to_dataframe(self):
        """One row per (background, treatment): each readout's mean, the effect, complete (needs pandas)."""
        from mtorsim.util.frames import to_dataframe

        rows = []
        for r in self.results():
            row = {
                "background": r["background"],
                "treatment": treatment_label(r["treatment"]),
                "effect": self.effect(r["background"], r["treatment"]),
                "complete": r["complete"],
            }
            row.update({k: v["mean"] for k, v in r["readouts"].items()})
            rows.append(row)
        return to_dataframe(rows)

    def to_dict(self) -> dict:
        labels = [b.label for b in self.plan.backgrounds]
        return {
            "settings": self.settings,
            "readout": self.readout,
            "goal": self.goal,
            "backgrounds": labels,
            "treatments": [list(t) for t in self.plan.treatments],
            "results": self.results(),
            "ranking": {b: self.ranking(b) for b in labels},
            "synergy": {b: self.synergy(b) for b in labels},
        }


def screen_settings(
    model: str | Path,
    vocab: Vocabulary,
    env: Mapping[str, int],
    update: str,
    method: str,
    readout: str,
    options: Mapping,
) -> dict:
    """What a stored result depends on; a resumed screen must match these exactly."""
    full_env = vocab.medium(env)
    return {
        "model": str(Path(model).resolve()) if Path(model).exists() else str(model),
        "model_sha256": file_digest(model),
        "vocabulary": str(Path(vocab.source).resolve()) if vocab.source else "",
        "vocabulary_sha256": file_digest(vocab.source),
        "update": update,
        "method": method,
        "env": full_env,
        "readout": readout,
        "options": dict(sorted(options.items())),
    }


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


def _stored_cells(
    db: ScreenDB | None, wanted: list[tuple[str, tuple[str, ...]]], vocab: Vocabulary
) -> dict[tuple[str, tuple[str, ...]], dict]:
    """The wanted cells that ``db`` already holds."""
    cells: dict[tuple[str, tuple[str, ...]], dict] = {}
    if db is not None:
        stored = db.done()
        for cell in wanted:
            if cell in stored:
                cells[cell] = normalise_cell(stored[cell], vocab)
    return cells


def _run_processes(jobs: int, todo: list, finish: Callable, net, vocab, env, update, method, options) -> None:
    """The cells in ``jobs`` local processes; ``finish(key, result)`` as each one ends."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(
        max_workers=min(jobs, len(todo)),
        initializer=_init_worker,
        initargs=(os.getpid(), net, vocab, env, update, method, options),
    ) as pool:
        futures = [pool.submit(_work, key) for key in todo]
        try:
            for fut in as_completed(futures):
                finish(*fut.result())
        except BaseException:
            for f in futures:
                f.cancel()
            raise


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


DASK_EXTRA = "needs the optional extra: pip install 'mtorsim[dask]'"


def _dask_cell(net, vocab, env, mutations, treatment, update, method, options):
    """A Dask task: one cell (net and vocab arrive scattered, once per worker)."""
    return run_cell(net, vocab, env, mutations, treatment, update, method, options, threads=1)


def require_dask() -> None:
    """MtorsimError unless ``dask.distributed`` can be imported."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        raise MtorsimError(f"`scheduler` {DASK_EXTRA}") from None


def connect_dask(address: str, timeout: float = 10):
    """A ``dask.distributed.Client`` for the scheduler at ``address`` (MtorsimError if Dask is not
    installed or nothing answers there)."""
    require_dask()
    from dask.distributed import Client
    from distributed.comm import parse_address
    from distributed.comm.registry import get_backend

    try:
        get_backend(parse_address(address)[0])
    except ValueError as exc:
        raise MtorsimError(f"`scheduler` {address}: {exc}; give an address such as tcp://host:8786") from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise MtorsimError(
            f"`scheduler` {address}: cannot connect to a Dask scheduler there ({exc}); start one "
            "with `dask scheduler` and workers with `dask worker ADDRESS`, or use `jobs` N for "
            "local processes"
        ) from None


def _run_dask(address: str, todo, finish, net, vocab, env, update, method, options) -> None:
    """Submit every cell to the Dask cluster at ``address``; ``finish`` runs here, in this process,
    as each one completes (so the database is only ever written by this process). The workers
    need mtorsim installed (the same version): the network and vocabulary are pickled to them."""
    from dask.distributed import as_completed

    client = connect_dask(address)
    futures: dict = {}
    try:
        if not client.scheduler_info().get("workers"):
            try:
                client.wait_for_workers(1, timeout=30)
            except TimeoutError:
                raise MtorsimError(
                    f"`scheduler` {address}: the scheduler has no workers after 30 s; start some "
                    f"with `dask worker {address}`"
                ) from None
        net_f, vocab_f = client.scatter([net, vocab], broadcast=True, hash=False)
        for key in todo:  # key = (label, mutations, treatment, env); kept here, never sent as a task argument
            fut = client.submit(
                _dask_cell,
                net_f,
                vocab_f,
                {**env, **dict(key[3])},
                list(key[1]),
                list(key[2]),
                update,
                method,
                dict(options),
                pure=False,
            )
            futures[fut] = key
        for fut in as_completed(list(futures), loop=client.loop):
            try:
                result = fut.result()
            except ModuleNotFoundError as exc:
                raise MtorsimError(
                    f"`scheduler` {address}: a Dask worker cannot import '{exc.name}' ({exc}); "
                    "install mtorsim (the same version) in the workers' environment"
                ) from None
            finish(futures[fut], result)
    finally:
        if futures:
            client.cancel(list(futures))
        client.close()


def cells_from_db(path: str | Path) -> list[tuple[str, str, str]]:
    """All stored cells, sorted: for comparing databases."""
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute("SELECT background, treatment, result FROM cells").fetchall())
    finally:
        con.close()


def treatment_label(t: Iterable[str]) -> str:
    t = list(t)
    return " + ".join(t) if t else "none"
