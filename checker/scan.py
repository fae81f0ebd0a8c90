"""Scan drafts against an index: candidates from LSH, then alignment.

For each draft: its words are sketched in overlapping windows, every window's
band keys are looked up, sources sharing keys become candidates (buckets shared by
many documents are boilerplate and ignored: :mod:`checker.candidates`), and each
candidate is aligned word by word (:mod:`checker.matching`) to find what was reproduced.
Passages that are learned boilerplate are dropped; the rest are judged by
the source's rights (:mod:`checker.rights`): quotation, public speech,
credit, licence and licensed partners.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from . import boilerplate, diacritics, storygroups
from .attribution import credit_names, find_credit, mentions
from .candidates import lookup
from .documents import TextDocument
from .facts import draft_coverage as measured_draft_coverage
from .facts import grouped, own_attribution, permissive_cover, rejoined, split_at_quotes
from .fastsketch import text_word_hashes
from .locate import Locator, locator
from .matching import Alignment, AlignParams, align, alignable
from .notices import asserts_rights, notice_lines
from .policy import Policy
from .quotes import Quote, find_quotes
from .report import FileReport, Finding, Passage, SourceRef, Verdict, excerpts
from .rights import Span, holding_quote
from .sketch import word_hashes
from .store import DocumentRecord, Store
from .storysketch import story_shingles
from .text import Tokens, tokenize
from .verdict import PERMISSIVE, Cover, Facts, decide


def _source_ref(rec: DocumentRecord) -> SourceRef:
    return SourceRef(id=rec.id, path=rec.key, title=rec.title, publisher=rec.publisher,
                     license=rec.license, notice=rec.notice, url=rec.url)


@dataclass(frozen=True)
class Match:
    """The passages of one source found in a draft, before judging."""

    rec: DocumentRecord
    text: str
    tokens: Tokens
    found: tuple[Alignment, ...]
    #: word hashes of ``tokens`` (:func:`checker.sketch.word_hashes`), computed once per scan
    hashes: npt.NDArray[np.uint64]


@dataclass(frozen=True)
class DraftContext:
    """What the rights rules need to know about the draft as a whole."""

    quotes: tuple[Quote, ...]
    notices: tuple[tuple[int, int, str], ...]
    #: per draft character span of a passage: the publishers whose documents match it.
    publishers_at: tuple[tuple[int, int, str], ...]
    #: per draft character span of a passage: the id of the document it matches, and how
    #: similar the passage is to it.
    sources_at: tuple[tuple[int, int, str, float], ...] = ()
    #: pairs of document ids (both orders) that are copies of one story: they share most
    #: of their text, so one matching where the other does is no sign of common wording.
    copies: frozenset[tuple[str, str]] = frozenset()
    #: how the draft credits a source outside given spans (:func:`find_credit`), per
    #: source id and spans: asked once per finding, and again for permissive covers.
    credits: dict[tuple[str, tuple[tuple[int, int], ...]], str] = field(
        default_factory=dict, compare=False, hash=False)


def _credit(draft: TextDocument, rec: DocumentRecord, spans: list[tuple[int, int]],
            ctx: DraftContext) -> str:
    """:func:`find_credit`, remembered for the draft of ``ctx``."""
    key = (rec.id, tuple(spans))
    if key not in ctx.credits:
        ctx.credits[key] = find_credit(draft.text, rec, spans)
    return ctx.credits[key]


def _char_span(dtok: Tokens, a: Alignment) -> tuple[int, int]:
    return int(dtok.starts[a.draft_start]), int(dtok.ends[a.draft_end - 1])


def _publisher_key(rec: DocumentRecord) -> str:
    return " ".join((rec.publisher or rec.holder or rec.key).casefold().split())


def _shared(span: tuple[int, int], rec: DocumentRecord, ctx: DraftContext) -> bool:
    """The draft text of ``span`` also matches a document of another publisher."""
    s, e = span
    mine = _publisher_key(rec)
    for os_, oe, pub in ctx.publishers_at:
        if pub != mine and min(e, oe) - max(s, os_) >= 0.5 * (e - s):
            return True
    return False


# How much closer to one source than to the others a passage must be to be a copy of that
# source rather than the wording its whole series of stories shares.
_COMMON_MARGIN = 0.1


def _common(span: tuple[int, int], similarity: float, rec: DocumentRecord, ctx: DraftContext,
            policy: Policy) -> bool:
    """The draft text of ``span`` matches enough other indexed documents about as
    well as this one to be the common phrasing of a kind of story (a light edit
    of one story of a series is closer to it than to its siblings, and stays a copy)."""
    s, e = span
    others = {doc for os_, oe, doc, sim in ctx.sources_at
              if doc != rec.id and min(e, oe) - max(s, os_) >= 0.5 * (e - s)
              and sim >= similarity - _COMMON_MARGIN and (rec.id, doc) not in ctx.copies}
    return len(others) >= policy.common_sources


def _copies(matches: list[Match]) -> frozenset[tuple[str, str]]:
    """Pairs of sources (both orders) that are copies of one story
    (:func:`checker.storygroups.copies`).

    Only sources whose passages overlap in the draft are compared: the others cannot
    make each other's wording look common, nor be one story's copies in one finding."""
    spans = [[(a.draft_start, a.draft_end) for a in m.found] for m in matches]
    shingles: dict[int, npt.NDArray[np.uint64]] = {}

    def grams(i: int) -> npt.NDArray[np.uint64]:
        if i not in shingles:
            shingles[i] = story_shingles(matches[i].hashes)
        return shingles[i]

    pairs: set[tuple[str, str]] = set()
    for i, j in itertools.combinations(range(len(matches)), 2):
        if not any(min(e1, e2) > max(s1, s2) for s1, e1 in spans[i] for s2, e2 in spans[j]):
            continue
        if storygroups.copies(grams(i), grams(j)):
            ida, idb = matches[i].rec.id, matches[j].rec.id
            pairs |= {(ida, idb), (idb, ida)}
    return frozenset(pairs)


def _evidence(draft: TextDocument, lines: Locator, rec: DocumentRecord,
              ctx: DraftContext) -> tuple[str, ...]:
    """Notices of this source pasted into the draft."""
    own = " ".join(rec.notice.casefold().split())
    out = []
    for s, _, line_text in ctx.notices:
        flat = " ".join(line_text.casefold().split())
        # A credit line names the source too; only a line asserting rights is its notice.
        if not asserts_rights(line_text):
            continue
        if (flat and flat in own) or any(mentions(line_text, n) for n in credit_names(rec)):
            line, _col = lines.line_col(s)
            out.append(f"line {line} pastes the notice of {rec.publisher or rec.holder or rec.key}:"
                       f" {' '.join(line_text.split())}")
    return tuple(out)


def build_finding(draft: TextDocument, dtok: Tokens, lines: Locator, match: Match,
                  ctx: DraftContext, policy: Policy, covers: tuple[Cover, ...] = ()) -> Finding:
    """Measure the facts of one source's passages and decide the finding
    (:func:`checker.verdict.decide`)."""
    rec, stok, whole = match.rec, match.tokens, match.found
    names = credit_names(rec)
    covered = np.zeros(len(stok), dtype=bool)
    for a in whole:
        covered[a.source_start : a.source_end] = True
    source_coverage = float(covered.mean()) if len(stok) else 0.0
    draft_coverage = measured_draft_coverage(dtok, whole)

    def measure(pieces: list[tuple[Alignment, Alignment]]) -> tuple[list[Span], Facts]:
        # Words outside a quote that alone would not be reported do not unquote a passage.
        slack = policy.min_passage_words - 1
        spans = [Span(*_char_span(dtok, a), words=a.words, similarity=a.similarity,
                      quote=holding_quote(ctx.quotes,
                                          dtok.starts[a.draft_start:a.draft_end].tolist(), slack),
                      cut=a != parent)
                 for a, parent in pieces]
        return spans, Facts(
            rec=rec, spans=tuple(spans),
            shared=tuple(_shared((sp.start, sp.end), rec, ctx) for sp in spans),
            common=tuple(_common((sp.start, sp.end), sp.similarity, rec, ctx, policy)
                         for sp in spans),
            quotes=ctx.quotes,
            attributed=tuple(own_attribution(draft.text, dtok, stok,
                                              tuple(passage for _, passage in pieces),
                                              ctx.quotes, spans, names)),
            credit=_credit(draft, rec, [(sp.start, sp.end) for sp in spans], ctx),
            draft_words=len(dtok), source_coverage=source_coverage,
            draft_coverage=draft_coverage, covers=covers)

    pieces = split_at_quotes(whole, dtok, stok, ctx.quotes, policy.min_passage_words)
    spans, facts = measure(pieces)
    d = decide(facts, policy)
    again = rejoined(pieces, [sp.quote >= 0 for sp in spans], d.exempt)
    if again != pieces:
        pieces = again
        spans, facts = measure(pieces)
        d = decide(facts, policy)
    found = tuple(piece for piece, _ in pieces)
    # As decide weighs them: the share of the draft this source's passages cover.
    coverage = min(1.0, sum(sp.words for sp in spans) / len(dtok)) if len(dtok) else 1.0
    passages = []
    for a, sp, why in zip(found, spans, d.exempt, strict=True):
        ss, se = int(stok.starts[a.source_start]), int(stok.ends[a.source_end - 1])
        line, col = lines.line_col(sp.start)
        end_line, end_col = lines.line_col(sp.end - 1)
        passages.append(Passage(
            draft_start=sp.start, draft_end=sp.end, line=line, column=col, end_line=end_line,
            end_column=end_col, source_start=ss, source_end=se, words=a.words,
            similarity=a.similarity, text=draft.text[sp.start:sp.end],
            source_text=match.text[ss:se], exempt=why,
            counted_words=0 if why else policy.counted_words(a.words, a.similarity, coverage),
        ))
    total = sum(a.words for a in found)
    return Finding(
        verdict=Verdict(d.verdict), reason=d.reason, message=d.message, source=_source_ref(rec),
        similarity=round(sum(a.similarity * a.words for a in found) / total, 4),
        draft_coverage=round(draft_coverage, 4), source_coverage=round(source_coverage, 4),
        reproduced_words=total, longest_run_words=max(a.words for a in found),
        passages=tuple(passages), evidence=_evidence(draft, lines, rec, ctx), steps=d.steps,
        source_excerpts=excerpts(match.text, [(p.source_start, p.source_end) for p in passages]),
    )


def _trimmed(a: Alignment, start: int, end: int) -> Alignment:
    """``a`` cut to draft words ``start:end`` (the source side moves alike)."""
    ss = min(a.source_end, a.source_start + (start - a.draft_start))
    se = max(ss, a.source_end - (a.draft_end - end))
    return replace(a, draft_start=start, draft_end=end, source_start=ss, source_end=se,
                   matched_words=min(a.matched_words, end - start))


def _off_draft_boilerplate(found: list[Alignment], draft_mask: npt.NDArray[np.bool_],
                           policy: Policy) -> list[Alignment]:
    """Drop passages that are mostly the draft's boilerplate words (the draft's own
    lookup tells them, free) and trim boilerplate off the ends of the others. What
    is left is checked against the source's windows (:func:`_source_boilerplate`),
    because a draft may carry part of a footer that no draft window covers whole."""
    kept = []
    for a in found:
        if boilerplate.is_boilerplate(draft_mask, a.draft_start, a.draft_end):
            continue
        start, end = boilerplate.trim(draft_mask, a.draft_start, a.draft_end)
        kept.append(a if (start, end) == (a.draft_start, a.draft_end) else _trimmed(a, start, end))
    return [a for a in kept if a.words >= policy.min_passage_words]


def _source_boilerplate(store: Store,
                        sources: list[tuple[npt.NDArray[np.uint64], list[Alignment]]],
                        policy: Policy, stories: boilerplate.Stories | None
                        ) -> list[list[Alignment]]:
    """Per source (its word hashes and passages), the passages that are not mostly text
    standing in many indexed documents, judged by the source's windows that overlap
    them: for all the draft's sources at once (one store call, not one per source)."""
    masks = boilerplate.source_masks(
        store, [(shash, [(a.source_start, a.source_end) for a in kept])
                for shash, kept in sources], policy.boilerplate_documents, stories)
    return [[a for a in kept if not boilerplate.is_boilerplate(mask, a.source_start,
                                                                a.source_end)]
            for (_, kept), mask in zip(sources, masks, strict=True)]


def scan_document(store: Store, draft: TextDocument, policy: Policy,
                  align_params: AlignParams = AlignParams(),
                  stories: boilerplate.Stories | None = None) -> FileReport:
    """Scan one draft against the store and judge every source it reuses.

    An HTML page is scanned whole: its main text, then the other text it shows
    (:func:`checker.html.as_draft`: an aside, a footer, comments).

    ``stories`` tells copies of one story from boilerplate; pass one instance for all
    drafts of a scan so that what it read is read once."""
    if draft.source:
        from .html import as_draft  # trafilatura's import: only for HTML, read already

        draft = as_draft(draft)
    if stories is None:
        stories = boilerplate.Stories(store, policy.boilerplate_documents)
    report = _scan_reading(store, draft, draft.text, policy, align_params, stories)
    if diacritics.noisy(draft.text):
        # Marks on most words: read without them too, the worse reading stands.
        other = _scan_reading(store, draft, diacritics.folded(draft.text), policy,
                              align_params, stories)
        if _worse(other, report):
            report = other
    return report


def _worse(a: FileReport, b: FileReport) -> bool:
    """``a`` says more against the draft than ``b``: a worse verdict, or as bad and more
    words reproduced."""
    def weight(r: FileReport) -> tuple[int, int]:
        return (r.verdict.rank if r.findings else -1,
                sum(f.reproduced_words for f in r.findings))
    return weight(a) > weight(b)


def _scan_reading(store: Store, draft: TextDocument, reading: str, policy: Policy,
                  align_params: AlignParams, stories: boilerplate.Stories) -> FileReport:
    """:func:`scan_document` of the draft's words as ``reading`` gives them (its text,
    or another text of the same length: offsets, lines and excerpts are the draft's)."""
    dtok = tokenize(reading, draft.mask)
    stories.new_draft()
    found_keys = lookup(store, dtok, policy, stories)
    if not found_keys.candidates:
        return FileReport(path=draft.path, words=len(dtok))
    ids = [doc_id for doc_id, _ in found_keys.candidates]
    texts = store.texts(ids)
    recs = [(doc_id, store.get(doc_id)) for doc_id in ids if doc_id in texts]
    live = [(doc_id, rec) for doc_id, rec in recs if rec is not None]  # None: removed since
    dhash = word_hashes(dtok.words)
    # Hash every source at once and tokenise only those that can hold a passage.
    shashes = text_word_hashes([texts[d] for d, _ in live], [rec.mask for _, rec in live])
    aligned: list[tuple[str, DocumentRecord, npt.NDArray[np.uint64], Tokens, list[Alignment]]] = []
    for (doc_id, rec), shash, can in zip(live, shashes, alignable(dhash, shashes, align_params),
                                         strict=True):
        if not can:
            continue
        stok = tokenize(texts[doc_id], rec.mask)
        found = [a for a in align(dhash, shash, dtok.words, stok.words, align_params)
                 if a.words >= policy.min_passage_words]
        found = _off_draft_boilerplate(found, found_keys.boilerplate, policy)
        if found:
            aligned.append((doc_id, rec, shash, stok, found))
    kept = _source_boilerplate(store, [(shash, found) for _, _, shash, _, found in aligned],
                               policy, stories)
    matches = [Match(rec, texts[doc_id], stok, tuple(found), shash)
               for (doc_id, rec, shash, stok, _), found in zip(aligned, kept, strict=True)
               if found]
    if not matches:
        return FileReport(path=draft.path, words=len(dtok))
    ctx = DraftContext(
        quotes=tuple(find_quotes(draft.text)),
        notices=tuple(notice_lines(draft.text)),
        publishers_at=tuple((*_char_span(dtok, a), _publisher_key(m.rec))
                            for m in matches for a in m.found),
        sources_at=tuple((*_char_span(dtok, a), m.rec.id, a.similarity)
                         for m in matches for a in m.found),
        copies=_copies(matches),
    )
    lines = locator(draft.text, draft.source)
    findings = [build_finding(draft, dtok, lines, m, ctx, policy) for m in matches]
    # The same text under two licences: what a permissive copy allows, the draft may do.
    covers = [(i, c) for i, f in enumerate(findings)
              if f.reason in PERMISSIVE  # only these reasons can cover another source
              and (c := permissive_cover(f, _credit(draft, matches[i].rec,
                                                    [(p.draft_start, p.draft_end)
                                                     for p in f.passages], ctx))) is not None]
    if covers:
        for i, f in enumerate(findings):
            others = tuple(c for j, c in covers if j != i)
            if f.verdict is not Verdict.PASS and others and any(
                    c.holds(p.draft_start, p.draft_end) for c in others for p in f.passages):
                findings[i] = build_finding(draft, dtok, lines, matches[i], ctx, policy, others)
    findings = grouped(findings, {m.rec.id: m.rec.added for m in matches}, ctx.copies)
    findings.sort(key=lambda f: (-f.verdict.rank, -f.reproduced_words, f.source.path))
    # The text only where there is something to show beside a source (memory: a scan of
    # many clean drafts keeps none of them).
    return FileReport(path=draft.path, words=len(dtok), findings=tuple(findings),
                      text=draft.text)
