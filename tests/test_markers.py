"""Tests for checker.markers: inline ignore markers in drafts."""

from __future__ import annotations

from pathlib import Path

from checker.markers import Marker, apply_markers, parse_markers, read_markers
from checker.report import FileReport, Finding, Passage, ScanReport, SourceRef, Verdict


def source(sid: str = "abc123", path: str = "/data/articles/crab.txt") -> SourceRef:
    return SourceRef(id=sid, path=path, title="Crab", publisher="Harbor Times",
                     license="LicenseRef-All-Rights-Reserved", notice="")


def finding(src: SourceRef, verdict: Verdict = Verdict.FAIL) -> Finding:
    p = Passage(draft_start=0, draft_end=10, line=1, column=1, end_line=1, end_column=10,
                source_start=0, source_end=10, words=30, similarity=1.0, text="x" * 10,
                source_text="x" * 10)
    return Finding(verdict=verdict, reason="reproduction", message="m", source=src,
                   similarity=1.0, draft_coverage=0.5, source_coverage=0.1,
                   reproduced_words=30, longest_run_words=30, passages=(p,))


def test_parse_html_comment_and_plain_line() -> None:
    text = ('# Title\n\n<!-- checker: ignore source=abc123 reason="licensed from them" -->\n'
            "text\n<!--checker:ignore source=articles/x.txt-->\n"
            "checker: ignore source=def456 reason=partner\n")
    markers, problems = parse_markers(text)
    assert problems == []
    assert markers == [Marker("abc123", "licensed from them", 3),
                       Marker("articles/x.txt", "", 5), Marker("def456", "partner", 6)]


def test_malformed_markers_are_reported() -> None:
    markers, problems = parse_markers('<!-- checker: ignore reason="x" -->\n'
                                      '<!-- checker: ignore source=a reason="open -->\n')
    assert markers == []
    assert "line 1" in problems[0] and "source=ID" in problems[0]
    assert "line 2" in problems[1] and "quotes" in problems[1]


def test_match_by_id_path_or_path_end() -> None:
    src = source()
    assert Marker("abc123", "", 1).matches(src)
    assert Marker("/data/articles/crab.txt", "", 1).matches(src)
    assert Marker("articles/crab.txt", "", 1).matches(src)
    assert Marker("./crab.txt", "", 1).matches(src)
    assert not Marker("rab.txt", "", 1).matches(src)
    assert not Marker("other", "", 1).matches(src)


def test_read_markers_of_a_file_without_any(tmp_path: Path) -> None:
    draft = tmp_path / "a.md"
    draft.write_text("plain text\n", encoding="utf-8")
    assert read_markers(draft) == ([], [])
    assert read_markers(tmp_path / "missing.md") == ([], [])


def test_apply_moves_one_source_and_warns_about_unused(tmp_path: Path) -> None:
    draft = tmp_path / "a.md"
    draft.write_text('<!-- checker: ignore source=abc123 reason="licensed" -->\n'
                     "<!-- checker: ignore source=zzz -->\n", encoding="utf-8")
    kept = finding(source("other", "/data/articles/other.txt"))
    quiet = finding(source())
    report = ScanReport(files=(FileReport(path=str(draft), words=100,
                                          findings=(quiet, kept)),))
    out = apply_markers(report)
    fr = out.files[0]
    assert fr.findings == (kept,)
    assert len(fr.suppressed) == 1
    s = fr.suppressed[0]
    assert (s.by, s.justification, s.line, s.finding) == ("marker", "licensed", 1, quiet)
    assert any("zzz" in w and ":2:" in w for w in out.warnings)
    files = out.to_dict()["files"]
    assert files[0]["suppressed"][0]["by"] == "marker"
    assert files[0]["suppressed"][0]["finding"]["source"]["id"] == "abc123"
    assert out.to_dict()["summary"]["suppressed"] == 1


def test_verdict_ignores_suppressed(tmp_path: Path) -> None:
    draft = tmp_path / "a.md"
    draft.write_text("<!-- checker: ignore source=abc123 -->\n", encoding="utf-8")
    out = apply_markers(ScanReport(files=(FileReport(str(draft), 10, (finding(source()),)),)))
    assert out.verdict is Verdict.PASS


def test_an_unclosed_marker_comment_runs_to_no_later_one() -> None:
    # The comment body stops at the next "<!--": thousands of unclosed markers cost
    # linear time, and a closed marker after them is still read.
    text = "<!-- checker: ignore source=x " * 5000 + "\n<!-- checker: ignore source=abc -->\n"
    markers, _ = parse_markers(text)
    assert [m.source for m in markers] == ["abc"]
    # A comment holding a "<!--" of its own is read from that one.
    markers, _ = parse_markers("<!-- x <!-- checker: ignore source=def -->")
    assert [m.source for m in markers] == ["def"]
