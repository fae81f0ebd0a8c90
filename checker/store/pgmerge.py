"""Merging the shared index's segments a key range at a time, in memory that stays flat.

An add writes a segment per batch and ends by merging them down to
:data:`MAX_SEGMENTS` (a probe per looked-up key and segment); a Spark build merges
its tasks' segments alike. Merged whole, a run's entries were all held by the
writer, twice (the segments and the merged one, ~20 bytes per entry): a
100,000-article add peaked at 6.5 GB, and a million-article archive would have
needed ~60 GB on the writer's machine, whatever the server held.

Here each segment of the run is read in key order, a piece of about
:data:`CHUNK_ENTRIES` entries at a time: from the writer's own copy
(:mod:`checker.store.segcache`) or from the server (:func:`fetched_pieces`). The pieces
held are merged up to the smallest of their greatest keys (every entry of a key up
to it is then in hand, in every segment), copied to the new segment's table
(:class:`checker.store.pgwrite.SegmentTable`) and let go. The merge of one key
range (numpy's sort and the compiled kernels, which leave the GIL) runs in a
second thread while the range before it is copied to the server. The blocks are
the same as a whole merge's (a table holds whole blocks but its last), and it all
happens in the writer's transaction: scanners see the segments or their merge.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import psycopg

from ..signals import sparing_interrupts
from .blockrows import (
    BLOCK_KEYS,
    I32,
    I64,
    checked_arrays,
    merge_arrays,
    sort_entries,
)
from .pgwrite import SegmentTable, segments, write_segment
from .segcache import Run, Segment, SegmentCache

__all__ = ["CHUNK_ENTRIES", "LOOSE_SEGMENTS", "MAX_SEGMENTS", "Reader", "add_segment",
           "fetched_pieces", "merge", "ranges"]

# At most this many segments (probes per looked-up key) after an add...
MAX_SEGMENTS = 2
# ... and between the batches of an add (each as large as all the add wrote before,
# so an entry is rewritten about once).
LOOSE_SEGMENTS = 16
#: Entries read at a time from the segments of a run (all together): the merge holds
#: about this many entries (and as many merged), ~100 MB.
CHUNK_ENTRIES = 4_000_000


def add_segment(conn: psycopg.Connection[Any], keys: I64, docs: I32, first: int, end: int,
                limit: int = MAX_SEGMENTS, cache: SegmentCache | None = None) -> None:
    """Write the entries ``(keys[i], docs[i])`` of documents numbered ``[first, end)``
    as a new segment, then merge segments down to ``limit`` (in the caller's
    transaction, which holds the write lock). ``cache``: the writer's copies of the
    segments it wrote (merged without reading them back)."""
    keys, docs = sort_entries(keys, docs)
    write_segment(conn, keys, docs, first, end, cache=cache)
    del keys, docs
    merge(conn, limit, cache)


def merge_plan(segs: Sequence[Segment], limit: int) -> list[Segment]:
    """The run of adjacent segments with the fewest entries whose merge leaves at most
    ``limit`` (none when there are no more)."""
    if len(segs) <= max(1, limit):
        return []
    width = len(segs) - limit + 1
    sizes = np.array([s[2] for s in segs], dtype=np.int64)
    i = int(np.argmin(np.convolve(sizes, np.ones(width, dtype=np.int64), "valid")))
    return list(segs[i:i + width])


def merge(conn: psycopg.Connection[Any], limit: int = MAX_SEGMENTS,
          cache: SegmentCache | None = None) -> bool:
    """Merge the run of adjacent segments with the fewest entries that leaves at
    most ``limit``; whether there was one to merge. A segment held in ``cache``
    is read from there, any other from the server. The merged segment is kept in
    ``cache`` when it fits."""
    run = merge_plan(segments(conn), limit)
    if not run:
        return False
    share = max(BLOCK_KEYS, CHUNK_ENTRIES // len(run))
    readers = []
    for s in run:
        held = cache.get(s) if cache is not None else None
        readers.append(Reader(_held_pieces(held, share) if held is not None
                               else fetched_pieces(conn, s[0], share)))
    table = SegmentTable(conn, run[0][0], run[-1][1])
    kept: list[Run] | None = [] if cache is not None else None
    room = cache.budget - cache.size() if cache is not None else 0

    def write(merged: Run) -> None:
        nonlocal kept, room
        table.write(*merged)
        if kept is not None:
            room -= sum(a.nbytes for a in merged)
            if room >= 0:
                kept.append(merged)
            else:
                kept = None  # too large to keep: let the pieces go

    with ThreadPoolExecutor(1, thread_name_prefix="checker-pg-merge") as pool:
        pending: Future[Run] | None = None
        # Ranges are read here (a segment not held is fetched on this connection),
        # merged in the pool, and copied here while the next range merges.
        for parts in ranges(readers):
            with sparing_interrupts():  # the first submit starts the thread
                ahead = pool.submit(_merged, parts)
            if pending is not None:
                write(pending.result())
            pending = ahead
        if pending is not None:
            write(pending.result())
    segment = table.finish(run)
    if cache is not None:
        cache.drop(run)
        if kept:
            cache.put(segment, *(np.concatenate(a) for a in zip(*kept, strict=True)))
    return True


class Reader:
    """One segment of a run, read in key order a piece at a time."""

    def __init__(self, pieces: Iterator[Run]) -> None:
        self._pieces = pieces
        self.keys: I64 = np.empty(0, np.int64)
        self.counts: I64 = np.empty(0, np.int64)
        self.docs: I32 = np.empty(0, np.int32)

    def fill(self) -> bool:
        """Hold some entries, unless the segment is read out; whether any are held."""
        while not len(self.keys):
            piece = next(self._pieces, None)
            if piece is None:
                return False
            self.keys, self.counts, self.docs = piece
        return True

    def take(self, bound: int) -> Run:
        """The entries held of keys up to ``bound``, let go."""
        j = int(np.searchsorted(self.keys, bound, "right"))
        n = int(self.counts[:j].sum())
        out = self.keys[:j], self.counts[:j], self.docs[:n]
        self.keys, self.counts, self.docs = self.keys[j:], self.counts[j:], self.docs[n:]
        return out


def ranges(readers: list[Reader]) -> Iterator[list[Run]]:
    """Per key range, the runs of the segments that hold keys in it (oldest first): up
    to the smallest greatest key held, every segment's entries of it are held."""
    live = [r for r in readers if r.fill()]
    while live:
        bound = min(int(r.keys[-1]) for r in live)
        yield [part for r in live if len((part := r.take(bound))[0])]
        live = [r for r in live if r.fill()]


def _merged(parts: list[Run]) -> Run:
    return parts[0] if len(parts) == 1 else merge_arrays(parts)


def _held_pieces(run: Run, entries: int) -> Iterator[Run]:
    """A held segment's arrays as pieces of about ``entries`` entries (views)."""
    keys, counts, docs = run
    step = max(BLOCK_KEYS, entries * len(keys) // max(1, len(docs)))
    at = 0
    for a in range(0, len(keys), step):
        n = int(counts[a:a + step].sum())
        yield keys[a:a + step], counts[a:a + step], docs[at:at + n]
        at += n


def fetched_pieces(conn: psycopg.Connection[Any], seg: int, entries: int,
                   docs: bool = True) -> Iterator[Run]:
    """A segment's blocks read from the server in key order, about ``entries`` keys'
    blocks at a time (checked: a block is never trusted to add up); without their
    documents (an empty array) unless ``docs``. Each read is a statement of its own,
    after the last block read: an open cursor would keep ``COPY ... FREEZE`` of a
    merged table from running."""
    columns = "last, keys, counts, docs" if docs else "last, keys, counts"
    after = -(2**63)  # below any key: the first read takes the first blocks
    size = max(1, entries // BLOCK_KEYS)
    while True:
        with conn.cursor(binary=True) as cur:
            rows = cur.execute(
                f"SELECT {columns} FROM checker.blocks WHERE seg = %s"  # constants
                " AND last >= %s ORDER BY last LIMIT %s", (seg, after, size)).fetchall()
        if not rows:
            return
        last = int(rows[-1][0])
        yield checked_arrays(*(b"".join(column) for column in list(zip(*rows, strict=True))[1:]))
        if len(rows) < size or last == 2**63 - 1:  # read out (no key follows the greatest)
            return
        after = last + 1
