"""Article text from an HTML page, with trafilatura.

The main text is what gets indexed or scanned; navigation, scripts, asides
and footers are dropped. The footer, ``<meta name="copyright">`` style tags
and ``rel="license"`` links are kept aside as ``notice_text``, because that
is where pages state their rights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import lxml.html
import trafilatura

from .documents import Metadata, TextDocument
from .hidden import BLOCK_TAGS, drop_hidden
from .pageview import (
    MAX_FRAME_DEPTH,
    SVG_UNDRAWN,
    framed_pages,
    mirror_overrides,
    reorder_flex,
    shown_page,
)
from .stylesheets import generated_texts

_LOWER = "translate({}, 'COPYRIGHTLICENSE', 'copyrightlicense')"
_NOTICE_XPATH = " | ".join([
    "//footer",
    f"//*[contains({_LOWER.format('@class')}, 'copyright')]",
    f"//*[contains({_LOWER.format('@id')}, 'copyright')]",
    f"//*[contains({_LOWER.format('@class')}, 'license')]",
])
_NOTICE_LIKE_RE = re.compile(r"©|\(c\)|copyright|licen[cs]|rights reserved", re.IGNORECASE)
_META_NAMES = ("copyright", "rights", "dc.rights", "dcterms.rights", "license", "dc.license")


@dataclass(frozen=True)
class ExtractedPage:
    """The parts of a page that matter here."""

    text: str
    meta: Metadata
    notice_text: str


# Elements whose text a browser does not show as the page's text.
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "head", "title", "svg", "math",
                "iframe", "object", "canvas")


# An SVG's text elements: each is drawn where it is placed, a line of its own.
_SVG_TEXT = frozenset({"text", "textpath"})


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """The page's tree, or None when lxml cannot make one. ``huge_tree`` lifts libxml2's
    depth limit of 256: a copy wrapped in hundreds of ``<div>`` is still text."""
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.fromstring(html, parser=parser)
    except Exception:  # lxml raises several types (ParserError, ValueError, XMLSyntaxError)
        return None
    return tree if isinstance(tree, lxml.html.HtmlElement) else None


def visible_text(html: str) -> str:
    """The text a browser would show of ``html`` (scripts, styles, templates and the head
    dropped), one line per text node: the fallback when the article extractor finds
    nothing, so a page it cannot read is still checked, never passed."""
    tree = _parse(html)
    if tree is None:
        return ""
    try:
        lxml.etree.strip_elements(tree, *_HIDDEN_TAGS, with_tail=False)
        parts = (" ".join(t.split()) for t in tree.itertext())
        return "\n".join(p for p in parts if p)
    except Exception:
        return ""


#: A block of the page outside the main text needs this many words to be read alone
#: (menus, buttons and bylines are shorter; a pasted paragraph is longer); shorter
#: blocks next to each other are read together (:func:`unextracted_blocks`).
MIN_BLOCK_WORDS = 8


def page_blocks(html: str, depth: int = 0) -> list[str]:
    """The page's visible text, one string per block element (a paragraph, a list
    item, an ``<aside>``), inline elements run together as a browser shows them;
    elements marked hidden (:func:`checker.hidden.drop_hidden`) dropped. Text shown
    otherwise than written is read as shown (:mod:`checker.pageview`): under a
    right-to-left override, in an inline SVG, in a framed document (its blocks follow
    the page's; ``depth``: frames around this page)."""
    tree = _parse(html)
    if tree is None:
        return []
    drop_hidden(tree)  # first: it reads the page's <style> rules
    # Text the page's style rules write before or after elements is shown too.
    generated = generated_texts(str(el.text) for el in tree.iter("style") if el.text)
    framed = framed_pages(tree) if depth < MAX_FRAME_DEPTH else []
    reorder_flex(tree)
    mirror_overrides(tree)
    # An inline SVG's text is drawn (its definitions and titles are not).
    lxml.etree.strip_elements(tree, *(t for t in _HIDDEN_TAGS if t != "svg"), *SVG_UNDRAWN,
                              with_tail=False)
    parts: list[str] = []
    # iterwalk, not recursion: a copy wrapped in thousands of <div>s is still read.
    for event, el in lxml.etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag in BLOCK_TAGS or tag in _SVG_TEXT
        if event == "start":
            if block or tag == "br":
                parts.append("\n")
            if el.text:
                parts.append(el.text)
        else:
            if block:
                parts.append("\n")
            if el.tail and el is not tree:
                parts.append(el.tail)
    blocks = [" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip()]
    blocks += [" ".join(t.split()) for t in generated]
    for doc in framed:
        blocks += page_blocks(doc, depth + 1)
    return blocks


def unextracted_blocks(html: str, main: str) -> list[str]:
    """The blocks of the page (:func:`page_blocks`) that the main text ``main`` does not
    hold: fewer than half of their three-word shingles are in it (an ``<aside>``, a
    footer, a comments section). A block of :data:`MIN_BLOCK_WORDS` words or more is
    one; shorter blocks next to each other are read together, as one text, when they
    make that many words: a copy cut into lines of a few words (a poem's layout, or
    one ``<div>`` per seven words) is still read, and a run of menu labels is not
    mistaken for anything."""
    from .text import tokenize

    words = tokenize(main).words
    have = {tuple(words[i:i + 3]) for i in range(len(words) - 2)}

    def outside(w: list[str]) -> bool:
        shingles = [tuple(w[i:i + 3]) for i in range(len(w) - 2)]
        return 2 * sum(s in have for s in shingles) < len(shingles)

    out: list[str] = []
    run: list[str] = []
    run_words: list[str] = []

    def flush() -> None:
        if len(run_words) >= MIN_BLOCK_WORDS and outside(run_words):
            out.append("\n".join(run))
        run.clear()
        run_words.clear()

    for block in page_blocks(html):
        w = tokenize(block).words
        if len(w) >= MIN_BLOCK_WORDS:
            flush()
            if outside(w):
                out.append(block)
        elif w:
            run.append(block)
            run_words.extend(w)
    flush()
    return out


def as_draft(doc: TextDocument) -> TextDocument:
    """``doc`` as a draft to scan. For an HTML page: its main text, then every other
    block of text the page shows (:func:`unextracted_blocks`). The extractor keeps an
    article's main text, which is what an index should hold; but a reader of a draft
    sees its asides, footers and comments too, and a copy placed there is published
    all the same. Other documents are returned as they are."""
    if not doc.source:
        return doc
    extra = unextracted_blocks(doc.source, doc.text)
    if not extra:
        return doc
    return replace(doc, text=doc.text.rstrip() + "\n\n" + "\n\n".join(extra))


def _notice_text(html: str) -> str:
    tree = _parse(html)
    if tree is None:
        return ""
    parts: list[str] = []
    for el in tree.xpath("//meta[@name]"):
        if str(el.get("name", "")).lower() in _META_NAMES and el.get("content"):
            parts.append(str(el.get("content")))
    for el in tree.xpath("//link[@rel='license'] | //a[@rel='license']"):
        if el.get("href"):
            parts.append(str(el.get("href")))
    for el in tree.xpath(_NOTICE_XPATH):
        parts.extend(_block_lines(el))
    # A footer and the copyright line inside it both match: each line once.
    return "\n".join(dict.fromkeys(p for p in parts if p))


# Elements a browser starts on a line of their own (the notice search's lines).
_LINE_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "nav", "ol", "p", "section",
    "table", "td", "th", "tr", "ul"})


def _block_lines(root: lxml.html.HtmlElement) -> list[str]:
    """The text of ``root`` one line per block, as a browser lays it out: a footer's
    navigation links and its copyright line are separate lines, so the notice is not
    read as "About us | Contact ... (c) 2025 ...". Iterative: nesting depth does not
    matter."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        block = isinstance(el.tag, str) and el.tag.lower() in _LINE_TAGS
        if event == "start":
            if block:
                flush()
            if el.text:
                current.append(el.text)
        else:
            if block:
                flush()
            if el is not root and el.tail:
                current.append(el.tail)
    flush()
    return lines


def _notice_text_safe(html: str) -> str:
    try:
        return _notice_text(html)
    except Exception:  # the notice is a bonus: a page lxml chokes on still has its text
        return ""


_Q_OPEN_RE = re.compile(r"<q\b[^>]*>", re.IGNORECASE)
_Q_CLOSE_RE = re.compile(r"</q\s*>", re.IGNORECASE)
_BQ_OPEN_RE = re.compile(r"<blockquote\b[^>]*>\s*(?:<p\b[^>]*>)?", re.IGNORECASE)
_BQ_CLOSE_RE = re.compile(r"(?:</p>\s*)?</blockquote\s*>", re.IGNORECASE)


def mark_quotes(html: str) -> str:
    """Put curly quotation marks inside ``<q>`` and ``<blockquote>`` elements.

    The extracted text drops the elements, but fair quotation needs to know
    what was quoted (:mod:`checker.quotes`); quotation marks are not words,
    so matching is unaffected.
    """
    html = _Q_OPEN_RE.sub(lambda m: m.group() + "\u201c", html)
    html = _Q_CLOSE_RE.sub(lambda m: "\u201d" + m.group(), html)
    html = _BQ_OPEN_RE.sub(lambda m: m.group() + "\u201c", html)
    return _BQ_CLOSE_RE.sub(lambda m: "\u201d" + m.group(), html)


def _extract(html: str, with_metadata: bool) -> dict[str, object]:
    doc = trafilatura.bare_extraction(
        mark_quotes(html), with_metadata=with_metadata, include_comments=False,
        include_tables=True, favor_precision=False,
    )
    # trafilatura >= 2 returns a Document (its as_dict=True flag is deprecated), 1.x a dict.
    as_dict = getattr(doc, "as_dict", None)
    data = as_dict() if callable(as_dict) else doc if isinstance(doc, dict) else {}
    return data if isinstance(data, dict) else {}


def extract_html(html: str) -> ExtractedPage:
    """Extract the main text, metadata and the rights-bearing text of a page.

    When trafilatura fails on the page (its metadata step raises on some malformed
    markup) it is tried without metadata; when it finds no text at all, the page's
    visible text is used (:func:`visible_text`).
    """
    # Junk letters a page hides inside its words dropped, text shown in another order
    # than written (a right-to-left override, flex items) in the order it is shown.
    page = shown_page(html)
    data: dict[str, object] = {}
    for with_metadata in (True, False):
        try:
            data = _extract(page, with_metadata)
            break
        except RecursionError:
            break
        except Exception:  # trafilatura and lxml raise AssertionError, ValueError, ...
            continue
    text = str(data.get("text") or "")
    if not text.strip():
        text = visible_text(mark_quotes(page))
    sitename = str(data.get("sitename") or "")
    if _NOTICE_LIKE_RE.search(sitename):
        # trafilatura falls back to the copyright meta tag for the site name.
        sitename = ""
    meta = Metadata(
        title=str(data.get("title") or ""),
        publisher=sitename,
        url=str(data.get("url") or ""),
        license=str(data.get("license") or ""),
        date=str(data.get("date") or ""),
    )
    return ExtractedPage(text=text, meta=meta, notice_text=_notice_text_safe(html))
