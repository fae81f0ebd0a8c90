"""Recall and false alarms of the core on Reuters-21578 (needs ../shared; skips without it).

About 15,000 articles (NEWID not divisible by 5) are indexed once, through the Python API;
the other ~3,800 are never indexed and serve as hosts and as clean drafts. Each kind of draft
is ~100 drafts made with the generators of ``benchmarks.datasets`` and a fixed seed.

Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import difflib
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks import datasets as ds
from checker import Index, Policy, Verdict
from checker.documents import Metadata, TextDocument
from checker.report import FileReport

pytestmark = [pytest.mark.shared, pytest.mark.skipif(
    not ds.reuters_available(), reason="Reuters-21578 is not in ../shared")]

PER_KIND = 100
MIN_RECALL = 0.98


@dataclass
class Corpus:
    indexed: list[ds.Article]
    unindexed: list[ds.Article]
    group: dict[str, str]
    index_path: Path
    index_seconds: float


def newid(article: ds.Article) -> int:
    return int(article.id.rsplit("-", 1)[1])


@pytest.fixture(scope="session")
def reuters(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    articles = [a for a in ds.load_reuters() if a.text.strip()]
    indexed = [a for a in articles if newid(a) % 5 != 0]
    unindexed = [a for a in articles if newid(a) % 5 == 0]
    path = tmp_path_factory.mktemp("reuters") / "index"
    started = time.perf_counter()
    with Index.open(path, create=True) as index:
        summary = index.add_documents(
            (TextDocument(key=a.id, path=a.id, text=a.text, content_hash=a.id,
                          meta=Metadata(title=a.title)) for a in indexed),
            Metadata(publisher="Reuters", license="all-rights-reserved"),
        )
    seconds = time.perf_counter() - started
    assert summary.added == len(indexed)
    print(f"\nReuters: indexed {len(indexed)} articles in {seconds:.1f} s "
          f"({len(unindexed)} held out)")
    yield Corpus(indexed, unindexed, ds.duplicate_groups(articles), path, seconds)


def drafts_of(kind: str, corpus: Corpus, make: Callable[[ds.Article, random.Random], ds.Draft],
              seed: int) -> list[ds.Draft]:
    rng = random.Random(seed)
    pool = list(corpus.indexed)
    rng.shuffle(pool)
    out: list[ds.Draft] = []
    for a in pool:
        if len(a.text.split()) < 80:  # too short to edit or paste from meaningfully
            continue
        try:
            out.append(make(a, rng))
        except ValueError:
            continue
        if len(out) == PER_KIND:
            return out
    raise AssertionError(f"not enough articles for {kind}")


def scan_all(corpus: Corpus, texts: list[str]) -> tuple[list[FileReport], float]:
    started = time.perf_counter()
    with Index.open(corpus.index_path) as index:
        reports = [index.scan_text(t, name=f"draft-{i}", policy=Policy())
                   for i, t in enumerate(texts)]
    return reports, time.perf_counter() - started


def recall(corpus: Corpus, kind: str, drafts: list[ds.Draft]) -> float:
    reports, seconds = scan_all(corpus, [d.text for d in drafts])
    hits = 0
    misses = []
    for d, r in zip(drafts, reports, strict=True):
        want = {corpus.group[s] for s in d.sources}
        failing = {corpus.group.get(f.source.path, f.source.path) for f in r.findings
                   if f.verdict is Verdict.FAIL}
        if want & failing:
            hits += 1
        else:
            best = max((f.reproduced_words for f in r.findings), default=0)
            misses.append(f"{d.sources[0]} (best finding {best} words)")
    value = hits / len(drafts)
    print(f"Reuters {kind}: recall {hits}/{len(drafts)} = {value:.3f}; "
          f"scan {seconds:.1f} s ({1000 * seconds / len(drafts):.0f} ms/draft)"
          + (f"; missed: {', '.join(misses)}" if misses else ""))
    return value


def test_pasted_paragraph(reuters: Corpus) -> None:
    hosts = random.Random(11).sample(
        [a for a in reuters.unindexed if len(a.text.split()) >= 100], PER_KIND * 2)

    def make(a: ds.Article, rng: random.Random) -> ds.Draft:
        return ds.pasted_paragraph(a, hosts[rng.randrange(len(hosts))], rng,
                                   min_words=55, max_words=65)

    assert recall(reuters, "pasted 60-word paragraph",
                  drafts_of("pasted", reuters, make, 1)) >= MIN_RECALL


def test_verbatim(reuters: Corpus) -> None:
    assert recall(reuters, "whole copy", drafts_of("verbatim", reuters, ds.verbatim, 2)) \
        >= MIN_RECALL


def test_light_edit(reuters: Corpus) -> None:
    def make(a: ds.Article, rng: random.Random) -> ds.Draft:
        return ds.light_edit(a, rng, rate=0.15)

    assert recall(reuters, "light edit (15% of words)", drafts_of("light", reuters, make, 3)) \
        >= MIN_RECALL


_WORD = re.compile(r"\w+")


def shared_words(a: str, b: str) -> tuple[int, int]:
    """Longest common run, and total of common runs of >= 4 words, of two texts' lower-cased
    words (difflib: independent of the checker's own matcher)."""
    wa, wb = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    blocks = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks()
    runs = [blk.size for blk in blocks if blk.size >= 4]
    return max(runs, default=0), sum(runs)


def edited_sentences(a: str, b: str) -> int:
    """Words of the sentences of ``a`` that closely match a sentence of ``b`` (difflib
    ratio >= 0.7 on lower-cased words): text reused with light edits."""
    theirs = [_WORD.findall(x.lower()) for x in ds.sentences(b)]
    total = 0
    for sentence in ds.sentences(a):
        mine = _WORD.findall(sentence.lower())
        if len(mine) >= 8 and any(
                difflib.SequenceMatcher(None, mine, other, autojunk=False).ratio() >= 0.7
                for other in theirs):
            total += len(mine)
    return total


def test_unindexed_articles_are_not_failed(reuters: Corpus) -> None:
    """A held-out article may fail only when it really shares text with an indexed one.

    Reuters reuses its own copy: exact duplicates (``duplicate_groups``), near-duplicates
    (the finding covers >= half of the source) and follow-up stories that repeat its text
    verbatim or sentences of it with light edits (checked independently with difflib).
    Anything else is a false alarm.
    """
    texts = {a.id: a.text for a in reuters.indexed}
    clean = random.Random(4).sample(reuters.unindexed, PER_KIND)
    reports, seconds = scan_all(reuters, [a.text for a in clean])
    kinds: dict[str, list[str]] = {"duplicate": [], "near-duplicate": [], "shared text": [],
                                   "unexplained": []}
    for a, r in zip(clean, reports, strict=True):
        fails = [f for f in r.findings if f.verdict is Verdict.FAIL]
        if not fails:
            continue
        if any(reuters.group[a.id] == reuters.group.get(f.source.path) for f in fails):
            kinds["duplicate"].append(a.id)
        elif any(f.source_coverage >= 0.5 for f in fails):
            kinds["near-duplicate"].append(a.id)
        else:
            shared = [shared_words(a.text, texts[f.source.path]) for f in fails]
            if any(longest >= 20 or total >= 30 for longest, total in shared) or any(
                    edited_sentences(a.text, texts[f.source.path]) >= 25 for f in fails):
                kinds["shared text"].append(a.id)
            else:
                kinds["unexplained"].append(
                    f"{a.id}: " + ", ".join(f"{f.source.path} ({f.reproduced_words} words, "
                                            f"similarity {f.similarity})" for f in fails[:3]))
    failed = sum(1 for r in reports if r.verdict is Verdict.FAIL)
    print(f"Reuters unindexed: {failed}/{len(clean)} failed: "
          + "; ".join(f"{k} {len(v)}" for k, v in kinds.items())
          + f" {kinds['unexplained']}; scan {seconds:.1f} s; "
          f"index built in {reuters.index_seconds:.1f} s")
    # Known: two stories on the same rubber-pact talks, the second paraphrasing the first
    # (passages of similarity 0.42-0.68), fail; see the core tests report.
    assert len(kinds["unexplained"]) <= 2, kinds["unexplained"]
