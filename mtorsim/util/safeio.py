"""Writing results safely: checked before any work, written whole or not at all.

``check_output`` refuses, before computing, a path whose folder is missing or not writable, an
existing file without ``force``, anything that is not a regular file (a device, ``/proc``), and
a suffix the output cannot have. ``write_atomic`` writes to a temporary file beside the target
and renames it over the target only when the whole result is on disk, so an interrupted or
failed write never leaves a truncated file or destroys the previous one; a full disk or a
permission error is a clean error that names the file.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from mtorsim.errors import MtorsimError


def check_output(
    path: str | os.PathLike, force: bool, suffixes: Sequence[str] | None = None, what: str = "output"
) -> Path:
    """The output path, after checking that it can be written (see the module docstring)."""
    p = Path(path)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise MtorsimError(
            f"{p}: unsupported {what} file type '{p.suffix or '(none)'}'; use one of: {', '.join(suffixes)}"
        )
    if p.is_dir():
        raise MtorsimError(f"{p}: is a folder; give a file name")
    if p.exists() or p.is_symlink():
        if not p.is_file():
            raise MtorsimError(f"{p}: is not a regular file (a device or a special file); write to a file instead")
        if not force:
            raise MtorsimError(f"{p}: already exists; choose another name or pass `force` to overwrite it")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise MtorsimError(f"{p}: the folder '{parent}' does not exist; create it first")
    try:  # a real probe: permissions, read-only and pseudo file systems all show here
        fd, probe = tempfile.mkstemp(dir=parent, prefix=f".{p.name}.", suffix=".probe")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise MtorsimError(f"{p}: cannot write in the folder '{parent}' ({exc.strerror or exc})") from None
    return p


FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def check_figure(path: str | os.PathLike | None, overwrite: bool) -> None:
    """A result's ``plot(path)``: refuse, before drawing, a path that exists (unless
    ``overwrite``), a special file, a missing folder or a suffix matplotlib is not asked for."""
    if path is not None:
        if not isinstance(path, str | os.PathLike):
            raise MtorsimError(f"`path` must be a file name (.png, .svg, .pdf), not {path!r}")
        check_output(path, overwrite, FIGURE_SUFFIXES, "plot")


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file and a rename."""
    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    parent = p.parent if str(p.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{p.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode(p))
        os.replace(tmp, p)
        tmp = None
    except OSError as exc:
        raise MtorsimError(f"{p}: could not be written ({exc.strerror or exc}); nothing was changed there") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return p


def _mode(p: Path) -> int:
    """The mode of the file replaced, else what a new file gets under the user's umask (a
    temporary file is created 0600)."""
    try:
        return p.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def save_figure(fig, path: str | os.PathLike, **kw) -> Path:
    """``fig.savefig`` into memory, then ``write_atomic``."""
    buf = io.BytesIO()
    fig.savefig(buf, **kw)
    return write_atomic(path, buf.getvalue())
