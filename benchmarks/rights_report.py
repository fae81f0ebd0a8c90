"""Rights on real data: licences found in Reuters-21578 and the boilerplate learned from it.

Two passes over the 19,043 Reuters-21578 bodies (``benchmarks.datasets.load_reuters``):

1. As published: notice detection (:func:`checker.notices.find_rights`) on each raw body,
   to see which licences the bodies state themselves (they carry no notices, so nearly all
   are ``LicenseRef-Unknown``) and how often prose trips a pattern.
2. As a publisher archive would hold them: each body with the archive's notice appended
   (``datasets.with_notice``: "© 1987 Reuters Ltd. All rights reserved. Do not reproduce
   without permission.") is indexed; the script reports the licences, holders and
   publishers stored, then the boilerplate learned from the index by document frequency
   (LSH buckets shared by at least ``--boilerplate-documents`` documents and the distinct
   sentences they cover). A sample of articles is scanned as drafts to check that the shared
   notice never makes one article match another.

Usage::

    python3 -m benchmarks.rights_report [--limit N] [--boilerplate-documents 20]
                                        [--sample 200] [--no-write]

Results (counts only: no corpus text enters the repository) go to ``docs/benchmarks.md``
between ``<!-- rights:start -->`` and ``<!-- rights:end -->``. Exits 0 with a message when
``../shared`` is absent.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks import datasets as ds
from benchmarks.docs_section import write_section
from checker.boilerplate import LearnedPassage

DOCS = ds.PROJECT_ROOT / "docs" / "benchmarks.md"


def raw_licences(articles: list[ds.Article]) -> tuple[Counter[str], int]:
    """Licence of every raw body, and how many bodies had any notice line at all."""
    from checker.notices import find_rights

    counts: Counter[str] = Counter()
    with_notice = 0
    for a in articles:
        r = find_rights(a.text)
        counts[r.license] += 1
        with_notice += bool(r.spans)
    return counts, with_notice


@dataclass
class Archive:
    """What indexing the archive stored and learned."""

    documents: int
    build_s: float
    licences: Counter[str]
    holders: Counter[str]
    publishers: Counter[str]
    noticed: int
    frequent_keys: int
    learned: list[LearnedPassage]
    learn_s: float
    #: at lower thresholds: (documents, frequent buckets, learned sentences)
    lower: list[tuple[int, int, int]]
    sampled: int
    foreign_findings: int
    foreign_failing: int
    via_notice: int


def archive(articles: list[ds.Article], index_dir: Path, min_docs: int,
            sample: int) -> Archive:
    """Index the bodies with the archive notice; what was stored and learned."""
    from checker import Index, Policy
    from checker.documents import Metadata, TextDocument

    started = time.perf_counter()
    with Index.open(index_dir, create=True) as index:
        index.add_documents(
            TextDocument(key=f"reuters/{a.id}", path=f"reuters/{a.id}", text=ds.with_notice(a),
                         meta=Metadata(title=a.title, date=a.date))
            for a in articles)
        built = time.perf_counter() - started
        docs = index.documents()
        licences = Counter(d.license for d in docs)
        holders = Counter(d.holder for d in docs)
        publishers = Counter(d.publisher for d in docs)
        noticed = sum(1 for d in docs if d.notice)
        frequent = int(index.store.frequent_keys(min_docs).size)
        started = time.perf_counter()
        learned = index.boilerplate(min_docs)
        learn_s = time.perf_counter() - started
        lower = [(t, int(index.store.frequent_keys(t).size), len(index.boilerplate(t)))
                 for t in (10, 5) if t < min_docs]
        # The shared notice must never make two articles match: scan a sample as drafts
        # (with their notice) and check that no passage found on another article holds
        # notice text. Other findings are the corpus's own shared text (repeated stories,
        # formulaic market reports).
        rng = random.Random(3)
        picked = rng.sample(articles, min(sample, len(articles)))
        foreign = via_notice = failing = 0
        policy = Policy(boilerplate_documents=min_docs)
        for a in picked:
            fr = index.scan_text(ds.with_notice(a), f"reuters/{a.id}", policy)
            for f in fr.findings:
                if f.source.path == f"reuters/{a.id}":
                    continue
                foreign += 1
                failing += f.verdict.value == "fail"
                via_notice += any("rights reserved" in p.text.lower() for p in f.passages)
    return Archive(
        documents=len(docs), build_s=built, licences=licences, holders=holders,
        publishers=publishers, noticed=noticed, frequent_keys=frequent, learned=learned,
        learn_s=learn_s, lower=lower, sampled=len(picked), foreign_findings=foreign,
        foreign_failing=failing, via_notice=via_notice,
    )


def _table(counts: Counter[str], total: int) -> list[str]:
    rows = ["| licence | articles | share |", "|---|---:|---:|"]
    for lic, n in counts.most_common():
        rows.append(f"| `{lic}` | {n:,} | {100 * n / max(1, total):.2f}% |")
    return rows


def _when() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def report(raw: Counter[str], raw_noticed: int, arc: Archive, n: int, min_docs: int) -> str:
    docs_per = sorted((p.documents for p in arc.learned), reverse=True)
    holders = ", ".join(f"`{h or '(none)'}` {c:,}" for h, c in arc.holders.most_common(3))
    publishers = ", ".join(f"`{p or '(none)'}` {c:,}" for p, c in arc.publishers.most_common(3))
    lines = [
        f"Reuters-21578: {n:,} bodies (`python3 -m benchmarks.rights_report`, "
        f"boilerplate at {min_docs} documents); measured {_when()} at commit "
        f"{ds.commit()}.",
        "",
        f"As published, {raw_noticed:,} bodies have a line that reads as a notice:",
        "",
        *_table(raw, n),
        "",
        f"As a publisher archive (each body + \"{ds.notice()}\"), indexed in "
        f"{arc.build_s:.0f} s: {arc.noticed:,} of {arc.documents:,} articles have a "
        "notice stored.",
        "",
        *_table(arc.licences, arc.documents),
        "",
        f"Holders: {holders}; publishers: {publishers}.",
        "",
        f"Boilerplate learned: {arc.frequent_keys:,} LSH buckets shared by at least "
        f"{min_docs} documents, covering {len(arc.learned):,} distinct sentences of 5+ words "
        f"(in {docs_per[0] if docs_per else 0:,} to {docs_per[-1] if docs_per else 0:,} "
        f"documents each; learned in {arc.learn_s:.1f} s). The notice itself is masked at "
        "ingest and never indexed."
        + "".join(f" At {t} documents: {k:,} buckets, {n:,} sentences." for t, k, n in arc.lower),
        "",
        f"Self-scan of {arc.sampled} sampled articles (each with its notice): "
        f"{arc.foreign_findings} findings on other articles ({arc.foreign_failing} failing: "
        "the corpus's own repeated stories and formulaic reports), "
        f"{arc.via_notice} of them through the notice.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--boilerplate-documents", type=int, default=20)
    parser.add_argument("--sample", type=int, default=200, help="articles scanned as drafts")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if not ds.reuters_available():
        print(f"skipped: Reuters-21578 not found in {ds.reuters_dir()}")
        return 0
    articles = ds.load_reuters(limit=args.limit)
    raw, raw_noticed = raw_licences(articles)
    with tempfile.TemporaryDirectory() as tmp:
        arc = archive(articles, Path(tmp) / "index", args.boilerplate_documents, args.sample)
    text = report(raw, raw_noticed, arc, len(articles), args.boilerplate_documents)
    sys.stdout.write(text)
    for p in arc.learned[:10]:
        # Printed, never written to the repository: corpus text stays in ../shared.
        print(f"  {p.documents:5d} docs  {p.text[:90]}")
    if not args.no_write and args.limit is None:
        write_section('rights', '## Rights on Reuters-21578\n\n' + text, DOCS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
