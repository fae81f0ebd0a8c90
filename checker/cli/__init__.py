"""The command line: parses flags, calls the core, renders, picks the exit code.

- :mod:`checker.cli.commands`: the ``checker`` app (``scan``, ``baseline``, ``init``).
- :mod:`checker.cli.index`: the ``checker index`` commands.
- :mod:`checker.cli.explain`: ``checker explain`` (why a finding got its verdict).
- :mod:`checker.cli.support`: exit codes, shared options and error handling.
"""

from __future__ import annotations

from .commands import app, main

__all__ = ["app", "main"]
