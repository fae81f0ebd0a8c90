"""Tests for checker.baseline: accepted findings, fingerprints, expiry and staleness."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from checker import Index
from checker.baseline import (
    Baseline,
    Entry,
    apply_baseline,
    create_baseline,
    fingerprint,
    load_baseline,
    write_baseline,
)
from checker.errors import ConfigError, UsageError
from checker.report import ScanReport, Verdict
from tests.conftest import DRAFTS

TODAY = dt.date(2026, 6, 1)


def scan(index_path: Path, draft: Path) -> ScanReport:
    with Index.open(index_path) as index:
        return index.scan([draft])


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    d = tmp_path / "posts" / "crab.md"
    d.parent.mkdir()
    d.write_text((DRAFTS / "pasted-paragraph.md").read_text(encoding="utf-8"), encoding="utf-8")
    return d


def test_fingerprint_survives_edits_elsewhere(fixture_index: Path, draft: Path) -> None:
    before = scan(fixture_index, draft).files[0].findings[0]
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("\n\n", "\n\nA new sentence of our own goes here.\n\n", 1)
                     + "\nAnd a closing line we wrote.\n", encoding="utf-8")
    after = scan(fixture_index, draft).files[0].findings[0]
    assert after.passages[0].line != before.passages[0].line
    assert fingerprint(after) == fingerprint(before)


def test_fingerprint_changes_when_the_passage_changes(fixture_index: Path, draft: Path) -> None:
    before = scan(fixture_index, draft).files[0].findings[0]
    draft.write_text(draft.read_text(encoding="utf-8").replace("Wildlife", "Parks"),
                     encoding="utf-8")
    after = scan(fixture_index, draft).files[0].findings[0]
    assert fingerprint(after) != fingerprint(before)


def test_create_write_load_apply(fixture_index: Path, draft: Path, tmp_path: Path) -> None:
    report = scan(fixture_index, draft)
    assert report.verdict is Verdict.FAIL
    path = tmp_path / "checker-baseline.json"
    created = create_baseline(report, path, expires="2027-01-01", justification="licensed")
    write_baseline(created)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    entry = data["entries"][0]
    assert entry["draft"] == "posts/crab.md"
    assert entry["reason"] == "reproduction" and entry["justification"] == "licensed"
    loaded = load_baseline(path)
    assert loaded.entries == created.entries
    out = apply_baseline(report, loaded, today=TODAY)
    assert out.verdict is Verdict.PASS and out.warnings == ()
    s = out.files[0].suppressed[0]
    assert (s.by, s.justification, s.expires) == ("baseline", "licensed", "2027-01-01")


def test_expired_entries_report_the_finding_again(fixture_index: Path, draft: Path,
                                                  tmp_path: Path) -> None:
    report = scan(fixture_index, draft)
    base = create_baseline(report, tmp_path / "b.json", expires="2026-05-31")
    out = apply_baseline(report, base, today=TODAY)
    assert out.verdict is Verdict.FAIL
    assert any("expired on 2026-05-31" in w for w in out.warnings)


def test_stale_entries_are_reported(fixture_index: Path, draft: Path, tmp_path: Path) -> None:
    report = scan(fixture_index, draft)
    base = create_baseline(report, tmp_path / "b.json")
    gone = replace(base.entries[0], draft="posts/deleted.md")
    other = replace(base.entries[0], draft="posts/not-scanned.md")
    (tmp_path / "posts" / "not-scanned.md").write_text("x\n", encoding="utf-8")
    changed = replace(base.entries[0], fingerprint="v1:0")
    base = Baseline(path=base.path, entries=(changed, gone, other))
    out = apply_baseline(report, base, today=TODAY)
    assert out.verdict is Verdict.FAIL
    stale = [w for w in out.warnings if "stale" in w]
    assert len(stale) == 2
    assert any("posts/crab.md" in w and "no longer reproduces" in w for w in stale)
    assert any("posts/deleted.md" in w and "gone" in w for w in stale)


def test_recreate_keeps_justification(fixture_index: Path, draft: Path, tmp_path: Path) -> None:
    report = scan(fixture_index, draft)
    first = create_baseline(report, tmp_path / "b.json", justification="partner deal")
    again = create_baseline(report, tmp_path / "b.json", previous=first)
    assert again.entries[0].justification == "partner deal"


def test_pass_findings_are_not_recorded(fixture_index: Path, tmp_path: Path) -> None:
    report = scan(fixture_index, DRAFTS / "clean-original.md")
    assert create_baseline(report, tmp_path / "b.json").entries == ()


@pytest.mark.parametrize("content", ["not json", '{"version": 9, "entries": []}',
                                     '{"version": 1, "entries": [{"draft": 1}]}'])
def test_bad_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"b\.json"):
        load_baseline(path)


def test_missing_file_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="checker baseline create"):
        load_baseline(tmp_path / "none.json")


def test_bad_expiry() -> None:
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        Entry(draft="a.md", source="x", fingerprint="v1:0", reason="r", expires="soon")
