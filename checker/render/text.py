"""Human-readable output for a terminal, with rich.

Only drafts with findings or errors are detailed; a one-line summary ends
the output. Colour is decided by the caller (TTY, ``NO_COLOR``, ``--no-color``).
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ..report import FileReport, Finding, Passage, ScanReport, Verdict
from ..safetext import guard_lines, one_line

_STYLE = {Verdict.FAIL: "bold red", Verdict.WARN: "yellow", Verdict.PASS: "green"}
_EXCERPT = 240


def _u(text: str) -> str:
    """User-controlled text (names, titles, messages) as one safe line of rich markup."""
    return escape(one_line(text))


def _excerpt(text: str, limit: int = _EXCERPT) -> str:
    flat = one_line(" ".join(text.split()))
    if len(flat) <= limit:
        return flat
    half = (limit - 5) // 2
    return f"{flat[:half]} [...] {flat[-half:]}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _passage(console: Console, p: Passage) -> None:
    where = f"line {p.line}:{p.column}" + (
        f"-{p.end_line}:{p.end_column}" if (p.end_line, p.end_column) != (p.line, p.column) else "")
    exempt = f", not counted ({p.exempt})" if p.exempt else ""
    console.print(f"      {where}  {p.words} words, similarity {p.similarity:.2f}{exempt}",
                  highlight=False)
    draft = Text("        draft:  ")
    draft.append(_excerpt(p.text), style="bold magenta")
    source = Text("        source: ")
    source.append(_excerpt(p.source_text), style="cyan")
    console.print(draft)
    console.print(source)


def _finding(console: Console, f: Finding) -> None:
    s = f.source
    name = s.title or s.path
    console.print(
        f"  [{_STYLE[f.verdict]}]{f.verdict.value.upper()}[/] [bold]{_u(f.reason)}[/]  "
        f"{_u(name)}" + (f" - {_u(s.publisher)}" if s.publisher else ""),
        highlight=False,
    )
    console.print(f"    licence: {_u(s.license)}   source: {_u(s.path)} (id {_u(s.id)})",
                  highlight=False)
    if f.copies:  # other copies of the same story, judged alike
        names = ", ".join(escape(c.path) for c in f.copies[:5])
        more = f" and {len(f.copies) - 5} more" if len(f.copies) > 5 else ""
        console.print(f"    copies of the same story: {names}{more}", highlight=False)
    console.print(
        f"    similarity {f.similarity:.2f}, draft coverage {_pct(f.draft_coverage)}, "
        f"source coverage {_pct(f.source_coverage)}, {f.reproduced_words} words reproduced, "
        f"longest passage {f.longest_run_words} words", highlight=False)
    console.print(f"    {_u(f.message)}", highlight=False)
    for ev in f.evidence:
        console.print(f"    evidence: {_u(ev)}", highlight=False)
    for p in f.passages:
        _passage(console, p)


def _file(console: Console, fr: FileReport) -> None:
    if fr.error:
        console.print(f"[bold red]ERROR[/] {_u(fr.error)}", highlight=False)
        return
    v = fr.verdict
    console.print(f"[{_STYLE[v]}]{v.value.upper()}[/] [bold]{_u(fr.path)}[/]  "
                  f"({fr.words} words, {len(fr.findings)} "
                  f"source{'s' if len(fr.findings) != 1 else ''})", highlight=False)
    for f in fr.findings:
        _finding(console, f)
    console.print()


def summary_line(report: ScanReport) -> str:
    """``3 files scanned: 1 fail, 1 warn, 1 pass`` (plus errors and findings accepted by a
    baseline or a marker, if any)."""
    n = len(report.files)
    line = (f"{n} file{'s' if n != 1 else ''} scanned: {report.count(Verdict.FAIL)} fail, "
            f"{report.count(Verdict.WARN)} warn, {report.count(Verdict.PASS)} pass")
    errors = sum(1 for f in report.files if f.error)
    if errors:
        line += f", {errors} error{'s' if errors != 1 else ''}"
    by: dict[str, int] = {}
    for fr in report.files:
        for sup in fr.suppressed:
            by[sup.by] = by.get(sup.by, 0) + 1
    if by:
        n_sup = sum(by.values())
        line += (f", {n_sup} finding{'s' if n_sup != 1 else ''} suppressed ("
                 + ", ".join(f"{k} {v}" for k, v in sorted(by.items())) + ")")
    return line


def render_text(report: ScanReport, *, color: bool = False, width: int = 100) -> str:
    """The report as text; ANSI colour only when ``color``.

    The report's warnings are not part of it: the CLI writes them to stderr.
    """
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, soft_wrap=True,
                      emoji=False, highlight=False)
    for fr in report.files:
        if fr.findings or fr.error:
            _file(console, fr)
    v = report.verdict
    console.print(f"[{_STYLE[v]}]{summary_line(report)}[/]", highlight=False)
    return guard_lines(buf.getvalue())
