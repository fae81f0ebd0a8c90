"""Inline ignore markers: a draft that says a source's reuse is accepted.

In Markdown or HTML, an HTML comment anywhere in the file::

    <!-- checker: ignore source=811f1ae13e49 reason="licensed from the Harbor Times" -->

In plain text, a line of its own: ``checker: ignore source=ID reason="..."``.
``source`` is an indexed document's id or path (a path matches by its end, so
``articles/crab.txt`` matches wherever the article was indexed from). The
marker silences that one source for that one file; the finding is still
reported, as suppressed, in JSON output.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import CheckerError
from .report import FileReport, ScanReport, SourceRef, Suppressed

_MARKER_RE = re.compile(
    # The body stops at the next "<!--": linear on a draft of unclosed markers.
    r"<!--\s*checker:\s*ignore\b(?P<c>(?:[^<-]|-(?!->)|<(?!!--))*)-->"
    r"|^[ \t]*(?:#|//)?[ \t]*checker:[ \t]*ignore\b(?P<l>[^\n]*)$",
    re.DOTALL | re.MULTILINE,
)


@dataclass(frozen=True)
class Marker:
    """One ``checker: ignore`` marker and where it is (1-based line)."""

    source: str
    reason: str
    line: int

    def matches(self, src: SourceRef) -> bool:
        if self.source in (src.id, src.path):
            return True
        want = self.source.replace("\\", "/").removeprefix("./")
        have = src.path.replace("\\", "/")
        return bool(want) and (have == want or have.endswith("/" + want))


def parse_markers(text: str) -> tuple[list[Marker], list[str]]:
    """The markers in ``text`` and a problem line for each malformed one."""
    markers: list[Marker] = []
    problems: list[str] = []
    for m in _MARKER_RE.finditer(text):
        body = m.group("c") if m.group("c") is not None else m.group("l")
        line = text.count("\n", 0, m.start()) + 1
        try:
            words = shlex.split(body)
        except ValueError:
            problems.append(f"line {line}: unbalanced quotes in the checker marker")
            continue
        fields = dict(w.split("=", 1) for w in words if "=" in w)
        source = fields.get("source", "").strip()
        if not source:
            problems.append(f"line {line}: checker marker without source=ID; add the "
                            "source's id or path")
            continue
        markers.append(Marker(source=source, reason=fields.get("reason", ""), line=line))
    return markers, problems


def read_markers(path: Path) -> tuple[list[Marker], list[str]]:
    """Markers of the draft file at ``path`` (none when it cannot be read)."""
    try:
        data = path.read_bytes()
    except OSError:
        return [], []
    if b"checker" not in data:
        return [], []  # the common case, without decoding
    from .decode import decode_bytes

    try:
        text = decode_bytes(data, str(path))
    except CheckerError:  # an unreadable draft is already reported by the scan
        return [], []
    return parse_markers(text)


def apply_markers(report: ScanReport) -> ScanReport:
    """Move findings silenced by their draft's markers to ``suppressed``; warn about
    malformed markers and markers that silence nothing."""
    files: list[FileReport] = []
    warnings = list(report.warnings)
    for fr in report.files:
        if fr.error:
            files.append(fr)
            continue
        markers, problems = read_markers(Path(fr.path))
        warnings.extend(f"{fr.path}: {p}" for p in problems)
        if not markers:
            files.append(fr)
            continue
        kept, quiet, used = [], list(fr.suppressed), set()
        for f in fr.findings:
            m = next((m for m in markers if m.matches(f.source)), None)
            if m is None:
                kept.append(f)
                continue
            used.add(m)
            quiet.append(Suppressed(finding=f, by="marker", justification=m.reason,
                                    line=m.line))
        for m in markers:
            if m not in used:
                warnings.append(f"{fr.path}:{m.line}: the marker ignores source {m.source}, "
                                "which this draft does not reuse; remove the marker")
        files.append(replace(fr, findings=tuple(kept), suppressed=tuple(quiet)))
    return replace(report, files=tuple(files), warnings=tuple(warnings))
