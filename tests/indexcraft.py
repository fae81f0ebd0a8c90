"""Crafting hostile indexes in tests: a small real index, then raw edits of its
SQLite rows and files, and the CLI run on it (in-process, or in a subprocess with a
timeout where the old behaviour was a hang)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from conftest import ARTICLES, DRAFTS, checker_command
from typer.testing import CliRunner

from checker import Index
from checker.cli import app
from checker.store.sqlite import DB_NAME, LSH_DIR

SOURCE = ARTICLES / "harbor-times-crab-season.txt"
DRAFT = DRAFTS / "pasted-paragraph.md"  # reproduces SOURCE: a scan exits 1
SMALL = [SOURCE, ARTICLES / "harbor-times-seawall-vote.txt",
         ARTICLES / "lakeside-ledger-water-rates.txt"]

runner = CliRunner()


def build(path: Path, articles: list[Path] = SMALL) -> Path:
    with Index.open(path, create=True) as index:
        index.add(articles)
    return path


def sql(index: Path, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
    db = sqlite3.connect(index / DB_NAME, isolation_level=None)
    try:
        return db.execute(statement, params).fetchall()
    finally:
        db.close()


def segment_files(index: Path) -> list[Path]:
    return [index / LSH_DIR / name for (name,) in sql(index, "SELECT file FROM segments")]


def cli(*args: str | Path) -> tuple[int, str, str]:
    """Run ``checker ARGS`` in-process: exit code, stdout, stderr (no traceback)."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def cli_process(*args: str | Path, timeout: float = 120) -> tuple[int, str, str]:
    """Run the installed ``checker ARGS`` in a subprocess, killed after ``timeout``
    seconds (the test then fails instead of hanging)."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CHECKER_INDEX", None)
    proc = subprocess.run([*checker_command(), *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env, check=False)
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def one_error(err: str) -> str:
    """The single error line of a run's stderr."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("checker: error: ")
    return lines[0]
