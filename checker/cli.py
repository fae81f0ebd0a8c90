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
import shutil
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__
from .config import Config, load_config
from .documents import Metadata
from .errors import CheckerError, UsageError
from .gate import EXIT_ON, fails, run_scan, select_drafts
from .index import AddSummary, Index
from .notices import normalize_license
from .render import FORMATS, render

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141

app = typer.Typer(
    name="checker",
    help="Find reproductions of licensed articles in drafts, and say whether the use is allowed.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
index_app = typer.Typer(help="Build and inspect the index of licensed articles.",
                        no_args_is_help=True)
app.add_typer(index_app, name="index")
baseline_app = typer.Typer(help="Accept current findings: scans skip baselined ones.",
                           no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")

_state: dict[str, bool] = {"debug": False}
F = TypeVar("F", bound=Callable[..., Any])

IndexOpt = Annotated[Path | None, typer.Option(
    "--index", help="Index directory (default: $CHECKER_INDEX, else the config's index, else "
    ".checker/index next to the config file or here).",
    show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="Config file (default: checker.toml, .checker.toml or the tool.checker "
    "table of pyproject.toml, found upwards from the current directory).", show_default=False)]


def _warn(message: str) -> None:
    # Plain writes: rich is only imported to render text reports.
    sys.stderr.write(f"checker: warning: {message}\n")


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"checker: {message}\n")
    sys.stderr.flush()
    return typer.Exit(code)


def _config(path: Path | None) -> Config:
    """The config file named or found; its warnings go to stderr."""
    config = load_config(path)
    for w in config.warnings:
        _warn(w)
    return config


def handle_errors(func: F) -> F:
    """Turn expected errors into one line and an exit code; the one place that does."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except BrokenPipeError:
            # The reader went away (`checker index list | head`): stop quietly, as
            # a killed-by-SIGPIPE process would, instead of reporting an internal error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
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
    config: ConfigOpt = None,
    sketch: Annotated[str | None, typer.Option(
        help="Sketch parameters of a new index: default (best recall) or archive (half the "
        "disk, for millions of articles). An existing index keeps its own.",
        show_default=False)] = None,
) -> None:
    """Add articles (.txt, .md, .html, .jsonl) to the index; unchanged ones are skipped."""
    from .sketch import PROFILES

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
    with Index.open(_config(config).index_path(index), create=True, params=params) as idx:
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
                              warn=_warn,
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
    _check_format(fmt, ("text", "json"))
    with Index.open(_config(config).index_path(index)) as idx:
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
    with Index.open(_config(config).index_path(index)) as idx:
        removed = idx.remove(refs)
    for d in removed:
        typer.echo(f"removed {d.id} {d.key}")


@index_app.command("stats")
@handle_errors
def index_stats(index: IndexOpt = None, fmt: FormatOpt = "text",
                config: ConfigOpt = None) -> None:
    """Show the size and parameters of the index."""
    _check_format(fmt, ("text", "json"))
    with Index.open(_config(config).index_path(index)) as idx:
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


# -- scan ----------------------------------------------------------------------


def _use_color(no_color: bool, output: Path | None) -> bool:
    return (not no_color and output is None and not os.environ.get("NO_COLOR")
            and sys.stdout.isatty())


def _policy_flags(fail_total_words: int | None, fail_passage_words: int | None,
                  config: Config, **rights: Any) -> dict[str, Any]:
    # Rights flags (quotation limits, partners, commercial) left unset keep the config's.
    overrides: dict[str, Any] = {k: v for k, v in rights.items() if v is not None}
    if overrides.get("allowlist") is not None:
        overrides["allowlist"] = (*config.policy.get("allowlist", ()), *overrides["allowlist"])
    if fail_total_words is not None:
        overrides["fail_total_words"] = fail_total_words
    if fail_passage_words is not None:
        overrides["fail_passage_words"] = fail_passage_words
        min_words = config.policy.get("min_passage_words", 10)
        overrides["min_passage_words"] = min(min_words, fail_passage_words)
    return overrides


PathsArg = Annotated[list[Path] | None, typer.Argument(
    help="Draft files or directories, recursive (default: with --staged/--changed-since, "
    "the whole repository; else the config file's directory).", show_default=False)]
FailTotalOpt = Annotated[int | None, typer.Option(
    help="Fail when this many words of one source are reproduced in total (default: 40).",
    show_default=False)]
FailPassageOpt = Annotated[int | None, typer.Option(
    help="Fail when one reproduced passage is this long (default: 25).", show_default=False)]
QuoteMaxOpt = Annotated[int | None, typer.Option(
    help="An attributed quotation up to this many words is fair quotation (default: 25).",
    show_default=False)]
QuoteTotalOpt = Annotated[int | None, typer.Option(
    help="Fair quotation from one source stops at this many words (default: 50).",
    show_default=False)]
AllowOpt = Annotated[list[str] | None, typer.Option(
    "--allow-publisher", metavar="NAME", help="A licensed partner whose text may be "
    "reproduced (repeatable; added to the config's allowlist).", show_default=False)]
CommercialOpt = Annotated[bool | None, typer.Option(
    "--commercial/--non-commercial", help="Whether the drafts are a commercial use (CC BY-NC "
    "sources then fail) (default: the config's commercial, else non-commercial).",
    show_default=False)]


@app.command("scan")
@handle_errors
def scan(
    paths: PathsArg = None,
    index: IndexOpt = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="Output format: text, json, sarif (SARIF 2.1.0) or github "
        "(workflow commands: pull-request annotations).")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the report to FILE.")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in text output.")]
    = False,
    fail_total_words: FailTotalOpt = None,
    fail_passage_words: FailPassageOpt = None,
    quote_max_words: QuoteMaxOpt = None,
    quote_max_total_words: QuoteTotalOpt = None,
    allow_publisher: AllowOpt = None,
    commercial: CommercialOpt = None,
    config: ConfigOpt = None,
    staged: Annotated[bool, typer.Option(
        "--staged", help="Scan the files staged in git (what the next commit adds).")] = False,
    changed_since: Annotated[str | None, typer.Option(
        "--changed-since", metavar="REV", help="Scan the files changed in git since REV "
        "(a branch, tag or commit), committed or not.", show_default=False)] = None,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="Skip the findings accepted in this baseline file (default: the "
        "config's baseline).", show_default=False)] = None,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", help="Exit 1 on: fail (a failing finding), warn (also a warning) or "
        "never (default: the config's fail_on, else fail).", show_default=False)] = None,
) -> None:
    """Scan drafts for reproductions of indexed articles.

    Exit code 0: nothing fails; 1: a finding fails; 2: bad input, index or config;
    3: internal error.
    """
    _check_format(fmt)
    if fail_on is not None and fail_on not in EXIT_ON:
        raise UsageError(f"--fail-on {fail_on!r} is not one of: {', '.join(EXIT_ON)}")
    cfg = _config(config)
    report = run_scan(paths or [], cfg, index=index, staged=staged,
                      changed_since=changed_since, baseline=baseline, warn=_warn,
                      policy=_policy_flags(fail_total_words, fail_passage_words, cfg,
                                           quote_max_words=quote_max_words,
                                           quote_max_total_words=quote_max_total_words,
                                           allowlist=allow_publisher, commercial=commercial))
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 100
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
            sys.stderr.write(f"checker: error: {fr.error}\n")
    if any(fr.error for fr in report.files):
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if fails(report, fail_on or cfg.fail_on) else EXIT_CLEAN)


# -- baseline ------------------------------------------------------------------


@baseline_app.command("create")
@handle_errors
def baseline_create(
    paths: PathsArg = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Baseline file to write (default: the config's baseline, else "
        "checker-baseline.json next to the config file or here).", show_default=False)] = None,
    expires: Annotated[str | None, typer.Option(
        help="Expiry date of the new entries (YYYY-MM-DD): after it they are reported again.",
        show_default=False)] = None,
    justification: Annotated[str, typer.Option(help="Why these findings are accepted.")] = "",
    index: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Record the current warnings and failing findings as accepted: scans skip them."""
    from .baseline import DEFAULT_BASELINE, create_baseline, load_baseline, write_baseline
    from .markers import apply_markers

    cfg = _config(config)
    target = output or cfg.baseline or (cfg.root / DEFAULT_BASELINE if cfg.path
                                        else Path(DEFAULT_BASELINE))
    selected = select_drafts(paths or [], cfg)
    with Index.open(cfg.index_path(index)) as idx:
        report = idx.scan(list(paths or []) if selected is None else selected,
                          cfg.make_policy())
    report = apply_markers(report)
    previous = load_baseline(target) if target.exists() else None
    created = create_baseline(report, target, expires=expires, justification=justification,
                              previous=previous)
    write_baseline(created)
    n = len(created.entries)
    typer.echo(f"wrote {n} entr{'y' if n == 1 else 'ies'} to {target}")


# -- init ----------------------------------------------------------------------


@app.command("init")
@handle_errors
def init(force: Annotated[bool, typer.Option(
        "--force", help="Overwrite an existing checker.toml.")] = False) -> None:
    """Write a starter checker.toml and a pre-commit hook, and print the next steps."""
    from .starter import init_project

    for line in init_project(Path.cwd(), force=force):
        typer.echo(line)



def main() -> None:
    """Console-script entry point."""
    app()
