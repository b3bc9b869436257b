"""The screen database (SQLite): settings and cells, one transaction per cell, a lock per
database, and the settings a resumed screen must match."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from mtorsim.errors import MtorsimError
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.screening.cells import normalise_cell


def file_digest(path: str | Path | None) -> str | None:
    if not path:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _not_a_screen(path: Path) -> str | None:
    """Why ``path`` is not a screen database mtorsim wrote (None when it is one): a special file,
    not SQLite, or SQLite without the screen's tables."""
    if path.is_symlink() or not path.is_file():
        return "is not a regular file (a link, a device or a special file)"
    with path.open("rb") as f:
        head = f.read(16)
    if head != b"SQLite format 3\x00":
        return "is not a SQLite database (a model, a result or another file)"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return "is not a readable SQLite database"
    if tables != {"settings", "cells"}:
        return "is a SQLite database with other tables than a screen's"
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
            why = _not_a_screen(self.path)
            if why:
                raise MtorsimError(
                    f"{self.path}: {why}; `force` only replaces a mtorsim screen database, so nothing was "
                    "changed there; choose another `db` file"
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


def cells_from_db(path: str | Path) -> list[tuple[str, str, str]]:
    """All stored cells, sorted: for comparing databases."""
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute("SELECT background, treatment, result FROM cells").fetchall())
    finally:
        con.close()


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
