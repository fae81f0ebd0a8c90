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
is deleted by the next writer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import IndexOpenError
from ..sketch import SketchParams
from ..textcodec import TextCodec
from .base import DocumentRecord, PreparedDocument, StoreStats
from .batchkeys import distinct_entries
from .schema import PAGE_SIZE, check_meta, create_tables, read_meta
from .segments import (
    Segment,
    build_sections,
    count,
    first_per_owner,
    frequent,
    layout_json,
    lookup,
    merge_plan,
    remove_unregistered,
    segment_name,
    write_segment,
)

DB_NAME = "index.sqlite"
_COLUMNS = ("id", "key", "title", "publisher", "license", "notice", "holder", "years", "url",
            "date", "content_hash", "added", "words", "passages", "mask")
LSH_DIR = "lsh"
# Merge when an add leaves more segments than this (each costs a search per band).
MAX_SEGMENTS = 6


class SQLiteStore:
    """A :class:`~checker.store.Store` in ``DIR/index.sqlite``.

    Args:
        directory: the index directory.
        create_with: parameters for a new index; None to require an existing one.
    """

    def __init__(self, directory: Path, create_with: SketchParams | None = None,
                 require: SketchParams | None = None) -> None:
        self.directory = directory
        self.location = str(directory)
        db = directory / DB_NAME
        new = not db.exists()
        if new:
            if create_with is None:
                raise IndexOpenError(
                    f"{directory}: no index here; build one with "
                    f"'checker index add ARTICLES --index {directory}'"
                )
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IndexOpenError(f"{directory}: cannot create the index directory "
                                     f"({exc.strerror})") from None
        try:
            self._db = sqlite3.connect(db, timeout=60, isolation_level=None,
                                       check_same_thread=False)
            if new:  # before WAL: the page size of a WAL database is fixed
                self._db.execute(f"PRAGMA page_size={PAGE_SIZE}")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            info = self._read_meta()
            if info is None:
                if create_with is None:
                    raise IndexOpenError(f"{directory}: the index is empty or unfinished; "
                                         "rebuild it with 'checker index add'")
                self._create(create_with)
                info = self._read_meta()
                assert info is not None
        except sqlite3.DatabaseError as exc:
            raise IndexOpenError(
                f"{directory}: the index is corrupt or not a checker index ({exc}); "
                "move it away and rebuild it with 'checker index add'"
            ) from None
        self._info = info
        self.params = self._check(info, require)
        self._seg_cache: list[Segment] | None = None
        self._seg_version = -1
        self._dead = np.empty(0, dtype=np.uint32)
        self._in_flight: Path | None = None
        self._codec = TextCodec()

    # -- opening -------------------------------------------------------------

    def _read_meta(self) -> dict[str, Any] | None:
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
        values = dict(zip(_COLUMNS, row, strict=True))
        values["mask"] = tuple(tuple(span) for span in json.loads(values["mask"]))
        return DocumentRecord(**values)

    def get(self, ref: str) -> DocumentRecord | None:
        row = self._db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM documents WHERE id = ? OR key = ?", (ref, ref)
        ).fetchone()
        return self._record(row) if row else None

    def documents(self) -> list[DocumentRecord]:
        rows = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM documents ORDER BY key")
        return [self._record(r) for r in rows]

    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT d.id, t.body FROM documents d JOIN texts t ON t.num = d.num "
                f"WHERE d.id IN ({marks})", chunk)
            for doc_id, body in rows:
                out[doc_id] = self._codec.read(self._db, body).decode("utf-8")
        return out

    # -- LSH segments ----------------------------------------------------------

    def _segments(self) -> list[Segment]:
        """The registered segments, memory-mapped; reloaded when another
        connection committed (``PRAGMA data_version``) or this one wrote."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if self._seg_cache is not None and self._seg_version == version:
            return self._seg_cache
        for _ in range(5):
            rows = self._db.execute("SELECT id, file, layout FROM segments ORDER BY id").fetchall()
            dead = [r[0] for r in self._db.execute("SELECT num FROM tombstones ORDER BY num")]
            old = {seg.id: seg for seg in self._seg_cache or []}
            try:
                segs = [old.get(i) or Segment(i, self.directory / LSH_DIR / f, json.loads(lay))
                        for i, f, lay in rows]
            except FileNotFoundError:
                continue  # merged away by a writer between the two reads: read again
            self._seg_cache, self._seg_version = segs, version
            self._dead = np.array(dead, dtype=np.uint32)
            return segs
        raise IndexOpenError(f"{self.directory}: an LSH segment file is missing; "
                             "rebuild the index with 'checker index add'")

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
        out: dict[int, str] = {}
        unique = np.unique(nums).tolist()
        for i in range(0, len(unique), 900):
            chunk = unique[i : i + 900]
            out.update(self._db.execute(
                f"SELECT num, id FROM documents WHERE num IN ({','.join('?' * len(chunk))})",
                chunk).fetchall())
        return out

    def lookup_pairs(self, keys: npt.NDArray[np.int64],
                     limit: int | None = None) -> list[tuple[int, str]]:
        """Every ``(key, document id)`` pair for the given keys (see :class:`Store`)."""
        keys = np.unique(keys)
        owner, docs = self._entries(keys, limit)
        if limit is not None:
            owner, docs = first_per_owner(owner, docs, limit)
        ids = self._ids(docs)
        return [(k, ids[d]) for k, d in zip(keys[owner].tolist(), docs.tolist(), strict=True)
                if d in ids]

    def key_document_counts(self, keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        keys = np.asarray(keys, dtype=np.int64)
        segs = self._segments()  # (re)loads the tombstones too
        if not len(self._dead):
            return count(segs, keys)  # range sizes: no document number is read
        owner, _ = self._entries(keys)
        return np.bincount(owner, minlength=len(keys)).astype(np.int64)

    def frequent_keys(self, min_documents: int) -> npt.NDArray[np.int64]:
        """LSH keys that stand in at least ``min_documents`` documents."""
        return frequent(self._segments(), self.params.bands, self._dead, min_documents)

    def stats(self) -> StoreStats:
        docs, passages, words = self._db.execute(
            "SELECT count(*), coalesce(sum(passages), 0), coalesce(sum(words), 0) FROM documents"
        ).fetchone()
        (entries,) = self._db.execute(
            "SELECT (SELECT coalesce(sum(entries), 0) FROM segments)"
            " - (SELECT coalesce(sum(entries), 0) FROM tombstones)").fetchone()
        files = [f for f in self.directory.iterdir() if f.is_file()]
        lsh = self.directory / LSH_DIR
        files += [f for f in lsh.iterdir() if f.is_file()] if lsh.is_dir() else []
        size = sum(f.stat().st_size for f in files)
        return StoreStats(int(docs), int(passages), int(words), int(entries), size)

    def info(self) -> dict[str, Any]:
        return dict(self._info)

    # -- writing -------------------------------------------------------------

    def _tombstone(self, num: int) -> None:
        self._db.execute("INSERT OR IGNORE INTO tombstones SELECT num, entries FROM documents "
                         "WHERE num = ?", (num,))
        self._db.execute("DELETE FROM texts WHERE num = ?", (num,))
        self._db.execute("DELETE FROM documents WHERE num = ?", (num,))

    def _new_segment_path(self) -> tuple[str, Path]:
        name = segment_name()
        (self.directory / LSH_DIR).mkdir(exist_ok=True)
        return name, self.directory / LSH_DIR / name

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
        to its end, so each entry is merged once rather than at every batch."""
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
        except BaseException:
            if self._in_flight is not None:  # written but not registered: not needed
                self._in_flight.unlink(missing_ok=True)
            raise
        if merge and len(self._segments()) > MAX_SEGMENTS:
            self.merge(len(self._segments()) - MAX_SEGMENTS + 1)

    def _insert(self, docs: Sequence[PreparedDocument]) -> None:
        if not docs:
            return
        refs = [d.record.key for d in docs]  # ids derive from keys
        for i in range(0, len(refs), 900):
            chunk = refs[i : i + 900]
            for (num,) in self._db.execute(
                    f"SELECT num FROM documents WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk).fetchall():
                self._tombstone(num)
        (first,) = self._db.execute(
            "SELECT max(coalesce((SELECT max(num) FROM documents), 0),"
            " coalesce((SELECT max(num) FROM tombstones), 0),"
            " coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_num'), 0))"
            " + 1").fetchone()
        nums = list(range(int(first), int(first) + len(docs)))
        # Distinct keys per document for the whole batch at once, with one sort
        # (np.unique per document costs more than sketching).
        flat, owners, counts = distinct_entries([d.keys for d in docs])
        rows = []
        for num, d, n in zip(nums, docs, counts, strict=True):
            r = d.record
            values = [num, *(getattr(r, c) for c in _COLUMNS), n]
            values[1 + _COLUMNS.index("mask")] = json.dumps([list(s) for s in r.mask])
            rows.append(values)
        raw = [d.text.encode("utf-8") for d in docs]
        self._codec.choose(self._db, raw)
        texts = list(zip(nums, self._codec.compress(raw), strict=True))
        self._db.executemany(
            f"INSERT INTO documents (num, {', '.join(_COLUMNS)}, entries) "
            f"VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})", rows)
        self._db.executemany("INSERT INTO texts VALUES (?, ?)", texts)
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('last_num', ?)", (nums[-1],))
        if not len(flat):
            return
        owners += np.uint32(nums[0])  # nums are consecutive
        sections, layout = build_sections(flat, owners, self.params.bands)
        name, path = self._new_segment_path()
        self._in_flight = path
        write_segment(path, sum(len(x) for x in sections), sections)
        self._register(name, len(flat), layout)

    def merge(self, count: int | None = None) -> None:
        """Merge the ``count`` smallest segments (all when None) into one;
        merging all also forgets the tombstones, whose entries are then gone."""
        with self._transaction():
            self._seg_cache = None
            segs = self._segments()
            if len(segs) < 2 and not (count is None and len(self._dead)):
                return
            chosen = sorted(segs, key=lambda g: g.entries)[: count or len(segs)]
            everything = len(chosen) == len(segs)
            total, layout, sections = merge_plan(chosen, self.params.bands, self._dead)
            name, path = self._new_segment_path()
            try:
                write_segment(path, total, sections)
                self._db.executemany("DELETE FROM segments WHERE id = ?",
                                     [(g.id,) for g in chosen])
                self._register(name, sum(x["n"] for x in layout), layout)
                if everything:
                    self._db.execute("DELETE FROM tombstones")
            except BaseException:
                path.unlink(missing_ok=True)
                raise
        self._seg_cache = None
        for g in chosen:  # readers that mapped them keep their mapping
            g.path.unlink(missing_ok=True)

    def compact(self) -> None:
        self.merge(None)

    def remove(self, items: Sequence[tuple[str, npt.NDArray[np.int64]]]) -> None:
        self.write([], items)

    def close(self) -> None:
        self._seg_cache = None
        self._db.close()
