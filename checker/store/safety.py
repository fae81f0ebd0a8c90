"""The rules an index directory must keep, and the one place that turns low-level
failures of an index into a :class:`~checker.errors.CheckerError` with what to do.

Why: an index may come from a cache, an artifact or another team, so nothing it
names is trusted. Every file it names is a plain name matching its own naming
pattern, inside ``DIR/lsh``, a real directory (not a symlink), and a regular file
(not a symlink, FIFO or device: checked with ``lstat`` and opened with
``O_NOFOLLOW | O_NONBLOCK``, so a FIFO never blocks a scan). Cleanup deletes only
files matching that pattern.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import zstandard

from ..errors import DiskFullError, IndexBusyError, IndexCorruptError, IndexOpenError

DB_NAME = "index.sqlite"
LSH_DIR = "lsh"
# seg-<time in ns, 20 digits>-<pid>.npy: what segment_name() writes, and nothing else.
SEGMENT_NAME = re.compile(r"seg-[0-9]{20}-[0-9]{1,10}\.npy")
TEMP_NAME = re.compile(r"seg-[0-9]{20}-[0-9]{1,10}\.npy\.tmp")


class BadIndexFile(Exception):
    """A file of the index breaks the format (raised where the index directory is
    not known; :func:`translated` names the index)."""


def repair_hint(directory: Path) -> str:
    return (f"run 'checker index check --repair --index {directory}', or move it away "
            "and rebuild it with 'checker index add'")


def corrupt(directory: Path, what: str) -> IndexCorruptError:
    """The one-line refusal of a corrupt index: what is wrong and what to do."""
    return IndexCorruptError(f"{directory}: corrupt index: {what}; {repair_hint(directory)}")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def check_files(directory: Path) -> None:
    """Refuse an index whose database files or ``lsh`` folder are not what it
    created: a symlinked ``lsh/`` (cleanup would delete files elsewhere), a FIFO or
    symlink as the database (opening would hang or write elsewhere)."""
    for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"):
        st = _lstat(directory / name)
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise corrupt(directory, f"{name} is not a regular file")
    st = _lstat(directory / LSH_DIR)
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise corrupt(directory, f"{LSH_DIR} is not a directory (a symlink or a file)")


def segment_path(directory: Path, name: object) -> Path:
    """``DIR/lsh/NAME`` for a registered segment name, which must be a plain name
    of the index's own pattern (no ``/``, no ``..``, not absolute)."""
    if not isinstance(name, str) or not SEGMENT_NAME.fullmatch(name):
        raise corrupt(directory, f"segment file name {str(name)[:80]!r} is not one it writes")
    return directory / LSH_DIR / name


def open_regular(path: Path) -> BinaryIO:
    """Open a file of the index for reading: never through a symlink, never a FIFO
    or device (``FileNotFoundError`` passes through: a merge may have removed it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise
        raise BadIndexFile(f"{path.name} cannot be opened ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BadIndexFile(f"{path.name} is not a regular file")
    return os.fdopen(fd, "rb")


def remove_unregistered(lsh: Path, known: set[str]) -> None:
    """Delete segment files of ``lsh`` that are not registered (left by an
    interrupted write): only regular files named as this index names them. Only
    call with the index's write lock held."""
    st = _lstat(lsh)
    if st is None or not stat.S_ISDIR(st.st_mode):
        return
    for entry in os.scandir(lsh):
        if entry.name in known or not (SEGMENT_NAME.fullmatch(entry.name)
                                       or TEMP_NAME.fullmatch(entry.name)):
            continue
        if entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)


@contextmanager
def translated(directory: Path) -> Iterator[None]:
    """Turn failures of the index's files into one clear line each: corrupt
    (what is wrong, how to repair), disk full, or locked by another process."""
    try:
        yield
    except (DiskFullError, IndexOpenError):
        raise
    except BadIndexFile as exc:
        raise corrupt(directory, str(exc)) from None
    except (OSError, sqlite3.OperationalError) as exc:
        if is_disk_full(exc):
            raise DiskFullError(f"{directory}: disk full while writing the index; free some "
                                "space and run the command again (nothing half-written "
                                "was kept)") from None
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc)
                                                          or "busy" in str(exc)):
            raise IndexBusyError(f"{directory}: the index is locked by another process "
                                 f"({exc}); run the command again when it has finished"
                                 ) from None
        if isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc):
            raise IndexOpenError(f"{directory}: the index is read-only here ({exc}); write "
                                 "to it where it is writable") from None
        if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc):
            raise IndexOpenError(f"{directory}: cannot open the index ({exc}); check that "
                                 "the directory and its files are readable") from None
        if isinstance(exc, sqlite3.OperationalError):
            raise corrupt(directory, f"SQLite: {exc}") from None
        where = f" ({exc.filename})" if exc.filename else ""
        raise IndexOpenError(f"{directory}: cannot read or write the index: "
                             f"{exc.strerror or exc}{where}") from None
    except sqlite3.DatabaseError as exc:
        raise corrupt(directory, f"SQLite: {exc}") from None
    except (zstandard.ZstdError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise corrupt(directory, f"{exc.__class__.__name__}: {str(exc)[:120]}") from None
