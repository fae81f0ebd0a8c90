"""JSON output (``schema_version`` 1): see :meth:`ScanReport.to_dict`."""

from __future__ import annotations

import json

from ..report import ScanReport


def render_json(report: ScanReport) -> str:
    """The report as indented JSON, keys in a stable order, ending in a newline."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
