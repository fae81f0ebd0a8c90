"""A big ``index add`` on every core: worker processes parse, sketch and compress.

Why: one process wrote the index while it also read and parsed the input, sent
every text to the workers and compressed every text, so the workers idled two
thirds of the time. Here the workers do all the per-document work and this
process only writes (SQLite rows, key sort, segment files).

What goes to the workers, in input order: a JSONL file of more than
``SPLIT_BYTES`` is read, decoded and split into lines here (C-speed calls, as
:func:`checker.readers.read_path` does) and sent in chunks of ``CHUNK_LINES``
lines with their line numbers, which the workers parse
(:func:`checker.readers.jsonl_line`); other files go by path, in groups, and the
workers read them (:func:`checker.readers.read_path`). A worker
(:mod:`checker.shardworker`) returns each item's events in input order (bad
lines, documents, files done), the documents' records, their LSH keys as one
array and their texts as :mod:`checker.textcodec` frames compressed with the
index's dictionary (which this process sends each worker once it exists).
Messages are bytes (a JSON header and raw arrays): no pickle. A feeder thread
keeps the workers fed and collects their results while this process writes, so
both cores stay busy.

Ids repeated across the chunks of one file and keys repeated across files are
dropped by the caller (:meth:`checker.index.Index.add`), in input order, so what
is indexed, and every message, is what reading the files one by one gives.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from .documents import Metadata
from .errors import CheckerError, InputError
from .ingest import context
from .readers import JSONL_EXTS, _load
from .shardworker import _cannot_read, _worker, pack, unpack
from .signals import sparing_interrupts
from .sketch import SketchParams
from .store import DocumentRecord, PreparedDocument
from .store.rows import COLUMNS

# A JSONL file larger than this is split into lines here; smaller files go whole.
SPLIT_BYTES = 1 << 20
CHUNK_LINES = 200
GROUP_FILES = 64
GROUP_BYTES = 1 << 20
# Tasks queued per worker (it reads ahead), and results waiting for the writer:
# enough for the workers to keep sketching while the largest batch is written.
DEPTH = 10
BACKLOG = 48  # ~2.3 MB each at the default parameters: ~110 MB
# Until the index has its text dictionary (trained when the first big batch is
# written), workers run at most this many tasks ahead of the writer once they are
# past the documents that batch holds: texts they compress without it are
# compressed again by the writer.
AHEAD_WITHOUT_DICTIONARY = 12


# -- this process: the feeder ------------------------------------------------------

Event = tuple[Any, ...]
_END = object()


class WorkerError(RuntimeError):
    """A worker process failed or stopped (an internal error, exit code 3)."""


class ShardFeed:
    """The events of indexing ``files`` (see the module doc), in input order:
    ``("problem", message)``, ``("file", n, name)`` after the ``n``-th file, and
    ``("doc", name, key, id, line, skip, prepared)`` (``prepared`` is None when
    ``skip`` is ``"big"`` or ``"empty"``; ``id`` and ``line`` are the JSONL id and
    line number for a line split here, None and 0 otherwise).

    Use as a context manager; :meth:`set_dictionary` after each write.
    ``before_dictionary``: how many documents the writer writes before the index has
    its text dictionary (those texts need none); workers sketch that many freely.
    """

    def __init__(self, files: Sequence[tuple[Path, str]], overrides: Metadata,
                 params: SketchParams, max_bytes: int, workers: int,
                 before_dictionary: int = 0) -> None:
        self._files = files
        self._free = before_dictionary
        self._max_bytes = max_bytes
        self._dictionary: bytes | None = None
        self._dict_version = 0
        self._dict_pending = True
        self._consumed = 0
        self._stop = threading.Event()
        self._out: queue.Queue[Any] = queue.Queue(BACKLOG)
        self._results: queue.Queue[tuple[int, bytes | None]] = queue.Queue()
        init = pack({"overrides": vars(overrides), "params": params.to_dict(),
                     "max_bytes": max_bytes})
        ctx: Any = context()
        self._procs = []
        self._task_conns: list[Connection] = []
        result_conns: list[Connection] = []
        for _ in range(workers):
            t_recv, t_send = ctx.Pipe(duplex=False)
            r_recv, r_send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker, args=(t_recv, r_send, init), daemon=True)
            proc.start()
            t_recv.close()
            r_send.close()
            self._procs.append(proc)
            self._task_conns.append(t_send)
            result_conns.append(r_recv)
        self._threads = [threading.Thread(target=self._receive, args=(w, c), daemon=True)
                         for w, c in enumerate(result_conns)]
        self._threads.append(threading.Thread(target=self._feed, daemon=True))
        with sparing_interrupts():  # the feed's threads leave Ctrl-C to the main thread
            for t in self._threads:
                t.start()

    def __enter__(self) -> ShardFeed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def set_dictionary(self, data: bytes | None, pending: bool = True) -> None:
        """Workers compress with ``data`` (the index's dictionary; None: none yet) from
        their next task. ``pending=False`` when no dictionary is expected soon (the
        first big batch was written without one): workers then run ahead freely."""
        if data is not None and data != self._dictionary:
            self._dictionary = data
            self._dict_version += 1
        self._dict_pending = data is None and pending

    def __iter__(self) -> Iterator[Event]:
        while True:
            got = self._out.get()
            if got is _END:
                return
            if isinstance(got, BaseException):
                raise got
            self._consumed += 1
            yield from got

    def close(self) -> None:
        self._stop.set()
        for conn in self._task_conns:
            with contextlib.suppress(OSError):
                conn.send_bytes(pack({"kind": "stop"}))
        for proc in self._procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for conn in self._task_conns:
            conn.close()

    # -- threads ----------------------------------------------------------------

    def _receive(self, w: int, conn: Connection) -> None:
        try:
            while True:
                self._results.put((w, conn.recv_bytes()))
        except (EOFError, OSError):
            self._results.put((w, None))
        finally:
            conn.close()

    def _put(self, item: Any) -> None:
        while not self._stop.is_set():
            try:
                self._out.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def _feed(self) -> None:
        try:
            self._run()
            self._put(_END)
        except BaseException as exc:
            self._put(exc)

    def _run(self) -> None:
        workers = len(self._procs)
        outstanding = [0] * workers
        sent_dict = [0] * workers
        ready: dict[int, list[Event]] = {}
        nxt = 0
        seq = 0

        def collect(block: bool, timeout: float | None = None) -> None:
            nonlocal nxt
            while True:
                try:
                    w, data = self._results.get(block=block, timeout=timeout)
                except queue.Empty:
                    break
                if data is None:
                    if outstanding[w]:
                        raise WorkerError("a worker process of 'index add' stopped "
                                          f"(exit code {self._procs[w].exitcode})")
                    continue
                head, parts = unpack(data)
                if "error" in head:
                    raise WorkerError(f"a worker process of 'index add' failed:\n"
                                      f"{head['error']}")
                outstanding[w] -= 1
                ready[head["seq"]] = _events(head, parts)
                block = False
            while nxt in ready:
                self._put(ready.pop(nxt))
                nxt += 1

        for head, payload in self._items():
            if self._stop.is_set():
                return
            if head is None:  # events of this process (a file it could not read)
                ready[seq] = payload
            else:
                while sum(outstanding) >= DEPTH * workers:
                    collect(block=True)
                # Documents this task may hold (at most one per line or file; a JSONL
                # file sent whole: any number).
                self._free -= (head["lines"] if head["kind"] == "lines" else
                               sum(1 << 40 if Path(f[0]).suffix.lower() in JSONL_EXTS else 1
                                   for f in head["files"]))
                while (self._dict_pending and self._free < 0
                       and seq - self._consumed >= AHEAD_WITHOUT_DICTIONARY
                       and not self._stop.is_set()):
                    collect(block=True, timeout=0.02)
                w = min(range(workers), key=outstanding.__getitem__)
                if sent_dict[w] != self._dict_version and self._dictionary is not None:
                    self._task_conns[w].send_bytes(pack({"kind": "dict"}, self._dictionary))
                    sent_dict[w] = self._dict_version
                self._task_conns[w].send_bytes(pack({**head, "seq": seq}, *payload))
                outstanding[w] += 1
            seq += 1
            collect(block=False)
        while nxt < seq:
            collect(block=True)

    def _items(self) -> Iterator[tuple[dict[str, Any] | None, Any]]:
        """Tasks ``(header, parts)`` and this process's own events ``(None, events)``."""
        group: list[list[Any]] = []
        size = 0
        for n, (path, name) in enumerate(self._files, 1):
            try:
                nbytes = path.stat().st_size
            except OSError:
                nbytes = 0  # the worker's read reports it
            if path.suffix.lower() not in JSONL_EXTS or nbytes <= SPLIT_BYTES:
                group.append([str(path), name, n])
                size += nbytes
                if len(group) >= GROUP_FILES or size >= GROUP_BYTES:
                    yield {"kind": "files", "files": group}, ()
                    group, size = [], 0
                continue
            if group:
                yield {"kind": "files", "files": group}, ()
                group, size = [], 0
            try:
                lines = _jsonl_lines(path, name, self._max_bytes)
            except InputError as exc:
                yield None, [("problem", str(exc)), ("file", n, name)]
                continue
            for i in range(0, len(lines), CHUNK_LINES):
                part = lines[i : i + CHUNK_LINES]
                chunk = "\n".join(part).encode("utf-8", "surrogatepass")
                yield {"kind": "lines", "name": name, "first": i + 1, "lines": len(part)}, (chunk,)
            yield None, [("file", n, name)]
        if group:
            yield {"kind": "files", "files": group}, ()


def _jsonl_lines(path: Path, name: str, max_bytes: int) -> list[str]:
    """The lines of a JSONL file, read and decoded as :func:`read_path` does."""
    from .decode import decode_bytes

    data = _load(path, name, max_bytes, True)
    try:
        return decode_bytes(data, name).splitlines()
    except CheckerError:
        raise
    except RecursionError:
        raise InputError(f"{name}: nested too deeply to read; simplify the file") from None
    except Exception as exc:
        raise InputError(_cannot_read(name, exc) + "; check that it is valid jsonl") from None


def _events(head: dict[str, Any], parts: Sequence[memoryview]) -> list[Event]:
    """A task's events with the documents' :class:`PreparedDocument` (keys are views
    of one array; frames are copied out of the message)."""
    flat = np.frombuffer(parts[0], dtype=np.int64)
    sizes = np.frombuffer(parts[1], dtype=np.int64).reshape(-1, 3).tolist()
    blob, stories = parts[2], parts[3]
    rows = head["records"]
    out: list[Event] = []
    i = key_at = frame_at = story_at = 0
    bands = 0
    for ev in head["events"]:
        if ev[0] != "doc":
            out.append(tuple(ev))
            continue
        _, name, key, rid, lineno, skip = ev
        if skip:
            out.append(("doc", name, key, rid, lineno, skip, None))
            continue
        values = dict(zip(COLUMNS, rows[i], strict=True))
        values["mask"] = tuple((int(a), int(b)) for a, b in values["mask"])
        record = DocumentRecord(**values)
        if record.passages and not bands:
            bands = _bands(head, rows, flat)
        n_keys = record.passages * bands
        frame_len, size, story_len = sizes[i]
        prepared = PreparedDocument(record=record, text="",
                                    keys=flat[key_at : key_at + n_keys],
                                    frame=bytes(blob[frame_at : frame_at + frame_len]),
                                    size=size,
                                    story=bytes(stories[story_at : story_at + story_len]))
        key_at += n_keys
        frame_at += frame_len
        story_at += story_len
        i += 1
        out.append(("doc", name, key, rid, lineno, skip, prepared))
    return out


def _bands(head: dict[str, Any], rows: list[list[Any]], flat: np.ndarray) -> int:
    passages = sum(r[COLUMNS.index("passages")] for r in rows)
    return len(flat) // passages if passages else 0


def use_workers() -> int:
    """Worker processes for a big add: one per core (none on one core)."""
    n = os.cpu_count() or 1
    return n if n > 1 else 0
