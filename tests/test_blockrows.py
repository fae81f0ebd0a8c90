"""A segment's blocks as bytes (checker/store/blockrows.py): sorting, grouping and
merging entries, and refusing blocks that do not add up (no server needed)."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from checker.errors import IndexCorruptError
from checker.store import blockrows


def test_entries_sort_by_key_then_keep_document_order() -> None:
    keys, docs = blockrows.sort_entries(np.array([9, 3, 9, 3], dtype=np.int64),
                                        np.array([1, 2, 3, 4], dtype=np.int32))
    assert keys.tolist() == [3, 3, 9, 9]
    assert docs.tolist() == [2, 4, 1, 3]
    distinct, counts = blockrows.group(keys)
    assert distinct.tolist() == [3, 9]
    assert counts.tolist() == [2, 2]


def test_merged_runs_hold_every_entry_of_each_key_in_document_order() -> None:
    def run(keys: list[int], docs: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        k, c = blockrows.group(np.array(keys, dtype=np.int64))
        # As read back from the server: big-endian bytes, checked.
        return blockrows.checked_arrays(k.astype(">i8").tobytes(), c.astype(">i4").tobytes(),
                                        np.array(docs, dtype=">i4").tobytes())

    keys, counts, docs = blockrows.merge_arrays([run([3, 5, 5, 9], [1, 1, 2, 2]),
                                                run([2, 5, 9, 9], [7, 8, 7, 8])])
    assert keys.tolist() == [2, 3, 5, 9]
    assert counts.tolist() == [1, 1, 3, 3]
    assert docs.tolist() == [7, 1, 1, 2, 8, 2, 7, 8]
    with pytest.raises(IndexCorruptError, match="do not add up"):
        blockrows.checked_arrays(b"\0" * 8, b"\0\0\0\2", b"\0\0\0\1")


def _copy_rows(data: bytes) -> list[list[bytes]]:
    """The rows of PostgreSQL's binary COPY format, field by field."""
    assert data.startswith(b"PGCOPY\n\xff\r\n\x00" + bytes(8))
    at, rows = 19, []
    while (n := struct.unpack_from(">h", data, at)[0]) != -1:
        at += 2
        row = []
        for _ in range(n):
            (size,) = struct.unpack_from(">i", data, at)
            row.append(data[at + 4:at + 4 + size])
            at += 4 + size
        rows.append(row)
    assert at + 2 == len(data)
    return rows


def test_copy_rows_are_blocks_of_keys_with_their_fingerprints_counts_and_documents(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blockrows, "COPY_BLOCKS", 2)  # several buffers
    rng = np.random.default_rng(7)
    keys = np.unique(rng.integers(-2**62, 2**62, 5 * blockrows.BLOCK_KEYS + 3))
    counts = rng.integers(1, 4, len(keys))
    counts[5] = 300  # past the bound byte's range
    docs = rng.integers(0, 2**31 - 1, int(counts.sum())).astype(np.int32)
    rows = _copy_rows(b"".join(blockrows.copy_rows(42, keys, counts, docs)))
    assert len(rows) == -(-len(keys) // blockrows.BLOCK_KEYS)
    ends = np.concatenate(([0], np.cumsum(counts)))
    for r, (seg, last, fp, k, c, d) in enumerate(rows):
        a = r * blockrows.BLOCK_KEYS
        z = min(a + blockrows.BLOCK_KEYS, len(keys))
        assert struct.unpack(">i", seg) == (42,)
        assert struct.unpack(">q", last) == (keys[z - 1],)
        assert np.frombuffer(k, ">i8").tolist() == keys[a:z].tolist()
        assert np.frombuffer(fp[:-1], ">u2").tolist() == (keys[a:z] & 0xFFFF).tolist()
        assert fp[-1] == min(int(counts[a:z].max()), blockrows.MAX_BOUND)  # the bound
        assert np.frombuffer(c, ">i4").tolist() == counts[a:z].tolist()
        assert np.frombuffer(d, ">i4").tolist() == docs[ends[a]:ends[z]].tolist()
    assert blockrows.group(np.array([], dtype=np.int64))[0].tolist() == []
