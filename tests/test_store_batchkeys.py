"""One sort of packed words gives the entries of a stable sort of the keys."""

from __future__ import annotations

import numpy as np
import pytest

from checker.sketch import HASH_BITS, KEY_BITS
from checker.store.batchkeys import distinct_entries


def reference(keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    flat = np.concatenate(keys) if keys else np.empty(0, np.int64)
    owners = np.repeat(np.arange(len(keys), dtype=np.uint32), [len(k) for k in keys])
    order = np.argsort(flat.view(np.uint64), kind="stable")
    flat, owners = flat[order], owners[order]
    fresh = np.ones(len(flat), dtype=bool)
    fresh[1:] = (flat[1:] != flat[:-1]) | (owners[1:] != owners[:-1])
    flat, owners = flat[fresh], owners[fresh]
    return flat, owners, np.bincount(owners, minlength=len(keys)).tolist()


def random_keys(rng: np.random.Generator, docs: int, bands: int, pool: int) -> list[np.ndarray]:
    # Keys drawn from a small pool, so documents repeat keys and share them.
    values = (rng.integers(0, bands, size=pool, dtype=np.uint64) << np.uint64(KEY_BITS)) | \
        rng.integers(0, 1 << HASH_BITS, size=pool, dtype=np.uint64)
    return [values[rng.integers(0, pool, size=int(rng.integers(0, 60)))].view(np.int64)
            for _ in range(docs)]


@pytest.mark.parametrize("bands", [1, 16, 32, 255, 300])  # 300: more than a packed word holds
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_distinct_entries_equal_a_stable_sort(bands: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    keys = random_keys(rng, 500, bands, 2000)
    got = distinct_entries(keys)
    want = reference(keys)
    assert got[0].dtype == np.int64 and got[1].dtype == np.uint32
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert got[2] == want[2]


def test_extreme_hashes_and_empty_batches() -> None:
    top = np.array([(31 << KEY_BITS) | ((1 << HASH_BITS) - 1), 0, 0, 5 << KEY_BITS],
                   dtype=np.uint64).view(np.int64)
    keys = [top, np.empty(0, np.int64), top[::-1].copy()]
    got, want = distinct_entries(keys), reference(keys)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert got[2] == [3, 0, 3]
    empty = distinct_entries([])
    assert len(empty[0]) == 0 and empty[2] == []
