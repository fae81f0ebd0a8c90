"""The shared index's band partitions (checker/store/pgbands.py) on a real server:
a partition per batch, batches written in the background, partitions merged at
the end of an add in one pass, entries unchanged by merging."""

from __future__ import annotations

import psycopg
import pytest
from conftest import ARTICLES
from test_store_postgres import all_pairs, role_url

from checker.documents import Metadata
from checker.errors import IndexOpenError
from checker.ingest import prepare_batch
from checker.readers import read_path
from checker.sketch import SketchParams
from checker.store.base import PreparedDocument
from checker.store.pgadmin import init_db
from checker.store.pgbands import LOOSE_PARTITIONS, MAX_PARTITIONS
from checker.store.pgschema import partitions
from checker.store.postgres import PostgresStore


def prepared(params: SketchParams, limit: int = 16) -> list[PreparedDocument]:
    """The fixture articles, sketched with ``params``."""
    docs = [d for f in sorted(ARTICLES.iterdir()) for d in read_path(f, f.name).documents]
    return prepare_batch(docs[:limit], Metadata(), params)


def parts(url: str) -> list[str]:
    with psycopg.connect(url) as c:
        return partitions(c)


def test_batches_in_background_then_merged_at_the_end(pg_url: str) -> None:
    store = PostgresStore(pg_url, create_with=SketchParams())
    docs = prepared(store.params)
    assert len(docs) > MAX_PARTITIONS + 2
    try:
        for d in docs:  # one batch per document, as the batches of one add
            store.write([d], merge=False)
        store.flush()
        before = all_pairs(pg_url)
        assert len(parts(pg_url)) == min(len(docs), LOOSE_PARTITIONS)
        store.write([], merge=True)  # an add's (empty) last batch merges
    finally:
        store.close()
    names = parts(pg_url)
    assert len(names) == MAX_PARTITIONS
    assert all_pairs(pg_url) == before  # merging keeps every entry
    with psycopg.connect(pg_url) as c:
        (owners,) = c.execute("SELECT count(DISTINCT relowner) FROM pg_class WHERE relname"
                              " LIKE 'bands%'").fetchone() or (0,)
    assert owners == 1


def test_a_background_write_error_is_raised(pg_url: str) -> None:
    params = SketchParams()
    init_db(pg_url, params, "checker_reader", "checker_writer", "rd-pw-1", "wr-pw-2")
    store = PostgresStore(role_url(pg_url, "checker_reader", "rd-pw-1"))
    try:
        store.write(prepared(params, 2), merge=False)  # returns at once...
        with pytest.raises(IndexOpenError, match="may only read the index"):
            store.flush()  # ...and its error comes with the next call
    finally:
        store.close()
    assert parts(pg_url) == []


def test_the_writer_role_merges_a_superusers_partitions(pg_url: str) -> None:
    params = SketchParams()
    docs = prepared(params)
    store = PostgresStore(pg_url, create_with=params)
    try:
        for d in docs[:4]:
            store.write([d], merge=False)
    finally:
        store.close()
    init_db(pg_url, params, "checker_reader", "checker_writer", "rd-pw-1", "wr-pw-2")
    store = PostgresStore(pg_url)  # a superuser's partition after init-db
    try:
        store.write(docs[4:6], merge=False)
    finally:
        store.close()
    writer = PostgresStore(role_url(pg_url, "checker_writer", "wr-pw-2"))
    try:
        writer.write(docs[6:8])
    finally:
        writer.close()
    assert len(parts(pg_url)) == MAX_PARTITIONS
    assert len(all_pairs(pg_url)) == sum(len(set(d.keys.tolist())) for d in docs[:8])
