"""The distinct LSH keys of each document of a batch, sorted, with one sort.

A store writes a batch's keys as sorted ``(key, document)`` entries, each pair once.
A key is ``band << KEY_BITS | hash`` with a ``HASH_BITS``-bit hash, so the key, its
band and the document's place in the batch fit in one 64-bit word (band above hash
above document): one ``np.sort`` of those words (packed and unpacked by
:mod:`checker.kernels` in one pass each) orders the entries as a stable sort of
the keys would (documents in batch order within a key), and equal neighbours are
repeats. That is ~4x faster than ``argsort(kind="stable")`` plus two gathers, and the
result needs no second sort (``segments.build_sections`` checks that it is sorted).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
U32 = npt.NDArray[np.uint32]
_DOC_BITS = 20  # documents per batch in a packed word (a batch holds at most 50,000)


def distinct_entries(keys: Sequence[I64]) -> tuple[I64, U32, list[int]]:
    """Sorted distinct ``(key, document)`` entries of a batch whose document ``i``
    has the LSH keys ``keys[i]``: the keys (sorted, as unsigned), each entry's
    document (its index in ``keys``) and the number of distinct keys of each document.
    """
    n_docs = len(keys)
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=n_docs)
    # Imported here: only writing a batch needs the compiled kernels.
    from ..kernels import distinct_packed

    # The joined keys are not kept here: distinct_packed drops them once packed, so
    # a 50,000-article batch's write holds ~0.5 GB less at its peak.
    done = distinct_packed(_joined(keys), lengths, _DOC_BITS)
    if done is not None:
        return done[0], done[1], done[2].tolist()
    # More bands or documents than a packed word holds: a stable sort of the keys.
    u = _joined(keys).view(np.uint64)
    owners = np.repeat(np.arange(n_docs, dtype=np.uint32), lengths)
    order = np.argsort(u, kind="stable")
    u, owners = u[order], owners[order]
    fresh = np.ones(len(u), dtype=bool)
    fresh[1:] = (u[1:] != u[:-1]) | (owners[1:] != owners[:-1])
    u, owners = u[fresh], owners[fresh]
    return u.view(np.int64), owners, np.bincount(owners, minlength=n_docs).tolist()


def _joined(keys: Sequence[I64]) -> I64:
    return np.concatenate(keys) if len(keys) else np.empty(0, np.int64)
