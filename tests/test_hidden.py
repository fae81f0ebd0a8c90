"""Elements a page marks as never shown (checker.hidden)."""

from __future__ import annotations

import re

import pytest

from checker.hidden import HIDDEN_ELEMENT, HIDDEN_STYLE_RE, hides, without_hidden
from checker.html import page_blocks
from checker.text import tokenize


@pytest.mark.parametrize("style", [
    "display:none", "display: none !important", "DISPLAY:NONE", "color:red; display:none",
    "visibility:hidden", "visibility: collapse", "font-size:0", "font-size: 0px",
    "font-size:0.0em", "font-size:0%", "opacity:0", "opacity: 0.0;",
    "color: transparent", "color:rgba(0, 0, 0, 0)", "color: rgb(0 0 0 / 0%)",
    "color:hsla(0,0%,0%,0.0)", "color:#fff0", "color: #FFFFFF00",
    "-webkit-text-fill-color: transparent", "transform: scale(0)", "transform:scaleX(0)",
    "transform: scale(0, 1)", "clip-path: inset(50%)", "clip-path:inset(100% 0 0 0)",
    "clip-path: circle(0)", "position:absolute; left:-9999px", "top: -10000px",
    "text-indent:-9999px", "left: -200em",
])
def test_hiding_styles(style: str) -> None:
    assert HIDDEN_STYLE_RE.search(style + ";")
    assert HIDDEN_STYLE_RE.search(style)
    assert hides(style)


@pytest.mark.parametrize("style", [
    "display:block", "font-size:0.8em", "font-size: 10px", "opacity:0.5", "opacity: 1",
    "visibility:visible", "display:inline; color:none",
    "background-color: transparent", "border-color:rgba(0,0,0,0)", "color: rgba(0,0,0,0.5)",
    "color:#fff", "color: #000000ff", "transform: scale(1.2)", "transform:scale(0.5)",
    "clip-path: inset(10%)", "left: -20px", "margin-left:-9999px", "text-indent: 2em",
    "top:-999px",
])
def test_showing_styles(style: str) -> None:
    assert not HIDDEN_STYLE_RE.search(style)
    assert not hides(style)


def test_a_clear_color_shows_text_painted_with_its_background() -> None:
    # A gradient heading: the text is painted by its background.
    assert not hides("background: linear-gradient(red, blue); -webkit-background-clip: text;"
                     " background-clip: text; color: transparent")
    assert hides("background-clip: text; color: transparent; display: none")
    page = ("<style>.g { background-clip: text; color: transparent } .c { color: transparent }"
            "</style><p>wa<span class='g'>te</span>r ri<span class='c'>qz</span>ses</p>")
    assert tokenize(page_blocks(page)[0]).words == ["water", "rises"]


def test_hidden_elements_are_dropped_with_their_content_and_tails_kept() -> None:
    page = ("<html><body><p>wa<span hidden>qz</span>ter rates <b style='font-size:0'>xx</b>"
            "rose <i style=\"opacity: 0\">yy</i>again <span>seen</span></p></body></html>")
    out = without_hidden(page)
    assert "qz" not in out and "xx" not in out and "yy" not in out
    text = re.sub(r"<[^>]+>", "", out)
    assert "water rates rose again seen" in text


def test_a_page_without_hidden_elements_is_returned_as_it_is() -> None:
    page = "<html><body><p>The <em>hidden</em> cost of display ads.</p></body></html>"
    assert without_hidden(page) is page


@pytest.mark.parametrize(("markup", "hidden"), [
    ("<span hidden>qz</span>", True), ('<span hidden="">qz</span>', True),
    ("<span style='display:none'>qz</span>", True), ('<b style="font-size:0">qz</b>', True),
    ("<span class='hidden'>qz</span>", False), ("<span data-hidden='1'>qz</span>", False),
    ("<span>qz</span>", False),
])
def test_hidden_element_in_raw_html(markup: str, hidden: bool) -> None:
    assert (re.fullmatch(HIDDEN_ELEMENT, markup) is not None) is hidden


def test_hidden_element_content_stops_at_the_next_tag_of_its_name() -> None:
    # No nesting: a hostile draft of unclosed hidden spans is matched in linear time.
    text = "<span hidden>a" * 3000 + "<span hidden>b</span>"
    assert [m.group() for m in re.finditer(HIDDEN_ELEMENT, text)] == ["<span hidden>b</span>"]
