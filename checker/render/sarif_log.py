"""A SARIF report's results as plain log lines, for the GitHub Action's log.

``python -m checker.render.sarif_log FILE`` prints ``URI:LINE:COL: LEVEL: MESSAGE`` per
result and a count. The SARIF file holds text from drafts and articles (titles,
publishers, URLs), so every field goes through :func:`checker.safetext.one_line` and the
output through :func:`checker.safetext.guard_lines`: no line can start a workflow command.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ..safetext import guard_lines, one_line


def _field(data: Any, *keys: str) -> str:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return one_line(str(data if data is not None else "?"))


def sarif_log_lines(sarif: dict[str, Any]) -> str:
    """The results of the first run, one safe line each, then a count line."""
    runs = sarif.get("runs") or [{}]
    results = runs[0].get("results") or []
    lines = []
    for r in results:
        locations = r.get("locations") or [{}]
        loc = locations[0].get("physicalLocation", {})
        where = (f'{_field(loc, "artifactLocation", "uri")}:{_field(loc, "region", "startLine")}'
                 f':{_field(loc, "region", "startColumn")}')
        lines.append(f'{where}: {_field(r, "level")}: {_field(r, "message", "text")}')
    lines.append(f"checker: {len(results)} reproduced passage(s)")
    return guard_lines("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m checker.render.sarif_log FILE.sarif\n")
        return 2
    try:
        with open(args[0], encoding="utf-8") as fh:
            sarif = json.load(fh)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"checker: error: {one_line(args[0])}: cannot read the SARIF report "
                         f"({one_line(exc.__class__.__name__)})\n")
        return 2
    sys.stdout.write(sarif_log_lines(sarif if isinstance(sarif, dict) else {}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
