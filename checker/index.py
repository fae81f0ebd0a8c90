"""The public Python API: an :class:`Index` of licensed articles.

Example::

    from checker import Index, Policy

    with Index.open(".checker/index", create=True) as index:
        index.add(["articles/"])
        report = index.scan(["drafts/"], Policy())
        print(report.verdict)
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

import numpy as np

from . import __version__
from .boilerplate import LearnedPassage, Stories, learned
from .documents import Metadata, TextDocument
from .errors import CheckerError, IndexOpenError, InputError, UnsupportedFileError
from .ingest import CHUNK_DOCUMENTS, prepared_chunks, unchanged
from .policy import Policy
from .readers import DEFAULT_MAX_BYTES, duplicate_id, iter_files, read_path
from .report import FileReport, ScanReport
from .scan import scan_document
from .sharded import ShardFeed, use_workers
from .sketch import SketchParams
from .store import DocumentRecord, PreparedDocument, Store, StoreStats
from .store.location import is_server
from .store.sqlite import SQLiteStore
from .textcodec import DICT_MIN_DOCUMENTS, MAX_TEXT_BYTES

DEFAULT_INDEX = Path(".checker") / "index"
BATCH_DOCUMENTS = 200
MAX_BATCH_DOCUMENTS = 50_000
# Input bytes from which an add into an empty index runs on worker processes that
# read the files (:mod:`checker.sharded`); smaller adds are read here.
SHARDED_MIN_BYTES = 8 << 20


@runtime_checkable
class TakesFrames(Protocol):
    """A store that writes texts compressed by the workers of a big add (the
    embedded and the server index): it names the dictionary they compress with."""

    def text_dictionary(self) -> bytes | None: ...


Progress = Callable[[int, int], None]
Warn = Callable[[str], None]


def _input_bytes(files: Sequence[tuple[Path, str]]) -> int:
    total = 0
    for path, _ in files:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def batch_size(done: int) -> int:
    """Documents in an add's next batch once ``done`` are written: as many as all the
    batches before (from ``BATCH_DOCUMENTS``, at most ``MAX_BATCH_DOCUMENTS``). Each
    batch is a segment, so the segments an add leaves double in size and the merge at
    its end (down to a few) rewrites about half of what the add wrote, not most of it."""
    return min(MAX_BATCH_DOCUMENTS, max(BATCH_DOCUMENTS, done))


def _dictionary_batch_end() -> int:
    """How many documents an add writes up to the end of its first batch of
    ``DICT_MIN_DOCUMENTS`` or more (the batch the text dictionary is trained on),
    following :meth:`Index._write_chunks`."""
    chunk = min(CHUNK_DOCUMENTS, BATCH_DOCUMENTS)
    done = 0
    while True:
        size = chunk
        while size < batch_size(done):
            size += chunk
        done += size
        if size >= DICT_MIN_DOCUMENTS:
            return done


def default_index_path() -> Path | str:
    """``$CHECKER_INDEX``, else ``.checker/index`` in the current directory (a
    ``postgresql://`` URL or libpq connection string is returned as a string)."""
    env = os.environ.get("CHECKER_INDEX")
    if env and is_server(env):
        return env
    return Path(env) if env else DEFAULT_INDEX


@dataclass
class AddSummary:
    """What an :meth:`Index.add` did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


class Index:
    """A persistent MinHash index of licensed articles.

    Use :meth:`open`; the index is a context manager that closes its store.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | Path | None = None, create: bool = False,
             params: SketchParams | None = None, read_only: bool = False) -> Index:
        """Open the index at ``path`` (default: :func:`default_index_path`).

        Args:
            create: make a new index when there is none.
            params: sketch parameters for a new index (default
                :class:`SketchParams`, or a profile of :data:`checker.sketch.PROFILES`);
                an existing index must match them when given, and keeps its own
                parameters when not.
            read_only: open for reading only (scans, listings): works in a
                read-only directory; writes fail.

        Raises:
            IndexOpenError: missing (and not ``create``), corrupt, newer
                schema, or other sketch parameters.
        """
        where = path if path is not None else default_index_path()
        new = (params or SketchParams()) if create else None
        if isinstance(where, str) and is_server(where):
            # The server backend (and psycopg) only when a server is named.
            from .store.postgres import PostgresStore

            return cls(PostgresStore(where, create_with=new, require=params))
        return cls(SQLiteStore(Path(where), create_with=new, require=params,
                               read_only=read_only and not create))

    def __enter__(self) -> Index:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def params(self) -> SketchParams:
        return self.store.params

    def describe(self) -> dict[str, Any]:
        """Location (a server without credentials), backend, parameters, versions,
        document count and last-ingest time, as reported in scan output."""
        info = self.store.info()
        return {"location": self.store.location, "schema_version": info.get("schema_version"),
                "params": self.params.to_dict(), "created_with": info.get("created_with", {}),
                **self.store.evidence()}

    # -- adding and removing -------------------------------------------------

    def add(self, paths: Sequence[str | Path], overrides: Metadata = Metadata(),
            progress: Progress | None = None, warn: Warn | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES) -> AddSummary:
        """Index files and directories (recursively).

        Unreadable, binary and unsupported files, and each bad line of a JSONL file,
        are skipped with a warning that names them (``FILE:LINE: reason``).
        Writes are committed in batches of whole documents, so an interrupted
        add keeps what it committed and the next add completes the job.

        Raises:
            InputError: a path that does not exist (before anything is written).
        """
        files = list(iter_files(paths))
        summary = AddSummary()

        def warning(msg: str) -> None:
            summary.warnings.append(msg)
            if warn:
                warn(msg)

        def docs() -> Iterable[TextDocument]:
            for n, (path, name) in enumerate(files, 1):
                try:
                    result = read_path(path, name, max_bytes)
                except InputError as exc:
                    summary.skipped += 1
                    warning(f"skipped {exc}")
                else:
                    for problem in result.problems:
                        summary.skipped += 1
                        warning(f"skipped {problem}")
                    yield from result.documents
                if progress:
                    progress(n, len(files))

        workers = use_workers()
        if (workers and isinstance(self.store, TakesFrames)
                and _input_bytes(files) >= SHARDED_MIN_BYTES
                and self.store.stats().documents == 0):
            # A big add into an empty index: nothing to compare with, so workers read,
            # parse, sketch and compress, and this process only writes.
            self._add_sharded(self.store, files, overrides, summary, warning, progress,
                              max_bytes, workers)
            self._store_warnings(warn, summary.warnings)
        else:
            self.add_documents(docs(), overrides, summary, warn)
        return summary

    def _add_sharded(self, store: TakesFrames, files: Sequence[tuple[Path, str]],
                     overrides: Metadata,
                     summary: AddSummary, warning: Warn, progress: Progress | None,
                     max_bytes: int, workers: int) -> None:
        """:meth:`add` with :class:`checker.sharded.ShardFeed` (same documents, batches,
        messages and index as reading the files here, one by one)."""
        # The compiled kernels loaded before the workers start: forked ones inherit them.
        from .fastsketch import batch_keys

        batch_keys(["warm up"], [()], self.params)
        with ShardFeed(files, overrides, self.params, max_bytes, workers,
                       before_dictionary=_dictionary_batch_end()) as feed:
            ids: dict[str, dict[str, int]] = {}
            seen: set[str] = set()

            def wanted() -> Iterator[PreparedDocument]:
                for ev in feed:
                    if ev[0] == "problem":
                        summary.skipped += 1
                        warning(f"skipped {ev[1]}")
                    elif ev[0] == "file":
                        ids.pop(ev[2], None)
                        if progress:
                            progress(ev[1], len(files))
                    else:
                        _, name, key, rid, lineno, skip, prepared = ev
                        if rid is not None:  # ids of one JSONL file split into chunks
                            first = ids.setdefault(name, {}).setdefault(rid, lineno)
                            if first != lineno:
                                summary.skipped += 1
                                warning(f"skipped {duplicate_id(name, lineno, rid, first)}")
                                continue
                        if key in seen:
                            continue
                        seen.add(key)
                        if skip == "big":
                            summary.skipped += 1
                            warning(f"skipped {key}: its text is over the "
                                    f"{MAX_TEXT_BYTES >> 20} MiB an index stores")
                        elif skip == "empty":
                            summary.skipped += 1
                            warning(f"skipped {key}: empty document")
                        else:
                            summary.added += 1
                            yield prepared

            def chunks() -> Iterator[list[PreparedDocument]]:
                size = min(CHUNK_DOCUMENTS, BATCH_DOCUMENTS)
                chunk: list[PreparedDocument] = []
                for prepared in wanted():
                    chunk.append(prepared)
                    if len(chunk) >= size:
                        yield chunk
                        chunk = []
                if chunk:
                    yield chunk

            dictionary = store.text_dictionary
            feed.set_dictionary(dictionary())

            def written(docs: int) -> None:
                feed.set_dictionary(dictionary(), pending=docs < DICT_MIN_DOCUMENTS)

            self._write_chunks(chunks(), written)

    def add_documents(self, docs: Iterable[TextDocument], overrides: Metadata = Metadata(),
                      summary: AddSummary | None = None,
                      warn: Warn | None = None) -> AddSummary:
        """Index documents already read (for example built in memory)."""
        summary = summary if summary is not None else AddSummary()
        seen: set[str] = set()
        # An index empty at the start has nothing to compare with: skip the lookups.
        empty = self.store.stats().documents == 0

        def wanted() -> Iterator[list[TextDocument]]:
            chunk: list[TextDocument] = []
            for doc in docs:
                if doc.key in seen:
                    continue
                seen.add(doc.key)
                existing = None if empty else self.store.get(doc.key)
                if unchanged(existing, doc, overrides):
                    summary.unchanged += 1
                    continue
                if len(doc.text) * 4 > MAX_TEXT_BYTES \
                        and len(doc.text.encode("utf-8")) > MAX_TEXT_BYTES:
                    summary.skipped += 1
                    summary.warnings.append(f"skipped {doc.key}: its text is over the "
                                            f"{MAX_TEXT_BYTES >> 20} MiB an index stores")
                    if warn:
                        warn(summary.warnings[-1])
                    continue
                if not doc.text.strip():
                    summary.skipped += 1
                    summary.warnings.append(f"skipped {doc.key}: empty document")
                    if warn:  # the CLI shows warnings as they come, not from the summary
                        warn(summary.warnings[-1])
                    continue
                if existing is not None:
                    summary.updated += 1  # the store replaces a document with the same key
                else:
                    summary.added += 1
                chunk.append(doc)
                if len(chunk) >= min(CHUNK_DOCUMENTS, BATCH_DOCUMENTS):
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

        self._write_chunks(prepared_chunks(wanted(), overrides, self.params))
        self._store_warnings(warn, summary.warnings)
        return summary

    def _write_chunks(self, chunks: Iterable[list[PreparedDocument]],
                      written: Callable[[int], None] | None = None) -> None:
        """Write prepared chunks: commit early (an interrupted add keeps whole
        documents), then in batches that grow with the add, so a big add makes few
        segments; ``written(documents)`` is called after each batch but the last."""
        batch: list[PreparedDocument] = []
        done = 0
        for prepared in chunks:
            batch.extend(prepared)
            if len(batch) >= batch_size(done):
                self.store.write(batch, merge=False)
                done += len(batch)
                if written:
                    written(len(batch))
                batch = []
        if batch or done:
            self.store.write(batch)  # the last batch (maybe empty) merges segments

    def _store_warnings(self, warn: Warn | None, into: list[str] | None = None) -> None:
        """Pass on what a store did not finish after committing (a failed merge)."""
        take = getattr(self.store, "take_warnings", None)
        for msg in take() if take is not None else []:
            text = f"{self.store.location}: {msg}"
            if into is not None:
                into.append(text)
            if warn:
                warn(text)

    def remove(self, refs: Sequence[str], warn: Warn | None = None) -> list[DocumentRecord]:
        """Remove documents by id or path; a path that is a directory or
        file removes every document added from it. ``warn`` hears of work left
        for later once the removal is committed (a merge that failed).

        Raises:
            InputError: a reference that matches no document (nothing removed).
        """
        found: dict[str, DocumentRecord] = {}
        all_docs: list[DocumentRecord] | None = None
        for ref in refs:
            # Keys are paths spelled as Path spells them ("./a/" is "a"): match that too.
            norm = str(Path(ref)) if ref else ref
            rec = self.store.get(ref) or self.store.get(norm)
            if rec is not None:
                found[rec.id] = rec
                continue
            all_docs = all_docs if all_docs is not None else list(self.store.documents())
            prefixes = tuple({r.rstrip("/\\") + os.sep for r in (ref, norm)}
                             | {r + "#" for r in (ref, norm)})
            matches = [d for d in all_docs if d.key.startswith(prefixes)]
            if not matches:
                raise InputError(f"{ref}: no indexed document has this id or path; "
                                 "see 'checker index list'")
            found.update((d.id, d) for d in matches)
        # Removal marks the documents (tombstones): no keys to recompute.
        self.store.remove([(rec.id, np.empty(0, dtype=np.int64)) for rec in found.values()])
        self._store_warnings(warn)
        return sorted(found.values(), key=lambda r: r.key)

    def documents(self) -> list[DocumentRecord]:
        """All indexed documents, ordered by path."""
        return list(self.store.documents())

    def stats(self) -> StoreStats:
        return self.store.stats()

    def compact(self) -> int:
        """Merge the index's band entries into one segment (see ``Store.compact``); how
        many segments there were."""
        return self.store.compact()

    def boilerplate(self, min_documents: int | None = None) -> list[LearnedPassage]:
        """Boilerplate sentences learned from the index: text standing in at
        least ``min_documents`` documents (default: the :class:`Policy` default),
        which never counts as reproduction."""
        limit = min_documents if min_documents is not None else Policy().boilerplate_documents
        return learned(self.store, limit)

    # -- scanning ------------------------------------------------------------

    def scan(self, paths: Sequence[str | Path], policy: Policy = Policy(),
             max_bytes: int = DEFAULT_MAX_BYTES) -> ScanReport:
        """Scan files and directories of drafts.

        A draft that cannot be read (binary, a NUL byte, too large, bad front matter, no
        text in an HTML page, a bad JSONL line) is an error in its :class:`FileReport`,
        found in a folder or named: it never passes. Only files of an unsupported type
        met inside a folder are skipped, with a warning.

        Raises:
            IndexOpenError: the index holds no document (every draft would pass).
        """
        if self.store.stats().documents == 0:
            raise IndexOpenError(f"{self.store.location}: the index holds no documents, so "
                                 "nothing can be found; add licensed articles first with "
                                 "'checker index add ARTICLES'")
        reports: list[FileReport] = []
        warnings: list[str] = []
        explicit = {str(Path(p)) for p in paths if not Path(p).is_dir()}
        stories = Stories(self.store, policy.boilerplate_documents)  # shared by the drafts
        for path, name in iter_files(paths):
            try:
                result = read_path(path, name, max_bytes)
            except UnsupportedFileError as exc:
                if name in explicit:
                    reports.append(FileReport(path=name, words=0, error=str(exc)))
                else:
                    warnings.append(f"skipped {exc}")
                continue
            except InputError as exc:
                if name not in explicit and path.is_symlink() and not path.exists():
                    # A dangling or looping link met in a folder is no draft to read.
                    warnings.append(f"skipped {exc}")
                else:
                    reports.append(FileReport(path=name, words=0, error=str(exc)))
                continue
            reports.extend(FileReport(path=name, words=0, error=p) for p in result.problems)
            for d in result.documents:
                if not d.text.strip():
                    # Scanned (it passes), but say so: an empty draft is usually a mistake.
                    warnings.append(f"{d.path}: empty document, nothing to check")
                reports.append(scan_document(self.store, d, policy, stories=stories))
        return ScanReport(files=tuple(reports), index=self.describe(), tool_version=__version__,
                          warnings=tuple(warnings))

    def scan_text(self, text: str, name: str = "<text>", policy: Policy = Policy()) -> FileReport:
        """Scan a draft given as a string."""
        return scan_document(self.store, TextDocument(key=name, path=name, text=text), policy)


__all__ = ["AddSummary", "CheckerError", "Index", "default_index_path"]
