"""The writer's copies of the segments it wrote (checker/store/segcache.py)."""

from __future__ import annotations

import numpy as np

from checker.store.segcache import SegmentCache


def run(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.arange(n, dtype=np.int64), np.ones(n, dtype=np.int64),
            np.arange(n, dtype=np.int32))


def test_a_copy_stands_only_for_the_same_range_and_entries() -> None:
    cache = SegmentCache()
    cache.put((1, 5, 10), *run(10))
    got = cache.get((1, 5, 10))
    assert got is not None and [a.tolist() for a in got] == [a.tolist() for a in run(10)]
    assert got[1].dtype == np.int64
    assert cache.get((1, 5, 9)) is None  # a removal cut an entry out: read it back
    cache.drop([(1, 5, 10)])
    assert cache.get((1, 5, 10)) is None


def test_copies_past_the_budget_are_not_kept() -> None:
    cache = SegmentCache(budget=20 * 16)
    cache.put((1, 2, 10), *run(10))
    cache.put((2, 3, 20), *run(20))  # over the budget: merged from the server
    assert cache.get((1, 2, 10)) is not None and cache.get((2, 3, 20)) is None
    assert cache.size() == 10 * 16
    cache.close()
    assert cache.size() == 0
