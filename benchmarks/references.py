"""Reference MinHash pipelines, timed on the same articles as checker.

Both peers do the same work on the same strings, as the issue defines them: the
document's lower-cased ``\\w+`` words, its 5-word shingles as strings (words joined by a
space; a text shorter than 5 words is one shingle), one 128-permutation signature per
document over those shingles, inserted into the peer's LSH index:

* ``datasketch``: the plain pipeline a newcomer writes: ``MinHash(num_perm=128)``
  with one ``update()`` per shingle (UTF-8 bytes), ``MinHashLSH(threshold=0.5).insert``.
* ``rensa``: the fastest MinHash on PyPI (Rust): ``RMinHash(num_perm=128).update`` with
  the list of the document's shingle strings, ``RMinHashLSH.insert``.

Tokenising and shingling (Python) are timed for both. Words per second count the
``\\w+`` words. On one core; they do less than checker (no rights, no passages, no
offsets, no stored text), so the ratio flatters them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

SHINGLE = 5
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Timing:
    name: str
    documents: int
    words: int
    seconds: float
    cpu_seconds: float = 0.0  # this process's CPU time: what the load of others does not inflate

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def words_per_cpu_second(self) -> float:
        return self.words / self.cpu_seconds if self.cpu_seconds else 0.0


def shingles(text: str, k: int = SHINGLE) -> tuple[list[str], int]:
    """The ``k``-word shingle strings of ``text`` (lower-cased ``\\w+`` words) and
    its word count: what both peers hash."""
    words = _WORD_RE.findall(text.lower())
    return [" ".join(words[j : j + k]) for j in range(max(1, len(words) - k + 1))], len(words)


def datasketch_pipeline(texts: Sequence[str], shingle: int = SHINGLE) -> Timing:
    from datasketch import MinHash, MinHashLSH

    words = 0
    started, cpu = time.perf_counter(), time.process_time()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, text in enumerate(texts):
        strings, n = shingles(text, shingle)
        words += n
        m = MinHash(num_perm=128)
        for s in strings:
            m.update(s.encode("utf-8"))
        lsh.insert(str(i), m)
    return Timing("datasketch", len(texts), words, time.perf_counter() - started,
                  time.process_time() - cpu)


def rensa_pipeline(texts: Sequence[str], shingle: int = SHINGLE) -> Timing | None:
    try:
        from rensa import RMinHash, RMinHashLSH
    except ImportError:  # not installed: the table says so
        return None
    words = 0
    started, cpu = time.perf_counter(), time.process_time()
    lsh = RMinHashLSH(threshold=0.5, num_perm=128, num_bands=16)
    for i, text in enumerate(texts):
        strings, n = shingles(text, shingle)
        words += n
        m = RMinHash(num_perm=128, seed=42)
        m.update(strings)
        lsh.insert(i, m)
    return Timing("rensa", len(texts), words, time.perf_counter() - started,
                  time.process_time() - cpu)
