"""The shared index's band entries, packed: rows of 64 distinct keys, a segment per write batch.

Why not a row per ``(key, document)`` entry (schema 2): the server spent about
1.8 µs of CPU per entry on it (the tuple, its B-tree entry, and merging them
again), one core's worth for the whole of an ingest, so ingest ran at an
eighth of the embedded index's speed; and a row costs ~65 bytes. Here, as in
the embedded index's segment files, a write batch's entries, sorted by key, are
one *segment*, cut into *blocks* of :data:`BLOCK_KEYS` distinct keys. A block
is one row of ``checker.blocks``::

    seg     the segment: the first document number of its range
    last    the block's greatest key (blocks of a segment cover ascending key ranges)
    fp      the low 16 bits of each of its keys (2 bytes each): their fingerprints;
            then one byte, the most documents any of its keys has (255: as many or more)
    keys    its distinct keys, big-endian int64 (8 bytes each)
    counts  how many documents hold each key, big-endian int32
    docs    the documents, key by key, ascending within a key, big-endian int32

so the server handles a row per ~64 entries, and stores ~21 bytes per entry
instead of ~65 (measured at 100k articles: docs/benchmarks.md). A segment is a
table of its own, a partition of ``checker.blocks`` (range of ``seg``), filled by
binary ``COPY ... FREEZE`` in the transaction that creates it
(:mod:`checker.store.pgwrite`): its pages are all-visible at once, so probes read
its index alone without a ``VACUUM``, and a merge drops whole tables (no dead rows
left behind).

A key's entries are never split between blocks: the block of key ``k`` in a
segment is the first with ``last >= k``, found by one probe of the index on
``(seg, last)``, which carries ``fp`` (INCLUDE): a probe reads the index alone
and tells from the fingerprints whether ``k`` may be there; only then is the
block's row read, ``k`` found exactly in its ``keys``, and its entries sliced
from ``docs`` (stored uncompressed, out of line when long, so a storm key's slice
reads only what the cap asks for). Why fingerprints and not the keys in the
index: 2 bytes per key in the index instead of 12 (keys and counts). The byte after
them bounds a key's count from the index alone: a scan asks whether its sources' keys
stand in many documents (boilerplate), and most stand in a few, so their rows are not
read (:func:`counts`).

Segments (``checker.segments``: first and end document number, entries) are
written by :mod:`checker.store.pgwrite` and merged in the client, as the embedded
index merges its segment files, a key range at a time (:mod:`checker.store.pgmerge`):
at the end of an add down to :data:`MAX_SEGMENTS` (a probe per key and segment),
between its batches past :data:`LOOSE_SEGMENTS`. Everything a write does is in its
transaction: a scanner sees a batch's documents with their blocks or neither. A
removed document's entries are cut out of the blocks that hold its keys in the same
transaction. Keys, numbers and bytes travel as parameters or COPY data; a
segment's table is named by its document numbers (never user data) and quoted by
:mod:`psycopg.sql`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg

from ..errors import IndexCorruptError
from .blockrows import BLOCK_KEYS, I32, I64, MAX_BOUND, decode, group, sort_entries
from .pgmerge import (
    CHUNK_ENTRIES,
    LOOSE_SEGMENTS,
    MAX_SEGMENTS,
    Reader,
    add_segment,
    fetched_pieces,
    merge,
    ranges,
)
from .pgwrite import segments, write_segment

__all__ = ["BLOCK_KEYS", "LOOSE_SEGMENTS", "MAX_SEGMENTS", "add_segment", "counts", "frequent",
           "lookup", "merge", "remove", "remove_everywhere", "segments",
           "sort_entries", "write_segment"]

# Blocks rewritten per statement when entries are removed.
REWRITE_BLOCKS = 20_000

# The block that may hold each key in each segment: the first with ``last >= k``,
# read from the index alone (its ``fp``: the low 16 bits of each of its keys), kept
# when its fingerprints hold the key's (the key, or 1 in ~500 by chance).
_MAY_HOLD = (
    " FROM unnest(%s::bigint[]) WITH ORDINALITY AS q(k, i)"
    " CROSS JOIN checker.segments s"
    " CROSS JOIN LATERAL (SELECT x.last, x.fp FROM checker.blocks x"
    " WHERE x.seg = s.first AND x.last >= q.k ORDER BY x.last LIMIT 1) b")
_FINGERPRINT = " WHERE position(substring(int4send((q.k & 65535)::int) FROM 3 FOR 2) IN b.fp) > 0"
# Only such a block is read from the table, and the key is then found exactly in its
# ``keys``.
_PROBE = ("SELECT q.i, s.first, h.last, h.keys, h.counts" + _MAY_HOLD
          + " JOIN checker.blocks h ON h.seg = s.first AND h.last = b.last" + _FINGERPRINT)
_PROBE_SEGMENT = _PROBE.replace("CROSS JOIN checker.segments s",
                                "CROSS JOIN (SELECT %s::int AS first) s")
# Or, from the index alone, the block's bound: the byte after the fingerprints, or
# MAX_BOUND for a block written without one (an even length).
_BOUNDS = (f"SELECT q.i, CASE WHEN octet_length(b.fp) %% 2 = 1"
           f" THEN get_byte(b.fp, octet_length(b.fp) - 1) ELSE {MAX_BOUND} END"
           + _MAY_HOLD + _FINGERPRINT)

_SLICES = (
    "SELECT substring(b.docs FROM r.s FOR r.l) FROM unnest(%s::int[], %s::bigint[],"
    " %s::int[], %s::int[]) WITH ORDINALITY AS r(seg, last, s, l, o)"
    " JOIN checker.blocks b ON b.seg = r.seg AND b.last = r.last ORDER BY r.o")


# -- reading -------------------------------------------------------------------------


def int_array(values: npt.NDArray[np.integer[Any]]) -> str:
    """An integer array parameter as PostgreSQL's text form (``{1,2,3}``, cast by the
    statement): psycopg adapts a list element by element, ~1 µs each, which was a tenth
    of a scan's own CPU on drafts of thousands of keys; numbers only, never user text."""
    return "{" + ",".join(map(str, np.asarray(values).tolist())) + "}"


def probe(conn: psycopg.Connection[Any], keys: I64, seg: int | None = None
          ) -> tuple[I64, I64, I64, I64, I64]:
    """Where each of the sorted distinct ``keys`` stands in each segment (or only
    in ``seg``): for every (key, segment) that holds it, the key's index in
    ``keys``, the block ``(seg, last)``, the entries' offset in the block's
    ``docs`` and their number."""
    with conn.cursor(binary=True) as cur:
        rows = cur.execute(_PROBE if seg is None else _PROBE_SEGMENT,
                           (int_array(keys),) if seg is None else (int_array(keys), seg)
                           ).fetchall()
    return _found(keys, rows)


def _found(keys: I64, rows: list[tuple[Any, ...]]) -> tuple[I64, I64, I64, I64, I64]:
    """:func:`probe`'s answer from its rows ``(key number, seg, last, block keys, block
    counts)``: each key found exactly in its block's keys (a block comes back when
    the key's fingerprint is among the block's, and 1 in ~500 of those by chance),
    all rows at once (a row per key and segment: thousands per draft)."""
    n = len(rows)
    if not n:
        return tuple(np.empty(0, np.int64) for _ in range(5))  # type: ignore[return-value]
    qi, segs, lasts = (np.fromiter((r[c] for r in rows), np.int64, n) for c in range(3))
    qi -= 1
    widths = np.fromiter((len(r[3]) for r in rows), np.int64, n)
    if not np.array_equal(widths // 8 * 4, np.fromiter((len(r[4]) for r in rows), np.int64, n)) \
            or (widths % 8).any():
        raise IndexCorruptError("corrupt server index: a block's keys and counts do not add "
                                "up; create a new database and push the articles again")
    widths //= 8
    block_keys = np.frombuffer(b"".join(r[3] for r in rows), ">i8")
    block_counts = np.frombuffer(b"".join(r[4] for r in rows), ">i4").astype(np.int64)
    starts = np.cumsum(widths) - widths  # each row's first key in the flat arrays
    hit = np.flatnonzero(block_keys == np.repeat(keys[qi], widths))
    row = np.repeat(np.arange(n), widths)[hit]
    row, first = np.unique(row, return_index=True)  # a key stands once in a block
    hit = hit[first]
    before = np.concatenate(([0], np.cumsum(block_counts)))  # entries before each key
    count = block_counts[hit]
    keep = count > 0
    row, hit, count = row[keep], hit[keep], count[keep]
    return qi[row], segs[row], lasts[row], before[hit] - before[starts[row]], count


def lookup(conn: psycopg.Connection[Any], keys: I64, cap: int | None = None
           ) -> tuple[I64, I32]:
    """Every stored entry of the sorted distinct ``keys``: ``(index into keys,
    document number)``; with ``cap``, a key's first ``cap`` documents per segment.
    Run in one snapshot (the caller's repeatable-read transaction)."""
    qi, seg, last, start, count = probe(conn, keys)
    if cap is not None:
        count = np.minimum(count, cap)
    if not len(qi):
        return qi, np.empty(0, np.int32)
    with conn.cursor(binary=True) as cur:
        rows = cur.execute(_SLICES, (int_array(seg), int_array(last), int_array(start * 4 + 1),
                                     int_array(count * 4))).fetchall()
    if len(rows) != len(qi):
        raise psycopg.DataError("a block went missing between two statements of one snapshot")
    docs = np.frombuffer(b"".join(r[0] for r in rows), ">i4").astype(np.int32)
    return np.repeat(qi, count), docs


def counts(conn: psycopg.Connection[Any], keys: I64, at_least: int | None = None) -> I64:
    """How many documents hold each of the sorted distinct ``keys``; with ``at_least``,
    exact for the keys in at least that many documents, 0 for the others.

    With ``at_least``, the index alone answers first: a key's count is at most the sum
    of the bounds of the blocks that may hold it (:data:`MAX_BOUND`), and only the keys
    whose bounds reach ``at_least`` are probed again and read from their blocks (most
    of a text's keys stand in a few documents: their blocks' rows, scattered over the
    table and rarely cached, were most of the work)."""
    if at_least is not None and len(keys):
        with conn.cursor(binary=True) as cur:
            rows = cur.execute(_BOUNDS, (int_array(keys),)).fetchall()
        qi = np.fromiter((r[0] for r in rows), np.int64, len(rows)) - 1
        bound = np.fromiter((r[1] for r in rows), np.int64, len(rows))
        bound[bound >= MAX_BOUND] = at_least  # no bound, or past it: read the key
        high = np.bincount(qi, weights=bound, minlength=len(keys)) >= at_least
        out = np.zeros(len(keys), dtype=np.int64)
        if high.any():
            out[high] = counts(conn, keys[high])
        out[out < at_least] = 0
        return out
    qi, _, _, _, count = probe(conn, keys)
    return np.bincount(qi, weights=count, minlength=len(keys)).astype(np.int64)


def frequent(conn: psycopg.Connection[Any], min_documents: int) -> I64:
    """Keys held by at least ``min_documents`` documents, sorted. The segments' keys
    and counts are read a key range at a time (:func:`checker.store.pgmerge.ranges`),
    so memory does not grow with the archive; call in one snapshot."""
    segs = segments(conn)
    if not segs:
        return np.empty(0, np.int64)
    # A key of min_documents holds min_documents / segments in some segment: only
    # those are summed over the segments.
    floor = max(1, -(-min_documents // len(segs)))
    share = max(BLOCK_KEYS, CHUNK_ENTRIES // len(segs))
    readers = [Reader(fetched_pieces(conn, s[0], share, docs=False)) for s in segs]
    out = [np.empty(0, np.int64)]
    for parts in ranges(readers):
        wanted = np.unique(np.concatenate([k[c >= floor] for k, c, _ in parts]))
        total = np.zeros(len(wanted), dtype=np.int64)
        for k, c, _ in parts:
            at = np.minimum(np.searchsorted(k, wanted), len(k) - 1)
            total += np.where(k[at] == wanted, c[at], 0)
        out.append(wanted[total >= min_documents])
    return np.concatenate(out)


# -- removing ------------------------------------------------------------------------


def remove(conn: psycopg.Connection[Any], nums: list[int], keys: I64) -> int:
    """Cut the entries of documents ``nums`` out of the blocks that hold ``keys``
    (their keys); the number of entries removed."""
    removed = 0
    dead = np.array(sorted(nums), dtype=np.int32)
    for first, end, _ in segments(conn):
        mine = dead[(dead >= first) & (dead < end)]
        if not len(mine) or not len(keys):
            continue
        _, _, last, _, _ = probe(conn, keys, first)
        removed += _rewrite(conn, first, np.unique(last), mine)
    return removed


def remove_everywhere(conn: psycopg.Connection[Any], nums: list[int]) -> int:
    """Cut the entries of documents ``nums`` out of every block of their segments
    (when their keys are not known); the number of entries removed."""
    removed = 0
    dead = np.array(sorted(nums), dtype=np.int32)
    for first, end, _ in segments(conn):
        mine = dead[(dead >= first) & (dead < end)]
        if len(mine):
            lasts = [r[0] for r in conn.execute(
                "SELECT last FROM checker.blocks WHERE seg = %s", (first,)).fetchall()]
            removed += _rewrite(conn, first, np.array(lasts, dtype=np.int64), mine)
    return removed


def _rewrite(conn: psycopg.Connection[Any], seg: int, lasts: I64, dead: I32) -> int:
    """The blocks ``(seg, lasts)`` without the entries of ``dead`` documents."""
    removed = 0
    for chunk in _chunks(lasts, REWRITE_BLOCKS):
        with conn.cursor(binary=True) as cur:
            rows = cur.execute("SELECT last, keys, counts, docs FROM checker.blocks"
                               " WHERE seg = %s AND last = ANY(%s)",
                               (seg, chunk.tolist())).fetchall()
        for last, kb, cb, db in rows:
            k, d = decode(kb, cb, db)
            keep = ~np.isin(d, dead)
            if keep.all():
                continue
            removed += int((~keep).sum())
            if not keep.any():
                conn.execute("DELETE FROM checker.blocks WHERE seg = %s AND last = %s",
                             (seg, last))
                continue
            dk, dc = group(k[keep])
            conn.execute("UPDATE checker.blocks SET fp = %s, keys = %s, counts = %s, docs = %s"
                         " WHERE seg = %s AND last = %s",
                         ((dk & 0xFFFF).astype(">u2").tobytes()
                          + bytes([min(int(dc.max()), MAX_BOUND)]), dk.astype(">i8").tobytes(),
                          dc.astype(">i4").tobytes(), d[keep].astype(">i4").tobytes(), seg, last))
    conn.execute("UPDATE checker.segments SET entries = entries - %s WHERE first = %s",
                 (removed, seg))
    return removed


def _chunks(values: I64, size: int) -> Iterator[I64]:
    for a in range(0, len(values), size):
        yield values[a:a + size]
