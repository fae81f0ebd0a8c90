"""Merging segments a key range at a time (checker/store/pgmerge.py) on a real server:
the merged segment holds every entry in the same blocks as a whole merge would, from
the writer's copies, from the server, or both, and no range merged at once is larger
than the pieces read."""

from __future__ import annotations

from typing import Any

import numpy as np
import psycopg
import pytest
from test_pgblocks import entries, fresh

from checker.store import pgmerge
from checker.store.blockrows import BLOCK_KEYS, I32, I64
from checker.store.pgmerge import LOOSE_SEGMENTS
from checker.store.segcache import SegmentCache


def batch(rng: np.random.Generator, first: int, n: int) -> tuple[I64, I32]:
    """Entries of documents ``[first, first + n)``: keys drawn from a shared pool (so
    segments share keys), a storm key in every document."""
    pool = rng.choice(np.arange(1, 40 * BLOCK_KEYS, dtype=np.int64) * 104729, 400,
                      replace=False)
    k = [np.concatenate((rng.choice(pool, 60, replace=False), [7])) for _ in range(n)]
    d = [np.full(len(x), first + i, dtype=np.int32) for i, x in enumerate(k)]
    return np.concatenate(k), np.concatenate(d)


def block_sizes(conn: psycopg.Connection[Any], seg: int) -> list[int]:
    return [int(n) for (n,) in conn.execute(
        "SELECT length(keys) / 8 FROM checker.blocks WHERE seg = %s ORDER BY last",
        (seg,)).fetchall()]


@pytest.mark.parametrize("held", ["all", "none", "some"])
def test_a_merge_in_key_ranges_keeps_every_entry_in_whole_blocks(
        pg_url: str, monkeypatch: pytest.MonkeyPatch, held: str) -> None:
    monkeypatch.setattr(pgmerge, "CHUNK_ENTRIES", 300)  # many small ranges
    merged: list[int] = []
    whole = pgmerge.merge_arrays

    def counted(runs: Any) -> Any:
        merged.append(sum(len(d) for _, _, d in runs))
        return whole(runs)

    monkeypatch.setattr(pgmerge, "merge_arrays", counted)
    rng = np.random.default_rng(11)
    cache = SegmentCache()
    with fresh(pg_url) as c:
        sizes = [(1, 6), (7, 5), (12, 9), (21, 4)]
        for first, n in sizes:
            pgmerge.add_segment(c, *batch(rng, first, n), first, first + n, LOOSE_SEGMENTS,
                                cache if held == "all" or (held == "some" and first > 7)
                                else None)
        written = entries(c)
        assert pgmerge.merge(c, 1, cache)  # all four in one
        segs = pgmerge.segments(c)
        assert [s[:2] for s in segs] == [(1, 25)]
        assert entries(c) == written
        assert segs[0][2] == len(written)
        sizes_ = block_sizes(c, 1)
        assert all(n == BLOCK_KEYS for n in sizes_[:-1]) and 0 < sizes_[-1] <= BLOCK_KEYS
        assert sum(sizes_) == len({k for k, _ in written})
    assert len(merged) > 5  # merged range by range...
    # ... each about the pieces read (300 keys' worth, the storm key's 24 documents
    # aside), never the whole run
    assert max(merged) < len(written) // 3


def test_the_merged_segment_is_kept_only_when_it_fits(pg_url: str) -> None:
    rng = np.random.default_rng(3)
    small, tight = SegmentCache(), SegmentCache(budget=30_000)
    with fresh(pg_url) as c:
        for first, n in ((1, 8), (9, 8), (17, 8)):
            pgmerge.add_segment(c, *batch(rng, first, n), first, first + n, LOOSE_SEGMENTS,
                                small)
        pgmerge.merge(c, 1, small)
        assert small.get(pgmerge.segments(c)[0]) is not None
        for first, n in ((25, 8), (33, 8)):
            pgmerge.add_segment(c, *batch(rng, first, n), first, first + n, LOOSE_SEGMENTS,
                                tight)
        before = entries(c)
        pgmerge.merge(c, 1, tight)
        assert tight.get(pgmerge.segments(c)[0]) is None  # past the budget: read back later
        assert tight.size() == 0
        assert entries(c) == before
