"""Vectorised MinHash sketches of word shingles, and LSH band keys.

Signatures are computed for a whole document at once with numpy: word
hashes (a polynomial hash of each word's UTF-8 bytes, summed with
``reduceat``), shingle hashes by array arithmetic, one ``(shingles x
num_perm)`` matrix of permuted hashes, and window minima by ``reduceat``.
No Python loop runs per shingle or per permutation. The same word hash is
computed from raw text bytes for whole batches of documents by
:mod:`checker.fastsketch`, which is what makes indexing fast.

Compatibility: the permutations and the 32-bit hash mixing are those of
``datasketch.MinHash(num_perm, seed, scheme="affine32")`` (datasketch >= 2.0),
so ``window_signatures`` equals a datasketch MinHash updated with the same
32-bit shingle hashes (see ``tests/test_sketch.py``). An index records
:attr:`SketchParams.scheme`; sketches of another scheme are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import ConfigError

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

SCHEME = (
    "checker-3: polynomial utf-8 words, polynomial shingles, datasketch affine32 "
    "permutations, 36-bit band hashes"
)

_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_FMIX64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_SHINGLE_MUL = np.uint64(0x9E3779B97F4A7C15)
# Word hash: sum of byte_j * _WORD_MUL**j (mod 2**64) plus length * _WORD_LEN, mixed.
# An odd multiplier and a per-byte sum make it computable with reduceat over
# the bytes of a whole batch of texts at once.
_WORD_MUL = np.uint64(0x100000001B3)
_WORD_LEN = np.uint64(0xC2B2AE3D27D4EB4F)
_BAND_MUL = _WORD_MUL  # mixes each band's rows into its key (band_keys)
# Band keys: the band number sits at bit 48, above a 36-bit hash, so a store can
# split keys by band and keep only 16 bits per entry under a 20-bit bucket
# directory. 36 bits are plenty: at a million articles (20M passages per band) a
# query key meets an unrelated entry with probability 20M / 2**36 = 3e-4, which
# costs a stray vote for a candidate, never a missed one.
KEY_BITS = 48
HASH_BITS = 36
_KEY_MASK = np.uint64((1 << HASH_BITS) - 1)


@dataclass(frozen=True)
class SketchParams:
    """How passages are sketched. Stored in the index; changing any value
    needs a new index.

    Attributes:
        num_perm: permutations per MinHash signature (= bands * rows or more).
        seed: seed of the permutations (as datasketch's ``seed``).
        shingle_words: words per shingle.
        passage_words: shingles per indexed passage (window length).
        passage_stride: shingles between the starts of indexed passages; must
            divide ``passage_words``.
        query_stride: shingles between draft windows at scan time; must
            divide ``passage_words``. Smaller finds more, costs more queries.
        bands, rows: LSH banding; a window pair with Jaccard ``J`` becomes a
            candidate with probability ``1 - (1 - J**rows) ** bands``.
        scheme: hash scheme identifier; see the module docstring.
    """

    num_perm: int = 96
    seed: int = 1
    shingle_words: int = 3
    passage_words: int = 32
    passage_stride: int = 16
    query_stride: int = 4
    bands: int = 32
    # Two rows: a window sharing a fifth of its shingles with an indexed one (a
    # reworded passage) becomes a candidate with p ~ 0.7 (three rows: 0.2), for
    # the same number of keys; measured in docs/benchmarks.md (accuracy).
    rows: int = 2
    scheme: str = SCHEME

    def __post_init__(self) -> None:
        def need(ok: bool, msg: str) -> None:
            if not ok:
                raise ConfigError(f"invalid sketch parameters: {msg}")

        need(self.num_perm >= 2, "num_perm must be at least 2")
        need(self.shingle_words >= 1, "shingle_words must be at least 1")
        need(self.bands >= 1 and self.rows >= 1, "bands and rows must be at least 1")
        need(self.bands * self.rows <= self.num_perm, "bands * rows must not exceed num_perm")
        for name in ("passage_stride", "query_stride"):
            step = getattr(self, name)
            need(
                step >= 1 and self.passage_words % step == 0,
                f"{name} ({step}) must divide passage_words ({self.passage_words})",
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SketchParams:
        return cls(**data)


#: Named parameter sets for a new index. ``default`` finds the most (heavy edits
#: included); ``archive`` stores about half the LSH entries per article (32-shingle
#: passages that do not overlap, 16 bands of 2 rows over 32 permutations), for archives
#: of millions of articles, at a cost in heavy-edit recall (97% -> 88% on Reuters-21578,
#: pastes unchanged; see docs/benchmarks.md, "Scale").
PROFILES: dict[str, SketchParams] = {
    "default": SketchParams(),
    "archive": SketchParams(num_perm=32, bands=16, rows=2, passage_stride=32),
}


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """Return datasketch's affine32 permutation parameters ``(a, b)``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: U32) -> U32:
    s1, m1, s2, m2 = _FMIX32
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s1)


def _fmix64(h: U64) -> U64:
    s, m1, m2 = _FMIX64
    h = h ^ (h >> s)
    h = h * m1
    h = h ^ (h >> s)
    h = h * m2
    return h ^ (h >> s)


_WORD_MUL_INV = np.uint64(pow(int(_WORD_MUL), -1, 1 << 64))
_pow_cache: list[tuple[U64, U64]] = []


def _powers(n: int) -> tuple[U64, U64]:
    """``_WORD_MUL ** j`` and its inverse for ``j < n`` (mod 2**64), cached."""
    if not _pow_cache or len(_pow_cache[0][0]) < n:
        size = max(n, 2 * len(_pow_cache[0][0]) if _pow_cache else 0, 1 << 16)
        pw = np.full(size, _WORD_MUL, dtype=np.uint64)
        inv = np.full(size, _WORD_MUL_INV, dtype=np.uint64)
        pw[0] = inv[0] = 1
        _pow_cache[:] = [(np.multiply.accumulate(pw), np.multiply.accumulate(inv))]
    pw, inv = _pow_cache[0]
    return pw[:n], inv[:n]


def hash_word_bytes(data: npt.NDArray[np.uint8], lengths: npt.NDArray[np.int64]) -> U64:
    """Word hashes of words given as concatenated bytes and their lengths.

    ``hash(w) = fmix64(sum_j w[j] * M**j + len(w) * L)`` (mod 2**64). Computed for
    all words at once: bytes times ``M ** (global position)``, summed per word with
    ``reduceat``, then shifted back by the inverse power of each word's start.
    """
    if len(lengths) == 0:
        return np.empty(0, dtype=np.uint64)
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    pw, inv = _powers(len(data))
    with np.errstate(over="ignore"):
        terms = data * pw  # uint8 * uint64 -> uint64
        # A word can be empty ("\u02bc" alone normalises to ""): its sum is 0.
        sums = np.zeros(len(lengths), dtype=np.uint64)
        full = lengths > 0
        if full.any():
            sums[full] = np.add.reduceat(terms, starts[full]) * inv[starts[full]]
        return _fmix64(sums + lengths.astype(np.uint64) * _WORD_LEN)


_HASH_CHUNK_WORDS = 1 << 16


def word_hashes(words: list[str]) -> U64:
    """64-bit hash of each word, from its UTF-8 bytes (see ``hash_word_bytes``)."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    if len(words) > _HASH_CHUNK_WORDS:
        # A long draft: hash it in pieces, so the joined bytes and per-byte temporaries
        # stay small (the hashes themselves are 8 bytes a word).
        return np.concatenate([word_hashes(words[i: i + _HASH_CHUNK_WORDS])
                               for i in range(0, len(words), _HASH_CHUNK_WORDS)])
    joined = "".join(words)
    if joined.isascii():
        data = joined.encode("ascii")
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    else:
        encoded = [w.encode("utf-8") for w in words]
        data = b"".join(encoded)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(words))
    return hash_word_bytes(np.frombuffer(data, dtype=np.uint8), lengths)


def shingle_hashes(word_hash: U64, k: int) -> U64:
    """64-bit hash of every run of ``k`` consecutive words.

    A text shorter than ``k`` words yields one shingle of all its words.
    """
    n = len(word_hash)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    k = min(k, n)
    with np.errstate(over="ignore"):
        h = word_hash[: n - k + 1].copy()
        for j in range(1, k):
            h = h * _SHINGLE_MUL + word_hash[j : n - k + 1 + j]
        return _fmix64(h)


def shingle_hashes32(shingles: U64) -> U32:
    """The 32-bit shingle hash fed to the permutations (high half)."""
    return (shingles >> np.uint64(32)).astype(np.uint32)


def window_signatures(shingles32: U32, params: SketchParams, stride: int) -> U32:
    """MinHash signatures of windows of ``params.passage_words`` shingles.

    Windows start every ``stride`` shingles; the last window reaches the end
    of the text, and a text shorter than one window gives a single window.

    Returns:
        array of shape ``(windows, num_perm)``; empty when there are no shingles.
    """
    n = len(shingles32)
    if n == 0:
        return np.empty((0, params.num_perm), dtype=np.uint32)
    a, b = permutations(params.num_perm, params.seed)
    with np.errstate(over="ignore"):
        phv = _fmix32(shingles32)[:, None] * a[None, :] + b[None, :]
    block_starts = np.arange(0, n, stride)
    blocks = np.minimum.reduceat(phv, block_starts, axis=0)
    per_window = params.passage_words // stride
    n_windows = max(1, len(block_starts) - per_window + 1)
    sig = blocks[:n_windows].copy()
    for j in range(1, per_window):
        upto = min(n_windows, len(blocks) - j)
        np.minimum(sig[:upto], blocks[j : j + upto], out=sig[:upto])
    return sig


def band_keys(signatures: U32, params: SketchParams) -> npt.NDArray[np.int64]:
    """LSH bucket keys, one per band per window, as signed 64-bit integers.

    A key is ``band << 48 | hash36(band, rows)``: one flat key space serves all
    bands and a store can split keys by band. Returns ``(windows, bands)``.
    """
    w = signatures.shape[0]
    r = params.rows
    used = signatures[:, : params.bands * r].reshape(w, params.bands, r).astype(np.uint64)
    with np.errstate(over="ignore"):
        key = np.arange(1, params.bands + 1, dtype=np.uint64)[None, :] * _SHINGLE_MUL
        for j in range(r):
            key = (key ^ used[:, :, j]) * _BAND_MUL
        key = _fmix64(key) & _KEY_MASK
        key |= np.arange(params.bands, dtype=np.uint64)[None, :] << np.uint64(KEY_BITS)
    return key.view(np.int64)


#: Windows whose keys :func:`iter_text_keys` computes at a time: a few MB of temporaries,
#: whatever the length of the text.
KEY_CHUNK_WINDOWS = 8192


def iter_text_keys(words: list[str], params: SketchParams, stride: int,
                   chunk: int | None = None) -> Iterator[tuple[int, npt.NDArray[np.int64]]]:
    """:func:`text_keys` in pieces of at most ``chunk`` windows (default
    :data:`KEY_CHUNK_WINDOWS`): ``(first window, keys)``.

    The rows, concatenated, are exactly :func:`text_keys`; memory stays O(chunk) instead
    of ``windows x num_perm`` permuted hashes for the whole text (about 400 bytes per
    word of a long draft).
    """
    n = len(words)
    if n == 0:
        return
    chunk = chunk or KEY_CHUNK_WINDOWS
    k = params.shingle_words
    n_sh = max(1, n - k + 1)  # a text shorter than k words has one shingle
    per_window = params.passage_words // stride
    n_blocks = -(-n_sh // stride)
    n_windows = max(1, n_blocks - per_window + 1)
    for w0 in range(0, n_windows, chunk):
        w1 = min(n_windows, w0 + chunk)
        # Windows w0..w1-1 take the min over blocks w..w+per_window-1: shingles from
        # w0*stride to (w1-1+per_window)*stride, i.e. these words.
        sh_end = min(n_sh, (w1 - 1 + per_window) * stride)
        word_end = min(n, sh_end + k - 1)
        piece = words[w0 * stride: word_end]
        shingles = shingle_hashes(word_hashes(piece), k)[: sh_end - w0 * stride]
        sig = window_signatures(shingle_hashes32(shingles), params, stride)
        if w1 < n_windows or len(sig) > w1 - w0:
            sig = sig[: w1 - w0]
        yield w0, band_keys(sig, params)


def text_keys(words: list[str], params: SketchParams, stride: int) -> npt.NDArray[np.int64]:
    """All LSH keys of a text's windows (``windows x bands``), from its words."""
    return hash_keys(word_hashes(words), params, stride)


def hash_keys(hashes: U64, params: SketchParams, stride: int) -> npt.NDArray[np.int64]:
    """:func:`text_keys` from the text's word hashes (:func:`word_hashes`), which a scan
    has computed already for its sources."""
    shingles = shingle_hashes(hashes, params.shingle_words)
    return band_keys(window_signatures(shingle_hashes32(shingles), params, stride), params)
