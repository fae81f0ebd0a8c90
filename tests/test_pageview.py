"""Text a browser shows otherwise than it is written (checker.pageview, checker.html)."""

from __future__ import annotations

import base64
import html
import urllib.parse

import lxml.html
import pytest

from checker import pageview
from checker.html import extract_html, page_blocks
from checker.pageview import framed_pages, mirror_overrides, shown_page
from checker.text import tokenize

TEXT = "the council voted to raise the water rates by nine percent next year"


def _tree(markup: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><body>{markup}</body></html>")


@pytest.mark.parametrize("markup", [
    '<bdo dir="rtl">{}</bdo>',
    '<bdo dir="RTL">{}</bdo>',
    '<p style="unicode-bidi: bidi-override; direction: rtl">{}</p>',
    '<span dir="rtl" style="unicode-bidi:isolate-override">{}</span>',
])
def test_a_right_to_left_override_reads_as_shown(markup: str) -> None:
    (block,) = page_blocks(markup.format(html.escape(TEXT[::-1])))
    assert tokenize(block).words == TEXT.split()


@pytest.mark.parametrize(("sheet", "markup"), [
    (".r { unicode-bidi: bidi-override; direction: rtl }", '<p class="x r">{}</p>'),
    ("p.r { unicode-bidi: bidi-override !important }", '<p class="r" dir="rtl">{}</p>'),
    (".a { direction: rtl } #b { unicode-bidi: isolate-override }", '<p class="a" id="b">{}</p>'),
    ("@media screen { .r { unicode-bidi: bidi-override; direction: rtl } }",
     "<div class=r>{}</div>"),
])
def test_a_style_sheet_override_reads_as_shown(sheet: str, markup: str) -> None:
    page = f"<html><head><style>{sheet}</style></head><body>{markup.format(TEXT[::-1])}</body>"
    (block,) = page_blocks(page)
    assert tokenize(block).words == TEXT.split()
    assert extract_html(page).text == TEXT


@pytest.mark.parametrize("sheet", [".r { unicode-bidi: bidi-override }",  # left to right
                                   ".r { direction: rtl }",  # no override: Latin stays
                                   ".q { unicode-bidi: bidi-override; direction: rtl }"])
def test_a_style_sheet_without_a_right_to_left_override_leaves_the_text(sheet: str) -> None:
    (block,) = page_blocks(f"<style>{sheet}</style><p class=r>{TEXT}</p>")
    assert block == TEXT


@pytest.mark.parametrize("markup", [
    '<p dir="rtl">{}</p>',  # a direction without an override: Latin letters stay in order
    '<p style="unicode-bidi: bidi-override">{}</p>',  # an override left to right
    '<bdo dir="ltr">{}</bdo>',
])
def test_no_right_to_left_override_leaves_the_text_as_written(markup: str) -> None:
    (block,) = page_blocks(markup.format(TEXT))
    assert tokenize(block).words == TEXT.split()


def test_override_mirrors_every_element_inside_but_not_the_tail() -> None:
    tree = _tree('<p><bdo dir="rtl">fe<b>dc<i>x</i>y</b>ba</bdo>gh</p>')
    assert mirror_overrides(tree)
    assert lxml.html.tostring(tree.find(".//p"), encoding="unicode") == (
        '<p><bdo dir="rtl">ab<b>y<i>x</i>cd</b>ef</bdo>gh</p>')
    (block,) = page_blocks('<p><bdo dir="rtl">fe<b>dc</b>ba</bdo></p>')
    assert tokenize(block).words == ["abcdef"]
    assert not mirror_overrides(_tree("<p>plain</p>"))


def test_past_the_mirror_depth_texts_reverse_where_they_stand(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pageview, "MAX_MIRROR_DEPTH", 1)
    tree = _tree('<p><bdo dir="rtl">fe<b>dc<i>x</i>yz<i>w</i></b>ba</bdo></p>')
    mirror_overrides(tree)
    # The <bdo> (depth 0) puts its child in place; inside <b> (depth 1) texts stay put.
    assert lxml.html.tostring(tree.find(".//p"), encoding="unicode") == (
        '<p><bdo dir="rtl">ab<b>cd<i>x</i>zy<i>w</i></b>ef</bdo></p>')


def test_right_to_left_letters_keep_their_order_under_an_override() -> None:
    (block,) = page_blocks('<p><bdo dir="rtl">\u05e9\u05dc\u05d5\u05dd dlrow</bdo></p>')
    assert block == "world \u05e9\u05dc\u05d5\u05dd"


def test_the_extracted_main_text_is_shown_text() -> None:
    paras = [f"{TEXT} {i}" for i in range(6)]
    page = ("<html><body><article>" + "".join(
        f'<p><bdo dir="rtl">{p[::-1]}</bdo></p>' for p in paras) + "</article></body></html>")
    assert extract_html(page).text.split("\n") == paras
    assert shown_page("<p>no override here</p>") == "<p>no override here</p>"


def test_an_override_runs_over_line_breaks_except_in_preformatted_text() -> None:
    # A line break is a space to a browser: the whole paragraph is shown reversed.
    written = TEXT[::-1].replace(" ", "\n", 3)
    (block,) = page_blocks(f'<p><bdo dir="rtl">{written}</bdo></p>')
    assert tokenize(block).words == TEXT.split()
    # In <pre>, each line is shown reversed on its own.
    lines = ["the water rates", "rise next year"]
    blocks = page_blocks('<pre><bdo dir="rtl">' + "\n".join(x[::-1] for x in lines)
                         + "</bdo></pre>")
    assert [tokenize(b).words for b in blocks] == [x.split() for x in lines]


def test_svg_text_is_read_and_what_is_never_drawn_is_not() -> None:
    blocks = page_blocks(
        "<svg><title>A chart title</title><desc>secret description</desc>"
        "<defs><text id='t'>defined only</text></defs>"
        f"<text x='0' y='10'>{TEXT}</text><text x='0' y='30'>second <tspan>line</tspan></text>"
        "</svg><p>after</p>")
    assert blocks == [TEXT, "second line", "after"]


def test_a_framed_document_is_read_after_the_page() -> None:
    inner = f"<p>{TEXT}</p><script>var x = 1</script>"
    percent = "data:text/html," + urllib.parse.quote(inner)
    b64 = "data:text/html;charset=utf-8;base64," + base64.b64encode(inner.encode()).decode()
    for frame in (f'<iframe srcdoc="{html.escape(inner, quote=True)}"></iframe>',
                  f'<iframe src="{percent}"></iframe>', f'<object data="{b64}"></object>',
                  f'<embed src="{b64}">',
                  # srcdoc wins over src, as in a browser
                  f'<iframe src="data:text/html,nothing" srcdoc="{html.escape(inner)}"></iframe>'):
        assert page_blocks(f"<p>before</p>{frame}") == ["before", TEXT], frame


@pytest.mark.parametrize("src", [
    "https://example.com/page.html", "data:text/plain,not a page", "data:text/html;base64,!!!",
    "", "data:image/png;base64,AAAA",
])
def test_frames_that_hold_no_inline_page_add_nothing(src: str) -> None:
    assert page_blocks(f'<p>before</p><iframe src="{src}">fallback text</iframe>') == ["before"]


def test_frames_inside_frames_are_read_to_a_bounded_depth() -> None:
    page = f"<p>{TEXT}</p>"
    for _ in range(pageview.MAX_FRAME_DEPTH + 2):
        page = f'<p>level</p><iframe srcdoc="{html.escape(page, quote=True)}"></iframe>'
    blocks = page_blocks(page)
    assert blocks == ["level"] * (pageview.MAX_FRAME_DEPTH + 1)


def test_frames_read_per_page_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pageview, "MAX_FRAMES", 3)
    frames = "".join(f'<iframe srcdoc="<p>frame {i}</p>"></iframe>' for i in range(10))
    assert framed_pages(_tree(frames)) == [f"<p>frame {i}</p>" for i in range(3)]
    monkeypatch.setattr(pageview, "MAX_FRAME_CHARS", 20)
    assert "".join(framed_pages(_tree(frames))) == "<p>frame 0</p><p>frame 1</p>"[:20]


@pytest.mark.parametrize(("markup", "words"), [
    # Shuffled, each with its order: shown in order.
    ('<div style="display:flex; gap:4px"><span style="order:2">voted</span>'
     '<span style="order:0">the</span><span style="order: 1">council</span></div>',
     ["the", "council", "voted"]),
    # Backwards in a reversed flex row.
    ('<div style="display:flex;flex-direction:row-reverse;column-gap:.3em"><b>voted</b>'
     "<b>council</b><b>the</b></div>", ["the", "council", "voted"]),
    ('<div style="display:inline-flex; flex-flow: row-reverse wrap"><i style="margin-right:2px">'
     "council</i><i>the</i></div>", ["the", "council"]),
    # A grid orders its items too (and has no reversed direction).
    ('<div style="display:grid;gap:1em"><p style="order:1">second</p><p>first</p></div>',
     ["first", "second"]),
    # Items that touch run together, as inline text does.
    ('<div style="display:flex"><span>wa</span><span>ter</span></div>', ["water"]),
    ('<div style="display:flex; gap:0"><span style="order:1">ter</span><span>wa</span></div>',
     ["water"]),
    # A container with text of its own between its items is left as written.
    ('<div style="display:flex;gap:4px">x <span style="order:1">b</span><span>a</span></div>',
     ["x", "ba"]),
])
def test_flex_and_grid_items_read_in_the_order_shown(markup: str, words: list[str]) -> None:
    blocks = page_blocks(markup)
    assert [w for b in blocks for w in tokenize(b).words] == words
    if len(words) > 1 and "x" not in words:  # the extractor reads items apart as they stand
        page = f"<html><body><article>{markup}</article></body></html>"
        assert tokenize(extract_html(page).text).words == words


def test_flex_containers_nested_deep_are_read_in_linear_time() -> None:
    # Past MAX_MIRROR_DEPTH nested containers the items stay where they are.
    depth = pageview.MAX_MIRROR_DEPTH + 5
    page = ('<div style="display:flex;gap:1px"><span style="order:1">b</span>' * depth
            + "x" + "</div>" * depth)
    tree = _tree(page)
    assert pageview.reorder_flex(tree)
    assert "x" in "".join(tree.itertext())
