"""A segment's blocks as bytes (checker/store/blockrows.py): sorting, grouping and
merging entries, and refusing blocks that do not add up (no server needed)."""

from __future__ import annotations

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
    def run(keys: list[int], docs: list[int]) -> list[bytes]:
        k, c = blockrows.group(np.array(keys, dtype=np.int64))
        return [k.astype(">i8").tobytes(), c.astype(">i4").tobytes(),
                np.array(docs, dtype=">i4").tobytes()]

    keys, counts, docs = blockrows.merge_runs([run([3, 5, 5, 9], [1, 1, 2, 2]),
                                              run([2, 5, 9, 9], [7, 8, 7, 8])])
    assert keys.tolist() == [2, 3, 5, 9]
    assert counts.tolist() == [1, 1, 3, 3]
    assert docs.tolist() == [7, 1, 1, 2, 8, 2, 7, 8]
    with pytest.raises(IndexCorruptError, match="do not add up"):
        blockrows.merge_runs([[b"\0" * 8, b"\0\0\0\2", b"\0\0\0\1"]])
