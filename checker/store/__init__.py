"""Storage of an index: the interface and its backends.

The core talks to storage only through :class:`~checker.store.base.Store` and
the records re-exported here. Backends live beside it:

- :mod:`checker.store.sqlite`: the embedded index (a directory: SQLite + LSH segments),
  with its table layout in :mod:`checker.store.schema` and its memory-mapped band-key
  segments in :mod:`checker.store.segments`.
"""

from __future__ import annotations

from .base import SCHEMA_VERSION, DocumentRecord, PreparedDocument, Store, StoreStats

__all__ = ["SCHEMA_VERSION", "DocumentRecord", "PreparedDocument", "Store", "StoreStats"]
