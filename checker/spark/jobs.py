"""The driver of a Spark build or audit: the session, the table of input entries,
the job, and its one-line summary. The only module that imports pyspark.

Progress is Spark's own (its UI, its logs, its console progress bar); the
summary line at the end counts what was added, what was skipped and why, and
the words per second.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..documents import Metadata
from ..errors import UsageError
from ..policy import Policy
from ..readers import iter_files
from ..sketch import SketchParams
from ..store.location import is_server
from .inputs import Problem
from .tasks import (
    AUDIT_SCHEMA,
    ENTRY_SCHEMA,
    OUTCOME_SCHEMA,
    AuditTask,
    BuildTask,
    audit_partition,
    build_partition,
)

DEFAULT_MASTER = "local[2]"
BATCH_DOCUMENTS = 500
# Rows per Arrow batch handed to a Python worker: files travel with their bytes.
ARROW_BATCH_ROWS = "64"
SHOWN_PROBLEMS = 1000

Warn = Callable[[str], None]


def is_url(path: str) -> bool:
    """A Hadoop filesystem URL (``hdfs://``, ``s3a://``, ``file:///``...), read by
    Spark itself and named as Spark names its files; a plain path is listed by the
    driver, as ``index add`` lists it, and named as given."""
    return len(urlparse(path).scheme) > 1


def session(master: str | None = None, conf: dict[str, str] | None = None) -> Any:
    """The active SparkSession (``spark-submit``, a test's), else a new one on
    ``master`` (default: the master ``spark-submit`` set, else ``local[2]``).
    A local master binds to 127.0.0.1 and runs this Python in its workers."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    given = SparkConf()
    chosen = master or given.get("spark.master", None) or DEFAULT_MASTER
    builder = SparkSession.builder.appName("checker").master(chosen)
    if chosen.startswith("local"):
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.pyspark.python", sys.executable))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _require_server(location: str) -> None:
    if not is_server(location):
        raise UsageError(f"--engine spark needs a PostgreSQL index (--index postgresql://...), "
                         f"which every executor can reach; {location!r} is a directory")


def input_table(spark: Any, paths: Sequence[str | Path], partitions: int | None
                ) -> tuple[Any, list[Problem]]:
    """The entries to read (see :mod:`checker.spark.inputs`), spread over
    ``partitions`` partitions (default: twice the default parallelism), and the
    problems found on the driver (duplicate ids in a table).

    Raises:
        InputError: a local path that does not exist (before anything runs).
    """
    from pyspark.sql import functions as F

    local: list[tuple[str, str, str, bytes | None]] = []
    frames = []
    problems: list[Problem] = []
    for given in map(str, paths):
        if given.rstrip("/").endswith(".parquet"):
            table, found = _table(spark, given)
            frames.append(table)
            problems += found
        elif is_url(given):
            frames.append(spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                          .load(given).select(F.lit("data").alias("kind"),
                                              F.col("path").alias("name"), F.col("path"),
                                              F.col("content")))
        else:
            # Listed as 'index add' lists them: the same files, the same names.
            local += [("file", name, os.path.abspath(p), None)
                      for p, name in iter_files([given])]
    unique: dict[str, tuple[str, str, str, bytes | None]] = {}
    for entry in local:  # a file named twice (itself and through its folder) is read once
        unique.setdefault(entry[1], entry)
    frames.insert(0, spark.createDataFrame(list(unique.values()), ENTRY_SCHEMA))
    table = frames[0]
    for f in frames[1:]:
        table = table.unionByName(f)
    n = partitions or 2 * spark.sparkContext.defaultParallelism
    return table.repartition(n), problems


def _table(spark: Any, given: str) -> tuple[Any, list[Problem]]:
    """A Parquet table's rows as JSON entries; rows whose id is not unique are
    left out and reported (which of them is meant cannot be known)."""
    from pyspark.sql import functions as F

    t = spark.read.parquet(given)
    rows = t.select(F.lit("row").alias("kind"), F.lit(given).alias("name"),
                    F.input_file_name().alias("path"),
                    F.to_json(F.struct(*[F.col(c) for c in t.columns])).cast("binary")
                    .alias("content"))
    if "id" not in t.columns:
        return rows, []
    dups = t.groupBy("id").count().filter("count > 1 AND id IS NOT NULL")
    found = [(str(r["id"]), int(r["count"])) for r in dups.collect()]
    problems: list[Problem] = [("duplicate", f"{given}#{rid}", f"{n} rows have this id; none "
                                "is read: make ids unique") for rid, n in found]
    if found:
        rows = rows.join(dups.select(F.col("id").cast("string").alias("_dup")),
                         F.get_json_object(F.col("content").cast("string"), "$.id")
                         == F.col("_dup"), "left_anti")
    return rows, problems


@dataclass
class BuildSummary:
    """What a Spark build did (``problems``: the skipped entries, location and message)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str]] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    prepare_cpu_s: float = 0.0  # CPU seconds the executors spent sketching
    write_s: float = 0.0  # seconds the executors spent in write transactions
    documents: int = 0
    location: str = ""

    @property
    def skipped(self) -> int:
        return sum(self.reasons.values())

    def line(self) -> str:
        why = ", ".join(f"{k} {v}" for k, v in sorted(self.reasons.items()))
        rate = self.words / self.seconds if self.seconds > 0 else 0.0
        return (f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
                f"skipped {self.skipped}{f' ({why})' if why else ''}; {self.words:,} words in "
                f"{self.seconds:.1f} s ({rate:,.0f} words/s) "
                f"({self.documents} documents in {self.location})")


def build(location: str, paths: Sequence[str | Path], overrides: Metadata = Metadata(),
          params: SketchParams | None = None, master: str | None = None,
          conf: dict[str, str] | None = None, partitions: int | None = None,
          batch_documents: int = BATCH_DOCUMENTS, max_bytes: int = 20_000_000,
          warn: Warn | None = None) -> BuildSummary:
    """Add articles to the server index at ``location`` on Spark.

    Args:
        paths: local files and directories, Hadoop filesystem URLs, and Parquet
            tables (a path ending in ``.parquet``).
        params: sketch parameters of a new index (an existing one keeps its own).
        batch_documents: documents per write transaction.
        warn: called with each skipped entry (the first :data:`SHOWN_PROBLEMS`).

    Raises:
        UsageError: not a server index. InputError: a local path that does not exist.
    """
    from ..index import Index

    _require_server(location)
    if batch_documents < 1:
        raise UsageError("--batch-documents must be at least 1")
    with Index.open(location, create=True, params=params) as idx:  # schema and parameters
        where = idx.store.location
    spark = session(master, conf)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", ARROW_BATCH_ROWS)
    table, problems = input_table(spark, paths, partitions)
    task = BuildTask(location=location, overrides=overrides, batch_documents=batch_documents,
                     max_bytes=max_bytes)
    spark.sparkContext.setJobDescription(f"checker index add -> {where}")
    start = time.perf_counter()
    rows = table.mapInArrow(partial(build_partition, task), OUTCOME_SCHEMA).collect()
    with Index.open(location) as idx:  # the tasks' segments, merged as an add's
        idx.store.write([], merge=True)
    summary = BuildSummary(seconds=time.perf_counter() - start, location=where)
    for reason, loc, message in problems:
        rows.append({"kind": f"skipped:{reason}", "location": loc, "message": message,
                     "documents": 1, "words": 0, "prepare_cpu_s": 0.0, "write_s": 0.0})
    for r in rows:
        kind, n = r["kind"], int(r["documents"])
        if kind.startswith("skipped:"):
            summary.reasons[kind.split(":", 1)[1]] += n
            summary.problems.append((r["location"], r["message"]))
            continue
        setattr(summary, kind, getattr(summary, kind) + n)
        summary.words += int(r["words"])
        summary.prepare_cpu_s += float(r["prepare_cpu_s"])
        summary.write_s += float(r["write_s"])
    summary.problems.sort()
    if warn:
        for loc, message in summary.problems[:SHOWN_PROBLEMS]:
            warn(f"skipped {message}" if message.startswith(loc) else f"skipped {loc}: {message}")
        if len(summary.problems) > SHOWN_PROBLEMS:
            warn(f"... and {len(summary.problems) - SHOWN_PROBLEMS} more skipped entries")
    with Index.open(location) as idx:
        summary.documents = idx.stats().documents
    return summary


@dataclass
class AuditSummary:
    """What a Spark audit found (counts of drafts by verdict)."""

    verdicts: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    warnings: int = 0
    suppressed: int = 0
    seconds: float = 0.0
    output: str = ""

    @property
    def drafts(self) -> int:
        return sum(self.verdicts.values())

    def to_dict(self) -> dict[str, Any]:
        return {"drafts": self.drafts, "fail": self.verdicts["fail"],
                "warn": self.verdicts["warn"], "pass": self.verdicts["pass"],
                "errors": self.verdicts["error"], "skipped": self.skipped,
                "warnings": self.warnings, "suppressed": self.suppressed,
                "seconds": round(self.seconds, 3), "output": self.output}

    def line(self) -> str:
        rate = self.drafts / self.seconds if self.seconds > 0 else 0.0
        v = self.verdicts
        return (f"audited {self.drafts} drafts: fail {v['fail']}, warn {v['warn']}, pass "
                f"{v['pass']}, errors {v['error']}, skipped {self.skipped}, suppressed "
                f"{self.suppressed} in {self.seconds:.1f} s ({rate:,.1f} drafts/s); "
                f"findings in {self.output}")


def audit(location: str, paths: Sequence[str | Path], output: str, policy: Policy = Policy(),
          master: str | None = None, conf: dict[str, str] | None = None,
          partitions: int | None = None, max_bytes: int = 20_000_000,
          warn: Warn | None = None) -> AuditSummary:
    """Scan drafts against the server index on Spark; write one JSON line per
    draft (the JSON report's file object, sorted by path) to ``output`` (a local
    file, or a directory of part files at a Hadoop filesystem URL) and the
    summary to ``output.summary.json`` (local output)."""
    from pyspark import StorageLevel

    _require_server(location)
    spark = session(master, conf)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", ARROW_BATCH_ROWS)
    table, problems = input_table(spark, paths, partitions)
    task = AuditTask(location=location, policy=policy, max_bytes=max_bytes)
    spark.sparkContext.setJobDescription("checker scan (audit)")
    start = time.perf_counter()
    out = table.mapInArrow(partial(audit_partition, task), AUDIT_SCHEMA)
    out = out.persist(StorageLevel.MEMORY_AND_DISK)  # sorted and counted without re-scanning
    summary = AuditSummary(output=output, skipped=len(problems))
    if warn:  # rows of a drafts table whose id is not unique: not scanned, said so
        for _, where, message in problems[:SHOWN_PROBLEMS]:
            warn(f"skipped {where}: {message}")
    try:
        for r in out.groupBy("kind", "verdict").count().collect():
            if r["kind"] == "file":
                summary.verdicts[r["verdict"]] += int(r["count"])
            elif r["kind"] == "skipped":
                summary.skipped += int(r["count"])
            else:
                summary.warnings += int(r["count"])
        notes = out.filter("kind != 'file'").orderBy("path", "line").collect()
        files = out.filter("kind = 'file'").orderBy("path")
        if is_url(output):
            files.select("line").write.mode("overwrite").text(output)
        else:
            with open(output, "w", encoding="utf-8") as f:
                for r in files.select("line").toLocalIterator():
                    f.write(r["line"] + "\n")
                    summary.suppressed += len(json.loads(r["line"])["suppressed"])
        summary.seconds = time.perf_counter() - start
    finally:
        out.unpersist()
    if warn:
        for r in notes[:SHOWN_PROBLEMS]:
            warn(r["line"])
    if not is_url(output):
        Path(output + ".summary.json").write_text(json.dumps(summary.to_dict(), indent=2) + "\n",
                                                  encoding="utf-8")
    return summary
