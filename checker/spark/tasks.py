"""What one Spark partition does, in an executor: Arrow record batches of input
entries in (``kind``, ``name``, ``path``, ``content``: see
:mod:`checker.spark.inputs`), Arrow record batches of outcomes out
(``mapInArrow``).

- Build: documents are read, the ones the server already holds unchanged are
  skipped (one query per batch: a re-run after a failed or killed job adds only
  what is missing), the rest prepared with :func:`checker.ingest.prepare_batch`
  (rights, masks, signatures and band keys: the kernels of a local add) and
  written with :meth:`PostgresStore.write` (COPY, one transaction per batch of
  whole articles).
- Audit: each draft is scanned with :func:`checker.scan.scan_document` against
  the server, its inline markers applied, and returned as the JSON report's
  file object.

No pyspark import here: these run in Spark's Python workers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from .. import __version__
from ..documents import Metadata, TextDocument
from ..ingest import _content_hash, prepare_batch
from ..markers import apply_markers
from ..policy import Policy
from ..report import FileReport, ScanReport
from ..scan import scan_document
from ..store.postgres import PostgresStore
from .inputs import Problem, read_entry

ENTRY_SCHEMA = "kind string, name string, path string, content binary"
OUTCOME_SCHEMA = ("kind string, location string, message string, documents long, words long, "
                  "prepare_cpu_s double, write_s double")
Outcome = tuple[str, str, str, int, int, float, float]
AUDIT_SCHEMA = "kind string, path string, verdict string, line string"


@dataclass(frozen=True)
class BuildTask:
    """What every build partition needs (shipped to the executors).

    Attributes:
        location: the server's connection string.
        overrides: ``--publisher``/``--license``/... of the add.
        batch_documents: documents per write transaction.
        max_bytes: larger files are refused.
    """

    location: str
    overrides: Metadata
    batch_documents: int
    max_bytes: int


@dataclass(frozen=True)
class AuditTask:
    """What every audit partition needs: the server and the policy."""

    location: str
    policy: Policy
    max_bytes: int


def _entries(batches: Iterator[pa.RecordBatch]) -> Iterator[tuple[str, str, str, bytes | None]]:
    for rb in batches:
        cols = rb.to_pydict()
        yield from zip(cols["kind"], cols["name"], cols["path"], cols["content"], strict=True)


def _outcomes(rows: list[Outcome]) -> pa.RecordBatch:
    names = ["kind", "location", "message", "documents", "words", "prepare_cpu_s", "write_s"]
    types = [pa.string()] * 3 + [pa.int64()] * 2 + [pa.float64()] * 2
    return pa.RecordBatch.from_arrays(
        [pa.array([r[i] for r in rows], type=t) for i, t in enumerate(types)], names=names)


def _problem_rows(problems: list[Problem]) -> list[Outcome]:
    return [(f"skipped:{reason}", where, message, 1, 0, 0.0, 0.0)
            for reason, where, message in problems]


def write_batch(store: PostgresStore, docs: list[TextDocument],
                overrides: Metadata) -> list[Outcome]:
    """Write the documents of ``docs`` the server lacks or holds in another
    version, in one transaction; the outcome rows (counts and words, and the
    CPU seconds of sketching and wall seconds of the write, for the figures)."""
    stored = store.content_hashes([d.key for d in docs])
    todo: list[TextDocument] = []
    rows: list[Outcome] = []
    unchanged = added = updated = 0
    for d in docs:
        old = stored.get(d.key)
        if old is not None and old == _content_hash(d, overrides):
            unchanged += 1
        elif not d.text.strip():
            rows.append(("skipped:empty", d.key, "empty document", 1, 0, 0.0, 0.0))
        else:
            todo.append(d)
            added += old is None
            updated += old is not None
    added_words = updated_words = 0
    cpu = wall = 0.0
    if todo:
        cpu = time.process_time()
        prepared = prepare_batch(todo, overrides, store.params)
        cpu = time.process_time() - cpu
        wall = time.perf_counter()
        store.write(prepared, merge=False)
        store.flush()  # committed before its outcome is reported (and timed)
        wall = time.perf_counter() - wall
        for p in prepared:
            if p.record.key in stored:
                updated_words += p.record.words
            else:
                added_words += p.record.words
    rows += [("added", "", "", added, added_words, cpu, wall),
             ("updated", "", "", updated, updated_words, 0.0, 0.0),
             ("unchanged", "", "", unchanged, 0, 0.0, 0.0)]
    return rows


def build_partition(task: BuildTask, batches: Iterator[pa.RecordBatch]
                    ) -> Iterator[pa.RecordBatch]:
    """The build of one partition: read, skip what is there, prepare, write."""
    store = PostgresStore(task.location)
    try:
        pending: list[TextDocument] = []
        problems: list[Problem] = []
        for kind, name, path, content in _entries(batches):
            docs, found = read_entry(kind, name, path, content, task.max_bytes)
            problems += found
            pending += docs
            while len(pending) >= task.batch_documents:
                batch, pending = pending[:task.batch_documents], pending[task.batch_documents:]
                yield _outcomes(write_batch(store, batch, task.overrides)
                                + _problem_rows(problems))
                problems = []
        if pending or problems:
            yield _outcomes((write_batch(store, pending, task.overrides) if pending else [])
                            + _problem_rows(problems))
    finally:
        store.close()


def audit_file(store: PostgresStore, doc: TextDocument, policy: Policy
               ) -> tuple[dict[str, Any], list[str]]:
    """One draft's file object of the JSON report, and its warnings (markers
    that match nothing, an empty draft), as a local scan gives them."""
    warnings = [f"{doc.path}: empty document, nothing to check"] if not doc.text.strip() else []
    report = ScanReport(files=(scan_document(store, doc, policy),), tool_version=__version__)
    if Path(doc.path).is_file():  # inline markers are read from the draft's file
        report = apply_markers(report)
    return report.to_dict()["files"][0], [*warnings, *report.warnings]


def audit_partition(task: AuditTask, batches: Iterator[pa.RecordBatch]
                    ) -> Iterator[pa.RecordBatch]:
    """The audit of one partition: one ``file`` row per draft (its JSON file
    object), ``skipped`` and ``warning`` rows for the rest."""
    store = PostgresStore(task.location)
    names = ["kind", "path", "verdict", "line"]
    try:
        for kind, name, path, content in _entries(batches):
            rows: list[tuple[str, str, str, str]] = []
            docs, problems = read_entry(kind, name, path, content, task.max_bytes)
            for reason, where, message in problems:
                if reason == "unsupported":
                    rows.append(("skipped", where, "", f"skipped {message}"))
                else:  # a draft that cannot be read is an error, as in a local scan
                    obj = ScanReport(files=(FileReport(path=where, words=0, error=message),)
                                     ).to_dict()["files"][0]
                    rows.append(("file", where, "error", json.dumps(obj, ensure_ascii=False)))
            for doc in docs:
                obj, warnings = audit_file(store, doc, task.policy)
                rows.append(("file", doc.path, obj["verdict"],
                             json.dumps(obj, ensure_ascii=False)))
                rows += [("warning", doc.path, "", w) for w in warnings]
            if rows:
                yield pa.RecordBatch.from_arrays(
                    [pa.array([r[i] for r in rows], type=pa.string()) for i in range(4)],
                    names=names)
    finally:
        store.close()
