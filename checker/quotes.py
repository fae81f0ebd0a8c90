"""Quoted spans of a draft and whether each is attributed.

Fair quotation needs two things from the draft itself: the reproduced text
stands inside quotation marks (or a block quote), and the quotation is
attributed nearby. This module finds both on the draft's original text, so
its character offsets line up with the passages of a finding.

Recognised quotation forms:

- straight ``"..."``, curly ``“...”`` and ``‘...’``, German ``„...“``/``„...”``,
  guillemets ``«...»`` and ``‹...›`` (with or without inner spaces);
- doubled marks (``""Thankfully``) are one mark, and a curly mark without its partner
  pairs with a lone straight one (``"Thank you,” he said``);
- a quote left open at the end of a paragraph runs to the paragraph's end
  (the newspaper convention for quotes spanning paragraphs), so an unbalanced
  mark never swallows the rest of the draft;
- a quote nested in another is a quote of its own too (a speaker quoting a
  source): a passage is held by the smallest quote around it;
- Markdown block quotes (lines starting with ``>``) and HTML ``<blockquote>``
  and ``<q>`` elements.

A quote is attributed when its sentence (outside the quote) or the next
sentence names the source or carries a reporting cue: "said", "told",
"reported", "according to", "wrote", ... A block quote introduced by a
lead-in that ends with a colon also counts its lead-in sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .attribution import mentions_in, normalized

# (opening, closing) marks; the same character may open one style and close another.
_PAIRS: tuple[tuple[str, str], ...] = (
    ("\u201c", "\u201d"),  # “ ”
    ("\u201e", "\u201c\u201d"),  # „ “ or „ ”
    ("\u00ab", "\u00bb"),  # « »
    ("\u2039", "\u203a"),  # ‹ ›
    ("\u2018", "\u2019"),  # ‘ ’
)
_GUILLEMETS = "\u00ab\u2039"
_PARAGRAPH_RE = re.compile(r"\n[ \t>]*\n")
_BLOCKQUOTE_MD_RE = re.compile(r"(?:^[ ]{0,3}>[^\n]*(?:\n|\Z))+", re.MULTILINE)
# A quote's body cannot run past the next opening tag of its kind (a nested quote of
# the same kind is matched on its own): scans from successive openings never overlap,
# so a draft of 40,000 unclosed "<q>" costs linear time, not quadratic.
_BLOCKQUOTE_HTML_RE = re.compile(r"<(blockquote|q)\b[^<>]*>((?:[^<]|<(?!\1\b))*?)</\1\s*>",
                                 re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’»›)\]]*(?=\s)|\n[ \t>]*\n")
CUES = ("said", "says", "say", "told", "tells", "reported", "reports", "according to",
        "wrote", "writes", "stated", "states", "announced", "added", "explained", "noted",
        "quoted", "in a statement", "quoting", "asked")
_CUE_FORMS = tuple(f" {c} " for c in CUES)  # as found in a normalised text
_WORD_CHAR_RE = re.compile(r"\w")


@dataclass(frozen=True)
class Quote:
    """One quoted span of the draft.

    Attributes:
        start, end: character offsets of the quoted text (inside the marks).
        words: words inside the quote, as a writer counts them (:func:`count_words`).
        kind: ``marks`` (quotation marks) or ``block`` (Markdown/HTML block quote).
        context: the text around the quote that may attribute it (same and next sentence).
        attributed: a reporting cue stands in ``context``.
    """

    start: int
    end: int
    words: int
    kind: str
    context: str
    attributed: bool


def _paragraph_ends(text: str) -> list[int]:
    return [m.start() for m in _PARAGRAPH_RE.finditer(text)] + [len(text)]


def _next_paragraph_end(ends: Sequence[int], pos: int) -> int:
    for e in ends:
        if e >= pos:
            return e
    return ends[-1]


def _opens(text: str, i: int) -> bool:
    """A mark at ``i`` can open a quote: it starts a word run (not an apostrophe)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not _WORD_CHAR_RE.match(before) and not after.isspace()


def _closes(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    before = text[i - 1] if i > 0 else " "
    return not _WORD_CHAR_RE.match(after) and not before.isspace()


_DOUBLED_RE = re.compile('(["\u201c\u201d])\\1+')


def _as_a_reader_reads(text: str) -> str:
    """``text`` with malformed quotation marks mended, offsets unchanged.

    A doubled mark (``""Thankfully``) is one mark: the extra ones become spaces. In a
    paragraph with an odd number of straight marks, a curly mark without its partner
    (``"Thank you,” he said``) pairs with the straight one: it becomes straight too.
    """
    out = list(_DOUBLED_RE.sub(lambda m: " " * (len(m.group()) - 1) + m.group(1), text))
    start = 0
    for pend in _paragraph_ends(text):
        para = out[start:pend]
        if para.count('"') % 2:
            opened: list[int] = []
            orphans: list[int] = []
            for k, c in enumerate(para):
                if c == "\u201c":
                    opened.append(k)
                elif c == "\u201d":
                    if opened:
                        opened.pop()
                    else:
                        orphans.append(k)
            for k in (orphans + opened)[:1]:
                out[start + k] = '"'
        start = pend
    return "".join(out)


def _mark_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks, nested ones included, never crossing a paragraph
    (malformed marks read as a reader would: :func:`_as_a_reader_reads`)."""
    text = _as_a_reader_reads(text)
    ends = _paragraph_ends(text)
    spans: list[tuple[int, int]] = []
    for opener, closers in _PAIRS:
        pos = 0
        while True:
            i = text.find(opener, pos)
            if i < 0:
                break
            pos = i + 1
            loose = opener in _GUILLEMETS  # French spacing: « text »
            if not loose and not _opens(text, i):
                continue
            limit = _next_paragraph_end(ends, i)
            j = i + 1
            close = -1
            while j < limit:
                if text[j] in closers and (loose or _closes(text, j)):
                    close = j
                    break
                j += 1
            end = close if close >= 0 else limit
            spans.append((i + 1, end))
            pos = end + 1
    # Straight double quotes: pair them in order within each paragraph; an odd
    # one out runs to the paragraph's end, unless it can only close (after a word,
    # before a space: `sales," he said`): then its opening mark was lost (wire copy
    # often drops it at a paragraph's start) and the quote runs from the paragraph's
    # start to it, instead of swallowing the text after it.
    start = 0
    for pend in ends:
        marks = [m.start() for m in re.finditer('"', text[start:pend])]
        for k in range(0, len(marks), 2):
            a = start + marks[k] + 1
            if k + 1 < len(marks):
                spans.append((a, start + marks[k + 1]))
            elif _closes(text, a - 1) and not _opens(text, a - 1):
                para = text[start:pend]
                lead = len(para) - len(para.lstrip(" \t\n>\u201c\u201e\u00ab\u2039\u2018"))
                spans.append((start + lead, a - 1))
            else:
                spans.append((a, pend))
        start = pend
    return _untangle(spans)


def _untangle(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, outer before inner; crossing spans (marks of one style closing
    inside a quote of another) become one quoted region, nested ones are kept."""
    out: list[tuple[int, int]] = []
    held: Counter[tuple[int, int]] = Counter()  # the spans in ``out``, to test at once
    # Spans are taken by start, so one that ends at or before a start can cross no
    # later span: only the others are compared (a draft of 40,000 quotes compared every
    # pair, minutes).
    open_: list[int] = []
    for s, e in sorted(spans, key=lambda se: (se[0], -se[1])):
        if e <= s or held[(s, e)]:
            continue
        open_ = [k for k in open_ if out[k][1] > s]
        crossing = [k for k in open_ if out[k][0] < s < out[k][1] < e]
        if crossing:
            k = crossing[0]
            held[out[k]] -= 1
            out[k] = (out[k][0], e)
            held[out[k]] += 1
            continue
        open_.append(len(out))
        out.append((s, e))
        held[(s, e)] += 1
    return out


def _block_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _BLOCKQUOTE_MD_RE.finditer(text)]
    spans += [(m.start(2), m.end(2)) for m in _BLOCKQUOTE_HTML_RE.finditer(text)]
    return spans


#: A quote's context reaches at most this many characters before and after it: a
#: sentence is shorter, and without a bound a draft of thousands of quotes and no
#: sentence end made every context the whole draft (quadratic: minutes).
CONTEXT_CHARS = 1000


def _sentence_start(text: str, pos: int) -> int:
    start = max(0, pos - CONTEXT_CHARS)
    for m in _SENTENCE_END_RE.finditer(text, start, pos):
        start = m.end()
    return start


def _after_context(text: str, pos: int, sentences: int = 2) -> str:
    """From ``pos`` to the end of the sentence it is in and the next one."""
    end = pos
    limit = pos + CONTEXT_CHARS
    for _ in range(sentences):
        m = _SENTENCE_END_RE.search(text, end + 1, limit)
        if m is None:
            return text[pos:limit]
        end = m.end()
    return text[pos:end]


def context_of(text: str, start: int, end: int, kind: str, after: int = 2) -> str:
    """The text around a quote that may attribute it: the rest of its own
    sentence (before and after the quote) and the next sentence (``after``: 1, its own
    sentence only)."""
    # The opening mark belongs to the quote, not to the sentence before it.
    lead_end = start - 1 if kind == "marks" else start
    s = _sentence_start(text, lead_end)
    before = text[s:lead_end]
    if not before.strip() or before.rstrip().endswith(":") or kind == "block":
        # A quote that opens its sentence, or a block quote: its lead-in sentence counts.
        prev = _sentence_start(text, max(0, s - 1))
        before = text[prev:lead_end]
        if not before.rstrip().endswith(":") and kind != "block":
            before = text[s:lead_end]
        elif kind == "block" and not before.rstrip().endswith(":"):
            before = ""
    return f"{before} \u2026 {_after_context(text, end, after)}"


def count_words(text: str) -> int:
    """Words as a writer counts them: runs between spaces that hold a letter or digit
    ("B.C.", "1-1/4" and "rest-day" are one word each, as in a newsroom's quote limit)."""
    return sum(1 for chunk in text.split() if any(c.isalnum() for c in chunk))


def find_quotes(text: str, names: Sequence[str] = ()) -> list[Quote]:
    """Every quoted span of ``text``, nested ones too, in text order (outer first).

    Args:
        text: the draft's original text.
        names: source names (publisher, holder) that attribute a quote when
            they stand in its context, like a reporting cue.
    """
    blocks = _block_spans(text)
    marks = _mark_spans(text)
    quotes = []
    for kind, spans in (("block", blocks), ("marks", marks)):
        for s, e in spans:
            context = context_of(text, s, e, kind)
            quotes.append(Quote(
                start=s, end=e, words=count_words(text[s:e]), kind=kind, context=context,
                attributed=is_attribution(context, names),
            ))
    return sorted(quotes, key=lambda q: (q.start, -q.end))


def is_attribution(context: str, names: Sequence[str] = ()) -> bool:
    """True when ``context`` carries a reporting cue or names one of ``names``."""
    # One normalisation for the cues and every name (whole words, any case), and none
    # when no cue's letters are there and no name is asked for: a draft of thousands of
    # quotes asks this of every one. (A regex of the cues took 0.5 ms on a
    # 4,000-character context.)
    names = [n for n in names if n]
    if not names:
        folded = context.casefold()
        if not any(cue in folded for cue in CUES):
            return False
    hay = normalized(context)
    return any(cue in hay for cue in _CUE_FORMS) or any(mentions_in(hay, n) for n in names)


def quote_at(quotes: Sequence[Quote], start: int, end: int, share: float = 0.8) -> Quote | None:
    """The smallest quote that holds at least ``share`` of the span ``start:end``, if any."""
    length = max(1, end - start)
    holding = [q for q in quotes if min(end, q.end) - max(start, q.start) >= share * length]
    return min(holding, key=lambda q: q.end - q.start, default=None)
