"""checker: find reproductions of licensed articles in drafts.

The library is usable without the CLI: open an :class:`Index`, ``add``
articles, ``scan`` drafts, and render the :class:`ScanReport` with
:mod:`checker.render`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import CheckerError, ConfigError, IndexOpenError, InputError
from .index import AddSummary, Index, default_index_path
from .policy import Policy
from .report import FileReport, Finding, Passage, ScanReport, SourceRef, Verdict

__all__ = [
    "AddSummary", "CheckerError", "ConfigError", "FileReport", "Finding", "Index",
    "IndexOpenError", "InputError", "Passage", "Policy", "ScanReport", "SourceRef", "Verdict",
    "__version__", "default_index_path",
]
