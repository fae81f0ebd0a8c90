"""The HTML report in a real browser (Debian chromium, Playwright): what a reader sees.

Reports are made from the bundled fixtures (``fixtures/articles`` + ``fixtures/drafts``,
and ``fixtures/rights``) and from hostile drafts and sources (XSS payloads). Each page
must request nothing but itself and log no error. Screenshots go to pytest's temp dir
(``CHECKER_UPDATE_SCREENSHOT=1`` also writes ``docs/report.png``).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker import Index, ScanReport
from checker.render import render
from tests.browser import axe_source, launch, open_report
from tests.conftest import FIXTURES, ROOT, checker_command

RIGHTS = FIXTURES / "rights"
PARAGRAPH = (FIXTURES / "articles" / "harbor-times-crab-season.txt").read_text(
    "utf-8").split("\n\n")[4]

#: Payloads a pull request could put in a draft; each must show as text.
PAYLOADS = [
    "<script>window.__xss = 1; alert('draft')</script>",
    "</textarea><img src=x onerror=\"window.__xss=2\">",
    "<a href=\"javascript:window.__xss=3\">click me</a>",
    "<svg onload=\"window.__xss=4\"><script>window.__xss=5</script></svg>",
    "\"><iframe src=\"javascript:alert(6)\"></iframe>",
    "{{ 7*7 }} {% raw %} ${7*7}",
]


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    """name -> (HTML report, its JSON report as a dict) for the fixture scans."""
    out = tmp_path_factory.mktemp("html-reports")
    made: dict[str, tuple[Path, dict[str, Any]]] = {}

    def save(name: str, report: ScanReport) -> None:
        made[name] = (_write(out / f"{name}.html", render(report, "html")),
                      json.loads(render(report, "json")))

    # The README's scan, run as a user would (relative paths, the installed command).
    cli, idx = checker_command(), str(out / "main-index")
    subprocess.run([*cli, "index", "add", "fixtures/articles", "--index", idx], cwd=ROOT,
                   check=True, capture_output=True)
    for fmt in ("html", "json"):
        done = subprocess.run([*cli, "scan", "fixtures/drafts", "--index", idx, "--format", fmt,
                               "--output", str(out / f"main.{fmt}")], cwd=ROOT,
                              capture_output=True, text=True)
        assert done.returncode == 1 and not done.stderr, done.stderr
    made["main"] = (out / "main.html", json.loads((out / "main.json").read_text("utf-8")))
    with Index.open(out / "main-index") as index:
        # Hostile drafts: payloads around and between passages copied from a fixture.
        hostile = out / "hostile"
        payload = "\n\n".join(PAYLOADS)
        _write(hostile / "xss.md", f"# {PAYLOADS[0]}\n\n{payload}\n\n{PARAGRAPH}\n\n{payload}\n")
        _write(hostile / "xss.txt", f"{payload}\n\n{PARAGRAPH}\n\n{PAYLOADS[3]}\n")
        escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        _write(hostile / "xss.html", f"<html><body><article><p>{escaped}</p><p>{PARAGRAPH}"
                                     f"</p><p>{escaped}</p></article></body></html>\n")
        # A hostile indexed source: payloads in its title, publisher, URL and text.
        src = _write(out / "hostile-src" / "evil.md",
                     "---\ntitle: \"<script>window.__xss=8</script> Evil title\"\n"
                     "publisher: \"<img src=x onerror=window.__xss=9>\"\n"
                     "url: \"javascript:window.__xss=10\"\nlicense: CC-BY-4.0\n---\n\n"
                     f"{PAYLOADS[1]}\n\nThe harbor dredging plan would deepen the inner "
                     "channel to forty feet, letting larger container ships dock at the "
                     "north terminal for the first time since the port opened, officials said "
                     "on Tuesday after a long review of the environmental report.\n\n"
                     f"{PAYLOADS[3]}\n")
        index.add([src])
        _write(hostile / "copies-evil.md",
               "Our take.\n\nThe harbor dredging plan would deepen the inner channel to forty "
               "feet, letting larger container ships dock at the north terminal for the first "
               "time since the port opened, officials said on Tuesday after a long review of "
               "the environmental report.\n")
        save("xss", index.scan([hostile]))
    with Index.open(out / "rights-index", create=True) as index:
        index.add([RIGHTS / "articles"])
        save("rights", index.scan([RIGHTS / "drafts"]))
    return made


DOM_SUMMARY = """() => {
  const rows = [...document.querySelectorAll('table.overview tbody tr')].map(r => ({
    verdict: r.dataset.verdict, path: r.dataset.path, counted: Number(r.dataset.counted),
    shown: r.querySelector('.verdict').textContent}));
  const findings = [...document.querySelectorAll('article.finding')].map(a => {
    const text = (side, n) => [...a.querySelectorAll(
        `.pane[data-side="${side}"] mark.p`)].filter(m => m.dataset.p.split(' ').includes(
        String(n))).map(m => m.textContent).join('');
    const n = a.querySelectorAll('table.passages tbody tr').length;
    const ps = [];
    for (let i = 1; i <= n; i++) ps.push({draft: text('d', i), source: text('s', i)});
    return {id: a.id, verdict: a.dataset.verdict, passages: ps,
            heading: a.querySelector('h3').textContent};
  });
  return {rows, findings};
}"""


@pytest.mark.parametrize("name", ["main", "rights"])
def test_every_passage_is_highlighted_on_both_sides(browser: Any, reports: Any,
                                                    name: str) -> None:
    path, data = reports[name]
    page, log = open_report(browser, path)
    dom = page.evaluate(DOM_SUMMARY)
    assert [r["path"] for r in dom["rows"]] == [f["path"] for f in data["files"]]
    assert [r["shown"] for r in dom["rows"]] == [f["verdict"].upper() for f in data["files"]]
    by_id = {f["id"]: f for f in dom["findings"]}
    expected_findings = 0
    for n, fr in enumerate(data["files"], 1):
        counted = 0
        for i, f in enumerate(fr["findings"], 1):
            shown = by_id[f"d{n}-f{i}"]
            assert shown["verdict"] == f["verdict"] and f["reason"] in shown["heading"]
            assert len(shown["passages"]) == len(f["passages"])
            for p, seen in zip(f["passages"], shown["passages"], strict=True):
                # An HTML parser reads CRLF and CR as LF (a cp1252 CRLF fixture has them).
                assert seen["draft"] == _lf(p["text"])
                assert seen["source"] == _lf(p["source_text"])
                counted += 0 if p["exempt"] else p["counted_words"]
            expected_findings += 1
        expected_findings += len(fr["suppressed"])
        assert dom["rows"][n - 1]["counted"] == counted
    assert len(dom["findings"]) == expected_findings > 10
    assert page.locator("table.passages tbody tr").count() == sum(
        len(f["passages"]) for fr in data["files"] for f in fr["findings"])
    log.assert_clean()
    page.close()


def _out_of_view_cases(page: Any) -> list[dict[str, Any]]:
    """(finding, passage, side) whose mark on the *other* side can be scrolled out of view."""
    return list(page.evaluate("""() => {
      const out = [];
      for (const a of document.querySelectorAll('article.finding')) {
        for (const side of ['d', 's']) {
          const other = side === 'd' ? 's' : 'd';
          const pane = a.querySelector(`.pane[data-side="${other}"]`);
          if (pane.scrollHeight <= pane.clientHeight + 50) continue;
          const n = a.querySelectorAll('table.passages tbody tr').length;
          for (let i = 1; i <= n; i++) out.push({id: a.id, n: i, side});
        }
      }
      return out;
    }"""))


IN_VIEW = """([id, n, side]) => {
  const a = document.getElementById(id);
  const pane = a.querySelector(`.pane[data-side="${side}"]`);
  const m = pane.querySelector(`mark.p[data-p~="${n}"]`);
  const r = m.getBoundingClientRect(), p = pane.getBoundingClientRect();
  const inPane = r.bottom > p.top && r.top < p.bottom;
  const inWindow = r.bottom > 0 && r.top < window.innerHeight;
  return {inPane, inWindow, active: m.classList.contains('active')};
}"""

HIDE = """([id, n, side]) => {
  const pane = document.getElementById(id).querySelector(`.pane[data-side="${side}"]`);
  const m = pane.querySelector(`mark.p[data-p~="${n}"]`);
  pane.scrollTop = m.offsetTop > pane.clientHeight ? 0 : pane.scrollHeight;
}"""


def _click_mark(page: Any, finding: str, n: int, side: str) -> None:
    """Click the first line of a passage's first mark, as a reader would (a mark that
    wraps has other text in the middle of its bounding box)."""
    x, y = page.evaluate("""([id, n, side]) => {
      const m = document.getElementById(id).querySelector(
          `.pane[data-side="${side}"] mark.p[data-p~="${n}"]`);
      m.scrollIntoView({block: 'start'});
      const r = m.getClientRects()[0];
      return [r.left + Math.min(5, r.width / 2), r.top + r.height / 2]; }""",
                         [finding, n, side])
    page.mouse.click(x, y)


def test_clicking_a_passage_scrolls_the_other_side_to_it(browser: Any, reports: Any) -> None:
    path, _ = reports["main"]
    page, log = open_report(browser, path)
    cases = _out_of_view_cases(page)
    checked = 0
    for case in cases:
        other = "s" if case["side"] == "d" else "d"
        args = [case["id"], case["n"], other]
        page.evaluate(HIDE, args)
        if page.evaluate(IN_VIEW, args)["inPane"]:
            continue  # too close to the pane's edge to hide
        _click_mark(page, case["id"], case["n"], case["side"])
        seen = page.evaluate(IN_VIEW, args)
        assert seen == {"inPane": True, "inWindow": True, "active": True}, case
        checked += 1
    assert checked >= 4  # both directions, several findings
    log.assert_clean()
    page.close()


def test_keyboard_steps_through_findings(browser: Any, reports: Any) -> None:
    path, data = reports["main"]
    page, log = open_report(browser, path)
    ids = page.evaluate("() => [...document.querySelectorAll('article.finding')].map(a => a.id)")
    assert len(ids) == sum(len(f["findings"]) + len(f["suppressed"]) for f in data["files"])
    focused = "() => document.activeElement.closest('article.finding')?.id"
    for key, expect in [("j", 0), ("j", 1), ("n", 2), ("k", 1), ("p", 0), ("p", 0)]:
        page.keyboard.press(key)
        assert page.evaluate(focused) == ids[expect]
        assert page.locator("#finding-pos").text_content() == \
            f"Finding {expect + 1} of {len(ids)}"
        top = page.evaluate(f"() => document.getElementById('{ids[expect]}')"
                            ".getBoundingClientRect().top")
        assert -2 <= top < 900
    # Tab to a passage and press Enter: the other side's mark takes the focus.
    mark = page.locator(f"#{ids[0]} .pane[data-side='d'] mark.p[tabindex='0']").first
    mark.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.closest('.pane').dataset.side") == "s"
    assert page.evaluate("() => document.activeElement.classList.contains('active')")
    # The buttons do the same as the keys.
    page.click("#next-finding")
    assert page.evaluate(focused) == ids[1]
    log.assert_clean()
    page.close()


def test_filter_and_sort_the_overview(browser: Any, reports: Any) -> None:
    path, data = reports["main"]
    page, log = open_report(browser, path)
    visible = ("() => [...document.querySelectorAll('table.overview tbody tr')]"
               ".filter(r => !r.hidden).map(r => r.dataset.path)")
    page.select_option("#filter-verdict", "pass")
    assert page.evaluate(visible) == [f["path"] for f in data["files"] if f["verdict"] == "pass"]
    assert page.locator("#filter-status").text_content() == \
        f"Showing {data['summary']['pass']} of {len(data['files'])} drafts"
    page.select_option("#filter-verdict", "")
    page.select_option("#filter-reason", "reproduction")
    want = [f["path"] for f in data["files"]
            if any(x["reason"] == "reproduction" for x in f["findings"])]
    assert page.evaluate(visible) == want
    hidden = page.evaluate("() => [...document.querySelectorAll('section.draft')]"
                           ".filter(s => s.hidden).length")
    assert hidden == sum(1 for f in data["files"] if f["findings"]) - len(want)
    page.select_option("#filter-reason", "")
    page.click("th[data-sort='counted'] button")
    page.click("th[data-sort='counted'] button")  # descending
    counted = page.evaluate("() => [...document.querySelectorAll('table.overview tbody tr')]"
                            ".map(r => Number(r.dataset.counted))")
    assert counted == sorted(counted, reverse=True) and counted[0] > 0
    assert page.get_attribute("th[data-sort='counted']", "aria-sort") == "descending"
    log.assert_clean()
    page.close()


def test_hostile_drafts_and_sources_render_as_text(browser: Any, reports: Any) -> None:
    path, data = reports["xss"]
    page, log = open_report(browser, path)
    assert {Path(f["path"]).name for f in data["files"] if f["findings"]} == {
        "xss.md", "xss.txt", "xss.html", "copies-evil.md"}
    page.keyboard.press("j")
    for m in page.locator("mark.p").all()[:20]:
        m.click()
    assert page.evaluate("() => window.__xss") is None
    counts = page.evaluate("""() => ({
      scripts: document.scripts.length, svg: document.querySelectorAll('svg').length,
      img: document.images.length, iframe: document.querySelectorAll('iframe').length,
      textarea: document.querySelectorAll('textarea').length,
      js: [...document.links].filter(a => !/^(file|https?):/.test(a.href)).length})""")
    assert counts == {"scripts": 1, "svg": 0, "img": 0, "iframe": 0, "textarea": 0, "js": 0}
    text = page.evaluate("() => document.body.innerText")
    for payload in PAYLOADS:
        assert " ".join(payload.split()) in " ".join(text.split())
    assert "<script>window.__xss=8</script> Evil title" in text
    assert "javascript:window.__xss=10" in text  # the URL, as text: not a link
    log.assert_clean()
    page.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_accessibility_no_serious_violations(browser: Any, reports: Any, width: int) -> None:
    axe = axe_source()
    for name in ("main", "xss"):
        # The page's CSP admits only its own script: axe needs it lifted.
        page, log = open_report(browser, reports[name][0], width=width, bypass_csp=True)
        page.add_script_tag(content=axe)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: "
                               "['violations']})")
        bad = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
        assert not bad, bad
        log.assert_clean()
        page.close()


def test_usable_at_375_pixels(browser: Any, reports: Any, tmp_path: Path) -> None:
    page, log = open_report(browser, reports["main"][0], width=375, height=800)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    stacked = page.evaluate("""() => {
      const [d, s] = document.querySelectorAll('article.finding .pane');
      return s.getBoundingClientRect().top >= d.getBoundingClientRect().bottom; }""")
    assert stacked
    page.keyboard.press("j")
    page.screenshot(path=str(tmp_path / "report-375.png"))
    log.assert_clean()
    page.close()


def test_print_styles_show_whole_texts(browser: Any, reports: Any) -> None:
    page, log = open_report(browser, reports["main"][0])
    page.emulate_media(media="print")
    styles = page.evaluate("""() => {
      const pane = document.querySelector('.pane');
      const nav = document.querySelector('.finding-nav');
      return {overflow: getComputedStyle(pane).overflowY,
              maxHeight: getComputedStyle(pane).maxHeight,
              nav: getComputedStyle(nav).display}; }""")
    assert styles == {"overflow": "visible", "maxHeight": "none", "nav": "none"}
    assert len(page.pdf()) > 10_000
    log.assert_clean()
    page.close()


def test_screenshot(browser: Any, reports: Any, tmp_path: Path) -> None:
    """The README's screenshot: the overview, then a failing draft beside its source.

    Look at the file after a change to the page (``CHECKER_UPDATE_SCREENSHOT=1`` writes
    ``docs/report.png``)."""
    page, log = open_report(browser, reports["main"][0], width=1200, height=1250)
    page.evaluate("() => document.querySelector('details.help').open = true")
    # A draft stitched from four passages of one source: the README's example.
    key = page.evaluate("() => document.querySelector('tr[data-path$=\"stitched.md\"]')"
                        ".dataset.target")
    first = page.locator(f"#{key} article.finding").first
    first.locator(".pane[data-side='d'] mark.p").first.click()
    shots = [tmp_path / "overview.png", tmp_path / "finding.png"]
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(shots[0]))
    first.scroll_into_view_if_needed()
    page.evaluate("(id) => document.getElementById(id).scrollIntoView()",
                  first.get_attribute("id"))
    page.screenshot(path=str(shots[1]))
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    if os.environ.get("CHECKER_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs" / "report.png").write_bytes(shots[1].read_bytes())
    log.assert_clean()
    page.close()
