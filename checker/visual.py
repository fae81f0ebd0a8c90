"""Lines as they are shown: explicit bidi controls read in display order.

U+202E RIGHT-TO-LEFT OVERRIDE shows what follows it on its line right to left, so a
file can hold ``"\\u202esetar retaw eht"`` while every reader sees "the water rates":
one override per line hides a pasted article from a tokenizer that reads the file's
order. :func:`shown` gives each line that holds an explicit directional control
(embeddings, overrides, isolates, U+202A-U+202E and U+2066-U+2069) in its display
order, computed by the Unicode Bidirectional Algorithm (UAX #9, python-bidi); lines
without one, nearly all text, are left as they are.

The controls stay in the line (they are invisible: :data:`checker.text.IGNORABLE`), so
the text keeps its length and each line its place in the file: a passage's line is
right, its columns are those of the shown line. Letters of right-to-left scripts
(Hebrew, Arabic) in such a line are put back in their own order, the order the index
reads them in, so a word of theirs is still that word; their words' order on such a
line stays the shown one.

Hangul fillers are letters that render as a blank: Unicode lists them as default
ignorable, yet Chromium draws U+3164, U+FFA0 and a lone U+115F or U+1160 as a space
(wider than one, measured with this machine's fonts). Written between the words of a
copy they show "the council voted" while a tokenizer reads one word,
"the\u3164council\u3164voted". :func:`shown` turns each into a space (same length).
The two conjoining fillers stay when they take part in a syllable written with
conjoining jamo (a choseong filler before a vowel, a jungseong filler after an
initial consonant): there they are no blank.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_DIRECTIONAL_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Hangul fillers shown as a blank: the compatibility fillers always; the conjoining ones
# unless they are part of a conjoining-jamo syllable.
_BLANK_RE = re.compile("\u3164|\uffa0|\u115f(?![\u1160-\u11a7\ud7b0-\ud7c6])"
                       "|(?<![\u1100-\u115f\ua960-\ua97c])\u1160")
# Either kind: one pass over a text that has neither (nearly all).
_EITHER_RE = re.compile("[\u202a-\u202e\u2066-\u2069\u115f\u1160\u3164\uffa0]")
# A paragraph of UAX #9: text between paragraph separators (bidi class B).
_PARAGRAPH_RE = re.compile("[^\n\r\x1c-\x1e\x85\u2029]+")


# The blocks of the right-to-left scripts (Hebrew to Arabic Extended, the presentation
# forms, and the supplementary planes' right-to-left blocks).
_RTL_BLOCKS = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF), (0x10800, 0x10FFF),
               (0x1E800, 0x1EFFF))


@functools.cache
def _rtl_run_re() -> re.Pattern[str]:
    """A run of right-to-left letters (bidi classes R and AL) and their marks."""
    ranges: list[tuple[int, int]] = []
    for lo, hi in _RTL_BLOCKS:
        for c in range(lo, hi + 1):
            if unicodedata.bidirectional(chr(c)) in ("R", "AL", "NSM"):
                if ranges and ranges[-1][1] == c - 1:
                    ranges[-1] = (ranges[-1][0], c)
                else:
                    ranges.append((c, c))
    body = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[{body}]+")


def rtl_runs_restored(display: str) -> str:
    """``display`` (text in the order it is shown) with each run of right-to-left
    letters back in its own order, the order the index reads them in."""
    return _rtl_run_re().sub(lambda r: r.group()[::-1], display)


def shown(text: str) -> str:
    """``text`` with each line holding an explicit directional control in display
    order and each Hangul filler that shows as a blank a space (same length; see the
    module's docstring)."""
    if text.isascii() or (first := _EITHER_RE.search(text)) is None:
        return text
    if first.group() in "\u115f\u1160\u3164\uffa0" or _BLANK_RE.search(text, first.end()):
        text = _BLANK_RE.sub(" ", text)
    if _DIRECTIONAL_RE.search(text, first.start()) is None:
        return text
    from bidi import get_display

    out: list[str] = []
    last = 0
    for m in _PARAGRAPH_RE.finditer(text):
        line = m.group()
        if _DIRECTIONAL_RE.search(line) is None:
            continue
        try:
            display = get_display(line)
        except UnicodeError:  # a lone surrogate (scan_text of a str): left as it is
            continue
        if len(display) != len(line):  # never seen: python-bidi keeps every character
            continue
        display = rtl_runs_restored(display)
        out += [text[last:m.start()], display]
        last = m.end()
    out.append(text[last:])
    return "".join(out)
