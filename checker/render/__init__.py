"""Renderers: pure functions from a :class:`~checker.report.ScanReport` to text.

Each format lives in its own module; :func:`render` picks one by name.
"""

from __future__ import annotations

from ..errors import UsageError
from ..report import ScanReport

FORMATS = ("text", "json")


def render(report: ScanReport, fmt: str, *, color: bool = False, width: int = 100) -> str:
    """Render ``report`` in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        from .text import render_text

        return render_text(report, color=color, width=width)
    if fmt == "json":
        from .json import render_json

        return render_json(report)
    raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
