"""Text a browser shows that a page's text nodes, read in order, do not give as shown.

:func:`checker.html.page_blocks` reads a draft page's blocks as a reader sees them.
Three places hold text that is shown differently from the way it is written, and each
can carry a copy past a reader of text nodes:

* **direction overrides**: ``<bdo dir="rtl">`` and an element styled
  ``unicode-bidi: bidi-override; direction: rtl`` show their letters right to left, so
  ``<bdo dir="rtl">setar retaw eht</bdo>`` shows "the water rates". Each text node
  inside one is wrapped in U+202E RIGHT-TO-LEFT OVERRIDE ... U+202C POP DIRECTIONAL
  FORMATTING (:func:`mark_overrides`), which :func:`checker.visual.shown` then reads in
  display order, as it reads a line of plain text under an override (raw HTML in a
  Markdown draft: :func:`checker.markdown.overrides_shown`);
* **SVG text**: ``<text>`` and ``<tspan>`` of an inline ``<svg>`` are drawn on the page;
  the elements of an SVG that are never drawn by themselves (definitions, titles,
  descriptions, styles) are :data:`SVG_UNDRAWN`;
* **framed documents**: an ``<iframe srcdoc="...">`` shows the document its attribute
  holds, and an ``<iframe>``, ``<frame>``, ``<object>`` or ``<embed>`` whose address is
  a ``data:text/html`` URL the document that URL holds (:func:`framed_pages`): their
  blocks are read as the page's, :data:`MAX_FRAME_DEPTH` frames deep at most.

Why not a browser: a scan reads hundreds of drafts in a CI job, untrusted ones, and must
not run their scripts or fetch their resources. What a style sheet's rules (not an
inline style) do to direction is not read: :mod:`checker.stylesheets` reads them for
hiding only.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml is imported when a page is read
    import lxml.html

RLO, PDF = "\u202e", "\u202c"

#: SVG elements never drawn themselves (their content is drawn only where it is used):
#: lxml's HTML parser gives their names in lower case.
SVG_UNDRAWN = ("defs", "symbol", "desc", "metadata", "clippath", "mask", "pattern",
               "marker", "lineargradient", "radialgradient", "filter", "title")
#: Frames inside frames read at most (a hostile draft nests them).
MAX_FRAME_DEPTH = 3
#: Framed documents read per page at most, and their characters in all.
MAX_FRAMES = 200
MAX_FRAME_CHARS = 5_000_000

_OVERRIDE_RE = re.compile(r"unicode-bidi\s*:\s*(?:bidi|isolate)-override", re.IGNORECASE)
_RTL_STYLE_RE = re.compile(r"(?:^|[;\s])direction\s*:\s*rtl\b", re.IGNORECASE)
_DATA_HTML_RE = re.compile(r"\s*data:text/html(?P<params>[^,]{0,200}),", re.IGNORECASE)
_LINE_BREAK_RE = re.compile(r"\r\n?|\n")
# Elements whose line breaks are shown as line breaks.
_PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})
# Where each framing element names its document.
_FRAME_SOURCES = {"iframe": "src", "frame": "src", "object": "data", "embed": "src"}


def overrides_rtl(tag: str, direction: str, style: str) -> bool:
    """An element of name ``tag``, ``dir`` attribute ``direction`` and inline ``style``
    shows its content right to left, whatever the letters' own direction."""
    rtl = direction.strip().lower() == "rtl" or _RTL_STYLE_RE.search(style) is not None
    return rtl and (tag == "bdo" or _OVERRIDE_RE.search(style) is not None)


def _overrides_rtl(el: lxml.html.HtmlElement) -> bool:
    return overrides_rtl(str(el.tag), el.get("dir") or "", el.get("style") or "")


def mark_overrides(tree: lxml.html.HtmlElement) -> None:
    """Wrap each text node inside a right-to-left override in RLO ... PDF, so that
    :func:`checker.visual.shown` reads it as shown. Text after such an element (its
    tail) is not inside it and is left as it is. A line break in the text is a space to
    a browser, so the override runs over it (the node is one line); in preformatted
    text each line is wrapped on its own. One walk, each text node once: overrides
    nested thousands deep cost linear time."""
    import lxml.etree

    inside = 0  # overriding elements open around the walk's position
    pre = 0  # preformatted elements open around it
    opened: list[tuple[bool, bool]] = []
    for event, el in lxml.etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            on = isinstance(el.tag, str) and _overrides_rtl(el)
            keeps = el.tag in _PREFORMATTED
            opened.append((on, keeps))
            inside += on
            pre += keeps
            if inside and el.text:
                el.text = _wrapped(el.text, pre > 0)
        else:
            on, keeps = opened.pop()
            inside -= on
            pre -= keeps
            if inside and el.tail and el is not tree:
                el.tail = _wrapped(el.tail, pre > 0)


def _wrapped(text: str, preformatted: bool) -> str:
    if preformatted:
        return "\n".join(RLO + line + PDF for line in text.split("\n"))
    return RLO + _LINE_BREAK_RE.sub(" ", text) + PDF


def _data_url_html(url: str) -> str | None:
    """The document of a ``data:text/html`` URL (percent-encoded or base64), or None."""
    m = _DATA_HTML_RE.match(url)
    if m is None:
        return None
    body = url[m.end():]
    if ";base64" in m.group("params").lower():
        try:
            raw = base64.b64decode(urllib.parse.unquote(body).encode("ascii", "ignore"))
        except (binascii.Error, ValueError):
            return None
        return raw.decode("utf-8", "replace")
    return urllib.parse.unquote(body)


def framed_pages(tree: lxml.html.HtmlElement) -> list[str]:
    """The documents the page's frames show (``srcdoc``, a ``data:text/html`` address),
    :data:`MAX_FRAMES` and :data:`MAX_FRAME_CHARS` at most."""
    out: list[str] = []
    total = 0
    for el in tree.iter(*_FRAME_SOURCES):
        if len(out) >= MAX_FRAMES:
            break
        doc = el.get("srcdoc") if el.tag == "iframe" else None
        if doc is None:
            doc = _data_url_html(el.get(_FRAME_SOURCES[str(el.tag)]) or "")
        if doc and doc.strip():
            doc = doc[:MAX_FRAME_CHARS - total]
            total += len(doc)
            out.append(doc)
            if total >= MAX_FRAME_CHARS:
                break
    return out
