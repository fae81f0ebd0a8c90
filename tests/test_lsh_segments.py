"""LSH segment files and the SQLite store that registers them."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import numpy as np
import pytest

from checker.errors import DiskFullError
from checker.sketch import HASH_BITS, KEY_BITS, SketchParams
from checker.store import DocumentRecord, PreparedDocument
from checker.store import segments as seg
from checker.store.safety import BadIndexFile
from checker.store.sqlite import LSH_DIR, SQLiteStore

PARAMS = SketchParams()


def random_keys(rng: np.random.Generator, n: int, bands: int) -> np.ndarray:
    h = rng.integers(0, 1 << HASH_BITS, n, dtype=np.uint64)
    band = rng.integers(0, bands, n, dtype=np.uint64)
    return (h | (band << np.uint64(KEY_BITS))).view(np.int64)


@pytest.mark.parametrize("small_band", [seg.SMALL_BAND, 64])
def test_lookup_equals_brute_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   small_band: int) -> None:
    monkeypatch.setattr(seg, "SMALL_BAND", small_band)  # 64: every band uses a directory
    rng = np.random.default_rng(1)
    keys = random_keys(rng, 5000, 4)
    keys[:300] = keys[300:600]  # keys shared by two documents
    docs = rng.integers(0, 10_000, len(keys)).astype(np.uint32)
    sections, layout = seg.build_sections(keys, docs, 4)
    path = tmp_path / "s.npy"
    seg.write_segment(path, sum(len(s) for s in sections), sections)
    segment = seg.Segment(1, path, json.loads(seg.layout_json(layout)))
    assert (segment.bands[0].directory is not None) == (small_band == 64)
    query = np.unique(np.concatenate([keys[::7], random_keys(rng, 100, 4)]))
    owner, found = seg.lookup([segment], query)
    got = sorted(zip(query[owner].tolist(), found.tolist(), strict=True))
    hit = np.isin(keys, query)
    assert got == sorted(zip(keys[hit].tolist(), docs[hit].tolist(), strict=True))
    # Counts are the range sizes; a cap keeps at most that many entries per key.
    assert seg.count([segment, segment], query).tolist() == \
        (2 * np.bincount(owner, minlength=len(query))).tolist()
    capped_owner, capped = seg.lookup([segment], query, cap=1)
    assert np.bincount(capped_owner, minlength=len(query)).tolist() == \
        np.minimum(np.bincount(owner, minlength=len(query)), 1).tolist()
    assert set(zip(query[capped_owner].tolist(), capped.tolist(), strict=True)) <= set(got)
    # A merge of the segment with itself minus dead documents keeps the rest, sorted.
    dead = np.unique(docs[:50])
    total, lay, parts = seg.merge_plan([segment, segment], 4, dead)
    merged_path = tmp_path / "m.npy"
    seg.write_segment(merged_path, total, parts)
    merged = seg.Segment(2, merged_path, lay)
    assert merged.entries == 2 * int((~np.isin(docs, dead)).sum())
    for band in merged.bands:
        assert np.all(np.diff(band.hashes().astype(np.int64)) >= 0)


def record(i: int) -> DocumentRecord:
    return DocumentRecord(id=f"{i:012x}", key=f"doc-{i}", title="", publisher="", license="x",
                          notice="", holder="", years="", url="", date="", content_hash=str(i),
                          added="", words=10, passages=1, mask=())


def prepared(i: int, keys: np.ndarray) -> PreparedDocument:
    return PreparedDocument(record=record(i), text=f"text {i}", keys=keys)


def test_store_add_replace_remove_merge(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    store = SQLiteStore(tmp_path, create_with=PARAMS)
    shared = random_keys(rng, 5, PARAMS.bands)
    own = {i: np.concatenate([shared, random_keys(rng, 40, PARAMS.bands)]) for i in range(30)}
    for i in range(30):  # one segment per write: merges keep the count bounded
        store.write([prepared(i, own[i])])
    assert len(store._segments()) <= 6
    assert store.stats().lsh_entries == 30 * 45
    assert sorted(store.key_document_counts(shared).tolist()) == [30] * 5
    assert set(store.frequent_keys(30).tolist()) == set(shared.tolist())
    assert len(store.lookup_pairs(shared, limit=4)) == 5 * 4
    # Replacing doc-3 (same key) and removing doc-4: their old entries vanish at once.
    new3 = random_keys(rng, 10, PARAMS.bands)
    store.write([prepared(3, new3)], [(record(4).id, np.empty(0, np.int64))])
    pairs = set(store.lookup_pairs(np.concatenate([own[3], own[4], new3])))
    assert {d for _, d in pairs} >= {record(3).id}
    assert all(k in new3.tolist() or k in shared.tolist() for k, d in pairs
               if d == record(3).id)
    assert record(4).id not in {d for _, d in pairs}
    assert store.key_document_counts(shared).tolist() == [28] * 5
    assert store.stats().lsh_entries == 28 * 45 + 10
    store.compact()
    assert len(store._segments()) == 1 and store.stats().lsh_entries == 28 * 45 + 10
    assert store.key_document_counts(shared).tolist() == [28] * 5
    store.close()
    # Another connection sees the same; an unregistered file is deleted by the next writer.
    # Only files named as the index names its segments are its own to delete.
    stray = tmp_path / LSH_DIR / f"seg-{0:020d}-1.npy"
    stray.write_bytes(b"junk")
    (tmp_path / LSH_DIR / f"seg-{1:020d}-1.npy.tmp").write_bytes(b"junk")
    foreign = tmp_path / LSH_DIR / "notes.txt"
    foreign.write_bytes(b"someone else's")
    again = SQLiteStore(tmp_path)
    assert again.key_document_counts(shared).tolist() == [28] * 5
    again.write([prepared(99, random_keys(rng, 3, PARAMS.bands))])
    assert not stray.exists() and foreign.exists()
    assert not list((tmp_path / LSH_DIR).glob("*.tmp"))
    again.close()


def test_failed_write_registers_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SQLiteStore(tmp_path, create_with=PARAMS)
    rng = np.random.default_rng(3)
    store.write([prepared(1, random_keys(rng, 20, PARAMS.bands))])

    def boom(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SQLiteStore, "_register", boom)
    with pytest.raises(DiskFullError):
        store.write([prepared(2, random_keys(rng, 20, PARAMS.bands))])
    assert [d.key for d in store.documents()] == ["doc-1"]
    files = list((tmp_path / LSH_DIR).iterdir())
    assert len(files) == 1 and store.stats().lsh_entries == 20
    store.close()


def test_hashes_wider_than_the_format_are_refused() -> None:
    keys = np.array([1 << HASH_BITS], dtype=np.int64)
    with pytest.raises(ValueError, match="36 bits"):
        seg.build_sections(keys, np.zeros(1, np.uint32), 1)


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_odd_band_sizes_pack_their_16_bit_sections(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   n: int) -> None:
    monkeypatch.setattr(seg, "SMALL_BAND", 2)  # bands of 2+ entries use the directory
    rng = np.random.default_rng(n)
    keys = random_keys(rng, n, 3)
    docs = np.arange(n, dtype=np.uint32) + 7
    sections, layout = seg.build_sections(keys, docs, 3)
    path = tmp_path / "s.npy"
    seg.write_segment(path, sum(len(s) for s in sections), sections)
    segment = seg.Segment(1, path, json.loads(seg.layout_json(layout)))
    owner, found = seg.lookup([segment], keys)
    assert sorted(zip(owner.tolist(), found.tolist(), strict=True)) == \
        [(i, 7 + i) for i in range(n)]


def test_a_crafted_bucket_directory_cannot_ask_for_more_than_its_band(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A directory entry saying a bucket holds four billion entries: lookups stay inside
    the band (no 32 GB range is expanded), and materialising the band is refused."""
    monkeypatch.setattr(seg, "SMALL_BAND", 64)  # every band uses a directory
    rng = np.random.default_rng(4)
    keys = random_keys(rng, 500, 2)
    sections, layout = seg.build_sections(keys, np.arange(500, dtype=np.uint32), 2)
    path = tmp_path / "s.npy"
    seg.write_segment(path, sum(len(s) for s in sections), sections)
    data = np.load(path, mmap_mode="r+")
    directory = data[layout[0]["dir"] : layout[0]["dir"] + (1 << seg.DIR_BITS) + 1]
    directory[0::2], directory[1::2] = 0, 0xFFFFFFFF  # every other bucket: 0 to 4 billion
    data.flush()
    del data
    segment = seg.Segment(1, path, json.loads(seg.layout_json(layout)))
    owner, _ = seg.lookup([segment], keys)
    # At most the band's entries per query, whatever the directory says.
    assert np.bincount(owner).max() <= max(b["n"] for b in layout)
    assert seg.count([segment], keys).max() <= max(b["n"] for b in layout)
    with pytest.raises(BadIndexFile, match="bucket directory"):
        segment.bands[0].hashes()


@pytest.mark.parametrize("change", [{"n": 1 << 40}, {"lo": 1 << 40}, {"doc": -1},
                                    {"hi": None}, {"dir": 0}, {"n": True}, {"x": 1}])
def test_a_layout_reaching_past_its_file_is_refused(tmp_path: Path,
                                                   change: dict[str, object]) -> None:
    rng = np.random.default_rng(5)
    keys = random_keys(rng, 100, 2)
    sections, layout = seg.build_sections(keys, np.arange(100, dtype=np.uint32), 2)
    path = tmp_path / "s.npy"
    seg.write_segment(path, sum(len(s) for s in sections), sections)
    bad = json.loads(seg.layout_json(layout))
    bad[1].update(change)
    with pytest.raises(BadIndexFile):
        seg.Segment(1, path, bad)
    seg.Segment(1, path, json.loads(seg.layout_json(layout)))  # the real one opens


def test_merge_sort_is_a_stable_sort() -> None:
    """The merge's packed sort orders entries as a stable argsort of their hashes."""
    from checker.store.segments import _stable_sort

    rng = np.random.default_rng(5)
    for n in (0, 1, 2, 17, 5000):
        h = rng.integers(0, 50, n).astype(np.uint64) << np.uint64(30)
        d = rng.integers(0, 2**32 - 1, n).astype(np.uint32)
        order = np.argsort(h, kind="stable")
        got_h, got_d = _stable_sort(h, d)
        assert np.array_equal(got_h, h[order]) and np.array_equal(got_d, d[order])
