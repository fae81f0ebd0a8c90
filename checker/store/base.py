"""The storage interface of an index, and the records it holds.

An :class:`~checker.index.Index` talks to storage only through
:class:`Store`, so a shared server-backed store can be added as a module of
its own beside :mod:`checker.store.sqlite`. Every write method is atomic: a
batch of documents is stored whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..sketch import SketchParams

# 2: LSH entries in segment files (checker.store.segments); 3: texts as zstd frames with a
# trained dictionary (checker.textcodec), 16 KiB pages; 5: never-reused segment ids
# (AUTOINCREMENT), each text's decompressed size stored to bound its decompression.
SCHEMA_VERSION = 5


@dataclass(frozen=True)
class DocumentRecord:
    """One indexed article, without its text.

    Attributes:
        id: stable public id (12 hex digits derived from ``key``).
        key: the path as given to ``index add`` (``FILE#ID`` for JSONL records).
        license: SPDX id or ``LicenseRef-*``.
        notice: the article's notice lines, or "".
        mask: character spans of the stored text that are not matched.
        words: indexed words; passages: indexed passages.
        added: ISO 8601 UTC time of the last add.
    """

    id: str
    key: str
    title: str
    publisher: str
    license: str
    notice: str
    holder: str
    years: str
    url: str
    date: str
    content_hash: str
    added: str
    words: int
    passages: int
    mask: tuple[tuple[int, int], ...]

    @property
    def path(self) -> str:
        return self.key

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = self.key
        d["mask"] = [list(span) for span in self.mask]
        return d


@dataclass(frozen=True)
class PreparedDocument:
    """A document ready to write: its record, text and LSH keys.

    ``frame``, when set, is the text's UTF-8 bytes (``size`` of them) already
    compressed as a :mod:`checker.textcodec` frame (by a worker process of
    :mod:`checker.sharded`); ``text`` is then "" and a store decompresses the frame
    when it needs the text. ``story`` is the text's story sketch
    (:func:`checker.storysketch.story_sketches`), b"" when not computed: a store then
    computes it from ``text``, and without a text the document has none (a scan
    computes it from the stored text). Only stores that name their dictionary
    (``text_dictionary``: the SQLite and PostgreSQL stores) are given such documents.
    """

    record: DocumentRecord
    text: str
    keys: npt.NDArray[np.int64]
    frame: bytes | None = None
    size: int = 0
    story: bytes = b""


@dataclass(frozen=True)
class StoreStats:
    documents: int
    passages: int
    words: int
    lsh_entries: int
    bytes_on_disk: int


class Store(Protocol):
    """What an index needs from its storage."""

    params: SketchParams
    location: str

    def get(self, ref: str) -> DocumentRecord | None:
        """A document by id or key, or None."""
        ...

    def documents(self) -> Iterable[DocumentRecord]:
        """All documents, ordered by key."""
        ...

    def write(self, docs: Sequence[PreparedDocument],
              remove: Sequence[tuple[str, npt.NDArray[np.int64]]] = (),
              merge: bool = True) -> None:
        """Atomically remove documents given as ``(id, their LSH keys)`` and add ``docs``.

        A document in ``docs`` whose key is already stored replaces it. The
        keys of removed documents may be empty: a store that marks removals
        (tombstones, as :class:`~checker.store.sqlite.SQLiteStore` does)
        needs none; one that deletes key entries uses them. ``merge=False``
        (every batch of an add but the last) lets a store defer maintenance.
        """
        ...

    def remove(self, items: Sequence[tuple[str, npt.NDArray[np.int64]]]) -> None:
        """Atomically remove documents given as ``(id, their LSH keys)``."""
        ...

    def lookup_pairs(self, keys: npt.NDArray[np.int64],
                     limit: int | None = None) -> list[tuple[int, str]]:
        """Every ``(key, document id)`` pair stored for the given keys.

        With ``limit``, a key standing in ``limit`` or more documents yields
        only ``limit`` pairs: enough to know it is boilerplate, and cheap when
        a key stands in thousands of documents.
        """
        ...

    def frequent_keys(self, min_documents: int) -> npt.NDArray[np.int64]:
        """LSH keys that stand in at least ``min_documents`` documents."""
        ...

    def key_document_counts(self, keys: npt.NDArray[np.int64],
                            at_least: int | None = None) -> npt.NDArray[np.int64]:
        """For each LSH key, in how many documents it stands (for boilerplate); with
        ``at_least``, a store may answer 0 for keys in fewer documents (only whether a
        key reaches it is asked), which lets it skip reading them."""
        ...

    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The stored text of documents by id."""
        ...

    def story_sketches(self, ids: Sequence[str]) -> dict[str, bytes]:
        """The stored story sketch (:mod:`checker.storysketch`) of each document among
        ``ids`` that has one; documents written before sketches were stored have none."""
        ...

    def stats(self) -> StoreStats:
        ...

    def compact(self) -> int:
        """Merge the band entries into one segment, dropping what removals left behind
        (may take a while; scans go on meanwhile, writes wait); how many segments there
        were. A scan looks each key up once per segment."""
        ...

    def info(self) -> dict[str, Any]:
        """Parameters and versions recorded when the index was created."""
        ...

    def evidence(self) -> dict[str, Any]:
        """What a report names the index by: ``backend``, ``host`` (no credentials;
        None for a local index), ``documents`` and ``last_ingest`` (ISO 8601)."""
        ...

    def close(self) -> None:
        ...
