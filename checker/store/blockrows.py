"""A segment's blocks as bytes (:mod:`checker.store.pgblocks`): the rows written
with binary COPY (built by :mod:`checker.store.blockkernels`), and blocks read back,
checked and merged.

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


#: A block's ``fp`` ends with one byte after its keys' fingerprints: the most documents
#: any of its keys has, this when that many or more. A key's count is at most the sum of
#: the bytes of the blocks that may hold it, so a probe of the index alone tells that most
#: keys are in too few documents to matter (:func:`checker.store.pgblocks.counts`).
#: Blocks written before it have fingerprints only (an even length): no bound.
MAX_BOUND = 255


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
    # Imported here: only writes group entries, and numba's import costs a scan 0.3 s.
    from .blockkernels import group as group_kernel

    return group_kernel(keys)


def copy_rows(seg: int, keys: I64, counts: I64, docs: I32) -> Iterator[bytes]:
    """The blocks of distinct sorted ``keys`` (``counts`` documents each, ``docs``
    key by key) as rows ``(seg, last, fp, keys, counts, docs)`` of PostgreSQL's
    binary COPY format, :data:`COPY_BLOCKS` blocks per buffer, each built by one
    compiled pass (:func:`checker.store.blockkernels.rows`)."""
    from .blockkernels import rows

    yield b"PGCOPY\n\xff\r\n\x00" + bytes(8)
    step = COPY_BLOCKS * BLOCK_KEYS
    done = 0  # entries before keys[a]
    for a in range(0, len(keys), step):
        b = min(len(keys), a + step)
        # Entries before each key of this buffer's blocks, made per buffer: for a whole
        # batch at once (8 bytes per key) it was the largest array of a write's peak.
        ends = np.concatenate(([0], np.cumsum(counts[a:b]))) + done
        yield rows(seg, keys[a:b], counts[a:b], docs, ends, BLOCK_KEYS)
        done = int(ends[-1])
    yield b"\xff\xff"


def decode(keys: bytes, counts: bytes, docs: bytes) -> tuple[I64, I32]:
    """The entries of concatenated blocks: each entry's key and document."""
    k, c, d = checked_arrays(keys, counts, docs)
    return np.repeat(k, c), d


def checked_arrays(keys: bytes, counts: bytes, docs: bytes | None = None
                   ) -> tuple[I64, I64, I32]:
    """Concatenated blocks' distinct keys, counts and documents, checked to add up
    (a block read from the server is never trusted to); without ``docs``, an empty
    documents array and the keys and counts checked to pair up."""
    k = np.frombuffer(keys, ">i8").astype(np.int64)
    c = np.frombuffer(counts, ">i4").astype(np.int64)
    d = np.frombuffer(docs or b"", ">i4").astype(np.int32)
    if len(k) != len(c) or (c < 1).any() or (docs is not None and int(c.sum()) != len(d)):
        raise IndexCorruptError("corrupt server index: a block's keys, counts and documents "
                                "do not add up; create a new database and push the articles "
                                "again")
    return k, c, d


def merge_arrays(runs: Sequence[tuple[I64, I64, I32]]) -> tuple[I64, I64, I32]:
    """Segments (each: distinct sorted keys, their counts, their documents key by
    key; oldest first) as one: distinct sorted keys, their counts and their
    documents, key by key (a key's documents ascending, as the segments' ranges
    are). The entries are expanded and sorted as entries (a stable sort finds the
    runs): sorting the distinct keys and gathering their documents by offset gave
    the same arrays 3x slower (40M entries in 14 runs), and packing each entry in
    one word for an unstable sort was no faster."""
    keys, docs = sort_entries(np.concatenate([np.repeat(k, c) for k, c, _ in runs]),
                              np.concatenate([d for _, _, d in runs]))
    distinct, counts = group(keys)
    return distinct, counts, docs
