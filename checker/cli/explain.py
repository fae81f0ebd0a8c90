"""The ``checker explain`` command: why one finding got its verdict."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ..explain import lines, pick
from ..index import Index
from .support import EXIT_CLEAN, ConfigOpt, IndexOpt, handle_errors, read_config


@handle_errors
def explain(
    draft: Annotated[Path, typer.Argument(help="The draft file.", show_default=False)],
    source: Annotated[str, typer.Argument(
        help="The indexed source: its id, its path as indexed, or the end of that path.",
        show_default=False)],
    index: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Print every step that led to the verdict of DRAFT's finding about SOURCE.

    Exit code 0 (also when DRAFT does not reproduce SOURCE); 2: bad input or index.
    """
    if draft.is_dir():
        raise UsageError(f"{draft}: is a directory; explain takes one draft file")
    cfg = read_config(config)
    with Index.open(cfg.index_path(index)) as idx:
        report = idx.scan([draft], cfg.make_policy())
    (fr,) = report.files
    if fr.error:
        raise UsageError(fr.error)
    finding = pick(fr, source)
    if finding is None:
        found = ", ".join(f.source.path for f in fr.findings) or "none"
        sys.stdout.write(f"{draft}: no finding about {source} (sources found: {found})\n")
    else:
        sys.stdout.write("\n".join(lines(fr, finding)) + "\n")
    raise typer.Exit(EXIT_CLEAN)
