"""One exception hierarchy for every expected failure.

The CLI turns a :class:`CheckerError` into a one-line message and its
``exit_code``; anything else is an internal error (exit 3). Library users
catch :class:`CheckerError` and never need to know about exit codes.
"""

from __future__ import annotations


class CheckerError(Exception):
    """An expected failure: bad input, a bad index or bad configuration.

    The message is shown to the user as is, so it names the file and says
    what to do.
    """

    exit_code: int = 2


class InputError(CheckerError):
    """A draft or article that cannot be read (missing, binary, undecodable)."""


class UnsupportedFileError(InputError):
    """A file whose type no reader handles (skipped with a warning inside a folder)."""


class IndexOpenError(CheckerError):
    """The index is missing, corrupt, locked, or written by another version."""


class ConfigError(CheckerError):
    """A configuration file or flag value that is invalid."""


class UsageError(CheckerError):
    """Flags or arguments that do not fit together."""


class IndexCorruptError(IndexOpenError):
    """An index whose files break its own format or rules (a path outside it, a
    truncated segment, an unreadable text, parameters out of range)."""


class IndexBusyError(IndexOpenError):
    """The index is locked by another process for longer than we wait."""


class DiskFullError(CheckerError):
    """A write ran out of disk space; nothing half-written was kept."""


class IndexUnfinishedError(IndexOpenError):
    """An index database without tables yet: its first add was interrupted (the next
    add creates them)."""
