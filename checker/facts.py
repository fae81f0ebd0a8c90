"""The facts of a finding that need more than one passage's alignment: whether the draft
attributes a quote in its own words (or copied the source's framing with it), how much of
the draft the passages cover, which permissive copy of the same text covers a finding, and
copies of one story grouped into one finding. :func:`checker.verdict.decide` decides from
them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .matching import Alignment
from .quotes import Quote, context_of, is_attribution
from .report import Finding, SourceRef, Verdict
from .rights import Span
from .text import Tokens
from .verdict import PERMISSIVE, PUBLIC_SPEECH, QUOTATION, Cover

#: Words outside a quote, beyond a bare "he said", that make the passage the source's own
#: framing of the quote ("...," the minister said on Tuesday) rather than the draft's ...
_FRAMING_WORDS = 3
#: ... when they are the source's words around the quote (rapidfuzz ratio, 0-100).
_FRAMING_RATIO = 80
#: Words next to a quote compared with the source's (an attribution with its time and
#: place: "the transport minister said on Tuesday").
_FRAMING_SPAN = 8


def copied_framing(dtok: Tokens, stok: Tokens, a: Alignment, q: Quote
                   ) -> list[tuple[int, int]]:
    """Draft character spans of a passage, outside its quote, that repeat the source's
    words there (the source's framing copied along with the quote).

    The words next to the quote (up to :data:`_FRAMING_SPAN` on each side) decide: when
    they are the source's words at that place, the passage's text on that side of the
    quote is the source's reporting around it. Words of the draft's own between the
    copied text and the quote ("Speaking to our reporter, she said:") keep the quote the
    draft's."""
    out: list[tuple[int, int]] = []
    inner = [i for i in range(a.draft_start, a.draft_end) if q.start <= dtok.starts[i] < q.end]
    if not inner:
        return out
    dw, sw = dtok.words[a.draft_start:a.draft_end], stok.words[a.source_start:a.source_end]
    at = _source_positions(dw, sw)
    first, last = inner[0] - a.draft_start, inner[-1] - a.draft_start
    for side, near in ((range(0, first), range(max(0, first - _FRAMING_SPAN), first)),
                       (range(last + 1, len(dw)),
                        range(last + 1, min(len(dw), last + 1 + _FRAMING_SPAN)))):
        if len(near) < _FRAMING_WORDS:
            continue
        mine = " ".join(dw[i] for i in near)
        src = " ".join(sw[at[near[0]]:at[near[-1]] + 1])
        if fuzz.ratio(mine, src) >= _FRAMING_RATIO:
            out.append((int(dtok.starts[a.draft_start + side[0]]),
                        int(dtok.ends[a.draft_start + side[-1]])))
    return out


def split_at_quotes(found: tuple[Alignment, ...], dtok: Tokens, stok: Tokens,
                    quotes: tuple[Quote, ...], min_words: int
                    ) -> list[tuple[Alignment, Alignment]]:
    """The passages cut where a quote of the draft begins and ends: each piece with the
    passage it was cut from.

    Quotation and public speech are judged on the quoted words: a passage that runs from
    the source's reporting into a quote it carries (the facts, then "...," the police
    said) is the reporting, which counts, and the quote, which may be exempt. A quote is
    cut out when at least ``min_words`` of its words stand in the passage; text outside it
    shorter than ``min_words`` stays with it (an alignment often runs on into "he said").
    The source side of a piece follows the word alignment of the passage, and its
    similarity is measured again.
    """
    out: list[tuple[Alignment, Alignment]] = []
    for a in found:
        bounds = _quote_bounds(a, dtok, quotes, min_words)
        if len(bounds) < 2:
            out.append((a, a))
            continue
        dw, sw = dtok.words[a.draft_start:a.draft_end], stok.words[a.source_start:a.source_end]
        at = _source_positions(dw, sw)
        for s, e in bounds:
            ss = a.source_start + at[s - a.draft_start]
            se = max(ss, a.source_start + at[e - 1 - a.draft_start] + 1)
            sim = Indel.normalized_similarity(dtok.words[s:e], stok.words[ss:se])
            out.append((Alignment(s, e, ss, se, min(a.matched_words, e - s),
                                  round(float(sim), 4)), a))
    return out


def rejoined(pieces: list[tuple[Alignment, Alignment]], quoted: Sequence[bool],
             exempt: Sequence[str]) -> list[tuple[Alignment, Alignment]]:
    """The pieces of :func:`split_at_quotes` once decided: a passage whose quote was cut out
    and is not exempt as a quote (``quoted``: per piece, it holds a quote; ``exempt``: per
    piece, why it does not count) is whole again, so a paste is not made shorter than a
    size limit by the marks inside it."""
    whole = {parent for (piece, parent), q, why in zip(pieces, quoted, exempt, strict=True)
             if piece != parent and q and why not in (QUOTATION, PUBLIC_SPEECH)}
    if not whole:
        return pieces
    return list(dict.fromkeys((parent, parent) if parent in whole else (piece, parent)
                              for piece, parent in pieces))


def _quote_bounds(a: Alignment, dtok: Tokens, quotes: tuple[Quote, ...],
                  min_words: int) -> list[tuple[int, int]]:
    """Draft word ranges of the pieces of ``a``: quotes (outermost first) and the text
    between them, short outside pieces joined to the quote beside them."""
    starts = dtok.starts[a.draft_start:a.draft_end]
    cuts: list[tuple[int, int]] = []
    for q in sorted(quotes, key=lambda q: (q.start, -q.end)):
        inside = np.flatnonzero((starts >= q.start) & (starts < q.end))
        if len(inside) < min_words:
            continue
        s, e = a.draft_start + int(inside[0]), a.draft_start + int(inside[-1]) + 1
        if not cuts or s >= cuts[-1][1]:
            cuts.append((s, e))
    if not cuts:
        return []
    pieces: list[list[int]] = []  # [start, end, is_quote]
    at = a.draft_start
    for s, e in cuts:
        if s > at:
            pieces.append([at, s, 0])
        pieces.append([s, e, 1])
        at = e
    if at < a.draft_end:
        pieces.append([at, a.draft_end, 0])
    merged: list[list[int]] = []
    for p in pieces:
        if merged and merged[-1][2] != p[2]:  # a quote and the text beside it
            outside = merged[-1] if p[2] else p
            if outside[1] - outside[0] < min_words:
                merged[-1] = [merged[-1][0], p[1], 1]
                continue
        merged.append(p)
    return [(s, e) for s, e, _ in merged]


def _source_positions(draft_words: list[str], source_words: list[str]) -> list[int]:
    """Per draft word of a passage, the source word it stands for (a word the draft
    inserted: the next source word), from the passage's word-level alignment."""
    at = [0] * len(draft_words)
    last = max(0, len(source_words) - 1)
    for op in Indel.opcodes(draft_words, source_words):
        for i in range(op.src_start, op.src_end):
            step = i - op.src_start if op.tag == "equal" else 0
            at[i] = min(last, op.dest_start + step)
    return at


def own_attribution(text: str, dtok: Tokens, stok: Tokens, found: tuple[Alignment, ...],
                    quotes: tuple[Quote, ...], spans: list[Span],
                    names: list[str]) -> list[bool]:
    """Per quote: attributed by the draft's own words (for a quote no passage in
    ``spans`` stands in, only by a reporting cue: nothing reads it).

    A quote copied together with the source's framing is the source's reporting, not the
    draft quoting: the source's words next to the quote, copied along with it
    (:func:`copied_framing`), do not attribute it, and only the draft's words of its own
    sentence may (a bare "he said" of up to two words is not framing; the next sentence,
    often another quote's "he added", no longer counts). A quote cut out of a longer
    passage (:func:`split_at_quotes`) with the source's words next to it stands inside
    copied reporting: nothing attributes it.

    Args:
        found: per passage in ``spans``, the alignment it was cut from (whole passages,
            so the words next to a quote are seen even when the quote was cut out).
    """
    # Only the quotes that hold a passage are read (Facts.attributed); the others keep
    # their cue-only value, so a draft of thousands of quotes is not searched for the
    # source's names thousands of times per source.
    held = {sp.quote for sp in spans if sp.quote >= 0}
    out = [q.attributed or (i in held and is_attribution(q.context, names))
           for i, q in enumerate(quotes)]
    framing: dict[int, list[tuple[int, int]]] = {}  # quote -> its copied framing
    for a, sp in zip(found, spans, strict=True):
        if sp.quote >= 0 and (copied := copied_framing(dtok, stok, a, quotes[sp.quote])):
            framing.setdefault(sp.quote, []).extend(copied)
    if not framing:
        return out
    inside = {sp.quote for sp in spans if sp.cut and sp.quote in framing}
    for qi in inside:
        out[qi] = False
    framing = {qi: copied for qi, copied in framing.items() if qi not in inside}
    masked = list(text)
    for copied in framing.values():
        for s, e in copied:
            masked[s:e] = [" " if c.isalnum() else c for c in text[s:e]]
    blank = "".join(masked)
    for qi in framing:
        q = quotes[qi]
        out[qi] = is_attribution(context_of(blank, q.start, q.end, q.kind, after=1), names)
    return out


def draft_coverage(dtok: Tokens, found: tuple[Alignment, ...]) -> float:
    """Share of the draft's words inside passages (overlapping passages counted once)."""
    covered = np.zeros(len(dtok), dtype=bool)
    for a in found:
        covered[a.draft_start : a.draft_end] = True
    return float(covered.mean()) if len(dtok) else 0.0


def permissive_cover(f: Finding, credit: str) -> Cover | None:
    """The finding as a permissive copy of its text, when the draft uses it as allowed."""
    if f.reason not in PERMISSIVE or f.verdict is Verdict.FAIL:
        return None
    how = {"licensed-partner": f"may use it ({f.source.publisher} is a licensed partner)",
           "public-domain": "may reuse it freely (public domain)"}.get(
        f.reason, f"credits it ({credit})" if credit else "credits it")
    return Cover(label=source_label_of(f.source), license=f.source.license,
                 verdict=f.verdict.value, reason=f.reason, how=how,
                 spans=tuple((p.draft_start, p.draft_end) for p in f.passages))


def source_label_of(ref: SourceRef) -> str:
    """How messages name a source, from its :class:`SourceRef`."""
    if ref.title and ref.publisher:
        return f'"{ref.title}" ({ref.publisher})'
    return f'"{ref.title}"' if ref.title else ref.publisher or ref.path


def grouped(findings: list[Finding], added: dict[str, str],
            pairs: frozenset[tuple[str, str]]) -> list[Finding]:
    """Copies of one story judged alike are one finding: the best match (most words,
    then the most similar, then the earliest added: ``added`` by source id) names the
    others as ``copies``. ``pairs`` are the copies (both orders)."""
    if not pairs:
        return findings
    parent = {f.source.id: f.source.id for f in findings}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    alike = {f.source.id: (f.verdict, f.reason, f.source.license) for f in findings}
    for a, b in pairs:
        if a in parent and b in parent and alike[a] == alike[b]:
            parent[root(a)] = root(b)
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(root(f.source.id), []).append(f)
    out = []
    for members in groups.values():
        members.sort(key=lambda f: (-f.reproduced_words, -f.similarity,
                                    added.get(f.source.id, ""), f.source.path))
        best = members[0]
        out.append(best if len(members) == 1 else
                   replace(best, copies=tuple(f.source for f in members[1:])))
    return out
