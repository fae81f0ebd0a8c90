"""What the command modules share: exit codes, common options, and the one place that
turns expected errors into a line on stderr and an exit code (:func:`handle_errors`).

Only the CLI imports this module (it imports typer).
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..config import Config, load_config
from ..errors import CheckerError, UsageError
from ..render import FORMATS
from ..safetext import one_line

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141

STATE: dict[str, bool] = {"debug": False}
F = TypeVar("F", bound=Callable[..., Any])

IndexOpt = Annotated[str | None, typer.Option(
    "--index", help="Index directory, or a PostgreSQL server (postgresql://USER@HOST/DB or a "
    "libpq connection string) (default: $CHECKER_INDEX, else the config's index, else "
    ".checker/index next to the config file or here).",
    show_default=False)]
MaxSizeOpt = Annotated[float, typer.Option(
    "--max-size", metavar="MB", help="Largest file read, in MB (10^6 bytes); larger files "
    "are refused with an error that names them.")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="Config file (default: checker.toml, .checker.toml or the tool.checker "
    "table of pyproject.toml, found upwards from the current directory).", show_default=False)]


def warn(message: str) -> None:
    # Plain writes: rich is only imported to render text reports. Messages name files
    # and quote titles: one line, no controls, so none can start a workflow command.
    sys.stderr.write(f"checker: warning: {one_line(message)}\n")


def error_line(message: str) -> None:
    """``checker: error: MESSAGE`` on stderr, made safe like :func:`warn`."""
    sys.stderr.write(f"checker: error: {one_line(message)}\n")


def fail_line(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"checker: {one_line(message)}\n")
    sys.stderr.flush()
    return typer.Exit(code)


def read_config(path: Path | None) -> Config:
    """The config file named or found; its warnings go to stderr."""
    config = load_config(path)
    for w in config.warnings:
        warn(w)
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
            raise fail_line(f"error: {exc}", exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail_line("interrupted: the index keeps every document committed so far; "
                        "run the same command again to finish", EXIT_INTERRUPTED) from None
        except Exception as exc:
            if STATE["debug"]:
                traceback.print_exc()
            raise fail_line(f"internal error: {exc.__class__.__name__}: {exc} "
                        "(run with --debug for a traceback, and please report it)",
                        EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    if fmt not in allowed:
        raise UsageError(f"--format {fmt!r} is not one of: {', '.join(allowed)}")
    return fmt
