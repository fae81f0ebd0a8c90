"""When a pooled server connection is checked (checker.store.pgconnect.IdleCheck), and
that a scan survives its connections being cut, checked or not (a real server)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from conftest import ARTICLES, DRAFTS

from checker import Index
from checker.store import pgconnect
from checker.store.pgconnect import IdleCheck


def _cut(url: str, application: str) -> int:
    """Terminate the server sessions of ``application``; how many."""
    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE application_name = %s AND pid <> pg_backend_pid()",
                             (application,)).fetchall()
    return len(rows)


def test_a_connection_just_returned_is_not_checked(pg_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pgconnect, "FRESH_SECONDS", 3600.0)  # "a moment ago", however slow
    idle = IdleCheck()
    with psycopg.connect(pg_url, autocommit=True, application_name="idle-check") as conn:
        idle.check(conn)  # never returned: checked, and it works
        idle.reset(conn)
        assert _cut(pg_url, "idle-check") == 1
        idle.check(conn)  # back a moment ago: no round trip, so the cut goes unseen
        monkeypatch.setattr(pgconnect, "FRESH_SECONDS", 0.0)
        with pytest.raises(psycopg.OperationalError):
            idle.check(conn)  # idle long enough: checked, and the cut is found


@pytest.mark.parametrize("fresh", [3600.0, 0.0], ids=["unchecked", "checked"])
def test_a_scan_survives_its_connections_being_cut(pg_url: str, fresh: float,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Unchecked, the first statement on a cut connection fails and the read is run
    # again on a new one; checked, the pool replaces it first. Same report either way.
    monkeypatch.setattr(pgconnect, "FRESH_SECONDS", fresh)
    draft = next(p for p in sorted(Path(DRAFTS).glob("*.txt")))
    with Index.open(pg_url, create=True) as ix:
        ix.add(sorted(Path(ARTICLES).glob("*.txt")))
    with Index.open(pg_url) as ix:
        before = ix.scan_text(draft.read_text(encoding="utf-8"))
        assert before.findings
        assert _cut(pg_url, "checker") >= 1
        after = ix.scan_text(draft.read_text(encoding="utf-8"))
    assert after == before
