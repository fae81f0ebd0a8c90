"""GitHub Actions workflow commands: findings become annotations on a pull request.

One ``::error`` (failing finding) or ``::warning`` (warning) per finding, at
its longest passage, spanning it; the message names the other passages.
Allowed reuse is not annotated. A plain summary line ends the output.
"""

from __future__ import annotations

from ..report import Finding, ScanReport, Verdict
from ..safetext import printable

_COMMAND = {Verdict.FAIL: "error", Verdict.WARN: "warning"}


def _data(text: str) -> str:
    """Escape a command's message (GitHub's ``escapeData``), after removing terminal
    escapes and other controls (:func:`checker.safetext.printable`)."""
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    """Escape a property value (GitHub's ``escapeProperty``)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(path: str, f: Finding) -> str:
    p = max(f.passages, key=lambda p: (p.words, -p.draft_start))
    props = [f"file={_prop(path.removeprefix('./'))}", f"line={p.line}", f"col={p.column}",
             f"endLine={p.end_line}", f"endColumn={p.end_column}",
             f"title={_prop(f'checker: {f.reason} ({f.source.title or f.source.path})')}"]
    others = [q for q in f.passages if q is not p]
    message = f.message + f" [source: {f.source.path}, licence {f.source.license}]"
    if others:
        message += " Other passages at lines " + ", ".join(
            f"{q.line}-{q.end_line}" if q.end_line != q.line else str(q.line) for q in others)
    return f"::{_COMMAND[f.verdict]} {','.join(props)}::{_data(message)}"


def render_github(report: ScanReport) -> str:
    """The report as workflow commands, one per line, ending in a newline."""
    lines = [f"::warning::{_data(w)}" for w in report.warnings]
    for fr in report.files:
        if fr.error:
            lines.append(f"::error file={_prop(fr.path)}::{_data(fr.error)}")
        lines.extend(_annotation(fr.path, f) for f in fr.findings if f.verdict in _COMMAND)
    n = len(report.files)
    lines.append(f"checker: {n} file{'s' if n != 1 else ''} scanned: "
                 f"{report.count(Verdict.FAIL)} fail, {report.count(Verdict.WARN)} warn, "
                 f"{report.count(Verdict.PASS)} pass")
    return "\n".join(lines) + "\n"
