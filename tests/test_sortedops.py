"""The sort-based replacements of ``np.unique`` return exactly what it returns."""

from __future__ import annotations

import numpy as np

from checker import sortedops


def test_same_as_np_unique() -> None:
    rng = np.random.default_rng(4)
    cases = [np.empty(0, dtype=np.int64), np.array([7], dtype=np.uint64)]
    for n in (1, 2, 5, 40, 700, 5000):
        cases.append(rng.integers(-50, 50, n, dtype=np.int64))
        cases.append(rng.integers(0, 2**63, n, dtype=np.int64).view(np.uint64))
        cases.append(rng.integers(0, 2**32, n, dtype=np.int64).astype(np.uint32))
    for a in cases:
        np.testing.assert_array_equal(sortedops.unique(a), np.unique(a))
        assert sortedops.unique(a).dtype == np.unique(a).dtype
        values, inverse = sortedops.unique_inverse(a)
        v2, i2 = np.unique(a, return_inverse=True)
        np.testing.assert_array_equal(values, v2)
        np.testing.assert_array_equal(inverse, i2)
        values, counts = sortedops.unique_counts(a)
        v3, c3 = np.unique(a, return_counts=True)
        np.testing.assert_array_equal(values, v3)
        np.testing.assert_array_equal(counts, c3)
    grid = rng.integers(0, 9, (30, 4), dtype=np.int64)
    np.testing.assert_array_equal(sortedops.unique(grid), np.unique(grid))
