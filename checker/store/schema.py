"""The SQLite side of an index's format: its tables, its ``meta`` row (schema
version, sketch parameters, versions that created it) and the checks that refuse
an index this checker cannot read, each with a message that says what to do.
"""

from __future__ import annotations

import json
import sqlite3
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import ConfigError, IndexCorruptError, IndexOpenError
from ..sketch import SketchParams
from .base import SCHEMA_VERSION
from .safety import corrupt

# Each document's story sketch (checker.storysketch). An index made before sketches
# were stored lacks the table until its next write creates it; its scans compute the
# sketches they miss from the texts.
STORIES = "CREATE TABLE IF NOT EXISTS stories (num INTEGER PRIMARY KEY, sketch BLOB NOT NULL)"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL, publisher TEXT NOT NULL, license TEXT NOT NULL,
    notice TEXT NOT NULL, holder TEXT NOT NULL, years TEXT NOT NULL,
    url TEXT NOT NULL, date TEXT NOT NULL,
    content_hash TEXT NOT NULL, added TEXT NOT NULL,
    words INTEGER NOT NULL, passages INTEGER NOT NULL, mask TEXT NOT NULL,
    entries INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS texts (
    num INTEGER PRIMARY KEY, body BLOB NOT NULL, size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file TEXT NOT NULL, entries INTEGER NOT NULL, layout TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tombstones (num INTEGER PRIMARY KEY, entries INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dictionaries (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
""" + STORIES + ";\n"
# Texts of ~1.3 KB compressed: 4 KB pages hold two and leave a third of each page empty.
PAGE_SIZE = 16384
# Sane ranges of the sketch parameters an index may state (a crafted num_perm=2e9
# would allocate gigabytes per passage): well beyond any useful setting.
PARAM_RANGES: dict[str, tuple[int, int]] = {
    "num_perm": (2, 1024), "seed": (0, 2**32 - 1), "shingle_words": (1, 16),
    "passage_words": (1, 1024), "passage_stride": (1, 1024), "query_stride": (1, 1024),
    "bands": (1, 512), "rows": (1, 1024),
}
_EXPECTED: set[tuple[str, str, str, str | None]] | None = None


def versions() -> dict[str, str]:
    """Versions of checker and datasketch, recorded in a new index."""

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "unknown"

    return {"checker": version("checker"), "datasketch": version("datasketch")}


def expected_objects() -> set[tuple[str, str, str, str | None]]:
    """``(type, name, tbl_name, sql)`` of every schema object a new index has."""
    global _EXPECTED
    if _EXPECTED is None:
        db = sqlite3.connect(":memory:")
        create_tables(db, SketchParams())
        _EXPECTED = set(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        db.close()
    return _EXPECTED


def check_schema(directory: Path, db: sqlite3.Connection) -> bool:
    """True when the database holds this checker's tables exactly as created, False
    when it holds nothing yet; refuses anything else (a view or trigger in place of
    or beside a table could run any query, e.g. a recursive one that never ends)."""
    found = set(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    if not found:
        return False
    # An index made before sketches were stored has every table but ``stories``.
    if found != expected_objects() and found != {o for o in expected_objects()
                                                 if o[1] != "stories"}:
        odd = sorted(f"{t} {n}" for t, n, _, _ in found - expected_objects())
        missing = sorted(f"{t} {n}" for t, n, _, _ in expected_objects() - found)
        what = "; ".join(x for x in (f"unexpected: {', '.join(odd[:4])}" if odd else "",
                                     f"missing: {', '.join(missing[:4])}" if missing else "")
                         if x)
        # Not repairable: a view or trigger could run anything; only a rebuild is safe.
        raise IndexCorruptError(f"{directory}: corrupt index: its tables are not the ones "
                                f"checker creates ({what}); move it away and rebuild it with "
                                "'checker index add'")
    return True


def read_meta(db: sqlite3.Connection) -> dict[str, Any] | None:
    """The ``meta`` table as a dict, or None for an empty or unfinished index
    (call :func:`check_schema` first)."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "meta" not in tables:
        return None
    rows = dict(db.execute("SELECT key, value FROM meta").fetchall())
    if "schema_version" not in rows:
        return None
    return {k: json.loads(v) for k, v in rows.items()}


def create_tables(db: sqlite3.Connection, params: SketchParams) -> None:
    """Create the tables and the ``meta`` row (inside the caller's transaction)."""
    for stmt in SCHEMA.split(";"):
        if stmt.strip():
            db.execute(stmt)
    meta = {"schema_version": SCHEMA_VERSION, "params": params.to_dict(),
            "created_with": versions()}
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                   [(k, json.dumps(v)) for k, v in meta.items()])


def check_meta(directory: Path, info: dict[str, Any], wanted: SketchParams | None
               ) -> SketchParams:
    """The index's sketch parameters, or :class:`IndexOpenError` when this checker
    cannot use it (another schema or scheme, or not the ``wanted`` parameters)."""
    version = info.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise IndexOpenError(
            f"{directory}: index schema {version} is newer than this checker "
            f"supports ({SCHEMA_VERSION}); upgrade checker or rebuild the index"
        )
    if version < SCHEMA_VERSION:
        raise IndexOpenError(
            f"{directory}: index schema {version} is older than this checker's "
            f"({SCHEMA_VERSION}); move it away and rebuild it with 'checker index add'"
        )
    params = read_params(directory, info.get("params"))
    created = info.get("created_with", {})
    if not isinstance(created, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in created.items()):
        raise corrupt(directory, "its 'created_with' versions are not names and versions")
    if params.scheme != SketchParams().scheme:
        raise IndexOpenError(
            f"{directory}: index sketches use scheme {params.scheme!r}, this checker "
            f"uses {SketchParams().scheme!r}; rebuild the index with this version"
        )
    if wanted is not None and wanted != params:
        diff = {k: v for k, v in wanted.to_dict().items() if params.to_dict()[k] != v}
        raise IndexOpenError(
            f"{directory}: index was built with other sketch parameters "
            f"(asked {diff}, index has {params.to_dict()}); use a new --index directory"
        )
    return params


def read_params(directory: Path, data: Any) -> SketchParams:
    """Sketch parameters as stored in an index, checked for type and range."""
    fields = set(SketchParams().to_dict())
    if not isinstance(data, dict) or set(data) != fields:
        raise IndexOpenError(f"{directory}: unreadable index parameters (expected the "
                             f"fields {sorted(fields)}); rebuild the index")
    for name, (low, high) in PARAM_RANGES.items():
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise IndexOpenError(f"{directory}: unreadable index parameters ({name} = "
                                 f"{str(value)[:40]!r}, not a whole number from {low} to "
                                 f"{high}); rebuild the index")
    if not isinstance(data["scheme"], str):
        raise IndexOpenError(f"{directory}: unreadable index parameters (scheme is not a "
                             "text); rebuild the index")
    try:
        return SketchParams.from_dict(data)
    except ConfigError as exc:
        raise IndexOpenError(f"{directory}: unreadable index parameters ({exc}); "
                             "rebuild the index") from None
