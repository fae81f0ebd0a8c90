"""The Markdown summary: content, escaping (parsed as CommonMark + GFM tables), size, and
the Action step that writes it to the job summary and the HTML report beside it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from checker import Index
from checker.render import render
from checker.render.markdown import escape, render_markdown
from checker.report import FileReport, Finding, Passage, ScanReport, SourceRef, Verdict
from tests.conftest import DRAFTS, ROOT

EVIL = ("<script>alert(1)</script> **bold** [link](javascript:alert(2)) ![i](x.png) `code` "
        "| pipe | ~~gone~~ $x$ @octocat #1 &amp; <img src=x onerror=alert(3)>\n# heading")


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _inline_types(text: str) -> set[str]:
    types: set[str] = set()
    for tok in _md().parse(text):
        types.add(tok.type)
        types.update(child.type for child in tok.children or [])
    return types


def test_escape_makes_any_text_literal() -> None:
    out = escape(EVIL)
    assert "\n" not in out and "@octocat" not in out
    types = _inline_types(out)
    assert not types & {"html_inline", "html_block", "link_open", "image", "strong_open",
                        "code_inline", "s_open", "heading_open"}, types
    html = _md().render(out)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "**bold**" in html and "[link](javascript:alert(2))" in html


def _evil_report() -> ScanReport:
    p = Passage(draft_start=0, draft_end=10, line=3, column=1, end_line=5, end_column=2,
                source_start=0, source_end=10, words=30, similarity=1.0, text="t",
                source_text="t", counted_words=30)
    src = SourceRef(id="x", path=EVIL, title=EVIL, publisher=EVIL, license=EVIL, notice="")
    f = Finding(verdict=Verdict.FAIL, reason="reproduction", message=EVIL, source=src,
                similarity=1.0, draft_coverage=0.5, source_coverage=0.5, reproduced_words=30,
                longest_run_words=30, passages=(p,))
    return ScanReport(files=(FileReport(EVIL, 60, (f,)), FileReport("b|ad.md", 0, error=EVIL)),
                      warnings=(EVIL,))


def test_hostile_text_stays_text_in_the_summary() -> None:
    out = render_markdown(_evil_report())
    tokens = _md().parse(out)
    # Our own <details>/<summary> are the only HTML; every table row has its six cells.
    html = [t.content.strip() for t in tokens if t.type == "html_block"]
    assert all(h.startswith(("<details>", "</details>")) for h in html), html
    inline = [c for t in tokens for c in t.children or []]
    assert not {c.type for c in inline} & {"html_inline", "link_open", "image", "s_open"}
    # The one code span is ours (how to get the HTML report).
    assert [c.content for c in inline if c.type == "code_inline"] == [
        "checker scan --format html --output report.html"]
    rows = [t for t in tokens if t.type == "tr_open"]
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(rows) == 3 and len(cells) == 2 * 6  # header + error + finding
    assert "| **FAIL** |" in out and "| **ERROR** |" in out and "3\u20135" in out


def test_fixture_summary_matches_the_json_report(fixture_index: Path) -> None:
    with Index.open(fixture_index) as index:
        report = index.scan([DRAFTS])
    data = json.loads(render(report, "json"))
    out = render(report, "markdown")
    s = data["summary"]
    assert out.startswith(f"### checker: {s['verdict'].upper()}\n")
    assert (f"{s['files']} drafts scanned: **{s['fail']} fail**, {s['warn']} warn, "
            f"{s['pass']} pass.") in out
    bad = [(fr["path"], f) for fr in data["files"] for f in fr["findings"]
           if f["verdict"] != "pass"]
    table = [line for line in out.splitlines() if line.startswith("| **")]
    assert len(table) == len(bad)
    for path, f in bad:
        counted = sum(p["counted_words"] for p in f["passages"] if not p["exempt"])
        assert any(escape(path) in row and f"| {escape(f['reason'])} | {counted} |" in row
                   for row in table), (path, f["reason"])
    assert f"{s['pass']} drafts pass (allowed reuse: " in out
    assert len(out) < 10_000


def test_long_reports_are_cut_at_max_rows() -> None:
    r = _evil_report()
    many = ScanReport(files=r.files[:1] * 80)
    out = render_markdown(many, max_rows=10)
    assert sum(1 for line in out.splitlines() if line.startswith("| **FAIL")) == 10
    assert "and 70 more findings: see the HTML report" in out


def test_the_action_writes_the_job_summary_and_the_html_report(fixture_index: Path,
                                                               tmp_path: Path) -> None:
    """Run the Action's own report step (bash, from action.yml) as a runner would."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    steps = action["runs"]["steps"]
    step = next(s for s in steps if s.get("name") == "Job summary and HTML report")
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "${{ inputs.html-report }}"
    assert action["inputs"]["html-report"]["default"] == "checker-report.html"
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {**os.environ, "PATHS": str(DRAFTS), "CHANGED_SINCE": "none", "BASE_SHA": "",
           "INDEX": str(fixture_index), "CONFIG": "", "SUMMARY": "true",
           "HTML": str(tmp_path / "checker-report.html"), "GITHUB_STEP_SUMMARY": str(summary),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### checker: FAIL\n")
    page = (tmp_path / "checker-report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "pasted-paragraph.md" in page
