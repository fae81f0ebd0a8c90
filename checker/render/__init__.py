"""Renderers: pure functions from a :class:`~checker.report.ScanReport` to text.

Each format lives in its own module, imported only when used (rich only for
text, Jinja2 only for html); :func:`render` picks one by name.
"""

from __future__ import annotations

from ..errors import UsageError
from ..report import ScanReport

FORMATS = ("text", "json", "sarif", "github", "html", "markdown")


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
    if fmt == "html":
        from .html import render_html

        return render_html(report)
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(report)
    raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
