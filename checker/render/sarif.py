"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

One run; one rule per reason code found; one result per reproduced passage
(warning and failing findings only: an allowed reuse is not a problem to
show), located by line and column in the draft, with a related location
pointing at the source. Findings accepted by a marker or a baseline are
results with a ``suppressions`` entry. Drafts that could not be read and report warnings
become tool execution notifications.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from ..baseline import fingerprint
from ..report import Finding, Passage, ScanReport, Verdict

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Verdict.FAIL: "error", Verdict.WARN: "warning", Verdict.PASS: "note"}

# What each reason code means; a code not listed here (a newer policy) gets a
# generic description rather than no rule.
RULES = {
    "reproduction": "Text of an all-rights-reserved source is reproduced beyond the limits",
    "below-threshold": "Text of a source is reproduced, below the failing limits",
    "attribution-missing": "A CC BY source is reused without credit",
    "no-derivatives": "A CC BY-ND source is reused with changes",
    "non-commercial": "A CC BY-NC source is reused; commercial use is not allowed",
    "share-alike": "A CC BY-SA source is reused; the draft must carry the same licence",
    "quotation": "An attributed quotation within the quotation limits",
    "attributed": "A credited reuse the licence allows",
    "public-domain": "Reuse of a public-domain (CC0) source",
    "licensed-partner": "Reuse of an allowlisted partner's text",
}


_JSONL_RECORD_RE = re.compile(r"(.*\.(?:jsonl|ndjson))#(.*)", re.IGNORECASE | re.DOTALL)


def _quote(text: str) -> str:
    # Bytes, so an undecodable file name (lone surrogates from os.fsdecode) is
    # percent-encoded as the bytes it has on disk instead of failing.
    return quote(text.encode("utf-8", "surrogateescape"), safe="/")


def _uri(path: str) -> str:
    """A relative POSIX URI for a relative path, a file: URI for an absolute one.

    ``FILE.jsonl#ID`` (one record of a JSONL file) keeps ``#ID`` as the fragment; any
    other ``#`` is part of the file name and is escaped (``%23``).
    """
    m = _JSONL_RECORD_RE.fullmatch(path)
    base, sep, fragment = (m.group(1), "#", m.group(2)) if m else (path, "", "")
    p = Path(base)
    if p.is_absolute():
        uri = "file://" + _quote(p.as_posix())
    else:
        uri = _quote(PurePosixPath(p.as_posix()).as_posix().removeprefix("./"))
    return uri + (sep + _quote(fragment) if sep else "")


def _rule(code: str) -> dict[str, Any]:
    text = RULES.get(code, f"Reuse of an indexed source ({code})")
    return {
        "id": code,
        "name": "".join(w.capitalize() for w in code.split("-")),
        "shortDescription": {"text": text},
        "fullDescription": {"text": text + "."},
        "help": {"text": "Rewrite or remove the reproduced passages, credit the source as its "
                         "licence requires, or get permission; accepted reuse can be "
                         "silenced with an inline marker or a baseline."},
        "defaultConfiguration": {"level": "warning" if code == "below-threshold" else "error"},
    }


def _source_text(f: Finding) -> str:
    s = f.source
    name = f'"{s.title}"' if s.title else s.path
    return (name + (f" ({s.publisher})" if s.publisher else "") + f", licence {s.license}"
            + (f", {s.url}" if s.url else ""))


def _result(path: str, f: Finding, p: Passage, rule_index: int, fp: str) -> dict[str, Any]:
    region = {
        "startLine": p.line, "startColumn": p.column,
        # SARIF columns end after the last character; the report's end is inclusive.
        "endLine": p.end_line, "endColumn": p.end_column + 1,
        "charOffset": p.draft_start, "charLength": p.draft_end - p.draft_start,
        "snippet": {"text": p.text},
    }
    return {
        "ruleId": f.reason,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.verdict],
        "message": {"text": f"{f.message} - this passage: {p.words} words, similarity "
                            f"{p.similarity:.2f}; source: {_source_text(f)}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(path)},
                                            "region": region}}],
        "relatedLocations": [{
            "id": 1,
            "message": {"text": _source_text(f)},
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(f.source.path)},
                "region": {"charOffset": p.source_start,
                           "charLength": p.source_end - p.source_start,
                           "snippet": {"text": p.source_text}},
            },
        }],
        "partialFingerprints": {"checkerFinding/v1": fp,
                                "checkerPassage/v1": f"{f.source.id}:{p.draft_start}"},
        "properties": {"verdict": f.verdict.value, "source": f.source.id,
                       "license": f.source.license, "words": p.words,
                       "similarity": p.similarity, "reproducedWords": f.reproduced_words},
    }


def sarif_dict(report: ScanReport) -> dict[str, Any]:
    """The SARIF log as a dict."""
    rules: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for fr in report.files:
        for f in fr.findings:
            if f.verdict is Verdict.PASS:
                continue
            index = rules.setdefault(f.reason, len(rules))
            fp = fingerprint(f)
            results.extend(_result(fr.path, f, p, index, fp) for p in f.passages)
        for sup in fr.suppressed:
            f = sup.finding
            if f.verdict is Verdict.PASS:
                continue
            index = rules.setdefault(f.reason, len(rules))
            fp = fingerprint(f)
            # Accepted findings stay visible, as SARIF suppressions: in the draft
            # (marker) or outside it (baseline).
            suppression = {"kind": "inSource" if sup.by == "marker" else "external",
                           "status": "accepted", "justification": sup.justification}
            results.extend({**_result(fr.path, f, p, index, fp), "suppressions": [suppression]}
                           for p in f.passages)
    notes: list[dict[str, Any]] = [
        {"level": "error", "message": {"text": fr.error},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(fr.path)}}}]}
        for fr in report.files if fr.error]
    notes += [{"level": "warning", "message": {"text": w}} for w in report.warnings]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "checker", "version": report.tool_version,
                                "semanticVersion": report.tool_version,
                                "rules": [_rule(code) for code in rules]}},
            "invocations": [{"executionSuccessful": not any(fr.error for fr in report.files),
                             "toolExecutionNotifications": notes}],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render_sarif(report: ScanReport) -> str:
    """The report as a SARIF 2.1.0 log (indented JSON, ending in a newline)."""
    return json.dumps(sarif_dict(report), indent=2, ensure_ascii=False) + "\n"
