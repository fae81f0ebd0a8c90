"""The format benchmark writes every draft format so that the copy is found in each."""

from __future__ import annotations

import pytest

from benchmarks import format_speed
from benchmarks.corpora import reuters_available


def test_every_format_finds_every_copy() -> None:
    if not reuters_available():
        pytest.skip("../shared/corpora/reuters21578 is missing")
    rows = format_speed.measure(3, 1)
    assert [r["format"] for r in rows] == [f"{name} ({suffix})" for name, (suffix, _)
                                           in format_speed.FORMATS.items()]
    assert all(r["found"] == r["drafts"] == 3 for r in rows), rows
    assert rows[0]["ratio"] == 1.0
    assert "| Word (.docx) |" in format_speed.report(rows, 3, 1)
