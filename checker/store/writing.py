"""Writing to the embedded store: a batch of documents with its segment, and merges
of segments (which also count down what each tombstone still holds, so the entry
count stays exact). Split from :mod:`checker.store.sqlite`; run with its write lock
(``BEGIN IMMEDIATE``) held, under its error translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..storysketch import stored_forms
from ..textcodec import stored_frames
from .base import PreparedDocument
from .batchkeys import distinct_entries
from .rows import COLUMNS, record_row
from .safety import BadIndexFile
from .schema import STORIES
from .segments import build_sections, merge_plan, write_segment

if TYPE_CHECKING:
    from .sqlite import SQLiteStore

# Document numbers are uint32 in the segment files.
MAX_NUM = 2**32 - 1


def insert_documents(store: SQLiteStore, docs: Sequence[PreparedDocument]) -> None:
    """Insert ``docs`` (replacing documents of the same key) and write their segment,
    inside the caller's transaction; the segment file is fsynced before it is
    registered (``store._in_flight`` names it for removal if the transaction fails)."""
    if not docs:
        return
    refs = [d.record.key for d in docs]  # ids derive from keys
    for i in range(0, len(refs), 900):
        chunk = refs[i : i + 900]
        for (num,) in store._db.execute(
                f"SELECT num FROM documents WHERE key IN ({','.join('?' * len(chunk))})",
                chunk).fetchall():
            store._tombstone(num)
    (first,) = store._db.execute(
        "SELECT max(coalesce((SELECT max(num) FROM documents), 0),"
        " coalesce((SELECT max(num) FROM tombstones), 0),"
        " coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_num'), 0))"
        " + 1").fetchone()
    if int(first) + len(docs) > MAX_NUM:
        raise BadIndexFile("its document numbers are exhausted")
    nums = list(range(int(first), int(first) + len(docs)))
    # Distinct keys per document for the whole batch at once, with one sort
    # (np.unique per document costs more than sketching).
    flat, owners, counts = distinct_entries([d.keys for d in docs])
    rows = [record_row(num, d.record, n) for num, d, n in zip(nums, docs, counts, strict=True)]
    texts = list(zip(nums, *text_bodies(store, docs), strict=True))
    store._db.executemany(
        f"INSERT INTO documents (num, {', '.join(COLUMNS)}, entries) "
        f"VALUES ({', '.join('?' * (len(COLUMNS) + 2))})", rows)
    store._db.executemany("INSERT INTO texts VALUES (?, ?, ?)", texts)
    if not store._has_stories:  # an index made before sketches were stored lacks it
        store._db.execute(STORIES)  # (the flag is set once the write commits)
    stories = stored_forms([(d.story, d.text) for d in docs])
    store._db.executemany("INSERT INTO stories VALUES (?, ?)",
                          [(num, blob) for num, blob in zip(nums, stories, strict=True) if blob])
    store._db.execute("INSERT OR REPLACE INTO meta VALUES ('last_num', ?)", (nums[-1],))
    if not len(flat):
        return
    owners += np.uint32(nums[0])  # nums are consecutive
    sections, layout = build_sections(flat, owners, store.params.bands)
    name, path = store._new_segment_path()
    store._in_flight = path
    write_segment(path, sum(len(x) for x in sections), sections)
    store._register(name, len(flat), layout)


def text_bodies(store: SQLiteStore, docs: Sequence[PreparedDocument]
                ) -> tuple[list[bytes], list[int]]:
    """The stored frame and UTF-8 size of each document's text, compressed with the
    index's dictionary (trained on this batch's texts when it is the first big one).

    A document that comes compressed (``frame``) with the dictionary the index uses
    is stored as it is; one compressed with another (a worker that did not have the
    index's dictionary yet) is decompressed and compressed again, so the stored
    frames are those this process would have written from the text.
    """
    codec = store._codec
    return stored_frames(codec, [(d.text, d.frame, d.size) for d in docs],
                         lambda frame, size: codec.read(store._db, frame, size),
                         lambda texts: codec.choose_for(store._db, len(docs), texts))


def merge_segments(store: SQLiteStore, count: int | None = None) -> None:
    """Merge the ``count`` smallest segments (all when None) into one;
    merging all also forgets the tombstones, whose entries are then gone (a
    partial merge counts down the entries each tombstone still has)."""
    with store._transaction():
        store._seg_cache = None
        segs = store._segments()
        if len(segs) < 2 and not (count is None and len(store._dead)):
            return
        chosen = sorted(segs, key=lambda g: g.entries)[: count or len(segs)]
        everything = len(chosen) == len(segs)
        dropped: dict[int, int] = {}
        total, layout, sections = merge_plan(chosen, store.params.bands, store._dead,
                                             dropped)
        name, path = store._new_segment_path()
        try:
            write_segment(path, total, sections)
            store._db.executemany("DELETE FROM segments WHERE id = ?",
                                  [(g.id,) for g in chosen])
            store._register(name, sum(x["n"] for x in layout), layout)
            if everything:
                store._db.execute("DELETE FROM tombstones")
            else:
                store._db.executemany(
                    "UPDATE tombstones SET entries = max(entries - ?, 0) WHERE num = ?",
                    [(n, num) for num, n in dropped.items()])
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    store._seg_cache = None
    for g in chosen:  # readers that mapped them keep their mapping
        g.path.unlink(missing_ok=True)
