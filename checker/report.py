"""The scan report model: what was found, where, and the verdict.

The core builds a :class:`ScanReport`; renderers in :mod:`checker.render`
turn it into text, JSON and other formats; the CLI picks the exit code from
:attr:`ScanReport.verdict`. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

JSON_SCHEMA_VERSION = 1


class Verdict(StrEnum):
    """Outcome of a finding or a file, ordered pass < warn < fail."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @staticmethod
    def worst(verdicts: list[Verdict]) -> Verdict:
        return max(verdicts, key=lambda v: v.rank, default=Verdict.PASS)


_RANK = {Verdict.PASS: 0, Verdict.WARN: 1, Verdict.FAIL: 2}


@dataclass(frozen=True)
class SourceRef:
    """The indexed article a finding is about."""

    id: str
    path: str
    title: str
    publisher: str
    license: str
    notice: str
    url: str = ""


@dataclass(frozen=True)
class Passage:
    """One reproduced passage.

    Offsets are character offsets into the draft's and the source's text
    (end exclusive); ``line``/``column`` (1-based) locate ``draft_start``
    and ``end_line``/``end_column`` the last character. ``exempt`` says why
    a passage does not count against the draft (``quotation``,
    ``public-speech``, ``common-phrasing``), or is "" when it counts.
    ``counted_words`` is how many of its words count towards the size limits
    (0 when exempt, fewer than ``words`` for an edited or loose passage; see
    :meth:`checker.policy.Policy.counted_words`), ``None`` when not computed.
    """

    draft_start: int
    draft_end: int
    line: int
    column: int
    end_line: int
    end_column: int
    source_start: int
    source_end: int
    words: int
    similarity: float
    text: str
    source_text: str
    exempt: str = ""
    counted_words: int | None = None


@dataclass(frozen=True)
class Excerpt:
    """A piece of a longer text: ``text`` starts at character ``start`` of it."""

    start: int
    text: str


#: A source up to this many characters is kept whole in :attr:`Finding.source_excerpts`.
WHOLE_SOURCE_CHARS = 40_000
#: Characters kept on each side of a passage of a longer source.
EXCERPT_CONTEXT_CHARS = 1_500


def excerpts(text: str, spans: Sequence[tuple[int, int]], *,
             whole: int = WHOLE_SOURCE_CHARS,
             context: int = EXCERPT_CONTEXT_CHARS) -> tuple[Excerpt, ...]:
    """The parts of ``text`` a reader needs to see ``spans`` (character offsets) in place.

    A text of at most ``whole`` characters is kept whole; a longer one keeps
    ``context`` characters around each span, overlapping pieces merged, so a
    report holds what it shows and not a whole archive article."""
    if len(text) <= whole:
        return (Excerpt(0, text),) if text else ()
    pieces: list[list[int]] = []
    for s, e in sorted(spans):
        a, b = max(0, s - context), min(len(text), e + context)
        if pieces and a <= pieces[-1][1]:
            pieces[-1][1] = max(pieces[-1][1], b)
        else:
            pieces.append([a, b])
    return tuple(Excerpt(a, text[a:b]) for a, b in pieces)


@dataclass(frozen=True)
class Finding:
    """Reuse of one source in one draft, and its verdict.

    Attributes:
        similarity: word-weighted similarity of the passages (0-1).
        draft_coverage: share of the draft's words inside reproduced passages.
        source_coverage: share of the source's words reproduced.
        reproduced_words: draft words inside reproduced passages.
        longest_run_words: the longest passage, in draft words.
        reason: a stable code (``reproduction``, ``below-threshold``, ...).
        message: what it means and what to do, for a person.
        source_excerpts: the source's text around the passages (whole when
            short; :func:`excerpts`), for side-by-side renderers. Not in JSON:
            the passages carry their own text there.
    """

    verdict: Verdict
    reason: str
    message: str
    source: SourceRef
    similarity: float
    draft_coverage: float
    source_coverage: float
    reproduced_words: int
    longest_run_words: int
    passages: tuple[Passage, ...]
    evidence: tuple[str, ...] = ()
    #: other indexed copies of the same story, judged alike (the source is the best match)
    copies: tuple[SourceRef, ...] = ()
    #: how the verdict was reached, one line per step (``checker explain``; not in JSON)
    steps: tuple[str, ...] = ()
    source_excerpts: tuple[Excerpt, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Suppressed:
    """A finding accepted by an inline marker or a baseline entry: reported, not judged.

    ``by`` is ``marker`` or ``baseline``; ``justification`` is the marker's
    ``reason`` or the entry's justification; ``line`` is the marker's line.
    """

    finding: Finding
    by: str
    justification: str = ""
    line: int | None = None
    expires: str | None = None


@dataclass(frozen=True)
class FileReport:
    """The findings of one draft; ``error`` is set when it could not be scanned.

    ``suppressed`` holds findings accepted by a marker or a baseline; they do
    not count towards the verdict. ``text`` is the draft's text as scanned (the
    passages' offsets point into it), for side-by-side renderers; not in JSON.
    """

    path: str
    words: int
    findings: tuple[Finding, ...] = ()
    error: str = ""
    suppressed: tuple[Suppressed, ...] = ()
    text: str = field(default="", compare=False, repr=False)

    @property
    def verdict(self) -> Verdict:
        return Verdict.worst([f.verdict for f in self.findings])


@dataclass(frozen=True)
class ScanReport:
    """Everything one scan found, ready to render."""

    files: tuple[FileReport, ...]
    index: dict[str, Any] = field(default_factory=dict)
    tool_version: str = "0"
    warnings: tuple[str, ...] = ()

    @property
    def verdict(self) -> Verdict:
        return Verdict.worst([f.verdict for f in self.files])

    def count(self, verdict: Verdict) -> int:
        """How many files have this verdict."""
        return sum(1 for f in self.files if f.verdict is verdict and not f.error)

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON form (``schema_version`` 1)."""

        def finding(f: Finding) -> dict[str, Any]:
            d = asdict(f)
            del d["source_excerpts"]
            d["verdict"] = f.verdict.value
            d["license"] = f.source.license
            d["passages"] = [asdict(p) for p in f.passages]
            d["evidence"] = list(f.evidence)
            d["copies"] = [asdict(c) for c in f.copies]
            del d["steps"]
            return d

        def suppressed(s: Suppressed) -> dict[str, Any]:
            return {"by": s.by, "justification": s.justification, "line": s.line,
                    "expires": s.expires, "finding": finding(s.finding)}

        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "tool": {"name": "checker", "version": self.tool_version},
            "index": self.index,
            "summary": {
                "files": len(self.files),
                "fail": self.count(Verdict.FAIL),
                "warn": self.count(Verdict.WARN),
                "pass": self.count(Verdict.PASS),
                "errors": sum(1 for f in self.files if f.error),
                "suppressed": sum(len(f.suppressed) for f in self.files),
                "verdict": self.verdict.value,
            },
            "files": [
                {"path": f.path, "verdict": f.verdict.value, "words": f.words,
                 "error": f.error or None, "findings": [finding(x) for x in f.findings],
                 "suppressed": [suppressed(x) for x in f.suppressed]}
                for f in self.files
            ],
            "warnings": list(self.warnings),
        }
