"""A self-contained HTML report: overview of all drafts, each draft beside each source.

One file, no external script, style, font or image (the CSS and JS in
``assets/`` are inlined at render time, and a Content-Security-Policy with
their hashes forbids anything else, so the page works offline and from a CI
artifact and makes no request). The page shows, per draft and source, both
texts side by side with the reproduced passages highlighted and linked
(``assets/report.js``), each passage's similarity and whether it counted.

Why Jinja2 and not a hand-written renderer: every value in this report comes
from a draft (a pull request) or an indexed article, so what matters most is
that *nothing* reaches the page unescaped. With ``autoescape`` every
``{{ value }}`` is escaped unless marked safe, so a forgotten escape cannot
happen; only the two inlined assets (our own files, checked not to contain
``</``) are marked safe. Jinja2 is small, pure Python and well kept, and the
markup stays readable in one template (``assets/report.html.j2``); this
module prepares plain values only, never HTML strings. The CSP is a second
wall: even a tag that slipped through could not run or load anything.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup

from ..report import Excerpt, FileReport, Finding, Passage, ScanReport, Verdict

#: Why a passage does not count (``Passage.exempt``), in words.
EXEMPT = {
    "quotation": "fair quotation: inside quotation marks, attributed, within the quotation "
                 "limits",
    "public-speech": "public speech: a quoted statement that indexed articles of other "
                     "publishers quote too",
    "common-phrasing": "common phrasing: the standard wording of this kind of story (it "
                       "stands in other indexed stories too)",
}

#: What a finding's reason code means, in words (unknown codes are shown as they are).
REASONS = {
    "reproduction": "the source's rights are reserved and the draft reproduces more than the "
                    "size limits allow",
    "below-threshold": "the source's rights are reserved; the draft shares text with it, "
                       "below the size limits",
    "attribution-missing": "the source is Creative Commons (BY): reuse needs a credit, and "
                           "the draft has none",
    "no-derivatives": "the source is CC BY-ND: it may be reproduced only unchanged",
    "non-commercial": "the source is CC BY-NC: credited, but only non-commercial use is "
                      "allowed",
    "attributed": "the source is Creative Commons (BY) and the draft credits it",
    "public-domain": "the source is public domain (CC0): free to reuse",
    "licensed-partner": "the publisher is a licensed partner (allowlist)",
    "quotation": "only fair quotation: short, attributed quotes",
    "public-speech": "only a statement that several publishers quote (public speech)",
    "common-phrasing": "only the common wording of this kind of story",
    "none": "nothing reproduced",
}

#: Reasons that allow passages which count: said beside each counted passage.
ALLOWED = {
    "attributed": "allowed, as the draft credits the source",
    "public-domain": "allowed, as the source is public domain",
    "licensed-partner": "allowed, as the publisher is a licensed partner",
    "non-commercial": "allowed for non-commercial use only",
}

_ASSETS = resources.files("checker.render").joinpath("assets")


@cache
def _asset(name: str) -> str:
    return _ASSETS.joinpath(name).read_text(encoding="utf-8")


@cache
def _template() -> Template:
    """The page template, compiled once per process."""
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["pct"] = lambda x: f"{100 * x:.0f}%"
    return env.from_string(_asset("report.html.j2"))


@dataclass
class Segment:
    """A run of text with the passages (numbers, 1-based) that cover it; ``starts``
    are the passages that begin here (their number is printed before the run)."""

    text: str
    passages: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    counted: bool = False


@dataclass
class Piece:
    """One excerpt of a text, cut into segments; ``gap`` characters left out before it."""

    segments: list[Segment]
    gap: int = 0


def segments(text: str, spans: list[tuple[int, int, int, bool]], offset: int = 0
             ) -> list[Segment]:
    """Cut ``text`` (which starts at character ``offset`` of the whole) at every span edge.

    Args:
        spans: (start, end, passage number, counts) in characters of the whole text;
            spans may overlap (a source sentence reproduced twice).
    """
    cuts = {0, len(text)}
    for s, e, _, _ in spans:
        cuts.update(min(len(text), max(0, x - offset)) for x in (s, e))
    edges = sorted(cuts)
    out = []
    for a, b in itertools.pairwise(edges):
        if a == b:
            continue
        # First the passages that begin here, then the shortest: a click on overlapping
        # passages means the one whose start was clicked, or else the inner one.
        on = [(n, c) for s, e, n, c in sorted(spans, key=lambda sp: (sp[0] - offset != a,
                                                                      sp[1] - sp[0]))
              if s - offset <= a and b <= e - offset]
        out.append(Segment(text[a:b], [n for n, _ in on],
                           sorted(n for s, _, n, _ in spans if s - offset == a),
                           any(c for _, c in on)))
    return out


def _pieces(excerpts: tuple[Excerpt, ...], spans: list[tuple[int, int, int, bool]]
            ) -> list[Piece]:
    out, at = [], 0
    for ex in excerpts:
        mine = [sp for sp in spans if ex.start <= sp[0] and sp[1] <= ex.start + len(ex.text)]
        out.append(Piece(segments(ex.text, mine, ex.start), gap=ex.start - at))
        at = ex.start + len(ex.text)
    return out


def _joined(parts: list[tuple[int, str]]) -> tuple[Excerpt, ...]:
    """Excerpts made of slices of one text (start, text), overlapping ones joined: a
    report built without the texts themselves still shows every passage once."""
    out: list[Excerpt] = []
    for start, text in sorted(parts):
        if out and start <= out[-1].start + len(out[-1].text):
            last = out[-1]
            out[-1] = Excerpt(last.start, last.text + text[last.start + len(last.text) - start:])
        else:
            out.append(Excerpt(start, text))
    return tuple(out)


def counts(p: Passage) -> bool:
    """The passage counts towards the size limits."""
    return not p.exempt and p.counted_words != 0


def why(p: Passage) -> str:
    """Whether a passage counts, and why, in words."""
    if p.exempt:
        return "not counted: " + EXEMPT.get(p.exempt, p.exempt)
    if p.counted_words is None or p.counted_words == p.words:
        return f"counts: all {p.words} words"
    if p.counted_words == 0:
        return ("not counted: a loose paraphrase in a draft that mostly does not derive "
                "from this source")
    return (f"counts {p.counted_words} of {p.words} words: edited, so only the share it "
            f"keeps from the source (similarity {p.similarity:.2f}) counts")


def _counted(f: Finding) -> int:
    return sum(p.words if p.counted_words is None else p.counted_words
               for p in f.passages if not p.exempt)


def _finding_view(f: Finding, key: str, draft_text: str, suppressed: Any = None
                  ) -> dict[str, Any]:
    dspans = [(p.draft_start, p.draft_end, i, counts(p)) for i, p in enumerate(f.passages, 1)]
    sspans = [(p.source_start, p.source_end, i, counts(p)) for i, p in enumerate(f.passages, 1)]
    source = f.source_excerpts or _joined([(p.source_start, p.source_text) for p in f.passages])
    if not draft_text:  # a report built without the draft's text: its passages alone
        draft = _pieces(_joined([(p.draft_start, p.text) for p in f.passages]), dspans)
    else:
        draft = [Piece(segments(draft_text, dspans))]
    url = f.source.url
    return {
        "key": key, "f": f, "verdict": f.verdict.value, "counted": _counted(f),
        "reason_text": REASONS.get(f.reason, ""), "suppressed": suppressed,
        "safe_url": url if url.lower().startswith(("https://", "http://")) else "",
        "passages": [{"n": i, "p": p, "counts": counts(p),
                      "why": why(p) + (f"; {ALLOWED[f.reason]}"
                                       if counts(p) and f.reason in ALLOWED else "")}
                     for i, p in enumerate(f.passages, 1)],
        "draft": draft, "source": _pieces(source, sspans),
    }


def _file_view(fr: FileReport, n: int) -> dict[str, Any]:
    findings = [_finding_view(f, f"d{n}-f{i}", fr.text) for i, f in enumerate(fr.findings, 1)]
    findings += [_finding_view(s.finding, f"d{n}-s{i}", fr.text, suppressed=s)
                 for i, s in enumerate(fr.suppressed, 1)]
    verdict = "error" if fr.error else fr.verdict.value
    reasons = sorted({f.reason for f in fr.findings}) or ([] if fr.error else ["none"])
    return {
        "key": f"d{n}", "fr": fr, "verdict": verdict, "rank": -1 if fr.error else fr.verdict.rank,
        "counted": sum(_counted(f) for f in fr.findings), "reasons": reasons,
        "findings": findings,
        "reproduced": sum(f.reproduced_words for f in fr.findings),
    }


def _flat(info: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """The index section as (key, value) rows, nested keys joined with dots."""
    rows: list[tuple[str, str]] = []
    for k, v in info.items():
        if isinstance(v, dict):
            rows.extend(_flat(v, f"{prefix}{k}."))
        else:
            rows.append((f"{prefix}{k}", "" if v is None else str(v)))
    return rows


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def render_html(report: ScanReport) -> str:
    """The report as one self-contained HTML page (UTF-8 text)."""
    css, js = _asset("report.css"), _asset("report.js")
    if "</" in css or "</" in js:  # they are inlined raw: they must not close their element
        raise ValueError("report assets must not contain '</'")
    files = [_file_view(fr, n) for n, fr in enumerate(report.files, 1)]
    return _template().render(
        report=report, files=files, verdict=report.verdict.value,
        fail=report.count(Verdict.FAIL), warn=report.count(Verdict.WARN),
        passed=report.count(Verdict.PASS), errors=sum(1 for f in report.files if f.error),
        suppressed=sum(len(f.suppressed) for f in report.files),
        reasons=sorted({r for fv in files for r in fv["reasons"]}),
        index_rows=_flat(report.index), reason_text=REASONS,
        css=Markup(css), js=Markup(js), css_hash=_csp_hash(css), js_hash=_csp_hash(js),
    )
