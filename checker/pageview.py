"""Text a browser shows that a page's text nodes, read in order, do not give as shown.

:func:`checker.html.page_blocks` reads a draft page's blocks as a reader sees them.
Four places hold text that is shown differently from the way it is written, and each
can carry a copy past a reader of text nodes:

* **direction overrides**: ``<bdo dir="rtl">`` and an element styled
  ``unicode-bidi: bidi-override; direction: rtl`` show their letters right to left, so
  ``<bdo dir="rtl">setar retaw eht</bdo>`` shows "the water rates". Such content is put
  in the order it is shown (:func:`mirror_overrides`), before the article extractor
  reads the page (:func:`shown_page`) and when its blocks are read (raw HTML in a
  Markdown draft: :func:`checker.markdown.overrides_shown`);
* **SVG text**: ``<text>`` and ``<tspan>`` of an inline ``<svg>`` are drawn on the page;
  the elements of an SVG that are never drawn by themselves (definitions, titles,
  descriptions, styles) are :data:`SVG_UNDRAWN`;
* **flex and grid items**: the items of a flex or grid container are shown by their
  ``order`` (and backwards in a reversed flex direction), apart when there is room
  between them, so words written shuffled, each with its ``order``, or one ``<span>``
  each with a ``gap`` and no blank between them, show as the article
  (:func:`reorder_flex`; inline styles only);
* **framed documents**: an ``<iframe srcdoc="...">`` shows the document its attribute
  holds, and an ``<iframe>``, ``<frame>``, ``<object>`` or ``<embed>`` whose address is
  a ``data:text/html`` URL the document that URL holds (:func:`framed_pages`): their
  blocks are read as the page's, :data:`MAX_FRAME_DEPTH` frames deep at most.

Why not a browser: a scan reads hundreds of drafts in a CI job, untrusted ones, and must
not run their scripts or fetch their resources. The page's own ``<style>`` rules are
read for direction as :mod:`checker.stylesheets` reads them for hiding (by each rule's
subject); a Markdown draft's are not (its raw HTML is read by its attributes).
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING

from .hidden import drop_hidden, may_hide, rewritten
from .visual import rtl_runs_restored

if TYPE_CHECKING:  # lxml is imported when a page is read
    import lxml.html


#: SVG elements never drawn themselves (their content is drawn only where it is used):
#: lxml's HTML parser gives their names in lower case.
SVG_UNDRAWN = ("defs", "symbol", "desc", "metadata", "clippath", "mask", "pattern",
               "marker", "lineargradient", "radialgradient", "filter", "title")
#: Elements inside an override whose children are put in the order they are shown, at
#: most this deep; deeper, each text is reversed where it stands. Moving an element moves
#: its subtree (lxml walks it), so unbounded this is quadratic in a hostile draft's
#: nesting; pages nest a few levels inside a ``<bdo>``.
MAX_MIRROR_DEPTH = 32
#: Frames inside frames read at most (a hostile draft nests them).
MAX_FRAME_DEPTH = 3
#: Framed documents read per page at most, and their characters in all.
MAX_FRAMES = 200
MAX_FRAME_CHARS = 5_000_000

_OVERRIDE_RE = re.compile(r"unicode-bidi\s*:\s*(?:bidi|isolate)-override", re.IGNORECASE)
_RTL_STYLE_RE = re.compile(r"(?:^|[;\s])direction\s*:\s*rtl\b", re.IGNORECASE)
_DATA_HTML_RE = re.compile(r"\s*data:text/html(?P<params>[^,]{0,200}),", re.IGNORECASE)
# Cheap test: can the page hold an override, or items shown in another order, at all?
_MAY_REORDER_RE = re.compile(r"<bdo\b|-override|display\s*:\s*(?:inline-)?(?:flex|grid)",
                             re.IGNORECASE)
# A flex or grid container, an item's order, a reversed flex direction (inline styles).
_FLEX_RE = re.compile(r"(?<![\w-])display\s*:\s*(?:inline-)?(flex|grid)\b", re.IGNORECASE)
# A container whose items are shown apart, an item with room around it (not zero).
_NOT_ZERO = r"(?!0(?:\.0+)?(?:[a-z%]*)?\s*(?:[;!]|$))"
_GAP_RE = re.compile(r"(?<![\w-])(?:(?:column-|row-)?gap\s*:\s*" + _NOT_ZERO
                     + r"|justify-content\s*:\s*space-)", re.IGNORECASE)
_SPACED_RE = re.compile(r"(?<![\w-])(?:margin|padding)(?:-left|-right|-inline[a-z-]*)?\s*:\s*"
                        + _NOT_ZERO, re.IGNORECASE)
_ORDER_RE = re.compile(r"(?<![\w-])order\s*:\s*(-?\d{1,9})\b", re.IGNORECASE)
_REVERSE_RE = re.compile(r"(?<![\w-])flex-(?:direction|flow)\s*:\s*(?:row|column)-reverse",
                         re.IGNORECASE)
# Elements whose line breaks are shown as line breaks.
_PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})
# Where each framing element names its document.
_FRAME_SOURCES = {"iframe": "src", "frame": "src", "object": "data", "embed": "src"}


def overrides_rtl(tag: str, direction: str, style: str) -> bool:
    """An element of name ``tag``, ``dir`` attribute ``direction`` and inline ``style``
    shows its content right to left, whatever the letters' own direction."""
    rtl = direction.strip().lower() == "rtl" or _RTL_STYLE_RE.search(style) is not None
    return rtl and (tag == "bdo" or _OVERRIDE_RE.search(style) is not None)


def _page_directions(tree: lxml.html.HtmlElement
                     ) -> Callable[[lxml.html.HtmlElement], bool]:
    """Whether an element of ``tree`` shows its content right to left: by itself
    (:func:`overrides_rtl`), or by the rules of the page's ``<style>`` elements
    (:func:`checker.stylesheets.directions`) with what it says itself."""
    from .stylesheets import MAX_CSS_CHARS, directions, subject_matcher

    sheets = [str(el.text) for el in tree.iter("style") if el.text]
    found = directions([t[:MAX_CSS_CHARS] for t in sheets])
    overriding, rtl = subject_matcher(found.overriding), subject_matcher(found.rtl)

    def shows_rtl(el: lxml.html.HtmlElement) -> bool:
        tag, direction, style = str(el.tag), el.get("dir") or "", el.get("style") or ""
        if overrides_rtl(tag, direction, style):
            return True
        if not found.overriding:
            return False
        return ((direction.strip().lower() == "rtl" or _RTL_STYLE_RE.search(style) is not None
                 or rtl(el))
                and (tag == "bdo" or _OVERRIDE_RE.search(style) is not None or overriding(el)))

    return shows_rtl


def mirror_overrides(tree: lxml.html.HtmlElement) -> bool:
    """Put the content of each right-to-left override in the order it is shown: inside
    one, every element's text and children run backwards (its children in reverse
    order, each text reversed, a right-to-left script's letters kept in their order).
    Whether there was any. The text is then what a browser shows: the article
    extractor and the tokenizer read it as they read any text (the extractor drops the
    directional controls :func:`checker.visual.shown` would need).

    A line break is a space to a browser, so the override runs over it: the text
    reverses whole. In preformatted text a line break ends a line and each line is
    shown reversed where it stands. One walk, each text node once: overrides nested
    thousands deep cost linear time."""
    import lxml.etree

    shows_rtl = _page_directions(tree)
    inside = 0  # overriding elements open around the walk's position
    pre = 0  # preformatted elements open around it
    depth = 0  # elements open around it, inside the outermost override
    opened: list[tuple[bool, bool]] = []
    mirrored: list[tuple[lxml.html.HtmlElement, bool]] = []
    for event, el in lxml.etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            on = isinstance(el.tag, str) and shows_rtl(el)
            keeps = el.tag in _PREFORMATTED
            opened.append((on, keeps))
            inside += on
            pre += keeps
            if inside:
                # Past MAX_MIRROR_DEPTH, texts reverse where they stand (see the constant).
                mirrored.append((el, pre > 0 or depth >= MAX_MIRROR_DEPTH))
                depth += 1
        else:
            on, keeps = opened.pop()
            if inside:
                depth -= 1
            inside -= on
            pre -= keeps
    # Each element's own text and its children's tails: an element's change touches
    # nothing another one changes, so the order does not matter.
    for el, preformatted in mirrored:
        _mirror(el, preformatted)
    return bool(mirrored)


def _reversed(text: str | None, preformatted: bool) -> str | None:
    if not text:
        return text
    if preformatted:
        return "\n".join(rtl_runs_restored(line[::-1]) for line in text.split("\n"))
    # A line break is a space here: the reversed text is one line, as shown.
    return rtl_runs_restored(text[::-1].replace("\r", " ").replace("\n", " "))


def _mirror(el: lxml.html.HtmlElement, in_place: bool) -> None:
    """``el``'s text and children shown right to left (its children's own content is
    mirrored by their own call); with ``in_place`` (preformatted text, or too deep) each
    text reversed where it stands."""
    children = list(el)
    if in_place or len(children) < 2:
        if len(children) == 1 and not in_place:  # t0 c t1 is shown as rev(t1) c rev(t0)
            el.text, children[0].tail = children[0].tail, el.text
        el.text = _reversed(el.text, in_place)
        for c in children:
            c.tail = _reversed(c.tail, in_place)
        return
    # t0 c1 t1 ... cn tn is shown as rev(tn) cn rev(tn-1) ... c1 rev(t0).
    texts = [el.text, *(c.tail for c in children)]
    for c in children:
        el.remove(c)  # remove() keeps nothing of the tail in place: set again below
    el.text = _reversed(texts[-1], False)
    for k, c in enumerate(reversed(children)):
        c.tail = _reversed(texts[len(children) - 1 - k], False)
        el.append(c)


def reorder_flex(tree: lxml.html.HtmlElement) -> bool:
    """Put the items of each flex or grid container (an inline ``display: flex`` or
    ``grid``) in the order they are shown: by their inline ``order``, and backwards in a
    ``row-reverse`` or ``column-reverse`` flex container; and a blank after each when
    they are shown apart (a ``gap``, ``justify-content: space-*``, an item's margin or
    padding: ``<span>the</span><span>council</span>`` then shows two words). Whether
    anything changed. A container
    with text of its own between its items is left as it is (its text is an item too).
    Containers inside :data:`MAX_MIRROR_DEPTH` reordered ones at most (a moved item's
    subtree is walked: see the constant)."""
    import lxml.etree

    moved = False
    opened: list[bool] = []
    depth = 0
    for event, el in lxml.etree.iterwalk(tree, events=("start", "end")):
        if event == "end":
            depth -= opened.pop()
            continue
        style = el.get("style") or "" if isinstance(el.tag, str) else ""
        flex = _FLEX_RE.search(style)
        opened.append(flex is not None)
        if flex is None:
            continue
        depth += 1
        items = list(el)
        if depth > MAX_MIRROR_DEPTH or len(items) < 2 or (el.text or "").strip() \
                or any((c.tail or "").strip() for c in items):
            continue
        shown = sorted(items, key=_order)
        if flex.group(1).lower().endswith("flex") and _REVERSE_RE.search(style):
            shown.reverse()
        if shown != items:
            for c in items:
                el.remove(c)  # its tail (blanks only) goes with it
            el.extend(shown)
            moved = True
        # Items shown apart (a gap between them, or margins) are apart in the text too;
        # items that touch run together, as inline text does ("<span>t</span><span>he</span>").
        if _GAP_RE.search(style) or any(_SPACED_RE.search(c.get("style") or "")
                                         for c in shown if isinstance(c.tag, str)):
            for c in shown:
                if not c.tail:
                    c.tail = " "
                    moved = True
    return moved


def _order(el: lxml.html.HtmlElement) -> int:
    m = _ORDER_RE.search(el.get("style") or "") if isinstance(el.tag, str) else None
    return int(m.group(1)) if m else 0


def shown_page(html: str) -> str:
    """``html`` as shown: without the elements that say they are hidden
    (:func:`checker.hidden.drop_hidden`), its right-to-left overrides and its flex and
    grid items in the order they are shown (:func:`mirror_overrides`,
    :func:`reorder_flex`); one parse for all. ``html`` itself when it has none of them
    (or does not parse)."""
    hidden = may_hide(html)
    reorder = _MAY_REORDER_RE.search(html) is not None
    if not hidden and not reorder:
        return html

    def change(tree: lxml.html.HtmlElement) -> bool:
        changed = drop_hidden(tree) if hidden else False
        if reorder:
            changed = reorder_flex(tree) | changed  # both run: no short circuit
            changed = mirror_overrides(tree) | changed
        return changed

    return rewritten(html, change)


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
