"""A deterministic synthetic archive of N articles for scale benchmarks.

Articles are made of sentences sampled from Reuters-21578 (``../shared``), in
paragraphs of 1-4 sentences, 300-1,200 words long (triangular, mode 300: a
mean of about 600 words, so a million articles hold about 600M words), with
a headline and a rights notice.

Each copy of a sentence is reworded: a fifth of its words (``REWORD``) are
replaced by a word that follows the previous word somewhere in Reuters. A
million articles drawn from ~110k sentences would otherwise repeat every
sentence verbatim ~300 times, which no real archive does: every passage
would be boilerplate (shared by many documents) and every draft would match
hundreds of articles. Reworded copies share few band keys, as distinct
stories do. The same ``N`` and seed always give the same
files, and the first ``k`` articles do not depend on ``N``. Output: JSONL
shards of 10,000 articles (``id``, ``title``, ``date``, ``text``) that
``checker index add`` reads as they are. Generated on demand under
``benchmarks/out/`` (gitignored), never committed.

Usage::

    python3 -m benchmarks.make_corpus N OUT [--seed 11]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from benchmarks import datasets as ds

SHARD = 10_000
MIN_WORDS, MAX_WORDS, MODE_WORDS = 300, 1200, 300
REWORD = 0.2


def successors(pool: list[str]) -> dict[str, list[str]]:
    """For each word, the words that follow it in the sentences (with repeats)."""
    follow: dict[str, list[str]] = {}
    for s in pool:
        words = s.split()
        for a, b in itertools.pairwise(words):
            follow.setdefault(a, []).append(b)
    return follow


def reword(sentence: str, rng: random.Random, follow: dict[str, list[str]]) -> str:
    words = sentence.split()
    for i in range(1, len(words)):
        if rng.random() < REWORD:
            options = follow.get(words[i - 1])
            if options:
                words[i] = options[rng.randrange(len(options))]
    return " ".join(words)


def articles(start: int, stop: int, seed: int, pool: list[str],
             follow: dict[str, list[str]]) -> Iterator[dict[str, str]]:
    """Articles ``start..stop-1`` of a shard-aligned range, as JSON-ready dicts.

    Each shard of ``SHARD`` articles has its own random stream, so shards can be
    made in parallel and article ``i`` never depends on how many are made.
    """
    counts = [ds.word_count(s) for s in pool]
    rights = ds.notice("Reuters Ltd", 1987)
    rng = random.Random()
    for index in range(start, stop):
        if index == start or index % SHARD == 0:
            rng.seed(seed * 1_000_003 + index // SHARD)
            for _ in range(index % SHARD):  # a range starting mid-shard: replay
                _one(rng, pool, counts, follow, rights, seed, 0)
        yield _one(rng, pool, counts, follow, rights, seed, index)


def _one(rng: random.Random, pool: list[str], counts: list[int],
         follow: dict[str, list[str]], rights: str, seed: int, index: int) -> dict[str, str]:
    paras, title = ds.compose_article(rng, pool, counts,
                                      int(rng.triangular(MIN_WORDS, MAX_WORDS, MODE_WORDS)),
                                      MAX_WORDS, lambda s: reword(s, rng, follow))
    return {"id": f"s{seed}-{index:07d}", "title": title,
            "date": f"1987-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "text": "\n\n".join([*paras, rights])}


def make(n: int, out: Path, seed: int = 11, part: tuple[int, int] = (0, 1)) -> list[Path]:
    """Write the corpus as JSONL shards under ``out`` (with ``part=(i, k)``,
    only shards ``i, i+k, ...``, for parallel runs); complete shards are kept."""
    out.mkdir(parents=True, exist_ok=True)
    pool = [s for s in ds.sentence_pool(ds.load_reuters()) if ds.word_count(s) <= 100]
    follow = successors(pool)
    paths: list[Path] = []
    for k in range(part[0], -(-n // SHARD), part[1]):
        path = out / f"articles-{k:05d}.jsonl"
        start, stop = k * SHARD, min(n, (k + 1) * SHARD)
        lines = [json.dumps(a, ensure_ascii=False) for a in articles(start, stop, seed, pool,
                                                                     follow)]
        if not (path.exists() and path.read_text(encoding="utf-8").count("\n") == len(lines)):
            tmp = path.with_suffix(".tmp")
            tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
            tmp.replace(path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="output directory")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--part", default="0/1", help="I/K: make only shards I, I+K, ...")
    args = parser.parse_args(argv)
    i, k = (int(x) for x in args.part.split("/"))
    if not ds.reuters_available():
        print("make_corpus: Reuters-21578 not found under ../shared; nothing made",
              file=sys.stderr)
        return 2
    paths = make(args.n, args.out, args.seed, (i, k))
    print(f"{args.n} articles in {len(paths)} shards under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
