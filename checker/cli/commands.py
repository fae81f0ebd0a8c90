"""The command line: parse flags, call the library, render, pick the exit code.

Exit codes: 0 no failing finding, 1 at least one failing finding, 2 usage
error, unreadable input or an index that cannot be opened, 3 internal error,
130 interrupted. Every expected failure is a :class:`CheckerError`, turned
into one line on stderr by :func:`checker.cli.support.handle_errors` and
nowhere else.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import __version__
from ..config import Config
from ..errors import UsageError
from ..gate import EXIT_ON, fails, run_scan, select_drafts
from ..index import Index
from ..readers import DEFAULT_MAX_MB, max_bytes
from ..render import render
from ..safetext import one_line, safe_output
from . import server as _server  # noqa: F401  (registers index init-db and push)
from .explain import explain
from .index import index_app
from .spark import (
    EngineOpt,
    MasterOpt,
    PartitionsOpt,
    SparkConfOpt,
    audit_exit,
    audit_on_spark,
    check_engine,
    index_location,
    raw_path,
)
from .spark import spark_conf as spark_conf_dict
from .support import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    STATE,
    ConfigOpt,
    IndexOpt,
    MaxSizeOpt,
    check_format,
    error_line,
    handle_errors,
    read_config,
    warn,
)

app = typer.Typer(
    name="checker",
    help="Find reproductions of licensed articles in drafts, and say whether the use is allowed.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
app.add_typer(index_app, name="index")
baseline_app = typer.Typer(help="Accept current findings: scans skip baselined ones.",
                           no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")
app.command("explain")(explain)


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
    STATE["debug"] = debug


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
BaselinePathsArg = Annotated[list[Path] | None, typer.Argument(
    help="Draft files or directories, recursive (default: the config file's directory).",
    show_default=False)]
FailTotalOpt = Annotated[int | None, typer.Option(
    help="Fail when this many words of one source are reproduced in total (default: 40).",
    show_default=False)]
FailPassageOpt = Annotated[int | None, typer.Option(
    help="Fail when one near-verbatim passage is this long (default: 25; an edited passage "
    "fails alone only at the total).", show_default=False)]
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
        "--format", "-f", help="Output format: text, json, sarif (SARIF 2.1.0), github "
        "(workflow commands: pull-request annotations), html (one self-contained page: each "
        "draft beside its sources) or markdown (a summary for a pull request or job summary).")]
        = "text",
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
    max_size: MaxSizeOpt = DEFAULT_MAX_MB,
    engine: EngineOpt = "local",
    spark_master: MasterOpt = None,
    spark_conf: SparkConfOpt = None,
    partitions: PartitionsOpt = None,
) -> None:
    """Scan drafts for reproductions of indexed articles.

    Exit code 0: nothing fails; 1: a finding fails; 2: bad input (a draft that cannot be
    read), index or config; 3: internal error; 130: interrupted.
    """
    check_format(fmt)
    if fail_on is not None and fail_on not in EXIT_ON:
        raise UsageError(f"--fail-on {fail_on!r} is not one of: {', '.join(EXIT_ON)}")
    cfg = read_config(config)
    if check_engine(engine):
        pol = cfg.make_policy(**_policy_flags(
            fail_total_words, fail_passage_words, cfg, quote_max_words=quote_max_words,
            quote_max_total_words=quote_max_total_words, allowlist=allow_publisher,
            commercial=commercial))
        summary = audit_on_spark(index_location(cfg.index_path(index)),
                                 [raw_path(p) for p in paths or []],
                                 raw_path(output) if output else None, warn, policy=pol,
                                 master=spark_master, conf=spark_conf_dict(spark_conf),
                                 partitions=partitions)
        raise typer.Exit(audit_exit(summary, fail_on or cfg.fail_on))
    report = run_scan(paths or [], cfg, index=index, staged=staged,
                      changed_since=changed_since, baseline=baseline, warn=warn,
                      max_bytes=max_bytes(max_size),
                      policy=_policy_flags(fail_total_words, fail_passage_words, cfg,
                                           quote_max_words=quote_max_words,
                                           quote_max_total_words=quote_max_total_words,
                                           allowlist=allow_publisher, commercial=commercial))
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 100
    text = safe_output(render(report, fmt, color=_use_color(no_color, output), width=width))
    if fmt != "github":  # there they are ::warning:: lines of the report itself
        for w in report.warnings:
            warn(w)
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
            error_line(fr.error)
    if any(fr.error for fr in report.files):
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if fails(report, fail_on or cfg.fail_on) else EXIT_CLEAN)


# -- baseline ------------------------------------------------------------------


@baseline_app.command("create")
@handle_errors
def baseline_create(
    paths: BaselinePathsArg = None,
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
    """Record the current warnings and failing findings as accepted: scans skip them.

    Exit code 0: written; 2: bad input, index or config; 3: internal error; 130:
    interrupted.
    """
    from ..baseline import DEFAULT_BASELINE, create_baseline, load_baseline, write_baseline
    from ..markers import apply_markers

    cfg = read_config(config)
    target = output or cfg.baseline or (cfg.root / DEFAULT_BASELINE if cfg.path
                                        else Path(DEFAULT_BASELINE))
    selected = select_drafts(paths or [], cfg)
    with Index.open(cfg.index_path(index), read_only=True) as idx:
        report = idx.scan(list(paths or []) if selected is None else selected,
                          cfg.make_policy())
    report = apply_markers(report)
    previous = load_baseline(target) if target.exists() else None
    created = create_baseline(report, target, expires=expires, justification=justification,
                              previous=previous)
    write_baseline(created)
    n = len(created.entries)
    typer.echo(f"wrote {n} entr{'y' if n == 1 else 'ies'} to {one_line(str(target))}")


# -- init ----------------------------------------------------------------------


@app.command("init")
@handle_errors
def init(force: Annotated[bool, typer.Option(
        "--force", help="Overwrite an existing checker.toml.")] = False) -> None:
    """Write a starter checker.toml and a pre-commit hook, and print the next steps."""
    from ..starter import init_project

    for line in init_project(Path.cwd(), force=force):
        typer.echo(one_line(line) if line.startswith("wrote ") else line)



def main() -> None:
    """Console-script entry point."""
    app()
