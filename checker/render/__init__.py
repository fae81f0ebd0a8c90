"""Renderers: pure functions from a :class:`~checker.report.ScanReport` to text.

Each format lives in its own module, imported only when used (rich only for
text); :func:`render` picks one by name.
"""

from __future__ import annotations

from ..errors import UsageError
from ..report import ScanReport

FORMATS = ("text", "json", "sarif", "github")


def render(report: ScanReport, fmt: str, *, color: bool = False, width: int = 100) -> str:
    """Render ``report`` in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        from .text import render_text

        return render_text(report, color=color, width=width)
    if fmt == "json":
        from .json import render_json

        return render_json(report)
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(report)
    if fmt == "github":
        from .github import render_github

        return render_github(report)
    raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
