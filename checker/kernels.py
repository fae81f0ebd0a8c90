"""Compiled (numba) kernels of the indexing path: words, shingles, MinHash, band keys.

Only ``index add`` imports this module (:func:`checker.fastsketch.batch_keys` when it
sketches, :mod:`checker.store.batchkeys` when it writes a batch): importing numba costs
~0.3 s and ``checker scan`` never pays it.
Each kernel is one pass over a whole batch, with no Python per word, shingle or
permutation, and computes exactly what the numpy definitions compute
(:func:`checker.sketch.hash_word_bytes`, :func:`~checker.sketch.shingle_hashes`,
:func:`~checker.sketch.window_signatures`, :func:`~checker.sketch.band_keys`, and the
words of :func:`checker.text.tokenize`); ``tests/test_kernels.py`` checks them bit for
bit against those on random and real text.

Compiled code is cached on disk (``cache=True``): the first ``index add`` after an
install compiles (4-5 s on an idle machine, once), later runs load the cache (~0.4 s,
numba's import included). The cache is ``$NUMBA_CACHE_DIR`` when set and usable, else
next to this file when its directory is writable, else ``$XDG_CACHE_HOME/checker/numba``
(``~/.cache/...``) or the temporary directory, the first one writable
(:func:`cache_dir`); with none writable, kernels compile in memory, every run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from .sketch import (
    _BAND_MUL,
    _FMIX32,
    _FMIX64,
    _SHINGLE_MUL,
    _WORD_LEN,
    _WORD_MUL,
    HASH_BITS,
    KEY_BITS,
)

_HERE = Path(__file__).resolve().parent


def _writable(path: Path) -> bool:
    """True when ``path`` exists or can be made, and a file can be created in it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
        return True
    except OSError:
        return False


def cache_dir() -> Path | None:
    """Where compiled kernels are cached: ``NUMBA_CACHE_DIR`` when the user set it
    (and it is usable), else this package's ``__pycache__``, else a per-user cache
    directory, else the temporary directory; None when none is writable (a read-only
    system with no writable home: kernels then compile in memory, every run)."""
    user = os.environ.get("NUMBA_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    candidates = [Path(user)] if user else []
    candidates += [_HERE / "__pycache__", Path(xdg) / "checker" / "numba",
                   Path(tempfile.gettempdir()) / f"checker-numba-{os.getuid()}"]
    for path in candidates:
        if _writable(path):
            return path
    return None


_CACHE = cache_dir()
if _CACHE is not None and _CACHE != _HERE / "__pycache__":
    # numba reads its cache directory when a function is decorated: set it first.
    numba.config.CACHE_DIR = str(_CACHE)
_jit = numba.njit(cache=_CACHE is not None, nogil=True)

# The constants of checker.sketch (one definition: the kernels must hash alike), as
# uint64 scalars so numba keeps uint64 arithmetic (the 32-bit mix works on uint64 here).
_S33, _M64A, _M64B = _FMIX64
_S16, _M32A, _S13, _M32B = (np.uint64(c) for c in _FMIX32)
_S32 = np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)
_KEY_MASK = np.uint64((1 << HASH_BITS) - 1)
_KEY_SHIFT = np.uint64(KEY_BITS)
_ONE = np.uint64(1)
_ZERO = np.uint64(0)

_IS_ALNUM = np.zeros(256, dtype=np.bool_)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _IS_ALNUM[_c] = True
_LOWER = np.arange(256, dtype=np.uint64)
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _LOWER[_c] = _c + 32


@_jit  # type: ignore[untyped-decorator]
def _fmix64(h: Any) -> Any:
    h ^= h >> _S33
    h *= _M64A
    h ^= h >> _S33
    h *= _M64B
    h ^= h >> _S33
    return h


@_jit  # type: ignore[untyped-decorator]
def _hyphen_break(raw: Any, p: int, s: int) -> bool:
    # raw[p:s] fully matches text._HYPHEN_BREAK_RE: -[ \t]*\r?\n[ \t>]*
    if p >= s or raw[p] != 45:
        return False
    p += 1
    while p < s and (raw[p] == 32 or raw[p] == 9):
        p += 1
    if p < s and raw[p] == 13:
        p += 1
    if p >= s or raw[p] != 10:
        return False
    p += 1
    while p < s and (raw[p] == 32 or raw[p] == 9 or raw[p] == 62):
        p += 1
    return p == s


@_jit  # type: ignore[untyped-decorator]
def word_kernel(raw: Any, doc_start: Any, doc_len: Any, mask_start: Any, mask_end: Any,
                mask_ptr: Any) -> Any:
    """Words of byte-path texts concatenated in ``raw`` (doc ``d`` is
    ``raw[doc_start[d] : doc_start[d] + doc_len[d]]``), with the masks of doc ``d``
    (sorted spans, doc-relative) at ``mask_*[mask_ptr[d] : mask_ptr[d + 1]]``.

    Returns the word hashes, each word's start and end offset in its text, and the
    number of words of each text (words in text order, texts in order).
    """
    n_docs = len(doc_len)
    cap = len(raw) // 2 + n_docs + 1
    hashes = np.empty(cap, dtype=np.uint64)
    starts = np.empty(cap, dtype=np.int64)
    ends = np.empty(cap, dtype=np.int64)
    counts = np.zeros(n_docs, dtype=np.int64)
    out = 0
    for d in range(n_docs):
        base = doc_start[d]
        n = doc_len[d]
        m, m_hi = mask_ptr[d], mask_ptr[d + 1]
        have = False  # a word is pending (it may continue over a line-break hyphen)
        acc = _ZERO
        pw = _ONE
        length = 0
        w_start = 0
        last_end = -1  # end of the last kept piece of this text
        i = 0
        while i < n:
            if not _IS_ALNUM[raw[base + i]]:
                i += 1
                continue
            s = i
            # The piece: alnum bytes and apostrophes between two alnum bytes.
            while i < n:
                c = raw[base + i]
                if _IS_ALNUM[c] or (c == 39 and i + 1 < n and _IS_ALNUM[raw[base + i + 1]]):
                    i += 1
                else:
                    break
            e = i
            # Masked when its start lies in a span (bisect on the span starts).
            while m + 1 < m_hi and mask_start[m + 1] <= s:
                m += 1
            if m < m_hi and mask_start[m] <= s < mask_end[m]:
                continue
            first = raw[base + s]
            joined = (have and 97 <= first <= 122 and last_end >= 0
                      and _hyphen_break(raw, base + last_end, base + s))
            if not joined:
                if have:
                    hashes[out] = _fmix64(acc + np.uint64(length) * _WORD_LEN)
                    starts[out] = w_start
                    ends[out] = last_end
                    out += 1
                    counts[d] += 1
                have = True
                acc = _ZERO
                pw = _ONE
                length = 0
                w_start = s
            for j in range(base + s, base + e):
                c = raw[j]
                if c != 39:
                    acc += _LOWER[c] * pw
                    pw *= _WORD_MUL
                    length += 1
            last_end = e
        if have:
            hashes[out] = _fmix64(acc + np.uint64(length) * _WORD_LEN)
            starts[out] = w_start
            ends[out] = last_end
            out += 1
            counts[d] += 1
    return hashes[:out], starts[:out], ends[:out], counts


@_jit  # type: ignore[untyped-decorator]
def key_kernel(hashes: Any, counts: Any, k: int, stride: int, per_window: int, a: Any, b: Any,
               bands: int, rows: int) -> Any:
    """LSH keys of documents whose word hashes are concatenated in ``hashes``
    (``counts`` words each): ``k``-word shingles, MinHash over blocks of ``stride``
    shingles with the affine32 permutations ``(a, b)``, windows of ``per_window``
    blocks, ``bands`` band keys of ``rows`` rows each.

    Returns the keys (``windows x bands``, int64) and the windows of each document.
    """
    n_docs = len(counts)
    n_perm = len(a)
    n_win = np.zeros(n_docs, dtype=np.int64)
    total = 0
    for d in range(n_docs):
        c = counts[d]
        n_sh = c - k + 1 if c >= k else min(c, 1)
        if n_sh > 0:
            n_blocks = (n_sh + stride - 1) // stride
            n_win[d] = max(1, n_blocks - per_window + 1)
            total += n_win[d]
    keys = np.empty((total, bands), dtype=np.int64)
    a64 = a.astype(np.uint64)
    b64 = b.astype(np.uint64)
    blocks = np.empty((0, n_perm), dtype=np.uint32)
    cur = np.empty(n_perm, dtype=np.uint32)
    sig = np.empty(n_perm, dtype=np.uint32)
    w0 = 0  # first word of the document
    row = 0  # first key row of the document
    for d in range(n_docs):
        c = counts[d]
        if n_win[d] == 0:
            w0 += c
            continue
        kk = min(k, c)
        n_sh = c - kk + 1
        n_blocks = (n_sh + stride - 1) // stride
        if blocks.shape[0] < n_blocks:
            blocks = np.empty((max(n_blocks, 2 * blocks.shape[0]), n_perm), dtype=np.uint32)
        for blk in range(n_blocks):
            cur[:] = 0xFFFFFFFF
            for i in range(blk * stride, min(n_sh, (blk + 1) * stride)):
                h = hashes[w0 + i]
                for j in range(1, kk):
                    h = h * _SHINGLE_MUL + hashes[w0 + i + j]
                x = _fmix64(h) >> _S32  # the 32-bit shingle hash, then fmix32
                x ^= x >> _S16
                x = (x * _M32A) & _LOW32
                x ^= x >> _S13
                x = (x * _M32B) & _LOW32
                x ^= x >> _S16
                for p in range(n_perm):
                    v = np.uint32((x * a64[p] + b64[p]) & _LOW32)
                    if v < cur[p]:
                        cur[p] = v
            blocks[blk, :] = cur
        for w in range(n_win[d]):
            sig[:] = blocks[w]
            for j in range(1, min(per_window, n_blocks - w)):
                for p in range(n_perm):
                    if blocks[w + j, p] < sig[p]:
                        sig[p] = blocks[w + j, p]
            for band in range(bands):
                key = np.uint64(band + 1) * _SHINGLE_MUL
                for r in range(rows):
                    key = (key ^ np.uint64(sig[band * rows + r])) * _BAND_MUL
                key = _fmix64(key) & _KEY_MASK
                keys[row + w, band] = np.int64(key | (np.uint64(band) << _KEY_SHIFT))
        row += n_win[d]
        w0 += c
    return keys, n_win



def words(raw: npt.NDArray[np.uint8], doc_start: npt.NDArray[np.int64],
          doc_len: npt.NDArray[np.int64], mask_start: npt.NDArray[np.int64],
          mask_end: npt.NDArray[np.int64], mask_ptr: npt.NDArray[np.int64]
          ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int64],
                     npt.NDArray[np.int64]]:
    """Typed entry point of :func:`word_kernel`."""
    out: tuple[Any, Any, Any, Any] = word_kernel(raw, doc_start, doc_len, mask_start, mask_end,
                                                 mask_ptr)
    return out


def keys(hashes: npt.NDArray[np.uint64], counts: npt.NDArray[np.int64], k: int, stride: int,
         per_window: int, a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32], bands: int,
         rows: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Typed entry point of :func:`key_kernel`."""
    out: tuple[Any, Any] = key_kernel(hashes, counts, k, stride, per_window, a, b, bands, rows)
    return out


@_jit  # type: ignore[untyped-decorator]
def shingle_kernel(hashes: Any, counts: Any, k: int) -> Any:
    """Per document (``counts`` words each, ``hashes`` concatenated): its ``k``-word
    shingle hashes (:func:`checker.sketch.shingle_hashes`: one of all its words when it
    has fewer, none when it has no words), concatenated, and how many each has."""
    n_docs = len(counts)
    per_doc = np.zeros(n_docs, dtype=np.int64)
    for d in range(n_docs):
        if counts[d] > 0:
            per_doc[d] = counts[d] - min(k, counts[d]) + 1
    out = np.empty(per_doc.sum(), dtype=np.uint64)
    start = 0
    at = 0
    for d in range(n_docs):
        kk = min(k, counts[d])
        for i in range(per_doc[d]):
            h = hashes[start + i]
            for j in range(1, kk):
                h = h * _SHINGLE_MUL + hashes[start + i + j]
            out[at] = _fmix64(h)
            at += 1
        start += counts[d]
    return out, per_doc


def shingles(hashes: npt.NDArray[np.uint64], counts: npt.NDArray[np.int64], k: int
             ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Typed entry point of :func:`shingle_kernel`."""
    out: tuple[Any, Any] = shingle_kernel(hashes, counts, k)
    return out


@_jit  # type: ignore[untyped-decorator]
def pack_kernel(keys: Any, lengths: Any, hash_bits: int, doc_bits: int, key_bits: int) -> Any:
    """``band << (hash_bits + doc_bits) | hash << doc_bits | document`` of each key
    (keys of document ``i`` are the next ``lengths[i]`` of ``keys``), in one pass, and
    whether every band fits above them (else the words are not valid)."""
    out = np.empty(len(keys), dtype=np.uint64)
    hmask = (np.uint64(1) << np.uint64(hash_bits)) - np.uint64(1)
    band_limit = np.uint64(1) << np.uint64(64 - hash_bits - doc_bits)
    fits = len(lengths) < (1 << doc_bits)
    at = 0
    for d in range(len(lengths)):
        for _ in range(lengths[d]):
            u = np.uint64(keys[at])
            band = u >> np.uint64(key_bits)
            if band >= band_limit:
                fits = False
            out[at] = ((band << np.uint64(hash_bits + doc_bits))
                       | ((u & hmask) << np.uint64(doc_bits)) | np.uint64(d))
            at += 1
    return out, fits


@_jit  # type: ignore[untyped-decorator]
def unpack_kernel(packed: Any, n_docs: int, hash_bits: int, doc_bits: int, key_bits: int
                  ) -> Any:
    """The distinct entries of sorted packed words: keys, documents, and the number
    of distinct keys of each document, in one pass."""
    keys = np.empty(len(packed), dtype=np.int64)
    docs = np.empty(len(packed), dtype=np.uint32)
    counts = np.zeros(n_docs, dtype=np.int64)
    hmask = (np.uint64(1) << np.uint64(hash_bits)) - np.uint64(1)
    dmask = (np.uint64(1) << np.uint64(doc_bits)) - np.uint64(1)
    n = 0
    for i in range(len(packed)):
        p = packed[i]
        if i and p == packed[i - 1]:
            continue
        d = p & dmask
        keys[n] = np.int64(((p >> np.uint64(hash_bits + doc_bits)) << np.uint64(key_bits))
                           | ((p >> np.uint64(doc_bits)) & hmask))
        docs[n] = np.uint32(d)
        counts[d] += 1
        n += 1
    return keys[:n], docs[:n], counts


def distinct_packed(keys: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64],
                    doc_bits: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32],
                                            npt.NDArray[np.int64]] | None:
    """Sorted distinct ``(key, document)`` entries of a batch (see
    :mod:`checker.store.batchkeys`): pack, one ``np.sort``, unpack; None when the
    batch has more documents or bands than a packed word holds."""
    packed, fits = pack_kernel(keys, lengths, HASH_BITS, doc_bits, KEY_BITS)
    del keys  # the caller keeps no reference (batchkeys.distinct_entries): freed here
    if not fits:
        return None
    packed.sort()
    out: tuple[Any, Any, Any] = unpack_kernel(packed, len(lengths), HASH_BITS, doc_bits,
                                              KEY_BITS)
    return out
