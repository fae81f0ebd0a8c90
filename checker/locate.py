"""Line and column numbers in the file the user has open.

A draft's offsets refer to the text it was matched as. For text and Markdown
that is the file itself; for an HTML page it is the article text extracted from
it, whose lines are not the file's, so an editor, a SARIF viewer or a pull-request
annotation would point at the wrong line. :class:`SourceLocator` finds a passage
in the page instead: the page's visible words (outside tags, comments, scripts
and styles, entities decoded) are matched against the words at the offset, and
the file's own line and column are returned. When the words cannot be found (the
extraction rewrote them), it falls back to the extracted text's numbering.
"""

from __future__ import annotations

import bisect
import html
import re
from typing import Protocol

from .text import LineIndex

# Words compared between the extracted text and the page: letters and digits runs,
# case-folded ("don’t" and "don&rsquo;t" both give "don", "t").
_WORD_RE = re.compile(r"[^\W_]+")
# No part scans past the next opening of its kind ("<!--", "<script", "<"): linear time
# on a hostile page (thousands of unclosed "<script>").
_HIDDEN_RE = re.compile(
    r"<!--(?:[^<-]|-(?!->)|<(?!!--))*-->"
    r"|<(script|style|noscript|template)\b[^<>]*>(?:[^<]|<(?!\1\b))*?</\1\s*>|<[^<>]*>",
    re.IGNORECASE)
_ENTITY_RE = re.compile(r"&#?\w+;|[^&]+|&")
# Words matched from the offset on: enough to be unique in a page, few enough to
# stay inside one paragraph of it.
_PROBE_WORDS = 6


class Locator(Protocol):
    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` of a character offset of the matched text."""
        ...


def locator(text: str, source: str = "") -> Locator:
    """Line numbers for offsets of ``text``: in ``text`` itself, or in ``source``
    (the file ``text`` was extracted from) when there is one."""
    return SourceLocator(text, source) if source else LineIndex(text)


class SourceLocator:
    """Offsets of extracted text mapped to lines and columns of its source page."""

    def __init__(self, text: str, source: str) -> None:
        self._text = text
        self._fallback = LineIndex(text)
        self._lines = LineIndex(source)
        words, starts = _visible_words(source)
        self._words = words
        self._starts = starts
        # The page's words joined with spaces, and where each word starts in that string:
        # a run of words is then found with one str.find.
        self._joined = " " + " ".join(words) + " "
        self._at: list[int] = []
        pos = 1
        for w in words:
            self._at.append(pos)
            pos += len(w) + 1
        text_words = [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
        self._text_starts = [s for s, _ in text_words]
        self._text_words = [text[s:e].casefold() for s, e in text_words]

    def line_col(self, offset: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self._text_starts, offset) - 1, 0)
        for n in (_PROBE_WORDS, 3, 1):
            probe = self._text_words[i : i + n]
            if not probe:
                break
            hit = self._find(probe, i / max(1, len(self._text_words)))
            if hit is not None:
                # Inside the word: the same distance into the page's word (its last
                # character for a passage's end), unless an entity made it longer.
                into = offset - self._text_starts[i] if self._text_starts else 0
                into = into if 0 <= into < len(probe[0]) else 0
                return self._lines.line_col(self._starts[hit] + into)
        return self._fallback.line_col(offset)

    def _find(self, probe: list[str], where: float) -> int | None:
        """The page word index where ``probe`` runs, the occurrence nearest the
        same relative position as in the extracted text; None if absent."""
        needle = " " + " ".join(probe) + " "
        best: int | None = None
        best_gap = 2.0
        pos = self._joined.find(needle)
        while pos >= 0:
            k = bisect.bisect_left(self._at, pos + 1)
            gap = abs(k / max(1, len(self._words)) - where)
            if gap < best_gap:
                best, best_gap = k, gap
            pos = self._joined.find(needle, pos + 1)
        return best


def _visible_words(source: str) -> tuple[list[str], list[int]]:
    """The case-folded words a browser shows of ``source``, and their offsets in it."""
    words: list[str] = []
    starts: list[int] = []
    pos = 0
    for m in [*_HIDDEN_RE.finditer(source), None]:
        end = m.start() if m is not None else len(source)
        if end > pos:
            _chunk_words(source, pos, end, words, starts)
        if m is not None:
            pos = m.end()
    return words, starts


def _chunk_words(source: str, start: int, end: int, words: list[str],
                 starts: list[int]) -> None:
    """Words of ``source[start:end]`` (text between tags), entities decoded."""
    decoded: list[str] = []
    offsets: list[int] = []
    for piece in _ENTITY_RE.finditer(source, start, end):
        raw = piece.group()
        if raw.startswith("&") and len(raw) > 1:
            text = html.unescape(raw)
            decoded.append(text)
            offsets.extend([piece.start()] * len(text))
        else:
            decoded.append(raw)
            offsets.extend(range(piece.start(), piece.end()))
    flat = "".join(decoded)
    for w in _WORD_RE.finditer(flat):
        words.append(w.group().casefold())
        starts.append(offsets[w.start()])
