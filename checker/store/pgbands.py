"""The shared index's band entries: a partition of ``checker.bands`` per write batch.

Why: a B-tree that takes each entry at a random place costs the server a tree
descent and, in time, a page split per few entries (about 80% of its ingest
CPU with one tree, schema 1), and leaves its pages 70% full. Here a batch's
entries are COPYed (binary, built with numpy) into a new table with no index,
which is then indexed in one sorted pass (pages 90% full) and attached to
``checker.bands`` as the range partition of the batch's document numbers: the
embedded index's segment per batch, on the server. All of it happens in the
batch's transaction: a scanner sees the partition with its documents or neither.

A lookup probes every partition's index (a draft's lookups took 1.7x as long
with 3 partitions as with one, 3x with 6: measured on 10k articles), so
partitions are merged, each time in one pass: the run of adjacent
partitions with the fewest entries that leaves :data:`MAX_PARTITIONS` becomes
one (their rows copied into a new table, indexed in one sorted pass, swapped in).
Merging is what an add pays for the lookups: at the end of an add down to
``MAX_PARTITIONS``; between its batches (``merge=False``) only past
:data:`LOOSE_PARTITIONS`, so a big add's batches (each at least half of what
the add wrote before) are rewritten at most about once, not once per batch.
``index push`` and a Spark build end with the same merge.

A partition is named ``bands_<first>_<end>`` by its document number range
``[first, end)`` (numbers, never user data) and owned by the band table's owner,
whoever writes it (a superuser's partition could not be merged by the writer role).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg
from psycopg import sql

from .pgschema import partitions

# At most this many partitions (index probes per looked-up key) after an add...
MAX_PARTITIONS = 2
# ... and between the batches of an add.
LOOSE_PARTITIONS = 16
# Sort memory for building a partition's index (the default 64 MB spills a
# batch of a few million entries to disk).
SORT_MEMORY = "256MB"


def add_partition(conn: psycopg.Connection[Any], keys: npt.NDArray[np.int64],
                  docs: npt.NDArray[np.int32], first: int, end: int,
                  limit: int = MAX_PARTITIONS) -> None:
    """Write the entries ``(keys[i], docs[i])`` of documents numbered ``[first, end)``
    as a new partition, then merge partitions down to ``limit`` (in the caller's
    transaction, which holds the write lock)."""
    _sort_memory(conn)
    name = _create(conn, first, end)
    with conn.cursor() as cur, cur.copy(sql.SQL("COPY {} (key, doc) FROM STDIN (FORMAT BINARY)"
                                                ).format(name)) as copy:
        for part in binary_rows(keys, docs):
            copy.write(part)
    _attach(conn, name, first, end)
    merge(conn, limit)


def merge(conn: psycopg.Connection[Any], limit: int = MAX_PARTITIONS) -> bool:
    """Merge the run of adjacent partitions with the fewest entries that leaves
    at most ``limit`` (in one pass); whether there was one to merge."""
    parts = [_bounds(n) for n in partitions(conn)]
    if len(parts) <= max(1, limit):
        return False
    _sort_memory(conn)
    width = len(parts) - limit + 1
    sums = np.convolve(_sizes(conn, parts), np.ones(width, dtype=np.int64), "valid")
    i = int(np.argmin(sums))
    run = parts[i:i + width]
    first, end = run[0][0], run[-1][1]
    name = _create(conn, first, end)
    olds = [sql.Identifier("checker", _name(*p)) for p in run]
    rows = sql.SQL(" UNION ALL ").join(sql.SQL("SELECT key, doc FROM {}").format(o) for o in olds)
    conn.execute(sql.SQL("INSERT INTO {} (key, doc) ").format(name) + rows)
    _index(conn, name)
    # Dropped last: a drop locks scanners out of the band table until the commit.
    conn.execute(sql.SQL("DROP TABLE {}").format(sql.SQL(", ").join(olds)))
    _attach(conn, name, first, end, indexed=True)
    return True


def _sort_memory(conn: psycopg.Connection[Any]) -> None:
    conn.execute(sql.SQL("SET LOCAL maintenance_work_mem = {}").format(
        sql.Literal(SORT_MEMORY)))


def _name(first: int, end: int) -> str:
    return f"bands_{first:010d}_{end:010d}"


def _bounds(name: str) -> tuple[int, int]:
    _, first, end = name.split("_")
    return int(first), int(end)


def _create(conn: psycopg.Connection[Any], first: int, end: int) -> sql.Identifier:
    """A new table for partition ``[first, end)``, with the CHECK constraint that
    lets ATTACH skip scanning it, owned by the band table's owner."""
    name = sql.Identifier("checker", _name(first, end))
    conn.execute(sql.SQL("CREATE TABLE {} (key bigint NOT NULL, doc integer NOT NULL,"
                         " CHECK (doc >= {} AND doc < {}))").format(
        name, sql.Literal(first), sql.Literal(end)))
    (owner, me) = conn.execute(
        "SELECT pg_get_userbyid(relowner), current_user FROM pg_class"
        " WHERE oid = 'checker.bands'::regclass").fetchone() or ("", "")
    if owner != me:
        conn.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(name, sql.Identifier(owner)))
    return name


def _index(conn: psycopg.Connection[Any], name: sql.Identifier) -> None:
    conn.execute(sql.SQL("CREATE INDEX ON {} (key)").format(name))


def _attach(conn: psycopg.Connection[Any], name: sql.Identifier, first: int, end: int,
            indexed: bool = False) -> None:
    if not indexed:
        _index(conn, name)
    # The partition's index becomes part of the band table's (bands_key).
    conn.execute(sql.SQL("ALTER TABLE checker.bands ATTACH PARTITION {}"
                         " FOR VALUES FROM ({}) TO ({})").format(
        name, sql.Literal(first), sql.Literal(end)))


def _sizes(conn: psycopg.Connection[Any], parts: list[tuple[int, int]]) -> npt.NDArray[np.int64]:
    """Entries in each partition (the live documents' counts)."""
    rows = conn.execute(
        "SELECT p.first, coalesce(sum(d.entries), 0) FROM unnest(%s::int[], %s::int[])"
        " AS p(first, stop) LEFT JOIN checker.documents d ON d.num >= p.first"
        " AND d.num < p.stop GROUP BY p.first ORDER BY p.first",
        ([p[0] for p in parts], [p[1] for p in parts])).fetchall()
    return np.array([int(r[1]) for r in rows], dtype=np.int64)


def binary_rows(keys: npt.NDArray[np.int64], docs: npt.NDArray[np.int32]
                ) -> tuple[bytes, memoryview, bytes]:
    """``(key bigint, doc integer)`` rows in PostgreSQL's binary COPY format,
    built for the whole batch at once (no Python loop per entry): the header,
    the rows (not copied again) and the trailer."""
    rows = np.empty(len(keys), dtype=[("n", ">i2"), ("kl", ">i4"), ("k", ">i8"),
                                      ("dl", ">i4"), ("d", ">i4")])
    rows["n"], rows["kl"], rows["k"], rows["dl"], rows["d"] = 2, 8, keys, 4, docs
    return b"PGCOPY\n\xff\r\n\x00" + bytes(8), rows.data.cast("B"), b"\xff\xff"
