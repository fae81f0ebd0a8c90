"""``checker explain DRAFT SOURCE``: every step that led to one finding's verdict.

Pure functions over the report model: :func:`pick` finds the finding of a draft that
names a source (by id, indexed path or its end, as inline markers do; a copy of the
story counts), :func:`lines` spells the finding out with the steps
:func:`checker.verdict.decide` recorded.
"""

from __future__ import annotations

from .report import FileReport, Finding, SourceRef


def names(ref: SourceRef, wanted: str) -> bool:
    """``wanted`` is the source's id, its indexed path, or the end of that path."""
    if wanted in (ref.id, ref.path):
        return True
    want = wanted.replace("\\", "/").removeprefix("./")
    have = ref.path.replace("\\", "/")
    return bool(want) and (have == want or have.endswith("/" + want))


def pick(report: FileReport, source: str) -> Finding | None:
    """The finding of ``report`` about ``source`` (or a copy of its story), if any."""
    for f in report.findings:
        if names(f.source, source) or any(names(c, source) for c in f.copies):
            return f
    return None


def lines(report: FileReport, finding: Finding) -> list[str]:
    """The finding, its passages and the steps of its verdict, one line each."""
    src = finding.source
    out = [f"{report.path}: {finding.verdict.value} ({finding.reason}) against {src.path} "
           f"(id {src.id}; {src.publisher or 'no publisher'}; {src.license or 'no licence'})"]
    if finding.copies:
        out.append("  copies of the same story: "
                   + ", ".join(f"{c.path} ({c.publisher or c.id})" for c in finding.copies))
    out.append("  passages:")
    for i, p in enumerate(finding.passages, 1):
        why = f", not counted ({p.exempt})" if p.exempt else ""
        out.append(f"    {i}. line {p.line}:{p.column}-{p.end_line}:{p.end_column}, "
                   f"{p.words} words, similarity {p.similarity:.2f}{why}")
    out.append("  steps:")
    out += [f"    - {s}" for s in finding.steps]
    out.append(f"  message: {finding.message}")
    return out
