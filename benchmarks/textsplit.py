"""Paragraphs, sentences and word counts of plain text, for the draft generators and
the harnesses (never the ``checker`` package's own tokeniser: these are independent)."""

from __future__ import annotations

import re

# Text utilities
# --------------------------------------------------------------------------------------


def _wordlist(text: str) -> list[str]:
    return text.split()


_PARAGRAPH_SEP_RE = re.compile(r"\n[ \t\u00a0]*\n\s*")
_BOUNDARY_RE = re.compile(r"([.!?]+)([\"'\u201d\u2019)\]]*)(\s+)(?=[\"'\u201c\u2018(\[<]*[A-Z0-9])")
_ACRONYM_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_NEXT_WORD_RE = re.compile(r"[\"'\u201c\u2018(\[<]*([A-Za-z]+)")
# Never the end of a sentence.
_TITLES = frozenset(
    _wordlist(
        "mr mrs ms dr prof sen sens rep reps gov gen col lt sgt capt adm cmdr st jr sr rev hon "
        "messrs"
    )
)
# Usually not the end of a sentence, unless a common sentence opener follows.
_ABBREVIATIONS = frozenset(
    _wordlist(
        "inc corp co ltd plc bros cos no nos vs etc approx dept est fig jan feb mar apr jun "
        "jul aug sep sept oct nov dec mon tue wed thu fri sat sun ave blvd"
    )
)
_OPENERS = frozenset(
    _wordlist(
        "The A An It He She They We I This That These Those Its His Her Their In On At But "
        "And However Analysts Officials Earlier Last Meanwhile There"
    )
)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the paragraphs of ``text`` (blank-line separated).

    Spans exclude surrounding whitespace; empty paragraphs are skipped.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    stops = [(m.start(), m.end()) for m in _PARAGRAPH_SEP_RE.finditer(text)]
    stops.append((len(text), len(text)))
    for end, next_position in stops:
        segment = text[position:end]
        stripped = segment.strip()
        if stripped:
            start = position + (len(segment) - len(segment.lstrip()))
            spans.append((start, start + len(stripped)))
        position = next_position
    return spans


def paragraphs(text: str) -> list[str]:
    """Split ``text`` into its non-empty, blank-line separated paragraphs (stripped)."""
    return [text[start:end] for start, end in paragraph_spans(text)]


def _is_boundary(text: str, match: re.Match[str], floor: int) -> bool:
    if match.group(1) != ".":
        return True
    end = match.start(1)
    start = end
    while start > floor and not text[start - 1].isspace():
        start -= 1
    token = text[start:end].lstrip("\"'\u201c\u2018([<")
    if not token:
        return True
    lower = token.lower()
    if lower in _TITLES:
        return False
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "J. Smith"
    if _ACRONYM_RE.fullmatch(token) or lower in _ABBREVIATIONS:
        following = _NEXT_WORD_RE.match(text, match.end())
        return following is not None and following.group(1) in _OPENERS
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the sentences of ``text``.

    Sentences never cross paragraphs. A boundary is ``.``, ``!`` or ``?`` (plus closing
    quotes or brackets) followed by whitespace and a capital, digit or opening quote;
    decimals ("5.93 mln") never split, and neither do titles ("Mr."), initials, dotted
    acronyms ("U.S.") or company abbreviations ("Corp.") unless a common sentence opener
    ("The", "It", ...) follows.
    """
    spans: list[tuple[int, int]] = []
    for para_start, para_end in paragraph_spans(text):
        start = para_start
        for match in _BOUNDARY_RE.finditer(text, para_start, para_end):
            if _is_boundary(text, match, para_start):
                spans.append((start, match.end(2)))
                start = match.end()
        if start < para_end:
            spans.append((start, para_end))
    return spans


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (see :func:`sentence_spans`), whitespace collapsed."""
    return [" ".join(text[start:end].split()) for start, end in sentence_spans(text)]


def word_count(text: str) -> int:
    """Count whitespace-separated words."""
    return len(text.split())
