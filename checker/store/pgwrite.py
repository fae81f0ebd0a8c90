"""Writing a segment of the shared index's blocks (:mod:`checker.store.pgblocks`) as a table.

A segment is a table of its own, a partition of ``checker.blocks`` (range of
``seg``), created in the writer's transaction and filled by binary ``COPY ...
FREEZE`` (the rows built by a compiled kernel, :mod:`checker.store.blockkernels`):
its pages are all-visible at once, so probes read its index alone without a
``VACUUM``. A segment is written whole from arrays (a write batch,
:func:`write_segment`) or piece by piece, key range after key range
(:class:`SegmentTable`, as a merge streams it): several ``COPY`` statements into
one table give the same rows as one, since a piece always ends on a whole block
but the last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import psycopg
from psycopg import sql

from .blockrows import BLOCK_KEYS, I32, I64, copy_rows, group
from .segcache import Segment, SegmentCache

__all__ = ["SegmentTable", "segments", "write_segment"]

# Sort memory for building a segment's index.
SORT_MEMORY = "256MB"


def segments(conn: psycopg.Connection[Any]) -> list[Segment]:
    """``(first, end, entries)`` of each segment, oldest first."""
    rows = conn.execute("SELECT first, stop, entries FROM checker.segments ORDER BY first")
    return [(int(a), int(b), int(c)) for a, b, c in rows.fetchall()]


def table_name(first: int, end: int) -> sql.Identifier:
    """The table of the segment of documents ``[first, end)`` (named by numbers, never
    by user data)."""
    return sql.Identifier("checker", f"blocks_{first:010d}_{end:010d}")


class SegmentTable:
    """The table of a new segment of documents ``[first, end)``, filled by :meth:`write`
    (keys in ascending order across calls) and attached by :meth:`finish`, all in the
    caller's transaction.

    A call's keys that do not fill a whole block wait for the next call (the last
    block of a segment alone is short), so the blocks are the same however the
    entries are cut into calls."""

    def __init__(self, conn: psycopg.Connection[Any], first: int, end: int) -> None:
        self.conn, self.first, self.end = conn, first, end
        self.name = table_name(first, end)
        self.entries = 0
        self._tail: tuple[I64, I64, I32] | None = None
        conn.execute(sql.SQL("SET LOCAL maintenance_work_mem = {}").format(
            sql.Literal(SORT_MEMORY)))
        conn.execute(sql.SQL(
            "CREATE TABLE {} (seg integer NOT NULL, last bigint NOT NULL, fp bytea NOT NULL,"
            " keys bytea NOT NULL, counts bytea NOT NULL, docs bytea NOT NULL,"
            " CHECK (seg >= {} AND seg < {}))").format(
            self.name, sql.Literal(first), sql.Literal(end)))
        # Uncompressed and out of line when long: a storm key's slice reads only its chunks.
        conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN docs SET STORAGE EXTERNAL").format(
            self.name))

    def write(self, keys: I64, counts: I64, docs: I32, final: bool = False) -> None:
        """Entries of distinct sorted ``keys`` (``counts`` documents each, ``docs`` key
        by key), all greater than the keys written before; ``final`` for the last."""
        if self._tail is not None:
            k, c, d = self._tail
            keys, counts, docs = (np.concatenate((k, keys)), np.concatenate((c, counts)),
                                  np.concatenate((d, docs)))
            self._tail = None
        whole = len(keys) if final else len(keys) // BLOCK_KEYS * BLOCK_KEYS
        if whole < len(keys):
            n = int(counts[:whole].sum())
            self._tail = keys[whole:], counts[whole:], docs[n:]
            keys, counts, docs = keys[:whole], counts[:whole], docs[:n]
        if not len(keys):
            return
        with self.conn.cursor() as cur, cur.copy(sql.SQL(
                "COPY {} (seg, last, fp, keys, counts, docs) FROM STDIN (FORMAT BINARY, FREEZE)"
                ).format(self.name)) as copy:
            for part in copy_rows(self.first, keys, counts, docs):
                copy.write(part)
        self.entries += len(docs)

    def finish(self, replacing: Sequence[Segment] = ()) -> Segment:
        """Index the table and attach it to ``checker.blocks`` in place of the segments
        ``replacing``; the new segment's ``(first, end, entries)``."""
        if self._tail is not None:
            self.write(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int32),
                       final=True)
        conn, name = self.conn, self.name
        conn.execute(sql.SQL("CREATE UNIQUE INDEX ON {} (seg, last) INCLUDE (fp)").format(name))
        (owner, me) = conn.execute(
            "SELECT pg_get_userbyid(relowner), current_user FROM pg_class"
            " WHERE oid = 'checker.blocks'::regclass").fetchone() or ("", "")
        if owner != me:
            # Owned by the owner of checker.blocks, whoever writes it, so the writer role
            # can merge a superuser's segments.
            conn.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(name, sql.Identifier(owner)))
        if replacing:
            # Dropped last: a drop locks scanners out of checker.blocks until the commit.
            conn.execute(sql.SQL("DROP TABLE {}").format(
                sql.SQL(", ").join(table_name(s[0], s[1]) for s in replacing)))
            conn.execute("DELETE FROM checker.segments WHERE first = ANY(%s)",
                         ([s[0] for s in replacing],))
        conn.execute(sql.SQL("ALTER TABLE checker.blocks ATTACH PARTITION {}"
                             " FOR VALUES FROM ({}) TO ({})").format(
            name, sql.Literal(self.first), sql.Literal(self.end)))
        conn.execute("INSERT INTO checker.segments VALUES (%s, %s, %s)",
                     (self.first, self.end, self.entries))
        return self.first, self.end, self.entries


def write_segment(conn: psycopg.Connection[Any], keys: I64, docs: I32, first: int,
                  end: int, cache: SegmentCache | None = None) -> None:
    """Sorted entries (:func:`checker.store.blockrows.sort_entries`) of documents
    ``[first, end)`` as the segment's table, attached to ``checker.blocks`` (in the
    caller's transaction); kept in ``cache`` too."""
    distinct, counts = group(keys)
    table = SegmentTable(conn, first, end)
    table.write(distinct, counts, docs, final=True)
    segment = table.finish()
    if cache is not None:
        cache.put(segment, distinct, counts, docs)
