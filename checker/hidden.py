"""Elements a page marks as never shown, dropped before its text is read.

A draft can break every word of a copied article with junk letters no reader sees:
``wa<span hidden>qz</span>ter`` renders as "water". The element itself
can say so: the ``hidden`` attribute, or an inline style of ``display: none``,
``visibility: hidden``, ``font-size: 0`` or ``opacity: 0``. Those are dropped, from
HTML pages (:func:`checker.pageview.shown_page`, before extraction) and from raw HTML in Markdown
(:data:`HIDDEN_ELEMENT`, in :mod:`checker.markdown` and the Markdown reader's mask).
A class the draft's own ``<style>`` or a CSS framework hides is honoured inside words
only (:mod:`checker.stylesheets` says why).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml is imported when a page is read, not with the Markdown reader
    import lxml.html

#: Elements that start a new block of text (everything else runs inline: "wa<b>te</b>r").
BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"))

# A color no reader sees: transparent, or with an alpha of zero.
_CLEAR = (r"(?:transparent|(?:rgba?|hsla?)\([^()]{0,60}?[,/]\s*0(?:\.0+)?%?\s*\)"
          r"|#[0-9a-fA-F]{3}0|#[0-9a-fA-F]{6}00)")
_CLEAR_TEXT = r"(?<![\w-])(?:-webkit-text-fill-)?color\s*:\s*" + _CLEAR
#: A declaration that hides its element's text (blanks allowed where CSS allows them;
#: :mod:`checker.stylesheets` matches it against a declaration without blanks): no
#: display, invisible, no size, no opacity, a clear text color, scaled to nothing,
#: clipped whole, or moved a thousand pixels off the page.
HIDING_DECLARATION = (
    r"(?<![\w-])(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|font-size\s*:\s*0(?:\.0+)?(?:[a-z]+|%)?|opacity\s*:\s*0(?:\.0+)?%?"
    r"|transform\s*:\s*scale[xyXY]?\(\s*0(?:\.0+)?\s*(?:,[^()]{0,20})?\)"
    r"|clip-path\s*:\s*(?:inset\(\s*(?:50|[5-9]\d|100)(?:\.\d+)?%[^()]{0,40}\)"
    r"|circle\(\s*0(?:\.0+)?(?:px|%)?[^()]{0,40}\))"
    r"|(?:left|right|top|text-indent)\s*:\s*-\s*(?:\d{4,}(?:\.\d+)?px|\d{3,}(?:\.\d+)?r?em))"
    r"|" + _CLEAR_TEXT)
# An inline style that hides its element (the value's end: ";", a quote, "!important").
_STYLE = "(?:" + HIDING_DECLARATION + r")\s*(?:!\s*important\s*)?(?=[;\"']|$)"
HIDDEN_STYLE_RE = re.compile(_STYLE, re.IGNORECASE)
_CLEAR_TEXT_RE = re.compile(_CLEAR_TEXT, re.IGNORECASE)
#: Text painted with its background (``background-clip: text``, a gradient heading):
#: a clear text color shows it.
BACKGROUND_TEXT_RE = re.compile(r"background-clip\s*:\s*text", re.IGNORECASE)
# Cheap test: can the page hold such an element at all?
_MAYBE_RE = re.compile(r"hidden|display|font-size|opacity|<style|invisible|d-none|hide\b"
                       r"|sr-only|show-for-sr|screen-reader-text|transparent|rgba?\(|hsla?\("
                       r"|#[0-9a-f]{3}0\b|#[0-9a-f]{6}00\b|scale|clip-path|:\s*-\s*\d{3,}",
                       re.IGNORECASE)


def hides(style: str) -> bool:
    """An inline style hides its element's text (:data:`HIDING_DECLARATION`); a clear
    text color does not when the text is painted with its background."""
    found = [m.group() for m in HIDDEN_STYLE_RE.finditer(style)]
    if found and BACKGROUND_TEXT_RE.search(style):
        found = [f for f in found if not _CLEAR_TEXT_RE.match(f)]
    return bool(found)

#: An element with the ``hidden`` attribute or a hiding inline style, and its content,
#: in raw HTML (Markdown). The content stops at the next tag of the same name, open or
#: close (no nesting: linear time on a hostile draft).
HIDDEN_ELEMENT = (
    r"<(?P<hid>[A-Za-z][A-Za-z0-9]*)\b(?=[^<>]*?(?:\shidden(?:[\s=/>])|style\s*=\s*[\"'][^\"'<>]*?"
    + _STYLE + r"))[^<>]*>(?:[^<]|<(?!/?(?P=hid)\b))*</(?P=hid)\s*>"
)


def drop_hidden(tree: lxml.html.HtmlElement) -> bool:
    """Drop from ``tree`` the elements that say they are hidden (their tail text kept),
    and those inside a word that the page's ``<style>`` or a CSS framework's utility
    class hides (:mod:`checker.stylesheets`); whether there were any."""
    import lxml.html

    from .stylesheets import drop_in_words, hiding

    sheets = [str(el.text) for el in tree.iter("style") if el.text]
    hidden = [el for el in tree.iter()
              if isinstance(el, lxml.html.HtmlElement)
              and (el.get("hidden") is not None
                   or hides(el.get("style") or ""))]
    for el in hidden:
        if el.getparent() is not None:
            erase(el)
    return drop_in_words(tree, hiding(sheets)) or bool(hidden)


#: What an erased element becomes (:func:`erase`); :func:`rewritten` removes it
#: from the page it returns.
ERASED = "checker-erased"


def erase(el: lxml.html.HtmlElement) -> None:
    """Empty ``el`` (its text, children and attributes), keeping its tail: the text
    after it. Not ``drop_tree``: that joins the tail to the text before, copying a
    string that grows with every element dropped (a draft of 20,000 hidden spans took
    2 s, 80,000 took 30)."""
    el.clear(keep_tail=True)
    el.tag = ERASED


def may_hide(html: str) -> bool:
    """Whether the page can hold an element that hides (a cheap test before parsing)."""
    return _MAYBE_RE.search(html) is not None


def without_hidden(html: str) -> str:
    """``html`` without the elements that say they are hidden (:func:`drop_hidden`);
    ``html`` itself when it has none (or does not parse)."""
    return rewritten(html, drop_hidden) if may_hide(html) else html


def rewritten(html: str, change: Callable[[lxml.html.HtmlElement], bool]) -> str:
    """``html`` after ``change`` of its tree (which says whether it changed anything),
    erased elements (:func:`erase`) taken out; ``html`` itself when nothing changed or
    it does not parse."""
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        tree = lxml.html.fromstring(html, parser=parser)
    except Exception:  # lxml raises several types (ParserError, ValueError, XMLSyntaxError)
        return html
    if not change(tree):
        return html
    # The erased elements go from the text: the article extractor's cost grows faster
    # than the page with every empty element (20,000 took it 0.9 s, 5,000 0.1 s).
    return str(lxml.html.tostring(tree, encoding="unicode")).replace(
        f"<{ERASED}></{ERASED}>", "")
