"""``checker index init-db`` and ``checker index push``: set up a shared index on a
PostgreSQL server and copy an embedded index to it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .index import index_app
from .support import ConfigOpt, IndexOpt, handle_errors, read_config


def _server(index: str | None, config: Path | None) -> str:
    where = read_config(config).index_path(index)
    if where is None and os.environ.get("CHECKER_INDEX"):
        where = os.environ["CHECKER_INDEX"]
    from ..store.location import is_server

    if not isinstance(where, str) or not is_server(where):
        raise UsageError("--index must name a PostgreSQL server here "
                         "(postgresql://USER@HOST:PORT/DB or a libpq connection string)")
    return where


@index_app.command("init-db")
@handle_errors
def index_init_db(
    index: IndexOpt = None,
    reader: Annotated[str, typer.Option(help="Role for scans (SELECT only).")]
    = "checker_reader",
    writer: Annotated[str, typer.Option(help="Role for 'index add' and 'index remove'.")]
    = "checker_writer",
    sketch: Annotated[str, typer.Option(help="Sketch parameters of a new index: default or "
                                        "archive.")] = "default",
    config: ConfigOpt = None,
) -> None:
    """Create the index schema and its reader and writer roles on a PostgreSQL server.

    Run as the database owner. Passwords of the roles come from
    $CHECKER_READER_PASSWORD and $CHECKER_WRITER_PASSWORD (unset: no password is set).
    """
    from ..sketch import PROFILES
    from ..store.pgadmin import init_db

    if sketch not in PROFILES:
        raise UsageError(f"--sketch {sketch!r} is not one of: {', '.join(PROFILES)}")
    line = init_db(_server(index, config), PROFILES[sketch], reader, writer,
                   os.environ.get("CHECKER_READER_PASSWORD") or None,
                   os.environ.get("CHECKER_WRITER_PASSWORD") or None)
    typer.echo(line)


@index_app.command("push")
@handle_errors
def index_push(
    local: Annotated[Path, typer.Argument(help="Directory of the embedded index to copy.",
                                          show_default=False)],
    index: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Copy an embedded index to a PostgreSQL server index (resumable).

    Run it again after an interruption: documents already there are skipped."""
    from ..store.location import server_name
    from ..store.pgadmin import push

    server = _server(index, config)
    summary = push(local, server)
    typer.echo(f"pushed {summary.copied} documents, {summary.already} already there "
               f"({summary.total} in {local}) to {server_name(server)}")
