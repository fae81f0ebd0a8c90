"""Scan drafts against an index: candidates from LSH, then alignment.

For each draft: its words are sketched in overlapping windows, every window's
band keys are looked up, sources sharing keys become candidates (buckets
shared by many documents are boilerplate and ignored), and each candidate is
aligned word by word (:mod:`checker.matching`) to find what was reproduced.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from .documents import TextDocument
from .matching import Alignment, AlignParams, align
from .policy import Policy, judge_size
from .report import FileReport, Finding, Passage, SourceRef, Verdict
from .sketch import text_keys, word_hashes
from .store import DocumentRecord, Store
from .text import LineIndex, Tokens, tokenize


def candidate_scores(store: Store, tokens: Tokens, policy: Policy) -> list[tuple[str, int]]:
    """Sources sharing LSH buckets with the draft, as ``(id, windows hit)``, best first."""
    params = store.params
    if not tokens.words:
        return []
    keys = text_keys(tokens.words, params, params.query_stride)
    docs_by_key: dict[int, list[str]] = defaultdict(list)
    for key, doc_id in store.lookup_pairs(keys.ravel()):
        docs_by_key[key].append(doc_id)
    limit = policy.boilerplate_documents
    boilerplate = {k for k, docs in docs_by_key.items() if len(docs) >= limit}
    scores: Counter[str] = Counter()
    for window in keys.tolist():
        hit: set[str] = set()
        for key in window:
            if key in docs_by_key and key not in boilerplate:
                hit.update(docs_by_key[key])
        scores.update(hit)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[: policy.max_candidates]


def _source_ref(rec: DocumentRecord) -> SourceRef:
    return SourceRef(id=rec.id, path=rec.key, title=rec.title, publisher=rec.publisher,
                     license=rec.license, notice=rec.notice, url=rec.url)


def source_name(rec: DocumentRecord) -> str:
    """How messages name a source: its title and publisher, or its path."""
    if rec.title and rec.publisher:
        return f'"{rec.title}" ({rec.publisher})'
    return f'"{rec.title}"' if rec.title else rec.publisher or rec.key


def build_finding(draft: TextDocument, dtok: Tokens, lines: LineIndex, rec: DocumentRecord,
                  source_text: str, stok: Tokens, found: Sequence[Alignment],
                  policy: Policy) -> Finding:
    """Turn word alignments with one source into a judged :class:`Finding`."""
    passages = []
    for a in found:
        ds, de = int(dtok.starts[a.draft_start]), int(dtok.ends[a.draft_end - 1])
        ss, se = int(stok.starts[a.source_start]), int(stok.ends[a.source_end - 1])
        line, col = lines.line_col(ds)
        end_line, end_col = lines.line_col(de - 1)
        passages.append(Passage(
            draft_start=ds, draft_end=de, line=line, column=col, end_line=end_line,
            end_column=end_col, source_start=ss, source_end=se, words=a.words,
            similarity=a.similarity, text=draft.text[ds:de], source_text=source_text[ss:se],
        ))
    total = sum(a.words for a in found)
    covered = np.zeros(len(stok), dtype=bool)
    for a in found:
        covered[a.source_start : a.source_end] = True
    longest = max(a.words for a in found)
    j = judge_size(total, longest, policy, source_name(rec))
    return Finding(
        verdict=Verdict(j.verdict), reason=j.reason, message=j.message, source=_source_ref(rec),
        similarity=round(sum(a.similarity * a.words for a in found) / total, 4),
        draft_coverage=round(total / max(1, len(dtok)), 4),
        source_coverage=round(float(covered.mean()) if len(stok) else 0.0, 4),
        reproduced_words=total, longest_run_words=longest, passages=tuple(passages),
    )


def scan_document(store: Store, draft: TextDocument, policy: Policy,
                  align_params: AlignParams = AlignParams()) -> FileReport:
    """Scan one draft against the store and judge every source it reuses."""
    dtok = tokenize(draft.text, draft.mask)
    candidates = candidate_scores(store, dtok, policy)
    if not candidates:
        return FileReport(path=draft.path, words=len(dtok))
    ids = [doc_id for doc_id, _ in candidates]
    texts = store.texts(ids)
    dhash = word_hashes(dtok.words)
    lines = LineIndex(draft.text)
    findings = []
    for doc_id in ids:
        rec = store.get(doc_id)
        if rec is None or doc_id not in texts:
            continue  # removed since the lookup: a concurrent writer
        stok = tokenize(texts[doc_id], rec.mask)
        found = [a for a in align(dhash, word_hashes(stok.words), dtok.words, stok.words,
                                  align_params)
                 if a.words >= policy.min_passage_words]
        if found:
            findings.append(build_finding(draft, dtok, lines, rec, texts[doc_id], stok, found,
                                          policy))
    findings.sort(key=lambda f: (-f.verdict.rank, -f.reproduced_words, f.source.path))
    return FileReport(path=draft.path, words=len(dtok), findings=tuple(findings))
