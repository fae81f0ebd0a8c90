"""The PostgreSQL side of a shared index's format: its tables (in the schema
``checker``), its ``meta`` rows (schema version, sketch parameters, versions
that created it), the two roles scanners and ingesters use, and the checks that
refuse a database this checker cannot use, each with a message that says what
to do.

Tables:

- ``documents``: one row per article (``num`` from a sequence, never reused);
- ``texts``: the article text as a zstd frame (:mod:`checker.textcodec`);
- ``dictionaries``: the zstd dictionary trained on the index's first big batch;
- ``stories``: each article's story sketch (:mod:`checker.storysketch`), read by scans
  instead of its text to tell copies of a story from different stories;
- ``segments`` and ``blocks``: the LSH band entries (the same 64-bit keys as
  the embedded index's segments), packed: each write batch is a segment, its
  entries sorted by key and cut into rows of 64 distinct keys, found by one
  probe per key and segment of an index that carries 16-bit fingerprints of the
  keys (:mod:`checker.store.pgblocks`). Why not a row per entry (schema 2): the
  server's CPU per entry, one core's worth for a whole ingest, and ~65 bytes per
  entry. A removed or replaced document's entries are cut out of their blocks
  in the same transaction (found through its keys, computed again from its
  stored text);
- ``bands``: a view of every ``(key, doc)`` entry, one row each, for audits
  and operators (slow: it unpacks every block);
- ``ingest_log``: append-only record of who added or removed what, and when
  (the writer role may only insert into it).

Every statement here is constant text, or identifiers and literals quoted by
:mod:`psycopg.sql`: no SQL is built by formatting user data into it.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from ..errors import IndexOpenError
from ..sketch import SketchParams
from .schema import versions

# 2: band entries range-partitioned by document (a partition per write batch),
# not hash-partitioned on the key. 3: band entries packed in blocks.
PG_SCHEMA_VERSION = 3
READER_ROLE = "checker_reader"
WRITER_ROLE = "checker_writer"

# Each document's story sketch (checker.storysketch). A database made before they were
# stored lacks the table until 'index init-db' runs again (add_missing); meanwhile scans
# compute the sketches from the texts.
STORIES = ("CREATE TABLE IF NOT EXISTS checker.stories (num integer PRIMARY KEY,"
           " sketch bytea NOT NULL)")
TABLES = [
    "CREATE SCHEMA IF NOT EXISTS checker",
    "CREATE TABLE IF NOT EXISTS checker.meta (key text PRIMARY KEY, value jsonb NOT NULL)",
    "CREATE SEQUENCE IF NOT EXISTS checker.document_num AS integer",
    """CREATE TABLE IF NOT EXISTS checker.documents (
        num integer PRIMARY KEY,
        id text NOT NULL UNIQUE,
        key text NOT NULL UNIQUE,
        title text NOT NULL, publisher text NOT NULL, license text NOT NULL,
        notice text NOT NULL, holder text NOT NULL, years text NOT NULL,
        url text NOT NULL, date text NOT NULL,
        content_hash text NOT NULL, added text NOT NULL,
        words integer NOT NULL, passages integer NOT NULL, mask text NOT NULL,
        entries integer NOT NULL)""",
    # size: the text's UTF-8 length, stated at write time, so that a frame is never
    # decompressed past it (a crafted row cannot ask for gigabytes).
    "CREATE TABLE IF NOT EXISTS checker.texts (num integer PRIMARY KEY, body bytea NOT NULL,"
    " size integer NOT NULL)",
    "CREATE TABLE IF NOT EXISTS checker.dictionaries (id bigint PRIMARY KEY, data bytea NOT NULL)",
    STORIES,
    "CREATE TABLE IF NOT EXISTS checker.segments (first integer PRIMARY KEY,"
    " stop integer NOT NULL, entries bigint NOT NULL)",
    # A partition per segment (checker.store.pgblocks).
    "CREATE TABLE IF NOT EXISTS checker.blocks (seg integer NOT NULL, last bigint NOT NULL,"
    " fp bytea NOT NULL, keys bytea NOT NULL, counts bytea NOT NULL, docs bytea NOT NULL)"
    " PARTITION BY RANGE (seg)",
    # A probe reads this index alone (its pages are all-visible: COPY FREEZE).
    "CREATE UNIQUE INDEX IF NOT EXISTS blocks_probe ON checker.blocks (seg, last) INCLUDE (fp)",
    """CREATE OR REPLACE VIEW checker.bands AS
    SELECT e.key, ('x' || encode(substring(b.docs FROM 4 * g.i + 1 FOR 4), 'hex'))::bit(32)::int
        AS doc
    FROM checker.blocks b
    CROSS JOIN LATERAL (
        SELECT k.key, k.c, (sum(k.c) OVER (ORDER BY k.j) - k.c)::int AS start
        FROM (SELECT j,
                ('x' || encode(substring(b.keys FROM 8 * j + 1 FOR 8), 'hex'))::bit(64)::bigint
                    AS key,
                ('x' || encode(substring(b.counts FROM 4 * j + 1 FOR 4), 'hex'))::bit(32)::int
                    AS c
              FROM generate_series(0, octet_length(b.keys) / 8 - 1) AS j) k) e
    CROSS JOIN LATERAL generate_series(e.start, e.start + e.c - 1) AS g(i)""",
    """CREATE TABLE IF NOT EXISTS checker.ingest_log (
        seq bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        role text NOT NULL DEFAULT current_user,
        client text DEFAULT host(inet_client_addr()),
        action text NOT NULL,
        documents integer NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}')""",
]


def create_schema(conn: psycopg.Connection[Any], params: SketchParams) -> None:
    """Create the tables and the ``meta`` rows (in the caller's transaction)."""
    for stmt in TABLES:
        conn.execute(stmt)
    meta = {"schema_version": PG_SCHEMA_VERSION, "params": params.to_dict(),
            "created_with": versions()}
    for k, v in meta.items():
        conn.execute("INSERT INTO checker.meta VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                     (k, Jsonb(v)))


def add_missing(conn: psycopg.Connection[Any]) -> None:
    """Create the tables added since this schema version was made (the same version:
    each is optional to its readers and writers)."""
    conn.execute(STORIES)


def read_meta(conn: psycopg.Connection[Any]) -> dict[str, Any] | None:
    """The ``meta`` rows, or None when the database has no checker schema."""
    (exists,) = conn.execute("SELECT to_regclass('checker.meta') IS NOT NULL").fetchone() or (0,)
    if not exists:
        return None
    rows = dict(conn.execute("SELECT key, value FROM checker.meta").fetchall())
    return rows if "schema_version" in rows else None


def check_meta(where: str, info: dict[str, Any], wanted: SketchParams | None) -> SketchParams:
    """The server index's sketch parameters, or :class:`IndexOpenError` when this
    checker cannot use it (a newer or older schema, another scheme, or not the
    ``wanted`` parameters)."""
    version = info.get("schema_version")
    if not isinstance(version, int) or version > PG_SCHEMA_VERSION:
        raise IndexOpenError(f"{where}: server index schema {version} is newer than this "
                             f"checker supports ({PG_SCHEMA_VERSION}); upgrade checker")
    if version < PG_SCHEMA_VERSION:
        raise IndexOpenError(f"{where}: server index schema {version} is older than this "
                             f"checker's ({PG_SCHEMA_VERSION}); create a new database with "
                             "'checker index init-db' and push the articles again")
    try:
        params = SketchParams.from_dict(info["params"])
    except (TypeError, KeyError) as exc:
        raise IndexOpenError(f"{where}: unreadable index parameters ({exc}); "
                             "re-create the index with 'checker index init-db'") from None
    if params.scheme != SketchParams().scheme:
        raise IndexOpenError(f"{where}: index sketches use scheme {params.scheme!r}, this "
                             f"checker uses {SketchParams().scheme!r}; rebuild the index")
    if wanted is not None and wanted != params:
        diff = {k: v for k, v in wanted.to_dict().items() if params.to_dict()[k] != v}
        raise IndexOpenError(f"{where}: index was built with other sketch parameters "
                             f"(asked {diff}, index has {params.to_dict()}); "
                             "use another database")
    return params


def create_roles(conn: psycopg.Connection[Any], reader: str, writer: str,
                 reader_password: str | None, writer_password: str | None) -> None:
    """Create (or update) the reader role (SELECT only: scans) and the writer role
    (adds and removes articles; may only append to ``ingest_log``), and grant them
    the schema. Run as the database's owner or a superuser."""
    for role, password in ((reader, reader_password), (writer, writer_password)):
        ident = sql.Identifier(role)
        (exists,) = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                                 (role,)).fetchone() or (0,)
        verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
        if password is None:
            conn.execute(sql.SQL("{} ROLE {} LOGIN").format(verb, ident))
        else:
            conn.execute(sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
                verb, ident, sql.Literal(password)))
    (db, superuser) = conn.execute(
        "SELECT current_database(), rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone() or ("", False)
    r, w = sql.Identifier(reader), sql.Identifier(writer)
    if not superuser:  # to hand the band table to the writer (ALTER ... OWNER)
        conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(w))
    grants = [
        "GRANT CONNECT ON DATABASE {db} TO {r}, {w}",
        "GRANT USAGE ON SCHEMA checker TO {r}, {w}",
        "GRANT SELECT ON ALL TABLES IN SCHEMA checker TO {r}, {w}",
        "REVOKE ALL ON checker.ingest_log FROM PUBLIC",
        "GRANT INSERT, UPDATE, DELETE ON checker.documents, checker.texts, checker.segments,"
        " checker.blocks, checker.dictionaries, checker.stories TO {w}",
        "GRANT INSERT ON checker.ingest_log TO {w}",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA checker TO {w}",
        # The writer creates, attaches and merges the segments' tables: it owns them.
        "GRANT CREATE ON SCHEMA checker TO {w}",
        "ALTER TABLE checker.blocks OWNER TO {w}",
    ]
    for g in grants:
        conn.execute(sql.SQL(g).format(db=sql.Identifier(db), r=r, w=w))
    for (name,) in conn.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'checker.blocks'::regclass").fetchall():
        conn.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(
            sql.Identifier("checker", name), w))
