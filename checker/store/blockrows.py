"""A segment's blocks as bytes (:mod:`checker.store.pgblocks`): the rows written
with binary COPY, built with numpy, and blocks read back, checked and merged.

A block is ``BLOCK_KEYS`` distinct keys (the last block of a segment fewer); every
value is big-endian, as PostgreSQL's ``int4send``/``int8send`` give them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from ..errors import IndexCorruptError

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]

# Distinct keys per block: a block's index entry is ~150 bytes (a probe tests 64
# fingerprints) and the server handles one row per ~64 entries.
BLOCK_KEYS = 64
# Blocks per COPY buffer (~50 MB).
COPY_BLOCKS = 40_000


def sort_entries(keys: I64, docs: I32) -> tuple[I64, I32]:
    """Entries in the order the blocks hold them: by key (signed, as PostgreSQL
    compares ``bigint``), then document. A stable sort: the documents of a key
    keep their input order, which must be ascending (as a batch's entries and
    segments read in order give them)."""
    if len(keys) > 1 and bool((keys[1:] >= keys[:-1]).all()):
        return keys, docs
    order = np.argsort(keys, kind="stable")
    return keys[order], docs[order]


def group(keys: I64) -> tuple[I64, I64]:
    """The distinct keys of sorted ``keys`` and how many entries each has."""
    if not len(keys):
        return keys, np.empty(0, np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.diff(np.append(starts, len(keys)))


def _be(values: npt.ArrayLike, dtype: str, rows: int) -> npt.NDArray[np.uint8]:
    """``values`` as big-endian bytes, one row of bytes per block."""
    return np.ascontiguousarray(values, dtype=dtype).view(np.uint8).reshape(rows, -1)


def copy_rows(seg: int, keys: I64, counts: I64, docs: I32) -> Iterator[bytes]:
    """The blocks of distinct sorted ``keys`` (``counts`` documents each, ``docs``
    key by key) as rows ``(seg, last, fp, keys, counts, docs)`` of PostgreSQL's
    binary COPY format, built with numpy: the blocks of a buffer that hold the same
    number of documents are rows of one width, made as one array (a few operations
    per width, none per block or entry). Rows go in any order: the table's index
    orders them."""
    yield b"PGCOPY\n\xff\r\n\x00" + bytes(8)
    ends = np.concatenate(([0], np.cumsum(counts)))  # entries before each distinct key
    full = len(keys) // BLOCK_KEYS * BLOCK_KEYS
    for a in range(0, full, COPY_BLOCKS * BLOCK_KEYS):
        b = min(full, a + COPY_BLOCKS * BLOCK_KEYS)
        yield _rows(seg, keys[a:b], counts[a:b], docs, ends[a:b + 1:BLOCK_KEYS], BLOCK_KEYS)
    if full < len(keys):
        yield _rows(seg, keys[full:], counts[full:], docs, ends[[full, len(keys)]],
                    len(keys) - full)
    yield b"\xff\xff"


def _rows(seg: int, keys: I64, counts: I64, docs: I32, bounds: I64, n: int) -> bytes:
    """COPY rows of blocks of ``n`` consecutive distinct ``keys`` each, whose documents
    are ``docs[bounds[r]:bounds[r + 1]]``."""
    rows = len(keys) // n
    k = keys.reshape(rows, n)
    # (field length, big-endian values) of the fields before the documents.
    fields = [(4, _be([seg], ">i4", 1)), (8, _be(k[:, -1], ">i8", rows)),
              (2 * n, _be(k & 0xFFFF, ">u2", rows)), (8 * n, _be(k, ">i8", rows)),
              (4 * n, _be(counts, ">i4", rows))]
    width = 2 + sum(4 + size for size, _ in fields) + 4
    head = np.empty((rows, width), np.uint8)
    head[:, 0:2] = _be([len(fields) + 1], ">i2", 1)
    o = 2
    for size, values in fields:
        head[:, o:o + 4] = _be([size], ">i4", 1)
        head[:, o + 4:o + 4 + size] = values
        o += 4 + size
    many = np.diff(bounds)
    head[:, o:] = _be(4 * many, ">i4", rows)  # the documents' length
    out: list[bytes] = []
    order = np.argsort(many, kind="stable")
    cuts = np.flatnonzero(np.diff(many[order])) + 1
    for group in np.split(order, cuts):
        m = int(many[group[0]])
        row = np.empty((len(group), width + 4 * m), np.uint8)
        row[:, :width] = head[group]
        at = bounds[group][:, None] + np.arange(m)
        row[:, width:] = _be(docs[at], ">i4", len(group))
        out.append(row.tobytes())
    return b"".join(out)


def decode(keys: bytes, counts: bytes, docs: bytes) -> tuple[I64, I32]:
    """The entries of concatenated blocks: each entry's key and document."""
    k, c, d = _arrays(keys, counts, docs)
    return np.repeat(k, c), d


def _arrays(keys: bytes, counts: bytes, docs: bytes) -> tuple[I64, I64, I32]:
    """Concatenated blocks' distinct keys, counts and documents, checked to add up
    (a block read from the server is never trusted to)."""
    k = np.frombuffer(keys, ">i8").astype(np.int64)
    c = np.frombuffer(counts, ">i4").astype(np.int64)
    d = np.frombuffer(docs, ">i4").astype(np.int32)
    if len(k) != len(c) or int(c.sum()) != len(d) or (c < 1).any():
        raise IndexCorruptError("corrupt server index: a block's keys, counts and documents "
                                "do not add up; create a new database and push the articles "
                                "again")
    return k, c, d


def merge_runs(runs: Sequence[Sequence[bytes]]) -> tuple[I64, I64, I32]:
    """Segments read back (their ``keys``, ``counts`` and ``docs``, oldest first) as
    one: distinct sorted keys, their counts and their documents, key by key (a
    key's documents ascending, as the segments' ranges are). The entries are
    expanded and sorted as entries: sorting the distinct keys and gathering their
    documents by offset gave the same arrays 3x slower (40M entries in 14 runs)."""
    parts = [decode(*r) for r in runs]
    keys, docs = sort_entries(np.concatenate([p[0] for p in parts]),
                              np.concatenate([p[1] for p in parts]))
    del parts
    distinct, counts = group(keys)
    return distinct, counts, docs
