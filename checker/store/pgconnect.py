"""Connecting to a server index: checker's connection defaults, the retry budget,
when a pooled connection is checked, and the one line a server failure becomes
(naming the server, never its password, and saying what to do)."""

from __future__ import annotations

import os
import time
import weakref
from typing import Any

import psycopg
from psycopg import errors as pgerrors
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from ..errors import IndexOpenError
from .location import redact, server_name

CONNECT_TIMEOUT = 10
#: Seconds a connection back in the pool is handed out again without a check.
FRESH_SECONDS = 1.0


class IdleCheck:
    """The pool's ``check`` and ``reset`` callbacks: a connection is checked (an empty
    statement, a round trip) when it comes out of the pool after :data:`FRESH_SECONDS`
    or more in it, not at every checkout.

    Why: a scan checks a connection out six times per draft; a check at each was a
    quarter of its round trips, server CPU the scanners share. A connection that just
    came back worked a moment ago, and if the server went away since, the statement
    fails as the check would: reads retry on a new connection, a write stops with one
    line (the add is run again)."""

    def __init__(self) -> None:
        self._returned: weakref.WeakKeyDictionary[psycopg.Connection[Any], float] = (
            weakref.WeakKeyDictionary())

    def reset(self, conn: psycopg.Connection[Any]) -> None:
        self._returned[conn] = time.monotonic()

    def check(self, conn: psycopg.Connection[Any]) -> None:
        back = self._returned.get(conn)
        if back is None or time.monotonic() - back >= FRESH_SECONDS:
            ConnectionPool.check_connection(conn)


def retry_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("CHECKER_INDEX_RETRY_SECONDS", "30")))
    except ValueError:
        return 30.0


def connection_string(location: str) -> str:
    """``location`` with checker's defaults for what it does not set (a connect
    timeout, so an unreachable host fails instead of hanging; an application name)."""
    given = conninfo_to_dict(location)
    extra: dict[str, Any] = {}
    if "connect_timeout" not in given and not os.environ.get("PGCONNECT_TIMEOUT"):
        extra["connect_timeout"] = CONNECT_TIMEOUT
    if "application_name" not in given and not os.environ.get("PGAPPNAME"):
        extra["application_name"] = "checker"
    return make_conninfo(location, **extra)


def server_error(location: str, exc: BaseException, writing: bool = False) -> IndexOpenError:
    """One line for a server failure: names the server (never its password) and
    says what to do."""
    where = server_name(location)
    detail = " ".join(redact(str(exc), location).split())
    low = detail.lower()
    if isinstance(exc, pgerrors.InsufficientPrivilege):
        if writing:
            return IndexOpenError(f"{where}: this role may only read the index (permission "
                                  "denied); run 'index add' with the writer role's "
                                  "connection string")
        return IndexOpenError(f"{where}: permission denied ({detail}); grant the role the "
                              "reader role ('checker index init-db')")
    if isinstance(exc, pgerrors.ReadOnlySqlTransaction):
        return IndexOpenError(f"{where}: the server is a read-only replica; run 'index add' "
                              "against the primary")
    if "password authentication failed" in low or "no password supplied" in low:
        return IndexOpenError(f"{where}: password authentication failed; check the user and "
                              "password (URL, PGPASSWORD or ~/.pgpass)")
    if "database" in low and "does not exist" in low:
        return IndexOpenError(f"{where}: the database does not exist; create it (createdb) "
                              "and run 'checker index init-db --index ...'")
    if isinstance(exc, PoolTimeout | psycopg.OperationalError):
        return IndexOpenError(f"{where}: cannot reach the index server ({detail}); check that "
                              "PostgreSQL is running and the host and port are right, "
                              "then run again")
    return IndexOpenError(f"{where}: the index server failed ({detail}); run again, or see "
                          "'checker index stats'")
