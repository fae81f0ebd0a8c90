"""A document's story sketch: what :class:`checker.boilerplate.Stories` compares to
tell copies of one story from different stories.

A sketch is the bottom-:data:`SKETCH_SIZE` hashes of the distinct 5-word shingles of
the document's opening (:data:`STORY_PREFIX_CHARS` characters of its stored text), with
the number of those shingles. A scan meets ~220 documents per draft whose sketches it
needs (1,000-word drafts against 100,000 articles); computing them means reading,
decompressing and hashing each one's text (~40% of a scan's time under cProfile), so an
index stores each document's sketch when it is written (:func:`story_sketches`, in the
workers that sketch the documents) and a scan reads them (``Store.story_sketches``). An
index written before sketches were stored has none for its older documents: a scan
computes those from their text, with the same function, so its findings are the same
either way.

Stored form (:func:`encode`): the shingle count as 4 bytes, then the sketch's hashes,
8 bytes each, little-endian, ascending. A stored sketch is data from an index file or
a server: :func:`decode` bounds and checks it and answers None for anything malformed,
and the scan then computes that document's sketch from its text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from . import sortedops
from .fastsketch import text_word_hashes
from .sketch import shingle_hashes

U64 = npt.NDArray[np.uint64]

#: Shingles kept per document to tell copies apart cheaply: the smallest hashes of its
#: distinct 5-word shingles (a bottom-k sketch; the share two sketches have in common
#: estimates the Jaccard similarity of the documents within about +-0.1).
SKETCH_SIZE = 128
#: A document's story is told from its opening characters: copies and versions of one
#: story share their opening, and reading less keeps the check cheap.
STORY_PREFIX_CHARS = 4000
# Words per shingle of a story sketch.
SHINGLE_WORDS = 5
# The largest stored sketch: its count and SKETCH_SIZE hashes.
MAX_BYTES = 4 + 8 * SKETCH_SIZE


def story_shingles(word_hashes: U64) -> U64:
    """The distinct 5-word shingles of a text (given as its word hashes), sorted."""
    return sortedops.unique(shingle_hashes(word_hashes, SHINGLE_WORDS))


def sketch_of(word_hashes: U64) -> tuple[U64, int]:
    """The sketch of a text's opening (given as its word hashes) and its shingle count."""
    shingles = story_shingles(word_hashes)
    return shingles[:SKETCH_SIZE], len(shingles)


def text_sketches(texts: Sequence[str]) -> list[tuple[U64, int]]:
    """:func:`sketch_of` each text's opening, all hashed in one vectorised pass."""
    hashes = text_word_hashes([t[:STORY_PREFIX_CHARS] for t in texts], [() for _ in texts])
    return [sketch_of(h) for h in hashes]


def encode(sketch: U64, n: int) -> bytes:
    """The stored form of a sketch and its shingle count."""
    return int(n).to_bytes(4, "little") + np.asarray(sketch, dtype="<u8").tobytes()


def story_sketches(texts: Sequence[str]) -> list[bytes]:
    """The stored form of each text's sketch (what a store writes with the document):
    :func:`text_sketches`, its words and shingles hashed in the compiled kernels of
    ``index add`` (:func:`checker.kernels.words`, :func:`~checker.kernels.shingles`: one
    pass over the batch), each document's shingles then sorted by numpy."""
    # Imported here: numba's import is paid by ``index add`` only, never by a scan.
    from . import kernels
    from .fastsketch import byte_text, kernel_inputs

    prefixes = [t[:STORY_PREFIX_CHARS] for t in texts]
    raw = [byte_text(p) for p in prefixes]
    fast = [i for i, b in enumerate(raw) if b is not None]
    slow = [i for i, b in enumerate(raw) if b is None]  # text the byte path does not cover
    out = [b""] * len(texts)
    for i, (sketch, n) in zip(slow, text_sketches([prefixes[i] for i in slow]), strict=True):
        out[i] = encode(sketch, n)
    if fast:
        hashes, _, _, counts = kernels.words(*kernel_inputs([b for b in raw if b is not None],
                                                            [() for _ in fast]))
        flat, per_doc = kernels.shingles(hashes, counts, SHINGLE_WORDS)
        ends = np.cumsum(per_doc).tolist()
        for i, start, end in zip(fast, [0, *ends[:-1]], ends, strict=True):
            distinct = sortedops.unique(flat[start:end])
            out[i] = encode(distinct[:SKETCH_SIZE], len(distinct))
    return out


def stored_forms(docs: Sequence[tuple[bytes, str]]) -> list[bytes]:
    """What a store writes for each document given as ``(its sketch's stored form or
    b"", its text or "")``: the sketch as given, else computed from the text, else
    b"" (no text at hand: the document is written without one)."""
    out = [story for story, _ in docs]
    todo = [i for i, (story, text) in enumerate(docs) if not story and text]
    for i, blob in zip(todo, story_sketches([docs[i][1] for i in todo]), strict=True):
        out[i] = blob
    return out


def decode(blob: bytes) -> tuple[U64, int] | None:
    """A stored sketch and its shingle count; None when it is not one :func:`encode`
    could have written (wrong length, hashes not ascending, a count that disagrees)."""
    size = len(blob)
    if size < 4 or size > MAX_BYTES or (size - 4) % 8:
        return None
    n = int.from_bytes(blob[:4], "little")
    sketch = np.frombuffer(blob, dtype="<u8", offset=4).astype(np.uint64)
    if len(sketch) != min(n, SKETCH_SIZE) or (len(sketch) > 1 and
                                               not bool((sketch[1:] > sketch[:-1]).all())):
        return None
    return sketch, n
