"""Tests for checker.render.github: workflow commands for pull-request annotations."""

from __future__ import annotations

import re

from checker.render import render
from checker.render.github import _data, _prop
from checker.report import FileReport, Finding, Passage, ScanReport, SourceRef, Verdict


def passage(line: int, words: int) -> Passage:
    return Passage(draft_start=line * 100, draft_end=line * 100 + 50, line=line, column=3,
                   end_line=line + 1, end_column=7, source_start=0, source_end=50,
                   words=words, similarity=1.0, text="t", source_text="t")


def finding(verdict: Verdict, *passages: Passage) -> Finding:
    src = SourceRef(id="abc", path="articles/crab, season.txt", title="Crab: the season",
                    publisher="Harbor Times", license="LicenseRef-All-Rights-Reserved",
                    notice="")
    return Finding(verdict=verdict, reason="reproduction" if verdict is Verdict.FAIL
                   else "below-threshold", message="reproduces 50%\nof it", source=src,
                   similarity=1.0, draft_coverage=0.5, source_coverage=0.1,
                   reproduced_words=40, longest_run_words=30, passages=passages)


def report() -> ScanReport:
    return ScanReport(files=(
        FileReport("posts/a.md", 100, (finding(Verdict.FAIL, passage(4, 12), passage(9, 30)),
                                        finding(Verdict.WARN, passage(2, 11)),
                                        finding(Verdict.PASS, passage(20, 11)))),
        FileReport("posts/b.md", 0, error="posts/b.md: binary file"),
    ), warnings=("stale entry",))


def test_escaping() -> None:
    assert _data("50%\r\nx") == "50%25%0D%0Ax"
    assert _prop("a:b,c%") == "a%3Ab%2Cc%25"


def test_commands() -> None:
    lines = render(report(), "github").splitlines()
    assert lines[0] == "::warning::stale entry"
    error = lines[1]
    m = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<msg>.*)", error)
    assert m is not None
    props = dict(kv.split("=", 1) for kv in m["props"].split(","))
    # the longest passage is the one annotated, the others are named
    assert props == {"file": "posts/a.md", "line": "9", "col": "3", "endLine": "10",
                     "endColumn": "7", "title": "checker%3A reproduction (Crab%3A the season)"}
    assert "50%25%0Aof it" in m["msg"] and "Other passages at lines 4-5" in m["msg"]
    assert lines[2].startswith("::warning file=posts/a.md,line=2,")
    assert lines[3] == "::error file=posts/b.md::posts/b.md: binary file"
    assert not any("line=20" in line for line in lines)  # allowed reuse is not annotated
    assert lines[-1].startswith("checker: 2 files scanned: 1 fail, 0 warn, 0 pass")
