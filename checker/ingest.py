"""Turn read documents into index entries: rights, masks, words and LSH keys."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from multiprocessing.pool import AsyncResult
from typing import Any

import numpy as np
import numpy.typing as npt

from .documents import Metadata, TextDocument
from .fastsketch import batch_keys, document_keys
from .notices import UNKNOWN, find_rights, normalize_license
from .signals import sparing_interrupts
from .sketch import SketchParams
from .store import DocumentRecord, PreparedDocument
from .storysketch import story_sketches
from .text import mask_spans


def document_id(key: str) -> str:
    """The stable public id of a document key (12 hex digits)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def source_keys(text: str, mask: tuple[tuple[int, int], ...],
                params: SketchParams) -> tuple[npt.NDArray[np.int64], int]:
    """LSH keys of an indexed text's passages, and its word count."""
    return document_keys(text, mask, params)


def make_record(doc: TextDocument, overrides: Metadata,
                lines: list[int] | None = None) -> DocumentRecord:
    """The record of ``doc`` (words and passages still 0), with its mask.

    Metadata precedence: flags (``overrides``) over the file's own metadata
    over what the notice says. ``lines``: the starts of the text's lines with notice
    words, when found already (:func:`checker.noticekernel.trigger_lines`).
    """
    rights = find_rights(doc.text, lines)
    extra = find_rights(doc.extra_notice_text) if doc.extra_notice_text else None
    meta = doc.meta.overridden_by(overrides)
    license_id = normalize_license(meta.license) if meta.license else None
    if license_id is None:
        license_id = rights.license
        if license_id == UNKNOWN and extra is not None:
            license_id = extra.license
    # The page's footer often repeats a notice the article text already holds: once.
    notice = " ".join(dict.fromkeys(n for n in (rights.notice, extra.notice if extra else "")
                                    if n))
    holder = rights.holder or (extra.holder if extra else "")
    years = rights.years or (extra.years if extra else "")
    mask = tuple(mask_spans([*doc.mask, *rights.spans]))
    return DocumentRecord(
        id=document_id(doc.key), key=doc.key, title=meta.title, publisher=meta.publisher or holder,
        license=license_id, notice=notice, holder=holder, years=years, url=meta.url,
        date=meta.date, content_hash=_content_hash(doc, overrides),
        added=datetime.now(UTC).isoformat(timespec="seconds"), words=0, passages=0, mask=mask,
    )


def prepare_batch(docs: Sequence[TextDocument], overrides: Metadata, params: SketchParams,
                  with_text: bool = True) -> list[PreparedDocument]:
    """Rights, masks and LSH keys of a batch of documents, sketched together
    (:func:`checker.fastsketch.batch_keys`); without ``with_text``, the text is
    left out of the result (a worker's caller has it already)."""
    from .noticekernel import trigger_lines  # numba: index add only

    records = [make_record(doc, overrides, lines)
               for doc, lines in zip(docs, trigger_lines([d.text for d in docs]), strict=True)]
    keys, words = batch_keys([d.text for d in docs], [r.mask for r in records], params)
    stories = story_sketches([d.text for d in docs])
    out = []
    for doc, rec, k, n, story in zip(docs, records, keys, words, stories, strict=True):
        record = replace(rec, words=n, passages=int(k.shape[0]))
        out.append(PreparedDocument(record=record, text=doc.text if with_text else "",
                                    keys=k.ravel(), story=story))
    return out


def prepare(doc: TextDocument, overrides: Metadata, params: SketchParams) -> PreparedDocument:
    """Find the rights of ``doc``, mask its notice and compute its LSH keys."""
    return prepare_batch([doc], overrides, params)[0]


def prepare_task(task: tuple[list[TextDocument], Metadata, dict[str, Any]]
                 ) -> list[PreparedDocument]:
    """:func:`prepare_batch` in a worker process (a top-level function, spawn-safe)."""
    docs, overrides, params = task
    return prepare_batch(docs, overrides, SketchParams.from_dict(params), with_text=False)


def _content_hash(doc: TextDocument, overrides: Metadata) -> str:
    # Flags are part of what was added: re-adding with another --license is a change.
    h = hashlib.sha256(doc.content_hash.encode())
    for value in vars(overrides).values():
        h.update(b"\x00" + value.encode("utf-8"))
    return h.hexdigest()


def unchanged(existing: DocumentRecord | None, doc: TextDocument, overrides: Metadata) -> bool:
    """True when ``doc`` is already indexed as is."""
    return existing is not None and existing.content_hash == _content_hash(doc, overrides)


# Documents sketched in the calling process before a worker pool is worth its start-up.
INLINE_DOCUMENTS = 2000
CHUNK_DOCUMENTS = 256


def context() -> multiprocessing.context.BaseContext:
    # Fork starts workers at once and, unlike spawn, does not re-run the
    # caller's main module (a script without a __main__ guard would fail);
    # it is safe while this process runs a single thread. Otherwise spawn.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group: only the parent handles it (it
    # terminates the pool); a worker would print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def prepared_chunks(chunks: Iterable[list[TextDocument]], overrides: Metadata,
                    params: SketchParams, workers: int | None = None
                    ) -> Iterator[list[PreparedDocument]]:
    """Prepare chunks of documents, in order: the first ``INLINE_DOCUMENTS``
    in this process, the rest in a pool of worker processes (one per core;
    spawn-safe), with a bounded number of chunks in flight so memory stays
    flat however many documents stream in."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    it = iter(chunks)
    done = 0
    for chunk in it:
        yield prepare_batch(chunk, overrides, params)
        done += len(chunk)
        if done >= INLINE_DOCUMENTS and workers > 1:
            break
    else:
        return
    with sparing_interrupts():  # the pool's threads leave Ctrl-C to this one
        pool = context().Pool(workers, initializer=_ignore_interrupt)
    try:
        # Workers send back no text (this process has it): half the bytes to unpickle.
        pending: deque[tuple[list[TextDocument], AsyncResult[list[PreparedDocument]]]] = deque()
        task_params = params.to_dict()

        def ready() -> list[PreparedDocument]:
            chunk, result = pending.popleft()
            return [replace(p, text=d.text) for p, d in zip(result.get(), chunk, strict=True)]

        for chunk in it:
            pending.append((chunk, pool.apply_async(prepare_task,
                                                    ((chunk, overrides, task_params),))))
            while len(pending) >= 3 * workers:
                yield ready()
        while pending:
            yield ready()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
