"""The embedded index: one SQLite database in WAL mode in a local directory.

Why SQLite: atomic batches (an interrupted ``index add`` leaves whole
documents only), readers that never block the writer (WAL), and a plain
file format with no pickle: nothing in an index can run code.

Layout: ``meta`` (parameters and versions, JSON), ``documents`` (one row per
article), ``texts`` (zlib-compressed text, for alignment), ``lsh`` (one row
per distinct band key per document, keyed by the band key).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import IndexOpenError
from .sketch import SketchParams
from .store import SCHEMA_VERSION, DocumentRecord, PreparedDocument, StoreStats

DB_NAME = "index.sqlite"
_COLUMNS = ("id", "key", "title", "publisher", "license", "notice", "holder", "years", "url",
            "date", "content_hash", "added", "words", "passages", "mask")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL, publisher TEXT NOT NULL, license TEXT NOT NULL,
    notice TEXT NOT NULL, holder TEXT NOT NULL, years TEXT NOT NULL,
    url TEXT NOT NULL, date TEXT NOT NULL,
    content_hash TEXT NOT NULL, added TEXT NOT NULL,
    words INTEGER NOT NULL, passages INTEGER NOT NULL, mask TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS texts (num INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS lsh (
    key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)
) WITHOUT ROWID;
"""


def _versions() -> dict[str, str]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {"checker": version("checker"), "datasketch": version("datasketch")}


class SQLiteStore:
    """A :class:`~checker.store.Store` in ``DIR/index.sqlite``.

    Args:
        directory: the index directory.
        create_with: parameters for a new index; None to require an existing one.
    """

    def __init__(self, directory: Path, create_with: SketchParams | None = None) -> None:
        self.directory = directory
        self.location = str(directory)
        db = directory / DB_NAME
        if not db.exists():
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
        self.params = self._check(info, create_with)

    # -- opening -------------------------------------------------------------

    def _read_meta(self) -> dict[str, Any] | None:
        tables = {r[0] for r in self._db.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            return None
        rows = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if "schema_version" not in rows:
            return None
        return {k: json.loads(v) for k, v in rows.items()}

    def _create(self, params: SketchParams) -> None:
        with self._transaction():
            for stmt in _SCHEMA.split(";"):
                if stmt.strip():
                    self._db.execute(stmt)
            meta = {"schema_version": SCHEMA_VERSION, "params": params.to_dict(),
                    "created_with": _versions()}
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                 [(k, json.dumps(v)) for k, v in meta.items()])

    def _check(self, info: dict[str, Any], wanted: SketchParams | None) -> SketchParams:
        version = info.get("schema_version")
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise IndexOpenError(
                f"{self.directory}: index schema {version} is newer than this checker "
                f"supports ({SCHEMA_VERSION}); upgrade checker or rebuild the index"
            )
        try:
            params = SketchParams.from_dict(info["params"])
        except (TypeError, KeyError) as exc:
            raise IndexOpenError(f"{self.directory}: unreadable index parameters ({exc}); "
                                 "rebuild the index") from None
        if params.scheme != SketchParams().scheme:
            raise IndexOpenError(
                f"{self.directory}: index sketches use scheme {params.scheme!r}, this checker "
                f"uses {SketchParams().scheme!r}; rebuild the index with this version"
            )
        if wanted is not None and wanted != params:
            diff = {k: v for k, v in wanted.to_dict().items() if params.to_dict()[k] != v}
            raise IndexOpenError(
                f"{self.directory}: index was built with other sketch parameters "
                f"(asked {diff}, index has {params.to_dict()}); use a new --index directory"
            )
        return params

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
                out[doc_id] = zlib.decompress(body).decode("utf-8")
        return out

    def _query_keys(self, keys: npt.NDArray[np.int64], sql: str) -> list[tuple[Any, ...]]:
        unique = np.unique(keys)
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS q (key INTEGER PRIMARY KEY)")
        self._db.execute("DELETE FROM q")
        self._db.executemany("INSERT INTO q VALUES (?)", ((int(k),) for k in unique))
        rows = self._db.execute(sql).fetchall()
        self._db.execute("DELETE FROM q")
        return rows

    def lookup_pairs(self, keys: npt.NDArray[np.int64]) -> list[tuple[int, str]]:
        """Every ``(key, document id)`` pair for the given keys."""
        return [(int(k), str(d)) for k, d in self._query_keys(
            keys, "SELECT l.key, d.id FROM q JOIN lsh l ON l.key = q.key "
                  "JOIN documents d ON d.num = l.doc")]

    def key_document_counts(self, keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        rows = dict(self._query_keys(
            keys, "SELECT q.key, count(l.doc) FROM q JOIN lsh l ON l.key = q.key GROUP BY q.key"))
        return np.array([rows.get(int(k), 0) for k in keys], dtype=np.int64)

    def frequent_keys(self, min_documents: int) -> npt.NDArray[np.int64]:
        """LSH keys that stand in at least ``min_documents`` documents."""
        rows = self._db.execute(
            "SELECT key FROM lsh GROUP BY key HAVING count(*) >= ?", (min_documents,))
        return np.array([r[0] for r in rows], dtype=np.int64)

    def stats(self) -> StoreStats:
        docs, passages, words = self._db.execute(
            "SELECT count(*), coalesce(sum(passages), 0), coalesce(sum(words), 0) FROM documents"
        ).fetchone()
        (entries,) = self._db.execute("SELECT count(*) FROM lsh").fetchone()
        size = sum(f.stat().st_size for f in self.directory.iterdir() if f.is_file())
        return StoreStats(int(docs), int(passages), int(words), int(entries), size)

    def info(self) -> dict[str, Any]:
        return dict(self._info)

    # -- writing -------------------------------------------------------------

    def _delete(self, doc_id: str, keys: npt.NDArray[np.int64]) -> None:
        row = self._db.execute("SELECT num FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return
        num = row[0]
        self._db.executemany("DELETE FROM lsh WHERE key = ? AND doc = ?",
                             ((int(k), num) for k in np.unique(keys)))
        self._db.execute("DELETE FROM texts WHERE num = ?", (num,))
        self._db.execute("DELETE FROM documents WHERE num = ?", (num,))

    def write(self, docs: Sequence[PreparedDocument],
              remove: Sequence[tuple[str, npt.NDArray[np.int64]]] = ()) -> None:
        """Atomically remove ``(id, keys)`` documents and add ``docs``."""
        with self._transaction():
            for doc_id, keys in remove:
                self._delete(doc_id, keys)
            for doc in docs:
                r = doc.record
                values = [getattr(r, c) for c in _COLUMNS]
                values[_COLUMNS.index("mask")] = json.dumps([list(s) for s in r.mask])
                cur = self._db.execute(
                    f"INSERT INTO documents ({', '.join(_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(_COLUMNS))})", values)
                num = cur.lastrowid
                self._db.execute("INSERT INTO texts VALUES (?, ?)",
                                 (num, zlib.compress(doc.text.encode("utf-8"), 6)))
                self._db.executemany("INSERT OR IGNORE INTO lsh VALUES (?, ?)",
                                     ((int(k), num) for k in np.unique(doc.keys)))

    def remove(self, items: Sequence[tuple[str, npt.NDArray[np.int64]]]) -> None:
        self.write([], items)

    def close(self) -> None:
        self._db.close()
