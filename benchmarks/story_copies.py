"""Pastes from an archive where many sentences and whole stories stand many times.

The synthetic scale corpus (:func:`benchmarks.datasets.synthetic_corpus`: articles made
of sentences resampled from Reuters-21578, so many sentences stand in many articles) is
indexed, and beside it ``stories`` further articles, each stored under ``publishers``
papers' names (a wire story stored once per member paper). Drafts are unindexed
synthetic articles with 80 consecutive words of one article pasted in:

- ``story``: a paste of each multi-publisher story: it must fail naming a copy of it
  (issue 15: copies of one story are one story, not boilerplate);
- ``article``: a paste of each of ``pastes`` random corpus articles: it must fail naming
  that article.

Usage::

    python -m benchmarks.story_copies                 # 10,000 articles, 200 pastes
    python -m benchmarks.story_copies --articles 2000 --pastes 50 --no-write

Prints a JSON line; without ``--no-write`` the figures go to ``docs/benchmarks.md``
(section ``story_copies``). Only ids and counts are written, never corpus text.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import datasets as ds
from benchmarks.docs_section import write_section
from checker import Index, Policy, Verdict
from checker.documents import Metadata, TextDocument
from checker.report import FileReport

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
PASTE_WORDS = 80


@dataclass(frozen=True)
class Config:
    articles: int = 10_000
    stories: int = 10
    publishers: int = 40
    pastes: int = 200
    seed: int = 15


def _paste(article: ds.Article, rng: random.Random) -> str:
    """80 consecutive words of the article's body (its notice paragraph left out)."""
    body = " ".join(article.text.split("\n\n")[:-1]).split()
    start = rng.randrange(0, max(1, len(body) - PASTE_WORDS))
    return " ".join(body[start:start + PASTE_WORDS])


def _draft(host: ds.Article, piece: str, rng: random.Random) -> str:
    paras = host.text.split("\n\n")[:-1]
    at = rng.randrange(1, max(2, len(paras)))
    return "\n\n".join([*paras[:at], piece, *paras[at:]])


def _names(fr: FileReport) -> set[str]:
    return {p for f in fr.findings if f.verdict is Verdict.FAIL
            for p in (f.source.path, *(c.path for c in f.copies))}


def archive(cfg: Config) -> tuple[list[TextDocument], list[tuple[str, str, str]]]:
    """The documents to index (synthetic articles, and each story stored under
    ``cfg.publishers`` papers' names) and the cases: ``(kind, draft text, the id or
    id prefix the draft must name)``, pasted stories first."""
    reuters = ds.load_reuters()
    pool = ds.sentence_pool(reuters, min_words=1)
    corpus = list(ds.synthetic_corpus(cfg.articles, cfg.seed, pool))
    extra = list(ds.synthetic_corpus(cfg.stories + 2 * (cfg.stories + cfg.pastes),
                                     cfg.seed + 1000, pool))
    stories, hosts = extra[:cfg.stories], extra[cfg.stories:]
    rng = random.Random(cfg.seed)
    docs = [TextDocument(key=a.id, path=a.id, text=a.text, content_hash=a.id,
                         meta=Metadata(title=a.title, publisher="Reuters"))
            for a in corpus]
    for s in stories:
        docs += [TextDocument(key=f"{s.id}/paper-{p:02d}", path=f"{s.id}/paper-{p:02d}",
                              text=s.text, content_hash=f"{s.id}-{p}",
                              meta=Metadata(title=s.title, publisher=f"Member Paper {p}"))
                 for p in range(cfg.publishers)]
    cases: list[tuple[str, str, str]] = []
    for i, s in enumerate(stories):
        cases.append(("story", _draft(hosts[i], _paste(s, rng), rng), f"{s.id}/"))
    for i, a in enumerate(rng.sample(corpus, cfg.pastes)):
        cases.append(("article", _draft(hosts[cfg.stories + i], _paste(a, rng), rng), a.id))
    return docs, cases


def run(cfg: Config, log: Any = print) -> dict[str, Any]:
    docs, cases = archive(cfg)
    results: dict[str, dict[str, Any]] = {k: {"n": 0, "found": 0, "missed": []}
                                          for k in ("story", "article")}
    with tempfile.TemporaryDirectory() as tmp, Index.open(Path(tmp) / "ix", create=True) as ix:
        started = time.perf_counter()
        ix.add_documents(docs)
        log(f"indexed {len(docs)} documents in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        for n, (kind, text, want) in enumerate(cases):
            fr = ix.scan_text(text, f"{kind}-{n}.txt", Policy())
            names = _names(fr)
            hit = any(p == want or (want.endswith("/") and p.startswith(want)) for p in names)
            r = results[kind]
            r["n"] += 1
            r["found"] += hit
            if not hit:
                r["missed"].append({"want": want, "fails": sorted(names)[:5],
                                    "findings": [(f.source.path, f.verdict.value, f.reason)
                                                 for f in fr.findings][:5]})
        scan_ms = 1000 * (time.perf_counter() - started) / len(cases)
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "config": asdict(cfg),
            "results": results, "scan_ms_per_draft": round(scan_ms, 1)}


def render(res: dict[str, Any], commit: str) -> str:
    c, r = res["config"], res["results"]
    return (
        "## Pastes from an archive of repeated sentences and stories\n\n"
        f"Measured {res['date']} at commit `{commit}` with `python -m benchmarks.story_copies`: "
        f"{c['articles']:,} synthetic scale-corpus articles (sentences resampled from "
        f"Reuters-21578, so many sentences stand in many articles), plus {c['stories']} "
        f"stories each indexed under {c['publishers']} publishers' names. Each draft is an "
        f"unindexed article with {PASTE_WORDS} consecutive words of one article pasted in.\n\n"
        "| paste of | must | found |\n|---|---|---|\n"
        f"| a story stored under {c['publishers']} publishers | fail naming a copy of it | "
        f"{r['story']['found']}/{r['story']['n']} |\n"
        f"| a random corpus article | fail naming it | "
        f"{r['article']['found']}/{r['article']['n']} |\n\n"
        f"Scan {res['scan_ms_per_draft']} ms per draft (informative).\n")




def main(argv: list[str] | None = None) -> int:
    from benchmarks.datasets import commit

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=Config.articles)
    parser.add_argument("--pastes", type=int, default=Config.pastes)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not ds.reuters_available():
        print(f"skipped: Reuters-21578 is not in {ds.shared_dir()}")
        return 0
    res = run(Config(articles=args.articles, pastes=args.pastes))
    print(json.dumps(res))
    if not args.no_write:
        write_section("story_copies", render(res, commit()), DOCS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
