"""Deterministic draft generators: one function per kind of reuse (:data:`KINDS`),
each building a :class:`Draft` from articles with a :class:`random.Random` and
recording where the reused text sits (:class:`Reuse`). A generator raises
:class:`ValueError` when an article is unsuitable; callers pick another article.

The edits and pastes are here; the formats, quotations and credits in
:mod:`benchmarks.draft_formats`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.corpora import Article
from benchmarks.textsplit import (
    _wordlist,
    paragraph_spans,
    paragraphs,
    sentence_spans,
    sentences,
    word_count,
)

# --------------------------------------------------------------------------------------
# Drafts
# --------------------------------------------------------------------------------------

KINDS = (
    "verbatim",
    "pasted_paragraph",
    "light_edit",
    "heavy_edit",
    "stitched",
    "short_paste",
    "two_sources",
    "reflowed",
    "as_html",
    "as_markdown",
    "long_quote",
    "short_quote",
    "short_phrase",
    "credited",
    "uncredited",
)
"""The draft kinds, one per generator (``credited`` with no credit gives ``uncredited``)."""


@dataclass(frozen=True)
class Reuse:
    """Where a draft reuses text of a source article.

    ``start:end`` is the reused region of the draft text and ``source_start:source_end``
    the region of ``Article.text`` it came from. For edited kinds (light or heavy edits,
    reflowed text) the draft region holds the edited text, not an exact copy. ``words``
    counts the source words the region carries over unchanged (for exact copies, all of
    them).
    """

    source: str
    start: int
    end: int
    source_start: int
    source_end: int
    words: int


@dataclass(frozen=True)
class Draft:
    """A generated draft: its text and the reuse it contains.

    ``quoted`` marks reuse inside quotation marks with attribution; ``credit`` is the
    credit line the draft carries (if any); ``edited_words`` counts word-level edits.
    """

    kind: str
    text: str
    reuses: tuple[Reuse, ...]
    quoted: bool = False
    credit: str | None = None
    edited_words: int = 0

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the reused articles, in order of first appearance."""
        return tuple(dict.fromkeys(reuse.source for reuse in self.reuses))

    @property
    def reused_words(self) -> int:
        """The number of source words carried over unchanged."""
        return sum(reuse.words for reuse in self.reuses)

    def reused_text(self) -> list[str]:
        """Return the reused regions of the draft text."""
        return [self.text[reuse.start : reuse.end] for reuse in self.reuses]


COMMON_WORDS = tuple(
    _wordlist(
        "the of and to in a is that for it as was with be by on not he this are or his from "
        "at which but have an they you were her she there one all we their been has when who "
        "will more no if out so said what up its about into than them can only other new some "
        "could time these two may then do first any now such like our over man even most made "
        "after also did many before must through back years where much your way well down "
        "should because each just those people how too little state good very make world "
        "still own see men work long get here between both life being under never day same "
        "another know while last might us great old year off come since against go came right "
        "used take three"
    )
)
"""A fixed list of common English words: the replacements used by light and heavy edits."""

_HEADLINE_TEMPLATES = (
    "{subject}: what we know",
    "{subject} - the latest",
    "Update: {subject}",
    "Why {subject} matters",
    "{subject} in focus",
    "Explainer: {subject}",
    "Inside the story: {subject}",
)
_TOKEN_RE = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)
_WORD_RE = re.compile(r"\S+")
_TERMINAL = ".!?\"'\u201d\u2019)"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _subject(article: Article) -> str:
    words = article.title.split()[:5]
    return " ".join(words).title() if words else "The markets"


def _passage_candidates(
    text: str, min_words: int, max_words: int, whole_paragraphs: bool = True
) -> list[tuple[int, int]]:
    """Spans of paragraphs and runs of consecutive sentences of min..max words."""
    found: dict[tuple[int, int], None] = {}
    if whole_paragraphs:
        for start, end in paragraph_spans(text):
            if min_words <= word_count(text[start:end]) <= max_words:
                found[(start, end)] = None
    spans = sentence_spans(text)
    counts = [word_count(text[start:end]) for start, end in spans]
    for i in range(len(spans)):
        total = 0
        for j in range(i, len(spans)):
            total += counts[j]
            if total > max_words:
                break
            if total >= min_words:
                found[(spans[i][0], spans[j][1])] = None
    return sorted(found)


def _pick_passage(
    article: Article, rng: random.Random, min_words: int, max_words: int
) -> tuple[int, int]:
    candidates = _passage_candidates(article.text, min_words, max_words)
    if not candidates:
        raise ValueError(
            f"{article.id}: no paragraph or sentence run of {min_words}-{max_words} words"
        )
    return rng.choice(candidates)


def _host_paragraphs(host: Article) -> list[str]:
    """The host's paragraphs; a single-paragraph host is cut in two at a mid sentence."""
    paras = paragraphs(host.text)
    if len(paras) == 1:
        spans = sentence_spans(paras[0])
        if len(spans) >= 2:
            cut = spans[len(spans) // 2][0]
            paras = [paras[0][:cut].rstrip(), paras[0][cut:]]
    return paras


def _middle_slots(count: int, rng: random.Random, how_many: int = 1) -> list[int]:
    """Pick ``how_many`` insertion points among the middle paragraph boundaries."""
    if count < 2:
        return [count] * how_many
    low = max(1, count // 3)
    high = max(low, min(count - 1, count - count // 3))
    slots = list(range(low, high + 1))
    if len(slots) < how_many:
        slots = list(range(1, count)) or [count]
    if len(slots) >= how_many:
        return sorted(rng.sample(slots, how_many))
    return sorted(rng.choice(slots) for _ in range(how_many))


def _assemble(paras: Sequence[str], inserts: Sequence[tuple[int, str]]) -> tuple[str, list[int]]:
    """Insert blocks before the given paragraph indices; return text and block offsets."""
    pieces: list[str] = []
    kinds: list[int] = []  # -1 for host paragraphs, else the insert's index
    order = sorted(range(len(inserts)), key=lambda k: (inserts[k][0], k))
    pending = list(order)
    for index, para in enumerate([*paras, None]):
        while pending and inserts[pending[0]][0] <= index:
            k = pending.pop(0)
            pieces.append(inserts[k][1])
            kinds.append(k)
        if para is not None:
            pieces.append(para)
            kinds.append(-1)
    offsets = [0] * len(inserts)
    position = 0
    for piece, kind in zip(pieces, kinds, strict=True):
        if kind >= 0:
            offsets[kind] = position
        position += len(piece) + 2
    return "\n\n".join(pieces), offsets


def _insert_inline(host: Article, piece: str, rng: random.Random) -> tuple[str, int]:
    """Insert ``piece`` before a sentence in the middle of the host; return text, offset."""
    text = host.text
    starts = [start for start, _ in sentence_spans(text)[1:]]
    if not starts:
        base = text.rstrip()
        joined = f"{base} {piece}" if base else piece
        return joined, len(joined) - len(piece)
    low = len(starts) // 4
    high = max(low + 1, len(starts) - len(starts) // 4)
    position = starts[rng.randrange(low, high)]
    return text[:position] + piece + " " + text[position:], position


def _split_token(token: str) -> tuple[str, str, str]:
    match = _TOKEN_RE.match(token)
    assert match is not None  # the pattern matches any string
    return match.group(1), match.group(2), match.group(3)


def _replacement(core: str, rng: random.Random) -> str:
    word = rng.choice(COMMON_WORDS)
    while word == core.lower():
        word = rng.choice(COMMON_WORDS)
    return word.capitalize() if core[:1].isupper() else word


def _edit_words(paras: list[str], rng: random.Random, rate: float) -> tuple[list[str], int]:
    """Drop, swap with the next word, or replace ``round(rate * words)`` words.

    Every edit changes exactly one word position (a swap displaces one word); punctuation
    stays in place. Returns the edited paragraphs and the number of edits.
    """
    tokens: list[list[str | None]] = [list(p.split()) for p in paras]
    flat = [(p, t) for p, row in enumerate(tokens) for t in range(len(row))]
    edits = round(rate * len(flat))
    chosen = sorted(rng.sample(range(len(flat)), edits)) if edits else []
    chosen_set = set(chosen)
    for index in chosen:
        p, t = flat[index]
        row = tokens[p]
        token = row[t]
        assert token is not None  # only later positions are ever touched
        prefix, core, suffix = _split_token(token)
        operation = rng.choice(("drop", "swap", "replace"))
        if operation == "swap":
            neighbour = row[t + 1] if t + 1 < len(row) and index + 1 not in chosen_set else None
            if neighbour is None:
                operation = "replace"
            else:
                n_prefix, n_core, n_suffix = _split_token(neighbour)
                if not core or not n_core or core.lower() == n_core.lower():
                    operation = "replace"
                else:
                    row[t] = prefix + n_core + suffix
                    row[t + 1] = n_prefix + core + n_suffix
        if operation == "replace":
            row[t] = prefix + _replacement(core, rng) + suffix
        elif operation == "drop":
            row[t] = None
            if any(mark in suffix for mark in ".!?"):
                for back in range(t - 1, -1, -1):
                    previous = row[back]
                    if previous is not None:
                        row[back] = previous.rstrip(".,;:!?") + suffix
                        break
    edited = [" ".join(tok for tok in row if tok is not None) for row in tokens]
    return [para for para in edited if para], edits


def verbatim(article: Article, rng: random.Random) -> Draft:
    """Copy the whole article under a new headline."""
    headline = rng.choice(_HEADLINE_TEMPLATES).format(subject=_subject(article))
    text = f"{headline}\n\n{article.text}"
    start = len(headline) + 2
    reuse = Reuse(article.id, start, len(text), 0, len(article.text), word_count(article.text))
    return Draft("verbatim", text, (reuse,))


def pasted_paragraph(
    article: Article,
    host: Article,
    rng: random.Random,
    min_words: int = 40,
    max_words: int = 120,
) -> Draft:
    """Paste one paragraph or run of consecutive sentences of ``article`` into ``host``.

    The passage (``min_words``..``max_words`` words, whitespace collapsed) becomes its own
    paragraph at a paragraph boundary in the middle of ``host`` (an article that is not
    indexed).
    """
    source_start, source_end = _pick_passage(article, rng, min_words, max_words)
    block = _collapse(article.text[source_start:source_end])
    paras = _host_paragraphs(host)
    (slot,) = _middle_slots(len(paras), rng)
    text, (offset,) = _assemble(paras, [(slot, block)])
    reuse = Reuse(
        article.id, offset, offset + len(block), source_start, source_end, word_count(block)
    )
    return Draft("pasted_paragraph", text, (reuse,))


def _whole_edit(article: Article, kind: str, paras: list[str], edits: int) -> Draft:
    text = "\n\n".join(paras)
    kept = word_count(article.text) - edits
    reuse = Reuse(article.id, 0, len(text), 0, len(article.text), kept)
    return Draft(kind, text, (reuse,), edited_words=edits)


def light_edit(article: Article, rng: random.Random, rate: float = 0.15) -> Draft:
    """Edit ``rate`` of the words (drop, swap with a neighbour, or replace) and move a paragraph.

    Replacements come from :data:`COMMON_WORDS`. With a single paragraph nothing moves.
    """
    paras = paragraphs(article.text)
    if not paras:
        raise ValueError(f"{article.id}: empty article")
    edited, edits = _edit_words(paras, rng, rate)
    if len(edited) >= 2:
        source = rng.randrange(len(edited))
        target = rng.randrange(len(edited) - 1)
        target += target >= source
        edited.insert(target, edited.pop(source))
    return _whole_edit(article, "light_edit", edited, edits)


def heavy_edit(article: Article, rng: random.Random, rate: float = 0.30) -> Draft:
    """Shuffle the sentences of each paragraph, then edit ``rate`` of the words."""
    paras = paragraphs(article.text)
    if not paras:
        raise ValueError(f"{article.id}: empty article")
    shuffled: list[str] = []
    for para in paras:
        parts = sentences(para)
        if len(parts) >= 2:
            order = list(range(len(parts)))
            rng.shuffle(order)
            if order == sorted(order):
                order = order[1:] + order[:1]
            parts = [parts[i] for i in order]
        shuffled.append(" ".join(parts))
    edited, edits = _edit_words(shuffled, rng, rate)
    return _whole_edit(article, "heavy_edit", edited, edits)


def stitched(article: Article, rng: random.Random) -> Draft:
    """Join 3-6 pairwise non-adjacent sentences of ``article`` into one short paragraph."""
    spans = sentence_spans(article.text)
    if len(spans) < 5:
        raise ValueError(f"{article.id}: fewer than 5 sentences")
    count = min(rng.randint(3, 6), (len(spans) + 1) // 2)
    base = sorted(rng.sample(range(len(spans) - count + 1), count))
    picked = [b + k for k, b in enumerate(base)]  # gaps of at least one sentence
    parts: list[str] = []
    reuses: list[Reuse] = []
    position = 0
    for index in picked:
        start, end = spans[index]
        sentence = _collapse(article.text[start:end])
        if parts:
            position += 1
        parts.append(sentence)
        reuses.append(
            Reuse(article.id, position, position + len(sentence), start, end, word_count(sentence))
        )
        position += len(sentence)
    return Draft("stitched", " ".join(parts), tuple(reuses))


def short_paste(article: Article, host: Article, rng: random.Random) -> Draft:
    """Paste 30-39 consecutive words of ``article`` unquoted inside a paragraph of ``host``.

    The passage is a run of whole sentences when one has 30-39 words; otherwise it starts
    at a sentence start (if possible) and stops after 30-39 words, and gets a final period.
    """
    text = article.text
    candidates = _passage_candidates(text, 30, 39, whole_paragraphs=False)
    if candidates:
        source_start, source_end = rng.choice(candidates)
        piece = _collapse(text[source_start:source_end])
    else:
        words = list(_WORD_RE.finditer(text))
        length = rng.randint(30, 39)
        if len(words) < length:
            raise ValueError(f"{article.id}: fewer than {length} words")
        sentence_starts = {start for start, _ in sentence_spans(text)}
        first_words = [
            i
            for i, w in enumerate(words[: len(words) - length + 1])
            if w.start() in sentence_starts
        ] or list(range(len(words) - length + 1))
        first = rng.choice(first_words)
        source_start, source_end = words[first].start(), words[first + length - 1].end()
        piece = _collapse(text[source_start:source_end])
    reused = piece
    if not piece.endswith(tuple(_TERMINAL)):
        piece += "."
    draft, offset = _insert_inline(host, piece, rng)
    reuse = Reuse(
        article.id, offset, offset + len(reused), source_start, source_end, word_count(reused)
    )
    return Draft("short_paste", draft, (reuse,))


def two_sources(a: Article, b: Article, host: Article, rng: random.Random) -> Draft:
    """Paste one paragraph (40-120 words) of ``a`` and one of ``b`` into ``host``."""
    spans = [_pick_passage(a, rng, 40, 120), _pick_passage(b, rng, 40, 120)]
    blocks = [_collapse(src.text[s:e]) for src, (s, e) in zip((a, b), spans, strict=True)]
    paras = _host_paragraphs(host)
    slots = _middle_slots(len(paras), rng, 2)
    text, offsets = _assemble(paras, list(zip(slots, blocks, strict=True)))
    reuses = tuple(
        Reuse(src.id, offset, offset + len(block), s, e, word_count(block))
        for src, (s, e), block, offset in zip((a, b), spans, blocks, offsets, strict=True)
    )
    return Draft("two_sources", text, reuses)
