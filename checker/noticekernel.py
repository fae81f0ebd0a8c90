"""The notice scan's first step, compiled, for ``index add``: the lines with notice words.

:func:`checker.notices.find_rights` looks for notices only on the lines that hold one
of its trigger words (``notices._trigger_lines``: the lower-cased text searched once per
trigger with ``str.find``). That search was half of an indexing worker's notice time
(~0.3 ms per 4 KB article: ``str.find`` of a short word runs ~3 ns per character and
there are 18 words). :func:`trigger_lines` finds the same line starts for a whole batch
of texts in one compiled pass over their bytes, skipping the rest of a line once it is
found; ``find_rights(text, lines)`` then reads only those lines, as before.

It applies to a text whose characters are all Latin-1 (one byte each): the lower case of
a Latin-1 character is one Latin-1 character, so offsets do not move, and the tables
below are made from Python's own ``str.lower`` and ``str.isalnum``. Any other text gets
None (the caller lets ``find_rights`` search it). ``tests/test_noticekernel.py`` checks
that the starts equal ``_trigger_lines`` on fixtures, the Reuters articles and random
text. Only ``index add`` imports this module (numba); scans never do.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .kernels import _jit
from .notices import _AT_WORD_START, _TRIGGERS

I64 = npt.NDArray[np.int64]
U8 = npt.NDArray[np.uint8]


def _tables() -> tuple[U8, U8, U8, I64, U8, U8, U8]:
    low = np.array([ord(chr(b).lower()) for b in range(256)], dtype=np.uint8)
    # What notices tests on the character before a word-start trigger: the lower-cased
    # character's isalnum().
    alnum = np.array([chr(b).lower().isalnum() for b in range(256)], dtype=np.uint8)
    words = [w.encode("latin-1") for w in _TRIGGERS]
    width = max(map(len, words))
    trig = np.zeros((len(words), width), dtype=np.uint8)
    for i, w in enumerate(words):
        trig[i, : len(w)] = np.frombuffer(w, dtype=np.uint8)
    lengths = np.array([len(w) for w in words], dtype=np.int64)
    at_start = np.array([w in _AT_WORD_START for w in _TRIGGERS], dtype=np.uint8)
    # A position can start a trigger only if its two bytes (raw, not lower-cased;
    # 0 after a text's last byte) begin one.
    pair_low = np.zeros((256, 256), dtype=np.uint8)
    for w in words:
        if len(w) == 1:
            pair_low[w[0], :] = 1
        else:
            pair_low[w[0], w[1]] = 1
    pair = pair_low[low[:, None], low[None, :]]
    # Small tables (in L1 cache): ``first[b]`` numbers the bytes that begin a trigger
    # (0: none), and row ``first[b]`` of ``second`` says which bytes may follow.
    starts = np.flatnonzero(pair.any(axis=1))
    first = np.zeros(256, dtype=np.uint8)
    first[starts] = np.arange(1, len(starts) + 1)
    second = np.zeros((len(starts) + 1, 256), dtype=np.uint8)
    second[1:] = pair[starts]
    return low, alnum, trig, lengths, at_start, second.ravel(), first


# Latin-1 lower-cases to Latin-1, one character each (checked here, not assumed).
assert all(len(chr(b).lower()) == 1 and ord(chr(b).lower()) < 256 for b in range(256))
_LOW, _ALNUM, _TRIG, _TRIG_LEN, _AT_START, _PAIR, _FIRST = _tables()


@_jit  # type: ignore[untyped-decorator]
def _scan(raw: U8, doc_start: I64, doc_len: I64, low: U8, alnum: U8, trig: U8,
          trig_len: I64, at_start: U8, pair: U8, first: U8
          ) -> tuple[I64, I64]:  # pragma: no cover
    """Start offsets (within each text) of the lines holding a trigger, and how many
    each text has: what ``notices._trigger_lines`` returns, for every text at once."""
    n_docs = doc_start.shape[0]
    lines = 0
    for i in range(raw.shape[0]):
        if raw[i] == 10:
            lines += 1
    out = np.empty(lines + n_docs, dtype=np.int64)
    counts = np.zeros(n_docs, dtype=np.int64)
    k = 0
    n_trig = trig.shape[0]
    for d in range(n_docs):
        base = doc_start[d]
        end = base + doc_len[d]
        line = base
        done = False  # this line is found: the rest of it can only add the same start
        # A for loop (not while with jumps): numba compiles it ~7x faster.
        for i in range(base, end):
            c = raw[i]
            if c == 10:
                line = i + 1
                done = False
                continue
            if done or first[c] == 0:
                continue
            nxt = raw[i + 1] if i + 1 < end else 0
            if pair[(np.int64(first[c]) << 8) | nxt] == 0:
                continue
            lc = low[c]
            for t in range(n_trig):
                n = trig_len[t]
                if trig[t, 0] != lc or i + n > end:
                    continue
                same = True
                for j in range(1, n):
                    if low[raw[i + j]] != trig[t, j]:
                        same = False
                        break
                if not same:
                    continue
                if at_start[t] and i > base and alnum[low[raw[i - 1]]]:
                    continue
                done = True
                break
            if done:
                out[k] = line - base
                k += 1
                counts[d] += 1
    return out[:k], counts


def trigger_lines(texts: Sequence[str]) -> list[list[int] | None]:
    """``notices._trigger_lines(text)`` of each Latin-1 text (None for the others)."""
    out: list[list[int] | None] = [None] * len(texts)
    keep: list[int] = []
    data: list[bytes] = []
    for i, text in enumerate(texts):
        try:
            data.append(text.encode("latin-1"))
        except UnicodeEncodeError:
            continue
        keep.append(i)
    if not keep:
        return out
    raw = np.frombuffer(b"".join(data), dtype=np.uint8)
    doc_len = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
    doc_start = np.zeros(len(data), dtype=np.int64)
    np.cumsum(doc_len[:-1], out=doc_start[1:])
    starts, counts = _scan(raw, doc_start, doc_len, _LOW, _ALNUM, _TRIG, _TRIG_LEN,
                           _AT_START, _PAIR, _FIRST)
    flat = starts.tolist()
    at = 0
    for i, c in zip(keep, counts.tolist(), strict=True):
        out[i] = flat[at : at + c]
        at += c
    return out
