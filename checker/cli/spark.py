"""``--engine spark`` for ``checker index add`` and ``checker scan``: the options,
and the calls into :mod:`checker.spark.jobs` (imported, with pyspark, only when
the engine is asked for)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import UsageError

EngineOpt = Annotated[str, typer.Option(
    "--engine", help="local (this machine) or spark (executors of a Spark cluster; needs a "
    "PostgreSQL index and checker's spark extra installed).")]
MasterOpt = Annotated[str | None, typer.Option(
    "--spark-master", metavar="URL", help="Spark master (default: the one spark-submit set, "
    "else local[2]).", show_default=False)]
SparkConfOpt = Annotated[list[str] | None, typer.Option(
    "--spark-conf", metavar="KEY=VALUE", help="A Spark setting (repeatable), e.g. "
    "spark.executor.memory=4g.", show_default=False)]
PartitionsOpt = Annotated[int | None, typer.Option(
    "--partitions", help="Spark partitions of the input (default: twice the parallelism).",
    show_default=False)]
BatchOpt = Annotated[int, typer.Option(
    "--batch-documents", help="With --engine spark: documents per write transaction.")]

ENGINES = ("local", "spark")


def check_engine(engine: str) -> bool:
    """True for the Spark engine; a usage error for an unknown one."""
    if engine not in ENGINES:
        raise UsageError(f"--engine {engine!r} is not one of: {', '.join(ENGINES)}")
    return engine == "spark"


def spark_conf(pairs: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--spark-conf {pair!r} is not KEY=VALUE")
        out[key.strip()] = value
    return out


def jobs() -> Any:
    """:mod:`checker.spark.jobs`, or a usage error saying how to install pyspark."""
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        raise UsageError("--engine spark needs pyspark and pyarrow: pip install "
                         "'checker[spark]' (and Java 17)") from None
    from ..spark import jobs as module

    return module


def add_on_spark(location: str, paths: list[str], warn: Any, **kwargs: Any) -> None:
    """``index add --engine spark``: run the build and print its summary line."""
    summary = jobs().build(location, paths, warn=warn, **kwargs)
    typer.echo(summary.line())


def audit_on_spark(location: str, paths: list[str], output: str | None, warn: Any,
                   **kwargs: Any) -> Any:
    """``scan --engine spark``: run the audit, print its summary line, return it."""
    if output is None:
        raise UsageError("scan --engine spark writes one JSON line per draft: give --output "
                         "FILE (or a Hadoop filesystem URL)")
    if not paths:
        raise UsageError("scan --engine spark needs the drafts to audit (files, directories, "
                         "URLs or .parquet tables)")
    summary = jobs().audit(location, paths, output, warn=warn, **kwargs)
    typer.echo(summary.line())
    return summary


def raw_path(path: Path) -> str:
    """The argument as typed: typer makes ``hdfs://nn/x`` a Path (``hdfs:/nn/x``);
    a Hadoop filesystem URL gets its ``//`` back."""
    import re
    import sys

    text = str(path)
    for arg in sys.argv[1:]:
        if "://" in arg and str(Path(arg)) == text:
            return arg
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]+):/(?!/)", text)
    return f"{m.group(1)}://{text[m.end():]}" if m else text


def index_location(where: Path | str | None) -> str:
    """The index a config resolved (None: ``$CHECKER_INDEX`` or the default) as a string."""
    from ..index import default_index_path

    return str(where if where is not None else default_index_path())


def audit_exit(summary: Any, fail_on: str) -> int:
    """The exit code of an audit, as a scan's: 2 when a draft could not be read,
    else 1 when a verdict fails the gate under ``fail_on``, else 0."""
    from ..gate import EXIT_ON

    if summary.verdicts["error"]:
        return 2
    return 1 if any(summary.verdicts[v.value] for v in EXIT_ON[fail_on]) else 0
