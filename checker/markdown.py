"""Markdown markup a reader never sees, made invisible to matching too.

A Markdown draft can break every word of a copied article with markup that renders
as nothing or as one character: ``se**aw**all``, ``se`aw`all``, ``se<b></b>awall``,
``se<!-- -->awall`` and ``se&shy;awall`` all show "seawall". The tokenizer would
read two words. :func:`rendered` rewrites such markup, character for character, so
that matching reads what a reader sees while every offset still points into the file:

* markup between two letters or digits (emphasis ``*``, code backticks, an inline
  HTML tag or comment, an element marked hidden with its content, or one whose class
  the draft's ``<style>`` or a CSS framework hides) becomes WORD JOINERs (U+2060), which
  :func:`checker.text.tokenize` keeps inside a word and drops from its matching form;
* a character reference (``&shy;``, ``&#8203;``, ``&eacute;``) becomes the character
  it stands for, padded with WORD JOINERs to the reference's length.

Underscores are left alone: CommonMark does not emphasise inside a word
(``snake_case`` shows its underscores).

Raw HTML that shows its content right to left (``<bdo dir="rtl">``, an inline style of
``unicode-bidi: bidi-override; direction: rtl``: :mod:`checker.pageview`) holds a copy
written backwards; :func:`overrides_shown` puts such content in display order, before
the reader masks the draft's tags, so the tags it holds stay tags.
"""

from __future__ import annotations

import functools
import html
import re

from .hidden import HIDDEN_ELEMENT
from .pageview import overrides_rtl
from .stylesheets import Hiding, class_pattern, hiding, style_texts
from .text import IGNORABLE
from .visual import rtl_runs_restored

JOINER = "\u2060"

# A run of inline markup between two letters or digits. The lookbehind and lookahead
# keep emphasis that wraps whole words ("**seawall**") as it is: it splits nothing.
# Invisible characters in the run (a reference already turned into one) are part of it.
# One character per step and bounded comments and tags: a hostile draft ("a<!--" a
# hundred thousand times, no "-->") costs linear time, not quadratic.
# A hidden element goes whole, content included (:mod:`checker.hidden`).
@functools.lru_cache(maxsize=16)
def _inword_markup_re(hides: Hiding) -> re.Pattern[str]:
    """The in-word markup of a draft whose style sheets hide ``hides``: an element a
    class or id hides (its ``<style>``, a CSS framework's utility class:
    :mod:`checker.stylesheets`) goes whole too, inside a word only."""
    return re.compile(
        r"(?<=[^\W_])(?:" + HIDDEN_ELEMENT + "|" + class_pattern(hides)
        + r"|[*`]|<!--.{0,1000}?-->|</?[A-Za-z][^<>\n]{0,200}>|[" + IGNORABLE + r"])+(?=[^\W_])",
        re.DOTALL,
    )


# An element whose attributes name a right-to-left direction, and its content up to its
# closing tag. The content stops at the next tag of the same name and at the next tag
# that names a right-to-left direction too: each character is scanned for one such
# element at most, so a hostile draft costs linear time.
_RTL_ATTRS = r"[^<>]*?(?:dir\s*=\s*[\"']?rtl|direction\s*:\s*rtl)"
_OVERRIDE_RE = re.compile(
    r"<(?P<tag>[A-Za-z][A-Za-z0-9]*)\b(?=" + _RTL_ATTRS + r")(?P<attrs>[^<>]*)>"
    r"(?P<body>(?:[^<]|<(?!/?(?P=tag)\b)(?!/?[A-Za-z]" + _RTL_ATTRS + r"))*)</(?P=tag)\s*>",
    re.IGNORECASE)
_TAG_OR_TEXT_RE = re.compile(r"<[^<>]*>|[^<]+|<")


def _display(m: re.Match[str]) -> str:
    attrs = html.unescape(m.group("attrs"))
    style = re.search(r"style\s*=\s*[\"']([^\"']*)", attrs, re.IGNORECASE)
    bidi_dir = re.search(r"dir\s*=\s*[\"']?(\w+)", attrs, re.IGNORECASE)
    if not overrides_rtl(m.group("tag").lower(), bidi_dir.group(1) if bidi_dir else "",
                         style.group(1) if style else ""):
        return m.group()
    body = m.group("body")
    # Shown right to left: the text's characters reversed (a right-to-left script's
    # letters kept in their order), each tag kept as it is, in the mirrored place.
    pieces = [p if p.startswith("<") and p.endswith(">") else rtl_runs_restored(p[::-1])
              for p in _TAG_OR_TEXT_RE.findall(body)]
    return m.group()[:m.start("body") - m.start()] + "".join(reversed(pieces)) \
        + m.group()[m.end("body") - m.start():]


def overrides_shown(text: str) -> str:
    """``text`` with the content of each raw HTML element that overrides its direction to
    right to left in display order (same length: offsets hold)."""
    if "<" not in text or "rtl" not in text.lower():
        return text
    return _OVERRIDE_RE.sub(_display, text)


_REFERENCE_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _reference(m: re.Match[str]) -> str:
    ref = m.group()
    char = html.unescape(ref)
    if char == ref or len(char) >= len(ref):  # not a reference HTML knows: as it is
        return ref
    return char + JOINER * (len(ref) - len(char))


def rendered(text: str) -> str:
    """``text`` with markup that renders as nothing inside a word turned into WORD
    JOINERs and character references into their characters; same length as
    ``text``, so offsets (spans, lines and columns) are those of the file."""
    if "&" in text:
        text = _REFERENCE_RE.sub(_reference, text)
    if "*" in text or "`" in text or "<" in text:
        hides = hiding(style_texts(text)) if "<style" in text.lower() else Hiding()
        text = _inword_markup_re(hides).sub(lambda m: JOINER * len(m.group()), text)
    return text
