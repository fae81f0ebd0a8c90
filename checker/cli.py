"""The command line: parse flags, call the library, render, pick the exit code.

Exit codes: 0 no failing finding, 1 at least one failing finding, 2 usage
error, unreadable input or an index that cannot be opened, 3 internal error,
130 interrupted. Every expected failure is a :class:`CheckerError`, turned
into one line on stderr here and nowhere else.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from . import __version__
from .documents import Metadata
from .errors import CheckerError, UsageError
from .index import AddSummary, Index
from .notices import normalize_license
from .policy import Policy
from .render import FORMATS, render
from .report import Verdict

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

app = typer.Typer(
    name="checker",
    help="Find reproductions of licensed articles in drafts, and say whether the use is allowed.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
index_app = typer.Typer(help="Build and inspect the index of licensed articles.",
                        no_args_is_help=True)
app.add_typer(index_app, name="index")

_state: dict[str, bool] = {"debug": False}
F = TypeVar("F", bound=Callable[..., Any])

IndexOpt = Annotated[Path | None, typer.Option(
    "--index", help="Index directory [default: $CHECKER_INDEX, else .checker/index].",
    show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")]


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True,
                   no_color=bool(os.environ.get("NO_COLOR")))


def _fail(message: str, code: int) -> typer.Exit:
    _stderr().print(f"checker: {message}", markup=False)
    return typer.Exit(code)


def handle_errors(func: F) -> F:
    """Turn expected errors into one line and an exit code; the one place that does."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except CheckerError as exc:
            raise _fail(f"error: {exc}", exc.exit_code) from None
        except KeyboardInterrupt:
            raise _fail("interrupted: the index keeps every document committed so far; "
                        "run the same command again to finish", EXIT_INTERRUPTED) from None
        except Exception as exc:
            if _state["debug"]:
                traceback.print_exc()
            raise _fail(f"internal error: {exc.__class__.__name__}: {exc} "
                        "(run with --debug for a traceback, and please report it)",
                        EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"checker {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]
    = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Find reproductions of licensed articles in drafts."""
    _state["debug"] = debug


def _check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    if fmt not in allowed:
        raise UsageError(f"--format {fmt!r} is not one of: {', '.join(allowed)}")
    return fmt


# -- index ---------------------------------------------------------------------


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
) -> None:
    """Add articles (.txt, .md, .html, .jsonl) to the index; unchanged ones are skipped."""
    lic = ""
    if license:
        lic = normalize_license(license) or ""
        if not lic:
            raise UsageError(f"--license {license!r} is not a licence id; use an SPDX id such as "
                             "CC-BY-4.0, or all-rights-reserved")
    overrides = Metadata(title=title, publisher=publisher, url=url, license=lic)
    err = _stderr()
    with Index.open(index, create=True) as idx:
        if sys.stderr.isatty():
            from rich.progress import Progress

            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("indexing", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                summary = idx.add(paths, overrides, progress=progress,
                                  warn=lambda m: err.print(f"warning: {m}", markup=False),
                                  max_bytes=int(max_size * 1e6))
        else:
            summary = idx.add(paths, overrides,
                              warn=lambda m: err.print(f"warning: {m}", markup=False),
                              max_bytes=int(max_size * 1e6))
        total = idx.stats().documents
    typer.echo(_add_line(summary) + f" ({total} documents in {idx.store.location})")


def _add_line(s: AddSummary) -> str:
    return f"added {s.added}, updated {s.updated}, unchanged {s.unchanged}, skipped {s.skipped}"


@index_app.command("list")
@handle_errors
def index_list(index: IndexOpt = None, fmt: FormatOpt = "text") -> None:
    """List indexed documents with their licence and publisher."""
    _check_format(fmt)
    with Index.open(index) as idx:
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
) -> None:
    """Remove documents from the index."""
    with Index.open(index) as idx:
        removed = idx.remove(refs)
    for d in removed:
        typer.echo(f"removed {d.id} {d.key}")


@index_app.command("stats")
@handle_errors
def index_stats(index: IndexOpt = None, fmt: FormatOpt = "text") -> None:
    """Show the size and parameters of the index."""
    _check_format(fmt)
    with Index.open(index) as idx:
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
        typer.echo(f"{k + ':':<14}{v}")
    for k, v in info["created_with"].items():
        typer.echo(f"{k + ' version:':<14}{v}")


# -- scan ----------------------------------------------------------------------


def _use_color(no_color: bool, output: Path | None) -> bool:
    return (not no_color and output is None and not os.environ.get("NO_COLOR")
            and sys.stdout.isatty())


@app.command("scan")
@handle_errors
def scan(
    paths: Annotated[list[Path], typer.Argument(help="Draft files or directories (recursive).",
                                                show_default=False)],
    index: IndexOpt = None,
    fmt: FormatOpt = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the report to FILE.")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in text output.")]
    = False,
    fail_total_words: Annotated[int, typer.Option(
        help="Fail when this many words of one source are reproduced in total.")] = 40,
    fail_passage_words: Annotated[int, typer.Option(
        help="Fail when one reproduced passage is this long.")] = 25,
) -> None:
    """Scan drafts for reproductions of indexed articles.

    Exit code 0: nothing fails; 1: a finding fails; 2: bad input or index; 3: internal error.
    """
    _check_format(fmt)
    policy = Policy(fail_total_words=fail_total_words, fail_passage_words=fail_passage_words,
                    min_passage_words=min(10, fail_passage_words))
    with Index.open(index) as idx:
        report = idx.scan(paths, policy)
    width = Console().width if sys.stdout.isatty() else 100
    text = render(report, fmt, color=_use_color(no_color, output), width=width)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{output}: cannot write the report ({exc.strerror})") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    for fr in report.files:
        if fr.error:
            _stderr().print(f"checker: error: {fr.error}", markup=False)
    if any(fr.error for fr in report.files):
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if report.verdict is Verdict.FAIL else EXIT_CLEAN)


def main() -> None:
    """Console-script entry point."""
    app()
