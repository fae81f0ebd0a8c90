"""Administration of a server index: create its schema and roles (``index
init-db``), and copy an embedded index to it (``index push``), a team's first move
to a shared index.

Push: the documents, their rights and their stored text are read from the local index;
their band keys are computed again from the stored text and mask with the same
batch sketcher ingest uses (:func:`checker.fastsketch.batch_keys`), so the server
holds the very keys the local index holds. Batches of whole documents are
committed one by one; a document already on the server with the same content
hash is skipped, so an interrupted push is resumed by running it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg

from ..errors import IndexOpenError
from ..fastsketch import batch_keys
from ..sketch import SketchParams
from .base import PreparedDocument
from .location import server_name
from .pgconnect import connection_string, server_error
from .pgschema import add_missing, check_meta, create_roles, create_schema, read_meta
from .postgres import WRITE_LOCK, PostgresStore
from .sqlite import DB_NAME, SQLiteStore

PUSH_BATCH = 1000


@dataclass
class PushSummary:
    copied: int = 0
    already: int = 0
    total: int = 0


def push(local: Path, server: str, batch: int = PUSH_BATCH,
         progress: Callable[[int, int], None] | None = None) -> PushSummary:
    """Copy the embedded index in ``local`` to the server index at ``server`` (created
    with the local index's parameters when absent; refused when they differ)."""
    if not (local / DB_NAME).is_file():
        raise IndexOpenError(f"{local}: no index here; give the directory of an embedded "
                             "index (built with 'checker index add')")
    src = SQLiteStore(local)
    try:
        dst = PostgresStore(server, create_with=src.params, require=src.params)
        try:
            return _copy(src, dst, batch, progress)
        finally:
            dst.close()
    finally:
        src.close()


def _copy(src: SQLiteStore, dst: PostgresStore, batch: int,
          progress: Callable[[int, int], None] | None) -> PushSummary:
    have = {r.id: r.content_hash for r in dst.documents()}
    records = src.documents()
    todo = [r for r in records if have.get(r.id) != r.content_hash]
    summary = PushSummary(already=len(records) - len(todo), total=len(records))
    for i in range(0, len(todo), batch):
        chunk = todo[i : i + batch]
        texts = src.texts([r.id for r in chunk])
        chunk = [r for r in chunk if r.id in texts]
        keys, _ = batch_keys([texts[r.id] for r in chunk], [r.mask for r in chunk], dst.params)
        docs = [PreparedDocument(record=replace(r), text=texts[r.id], keys=k.ravel())
                for r, k in zip(chunk, keys, strict=True)]
        dst.write(docs, merge=False)
        summary.copied += len(docs)
        if progress:
            progress(summary.copied + summary.already, summary.total)
    dst.write([], merge=True)  # waits for the last batch; merges partitions as an add's end
    return summary


def init_db(location: str, params: SketchParams, reader: str, writer: str,
            reader_password: str | None, writer_password: str | None) -> str:
    """Create the schema (when absent) and the reader and writer roles, granted
    what each needs, in one transaction; run as the database owner or a superuser.
    Returns a line saying what was done."""
    try:
        with psycopg.connect(connection_string(location), autocommit=True) as conn, \
                conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            info = read_meta(conn)
            if info is None:
                create_schema(conn, params)
            else:
                check_meta(server_name(location), info, None)
                add_missing(conn)
            create_roles(conn, reader, writer, reader_password, writer_password)
    except psycopg.errors.InsufficientPrivilege:
        raise IndexOpenError(f"{server_name(location)}: init-db needs the database owner with "
                             "the CREATEROLE privilege (or a superuser); run it as that role"
                             ) from None
    except psycopg.Error as exc:
        raise server_error(location, exc, writing=True) from None
    state = "created" if info is None else "already there, kept"
    return (f"{server_name(location)}: schema 'checker' {state}; roles {reader} (read) "
            f"and {writer} (write) granted")
