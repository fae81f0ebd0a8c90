"""Reference MinHash pipelines, timed on the same articles as checker.

* ``datasketch``: the plain pipeline a newcomer writes: lower-cased
  whitespace words, ``MinHash(num_perm=128)`` with one ``update()`` per
  5-word shingle, ``MinHashLSH(threshold=0.5).insert`` per article.
* ``rensa``: the fastest MinHash on PyPI (Rust): one document-level
  ``RMinHash(num_perm=128)`` per article updated with its lower-cased words
  (tokenising in Python included), inserted into ``RMinHashLSH``.

Both report words per second (whitespace words, as ``datasets.word_count``)
on one core. They do less than checker (no rights, no passages, no stored
text), so the ratio flatters them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    name: str
    documents: int
    words: int
    seconds: float

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def datasketch_pipeline(texts: Sequence[str], shingle: int = 5) -> Timing:
    from datasketch import MinHash, MinHashLSH

    words = 0
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, text in enumerate(texts):
        tokens = text.lower().split()
        words += len(tokens)
        m = MinHash(num_perm=128)
        for j in range(max(1, len(tokens) - shingle + 1)):
            m.update(" ".join(tokens[j : j + shingle]).encode("utf-8"))
        lsh.insert(str(i), m)
    return Timing("datasketch", len(texts), words, time.perf_counter() - started)


def rensa_pipeline(texts: Sequence[str]) -> Timing | None:
    try:
        from rensa import RMinHash, RMinHashLSH
    except ImportError:  # not installed: the table says so
        return None
    words = 0
    started = time.perf_counter()
    lsh = RMinHashLSH(threshold=0.5, num_perm=128, num_bands=16)
    for i, text in enumerate(texts):
        tokens = text.lower().split()
        words += len(tokens)
        m = RMinHash(num_perm=128, seed=42)
        m.update(tokens)
        lsh.insert(i, m)
    return Timing("rensa", len(texts), words, time.perf_counter() - started)
