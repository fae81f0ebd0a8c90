"""A compact Markdown summary for a pull-request comment or a GitHub job summary.

One heading with the verdict, one line of counts, a table of the findings
that warn or fail (worst first; at most ``max_rows``), what to do about each
in a collapsed ``<details>``, and a count of the drafts that pass. The full
story (texts side by side) is the HTML report. Hand-written rather than a
template: it is a dozen lines of output, and Markdown needs its own escaping
(:func:`escape`), which HTML autoescaping would not give.

Every piece of draft or source text (paths, titles, publishers, messages,
errors, warnings) goes through :func:`escape`: no Markdown or HTML in it is
rendered, and ``@name`` does not notify anybody.
"""

from __future__ import annotations

import re

from ..report import FileReport, Finding, ScanReport, Verdict

#: GitHub cuts a comment at 65,536 characters; far fewer rows keep it readable.
MAX_ROWS = 50

# ASCII punctuation that makes Markdown inside a line (emphasis, code, links, table
# cells, strikethrough, math); "-", "+" or "1." matter only at a line's start, where user
# text never stands. "<", ">" and "&" become entities instead.
_SPECIAL = re.compile(r"([\\`*_\[\]|~$#])")


def escape(text: str) -> str:
    """``text`` as literal Markdown (GFM) inline text, on one line, safe in a table cell."""
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _SPECIAL.sub(r"\\\1", flat)
    # A zero-width space keeps "@team" from mentioning anyone.
    return flat.replace("@", "@\u200b")


def _lines(f: Finding) -> str:
    if not f.passages:
        return ""
    return ", ".join(f"{p.line}" if p.end_line == p.line else f"{p.line}\u2013{p.end_line}"
                     for p in f.passages)


def _counted(f: Finding) -> int:
    return sum(p.words if p.counted_words is None else p.counted_words
               for p in f.passages if not p.exempt)


def _source(f: Finding) -> str:
    s = f.source
    name = escape(s.title or s.path)
    who = f" \u2014 {escape(s.publisher)}" if s.publisher else ""
    return f"{name}{who} ({escape(s.license)})"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_markdown(report: ScanReport, *, max_rows: int = MAX_ROWS) -> str:
    """The report as GitHub-flavoured Markdown, ending in a newline.

    Args:
        max_rows: findings listed at most; the rest are counted.
    """
    verdict = report.verdict
    errors = [fr for fr in report.files if fr.error]
    n = len(report.files)
    head = f"### checker: {verdict.value.upper()}"
    counts = (f"{_plural(n, 'draft')} scanned: **{report.count(Verdict.FAIL)} fail**, "
              f"{report.count(Verdict.WARN)} warn, {report.count(Verdict.PASS)} pass")
    if errors:
        counts += f", {len(errors)} could not be read"
    accepted = sum(len(fr.suppressed) for fr in report.files)
    if accepted:
        counts += f"; {_plural(accepted, 'finding')} accepted (marker or baseline)"
    out = [head, "", counts + ".", ""]

    rows: list[tuple[FileReport, Finding]] = [
        (fr, f) for fr in report.files for f in fr.findings if f.verdict is not Verdict.PASS]
    rows.sort(key=lambda r: (-r[1].verdict.rank, r[0].path, -r[1].reproduced_words))
    if rows or errors:
        out += ["| Verdict | Draft | Source (licence) | Reason | Counted words | Lines |",
                "|---|---|---|---|--:|---|"]
        for fr in errors:
            out.append(f"| **ERROR** | {escape(fr.path)} | | could not be read | | |")
        for fr, f in rows[:max_rows]:
            out.append(f"| **{f.verdict.value.upper()}** | {escape(fr.path)} | {_source(f)} | "
                       f"{escape(f.reason)} | {_counted(f)} | {_lines(f)} |")
        if len(rows) > max_rows:
            out.append(f"\n\u2026 and {_plural(len(rows) - max_rows, 'more finding')}: "
                       "see the HTML report.")
        out += ["", "<details><summary>What to do</summary>", ""]
        for fr in errors:
            out.append(f"- **{escape(fr.path)}**: {escape(fr.error)}")
        for fr, f in rows[:max_rows]:
            out.append(f"- **{escape(fr.path)}** ({f.verdict.value}, {escape(f.reason)}): "
                       f"{escape(f.message)}")
        out += ["", "</details>", ""]
    passing = [fr for fr in report.files if not fr.error and fr.verdict is Verdict.PASS]
    if passing:
        reasons = sorted({f.reason for fr in passing for f in fr.findings})
        allowed = f" (allowed reuse: {', '.join(escape(r) for r in reasons)})" if reasons else ""
        out += [f"{_plural(len(passing), 'draft')} pass{allowed}.", ""]
    if report.warnings:
        out += ["<details><summary>Warnings</summary>", ""]
        out += [f"- {escape(w)}" for w in report.warnings]
        out += ["", "</details>", ""]
    out.append("The HTML report shows each draft beside its sources "
               "(`checker scan --format html --output report.html`).")
    return "\n".join(out) + "\n"
