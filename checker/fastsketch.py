"""LSH keys of whole batches of documents, computed on byte arrays.

Indexing spends its time here, so nothing runs per word or per shingle in
Python. :func:`batch_keys` (``index add``) joins the texts of a batch into one
byte array and runs the compiled kernels of :mod:`checker.kernels` over it:
one pass finds the words (with their offsets) and hashes them, one pass makes
shingles, the permutation minimum over passages and the band keys. The numpy
functions below (:func:`batch_word_hashes`, used by scans to hash all
candidates at once, and :func:`byte_tokens`) do the same with array
operations; ``tests/test_kernels.py`` keeps the numpy batch path as the
reference the kernels must equal bit for bit. A scan never imports numba.

The words are exactly those of :func:`checker.text.tokenize` (see
``tests/test_fastsketch.py``, a property test). The byte path applies to a
text whose non-ASCII characters are all non-word characters (curly quotes,
dashes, no-break spaces; not combining marks, which ``tokenize`` keeps in
words): each is replaced by ``?``, which keeps character offsets and is never
part of a word or of a line-break hyphenation. A text
with non-ASCII letters or digits, invisible characters (soft hyphens, zero-width
spaces) or curly apostrophes takes the
exact path (``tokenize`` + ``word_hashes``); both give the same keys.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .sketch import (
    U64,
    SketchParams,
    hash_word_bytes,
    permutations,
    text_keys,
    word_hashes,
)
from .text import _HYPHEN_BREAK_RE, _MARKS, IGNORABLE, Tokens, tokenize

I64 = npt.NDArray[np.int64]
Mask = Sequence[tuple[int, int]]

_MARK_RE = re.compile("[" + _MARKS + "]")
_IGNORABLE_RE = re.compile("[" + IGNORABLE + "]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_ALNUM = np.zeros(256, dtype=bool)
_LOWER = np.arange(256, dtype=np.uint8)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _ALNUM[_c] = True
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _LOWER[_c] = _c + 32
_IS_LOWER = np.zeros(256, dtype=bool)
_IS_LOWER[ord("a") : ord("z") + 1] = True
_APOS, _DASH, _SEP = ord("'"), ord("-"), b"\x00"


def _wordish(c: str) -> bool:
    # What tokenize may put in a word: \w minus "_" (isalnum), combining marks,
    # and the in-word invisible characters and apostrophes.
    return (c.isalnum() or c in "\u2019\u02bc" or _MARK_RE.match(c) is not None
            or _IGNORABLE_RE.match(c) is not None)


_wordish_cache: dict[str, bool] = {}


# Latin-1 bytes: which are word characters for tokenize (then the byte path does not
# apply), and the byte path's "?" for every non-ASCII one, as bytes.translate tables.
_LATIN1_WORDISH = bytes(1 if b >= 128 and _wordish(chr(b)) else 0 for b in range(256))
_LATIN1_ASCII = bytes(b if b < 128 else ord("?") for b in range(256))


def byte_text(text: str) -> bytes | None:
    """The text as one byte per character for the byte path, or None."""
    if text.isascii():
        return text.encode("ascii")
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    else:  # two C passes instead of a regex over the text
        if 1 in latin.translate(_LATIN1_WORDISH):
            return None
        return latin.translate(_LATIN1_ASCII)
    cache = _wordish_cache
    for c in set(_NON_ASCII_RE.findall(text)):
        w = cache.get(c)
        if w is None:
            w = cache[c] = _wordish(c)
        if w:
            return None
    return text.encode("ascii", "replace")


def _pieces(texts: Sequence[bytes], masks: Sequence[Mask]) -> tuple[Any, ...]:
    """Word pieces of byte-path texts joined by NUL bytes: ``raw`` bytes, piece
    starts and ends, kept (not masked), joined to the previous piece (line-break
    hyphenation), inner-apostrophe and word-byte flags, and each piece's text."""
    raw = np.frombuffer(_SEP.join(texts), dtype=np.uint8)
    bases = np.zeros(len(texts), dtype=np.int64)
    np.cumsum([len(t) + 1 for t in texts[:-1]], out=bases[1:])
    alnum = _ALNUM[raw]
    apos = raw == _APOS
    inner = np.zeros_like(apos)
    inner[1:-1] = apos[1:-1] & alnum[:-2] & alnum[2:]
    word = alnum | inner
    edge = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)
    doc = np.searchsorted(bases, starts, side="right") - 1
    keep = np.ones(len(starts), dtype=bool)
    spans = [(s + b, min(e, n) + b) for m, b, n in zip(masks, bases.tolist(), map(len, texts),
                                                      strict=True) for s, e in m if s < n]
    if spans:
        ms = np.array(spans, dtype=np.int64)
        i = np.searchsorted(ms[:, 0], starts, side="right") - 1
        keep &= ~((i >= 0) & (starts < ms[np.maximum(i, 0), 1]))
    # Line-break hyphenation: "exam-\nple" is one word when both pieces are kept
    # and the second starts lower case. Few gaps start with "-": check those exactly.
    joined = np.zeros(len(starts), dtype=bool)
    if len(starts) > 1:
        prev_end = ends[:-1]
        cand = np.flatnonzero((raw[np.minimum(prev_end, len(raw) - 1)] == _DASH)
                              & _IS_LOWER[raw[starts[1:]]] & keep[1:] & keep[:-1]) + 1
        if len(cand):
            buf = raw.tobytes()
            for j in cand.tolist():
                gap = buf[ends[j - 1] : starts[j]].decode("ascii")
                joined[j] = _HYPHEN_BREAK_RE.fullmatch(gap) is not None
    return raw, starts, ends, keep, joined, inner, word, doc


def byte_tokens(text: str, mask: Mask = ()) -> Tokens | None:
    """``tokenize(text, mask)`` for a byte-path text (None otherwise), vectorised."""
    b = byte_text(text)
    if b is None:
        return None
    _, starts, ends, keep, joined, inner, _, _ = _pieces([b], [mask])
    if not keep.all():
        starts, ends, joined = starts[keep], ends[keep], joined[keep]
    lower = text.lower() if text.isascii() else text.encode("ascii", "replace").decode().lower()
    pieces = [lower[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    if inner.any():
        pieces = [p.replace("'", "") for p in pieces]
    if joined.any():
        firsts = [*np.flatnonzero(~joined).tolist(), len(pieces)]
        pieces = ["".join(pieces[i:j]) for i, j in itertools.pairwise(firsts)]
        last = np.flatnonzero(np.append(~joined[1:], True))
        starts, ends = starts[~joined], ends[last]
    return Tokens(pieces, starts.astype(np.int64), ends.astype(np.int64))


def batch_word_hashes(texts: Sequence[bytes], masks: Sequence[Mask]) -> tuple[U64, I64]:
    """Word hashes of byte-path texts, concatenated, and the number of words of each."""
    if not texts:
        return np.empty(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    raw, starts, ends, keep, joined, inner, word, doc = _pieces(texts, masks)
    # Bytes of the pieces without inner apostrophes, in order (joined pieces
    # concatenate), then without the pieces a mask hides.
    piece_len = ends - starts
    data = raw[word & ~inner]
    n_apos = int(np.count_nonzero(inner))
    if n_apos:
        at = np.searchsorted(starts, np.flatnonzero(inner), side="right") - 1
        piece_len = piece_len - np.bincount(at, minlength=len(starts))
    if not keep.all():
        data = data[np.repeat(keep, piece_len)]
        piece_len, joined, doc = piece_len[keep], joined[keep], doc[keep]
    data = _LOWER[data]
    word_id = np.cumsum(~joined) - 1
    n_words = int(word_id[-1]) + 1 if len(word_id) else 0
    if n_words == len(piece_len):
        lengths = piece_len.astype(np.int64)
    else:
        lengths = np.bincount(word_id, weights=piece_len, minlength=n_words).astype(np.int64)
    hashes = hash_word_bytes(data, lengths)
    first = doc[~joined]
    counts = np.bincount(first, minlength=len(texts)).astype(np.int64)
    return hashes, counts


def text_word_hashes(texts: Sequence[str], masks: Sequence[Mask]) -> list[U64]:
    """``word_hashes(tokenize(text, mask).words)`` of each text, the byte-path texts
    in one vectorised pass (a scan hashes all its candidate sources at once)."""
    out: list[U64] = [np.empty(0, np.uint64)] * len(texts)
    fast: list[int] = []
    fast_bytes: list[bytes] = []
    for i, text in enumerate(texts):
        b = byte_text(text)
        if b is None:
            out[i] = word_hashes(tokenize(text, masks[i]).words)
        else:
            fast.append(i)
            fast_bytes.append(b)
    if fast:
        hashes, counts = batch_word_hashes(fast_bytes, [masks[i] for i in fast])
        for i, part in zip(fast, np.split(hashes, np.cumsum(counts)[:-1]), strict=True):
            out[i] = part
    return out


def document_keys(text: str, mask: Mask, params: SketchParams) -> tuple[I64, int]:
    """LSH keys (``passages x bands``) of one indexed text, and its word count: the
    one-document path, which :func:`batch_keys` must agree with."""
    tokens = tokenize(text, mask)
    if not tokens.words:
        return np.empty((0, params.bands), dtype=np.int64), 0
    return text_keys(tokens.words, params, params.passage_stride), len(tokens)


def kernel_inputs(texts: Sequence[bytes], masks: Sequence[Mask]) -> tuple[Any, ...]:
    """The arguments of :func:`checker.kernels.words` for byte-path texts: their
    bytes joined, each text's start and length, and their masks as flat arrays."""
    raw = np.frombuffer(b"".join(texts), dtype=np.uint8)
    doc_len = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    doc_start = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(doc_len[:-1], out=doc_start[1:])
    spans = [span for m in masks for span in m]
    flat = np.array(spans, dtype=np.int64).reshape(-1, 2)
    mask_ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(m) for m in masks], out=mask_ptr[1:])
    return raw, doc_start, doc_len, flat[:, 0].copy(), flat[:, 1].copy(), mask_ptr


def batch_keys(texts: Sequence[str], masks: Sequence[Mask],
               params: SketchParams) -> tuple[list[I64], list[int]]:
    """LSH keys (``passages x bands``) and word count of each text: the byte-path
    texts in one pass of the compiled kernels (:mod:`checker.kernels`), the others
    one at a time (:func:`document_keys`)."""
    keys: list[I64] = [np.empty((0, params.bands), dtype=np.int64)] * len(texts)
    words = [0] * len(texts)
    fast: list[int] = []
    fast_bytes: list[bytes] = []
    for i, text in enumerate(texts):
        b = byte_text(text)
        if b is None:
            keys[i], words[i] = document_keys(text, masks[i], params)
        else:
            fast.append(i)
            fast_bytes.append(b)
    if not fast:
        return keys, words
    # Imported here: numba's import is paid by ``index add`` only, never by a scan.
    from . import kernels

    hashes, _, _, counts = kernels.words(*kernel_inputs(fast_bytes, [masks[i] for i in fast]))
    perm_a, perm_b = permutations(params.num_perm, params.seed)
    flat, n_win = kernels.keys(hashes, counts, params.shingle_words, params.passage_stride,
                               params.passage_words // params.passage_stride, perm_a, perm_b,
                               params.bands, params.rows)
    bounds = np.cumsum(n_win).tolist()
    prev = 0
    for i, end, c in zip(fast, bounds, counts.tolist(), strict=True):
        keys[i], words[i] = flat[prev:end], c
        prev = end
    return keys, words
