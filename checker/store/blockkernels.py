"""Compiled (numba) kernels of the shared index's blocks (:mod:`checker.store.blockrows`).

A write batch's entries are grouped by key and sent as COPY rows, and an add ends by
merging its segments: each of those was a chain of whole-array numpy passes (a
comparison, ``flatnonzero``, gathers, byte swaps, rows grouped by width) that made and
touched several arrays as large as the entries. Here each is one pass that writes its
output once. Only writes import this module (numba's import costs ~0.3 s; a scan
never pays it). ``tests/test_blockrows.py`` checks the rows field by field.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..kernels import _jit
from .blockrows import MAX_BOUND

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]


@_jit  # type: ignore[untyped-decorator]
def _group_kernel(keys: Any) -> Any:
    n = len(keys)
    distinct = 0
    for i in range(n):
        if i == 0 or keys[i] != keys[i - 1]:
            distinct += 1
    out = np.empty(distinct, np.int64)
    counts = np.zeros(distinct, np.int64)
    j = -1
    for i in range(n):
        if i == 0 or keys[i] != keys[i - 1]:
            j += 1
            out[j] = keys[i]
        counts[j] += 1
    return out, counts


def group(keys: I64) -> tuple[I64, I64]:
    """The distinct keys of sorted ``keys`` and how many entries each has."""
    distinct, counts = _group_kernel(np.ascontiguousarray(keys, dtype=np.int64))
    return distinct, counts


@_jit  # type: ignore[untyped-decorator]
def _put(out: Any, p: int, value: int, size: int) -> int:
    """``value`` as ``size`` big-endian bytes at ``out[p]``; the next position."""
    for b in range(size):
        out[p + b] = (value >> (8 * (size - 1 - b))) & 0xFF
    return p + size


@_jit  # type: ignore[untyped-decorator]
def _rows_kernel(seg: int, keys: Any, counts: Any, docs: Any, ends: Any, block: int) -> Any:
    n = len(keys)
    size = 0
    for a in range(0, n, block):
        z = min(a + block, n)
        m = z - a
        size += 2 + (4 + 4) + (4 + 8) + (4 + 2 * m + 1) + (4 + 8 * m) + (4 + 4 * m) \
            + 4 + 4 * (ends[z] - ends[a])
    out = np.empty(size, np.uint8)
    p = 0
    for a in range(0, n, block):
        z = min(a + block, n)
        m = z - a
        p = _put(out, p, 6, 2)  # fields: seg, last, fp, keys, counts, docs
        p = _put(out, p, 4, 4)
        p = _put(out, p, seg, 4)
        p = _put(out, p, 8, 4)
        p = _put(out, p, keys[z - 1], 8)
        p = _put(out, p, 2 * m + 1, 4)
        top = 0
        for i in range(a, z):
            p = _put(out, p, keys[i] & 0xFFFF, 2)
            top = max(top, counts[i])
        p = _put(out, p, min(top, MAX_BOUND), 1)
        p = _put(out, p, 8 * m, 4)
        for i in range(a, z):
            p = _put(out, p, keys[i], 8)
        p = _put(out, p, 4 * m, 4)
        for i in range(a, z):
            p = _put(out, p, counts[i], 4)
        p = _put(out, p, 4 * (ends[z] - ends[a]), 4)
        for e in range(ends[a], ends[z]):
            p = _put(out, p, docs[e], 4)
    return out


def rows(seg: int, keys: I64, counts: I64, docs: I32, ends: I64, block: int) -> bytes:
    """COPY rows ``(seg, last, fp, keys, counts, docs)`` of the blocks of ``block``
    consecutive distinct ``keys`` each (the last one fewer); key ``i``'s documents
    are ``docs[ends[i]:ends[i + 1]]``; ``fp`` is the keys' fingerprints and the block's
    bound byte (:data:`MAX_BOUND`)."""
    out: npt.NDArray[np.uint8] = _rows_kernel(seg, np.ascontiguousarray(keys, np.int64),
                                              np.ascontiguousarray(counts, np.int64),
                                              np.ascontiguousarray(docs, np.int32),
                                              np.ascontiguousarray(ends, np.int64), block)
    return out.tobytes()
