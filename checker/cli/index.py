"""``checker index``: build and inspect the index of licensed articles."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..documents import Metadata
from ..errors import UsageError
from ..index import AddSummary, Index
from ..licenses import license_id
from ..readers import DEFAULT_MAX_MB, max_bytes
from ..safetext import one_line
from ..store.location import redact
from .spark import (
    BatchOpt,
    EngineOpt,
    MasterOpt,
    PartitionsOpt,
    SparkConfOpt,
    add_on_spark,
    check_engine,
    index_location,
    raw_path,
)
from .spark import spark_conf as spark_conf_dict
from .support import (
    ConfigOpt,
    FormatOpt,
    IndexOpt,
    MaxSizeOpt,
    check_format,
    fail_line,
    handle_errors,
    read_config,
    warn,
)

index_app = typer.Typer(help="Build and inspect the index of licensed articles.",
                        no_args_is_help=True)


@index_app.command("add")
@handle_errors
def index_add(
    paths: Annotated[list[Path], typer.Argument(help="Article files or directories (recursive).",
                                                show_default=False)],
    index: IndexOpt = None,
    publisher: Annotated[str, typer.Option(help="Publisher of these articles.")] = "",
    license: Annotated[str, typer.Option(
        "--license", help="Licence of these articles: an SPDX id (CC-BY-4.0, CC0-1.0, ...) or "
        "all-rights-reserved. Default: read from each article's notice.")] = "",
    url: Annotated[str, typer.Option(help="URL of the article.")] = "",
    title: Annotated[str, typer.Option(help="Title of the article.")] = "",
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
    config: ConfigOpt = None,
    sketch: Annotated[str | None, typer.Option(
        help="Sketch parameters of a new index: default (best recall) or archive (half the "
        "disk, for millions of articles). An existing index keeps its own.",
        show_default=False)] = None,
    engine: EngineOpt = "local",
    spark_master: MasterOpt = None,
    spark_conf: SparkConfOpt = None,
    partitions: PartitionsOpt = None,
    batch_documents: BatchOpt = 500,
) -> None:
    """Add articles (.txt, .md, .html, .jsonl) to the index; unchanged ones are skipped."""
    from ..sketch import PROFILES

    if sketch is not None and sketch not in PROFILES:
        raise UsageError(f"--sketch {sketch!r} is not one of: {', '.join(PROFILES)}")
    lic = license_id(license) if license else ""
    overrides = Metadata(title=title, publisher=publisher, url=url, license=lic)
    params = PROFILES[sketch] if sketch is not None else None
    if check_engine(engine):
        add_on_spark(index_location(read_config(config).index_path(index)),
                     [raw_path(p) for p in paths], warn, overrides=overrides, params=params,
                     master=spark_master, conf=spark_conf_dict(spark_conf), partitions=partitions,
                     batch_documents=batch_documents, max_bytes=max_bytes(max_size))
        return
    with Index.open(read_config(config).index_path(index), create=True, params=params) as idx:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            err = Console(stderr=True, highlight=False, soft_wrap=True,
                          no_color=bool(os.environ.get("NO_COLOR")))

            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("indexing", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                summary = idx.add(paths, overrides, progress=progress,
                                  warn=lambda m: err.print(f"warning: {one_line(m)}",
                                                             markup=False),
                                  max_bytes=max_bytes(max_size))
        else:
            summary = idx.add(paths, overrides,
                              warn=warn,
                              max_bytes=max_bytes(max_size))
        total = idx.stats().documents
    typer.echo(_add_line(summary) + f" ({total} documents in {one_line(idx.store.location)})")


def _add_line(s: AddSummary) -> str:
    return f"added {s.added}, updated {s.updated}, unchanged {s.unchanged}, skipped {s.skipped}"


@index_app.command("list")
@handle_errors
def index_list(index: IndexOpt = None, fmt: FormatOpt = "text",
               config: ConfigOpt = None) -> None:
    """List indexed documents with their licence and publisher."""
    check_format(fmt, ("text", "json"))
    with Index.open(read_config(config).index_path(index), read_only=True) as idx:
        docs = idx.documents()
    if fmt == "json":
        fields = ("id", "path", "title", "publisher", "license", "notice", "holder", "years",
                  "url", "date", "added", "words")
        typer.echo(json.dumps([{k: d.to_dict()[k] for k in fields} for d in docs], indent=2,
                              ensure_ascii=False))
        return
    # Columns as wide as their longest value, always two spaces apart.
    lic = max((len(one_line(d.license)) for d in docs), default=0)
    pub = max((len(one_line(d.publisher) or "-") for d in docs), default=0)
    for d in docs:
        # Keys, licences and publishers come from the articles: one safe line each.
        typer.echo(f"{d.id}  {one_line(d.license):<{lic}}  {one_line(d.publisher) or '-':<{pub}}  "
                   f"{one_line(d.key)}")
    typer.echo(f"{len(docs)} document{'s' if len(docs) != 1 else ''}")


@index_app.command("remove")
@handle_errors
def index_remove(
    refs: Annotated[list[str], typer.Argument(help="Document ids or paths (a directory path "
                                                   "removes everything added from it).",
                                              show_default=False)],
    index: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Remove documents from the index."""
    with Index.open(read_config(config).index_path(index)) as idx:
        removed = idx.remove(refs, warn=warn)
    for d in removed:
        typer.echo(f"removed {d.id} {one_line(d.key)}")


@index_app.command("stats")
@handle_errors
def index_stats(index: IndexOpt = None, fmt: FormatOpt = "text",
                config: ConfigOpt = None) -> None:
    """Show the size and parameters of the index."""
    check_format(fmt, ("text", "json"))
    with Index.open(read_config(config).index_path(index), read_only=True) as idx:
        s = idx.stats()
        info = idx.describe()
    data = {"location": info["location"], "documents": s.documents, "passages": s.passages,
            "words": s.words, "lsh_entries": s.lsh_entries, "bytes_on_disk": s.bytes_on_disk,
            "schema_version": info["schema_version"], "params": info["params"],
            "created_with": info["created_with"]}
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2))
        return
    rows: list[tuple[str, object]] = [
        ("index", one_line(str(data["location"]))), ("documents", s.documents),
        ("passages", s.passages),
        ("words", s.words), ("lsh entries", s.lsh_entries),
        ("size on disk", f"{s.bytes_on_disk / 1e6:.1f} MB"),
        ("schema", info["schema_version"]), *info["params"].items(),
        *((f"{k} version", v) for k, v in info["created_with"].items())]
    width = max(len(k) for k, _ in rows) + 2  # a label and its value never touch
    for k, v in rows:
        typer.echo(f"{k + ':':<{width}}{v}")


@index_app.command("compact")
@handle_errors
def index_compact(index: IndexOpt = None, config: ConfigOpt = None) -> None:
    """Merge the index's band entries into one segment: scans then look each key up once.

    An add leaves up to 6 segments (2 on a server); a scan looks every key up in each.
    Takes a while on a big index (a server merges 100,000 articles in 20-30 s); scans go on
    meanwhile, adds wait for it. On a shared index, run it with the writer role when adds
    are rare, e.g. nightly.
    """
    with Index.open(read_config(config).index_path(index)) as idx:
        before = idx.compact()
        where = idx.describe()["location"]
    where = one_line(str(where))
    typer.echo(f"compacted {where}: {before} segment{'' if before == 1 else 's'} -> 1"
               if before else f"{where}: no band entries to compact")


@index_app.command("check")
@handle_errors
def index_check(
    index: IndexOpt = None,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Fix what can be fixed: drop unusable segments and re-index their "
        "documents from the stored text, delete unregistered segment files, drop documents "
        "whose text is unreadable (named, to be added again).")] = False,
    config: ConfigOpt = None,
) -> None:
    """Verify the index (files, sizes, counts, every document's entries, parameters).

    Exit 0 when it is sound (after --repair: when everything was fixed), 2 when
    problems remain; each is one line on stderr.
    """
    from ..index import default_index_path
    from ..store.check import check_index

    where = read_config(config).index_path(index) or default_index_path()
    if isinstance(where, str):
        raise UsageError(f"{redact(where)}: 'index check' verifies a local index directory; "
                         "a server's tables are kept consistent by its transactions")
    report = check_index(where, repair=repair)
    for line in report.repaired:
        typer.echo(f"repaired: {line}")
    for line in report.notes:
        typer.echo(f"note: {line}")
    for line in report.problems:
        sys.stderr.write(f"checker: problem: {line}\n")
    if report.problems:
        hint = "" if repair else "; run 'checker index check --repair' to fix what can be fixed"
        raise fail_line(f"error: {report.location}: {len(report.problems)} problem"
                        f"{'s' if len(report.problems) != 1 else ''} found{hint}", 2)
    typer.echo(f"index OK: {report.documents} documents in {report.location}")
