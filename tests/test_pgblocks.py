"""The shared index's packed band entries (checker/store/pgblocks.py) on a real
server: blocks that give back every entry, a key found exactly (even where its
bytes straddle two others), storm keys capped, entries cut out on removal, a
segment per batch, batches written in the background and merged at the end of an
add, entries unchanged by merging."""

from __future__ import annotations

from typing import Any

import numpy as np
import psycopg
import pytest
from conftest import ARTICLES
from test_store_postgres import all_pairs, role_url

from checker.documents import Metadata
from checker.errors import IndexCorruptError, IndexOpenError
from checker.ingest import prepare_batch
from checker.readers import read_path
from checker.sketch import SketchParams
from checker.store import blockrows, pgblocks
from checker.store.base import PreparedDocument
from checker.store.pgadmin import init_db
from checker.store.pgblocks import BLOCK_KEYS, LOOSE_SEGMENTS, MAX_SEGMENTS
from checker.store.postgres import PostgresStore
from checker.store.segcache import SegmentCache


def prepared(params: SketchParams, limit: int = 16) -> list[PreparedDocument]:
    """The fixture articles, sketched with ``params``."""
    docs = [d for f in sorted(ARTICLES.iterdir()) for d in read_path(f, f.name).documents]
    return prepare_batch(docs[:limit], Metadata(), params)


def parts(url: str) -> list[int]:
    with psycopg.connect(url) as c:
        return [s[0] for s in pgblocks.segments(c)]


def fresh(url: str) -> psycopg.Connection[Any]:
    """A connection to a new, empty server index (its own transaction)."""
    PostgresStore(url, create_with=SketchParams()).close()
    return psycopg.connect(url)


def entries(conn: psycopg.Connection[Any]) -> list[tuple[int, int]]:
    return sorted((int(k), int(d)) for k, d in conn.execute("SELECT key, doc FROM checker.bands"))


def test_blocks_give_back_every_entry_exactly(pg_url: str, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    monkeypatch.setattr(blockrows, "COPY_BLOCKS", 7)  # several COPY buffers
    rng = np.random.default_rng(5)
    keys = rng.integers(-2**62, 2**62, 3000)
    storm = keys[7]
    k = np.concatenate([np.repeat(keys, rng.integers(1, 4, len(keys))), np.full(500, storm)])
    d = rng.integers(1, 1000, len(k)).astype(np.int32)
    k, d = pgblocks.sort_entries(k, d)
    fresh_pairs = sorted(set(zip(k.tolist(), d.tolist(), strict=True)))
    k = np.array([a for a, _ in fresh_pairs], dtype=np.int64)
    d = np.array([b for _, b in fresh_pairs], dtype=np.int32)
    with fresh(pg_url) as c:
        pgblocks.write_segment(c, k, d, 1, 1000)
        (blocks,) = c.execute("SELECT count(*) FROM checker.blocks").fetchone() or (0,)
        assert blocks == -(-len(np.unique(k)) // BLOCK_KEYS)
        assert entries(c) == fresh_pairs  # the view unpacks every block
        q = np.unique(np.concatenate([keys[:50], rng.integers(-2**62, 2**62, 50)]))
        owner, docs = pgblocks.lookup(c, q)
        got = sorted(zip(q[owner].tolist(), docs.tolist(), strict=True))
        assert got == [(a, b) for a, b in fresh_pairs if a in set(q.tolist())]
        counts = pgblocks.counts(c, q)
        assert counts.tolist() == [int((k == x).sum()) for x in q]
        owner, docs = pgblocks.lookup(c, np.array([storm]), cap=20)  # a storm key, capped
        assert docs.tolist() == d[k == storm][:20].tolist()


def test_a_key_whose_bytes_straddle_two_keys_is_found_where_it_is(pg_url: str) -> None:
    a, b = 0x0102030405060708, 0x090A0B0C0D0E0F10
    straddle = 0x05060708090A0B0C  # a's last 4 bytes then b's first 4
    k = np.sort(np.array([a, b, straddle], dtype=np.int64))
    with fresh(pg_url) as c:
        pgblocks.write_segment(c, k, np.array([1, 2, 3], dtype=np.int32), 1, 10)
        _, docs = pgblocks.lookup(c, np.array([straddle], dtype=np.int64))
        assert docs.tolist() == [int(np.flatnonzero(k == straddle)[0]) + 1]
        pgblocks.write_segment(c, np.array([a, b], dtype=np.int64),
                               np.array([11, 12], np.int32), 11, 20)
        c.execute("DELETE FROM checker.segments WHERE first = 1")
        assert pgblocks.lookup(c, np.array([straddle], dtype=np.int64))[1].tolist() == []


def test_removing_cuts_entries_out_and_drops_empty_blocks(pg_url: str) -> None:
    keys = np.arange(1, 2 * BLOCK_KEYS + 1, dtype=np.int64) * 1000
    k = np.concatenate([keys, keys[:BLOCK_KEYS]])
    d = np.concatenate([np.full(len(keys), 1), np.full(BLOCK_KEYS, 2)]).astype(np.int32)
    with fresh(pg_url) as c:
        pgblocks.add_segment(c, k, d, 1, 3)
        assert pgblocks.remove(c, [2], keys[:BLOCK_KEYS]) == BLOCK_KEYS
        assert entries(c) == [(int(x), 1) for x in keys]
        assert pgblocks.remove_everywhere(c, [1]) == len(keys)
        assert c.execute("SELECT count(*), (SELECT entries FROM checker.segments)"
                         " FROM checker.blocks").fetchone() == (0, 0)


def test_counts_at_least_a_threshold_read_only_the_keys_their_bounds_allow(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    keys = np.unique(rng.integers(1, 2**40, 6 * BLOCK_KEYS))
    with fresh(pg_url) as c:
        first = 1
        for seg in range(3):  # three segments, kept apart
            owners = rng.integers(1, 40, len(keys))  # documents per key in this segment
            owners[:3] = 400  # past the bound byte's range
            if seg == 2:
                owners[len(keys) // 2:] = 0  # half the keys are not in the last one
            k = np.repeat(keys, owners)
            d = np.concatenate([np.arange(first, first + n) for n in owners]).astype(np.int32)
            pgblocks.add_segment(c, k, d, first, first + 400, limit=3)
            first += 400
        # A block written before the bound byte: its fingerprints alone.
        c.execute("UPDATE checker.blocks SET fp = substring(fp FROM 1 FOR octet_length(fp) - 1)"
                  " WHERE seg = 401 AND last = (SELECT max(last) FROM checker.blocks"
                  " WHERE seg = 401)")
        query = np.unique(np.concatenate([keys, rng.integers(1, 2**40, 50)]))
        exact = pgblocks.counts(c, query)
        assert exact[np.isin(query, keys)].min() >= 2 and exact[~np.isin(query, keys)].max() == 0
        probed: list[int] = []
        real = pgblocks.probe
        monkeypatch.setattr(pgblocks, "probe", lambda conn, k, *a: probed.append(len(k))
                            or real(conn, k, *a))
        for at_least in (1, 2, 30, 60, 100, 1000):
            probed.clear()
            got = pgblocks.counts(c, query, at_least)
            assert got.tolist() == np.where(exact >= at_least, exact, 0).tolist(), at_least
            assert sum(probed) <= len(query)
        # A high threshold reads only the keys of the blocks without a bound below it:
        # the first block of each segment (keys past 255 documents) and the one without.
        assert sum(probed) == 2 * BLOCK_KEYS < len(query)
        # A removal rewrites its blocks with their new bound.
        pgblocks.remove(c, list(range(1, 41)), keys)
        exact = pgblocks.counts(c, query)
        assert pgblocks.counts(c, query, 60).tolist() == np.where(exact >= 60, exact, 0).tolist()


def test_frequent_keys_are_summed_over_segments(pg_url: str) -> None:
    with fresh(pg_url) as c:
        pgblocks.add_segment(c, np.array([5, 5, 7, 9], dtype=np.int64),
                             np.array([1, 2, 1, 2], dtype=np.int32), 1, 3, limit=3)
        pgblocks.add_segment(c, np.array([5, 7, 8], dtype=np.int64),
                             np.array([3, 3, 4], dtype=np.int32), 3, 5, limit=3)
        assert len(pgblocks.segments(c)) == 2
        assert pgblocks.frequent(c, 2).tolist() == [5, 7]
        assert pgblocks.frequent(c, 3).tolist() == [5]


def test_frequent_keys_are_found_a_key_range_at_a_time(pg_url: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pgblocks, "CHUNK_ENTRIES", 200)  # many ranges of a few blocks
    rng = np.random.default_rng(8)
    per_doc = {}
    with fresh(pg_url) as c:
        for first in (1, 41, 81):
            docs = range(first, first + 40)
            keys = [rng.choice(np.arange(1, 3000, dtype=np.int64) * 7, 50, replace=False)
                    for _ in docs]
            per_doc.update(zip(docs, keys, strict=True))
            pgblocks.add_segment(c, np.concatenate(keys),
                                 np.repeat(np.array(docs, dtype=np.int32), 50), first,
                                 first + 40, limit=3)
        assert len(pgblocks.segments(c)) == 3
        held = np.unique(np.concatenate(list(per_doc.values())), return_counts=True)
        for limit in (2, 3, 5):
            assert pgblocks.frequent(c, limit).tolist() == held[0][held[1] >= limit].tolist()


def test_batches_in_background_then_merged_at_the_end(pg_url: str) -> None:
    store = PostgresStore(pg_url, create_with=SketchParams())
    docs = prepared(store.params)
    assert len(docs) > MAX_SEGMENTS + 2
    try:
        for d in docs:  # one batch per document, as the batches of one add
            store.write([d], merge=False)
        store.flush()
        before = all_pairs(pg_url)
        assert len(parts(pg_url)) == min(len(docs), LOOSE_SEGMENTS)
        store.write([], merge=True)  # an add's (empty) last batch merges
    finally:
        store.close()
    assert len(parts(pg_url)) == MAX_SEGMENTS
    assert all_pairs(pg_url) == before  # merging keeps every entry


def test_a_background_write_error_is_raised(pg_url: str) -> None:
    params = SketchParams()
    init_db(pg_url, params, "checker_reader", "checker_writer", "rd-pw-1", "wr-pw-2")
    store = PostgresStore(role_url(pg_url, "checker_reader", "rd-pw-1"))
    try:
        store.write(prepared(params, 2), merge=False)  # returns at once...
        with pytest.raises(IndexOpenError, match="may only read the index"):
            store.flush()  # ...and its error comes with the next call
    finally:
        store.close()
    assert parts(pg_url) == []


def test_the_writer_role_merges_a_superusers_segments(pg_url: str) -> None:
    params = SketchParams()
    docs = prepared(params)
    store = PostgresStore(pg_url, create_with=params)
    try:
        for d in docs[:4]:
            store.write([d], merge=False)
    finally:
        store.close()
    init_db(pg_url, params, "checker_reader", "checker_writer", "rd-pw-1", "wr-pw-2")
    store = PostgresStore(pg_url)  # a superuser's segment after init-db
    try:
        store.write(docs[4:6], merge=False)
    finally:
        store.close()
    writer = PostgresStore(role_url(pg_url, "checker_writer", "wr-pw-2"))
    try:
        writer.write(docs[6:8])
    finally:
        writer.close()
    assert len(parts(pg_url)) == MAX_SEGMENTS
    assert len(all_pairs(pg_url)) == sum(len(set(d.keys.tolist())) for d in docs[:8])


@pytest.mark.parametrize("removal", [False, True])
def test_merges_from_the_writers_copies_keep_every_entry_and_no_removed_one(
        pg_url: str, removal: bool) -> None:
    def batch(first: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        keys = np.arange(1, 3 * BLOCK_KEYS, dtype=np.int64) * 7919
        k = np.concatenate([keys[d % 5::2] for d in range(n)])
        d = np.concatenate([np.full(len(keys[x % 5::2]), first + x) for x in range(n)])
        return k, d.astype(np.int32)

    cache = SegmentCache()
    with fresh(pg_url) as c:
        for first, n in ((1, 2), (3, 2), (5, 4)):
            pgblocks.add_segment(c, *batch(first, n), first, first + n, LOOSE_SEGMENTS, cache)
        written = entries(c)
        gone: set[tuple[int, int]] = set()
        if removal:  # cuts entries out of the first segment: its copy no longer stands
            gone = {(k, d) for k, d in written if d == 1}
            assert pgblocks.remove(c, [1], np.array(sorted({k for k, _ in gone}))) == len(gone)
        # The new segment is the largest, so the end-of-add merge leaves it out and
        # merges the others (read back where the copy is stale) while it is written.
        pgblocks.add_segment(c, *batch(9, 8), 9, 17, 2, cache)
        assert [s[:2] for s in pgblocks.segments(c)] == [(1, 9), (9, 17)]
        assert entries(c) == sorted(set(written) - gone | set(
            zip(*(a.tolist() for a in batch(9, 8)), strict=True)))
        assert cache.get(pgblocks.segments(c)[0]) is not None  # the merged one is held


def test_the_store_turns_the_servers_jit_off(pg_url: str) -> None:
    # A draft's probe is estimated past jit_above_cost; compiling it at every
    # execution cost more than the probe itself.
    store = PostgresStore(pg_url, create_with=SketchParams())
    try:
        assert store._read(lambda c: c.execute("SHOW jit").fetchone()) == ("off",)
    finally:
        store.close()


def test_a_probe_row_whose_keys_and_counts_disagree_is_corrupt() -> None:
    keys = np.array([3, 9], dtype=np.int64)
    good = (1, 1, 9, np.array([3, 4], ">i8").tobytes(), np.array([2, 1], ">i4").tobytes())
    # The key found exactly, its entries after the block's first key's two.
    assert [a.tolist() for a in pgblocks._found(keys, [good])] == [[0], [1], [9], [0], [2]]
    # A fingerprint match by chance (9 is not among the block's keys): no entry.
    chance = (2, 1, 12, np.array([3, 12], ">i8").tobytes(), np.array([2, 1], ">i4").tobytes())
    assert pgblocks._found(keys, [good, chance])[0].tolist() == [0]
    bad = (1, 1, 9, np.array([3, 4], ">i8").tobytes(), np.array([2], ">i4").tobytes())
    with pytest.raises(IndexCorruptError, match="corrupt server index"):
        pgblocks._found(keys, [bad])
