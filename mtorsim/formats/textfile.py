"""Reading text files with clear errors: size limit, UTF-8 or UTF-16, no binary files.

The lowest layer of file input: :mod:`mtorsim.formats.io` (format detection, model files) and the
format readers that take a path (such as :func:`mtorsim.formats.sbml.read_sbml`) build on it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mtorsim.errors import MtorsimError

MAX_FILE_BYTES = 512 * 2**20  # the largest model, vocabulary or settings file read


def read_text(path: str | os.PathLike) -> str:
    """The text of a model or settings file (UTF-8, or UTF-16 with or without a byte-order
    mark), with a clear error for anything else: missing, a folder, a device or pipe, larger
    than MAX_FILE_BYTES, binary."""
    return decode_text(read_bytes(path), path)


def read_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, with clear errors."""
    p = Path(path)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(st.st_mode):
            raise MtorsimError(f"{p}: is not a regular file (a device, pipe or socket); give a model file")
        if st.st_size > MAX_FILE_BYTES:
            raise MtorsimError(
                f"{p}: is {st.st_size / 2**20:.0f} MB; files above {MAX_FILE_BYTES // 2**20} MB are "
                "refused (is this really a model file?)"
            )
        with open(p, "rb") as fh:  # read what stat announced, plus one byte to notice growth
            data = fh.read(min(st.st_size, MAX_FILE_BYTES) + 1)
    except FileNotFoundError:
        raise MtorsimError(f"{p}: no such file; check the path (the current folder is {os.getcwd()})") from None
    except IsADirectoryError:
        raise MtorsimError(
            f"{p}: is a folder, not a model file; name the .rules, .bnet or .sbml file inside it"
        ) from None
    except PermissionError:
        raise MtorsimError(f"{p}: permission denied; check the file's read permission") from None
    except OSError as exc:
        raise MtorsimError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise MtorsimError(f"{p}: is larger than {MAX_FILE_BYTES // 2**20} MB; refused")
    return data


def decode_text(data: bytes, path: str | os.PathLike) -> str:
    """``data`` as text (see :func:`read_text`)."""
    p = Path(path)
    utf16 = _utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16).lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise MtorsimError(
            f"{p}: looks like a binary file (it contains NUL bytes), not a model; "
            "give a text file in .rules (BooleanNet), .bnet or SBML-qual format"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MtorsimError(
            f"{p}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 text"
        ) from None
    return text


def _utf16(data: bytes) -> str | None:
    """'utf-16' for a UTF-16 byte-order mark, 'utf-16-le'/'-be' for BOM-less UTF-16 text (every
    other byte NUL in the first few hundred), else None."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    head = data[:512]
    if len(head) >= 4 and len(head) % 2 == 0:
        if head[1::2].count(0) == len(head) // 2 and head[0::2].count(0) == 0:
            return "utf-16-le"
        if head[0::2].count(0) == len(head) // 2 and head[1::2].count(0) == 0:
            return "utf-16-be"
    return None
