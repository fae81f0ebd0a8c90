"""``np.unique`` by sorting, for the scan's many small arrays.

numpy 2's ``np.unique`` goes through a hash table before it sorts: on the arrays a scan
handles (a source's few hundred shingles, a draft's few thousand keys) it costs several
times a sort and a comparison with the neighbour, which give the same sorted values.
Each function returns exactly what the ``np.unique`` call it names returns.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Arr = npt.NDArray[Any]


def _first_flags(s: Arr) -> npt.NDArray[np.bool_]:
    """Where a sorted array's values start."""
    flags = np.empty(len(s), dtype=bool)
    if len(s):
        flags[0] = True
        np.not_equal(s[1:], s[:-1], out=flags[1:])
    return flags


def unique(a: Arr) -> Arr:
    """``np.unique(a)`` (flattened, sorted distinct values)."""
    s = np.sort(a, axis=None)
    return s[_first_flags(s)]


def unique_inverse(a: Arr) -> tuple[Arr, npt.NDArray[np.intp]]:
    """``np.unique(a, return_inverse=True)`` of a 1-d array: the sorted distinct values
    and, for each element of ``a``, the index of its value among them."""
    order = np.argsort(a, kind="stable")
    s = a[order]
    flags = _first_flags(s)
    inverse = np.empty(len(a), dtype=np.intp)
    inverse[order] = np.cumsum(flags) - 1
    return s[flags], inverse


def unique_counts(a: Arr) -> tuple[Arr, npt.NDArray[np.intp]]:
    """``np.unique(a, return_counts=True)`` of a 1-d array."""
    s = np.sort(a)
    starts = np.flatnonzero(_first_flags(s))
    return s[starts], np.diff(np.append(starts, len(s))).astype(np.intp)
