"""Line and column numbers in the file the user has open, for text and HTML drafts."""

from __future__ import annotations

from pathlib import Path

from checker import Index, Verdict
from checker.locate import SourceLocator, locator
from checker.text import LineIndex

PAGE = """<!DOCTYPE html>
<html><head><title>Harbor news</title>
<script>var words = "the ferry will run twice a day";</script>
<style>p { color: red }</style></head>
<body><nav><a href="/">Home</a></nav>
<!-- the ferry will run twice a day: a comment, never shown -->
<article>
  <p>The council met on Monday.</p>
  <p>The ferry will run twice a day until the new crew is trained,
     the harbor master said, and the caf&eacute; on Pier&nbsp;2 stays open.</p>
</article>
</body></html>
"""
EXTRACTED = ("The council met on Monday.\n\nThe ferry will run twice a day until the new crew "
             "is trained, the harbor master said, and the café on Pier 2 stays open.")


def page_line_col(needle: str) -> tuple[int, int]:
    at = PAGE.index(needle)
    return LineIndex(PAGE).line_col(at)


def test_text_drafts_number_their_own_lines() -> None:
    text = "one\ntwo three\n"
    assert locator(text).line_col(8) == LineIndex(text).line_col(8) == (2, 5)


def test_html_passages_point_into_the_page_not_into_the_extracted_text() -> None:
    loc = locator(EXTRACTED, PAGE)
    start = EXTRACTED.index("The ferry")
    # Not the script, not the comment: the article's paragraph, line 9 of the page.
    assert loc.line_col(start) == page_line_col("The ferry will run twice a day until")
    assert loc.line_col(start)[0] == 9
    # A word further on, on the page's next line.
    assert loc.line_col(EXTRACTED.index("harbor master")) == page_line_col("harbor master")


def test_entities_and_ends_of_words() -> None:
    loc = SourceLocator(EXTRACTED, PAGE)
    assert loc.line_col(EXTRACTED.index("café")) == page_line_col("caf&eacute;")
    assert loc.line_col(EXTRACTED.index("Pier 2")) == page_line_col("Pier&nbsp;2")
    end = EXTRACTED.index("Monday") + len("Monday") - 1  # a passage's last character
    line, col = page_line_col("Monday")
    assert loc.line_col(end) == (line, col + len("Monday") - 1)


def test_words_the_page_does_not_show_fall_back_to_the_extracted_text() -> None:
    text = "Nothing of this stands in the page."
    assert SourceLocator(text, PAGE).line_col(8) == LineIndex(text).line_col(8)


def test_a_scanned_html_draft_reports_the_page_line(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent / "fixtures"
    page = root / "drafts" / "page.html"
    with Index.open(tmp_path / "ix", create=True) as index:
        index.add([root / "articles"])
        report = index.scan([page])
    (finding,) = [f for f in report.files[0].findings if f.verdict is Verdict.FAIL]
    passage = finding.passages[0]
    html_lines = page.read_text(encoding="utf-8").splitlines()
    words = passage.text.split()[:4]
    line = html_lines[passage.line - 1]
    assert " ".join(words) in line
    assert line[passage.column - 1 :].startswith(words[0])


def test_hidden_parts_of_a_page_never_run_past_the_next_opening() -> None:
    from checker.locate import _visible_words

    page = ("<p>one</p><script>var a = 1 < 2;</script><p>two</p>"
            "<!-- hidden --><style>p{}</style><p>three</p>")
    assert _visible_words(page)[0] == ["one", "two", "three"]
    # Unclosed scripts, comments and tags, thousands of them: the words after them are
    # still found (each part stops at the next opening of its kind: linear time).
    hostile = "<script>x" * 3000 + "<!--" * 3000 + "<b" * 3000 + "<p>four</p>"
    words, starts = _visible_words(hostile)
    assert words[-1] == "four" and hostile[starts[-1]:starts[-1] + 4] == "four"
