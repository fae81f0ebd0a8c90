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
        for a, b in zip(words, words[1:], strict=False):
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


def articles(n: int, seed: int, pool: list[str]) -> Iterator[dict[str, str]]:
    """``n`` synthetic articles as JSON-ready dicts."""
    counts = [ds.word_count(s) for s in pool]
    follow = successors(pool)
    rng = random.Random(seed)
    rights = ds.notice("Reuters Ltd", 1987)
    for index in range(n):
        target = int(rng.triangular(MIN_WORDS, MAX_WORDS, MODE_WORDS))
        paras: list[str] = []
        current: list[str] = []
        per = rng.randint(1, 4)
        total = 0
        while total < target:
            pick = rng.randrange(len(pool))
            if total + counts[pick] > MAX_WORDS:
                continue
            current.append(reword(pool[pick], rng, follow))
            total += counts[pick]
            if len(current) >= per:
                paras.append(" ".join(current))
                current, per = [], rng.randint(1, 4)
        if current:
            paras.append(" ".join(current))
        head = rng.choice(pool).split()[: rng.randint(4, 8)]
        title = " ".join(w.strip(".,;:!?\"'()") for w in head).upper()
        yield {"id": f"s{seed}-{index:07d}", "title": title,
               "date": f"1987-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               "text": "\n\n".join([*paras, rights])}


def make(n: int, out: Path, seed: int = 11) -> list[Path]:
    """Write the corpus as JSONL shards under ``out``; existing complete shards are kept."""
    out.mkdir(parents=True, exist_ok=True)
    pool = [s for s in ds.sentence_pool(ds.load_reuters()) if ds.word_count(s) <= 100]
    paths: list[Path] = []
    shard: list[str] = []
    for i, art in enumerate(articles(n, seed, pool)):
        shard.append(json.dumps(art, ensure_ascii=False))
        if len(shard) == SHARD or i == n - 1:
            path = out / f"articles-{i // SHARD:05d}.jsonl"
            tmp = path.with_suffix(".tmp")
            tmp.write_text("\n".join(shard) + "\n", encoding="utf-8")
            tmp.replace(path)
            paths.append(path)
            shard = []
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="output directory")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if not ds.reuters_available():
        print("make_corpus: Reuters-21578 not found under ../shared; nothing made",
              file=sys.stderr)
        return 2
    paths = make(args.n, args.out, args.seed)
    print(f"{args.n} articles in {len(paths)} shards under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
