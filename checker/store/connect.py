"""Opening an index's SQLite database, hardened against a crafted file, and the
decorator that runs store methods under :func:`checker.store.safety.translated`.

Read-write connections use WAL (readers never block the writer). ``scan``,
``list`` and ``stats`` open read-only (``mode=ro``), so an index in a read-only
directory can be scanned; where no ``-shm`` file can be made (a read-only
directory or mount, so no writer can be there either), the file is read as
``immutable``.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from ..errors import IndexCorruptError, IndexOpenError
from ..textcodec import MAX_TEXT_BYTES
from .safety import DB_NAME, translated
from .schema import PAGE_SIZE

# Seconds a writer waits for another one's lock before giving up with a clear line.
BUSY_TIMEOUT = 60.0
# The largest value SQLite hands back (a crafted 1 GB blob is refused, not loaded):
# a compressed text is never much bigger than its text.
MAX_VALUE_BYTES = MAX_TEXT_BYTES + (1 << 20)
P = ParamSpec("P")
R = TypeVar("R")


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Run a store method (with a ``directory``) under :func:`translated`:
    low-level failures become one clear line (corrupt, disk full, locked)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        directory: Path = args[0].directory  # type: ignore[attr-defined]
        with translated(directory):
            return method(*args, **kwargs)

    return wrapper


def connect(directory: Path, new: bool, read_only: bool) -> sqlite3.Connection:
    """A connection to the database: read-write in WAL mode, or read-only. A
    read-only one in a directory nobody can write (no ``-shm`` can be made)
    reads the file as immutable: no writer can be there either.

    Raises:
        IndexCorruptError: not an SQLite database.
        IndexBusyError: locked by another process for longer than ``BUSY_TIMEOUT``.
    """
    db = directory / DB_NAME
    try:
        if not read_only:
            conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT, isolation_level=None,
                                   check_same_thread=False)
            _harden(conn)
            if new:  # before WAL: the page size of a WAL database is fixed
                conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn
        uri = db.resolve().as_uri() + "?mode=ro"
        for options in ("", "&immutable=1"):
            conn = sqlite3.connect(uri + options, uri=True, timeout=BUSY_TIMEOUT,
                                   isolation_level=None, check_same_thread=False)
            try:
                _harden(conn)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.OperationalError:
                conn.close()
                if options or os.access(directory, os.W_OK):
                    raise
        raise AssertionError("unreachable")
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if not read_only and not os.access(directory, os.W_OK):
            raise IndexOpenError(f"{directory}: the index is read-only here ({exc}); scan, "
                                 "list and stats work, but to add or remove, copy it "
                                 "somewhere writable") from None
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text
                                                          or "unable to open" in text):
            with translated(directory):
                raise
        raise IndexCorruptError(
            f"{directory}: the index is corrupt or not a checker index ({exc}); "
            "move it away and rebuild it with 'checker index add'") from None

def _harden(conn: sqlite3.Connection) -> None:
    # No value bigger than any text we write; no function call from a schema.
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA cell_size_check=ON")

