"""The sorted postings find the story the plain dict-of-lists count found, ties included."""

from __future__ import annotations

import random

import numpy as np

from checker.postings import Postings


def reference_best(members: dict[int, list[int]], sketch: list[int]) -> tuple[int, int] | None:
    """The count as :class:`checker.boilerplate.Stories` made it before the postings:
    hits in order of first meeting, the first of the highest (a stable sort)."""
    hits: dict[int, int] = {}
    for x in sketch:
        for st in members.get(x, ()):
            hits[st] = hits.get(st, 0) + 1
    for st, shared in sorted(hits.items(), key=lambda sh: -sh[1]):
        return st, shared
    return None


def test_best_matches_the_dict_count() -> None:
    rng = random.Random(3)
    universe = [rng.getrandbits(64) for _ in range(300)]  # few hashes: many ties
    index = Postings()
    members: dict[int, list[int]] = {}
    stories = 0
    for _ in range(600):
        sketch = sorted(set(rng.sample(universe, rng.randrange(0, 40))))
        arr = np.array(sketch, dtype=np.uint64)
        assert index.best(arr) == reference_best(members, sketch)
        if rng.random() < 0.6:
            index.add(arr, stories)
            for x in sketch:
                members.setdefault(x, []).append(stories)
            stories += 1


def test_empty() -> None:
    index = Postings()
    assert index.best(np.empty(0, dtype=np.uint64)) is None
    assert index.best(np.array([5], dtype=np.uint64)) is None
    index.add(np.empty(0, dtype=np.uint64), 0)
    index.add(np.array([5, 9], dtype=np.uint64), 1)
    assert index.best(np.array([1, 9], dtype=np.uint64)) == (1, 1)
