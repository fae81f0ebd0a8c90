"""The HTML renderer without a browser: escaping, self-containment, highlighting, the model.

What the page does in a browser is in ``test_render_html_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import Index
from checker.render import render
from checker.render.html import _joined, render_html, segments, why
from checker.report import (
    Excerpt,
    FileReport,
    Finding,
    Passage,
    ScanReport,
    SourceRef,
    Suppressed,
    Verdict,
    excerpts,
)
from tests.conftest import DRAFTS

EVIL = ("<script>alert(1)</script></textarea><svg onload=alert(2)>"
        "<a href='javascript:alert(3)'>x</a><img src=x onerror=alert(4)>\"'&amp;{{ 7*7 }}")


def _passage(text: str, source_text: str, start: int, source_start: int, **kw: object
             ) -> Passage:
    return Passage(draft_start=start, draft_end=start + len(text), line=1, column=start + 1,
                   end_line=1, end_column=start + len(text), source_start=source_start,
                   source_end=source_start + len(source_text), words=len(text.split()),
                   similarity=0.9, text=text, source_text=source_text, **kw)  # type: ignore[arg-type]


def _hostile_report() -> ScanReport:
    draft = f"Intro {EVIL} copied words here and more {EVIL} end."
    start = draft.index("copied")
    text = "copied words here and more"
    source_text = f"{EVIL} copied words here and more"
    src = SourceRef(id=EVIL, path=EVIL, title=EVIL, publisher=EVIL, license=EVIL, notice=EVIL,
                    url="javascript:alert(5)")
    f = Finding(verdict=Verdict.FAIL, reason=EVIL, message=EVIL, source=src, similarity=0.9,
                draft_coverage=0.5, source_coverage=0.5, reproduced_words=5, longest_run_words=5,
                passages=(_passage(text, source_text, start, 0, counted_words=5),),
                evidence=(EVIL,), source_excerpts=(Excerpt(0, source_text + " " + EVIL),))
    return ScanReport(
        files=(FileReport(path=EVIL, words=20, findings=(f,), text=draft,
                          suppressed=(Suppressed(f, by="marker", justification=EVIL, line=2),)),
               FileReport(path=EVIL + "2", words=0, error=EVIL)),
        index={"location": EVIL, "params": {EVIL: EVIL}}, tool_version=EVIL, warnings=(EVIL,))


def test_every_user_string_is_escaped() -> None:
    page = render_html(_hostile_report())
    assert page.count("<script") == 1  # ours
    for raw in ("<svg", "<img", "</textarea", "<a href='javascript", 'href="javascript'):
        assert raw not in page
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//svg | //img | //iframe | //textarea")
    assert all(not a.get("href", "").lower().startswith("javascript") for a in tree.iter("a"))
    assert tree.xpath("count(//script)") == 1
    # Shown as text, whole, wherever it stands.
    assert tree.text_content().count(EVIL) >= 10


def test_self_contained_with_a_csp_of_its_own_hashes() -> None:
    page = render_html(_hostile_report())
    tree = lxml.html.fromstring(page)
    [csp] = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    for tag in ("script", "style"):
        body = tree.xpath(f"//{tag}")[0].text
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    # Nothing to fetch: no src, no stylesheet link, no url() or @import in the CSS.
    assert not tree.xpath("//*[@src] | //link")
    css = tree.xpath("//style")[0].text
    assert "url(" not in css and "@import" not in css


def test_source_urls_are_links_only_when_http() -> None:
    report = _hostile_report()
    f = report.files[0].findings[0]
    ok = Finding(**{**f.__dict__, "source": SourceRef(**{**f.source.__dict__,
                                                          "url": "https://x.example/a?b=1&c=2"})})
    page = render_html(ScanReport(files=(FileReport("d.md", 10, (ok,), text="x" * 200),)))
    hrefs = lxml.html.fromstring(page).xpath("//dd[@class='url']/a/@href")
    assert hrefs == ["https://x.example/a?b=1&c=2"]


def test_segments_cover_the_text_once_with_overlapping_passages() -> None:
    text = "0123456789abcdefghij"
    segs = segments(text, [(2, 10, 1, True), (5, 15, 2, False), (5, 8, 3, True)])
    assert "".join(s.text for s in segs) == text
    by_text = {s.text: s for s in segs}
    assert by_text["234"].passages == [1] and by_text["234"].starts == [1]
    # Passages starting here come first, the shortest first: a click means the inner one.
    assert by_text["567"].passages == [3, 2, 1] and by_text["567"].starts == [2, 3]
    assert by_text["abcde"].passages == [2] and not by_text["abcde"].counted
    assert by_text["01"].passages == [] and by_text["fghij"].passages == []


def test_excerpts_keep_short_sources_whole_and_cut_long_ones() -> None:
    assert excerpts("short text", [(0, 5)]) == (Excerpt(0, "short text"),)
    text = "".join(f"{i:09d} " for i in range(10_000))  # 100,000 characters
    got = excerpts(text, [(50_000, 50_100), (50_500, 50_600), (90_000, 90_010)])
    assert [(e.start, len(e.text)) for e in got] == [(48_500, 3_600), (88_500, 3_010)]
    assert all(text[e.start:e.start + len(e.text)] == e.text for e in got)


def test_a_long_source_shows_its_passages_in_excerpts(tmp_path: Path) -> None:
    body = " ".join(f"w{i}" for i in range(20_000))
    src_text = body + " the copied passage of twenty words " + body
    s0 = src_text.index("the copied")
    text = "the copied passage of twenty words"
    f = Finding(verdict=Verdict.WARN, reason="below-threshold", message="m",
                source=SourceRef("id1", "a.txt", "T", "P", "L", "N"), similarity=1.0,
                draft_coverage=1.0, source_coverage=0.01, reproduced_words=6,
                longest_run_words=6, passages=(_passage(text, text, 3, s0),),
                source_excerpts=excerpts(src_text, [(s0, s0 + len(text))]))
    page = render_html(ScanReport(files=(FileReport("d.md", 8, (f,), text=f"Hi {text}."),)))
    tree = lxml.html.fromstring(page)
    [source] = tree.xpath("//div[@data-side='s']")
    assert "characters left out" in source.text_content()
    assert len(source.text_content()) < 4_000
    assert "".join(m.text_content() for m in source.xpath(".//mark")) == text
    # Without the texts (a report built by hand), the passages alone are shown, once.
    assert _joined([(10, "cdef"), (8, "abcd"), (20, "xy")]) == (Excerpt(8, "abcdef"),
                                                                 Excerpt(20, "xy"))
    bare = FileReport("d.md", 8, (f,))
    tree = lxml.html.fromstring(render_html(ScanReport(files=(bare,))))
    assert "".join(m.text_content() for m in tree.xpath("//div[@data-side='d']//mark")) == text


def test_why_a_passage_counts() -> None:
    p = _passage("a b c d", "a b c d", 0, 0)
    assert why(p) == "counts: all 4 words"
    assert why(Passage(**{**p.__dict__, "counted_words": 3})).startswith("counts 3 of 4 words")
    assert why(Passage(**{**p.__dict__, "counted_words": 0})).startswith("not counted: a loose")
    assert why(Passage(**{**p.__dict__, "exempt": "quotation"})).startswith(
        "not counted: fair quotation")


def test_fixture_scan_marks_every_passage_and_keeps_json_lean(fixture_index: Path) -> None:
    with Index.open(fixture_index) as index:
        report = index.scan([DRAFTS])
    tree = lxml.html.fromstring(render(report, "html"))
    data = json.loads(render(report, "json"))
    assert data["schema_version"] == 1
    articles = tree.xpath("//article[contains(@class, 'finding')]")
    findings = [f for fr in data["files"] for f in fr["findings"]]
    assert len(articles) == len(findings)
    for art, f in zip(articles, findings, strict=True):
        for n, p in enumerate(f["passages"], 1):
            for side, want in (("d", p["text"]), ("s", p["source_text"])):
                marks = art.xpath(f".//div[@data-side='{side}']//mark")
                got = "".join(m.text_content() for m in marks
                              if str(n) in m.get("data-p").split())
                # HTML parsers read CRLF as LF (the cp1252 CRLF fixture has it).
                assert got == want.replace("\r\n", "\n")
            assert isinstance(p["counted_words"], int) and p["counted_words"] <= p["words"]
            assert not p["exempt"] or p["counted_words"] == 0
    # Counted passages of an allowed use say why they are allowed.
    n = [Path(f["path"]).name for f in data["files"]].index("ccby-credited.md")
    assert data["files"][n]["findings"][0]["reason"] == "attributed"
    row = tree.xpath(f"//section[@id='d{n + 1}']//table[@class='passages']/tbody/tr")[0]
    assert "allowed, as the draft credits the source" in row.text_content()
    # JSON gains counted_words per passage only: no draft text, no source excerpts.
    assert all("source_excerpts" not in f for f in findings)
    assert all("text" not in fr for fr in data["files"])
    # The page names every verdict in words.
    words = [re.sub(r"\s+", " ", r.text_content()).strip().split(" ")[0]
             for r in tree.xpath("//table[@class='overview']/tbody/tr")]
    assert words == [fr["verdict"].upper() for fr in data["files"]]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_cli_writes_the_report(fixture_index: Path, tmp_path: Path, fmt: str) -> None:
    from typer.testing import CliRunner

    from checker.cli import app

    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(app, ["scan", str(DRAFTS / "pasted-paragraph.md"), "--index",
                                      str(fixture_index), "--format", fmt, "--output", str(out)])
    assert result.exit_code == 1, result.output
    text = out.read_text("utf-8")
    assert "pasted-paragraph.md" in text and "reproduction" in text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*"ab <>&\"'/=;:{}%#\n\t", "</script>", "é", "🙂", "<!--",
                                  "]]>", "&lt;"]), min_size=3, max_size=40).map("".join),
       st.data())
def test_any_draft_text_comes_back_as_itself(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 1, len(text)))
    p = _passage(text[start:end], text[start:end], start, 0, counted_words=1)
    f = Finding(verdict=Verdict.WARN, reason="below-threshold", message=text,
                source=SourceRef("i", text, text, text, "L", text), similarity=1.0,
                draft_coverage=1.0, source_coverage=1.0, reproduced_words=1, longest_run_words=1,
                passages=(p,), source_excerpts=(Excerpt(0, text[start:end]),))
    tree = lxml.html.fromstring(render_html(ScanReport(files=(FileReport("d", 1, (f,),
                                                                         text=text),))))
    [pane] = tree.xpath("//div[@data-side='d']")
    numbers = "".join(n.text_content() for n in pane.xpath(".//span[@class='pn']"))
    assert pane.text_content() == text[:start] + numbers + text[start:]
    assert "".join(m.text_content() for m in pane.xpath(".//mark")) == text[start:end]
    assert tree.xpath("count(//script)") == 1
