"""The embedded SQLite store (checker.store.sqlite)."""

from __future__ import annotations

import dataclasses
import errno
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import article, doc

from checker import textcodec
from checker.documents import Metadata
from checker.errors import DiskFullError, IndexCorruptError, IndexOpenError
from checker.ingest import prepare
from checker.sketch import SketchParams
from checker.store import SCHEMA_VERSION, PreparedDocument
from checker.store import sqlite as store_sqlite
from checker.store.sqlite import DB_NAME, SQLiteStore
from checker.textcodec import frame_dictionary


def prepared(key: str, seed: int) -> PreparedDocument:
    return prepare(doc(key, article(seed)), Metadata(), SketchParams())


def edit_meta(directory: Path, key: str, value: object) -> None:
    db = sqlite3.connect(directory / DB_NAME)
    with db:
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps(value), key))
    db.close()


def test_create_records_params_and_versions(tmp_path: Path) -> None:
    params = SketchParams(num_perm=64, bands=16, rows=4)
    store = SQLiteStore(tmp_path / "idx", create_with=params)
    info = store.info()
    store.close()
    assert (tmp_path / "idx" / DB_NAME).is_file()
    assert info["schema_version"] == SCHEMA_VERSION
    assert info["params"] == params.to_dict()
    assert set(info["created_with"]) >= {"checker", "datasketch"}
    reopened = SQLiteStore(tmp_path / "idx")
    assert reopened.params == params
    assert reopened.stats().documents == 0
    reopened.close()


def test_wal_mode(tmp_path: Path) -> None:
    SQLiteStore(tmp_path, create_with=SketchParams()).close()
    db = sqlite3.connect(tmp_path / DB_NAME)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_missing_index_message(tmp_path: Path) -> None:
    with pytest.raises(IndexOpenError, match=r"no index here; build one with 'checker index add"):
        SQLiteStore(tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()


def test_refuses_other_scheme(tmp_path: Path) -> None:
    SQLiteStore(tmp_path, create_with=SketchParams()).close()
    edit_meta(tmp_path, "params", {**SketchParams().to_dict(), "scheme": "other-0"})
    with pytest.raises(IndexOpenError, match=r"scheme 'other-0'.*rebuild the index"):
        SQLiteStore(tmp_path)


def test_refuses_newer_schema(tmp_path: Path) -> None:
    SQLiteStore(tmp_path, create_with=SketchParams()).close()
    edit_meta(tmp_path, "schema_version", SCHEMA_VERSION + 1)
    with pytest.raises(IndexOpenError) as exc:
        SQLiteStore(tmp_path)
    assert f"index schema {SCHEMA_VERSION + 1} is newer" in str(exc.value)
    assert str(tmp_path) in str(exc.value) and "\n" not in str(exc.value)


def test_refuses_other_params_when_asked(tmp_path: Path) -> None:
    SQLiteStore(tmp_path, create_with=SketchParams()).close()
    other = SketchParams(num_perm=64, bands=16, rows=4)
    with pytest.raises(IndexOpenError, match=r"other sketch parameters.*'num_perm': 64"):
        SQLiteStore(tmp_path, require=other)
    # Parameters for creation only apply to a new index: an existing one keeps its own.
    store = SQLiteStore(tmp_path, create_with=other)
    assert store.params == SketchParams()
    store.close()


def test_refuses_garbage(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database at all\x00" * 100)
    with pytest.raises(IndexOpenError, match=r"corrupt or not a checker index"):
        SQLiteStore(tmp_path)


def test_write_get_texts_lookup_remove(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path, create_with=SketchParams())
    a, b = prepared("a.txt", 1), prepared("b.txt", 2)
    store.write([a, b])
    assert [d.key for d in store.documents()] == ["a.txt", "b.txt"]
    rec = store.get("a.txt")
    assert rec is not None and store.get(rec.id) == rec
    assert store.texts([rec.id]) == {rec.id: article(1)}
    pairs = store.lookup_pairs(a.keys)
    assert {d for _, d in pairs} == {rec.id}
    stats = store.stats()
    assert stats.documents == 2 and stats.lsh_entries > 0 and stats.bytes_on_disk > 0
    store.remove([(rec.id, a.keys)])
    assert store.get("a.txt") is None
    assert store.lookup_pairs(a.keys) == []
    store.close()


def test_ids_read_again_after_another_connection_writes(tmp_path: Path) -> None:
    """A reader keeps the ids it mapped from document numbers only until the index
    changes: a document removed and one added under the same key by another connection
    are seen at once (the key gets a new number; the old one is dead)."""
    reader = SQLiteStore(tmp_path, create_with=SketchParams())
    a, b = prepared("a.txt", 1), prepared("b.txt", 2)
    reader.write([a, b])
    old = reader.get("a.txt")
    assert old is not None
    assert {d for _, d in reader.lookup_pairs(a.keys)} == {old.id}  # cached now
    writer = SQLiteStore(tmp_path)
    writer.remove([(old.id, a.keys)])
    assert reader.lookup_pairs(a.keys) == []
    writer.write([prepared("a.txt", 1)])
    new = writer.get("a.txt")
    writer.close()
    assert new is not None
    assert {d for _, d in reader.lookup_pairs(a.keys)} == {new.id}
    reader.close()


def test_write_is_all_or_nothing(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path, create_with=SketchParams())
    first = prepared("a.txt", 1)
    store.write([first])
    before = store.stats()
    clash = dataclasses.replace(prepared("c.txt", 3), record=dataclasses.replace(
        prepared("c.txt", 3).record, id=first.record.id))
    # Ids derive from keys, so a clash means a crafted or damaged index: refused as corrupt.
    with pytest.raises(IndexCorruptError, match="UNIQUE constraint failed"):
        store.write([prepared("b.txt", 2), clash])
    assert store.stats() == before
    assert store.get("b.txt") is None
    store.write([prepared("b.txt", 2)])
    assert store.stats().documents == 2
    store.close()


def test_refuses_older_schema(tmp_path: Path) -> None:
    SQLiteStore(tmp_path, create_with=SketchParams()).close()
    edit_meta(tmp_path, "schema_version", SCHEMA_VERSION - 1)  # e.g. zlib texts, 4 KiB pages
    with pytest.raises(IndexOpenError, match=rf"index schema {SCHEMA_VERSION - 1} is older"):
        SQLiteStore(tmp_path)


def test_texts_use_a_dictionary_trained_on_a_big_batch(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textcodec, "DICT_MIN_DOCUMENTS", 60)
    store = SQLiteStore(tmp_path, create_with=SketchParams())
    reader = SQLiteStore(tmp_path)  # opened before the dictionary exists
    small = [prepared(f"a{i}.txt", i) for i in range(5)]
    store.write(small)  # too few to train on: plain frames
    big = [prepared(f"b{i}.txt", 100 + i) for i in range(300)]
    store.write(big)
    db = sqlite3.connect(tmp_path / DB_NAME)
    assert db.execute("PRAGMA page_size").fetchone()[0] == store_sqlite.PAGE_SIZE
    ((dict_id,),) = db.execute("SELECT id FROM dictionaries").fetchall()
    frames = dict(db.execute("SELECT d.key, t.body FROM texts t JOIN documents d USING (num)"))
    db.close()
    assert frame_dictionary(frames["a0.txt"]) == 0
    assert frame_dictionary(frames["b0.txt"]) == dict_id
    later = [prepared(f"c{i}.txt", 900 + i) for i in range(3)]
    store.write(later)  # later batches use the same dictionary
    everything = small + big + later
    ids = [p.record.id for p in everything]
    expected = {p.record.id: p.text for p in everything}
    assert store.texts(ids) == expected
    assert reader.texts(ids) == expected  # loads the new dictionary when a frame needs it
    store.close()
    reader.close()


def test_rolled_back_dictionary_is_never_used(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textcodec, "DICT_MIN_DOCUMENTS", 60)
    store = SQLiteStore(tmp_path, create_with=SketchParams())
    batch = [prepared(f"b{i}.txt", i) for i in range(100)]
    real_register = SQLiteStore._register

    def boom(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SQLiteStore, "_register", boom)
    with pytest.raises(DiskFullError):
        store.write(batch)  # trains a dictionary, then rolls back
    assert store._codec.writing_with != 0
    monkeypatch.setattr(SQLiteStore, "_register", real_register)
    monkeypatch.setattr(textcodec, "DICT_MIN_DOCUMENTS", 10**6)  # no new one now
    store.write(batch[:3])
    store.close()
    db = sqlite3.connect(tmp_path / DB_NAME)
    assert db.execute("SELECT count(*) FROM dictionaries").fetchone()[0] == 0
    assert {frame_dictionary(b) for (b,) in db.execute("SELECT body FROM texts")} == {0}
    db.close()
    fresh = SQLiteStore(tmp_path)  # knows only what is stored
    assert fresh.texts([p.record.id for p in batch[:3]]) == {p.record.id: p.text
                                                             for p in batch[:3]}
    fresh.close()
