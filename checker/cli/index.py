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
from ..notices import normalize_license
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
    check_format,
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
    max_size: Annotated[float, typer.Option(help="Largest file read, in MB.")] = 20.0,
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
    lic = ""
    if license:
        lic = normalize_license(license) or ""
        if not lic:
            raise UsageError(f"--license {license!r} is not a licence id; use an SPDX id such as "
                             "CC-BY-4.0, or all-rights-reserved")
    overrides = Metadata(title=title, publisher=publisher, url=url, license=lic)
    params = PROFILES[sketch] if sketch is not None else None
    if check_engine(engine):
        add_on_spark(index_location(read_config(config).index_path(index)),
                     [raw_path(p) for p in paths], warn, overrides=overrides, params=params,
                     master=spark_master, conf=spark_conf_dict(spark_conf), partitions=partitions,
                     batch_documents=batch_documents, max_bytes=int(max_size * 1e6))
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
                                  warn=lambda m: err.print(f"warning: {m}", markup=False),
                                  max_bytes=int(max_size * 1e6))
        else:
            summary = idx.add(paths, overrides,
                              warn=warn,
                              max_bytes=int(max_size * 1e6))
        total = idx.stats().documents
    typer.echo(_add_line(summary) + f" ({total} documents in {idx.store.location})")


def _add_line(s: AddSummary) -> str:
    return f"added {s.added}, updated {s.updated}, unchanged {s.unchanged}, skipped {s.skipped}"


@index_app.command("list")
@handle_errors
def index_list(index: IndexOpt = None, fmt: FormatOpt = "text",
               config: ConfigOpt = None) -> None:
    """List indexed documents with their licence and publisher."""
    check_format(fmt, ("text", "json"))
    with Index.open(read_config(config).index_path(index)) as idx:
        docs = idx.documents()
    if fmt == "json":
        fields = ("id", "path", "title", "publisher", "license", "notice", "holder", "years",
                  "url", "date", "added", "words")
        typer.echo(json.dumps([{k: d.to_dict()[k] for k in fields} for d in docs], indent=2,
                              ensure_ascii=False))
        return
    for d in docs:
        typer.echo(f"{d.id}  {d.license:<32} {d.publisher or '-':<24} {d.key}")
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
        removed = idx.remove(refs)
    for d in removed:
        typer.echo(f"removed {d.id} {d.key}")


@index_app.command("stats")
@handle_errors
def index_stats(index: IndexOpt = None, fmt: FormatOpt = "text",
                config: ConfigOpt = None) -> None:
    """Show the size and parameters of the index."""
    check_format(fmt, ("text", "json"))
    with Index.open(read_config(config).index_path(index)) as idx:
        s = idx.stats()
        info = idx.describe()
    data = {"location": info["location"], "documents": s.documents, "passages": s.passages,
            "words": s.words, "lsh_entries": s.lsh_entries, "bytes_on_disk": s.bytes_on_disk,
            "schema_version": info["schema_version"], "params": info["params"],
            "created_with": info["created_with"]}
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(f"index:        {data['location']}")
    typer.echo(f"documents:    {s.documents}")
    typer.echo(f"passages:     {s.passages}")
    typer.echo(f"words:        {s.words}")
    typer.echo(f"lsh entries:  {s.lsh_entries}")
    typer.echo(f"size on disk: {s.bytes_on_disk / 1e6:.1f} MB")
    typer.echo(f"schema:       {info['schema_version']}")
    for k, v in info["params"].items():
        typer.echo(f"{k + ':':<16}{v}")
    for k, v in info["created_with"].items():
        typer.echo(f"{k + ' version:':<16}{v}")
