"""Elements a page marks as never shown, dropped before its text is read.

A draft can break every word of a copied article with junk letters no reader sees:
``wa<span hidden>qz</span>ter`` renders as "water". Which elements a browser hides
is decided by CSS a scan cannot see (a class in the site's stylesheet), but the
element itself can say so: the ``hidden`` attribute, or an inline style of
``display: none``, ``visibility: hidden``, ``font-size: 0`` or ``opacity: 0``. Those
are dropped, from HTML pages (:func:`without_hidden`, before extraction) and from
raw HTML in Markdown (:data:`HIDDEN_ELEMENT`, in :mod:`checker.markdown` and the
Markdown reader's mask).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml is imported when a page is read, not with the Markdown reader
    import lxml.html

# An inline style that hides its element (the value's end: ";", a quote, "!important").
_STYLE = (r"(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
          r"|font-size\s*:\s*0(?:\.0+)?(?:[a-z]+|%)?|opacity\s*:\s*0(?:\.0+)?)"
          r"\s*(?:!\s*important\s*)?(?=[;\"']|$)")
HIDDEN_STYLE_RE = re.compile(_STYLE, re.IGNORECASE)
# Cheap test: can the page hold such an element at all?
_MAYBE_RE = re.compile(r"\bhidden\b|display|font-size|opacity", re.IGNORECASE)

#: An element with the ``hidden`` attribute or a hiding inline style, and its content,
#: in raw HTML (Markdown). The content stops at the next tag of the same name, open or
#: close (no nesting: linear time on a hostile draft).
HIDDEN_ELEMENT = (
    r"<(?P<hid>[A-Za-z][A-Za-z0-9]*)\b(?=[^<>]*?(?:\shidden(?:[\s=/>])|style\s*=\s*[\"'][^\"'<>]*?"
    + _STYLE + r"))[^<>]*>(?:[^<]|<(?!/?(?P=hid)\b))*</(?P=hid)\s*>"
)


def drop_hidden(tree: lxml.html.HtmlElement) -> bool:
    """Drop from ``tree`` the elements that say they are hidden (their tail text kept);
    whether there were any."""
    import lxml.html

    hidden = [el for el in tree.iter()
              if isinstance(el, lxml.html.HtmlElement)
              and (el.get("hidden") is not None
                   or HIDDEN_STYLE_RE.search(el.get("style") or "") is not None)]
    for el in hidden:
        if el.getparent() is not None:
            el.drop_tree()  # keeps its tail: the text after it
    return bool(hidden)


def without_hidden(html: str) -> str:
    """``html`` without the elements that say they are hidden (:func:`drop_hidden`);
    ``html`` itself when it has none (or does not parse)."""
    if not _MAYBE_RE.search(html):
        return html
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        tree = lxml.html.fromstring(html, parser=parser)
    except Exception:  # lxml raises several types (ParserError, ValueError, XMLSyntaxError)
        return html
    if not drop_hidden(tree):
        return html
    return str(lxml.html.tostring(tree, encoding="unicode"))
