"""Normalised tokens that keep their place in the original text.

Matching works on normalised words (Unicode NFKC, case-folded, curly
apostrophes and invisible characters removed, look-alike letters of other scripts
inside Latin words read as Latin, words hyphenated across a line break joined
again, a line under a right-to-left override read as shown) while every token
keeps the character offsets of the original text, so a match maps back to an exact
span, line and column.

Punctuation, quotes and dashes are not tokens at all, which is what makes
curly/straight quotes and dash variants irrelevant for matching.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import homoglyphs
from .visual import shown


def _combining_marks() -> str:
    """A regex class body of the combining marks of the BMP (``\\w`` has none of them)."""
    ranges: list[tuple[int, int]] = []
    for c in range(0x300, 0x10000):
        if unicodedata.category(chr(c)).startswith("M"):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1] = (ranges[-1][0], c)
            else:
                ranges.append((c, c))
    return "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


# Unicode's Default_Ignorable_Code_Point characters (DerivedCoreProperties.txt): the
# soft hyphen, zero-width spaces and joiners, bidi controls, variation selectors,
# fillers, tags. They are invisible, so a word with one inside ("sea\u200bwall") is
# the word a reader sees: they stay inside a word and are dropped from its matching
# form. Without this, one zero-width space per word hides a pasted article.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
IGNORABLE = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _IGNORABLE_RANGES)
"""A regex class body of the invisible characters dropped from words."""
_IGN = "[" + IGNORABLE + "]"
_APOSTROPHE = "['\u2019\u02bc]"

# A word: letters or digits, with inner apostrophes ("don't") and invisible
# characters ("exam\u00adple") kept inside the word, and combining marks kept
# with their letter, so decomposed (NFD) text normalises like composed text.
_MARKS = _combining_marks()
_TOKEN_RE = re.compile(
    r"[^\W_](?:[^\W_]|[" + _MARKS + r"]|" + _IGN + r"+(?=[^\W_])|"
    + _IGN + "*" + _APOSTROPHE + _IGN + r"*(?=[^\W_]))*"
)
# A hyphen at a line end between two word pieces: "exam-\nple".
_HYPHEN_BREAK_RE = re.compile(r"-[ \t]*\r?\n[ \t>]*")
_DROP: dict[int, None] = {c: None for a, b in _IGNORABLE_RANGES for c in range(a, b + 1)}
_DROP.update({ord("'"): None, 0x2019: None, 0x02BC: None})


def normalize_word(word: str) -> str:
    """Return the matching form of one word: no apostrophes or invisible characters,
    NFKC, look-alike letters inside a Latin word read as Latin, case-folded."""
    word = word.translate(_DROP)
    if not word.isascii():
        word = homoglyphs.latin(unicodedata.normalize("NFKC", word))
    return word.casefold()


@dataclass(frozen=True)
class Tokens:
    """Words of a text in matching form, with their original offsets.

    Attributes:
        words: normalised words.
        starts: character offset (into the original text) where each word starts.
        ends: character offset just past each word.
    """

    words: list[str]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.words)


def _masked(pos: int, mask_starts: Sequence[int], mask_ends: Sequence[int]) -> bool:
    i = bisect.bisect_right(mask_starts, pos) - 1
    return i >= 0 and pos < mask_ends[i]


def tokenize(text: str, mask: Sequence[tuple[int, int]] = ()) -> Tokens:
    """Split ``text`` into normalised words with offsets.

    Args:
        text: the original text (offsets refer to it).
        mask: sorted, non-overlapping ``(start, end)`` character spans whose
            words are left out (front matter, link targets, copyright notices).

    A line holding an explicit bidi control (a right-to-left override) is read in the
    order it is shown (:func:`checker.visual.shown`; same length, so offsets hold).
    """
    text = shown(text)
    if len(text) <= SEGMENT_CHARS:
        return _tokenize_whole(text, mask)
    # A long text (a 20 MB draft) is cut into segments at spaces no word or line-break
    # hyphenation crosses, so the vectorised path's per-byte arrays stay a few MB; equal
    # words share one string, so the words cost a pointer each, not a string each.
    words: list[str] = []
    starts: list[npt.NDArray[np.int64]] = []
    ends: list[npt.NDArray[np.int64]] = []
    canon: dict[str, str] = {}
    for a, b in _segments(text):
        seg_mask = [(max(s, a) - a, min(e, b) - a) for s, e in mask if s < b and e > a]
        part = _tokenize_whole(text[a:b], seg_mask)
        if len(canon) < _CANON_MAX:
            words.extend([canon.setdefault(w, w) for w in part.words])
        else:
            words.extend([canon.get(w, w) for w in part.words])
        starts.append(part.starts + a)
        ends.append(part.ends + a)
    return Tokens(words, np.concatenate(starts), np.concatenate(ends))


#: Texts longer than this many characters are tokenised a segment at a time.
SEGMENT_CHARS = 1 << 20
#: Distinct words shared between segments at most (a text of garbage words would
#: otherwise grow the table by one entry per word).
_CANON_MAX = 1 << 18
# A safe cut: a space after a character that is not blank, "-" or ">". A word cannot
# span a space, and the gap around it cannot be a line-break hyphenation ("-", blanks,
# one line break, blanks and ">"), so tokens are the same on both sides of the cut.
_CUT_RE = re.compile(r"(?<=[^\s>-]) ")


def _segments(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` pieces of ``text`` of about :data:`SEGMENT_CHARS`, cut at safe
    spaces (the whole text when it has none)."""
    out: list[tuple[int, int]] = []
    a = 0
    while len(text) - a > SEGMENT_CHARS:
        m = _CUT_RE.search(text, a + SEGMENT_CHARS)
        if m is None:
            break
        out.append((a, m.start()))
        a = m.start()
    out.append((a, len(text)))
    return out


def _tokenize_whole(text: str, mask: Sequence[tuple[int, int]]) -> Tokens:
    # Most texts take the vectorised path (same words and offsets; see
    # checker.fastsketch and tests/test_fastsketch.py); the loop below is the definition.
    from .fastsketch import byte_tokens

    fast = byte_tokens(text, mask)
    if fast is not None:
        return fast
    return tokenize_exact(text, mask)


def tokenize_exact(text: str, mask: Sequence[tuple[int, int]] = ()) -> Tokens:
    """:func:`tokenize`, one word at a time (the reference definition), of a text
    already shown (:func:`checker.visual.shown`, which :func:`tokenize` applies first)."""
    mask_starts = [s for s, _ in mask]
    mask_ends = [e for _, e in mask]
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN_RE.finditer(text):
        s, e = m.span()
        if mask and _masked(s, mask_starts, mask_ends):
            continue
        word = normalize_word(m.group())
        # Rejoin a word hyphenated at a line end when the next piece is lower
        # case: "exam-\nple" is one word; "Smith-\nJones" stays two.
        if ends and m.group()[:1].islower():
            gap = text[ends[-1] : s]
            if _HYPHEN_BREAK_RE.fullmatch(gap):
                words[-1] += word
                ends[-1] = e
                continue
        words.append(word)
        starts.append(s)
        ends.append(e)
    return Tokens(words, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))


class LineIndex:
    """Maps character offsets to 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return ``(line, column)``, both 1-based, of a character offset."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1


def mask_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping ``(start, end)`` spans."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
