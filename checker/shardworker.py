"""The worker process of a big ``index add`` (:mod:`checker.sharded`), and its messages.

A worker reads tasks from a pipe (a thread reads ahead, so the parent never waits to
send), parses the lines or files a task names, finds each document's rights and LSH
keys and compresses its text with the index's dictionary (once the parent has sent it),
and sends back one message per task: a JSON header (the task's events in input order and
the documents' records) and raw parts (the keys as one ``int64`` array, frame sizes, the
frames). No pickle: a message is bytes.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import threading
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from .documents import Metadata, TextDocument
from .errors import InputError
from .ingest import make_record
from .readers import jsonl_line, read_path
from .safetext import one_line
from .sketch import SketchParams
from .store.rows import COLUMNS
from .storysketch import story_sketches
from .textcodec import MAX_TEXT_BYTES, TextCodec

# -- messages: a JSON header, then raw parts -----------------------------------

def pack(head: dict[str, Any], *parts: bytes | memoryview) -> bytes:
    """One message: 4-byte header length, the header (JSON), then ``parts``."""
    head = {**head, "parts": [len(p) for p in parts]}
    h = json.dumps(head, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return b"".join([len(h).to_bytes(4, "little"), h, *parts])


def unpack(data: bytes) -> tuple[dict[str, Any], list[memoryview]]:
    n = int.from_bytes(data[:4], "little")
    head: dict[str, Any] = json.loads(data[4 : 4 + n].decode("utf-8", "surrogatepass"))
    view, at, parts = memoryview(data), 4 + n, []
    for size in head["parts"]:
        parts.append(view[at : at + size])
        at += size
    return head, parts


# -- the worker process ----------------------------------------------------------

@dataclass
class _Setup:
    overrides: Metadata
    params: SketchParams
    max_bytes: int
    codec: TextCodec


def _cannot_read(where: str, exc: Exception) -> str:
    return f"{where}: cannot be read ({exc.__class__.__name__}: {one_line(str(exc))[:80]})"


def _doc_event(name: str, doc: TextDocument, rid: str | None, lineno: int,
               sketch: list[TextDocument]) -> list[Any]:
    # Too big or empty: the caller reports it (after its duplicate checks); not sketched.
    skip = ""
    if len(doc.text) * 4 > MAX_TEXT_BYTES and len(doc.text.encode("utf-8")) > MAX_TEXT_BYTES:
        skip = "big"
    elif not doc.text.strip():
        skip = "empty"
    else:
        sketch.append(doc)
    return ["doc", name, doc.key, rid, lineno, skip]


def work(head: dict[str, Any], parts: Sequence[memoryview], setup: _Setup) -> bytes:
    """One task: its events, and the records, keys, text frames and story sketches of
    its documents."""
    events: list[list[Any]] = []
    sketch: list[TextDocument] = []
    if head["kind"] == "lines":
        name, first = head["name"], head["first"]
        lines = bytes(parts[0]).decode("utf-8", "surrogatepass").split("\n")
        for i, line in enumerate(lines):
            try:
                got = jsonl_line(name, line, first + i, setup.max_bytes)
            except Exception as exc:  # a parser's own failure on hostile input
                got = _cannot_read(f"{name}:{first + i}", exc)
            if isinstance(got, str):
                events.append(["problem", got])
            elif got is not None:
                events.append(_doc_event(name, got[1], got[0], first + i, sketch))
    else:
        for path, name, n in head["files"]:
            try:
                result = read_path(Path(path), name, setup.max_bytes)
            except InputError as exc:
                events.append(["problem", str(exc)])
            else:
                events.extend(["problem", p] for p in result.problems)
                events.extend(_doc_event(name, d, None, 0, sketch) for d in result.documents)
            events.append(["file", n, name])
    # Imported here: numba's import is paid by ``index add`` only, never by a scan.
    from .fastsketch import batch_keys
    from .noticekernel import trigger_lines

    records = [make_record(d, setup.overrides, lines)
               for d, lines in zip(sketch, trigger_lines([d.text for d in sketch]), strict=True)]
    keys, words = batch_keys([d.text for d in sketch], [r.mask for r in records], setup.params)
    raw = [d.text.encode("utf-8") for d in sketch]
    frames = setup.codec.compress(raw)
    rows = []
    for rec, k, n in zip(records, keys, words, strict=True):
        row = [getattr(rec, c) for c in COLUMNS]
        row[COLUMNS.index("words")], row[COLUMNS.index("passages")] = n, int(k.shape[0])
        row[COLUMNS.index("mask")] = [list(s) for s in rec.mask]
        rows.append(row)
    flat = np.concatenate([k.ravel() for k in keys]) if keys else np.empty(0, np.int64)
    stories = story_sketches([d.text for d in sketch])
    sizes = np.array([[len(f), len(b), len(s)] for f, b, s in zip(frames, raw, stories,
                                                                 strict=True)],
                     dtype=np.int64).reshape(-1, 3)
    return pack({"seq": head["seq"], "events": events, "records": rows},
                flat.astype(np.int64).tobytes(), sizes.tobytes(), b"".join(frames),
                b"".join(stories))


def _worker(tasks: Connection, results: Connection, init: bytes) -> None:
    """A worker process: tasks in, results out, until told to stop or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    head, _ = unpack(init)
    setup = _Setup(Metadata(**head["overrides"]), SketchParams.from_dict(head["params"]),
                   int(head["max_bytes"]), TextCodec())
    inbox: queue.Queue[bytes | None] = queue.Queue()

    parent = os.getppid()

    def pump() -> None:  # read ahead, so the parent never waits to send a task
        try:
            while True:
                if tasks.poll(1.0):
                    inbox.put(tasks.recv_bytes())
                elif os.getppid() != parent:
                    # The parent was killed (kill -9): a forked sibling may hold our
                    # pipes open, so no end-of-file comes; leave now, not never.
                    os._exit(1)
        except (EOFError, OSError):
            inbox.put(None)

    threading.Thread(target=pump, daemon=True).start()
    while (msg := inbox.get()) is not None:
        head, parts = unpack(msg)
        if head["kind"] == "stop":
            break
        if head["kind"] == "dict":
            setup.codec.use(setup.codec.add(bytes(parts[0])))
            continue
        try:
            out = work(head, parts, setup)
        except BaseException:
            out = pack({"seq": head["seq"], "error": traceback.format_exc()[-4000:]})
        results.send_bytes(out)
