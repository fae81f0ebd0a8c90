"""Synthetic archives made of sampled sentences, and the commit a benchmark measured."""

from __future__ import annotations

import random
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence

from benchmarks.corpora import PROJECT_ROOT, Article
from benchmarks.draft_formats import notice
from benchmarks.textsplit import sentences, word_count

# --------------------------------------------------------------------------------------
# Synthetic corpora
# --------------------------------------------------------------------------------------

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def sentence_pool(
    articles: Iterable[Article], min_words: int = 6, max_words: int = 60
) -> list[str]:
    """Collect the distinct sentences of ``min_words``..``max_words`` words, in order."""
    pool: dict[str, None] = {}
    for article in articles:
        for sentence in sentences(article.text):
            if min_words <= word_count(sentence) <= max_words:
                pool.setdefault(sentence, None)
    return list(pool)


def compose_article(rng: random.Random, pool: Sequence[str], counts: Sequence[int],
                    target: int, max_words: int,
                    word: Callable[[str], str] | None = None) -> tuple[list[str], str]:
    """Paragraphs of 1-4 sentences drawn from ``pool`` until ``target`` words (never
    past ``max_words``), each passed through ``word`` if given (it may draw from
    ``rng``), and a headline from the opening words of another sentence.

    ``counts`` are the sentences' word counts. Every draw from ``rng`` happens in a
    fixed order, so a corpus made with it is deterministic for its seed.
    """
    paras: list[str] = []
    current: list[str] = []
    per_paragraph = rng.randint(1, 4)
    total = 0
    while total < target:
        pick = rng.randrange(len(pool))
        if total + counts[pick] > max_words:
            break  # (retrying could loop forever: no sentence may be that short)
        current.append(word(pool[pick]) if word is not None else pool[pick])
        total += counts[pick]
        if len(current) >= per_paragraph:
            paras.append(" ".join(current))
            current, per_paragraph = [], rng.randint(1, 4)
    if current:
        paras.append(" ".join(current))
    head = rng.choice(pool).split()[: rng.randint(4, 8)]
    title = " ".join(w.strip(".,;:!?\"'()") for w in head).upper()
    return paras, title


def synthetic_corpus(
    n: int,
    seed: int,
    sentences: list[str],
    *,
    holder: str = "Reuters Ltd",
    year: int = 1987,
) -> Iterator[Article]:
    """Yield ``n`` synthetic articles made of sentences sampled from ``sentences``.

    Each article body has a length drawn uniformly from 300-1,200 words (never more than
    1,200), paragraphs of 1-4 sentences, a headline made from the opening words of a
    sampled sentence, and ends with :func:`notice` ``(holder, year)`` as its last
    paragraph. Ids are ``synthetic-<seed>-<index>``. The stream is deterministic for a seed
    and its first ``k`` articles do not depend on ``n``. Sentences longer than 100 words
    are ignored.
    """
    pool = [s for s in sentences if 0 < word_count(s) <= 100]
    if not pool:
        raise ValueError("no usable sentences (1-100 words)")
    counts = [word_count(s) for s in pool]
    rng = random.Random(seed)
    rights = notice(holder, year)
    for index in range(n):
        paras, title = compose_article(rng, pool, counts, rng.randint(300, 1200), 1200)
        month = rng.randint(1, 10)
        date = (
            f"{rng.randint(1, 28):02d}-{_MONTHS[month - 1]}-{year} "
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}."
            f"{rng.randint(0, 99):02d}"
        )
        yield Article(
            id=f"synthetic-{seed}-{index}",
            title=title,
            text="\n\n".join([*paras, rights]),
            date=date,
            topics=(),
        )


def commit() -> str:
    """The checkout's short commit, ``+uncommitted`` when tracked files changed
    (``unknown`` outside a git checkout): the code a benchmark measured."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=PROJECT_ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return sha + ("+uncommitted" if dirty else "")
