"""Grouping documents into stories by their story sketches
(:mod:`checker.storysketch`): which of a key's documents are copies or versions of
one story.

A document joins the first story, in the order the stories were founded, whose
founding document shares the most sketch hashes with it, when the two are copies
(:func:`copies_by_count`); else it founds a story of its own. The hashes any two
sketches share are counted for a whole batch at once: one 0/1 matrix of the batch's
sketches against their distinct hashes, multiplied by its transpose (no Python per
hash: a scan groups ~150 documents of 128 hashes per draft).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from . import sortedops
from .storysketch import SKETCH_SIZE

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

#: Two documents are copies of one story when this share of the smaller one's distinct
#: 5-word shingles stands in the other (a wire story filed again, or under two ids).
COPY_CONTAINMENT = 0.5


def shared_counts(sketches: Sequence[U64]) -> I64:
    """``n x n``: the hashes sketches ``i`` and ``j`` have in common (each sketch's
    hashes distinct; the diagonal is each sketch's size)."""
    n = len(sketches)
    sizes = [len(s) for s in sketches]
    if not sum(sizes):
        return np.zeros((n, n), dtype=np.int64)
    _, column = sortedops.unique_inverse(np.concatenate(sketches))
    member = np.zeros((n, int(column.max()) + 1), dtype=np.float32)
    member[np.repeat(np.arange(n), sizes), column] = 1.0
    # float32 counts are exact far past SKETCH_SIZE; BLAS does the pairs.
    counts: I64 = np.rint(member @ member.T).astype(np.int64)
    return counts


def copies_by_count(shared: int, n_a: int, n_b: int) -> bool:
    """Documents of ``n_a`` and ``n_b`` distinct shingles whose sketches share ``shared``
    hashes are copies: the estimated shingles in common (from the estimated Jaccard
    similarity of the bottom-k sketches) reach :data:`COPY_CONTAINMENT` of the smaller."""
    jaccard = shared / max(1, min(SKETCH_SIZE, n_a, n_b))
    return jaccard / (1 + jaccard) * (n_a + n_b) >= COPY_CONTAINMENT * min(n_a, n_b)


def copies(a: U64, b: U64) -> bool:
    """Two texts (their :func:`~checker.storysketch.story_shingles`) are copies or
    versions of one story."""
    small = min(len(a), len(b))
    return bool(small) and \
        len(np.intersect1d(a, b, assume_unique=True)) >= COPY_CONTAINMENT * small


def found_stories(founders: list[tuple[U64, int]],
                  batch: Sequence[tuple[U64, int]]) -> list[tuple[U64, int]]:
    """Group ``batch`` (sketches and shingle counts, in order) into the stories whose
    founding documents are ``founders``; the founders after it (``founders`` first, then
    each batch document that founded a story)."""
    if not batch:
        return founders
    everyone = [*founders, *batch]
    shared = shared_counts([s for s, _ in everyone])
    sizes = [n for _, n in everyone]
    stories = list(range(len(founders)))  # rows of `everyone` that founded a story
    for row in range(len(founders), len(everyone)):
        if stories:
            counts = shared[row, stories]
            best = int(np.argmax(counts))  # the first founded among the best
            if counts[best] and copies_by_count(int(counts[best]), sizes[row],
                                                sizes[stories[best]]):
                continue
        stories.append(row)
    return [everyone[r] for r in stories]
