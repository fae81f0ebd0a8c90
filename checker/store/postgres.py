"""The shared index: a :class:`~checker.store.Store` on a PostgreSQL server.

Why: one licensed archive that every CI runner, hook and editor scans at once,
without copying a multi-GB directory into each job. The tables are in
:mod:`checker.store.pgschema`; this module reads and writes them through a
psycopg 3 connection pool (a folder of drafts reuses connections).

- Writes: one transaction per batch of whole articles (documents and texts sent
  with COPY; the band entries, packed in blocks, make a segment of their own:
  :mod:`checker.store.pgblocks`), under a transaction-scoped advisory lock so two
  ingesters queue. A scanner never sees half an article, and an interrupted
  ingester leaves only whole ones.
- Lookups: three statements per draft in one repeatable-read snapshot (the
  blocks that hold the draft's keys, one probe per key and segment; the keys'
  entries sliced from them; the documents' ids). With ``limit``, a key yields
  at most ``limit`` entries: a bucket shared by a boilerplate storm costs
  ``limit`` entries, not thousands, as in the embedded index.
- Faults: reads retry with backoff (a restarted primary, a failover) for up to
  ``$CHECKER_INDEX_RETRY_SECONDS`` (default 30) seconds, then stop with
  :class:`~checker.errors.IndexOpenError` (exit 2): an unreachable index never
  lets a draft pass. Writes are not retried (the add is simply run again).
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from ..errors import IndexOpenError
from ..fastsketch import batch_keys
from ..signals import sparing_interrupts
from ..sketch import SketchParams
from ..storysketch import MAX_BYTES, stored_forms
from . import pgblocks
from .base import DocumentRecord, PreparedDocument, StoreStats
from .batchkeys import distinct_entries
from .location import redact, server_name
from .pgconnect import IdleCheck, connection_string, retry_seconds, server_error
from .pgschema import PG_SCHEMA_VERSION, check_meta, create_schema, read_meta
from .pgtexts import ServerTexts
from .segcache import SegmentCache
from .segments import first_per_owner

T = TypeVar("T")
#: Document ids kept at most by a reader (~100 bytes each).
ID_CACHE_MAX = 1_000_000


def _no_jit(conn: psycopg.Connection[Any]) -> None:
    """Turn the server's JIT compilation off for this session. A draft's probe of a few
    thousand keys is estimated to cost millions (the planner cannot know that each
    key's probe stops at the first block), which is past ``jit_above_cost``: the
    server then compiled the query at every execution, ~150 ms of a draft's ~190
    ms lookup (EXPLAIN ANALYZE at 100,000 articles; 35 ms without)."""
    conn.execute("SET jit = off")
_COLUMNS = ("id", "key", "title", "publisher", "license", "notice", "holder", "years", "url",
            "date", "content_hash", "added", "words", "passages", "mask")
_SELECT = f"SELECT {', '.join('d.' + c for c in _COLUMNS)} FROM checker.documents d"
# Any constant: writers of one database take this transaction-scoped lock.
WRITE_LOCK = 0x636865636B6572
# The pool's reconnection messages would go to stderr through logging's last resort.
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())
logging.getLogger("psycopg.pool").propagate = False


class PostgresStore:
    """A :class:`~checker.store.Store` in a PostgreSQL database.

    Args:
        location: a ``postgresql://`` URL or libpq connection string.
        create_with: parameters for a new index (the schema is created when the
            role may); None to require an existing one.
        require: parameters an existing index must have.
    """

    def __init__(self, location: str, create_with: SketchParams | None = None,
                 require: SketchParams | None = None) -> None:
        self._conninfo = location
        self.location = f"postgresql://{server_name(location)}"
        self.host = server_name(location)
        self._has_stories = False  # whether the database has the sketches' table (_open)
        try:
            dsn = connection_string(location)
        except psycopg.ProgrammingError as exc:
            raise IndexOpenError(f"{redact(location)}: not a valid connection string "
                                 f"({redact(str(exc), location)})") from None
        try:
            info = self._open(dsn, create_with)
        except psycopg.Error as exc:
            raise server_error(location, exc, writing=create_with is not None) from None
        self._info = info
        self.params = check_meta(self.host, info, require)
        self._texts = ServerTexts(self.location)
        self._prefetched: dict[str, DocumentRecord] = {}
        # Document number -> id, of the documents lookups met (see _learn_ids).
        self._ids: dict[int, str] = {}
        idle = IdleCheck()
        self._pool = ConnectionPool(dsn, min_size=1, max_size=4, open=False, timeout=5,
                                    kwargs={"autocommit": True}, configure=_no_jit,
                                    check=idle.check, reset=idle.reset)
        with sparing_interrupts():  # its threads leave Ctrl-C to the main thread
            self._pool.open(wait=False)
        # At most one batch written in the background (see write).
        self._writer: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None
        # The segments the writer wrote, kept to merge them without reading them back.
        self._segments = SegmentCache()
        self._dictionary: bytes | None = None

    # -- running statements ----------------------------------------------------

    def _open(self, dsn: str, create_with: SketchParams | None) -> dict[str, Any]:
        """The index's parameters row (the schema created first when asked), on a first
        connection; retried with backoff while the server is down, starting up, or goes
        away in between (not when it refuses the password or lacks the database). The
        creation is one transaction, so a retry after a lost connection starts clean."""
        deadline = time.monotonic() + retry_seconds()
        delay = 0.1
        while True:
            try:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    info = read_meta(conn)
                    if info is None:
                        if create_with is None:
                            raise IndexOpenError(
                                f"{self.host}: no checker index in this database; create it "
                                "with 'checker index init-db --index ...' (or 'checker index "
                                "add')")
                        with conn.transaction():
                            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                            create_schema(conn, create_with)
                        info = read_meta(conn)
                        assert info is not None
                    # A database made before story sketches were stored lacks their
                    # table until 'index init-db' runs again: scans compute them.
                    row = conn.execute("SELECT to_regclass('checker.stories') IS NOT NULL"
                                       ).fetchone()
                    self._has_stories = bool(row and row[0])
                    return info
            except psycopg.OperationalError as exc:
                text = str(exc).lower()
                final = any(s in text for s in ("authentication failed", "does not exist",
                                                "no password supplied", "no pg_hba.conf"))
                if final or time.monotonic() + delay > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 2.0)

    def _read(self, fn: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``fn`` on a pooled connection; retried with backoff while the server
        is unreachable (reads are idempotent), then one line and exit 2."""
        deadline = time.monotonic() + retry_seconds()
        delay = 0.1
        while True:
            try:
                with self._pool.connection() as conn:
                    return fn(conn)
            except (psycopg.OperationalError, PoolTimeout) as exc:
                if time.monotonic() + delay > deadline:
                    raise server_error(self._conninfo, exc) from None
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
            except psycopg.Error as exc:
                raise server_error(self._conninfo, exc) from None

    def _write(self, fn: Callable[[psycopg.Connection[Any]], None]) -> None:
        try:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                fn(conn)
        except (psycopg.Error, PoolTimeout) as exc:
            raise server_error(self._conninfo, exc, writing=True) from None

    # -- reading -----------------------------------------------------------------

    @staticmethod
    def _record(row: Sequence[Any]) -> DocumentRecord:
        values = dict(zip(_COLUMNS, row, strict=True))
        values["mask"] = tuple(tuple(span) for span in json.loads(values["mask"]))
        return DocumentRecord(**values)

    def get(self, ref: str) -> DocumentRecord | None:
        # A scan reads its candidates' texts, then each one's record: texts() read
        # them in the same statement (one round trip, not one per candidate).
        if ref in self._prefetched:
            return self._prefetched.pop(ref)
        row = self._read(lambda c: c.execute(f"{_SELECT} WHERE d.id = %s OR d.key = %s",
                                             (ref, ref)).fetchone())
        return self._record(row) if row else None

    def documents(self) -> list[DocumentRecord]:
        # Byte order, as SQLite and Python sort: not the database's collation.
        rows = self._read(lambda c: c.execute(f'{_SELECT} ORDER BY d.key COLLATE "C"').fetchall())
        return [self._record(r) for r in rows]

    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        rows = self._read(lambda c: c.execute(
            f"{_SELECT.replace(' FROM ', ', t.body, t.size FROM ')} JOIN checker.texts t"
            " ON t.num = d.num"
            " WHERE d.id = ANY(%s)", (list(ids),)).fetchall())
        out: dict[str, str] = {}
        self._prefetched = {row[0]: self._record(row[:-2]) for row in rows}
        for doc_id, body, size in ((r[0], r[-2], r[-1]) for r in rows):
            data = bytes(body)
            try:
                out[doc_id] = self._texts.decode(data, size)
            except KeyError:  # a dictionary written since this store loaded them

                def text(c: psycopg.Connection[Any], b: bytes = data, n: int = size) -> str:
                    return self._texts.text(c, b, n)

                out[doc_id] = self._read(text)
        return out

    def story_sketches(self, ids: Sequence[str]) -> dict[str, bytes]:
        if not self._has_stories or not ids:
            return {}
        # Bounded: a sketch longer than any checker writes is not read (the scan
        # computes that document's sketch from its text).
        rows = self._read(lambda c: c.execute(
            "SELECT d.id, s.sketch FROM checker.documents d JOIN checker.stories s"
            " ON s.num = d.num WHERE d.id = ANY(%s) AND octet_length(s.sketch) <= %s",
            (list(ids), MAX_BYTES)).fetchall())
        return {str(doc_id): bytes(blob) for doc_id, blob in rows}

    def content_hashes(self, keys: Sequence[str]) -> dict[str, str]:
        """The content hash of each stored document among ``keys`` (one statement):
        what a resumed bulk build compares to skip what is already there."""
        rows = self._read(lambda c: c.execute(
            "SELECT key, content_hash FROM checker.documents WHERE key = ANY(%s)",
            (list(keys),)).fetchall())
        return {str(k): str(h) for k, h in rows}

    def _snapshot(self, fn: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``fn`` in one read-only repeatable-read transaction (a read of several
        statements sees one state of the index, whatever a writer merges meanwhile)."""
        def run(conn: psycopg.Connection[Any]) -> T:
            # Set on the connection, the transaction's BEGIN carries them: one round
            # trip, not a BEGIN and a SET TRANSACTION. Set back for the pool's next user.
            conn.isolation_level, conn.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True
            try:
                with conn.transaction():
                    return fn(conn)
            finally:
                with contextlib.suppress(psycopg.Error):  # a lost connection is discarded
                    conn.isolation_level = conn.read_only = None

        return self._read(run)

    def lookup_pairs(self, keys: npt.NDArray[np.int64],
                     limit: int | None = None) -> list[tuple[int, str]]:
        """Every ``(key, document id)`` pair for the given keys, at most ``limit``
        per key (see :class:`~checker.store.Store`)."""
        uniq = np.unique(np.asarray(keys, dtype=np.int64))
        if not len(uniq):
            return []

        def read(c: psycopg.Connection[Any]) -> tuple[npt.NDArray[np.int64],
                                                      npt.NDArray[np.int32]]:
            owner, docs = pgblocks.lookup(c, uniq, limit)
            self._learn_ids(c, docs)
            return owner, docs

        owner, found = self._snapshot(read)
        docs = found.astype(np.uint32)
        if limit is not None:
            owner, docs = first_per_owner(owner, docs, limit)
        ids = self._ids
        return [(k, ids[d]) for k, d in zip(uniq[owner].tolist(), docs.tolist(), strict=True)]

    def _learn_ids(self, conn: psycopg.Connection[Any], nums: npt.NDArray[np.int32]) -> None:
        """Fetch the ids of the document numbers not known yet. A number is never
        given to another document (a sequence) and a document's number and id go
        together, so what was learned stays true; a removed document's entries go in
        its removal's transaction, so a number found in the blocks of a snapshot is
        a live document of that snapshot. Bounded: forgotten past
        :data:`ID_CACHE_MAX` numbers."""
        if len(self._ids) > ID_CACHE_MAX:
            self._ids.clear()
        wanted = [n for n in np.unique(nums).tolist() if n not in self._ids]
        if wanted:
            rows = conn.execute("SELECT num, id FROM checker.documents WHERE num = ANY(%s)",
                                (wanted,)).fetchall()
            self._ids.update((int(n), str(i)) for n, i in rows)
            if len(rows) != len(wanted):
                raise psycopg.DataError("a document of the blocks is not in checker.documents")

    def key_document_counts(self, keys: npt.NDArray[np.int64],
                            at_least: int | None = None) -> npt.NDArray[np.int64]:
        keys = np.asarray(keys, dtype=np.int64)
        if not len(keys):
            return np.zeros(0, dtype=np.int64)
        uniq, where = np.unique(keys, return_inverse=True)
        per = self._read(lambda c: pgblocks.counts(c, uniq, at_least))
        return per[where.ravel()]

    def frequent_keys(self, min_documents: int) -> npt.NDArray[np.int64]:
        return self._snapshot(lambda c: pgblocks.frequent(c, min_documents))

    def stats(self) -> StoreStats:
        def query(c: psycopg.Connection[Any]) -> tuple[Any, ...]:
            row = c.execute(
                "SELECT count(*), coalesce(sum(passages), 0), coalesce(sum(words), 0),"
                " coalesce(sum(entries), 0) FROM checker.documents").fetchone()
            (size,) = c.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'checker' AND c.relkind = 'r'").fetchone() or (0,)
            return (*(row or (0, 0, 0, 0)), size)

        docs, passages, words, entries, size = self._read(query)
        return StoreStats(int(docs), int(passages), int(words), int(entries), int(size))

    def band_bytes(self) -> int:
        """Bytes on the server of the band entries (the blocks, their index and
        their out-of-line values, and the segments)."""
        (size,) = self._read(lambda c: c.execute(
            "SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0)"
            " + pg_total_relation_size('checker.segments') FROM pg_inherits"
            " WHERE inhparent = 'checker.blocks'::regclass").fetchone() or (0,))
        return int(size)

    def info(self) -> dict[str, Any]:
        return dict(self._info)

    def evidence(self) -> dict[str, Any]:
        """What a report names the index by: backend, server (no credentials),
        schema version, document count and the time of the last ingest."""
        docs, last = self._read(lambda c: c.execute(
            "SELECT (SELECT count(*) FROM checker.documents),"
            " (SELECT max(at) FROM checker.ingest_log)").fetchone() or (0, None))
        return {"backend": "postgresql", "host": self.host, "schema_version": PG_SCHEMA_VERSION,
                "documents": int(docs),
                "last_ingest": last.isoformat(timespec="seconds") if last else None}

    # -- writing -------------------------------------------------------------------

    def write(self, docs: Sequence[PreparedDocument],
              remove: Sequence[tuple[str, npt.NDArray[np.int64]]] = (),
              merge: bool = True) -> None:
        """Atomically remove documents (by id) and add or replace ``docs``, and log
        it in ``ingest_log``. A removed or replaced document's band entries go
        in the same transaction.

        With ``merge=False`` (every batch of an add but the last) the batch is
        written by a background thread and this returns at once: the caller
        prepares the next batch while the server indexes this one (its COPY and
        index build leave the GIL). One batch at a time: the next write waits
        for it and raises its error; so does :meth:`flush` (and the last batch
        of an add, written before this returns).
        """
        self.flush()
        if not docs and not remove:
            if merge:  # an add's last batch may be empty: its segments are merged
                self._write(self._merge)
            return

        def run(conn: psycopg.Connection[Any]) -> None:
            removed: list[str] = []
            if remove:
                removed = self._delete(conn, "id", [i for i, _ in remove])
            replaced = len(self._insert(conn, docs, merge)) if docs else 0
            conn.execute(
                "INSERT INTO checker.ingest_log (action, documents, detail) VALUES (%s, %s, %s)",
                ("add" if docs else "remove", len(docs) or len(removed),
                 Jsonb({"added": len(docs) - replaced, "replaced": replaced,
                        "removed": removed[:1000],
                        "keys": [d.record.key for d in docs[:1000]]})))

        if merge or remove:
            self._write(run)
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="checker-pg-writer")
        with sparing_interrupts():  # the first submit starts the writer's thread
            self._pending = self._writer.submit(self._write, run)

    def _merge(self, conn: psycopg.Connection[Any]) -> None:
        pgblocks.merge(conn, cache=self._segments)

    def text_dictionary(self) -> bytes | None:
        """The dictionary the next write compresses texts with (None: none yet), for
        the worker processes of a big add (:mod:`checker.sharded`)."""
        if self._dictionary is None:
            # The batch that trains it may still be on its way (written in the
            # background): wait for it, once; the dictionary never changes after.
            self.flush()
            row = self._read(lambda c: c.execute(
                "SELECT data FROM checker.dictionaries ORDER BY id LIMIT 1").fetchone())
            self._dictionary = bytes(row[0]) if row is not None else None
        return self._dictionary

    def flush(self) -> None:
        """Wait for the batch written in the background, if any; raise its error."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def _insert(self, conn: psycopg.Connection[Any], docs: Sequence[PreparedDocument],
                merge: bool = True) -> list[str]:
        old = self._delete(conn, "key", [d.record.key for d in docs])
        nums = np.array([r[0] for r in conn.execute(
            "SELECT nextval('checker.document_num') FROM generate_series(1, %s)",
            (len(docs),)).fetchall()], dtype=np.int32)
        # Distinct keys per document, as the embedded index stores them.
        flat, owners, counts = distinct_entries([d.keys for d in docs])
        bodies, sizes = self._texts.bodies(conn, docs)
        with conn.cursor() as cur:
            with cur.copy(f"COPY checker.documents (num, {', '.join(_COLUMNS)}, entries)"
                          " FROM STDIN") as copy:
                for num, d, n in zip(nums.tolist(), docs, counts, strict=True):
                    r = d.record
                    values = [getattr(r, c) for c in _COLUMNS]
                    values[_COLUMNS.index("mask")] = json.dumps([list(s) for s in r.mask])
                    copy.write_row([num, *values, n])
            # Binary: a text's frame goes as it is, not as hex.
            with cur.copy("COPY checker.texts (num, body, size) FROM STDIN (FORMAT BINARY)"
                          ) as copy:
                copy.set_types(["int4", "bytea", "int4"])
                for num, body, size in zip(nums.tolist(), bodies, sizes, strict=True):
                    copy.write_row((num, body, size))
            if self._has_stories:
                stories = stored_forms([(d.story, d.text) for d in docs])
                with cur.copy("COPY checker.stories (num, sketch) FROM STDIN (FORMAT BINARY)"
                              ) as copy:
                    copy.set_types(["int4", "bytea"])
                    for num, blob in zip(nums.tolist(), stories, strict=True):
                        if blob:
                            copy.write_row((num, blob))
        if len(flat):
            pgblocks.add_segment(conn, flat, nums[owners], int(nums.min()),
                                 int(nums.max()) + 1, pgblocks.MAX_SEGMENTS if merge
                                 else pgblocks.LOOSE_SEGMENTS, self._segments)
        return old

    def _delete(self, conn: psycopg.Connection[Any], column: str, refs: list[str]) -> list[str]:
        """Delete documents by ``id`` or ``key`` with their text and band entries
        (their keys are computed again from the stored text and mask, so the
        entries are found through the key index); their ids."""
        query = {"id": "WHERE d.id = ANY(%s)", "key": "WHERE d.key = ANY(%s)"}[column]
        rows = conn.execute("SELECT d.num, d.id, d.mask, d.entries, t.body, t.size FROM "
                            "checker.documents d JOIN checker.texts t ON t.num = d.num " + query,
                            (refs,)).fetchall()
        if not rows:
            return []
        nums = [r[0] for r in rows]
        texts = [self._texts.text(conn, bytes(r[4]), r[5]) for r in rows]
        masks = [tuple(tuple(s) for s in json.loads(r[2])) for r in rows]
        keys, _ = batch_keys(texts, masks, self.params)
        flat = np.unique(np.concatenate([k.ravel() for k in keys])) if keys else np.empty(
            0, np.int64)
        if pgblocks.remove(conn, nums, flat) != sum(r[3] for r in rows):
            pgblocks.remove_everywhere(conn, nums)  # keys not as stored: find them all
        conn.execute("DELETE FROM checker.texts WHERE num = ANY(%s)", (nums,))
        if self._has_stories:
            conn.execute("DELETE FROM checker.stories WHERE num = ANY(%s)", (nums,))
        conn.execute("DELETE FROM checker.documents WHERE num = ANY(%s)", (nums,))
        return [r[1] for r in rows]

    def remove(self, items: Sequence[tuple[str, npt.NDArray[np.int64]]]) -> None:
        self.write([], items)

    def compact(self) -> int:
        """Merge every segment into one, a key range at a time (:mod:`pgmerge`), and log
        it in ``ingest_log``: a scan then probes each key once instead of once per
        segment (half the server's CPU for a draft's lookups with one segment instead of
        two). Scans go on meanwhile (the old segments until the merge commits); writes
        wait for it. Run it when adds are rare (at night): the next add writes a
        segment of its own again."""
        self.flush()
        before = 0

        def run(conn: psycopg.Connection[Any]) -> None:
            nonlocal before
            before = len(pgblocks.segments(conn))
            while pgblocks.merge(conn, 1, self._segments):
                pass
            conn.execute("INSERT INTO checker.ingest_log (action, documents, detail)"
                         " VALUES ('compact', 0, %s)", (Jsonb({"segments": before}),))

        self._write(run)
        return before

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self._writer is not None:
                self._writer.shutdown()
            self._segments.close()
            self._pool.close()

