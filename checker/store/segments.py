"""Compact LSH tables: immutable segment files of sorted band keys, memory-mapped.

Why not one row per key in SQLite or a dict per band: at a million articles
the index holds hundreds of millions of ``(band key, document)`` entries;
as B-tree rows or Python objects they cost tens of bytes each. Here an entry
costs 6 bytes: a segment stores, for each band, its entries sorted by the
36-bit band hash (:data:`checker.sketch.HASH_BITS`), as

* big bands (``>= SMALL_BAND`` entries): a directory of ``2**20 + 1`` offsets
  by the top 20 bits, then the low 16 bits of each hash (``uint16``, two to a
  word) and the document number (``uint32``);
* small bands: the top 20 bits per entry (as ``uint32``), the low 16 bits and
  the document number.

So the whole hash is kept and a lookup is exact. A segment file is one
``uint32`` ``.npy`` (never pickle) holding those sections (a ``uint16`` section
is padded to whole words and read through a ``uint16`` view of the file, in the
machine's byte order, which is the ``.npy`` file's); its layout (section
offsets, in words, per band) is recorded with the segment in the SQLite
registry. Files
are written to a temporary name, fsynced and renamed before they are
registered, so an interrupted write leaves at most an unregistered file, which
the next writer deletes. Lookups memory-map the files and use a vectorised
binary search, so opening an index reads no entries at all.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..sketch import HASH_BITS, KEY_BITS
from .safety import BadIndexFile
from .segfiles import check_layout, map_segment, segment_name, write_segment

__all__ = ["Segment", "build_sections", "merge_plan", "segment_name", "write_segment"]

U16 = npt.NDArray[np.uint16]
U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

LOW_BITS = 16
DIR_BITS = HASH_BITS - LOW_BITS
SMALL_BAND = 1 << 20  # below this, 4 bytes per entry of high bits beat a 4 MB directory
_LOW = np.uint64((1 << LOW_BITS) - 1)
_SHIFT = np.uint64(LOW_BITS)
_HASH = np.uint64((1 << KEY_BITS) - 1)  # below the band number (only HASH_BITS are used)


@dataclass
class _Band:
    docs: U32
    lo: U16
    directory: U32 | None  # big bands
    hi: U32 | None  # small bands: the high bits per entry

    def __len__(self) -> int:
        return len(self.docs)

    def hashes(self) -> U64:
        """The hash of every entry (materialised; for merges and counts)."""
        if self.hi is not None:
            return (self.hi.astype(np.uint64) << _SHIFT) | self.lo.astype(np.uint64)
        assert self.directory is not None
        counts = np.diff(self.directory.astype(np.int64)).astype(np.int64)
        # A crafted directory must not make this materialise more than the band holds.
        if int(self.directory[0]) != 0 or (counts < 0).any() or int(counts.sum()) != len(self):
            raise BadIndexFile(f"a bucket directory does not add up to its {len(self)} entries")
        high = np.repeat(np.arange(len(counts), dtype=np.uint64), counts)
        return (high << _SHIFT) | self.lo.astype(np.uint64)


def _bisect(arr: U16, lo: I64, hi: I64, target: U16, right: bool) -> I64:
    """Vectorised ``bisect`` of each target within ``arr[lo:hi]`` (sorted slices)."""
    lo, hi = lo.copy(), hi.copy()
    if len(arr) == 0:
        return lo
    for _ in range(int(np.max(hi - lo, initial=0)).bit_length()):
        live = lo < hi
        if not live.any():
            break
        mid = (lo + hi) >> 1
        v = arr[np.minimum(mid, len(arr) - 1)]
        go = (v <= target) if right else (v < target)
        lo = np.where(live & go, mid + 1, lo)
        hi = np.where(live & ~go, mid, hi)
    return lo


class Segment:
    """One immutable segment file, memory-mapped."""

    def __init__(self, seg_id: int, path: Path, layout: list[dict[str, Any]],
                 bands: int | None = None) -> None:
        self.id = seg_id
        self.path = path
        data: U32 = map_segment(path)
        layout = check_layout(path.name, layout, len(data), SMALL_BAND, (1 << DIR_BITS) + 1,
                              bands)
        half: U16 = data.view(np.uint16)
        self.bands: list[_Band] = []
        for b in layout:
            n = int(b["n"])

            def part(off: int | None, size: int, d: U32 = data) -> U32 | None:
                return None if off is None else d[off : off + size]

            directory = part(b["dir"], (1 << DIR_BITS) + 1)
            docs, hi = part(b["doc"], n), part(b["hi"], n)
            lo = half[2 * b["lo"] : 2 * b["lo"] + n]
            assert docs is not None
            self.bands.append(_Band(docs=docs, lo=lo, directory=directory, hi=hi))
        self.entries = sum(len(b) for b in self.bands)
        # Big bands are searched together: offsets of their sections in the file.
        # Searched as a plain array (np.memmap's indexing adds Python work per call);
        # the memmap is kept for release().
        self._map = data
        self.data: U32 = data.view(np.ndarray)
        self.half: U16 = self.data.view(np.uint16)
        self.big = np.array([b["dir"] is not None for b in layout] + [False], dtype=bool)
        self.dir_off, self.lo_off, self.doc_off = (
            np.array([b[k] or 0 for b in layout] + [0], dtype=np.int64)
            for k in ("dir", "lo", "doc"))
        self.lo_off *= 2  # in uint16 positions
        self.sizes = np.array([b["n"] for b in layout] + [0], dtype=np.int64)
        self._small: tuple[U64, U32] | None = None

    def small(self) -> tuple[U64, U32]:
        """The small bands' entries as sorted whole keys and their documents, in
        memory. Built on the first lookup, not when the segment is opened: an add
        writes a small segment per batch and merges hundreds of them at its end,
        which never look anything up."""
        if self._small is None:
            keys = [np.empty(0, np.uint64)]
            docs_ = [np.empty(0, np.uint32)]
            for i, band in enumerate(self.bands):
                if band.hi is not None:
                    keys.append(band.hashes() | (np.uint64(i) << np.uint64(KEY_BITS)))
                    docs_.append(np.asarray(band.docs))
            self._small = np.concatenate(keys), np.concatenate(docs_)
        return self._small

    def small_ranges(self, keys: U64) -> tuple[I64, I64]:
        """``[left, right)`` entry ranges of every query in the small bands' entries."""
        small_keys, _ = self.small()
        left = np.searchsorted(small_keys, keys, "left").astype(np.int64)
        right = np.searchsorted(small_keys, keys, "right").astype(np.int64)
        return left, right

    def find_small(self, keys: U64, cap: int | None = None) -> tuple[I64, U32]:
        """Entries of queries in small bands: ``(query index, doc)``; at most ``cap``
        per query."""
        small_keys, small_docs = self.small()
        if not len(small_keys):
            return np.empty(0, np.int64), np.empty(0, np.uint32)
        left, right = self.small_ranges(keys)
        if cap is not None:
            right = np.minimum(right, left + cap)
        owner, pos = expand(left, right)
        return owner, small_docs[pos]

    def release(self) -> None:
        """Drop the mapped pages from resident memory (they are re-read on demand):
        a merge reads every band of every segment once."""
        mm = getattr(self._map, "_mmap", None)
        if mm is not None and hasattr(mmap, "MADV_DONTNEED"):
            mm.madvise(mmap.MADV_DONTNEED)

    def big_ranges(self, band_of: I64, h: U64) -> tuple[I64, I64, I64]:
        """Queries in big bands, and the ``[left, right)`` positions of their entries'
        low bits in the file's ``uint16`` view: one vectorised binary search for all
        bands at once."""
        qi = np.flatnonzero(self.big[np.minimum(band_of, len(self.big) - 1)])
        if not len(qi):
            return qi, np.empty(0, np.int64), np.empty(0, np.int64)
        b, hh = band_of[qi], h[qi]
        at = self.dir_off[b] + (hh >> _SHIFT).astype(np.int64)
        # Clipped to the band: a crafted directory cannot name entries outside it
        # (nor ask for billions of them).
        n = self.sizes[b]
        start = np.minimum(self.data[at].astype(np.int64), n)
        stop = np.clip(self.data[at + 1].astype(np.int64), start, n)
        start, stop = start + self.lo_off[b], stop + self.lo_off[b]
        low = (hh & _LOW).astype(np.uint16)
        left = _bisect(self.half, start, stop, low, False)
        right = _bisect(self.half, left, stop, low, True)
        return qi, left, right

    def find_big(self, band_of: I64, h: U64, cap: int | None = None) -> tuple[I64, U32]:
        """Entries of queries in big bands: ``(query index, doc)``; at most ``cap`` per
        query (a bucket of thousands of documents is read only as far as needed)."""
        qi, left, right = self.big_ranges(band_of, h)
        if not len(qi):
            return qi, np.empty(0, np.uint32)
        if cap is not None:
            right = np.minimum(right, left + cap)
        owner, pos = expand(left, right)
        bo = band_of[qi][owner]
        return qi[owner], np.asarray(self.data[pos - self.lo_off[bo] + self.doc_off[bo]])


def build_sections(keys: I64, docs: U32, bands: int) -> tuple[list[U32], list[dict[str, Any]]]:
    """Sorted per-band sections of ``(key, doc)`` entries, and their layout."""
    k = keys.view(np.uint64)
    if len(k) > 1 and not (k[1:] >= k[:-1]).all():  # a writer's batch comes sorted
        order = np.argsort(k, kind="stable")
        k, docs = k[order], docs[order]
    # Band ranges by searching the sorted keys (no band or hash array of the whole
    # batch: at 50,000 articles each is ~450 MB more at the write's peak).
    bounds = np.searchsorted(k, np.arange(bands + 1, dtype=np.uint64) << np.uint64(KEY_BITS))
    sections: list[U32] = []
    layout: list[dict[str, Any]] = []
    offset = 0

    def add(arr: U32) -> int:
        nonlocal offset
        sections.append(arr)
        offset += len(arr)
        return offset - len(arr)

    for b in range(bands):
        hb, db = k[bounds[b] : bounds[b + 1]] & _HASH, docs[bounds[b] : bounds[b + 1]]
        n = len(hb)
        entry: dict[str, Any] = {"n": n, "dir": None, "hi": None}
        if int(hb[-1] if n else 0) >> HASH_BITS:
            raise ValueError(f"band hashes must fit in {HASH_BITS} bits")
        high = (hb >> _SHIFT).astype(np.uint32)
        if n >= SMALL_BAND:
            # The directory: entry i is how many high parts are below i, i.e.
            # searchsorted(high, i); counted in one pass instead of 2^20 searches.
            d = np.zeros((1 << DIR_BITS) + 1, dtype=np.int64)
            np.cumsum(np.bincount(high, minlength=1 << DIR_BITS), out=d[1:])
            entry["dir"] = add(d.astype(np.uint32))
        else:
            entry["hi"] = add(high)
        entry["lo"] = add(_words((hb & _LOW).astype(np.uint16)))
        entry["doc"] = add(db.astype(np.uint32))
        layout.append(entry)
    return sections, layout


def _words(half: U16) -> U32:
    """``uint16`` values two to a ``uint32`` word (padded with a zero to whole words)."""
    if len(half) % 2:
        half = np.append(half, np.uint16(0))
    return half.view(np.uint32)


def _live(seg: Segment, b: int, dead: U32) -> tuple[U64, U32]:
    band = seg.bands[b]
    h, d = band.hashes(), np.array(band.docs)
    seg.release()
    if len(dead):
        keep = ~np.isin(d, dead)
        h, d = h[keep], d[keep]
    return h, d


def merge_plan(segments: Sequence[Segment], bands: int, dead: U32,
               dropped: dict[int, int] | None = None
               ) -> tuple[int, list[dict[str, Any]], Iterator[U32]]:
    """Total size, layout and (lazy) sections of one segment holding every live
    entry of ``segments``. Sorting one band at a time keeps the peak memory at
    about one band of entries. ``dropped`` receives, per dead document number,
    how many of its entries the merge drops (so tombstones can count what is left)."""
    sizes = []
    for b in range(bands):
        n = 0
        for seg in segments:
            d = seg.bands[b].docs
            if len(dead):
                gone = d[np.isin(d, dead)]
                n -= len(gone)
                if dropped is not None and len(gone):
                    nums, counts = np.unique(gone, return_counts=True)
                    for num, c in zip(nums.tolist(), counts.tolist(), strict=True):
                        dropped[num] = dropped.get(num, 0) + c
            n += len(d)
        sizes.append(n)
    layout: list[dict[str, Any]] = []
    offset = 0
    for n in sizes:
        big = n >= SMALL_BAND
        entry = {"n": n, "dir": offset if big else None, "hi": None if big else offset}
        offset += (1 << DIR_BITS) + 1 if big else n
        entry["lo"], entry["doc"] = offset, offset + (n + 1) // 2
        offset += (n + 1) // 2 + n
        layout.append(entry)

    def sections() -> Iterator[U32]:
        for b in range(bands):
            parts = [_live(seg, b, dead) for seg in segments]
            h = np.concatenate([p[0] for p in parts]) if parts else np.empty(0, np.uint64)
            d = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, np.uint32)
            del parts
            h, d = _stable_sort(h, d)
            key = (h | (np.uint64(b) << np.uint64(KEY_BITS))).view(np.int64)
            sec, _ = build_sections(key, d, b + 1)
            yield from sec[-3:]  # bands before b are empty here; b's three sections last

    return offset, layout, sections()


def _stable_sort(h: U64, d: U32) -> tuple[U64, U32]:
    """``h`` sorted and ``d`` with it, equal entries in their order (a stable sort):
    one ``np.sort`` of ``hash << POS | position`` words when they fit in 64 bits
    (~3x faster than a stable argsort and two gathers)."""
    n = len(h)
    pos_bits = max(1, (n - 1).bit_length())
    if n < 2 or HASH_BITS + pos_bits > 64 or (int(h.max()) >> HASH_BITS):
        order = np.argsort(h, kind="stable")
        return h[order], d[order]
    packed = (h << np.uint64(pos_bits)) | np.arange(n, dtype=np.uint64)
    packed.sort()
    order = (packed & np.uint64((1 << pos_bits) - 1)).astype(np.int64)
    return packed >> np.uint64(pos_bits), d[order]


def layout_json(layout: list[dict[str, Any]]) -> str:
    return json.dumps(layout, separators=(",", ":"))


def expand(left: I64, right: I64) -> tuple[I64, I64]:
    """``(owner, position)`` for every position in the ranges ``[left, right)``."""
    counts = right - left
    if len(counts) and int(counts.min()) < 0:  # a crafted segment: entries out of order
        raise BadIndexFile("an LSH segment's entries are out of order")
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(left)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.repeat(left - starts, counts) + np.arange(total)


def _split(keys: I64) -> tuple[U64, I64, U64]:
    k = keys.view(np.uint64)
    return k, (k >> np.uint64(KEY_BITS)).astype(np.int64), k & _HASH


def lookup(segments: Sequence[Segment], keys: I64,
           cap: int | None = None) -> tuple[I64, U32]:
    """Every stored entry of ``keys``: ``(index into keys, document number)``.

    With ``cap``, at most ``cap`` entries per key and segment (so a key with
    ``cap`` or more entries in all still yields at least ``cap``)."""
    k, band_of, h = _split(keys)
    owners: list[I64] = []
    docs: list[U32] = []
    for seg in segments:
        o, d = seg.find_big(band_of, h, cap)
        owners.append(o)
        docs.append(d)
        o, d = seg.find_small(k, cap)
        owners.append(o)
        docs.append(d)
    if not owners:
        return np.empty(0, np.int64), np.empty(0, np.uint32)
    return np.concatenate(owners), np.concatenate(docs)


def count(segments: Sequence[Segment], keys: I64) -> I64:
    """The number of stored entries of each key (dead ones included): the range
    sizes of :func:`lookup`, without reading a document number."""
    k, band_of, h = _split(keys)
    out = np.zeros(len(keys), dtype=np.int64)
    for seg in segments:
        qi, left, right = seg.big_ranges(band_of, h)
        out[qi] += right - left  # qi: distinct query indices
        if len(seg.small()[0]):
            left, right = seg.small_ranges(k)
            out += right - left
    return out


def first_per_owner(owner: I64, docs: U32, limit: int) -> tuple[I64, U32]:
    """At most ``limit`` entries per owner (the first ones)."""
    if not len(owner):
        return owner, docs
    order = np.argsort(owner, kind="stable")
    owner, docs = owner[order], docs[order]
    keep = np.arange(len(owner)) - np.searchsorted(owner, owner, "left") < limit
    return owner[keep], docs[keep]


def frequent(segments: Sequence[Segment], bands: int, dead: U32, min_documents: int) -> I64:
    """Keys with at least ``min_documents`` live entries (documents), sorted."""
    out = []
    for b in range(bands):
        parts = [_live(seg, b, dead)[0] for seg in segments if b < len(seg.bands)]
        h = np.sort(np.concatenate(parts)) if len(parts) > 1 else (parts[0] if parts else None)
        if h is None or not len(h):
            continue
        starts = np.concatenate(([0], np.flatnonzero(np.diff(h)) + 1))
        counts = np.diff(np.concatenate((starts, [len(h)])))
        hot = h[starts[counts >= min_documents]]
        out.append((hot | (np.uint64(b) << np.uint64(KEY_BITS))).view(np.int64))
    return np.sort(np.concatenate(out)) if out else np.empty(0, dtype=np.int64)
