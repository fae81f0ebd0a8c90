"""Article text, metadata and notice text from HTML (checker.html)."""

from __future__ import annotations

from conftest import ARTICLES, DRAFTS

from checker.html import extract_html

PAGE = """<!DOCTYPE html>
<html><head>
<title>Library adds Sunday hours | The Example Post</title>
<meta name="copyright" content="Copyright 2025 Example Post Media">
<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">
<script>var tracker = "menuscriptword";</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">Navlinkword</a></nav></header>
<main><article>
<h1>Library adds Sunday hours</h1>
<p>The central library will open on Sundays from next month, the city said on Tuesday,
after a survey found that most residents wanted weekend access to study rooms.</p>
<p>Officials said the extra hours would cost about 40,000 dollars a year and would be paid
for by a grant from a local foundation that supports reading programmes.</p>
<p>Librarians welcomed the change and said weekend story sessions for children would
resume in the spring, along with a new series of evening talks.</p>
</article>
<aside><h2>Related</h2><a href="/x">Asidelinkword story</a></aside>
</main>
<footer><p>&copy; 2025 The Example Post. Footerword terms apply.</p></footer>
</body></html>
"""


def test_main_text_kept_boilerplate_dropped() -> None:
    page = extract_html(PAGE)
    assert "The central library will open on Sundays" in page.text
    assert "a new series of evening talks" in page.text
    for word in ("menuscriptword", "Navlinkword", "Asidelinkword", "Footerword"):
        assert word not in page.text
    assert page.meta.title.startswith("Library adds Sunday hours")


def test_notice_text_collects_footer_meta_and_license_link() -> None:
    notice = extract_html(PAGE).notice_text
    assert "Copyright 2025 Example Post Media" in notice
    assert "https://creativecommons.org/licenses/by/4.0/" in notice
    assert "\u00a9 2025 The Example Post" in notice


def test_fixture_pages() -> None:
    hill = extract_html((ARTICLES / "hillcrest-commons-mesh-network.html").read_text("utf-8"))
    assert "creativecommons.org/licenses/by-sa/4.0" in hill.notice_text
    draft = extract_html((DRAFTS / "page.html").read_text("utf-8"))
    assert draft.text.strip()
    assert "<script" not in draft.text and "function" not in draft.text


def test_not_html_at_all() -> None:
    page = extract_html("")
    assert page.text == "" and page.notice_text == ""


def test_notice_text_is_one_line_per_block() -> None:
    # A footer's navigation and its copyright line are separate lines, and the copyright
    # line, matched both as the footer's and as its own element, stands once.
    page = ("<html><body><article><p>" + "Some article text here. " * 30 + "</p></article>"
            "<footer><nav><a href='/a'>About us</a> | <a href='/c'>Contact</a></nav>"
            "<p class='copyright'>&copy; 2025 <b>The Harbor Times</b>. All rights reserved.</p>"
            "</footer></body></html>")
    lines = extract_html(page).notice_text.splitlines()
    assert lines == ["About us | Contact", "© 2025 The Harbor Times. All rights reserved."]


def test_notice_text_of_a_deeply_nested_footer() -> None:
    # Deeper than Python's recursion limit: the walk is iterative.
    page = ("<html><body><footer>" + "<div>" * 1500 + "&copy; 2025 Deep Wire"
            + "</div>" * 1500 + "</footer></body></html>")
    assert extract_html(page).notice_text == "© 2025 Deep Wire"


def test_page_blocks_run_inline_elements_together_and_split_blocks() -> None:
    from checker.html import page_blocks

    page = ("<html><head><title>T</title><script>x()</script></head><body><nav><a>Home</a>"
            "<a>News</a></nav><p>wa<b>te</b>r rates<br>rose</p><aside><p>one</p>two</aside>"
            + "<div>" * 2000 + "deep" + "</div>" * 2000 + "</body></html>")
    assert page_blocks(page) == ["HomeNews", "water rates", "rose", "one", "two", "deep"]


def test_a_draft_page_is_scanned_with_the_text_outside_its_main_article() -> None:
    from checker.documents import TextDocument
    from checker.html import MIN_BLOCK_WORDS, as_draft, extract_html

    own = "The library will open an hour earlier on weekdays from next month, its board said."
    aside = " ".join(f"word{i}" for i in range(MIN_BLOCK_WORDS + 4))
    page = (f"<html><body><nav><a>Home</a></nav><article><h1>Library hours</h1><p>{own}</p>"
            f"<p>{own} Readers asked for it.</p></article><aside><p>{aside}</p></aside>"
            "<footer>Short footer</footer></body></html>")
    main = extract_html(page).text
    assert "word1" not in main  # the extractor keeps the article only
    doc = as_draft(TextDocument(key="p", path="p.html", text=main, source=page))
    assert doc.text.startswith(main) and doc.text.endswith(aside)
    assert "Short footer" not in doc.text and doc.text.count(own) == main.count(own)
    # Not an HTML page: as it is.
    plain = TextDocument(key="t", path="t.txt", text="x")
    assert as_draft(plain) is plain


LONG = "Long block of words that stands on its own here"


def test_short_blocks_next_to_each_other_are_read_together() -> None:
    from checker.html import unextracted_blocks

    main = "The library opens an hour earlier on weekdays from next month, the board said."
    copy = ("The council approved a rise in water rates on Monday after a long debate "
            "about the cost of the new treatment plant and the state of the old pipes")
    words = copy.split()
    pieces = [" ".join(words[i:i + 5]) for i in range(0, len(words), 5)]
    page = (f"<html><body><article><p>{main}</p></article><nav><a>Home</a></nav><aside>"
            + "".join(f"<div>{p}</div>" for p in pieces) + f"</aside><footer><p>{LONG}</p>"
            "</footer></body></html>")
    blocks = unextracted_blocks(page, main)
    assert [b.split() for b in blocks] == [["Home", *words], LONG.split()]
    # Fewer than MIN_BLOCK_WORDS in all: nothing.
    assert unextracted_blocks("<html><body><p>Home</p><p>News and sport</p></body></html>",
                              "") == []
