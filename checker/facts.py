"""The facts of a finding that need more than one passage's alignment: whether the draft
attributes a quote in its own words (or copied the source's framing with it), how much of
the draft the passages cover, which permissive copy of the same text covers a finding, and
copies of one story grouped into one finding. :func:`checker.verdict.decide` decides from
them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz

from .matching import Alignment
from .quotes import Quote, context_of, is_attribution
from .report import Finding, SourceRef, Verdict
from .rights import Span
from .text import Tokens
from .verdict import PERMISSIVE, Cover

#: Words outside a quote, beyond a bare "he said", that make the passage the source's own
#: framing of the quote ("...," the minister said on Tuesday) rather than the draft's ...
_FRAMING_WORDS = 3
#: ... when they are the source's words around the quote (rapidfuzz ratio, 0-100).
_FRAMING_RATIO = 80


def copied_framing(dtok: Tokens, stok: Tokens, a: Alignment, q: Quote
                    ) -> list[tuple[int, int]]:
    """Draft character spans of a passage, outside its quote, that repeat the source's
    words there (the source's framing copied along with the quote)."""
    out: list[tuple[int, int]] = []
    inner = [i for i in range(a.draft_start, a.draft_end) if q.start <= dtok.starts[i] < q.end]
    if not inner:
        return out
    before = list(range(a.draft_start, inner[0]))
    after = list(range(inner[-1] + 1, a.draft_end))
    for part, src in ((before, stok.words[a.source_start:a.source_start + len(before)]),
                      (after, stok.words[max(a.source_start, a.source_end - len(after)):
                                         a.source_end])):
        if len(part) < _FRAMING_WORDS:
            continue
        mine = " ".join(dtok.words[i] for i in part)
        if fuzz.ratio(mine, " ".join(src)) >= _FRAMING_RATIO:
            out.append((int(dtok.starts[part[0]]), int(dtok.ends[part[-1]])))
    return out


def own_attribution(text: str, dtok: Tokens, stok: Tokens, found: tuple[Alignment, ...],
                     quotes: tuple[Quote, ...], spans: list[Span],
                     names: list[str]) -> list[bool]:
    """Per quote: attributed by the draft's own words.

    A quote copied together with the source's framing is the source's reporting, not the
    draft quoting: the source's words around the quote, copied along with it, do not
    attribute it (a bare "he said" of up to two words still does)."""
    out = [q.attributed or is_attribution(q.context, names) for q in quotes]
    framing = [span for a, sp in zip(found, spans, strict=True) if sp.quote >= 0
               for span in copied_framing(dtok, stok, a, quotes[sp.quote])]
    if not framing:
        return out
    masked = list(text)
    for s, e in framing:
        masked[s:e] = [" " if c.isalnum() else c for c in text[s:e]]
    blank = "".join(masked)
    for qi in {sp.quote for sp in spans if sp.quote >= 0}:
        q = quotes[qi]
        out[qi] = is_attribution(context_of(blank, q.start, q.end, q.kind), names)
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
