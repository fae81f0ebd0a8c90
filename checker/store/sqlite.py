"""The embedded index: one SQLite database in WAL mode in a local directory.

Why SQLite: atomic batches (an interrupted ``index add`` leaves whole
documents only), readers that never block the writer (WAL), and a plain
file format with no pickle: nothing in an index can run code.

Layout: ``meta`` (parameters and versions, JSON), ``documents`` (one row per
article; ``num`` is never reused), ``texts`` (zstd-compressed text, for
alignment; see :mod:`checker.textcodec`), ``dictionaries`` (its zstd dictionary,
trained on the index's first big batch), ``segments`` (the registry of LSH
segment files in ``DIR/lsh/``, see :mod:`checker.store.segments`) and
``tombstones`` (numbers of removed or replaced documents whose entries are still
in a segment: filtered at query time, dropped by a merge). A segment file is
written and fsynced before it is registered in the same transaction as its
documents, so an interrupted add never corrupts the index; an unregistered file
is deleted by the next writer. Nothing read from the files is trusted (see
:mod:`checker.store.safety`); ``scan``, ``list`` and ``stats`` open the database
read-only, so an index in a read-only directory can be scanned.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import sortedops
from ..errors import CheckerError, IndexOpenError, IndexUnfinishedError
from ..sketch import SketchParams
from ..storysketch import MAX_BYTES
from ..textcodec import TextCodec
from .base import DocumentRecord, PreparedDocument, StoreStats
from .connect import connect, guarded
from .rows import COLUMNS, record_from_row
from .safety import (
    DB_NAME,
    LSH_DIR,
    BadIndexFile,
    check_files,
    corrupt,
    remove_unregistered,
    segment_path,
    translated,
)
from .schema import PAGE_SIZE, check_meta, check_schema, create_tables, read_meta
from .segments import (
    Segment,
    count,
    first_per_owner,
    frequent,
    layout_json,
    lookup,
    segment_name,
)
from .writing import MAX_NUM, insert_documents, merge_segments

__all__ = ["DB_NAME", "LSH_DIR", "MAX_SEGMENTS", "PAGE_SIZE", "SQLiteStore"]
_COLUMNS = COLUMNS
# Merge when an add leaves more segments than this (each costs a search per band).
MAX_SEGMENTS = 6

#: Document ids kept in memory by number (about 100 bytes each).
_ID_CACHE_MAX = 200_000


class SQLiteStore:
    """A :class:`~checker.store.Store` in ``DIR/index.sqlite``.

    Args:
        directory: the index directory.
        create_with: parameters for a new index; None to require an existing one.
    """

    def __init__(self, directory: Path, create_with: SketchParams | None = None,
                 require: SketchParams | None = None, read_only: bool = False) -> None:
        self.directory = directory
        self.location = str(directory)
        self.read_only = read_only
        db = directory / DB_NAME
        check_files(directory)
        new = not db.exists()
        if new:
            if create_with is None or read_only:
                raise IndexOpenError(
                    f"{directory}: no index here; build one with "
                    f"'checker index add ARTICLES --index {directory}'"
                )
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IndexOpenError(f"{directory}: cannot create the index directory "
                                     f"({exc.strerror})") from None
        self._db = connect(directory, new, read_only)
        try:
            with translated(directory):
                info = self._read_meta()
                if info is None:
                    if create_with is None or read_only:
                        raise IndexUnfinishedError(
                            f"{directory}: the index is empty or unfinished; rebuild it with "
                            "'checker index add'")
                    self._create(create_with)
                    info = self._read_meta()
                    assert info is not None
                self.params = self._check(info, require)
                for (name,) in self._db.execute("SELECT file FROM segments"):
                    segment_path(directory, name)  # refuses a name that is not its own
        except BaseException:
            self._db.close()
            raise
        self._info = info
        # Whether the index stores story sketches (made before they were: not until
        # this store's first write creates the table).
        self._has_stories = bool(self._db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'stories'"
        ).fetchone()[0])
        self._seg_cache: list[Segment] | None = None
        self._seg_version = -1
        self._dead = np.empty(0, dtype=np.uint32)
        # Document number -> id, as read since the segments were last (re)loaded: a number
        # is never given to another document, and a reload (another connection committed,
        # or this one wrote) starts it again. A scan maps the same frequent documents'
        # numbers for draft after draft.
        self._id_cache: dict[int, str] = {}
        self._in_flight: Path | None = None
        self._codec = TextCodec()
        self._warnings: list[str] = []

    # -- opening -------------------------------------------------------------

    def _read_meta(self) -> dict[str, Any] | None:
        if not check_schema(self.directory, self._db):
            return None
        return read_meta(self._db)

    def _create(self, params: SketchParams) -> None:
        with self._transaction():
            create_tables(self._db, params)

    def _check(self, info: dict[str, Any], wanted: SketchParams | None) -> SketchParams:
        return check_meta(self.directory, info, wanted)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # BEGIN IMMEDIATE takes the write lock up front, so two writers queue
        # instead of failing half-way; readers (WAL) are never blocked.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- reading -------------------------------------------------------------

    @staticmethod
    def _record(row: Sequence[Any]) -> DocumentRecord:
        return record_from_row(row)

    @guarded
    def get(self, ref: str) -> DocumentRecord | None:
        row = self._db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM documents WHERE id = ? OR key = ?", (ref, ref)
        ).fetchone()
        return self._record(row) if row else None

    @guarded
    def documents(self) -> list[DocumentRecord]:
        rows = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM documents ORDER BY key")
        return [self._record(r) for r in rows]

    @guarded
    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT d.id, t.body, t.size FROM documents d JOIN texts t ON t.num = d.num "
                f"WHERE d.id IN ({marks})", chunk)
            for doc_id, body, size in rows:
                out[doc_id] = self._codec.read(self._db, body, size).decode("utf-8")
        return out

    @guarded
    def story_sketches(self, ids: Sequence[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        if not self._has_stories:
            return out
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            # Bounded: a sketch longer than any checker writes is not read, nor one that
            # is not a blob (the scan computes that document's sketch from its text).
            rows = self._db.execute(
                "SELECT d.id, s.sketch FROM documents d JOIN stories s ON s.num = d.num "
                f"WHERE d.id IN ({','.join('?' * len(chunk))}) AND typeof(s.sketch) = 'blob'"
                " AND length(s.sketch) <= ?", [*chunk, MAX_BYTES])
            out.update((str(doc_id), bytes(blob)) for doc_id, blob in rows)
        return out

    # -- LSH segments ----------------------------------------------------------

    def _segments(self) -> list[Segment]:
        """The registered segments, memory-mapped; reloaded when another
        connection committed (``PRAGMA data_version``) or this one wrote."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if self._seg_cache is not None and self._seg_version == version:
            return self._seg_cache
        for _ in range(5):
            rows = self._db.execute(
                "SELECT id, file, entries, layout FROM segments ORDER BY id").fetchall()
            dead = [r[0] for r in self._db.execute("SELECT num FROM tombstones ORDER BY num")]
            if not all(isinstance(n, int) and 0 <= n <= MAX_NUM for n in dead):
                raise BadIndexFile("a tombstone is not a document number")
            # Keyed by id *and* file: a segment is never mistaken for another one.
            old = {(seg.id, seg.path.name): seg for seg in self._seg_cache or []}
            try:
                segs = [old.get((i, f)) or self._open_segment(i, f, n, lay)
                        for i, f, n, lay in rows]
            except FileNotFoundError:
                continue  # merged away by a writer between the two reads: read again
            self._seg_cache, self._seg_version = segs, version
            self._dead = np.array(dead, dtype=np.uint32)
            self._id_cache = {}
            return segs
        raise corrupt(self.directory, "an LSH segment file is missing")

    def _open_segment(self, seg_id: int, name: str, entries: int, layout: str) -> Segment:
        if not isinstance(layout, str):
            raise BadIndexFile(f"segment {name}: its layout is not JSON text")
        seg = Segment(seg_id, segment_path(self.directory, name), json.loads(layout),
                      self.params.bands)
        if entries != seg.entries:
            raise BadIndexFile(f"segment {name} holds {seg.entries} entries, registered "
                               f"as {entries}")
        return seg

    def _entries(self, keys: npt.NDArray[np.int64], limit: int | None = None
                 ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
        segs = self._segments()
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        if not len(self._dead):
            # No tombstones: every entry is live, so a key's first ``limit`` entries
            # per segment are enough to know it stands in ``limit`` or more documents.
            return lookup(segs, keys, limit)
        owner, docs = lookup(segs, keys)
        if len(docs):
            live = ~np.isin(docs, self._dead)
            owner, docs = owner[live], docs[live]
        return owner, docs

    def _ids(self, nums: npt.NDArray[np.uint32]) -> dict[int, str]:
        """The ids of the (live) documents numbered ``nums``; call after
        :meth:`_segments` (which starts the cache again when the index changed)."""
        cache = self._id_cache
        if len(cache) > _ID_CACHE_MAX:
            cache.clear()
        unique = sortedops.unique(nums).tolist()
        missing = [n for n in unique if n not in cache]
        found: dict[int, str] = {}
        for i in range(0, len(missing), 900):
            chunk = missing[i : i + 900]
            found.update(self._db.execute(
                f"SELECT num, id FROM documents WHERE num IN ({','.join('?' * len(chunk))})",
                chunk).fetchall())
        if not all(isinstance(i, str) for i in found.values()):
            raise BadIndexFile("a document id is not text")
        cache.update(found)
        return {n: cache[n] for n in unique if n in cache}

    @guarded
    def lookup_pairs(self, keys: npt.NDArray[np.int64],
                     limit: int | None = None) -> list[tuple[int, str]]:
        """Every ``(key, document id)`` pair for the given keys (see :class:`Store`)."""
        keys = sortedops.unique(keys)
        owner, docs = self._entries(keys, limit)
        if limit is not None:
            owner, docs = first_per_owner(owner, docs, limit)
        ids = self._ids(docs)
        return [(k, ids[d]) for k, d in zip(keys[owner].tolist(), docs.tolist(), strict=True)
                if d in ids]

    @guarded
    def key_document_counts(self, keys: npt.NDArray[np.int64],
                            at_least: int | None = None) -> npt.NDArray[np.int64]:
        # Exact whatever ``at_least``: the segments' ranges give counts as cheaply.
        keys = np.asarray(keys, dtype=np.int64)
        segs = self._segments()  # (re)loads the tombstones too
        if not len(self._dead):
            return count(segs, keys)  # range sizes: no document number is read
        owner, _ = self._entries(keys)
        return np.bincount(owner, minlength=len(keys)).astype(np.int64)

    @guarded
    def frequent_keys(self, min_documents: int) -> npt.NDArray[np.int64]:
        """LSH keys that stand in at least ``min_documents`` documents."""
        return frequent(self._segments(), self.params.bands, self._dead, min_documents)

    @guarded
    def stats(self) -> StoreStats:
        docs, passages, words = self._db.execute(
            "SELECT count(*), coalesce(sum(passages), 0), coalesce(sum(words), 0) FROM documents"
        ).fetchone()
        (entries,) = self._db.execute(
            "SELECT (SELECT coalesce(sum(entries), 0) FROM segments)"
            " - (SELECT coalesce(sum(entries), 0) FROM tombstones)").fetchone()
        if not all(isinstance(v, int) for v in (docs, passages, words, entries)):
            raise BadIndexFile("its counts are not whole numbers")
        return StoreStats(int(docs), int(passages), int(words), int(entries), self._disk_size())

    def _disk_size(self) -> int:
        """Bytes of the index's regular files (never following a link)."""
        size = 0
        for folder in (self.directory, self.directory / LSH_DIR):
            if folder.is_dir() and not folder.is_symlink():
                for e in os.scandir(folder):
                    try:
                        if e.is_file(follow_symlinks=False):
                            size += e.stat(follow_symlinks=False).st_size
                    except FileNotFoundError:
                        pass  # removed meanwhile (a merged segment, a closed -wal)
        return size

    def take_warnings(self) -> list[str]:
        """Warnings of the last writes (work that failed after a commit), once."""
        out, self._warnings = self._warnings, []
        return out

    def info(self) -> dict[str, Any]:
        return dict(self._info)

    def evidence(self) -> dict[str, Any]:
        """Backend, document count and the time of the last add (for reports)."""
        docs, last = self._db.execute("SELECT count(*), max(added) FROM documents").fetchone()
        return {"backend": "sqlite", "host": None, "documents": int(docs), "last_ingest": last}

    # -- writing -------------------------------------------------------------

    @guarded
    def text_dictionary(self) -> bytes | None:
        """The dictionary the next write compresses texts with (None: none yet), for
        workers that compress texts before they are written."""
        row = self._db.execute(
            "SELECT data FROM dictionaries ORDER BY id LIMIT 1").fetchone()
        return bytes(row[0]) if row is not None and isinstance(row[0], bytes) else None

    def _tombstone(self, num: int) -> None:
        self._db.execute("INSERT OR IGNORE INTO tombstones SELECT num, entries FROM documents "
                         "WHERE num = ?", (num,))
        self._db.execute("DELETE FROM texts WHERE num = ?", (num,))
        if self._has_stories:
            self._db.execute("DELETE FROM stories WHERE num = ?", (num,))
        self._db.execute("DELETE FROM documents WHERE num = ?", (num,))

    def _new_segment_path(self) -> tuple[str, Path]:
        name = segment_name()
        (self.directory / LSH_DIR).mkdir(exist_ok=True)
        check_files(self.directory)  # never write through a symlinked lsh/
        return name, segment_path(self.directory, name)

    def _register(self, name: str, entries: int, layout: list[dict[str, Any]]) -> None:
        self._db.execute("INSERT INTO segments (file, entries, layout) VALUES (?, ?, ?)",
                         (name, entries, layout_json(layout)))

    def _clean_unregistered(self) -> None:
        # Called with the write lock held: no other writer has a file in flight.
        remove_unregistered(self.directory / LSH_DIR,
                            {r[0] for r in self._db.execute("SELECT file FROM segments")})

    def write(self, docs: Sequence[PreparedDocument],
              remove: Sequence[tuple[str, npt.NDArray[np.int64]]] = (),
              merge: bool = True) -> None:
        """Atomically remove documents (by id; keys unused) and add or replace ``docs``.

        With ``merge`` (the last batch of an add), the smallest segments are then
        merged when there are more than ``MAX_SEGMENTS``; a long add defers this
        to its end, so each entry is merged once rather than at every batch. A
        merge that fails after the commit is a warning (:meth:`take_warnings`),
        not an error: what was asked is done, and the next write merges."""
        self._write(docs, remove)
        if not merge:
            return
        try:
            with translated(self.directory):
                if len(self._segments()) > MAX_SEGMENTS:
                    self.merge(len(self._segments()) - MAX_SEGMENTS + 1)
        except CheckerError as exc:
            self._warnings.append(f"the change is saved, but merging the index's segment "
                                  f"files failed ({exc}); the next add merges them")

    @guarded
    def _write(self, docs: Sequence[PreparedDocument],
               remove: Sequence[tuple[str, npt.NDArray[np.int64]]]) -> None:
        self._in_flight = None
        try:
            with self._transaction():
                self._clean_unregistered()
                for doc_id, _ in remove:
                    row = self._db.execute("SELECT num FROM documents WHERE id = ?",
                                           (doc_id,)).fetchone()
                    if row is not None:
                        self._tombstone(row[0])
                self._insert(docs)
            self._seg_cache = None
            self._has_stories = self._has_stories or bool(docs)  # the write made the table
        except BaseException:
            if self._in_flight is not None:  # written but not registered: not needed
                self._in_flight.unlink(missing_ok=True)
            raise

    def _insert(self, docs: Sequence[PreparedDocument]) -> None:
        insert_documents(self, docs)

    @guarded
    def merge(self, count: int | None = None) -> None:
        """Merge the ``count`` smallest segments (all when None) into one (see
        :func:`checker.store.writing.merge_segments`)."""
        merge_segments(self, count)

    @guarded
    def compact(self) -> int:
        before = len(self._segments())
        self.merge(None)
        return before

    @guarded
    def remove(self, items: Sequence[tuple[str, npt.NDArray[np.int64]]]) -> None:
        self.write([], items)

    def close(self) -> None:
        self._seg_cache = None
        self._db.close()
