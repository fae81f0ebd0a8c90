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
    fp      the low 16 bits of each of its keys (2 bytes each): their fingerprints
    keys    its distinct keys, big-endian int64 (8 bytes each)
    counts  how many documents hold each key, big-endian int32
    docs    the documents, key by key, ascending within a key, big-endian int32

so the server handles a row per ~64 entries, and stores ~21 bytes per entry
instead of ~65 (measured at 100k articles: docs/benchmarks.md). A segment is a
table of its own, a partition of ``checker.blocks`` (range of ``seg``), created
in the batch's transaction and filled with one binary ``COPY ... FREEZE`` (the
rows built by a compiled kernel, :mod:`checker.store.blockkernels`): its pages
are all-visible at once, so probes read its index alone without a ``VACUUM``,
and a merge drops whole tables (no dead rows left behind).

A key's entries are never split between blocks: the block of key ``k`` in a
segment is the first with ``last >= k``, found by one probe of the index on
``(seg, last)``, which carries ``fp`` (INCLUDE): a probe reads the index alone
and tells from the fingerprints whether ``k`` may be there; only then is the
block's row read, ``k`` found exactly in its ``keys``, and its entries sliced
from ``docs`` (stored uncompressed, out of line when long, so a storm key's slice
reads only what the cap asks for). Why fingerprints and not the keys in the
index: 2 bytes per key in the index instead of 12 (keys and counts).

Segments (``checker.segments``: first and end document number, entries) are
merged in the client with numpy, as the embedded index merges its segment
files: at the end of an add down to :data:`MAX_SEGMENTS` (a probe per key and
segment), between its batches past :data:`LOOSE_SEGMENTS`. The writer merges the
segments it wrote from its own copies of them (:mod:`checker.store.segcache`), and
the end of an add merges the segments before its last batch while that batch is
sent (:func:`add_segment`). Everything a write
does is in its transaction: a scanner sees a batch's documents with their blocks
or neither. A removed document's entries are cut out of the blocks that hold its
keys in the same transaction. Keys, numbers and bytes travel as parameters or
COPY data; a segment's table is named by its document numbers (never user data)
and quoted by :mod:`psycopg.sql`. It is owned by the owner of ``checker.blocks``,
whoever writes it, so the writer role can merge a superuser's segments.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import psycopg
from psycopg import sql

from .blockrows import (
    BLOCK_KEYS,
    I32,
    I64,
    checked_arrays,
    copy_rows,
    decode,
    group,
    merge_arrays,
    sort_entries,
)
from .segcache import SegmentCache

__all__ = ["BLOCK_KEYS", "LOOSE_SEGMENTS", "MAX_SEGMENTS", "add_segment", "counts", "frequent",
           "lookup", "merge", "remove", "remove_everywhere", "segments",
           "sort_entries", "write_segment"]

# At most this many segments (probes per looked-up key) after an add...
MAX_SEGMENTS = 2
# ... and between the batches of an add (each as large as all the add wrote before,
# so an entry is rewritten about once).
LOOSE_SEGMENTS = 16
# Rows per fetch when blocks are read back.
FETCH_BLOCKS = 20_000
# Sort memory for building a segment's index.
SORT_MEMORY = "256MB"

# The block that may hold each key in each segment: the first with ``last >= k``,
# read from the index alone (its ``fp``: the low 16 bits of each of its keys); only
# a block whose fingerprints hold the key's (the key, or 1 in ~500 by chance) is
# read from the table, and the key is then found exactly in its ``keys``.
_PROBE = (
    "SELECT q.i, s.first, h.last, h.keys, h.counts"
    " FROM unnest(%s::bigint[]) WITH ORDINALITY AS q(k, i)"
    " CROSS JOIN checker.segments s"
    " CROSS JOIN LATERAL (SELECT x.last, x.fp FROM checker.blocks x"
    " WHERE x.seg = s.first AND x.last >= q.k ORDER BY x.last LIMIT 1) b"
    " JOIN checker.blocks h ON h.seg = s.first AND h.last = b.last"
    " WHERE position(substring(int4send((q.k & 65535)::int) FROM 3 FOR 2) IN b.fp) > 0")
_PROBE_SEGMENT = _PROBE.replace("CROSS JOIN checker.segments s",
                                "CROSS JOIN (SELECT %s::int AS first) s")

_SLICES = (
    "SELECT substring(b.docs FROM r.s FOR r.l) FROM unnest(%s::int[], %s::bigint[],"
    " %s::int[], %s::int[]) WITH ORDINALITY AS r(seg, last, s, l, o)"
    " JOIN checker.blocks b ON b.seg = r.seg AND b.last = r.last ORDER BY r.o")


# -- segments ------------------------------------------------------------------------


def segments(conn: psycopg.Connection[Any]) -> list[tuple[int, int, int]]:
    """``(first, end, entries)`` of each segment, oldest first."""
    rows = conn.execute("SELECT first, stop, entries FROM checker.segments ORDER BY first")
    return [(int(a), int(b), int(c)) for a, b, c in rows.fetchall()]


def _name(first: int, end: int) -> sql.Identifier:
    return sql.Identifier("checker", f"blocks_{first:010d}_{end:010d}")


def write_segment(conn: psycopg.Connection[Any], keys: I64, docs: I32, first: int,
                  end: int, replacing: Sequence[tuple[int, int, int]] = (),
                  cache: SegmentCache | None = None) -> None:
    """Sorted entries (:func:`sort_entries`) of documents ``[first, end)`` as the
    segment's table, attached to ``checker.blocks`` in place of the segments
    ``replacing`` (in the caller's transaction); kept in ``cache`` too."""
    distinct, counts = group(keys)
    write_blocks(conn, distinct, counts, docs, first, end, replacing, cache)


def write_blocks(conn: psycopg.Connection[Any], keys: I64, counts: I64, docs: I32,
                 first: int, end: int, replacing: Sequence[tuple[int, int, int]] = (),
                 cache: SegmentCache | None = None) -> None:
    """:func:`write_segment` of distinct sorted ``keys``, ``counts`` documents each
    (``docs``, key by key)."""
    name = _name(first, end)
    conn.execute(sql.SQL("SET LOCAL maintenance_work_mem = {}").format(sql.Literal(SORT_MEMORY)))
    conn.execute(sql.SQL(
        "CREATE TABLE {} (seg integer NOT NULL, last bigint NOT NULL, fp bytea NOT NULL,"
        " keys bytea NOT NULL, counts bytea NOT NULL, docs bytea NOT NULL,"
        " CHECK (seg >= {} AND seg < {}))").format(
        name, sql.Literal(first), sql.Literal(end)))
    # Uncompressed and out of line when long: a storm key's slice reads only its chunks.
    conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN docs SET STORAGE EXTERNAL").format(name))
    with conn.cursor() as cur, cur.copy(sql.SQL(
            "COPY {} (seg, last, fp, keys, counts, docs) FROM STDIN (FORMAT BINARY, FREEZE)"
            ).format(name)) as copy:
        for part in copy_rows(first, keys, counts, docs):
            copy.write(part)
    conn.execute(sql.SQL("CREATE UNIQUE INDEX ON {} (seg, last) INCLUDE (fp)").format(name))
    (owner, me) = conn.execute(
        "SELECT pg_get_userbyid(relowner), current_user FROM pg_class"
        " WHERE oid = 'checker.blocks'::regclass").fetchone() or ("", "")
    if owner != me:
        conn.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(name, sql.Identifier(owner)))
    if replacing:
        # Dropped last: a drop locks scanners out of checker.blocks until the commit.
        conn.execute(sql.SQL("DROP TABLE {}").format(
            sql.SQL(", ").join(_name(s[0], s[1]) for s in replacing)))
        conn.execute("DELETE FROM checker.segments WHERE first = ANY(%s)",
                     ([s[0] for s in replacing],))
    conn.execute(sql.SQL("ALTER TABLE checker.blocks ATTACH PARTITION {}"
                         " FOR VALUES FROM ({}) TO ({})").format(
        name, sql.Literal(first), sql.Literal(end)))
    conn.execute("INSERT INTO checker.segments VALUES (%s, %s, %s)", (first, end, len(docs)))
    if cache is not None:
        cache.drop(list(replacing))
        cache.put((first, end, len(docs)), keys, counts, docs)


def add_segment(conn: psycopg.Connection[Any], keys: I64, docs: I32, first: int, end: int,
                limit: int = MAX_SEGMENTS, cache: SegmentCache | None = None) -> None:
    """Write the entries ``(keys[i], docs[i])`` of documents numbered ``[first, end)``
    as a new segment, then merge segments down to ``limit`` (in the caller's
    transaction, which holds the write lock). ``cache``: the writer's copies of the
    segments it wrote (merged without reading them back).

    When the merge this write calls for leaves the new segment out and the writer
    holds every segment it merges (the end of an add: all its batches but the last),
    their entries are merged by a second thread while the new segment is sent and
    indexed by the server (numpy's sort and the compiled kernels leave the GIL)."""
    keys, docs = sort_entries(keys, docs)
    new = (first, end, len(docs))
    run = _merge_plan([*segments(conn), new], limit)
    held = [cache.get(s) for s in run] if cache is not None and new not in run else []
    if not run or not held or any(h is None for h in held):
        write_segment(conn, keys, docs, first, end, cache=cache)
        merge(conn, limit, cache)
        return
    with ThreadPoolExecutor(1, thread_name_prefix="checker-pg-merge") as pool:
        merged = pool.submit(merge_arrays, [h for h in held if h is not None])
        del held
        write_segment(conn, keys, docs, first, end, cache=cache)
        del keys, docs
        m_keys, m_counts, m_docs = merged.result()
    write_blocks(conn, m_keys, m_counts, m_docs, run[0][0], run[-1][1], replacing=run,
                 cache=cache)


def _merge_plan(segs: list[tuple[int, int, int]], limit: int) -> list[tuple[int, int, int]]:
    """The run of adjacent segments with the fewest entries whose merge leaves at most
    ``limit`` (none when there are no more)."""
    if len(segs) <= max(1, limit):
        return []
    width = len(segs) - limit + 1
    sizes = np.array([s[2] for s in segs], dtype=np.int64)
    i = int(np.argmin(np.convolve(sizes, np.ones(width, dtype=np.int64), "valid")))
    return segs[i:i + width]


def read_segment(conn: psycopg.Connection[Any], seg: int,
                 columns: Sequence[str] = ("keys", "counts", "docs")) -> list[bytes]:
    """The ``columns`` of segment ``seg``'s blocks, each joined in key order."""
    parts: list[list[bytes]] = [[] for _ in columns]
    query = sql.SQL("SELECT {} FROM checker.blocks WHERE seg = %s ORDER BY last").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    with conn.cursor(name=f"checker_segment_{seg}", binary=True) as cur:
        cur.itersize = FETCH_BLOCKS
        cur.execute(query, (seg,))
        while rows := cur.fetchmany(FETCH_BLOCKS):
            for p, values in zip(parts, zip(*rows, strict=True), strict=True):
                p.append(b"".join(values))
    return [b"".join(p) for p in parts]


def merge(conn: psycopg.Connection[Any], limit: int = MAX_SEGMENTS,
          cache: SegmentCache | None = None) -> bool:
    """Merge the run of adjacent segments with the fewest entries that leaves at
    most ``limit``; whether there was one to merge. A segment held in ``cache``
    is merged from there, any other read back from the server."""
    run = _merge_plan(segments(conn), limit)
    if not run:
        return False
    held = [cache.get(s) if cache is not None else None for s in run]
    keys, counts, docs = merge_arrays([
        h if h is not None else checked_arrays(*read_segment(conn, s[0]))
        for s, h in zip(run, held, strict=True)])
    del held
    write_blocks(conn, keys, counts, docs, run[0][0], run[-1][1], replacing=run, cache=cache)
    return True


# -- reading -------------------------------------------------------------------------


def probe(conn: psycopg.Connection[Any], keys: I64, seg: int | None = None
          ) -> tuple[I64, I64, I64, I64, I64]:
    """Where each of the sorted distinct ``keys`` stands in each segment (or only
    in ``seg``): for every (key, segment) that holds it, the key's index in
    ``keys``, the block ``(seg, last)``, the entries' offset in the block's
    ``docs`` and their number."""
    with conn.cursor(binary=True) as cur:
        rows = cur.execute(_PROBE if seg is None else _PROBE_SEGMENT,
                           (keys.tolist(),) if seg is None else (keys.tolist(), seg)).fetchall()
    out = np.zeros((5, len(rows)), dtype=np.int64)
    for j, (i, seg_, last, kb, cb) in enumerate(rows):
        at = np.flatnonzero(np.frombuffer(kb, ">i8") == keys[i - 1])
        if len(at):  # else a fingerprint that matched by chance
            c = np.frombuffer(cb, ">i4")
            out[:, j] = (i - 1, seg_, last, int(c[:at[0]].sum()), int(c[at[0]]))
    keep = out[4] > 0
    return out[0][keep], out[1][keep], out[2][keep], out[3][keep], out[4][keep]


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
        rows = cur.execute(_SLICES, (seg.tolist(), last.tolist(), (start * 4 + 1).tolist(),
                                     (count * 4).tolist())).fetchall()
    if len(rows) != len(qi):
        raise psycopg.DataError("a block went missing between two statements of one snapshot")
    docs = np.frombuffer(b"".join(r[0] for r in rows), ">i4").astype(np.int32)
    return np.repeat(qi, count), docs


def counts(conn: psycopg.Connection[Any], keys: I64) -> I64:
    """How many documents hold each of the sorted distinct ``keys``."""
    qi, _, _, _, count = probe(conn, keys)
    return np.bincount(qi, weights=count, minlength=len(keys)).astype(np.int64)


def frequent(conn: psycopg.Connection[Any], min_documents: int) -> I64:
    """Keys held by at least ``min_documents`` documents, sorted. A key that
    reaches it holds ``min_documents / segments`` in some segment: only those are
    summed over the segments."""
    segs = segments(conn)
    if not segs:
        return np.empty(0, np.int64)
    floor = max(1, -(-min_documents // len(segs)))
    per: list[tuple[I64, I64]] = []
    for s in segs:
        k, c = _key_counts(conn, s[0])
        per.append((k, c))
    wanted = np.unique(np.concatenate([k[c >= floor] for k, c in per]))
    total = np.zeros(len(wanted), dtype=np.int64)
    for k, c in per:
        at = np.searchsorted(k, wanted)
        ok = at < len(k)
        ok[ok] = k[at[ok]] == wanted[ok]
        total[ok] += c[at[ok]]
    return wanted[total >= min_documents]


def _key_counts(conn: psycopg.Connection[Any], seg: int) -> tuple[I64, I64]:
    keys, counts_ = read_segment(conn, seg, ("keys", "counts"))
    return (np.frombuffer(keys, ">i8").astype(np.int64),
            np.frombuffer(counts_, ">i4").astype(np.int64))


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
    for chunk in _chunks(lasts, FETCH_BLOCKS):
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
                         ((dk & 0xFFFF).astype(">u2").tobytes(), dk.astype(">i8").tobytes(),
                          dc.astype(">i4").tobytes(), d[keep].astype(">i4").tobytes(), seg, last))
    conn.execute("UPDATE checker.segments SET entries = entries - %s WHERE first = %s",
                 (removed, seg))
    return removed


def _chunks(values: I64, size: int) -> Iterator[I64]:
    for a in range(0, len(values), size):
        yield values[a:a + size]
