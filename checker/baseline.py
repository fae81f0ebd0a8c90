"""Accepted findings: a baseline file that scans skip.

``checker baseline create`` records every warning and failing finding of a
scan; later scans move findings that match an entry to ``suppressed``, and
warn about entries that expired (the finding is reported again) or that no
longer match anything (stale: re-create the baseline).

An entry matches a finding by draft path (relative to the baseline file),
source (id or path) and a fingerprint of the reproduced words: the hash of
the normalised words of the finding's passages, so editing other parts of the
draft keeps the entry, while reproducing more of the source does not.

The file is JSON (no pickle), versioned::

    {"version": 1, "tool": "checker", "entries": [{"draft": "posts/a.md",
     "source": "811f1ae13e49", "source_path": "...", "fingerprint": "v1:...",
     "reason": "reproduction", "expires": "2026-12-31", "justification": "..."}]}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError, UsageError
from .report import FileReport, Finding, ScanReport, Suppressed, Verdict
from .text import tokenize

BASELINE_VERSION = 1
DEFAULT_BASELINE = "checker-baseline.json"


def fingerprint(finding: Finding) -> str:
    """A hash of the normalised words of the finding's passages, in draft order."""
    h = hashlib.sha256()
    for p in sorted(finding.passages, key=lambda p: p.draft_start):
        h.update(" ".join(tokenize(p.text).words).encode("utf-8"))
        h.update(b"\n")
    return "v1:" + h.hexdigest()[:32]


def parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise UsageError(f"{what}: {value!r} is not a date; use YYYY-MM-DD") from None


@dataclass(frozen=True)
class Entry:
    """One accepted finding."""

    draft: str
    source: str
    fingerprint: str
    reason: str
    source_path: str = ""
    expires: str | None = None
    justification: str = ""

    def __post_init__(self) -> None:
        if self.expires is not None:
            parse_date(self.expires, f"baseline entry for {self.draft}: expires")

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and dt.date.fromisoformat(self.expires) < today

    def key(self) -> tuple[str, str, str]:
        return self.draft, self.source, self.fingerprint


@dataclass(frozen=True)
class Baseline:
    """The entries of one baseline file; draft paths are relative to its directory."""

    path: Path
    entries: tuple[Entry, ...] = ()

    def draft_key(self, draft: str) -> str:
        rel = os.path.relpath(os.path.abspath(draft), os.path.abspath(self.path.parent))
        return Path(rel).as_posix()


def _source_matches(entry: Entry, finding: Finding) -> bool:
    return entry.source == finding.source.id or (
        bool(entry.source_path) and entry.source_path == finding.source.path)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file.

    Raises:
        ConfigError: missing, unreadable, not JSON, or another version.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such baseline file; create it with "
                          "'checker baseline create --output {path}'".format(path=path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable baseline file ({exc}); re-create it "
                          "with 'checker baseline create'") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise ConfigError(f"{path}: not a version {BASELINE_VERSION} checker baseline; "
                          "re-create it with 'checker baseline create'")
    entries = []
    for n, raw in enumerate(data.get("entries", []), 1):
        try:
            entries.append(Entry(**{k: raw[k] for k in raw if k in Entry.__dataclass_fields__}))
        except (TypeError, UsageError) as exc:
            raise ConfigError(f"{path}: entry {n} is invalid ({exc}); fix or re-create "
                              "the baseline") from None
    return Baseline(path=path, entries=tuple(entries))


def create_baseline(report: ScanReport, path: Path, *, expires: str | None = None,
                    justification: str = "", previous: Baseline | None = None) -> Baseline:
    """Entries for every warning and failing finding in ``report``.

    Entries of ``previous`` that still match keep their expiry and justification.
    """
    if expires is not None:
        parse_date(expires, "--expires")
    base = Baseline(path=path)
    old = {e.key(): e for e in (previous.entries if previous else ())}
    entries: list[Entry] = []
    for fr in report.files:
        for f in fr.findings:
            if f.verdict is Verdict.PASS:
                continue
            e = Entry(draft=base.draft_key(fr.path), source=f.source.id,
                      fingerprint=fingerprint(f), reason=f.reason, source_path=f.source.path,
                      expires=expires, justification=justification)
            kept = old.get(e.key())
            if kept is not None and expires is None and not justification:
                e = replace(e, expires=kept.expires, justification=kept.justification)
            entries.append(e)
    return replace(base, entries=tuple(entries))


def write_baseline(baseline: Baseline) -> None:
    data: dict[str, Any] = {
        "version": BASELINE_VERSION, "tool": "checker",
        "entries": [asdict(e) for e in baseline.entries],
    }
    try:
        baseline.path.parent.mkdir(parents=True, exist_ok=True)
        baseline.path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{baseline.path}: cannot write the baseline ({exc.strerror})") from None


def apply_baseline(report: ScanReport, baseline: Baseline,
                   today: dt.date | None = None) -> ScanReport:
    """Move findings matching a live entry to ``suppressed``; warn about expired entries
    and stale ones (their draft was scanned, or is gone, and nothing matched)."""
    today = today or dt.date.today()
    files: list[FileReport] = []
    warnings = list(report.warnings)
    used: set[int] = set()
    scanned: set[str] = set()
    by_draft: dict[str, list[tuple[int, Entry]]] = {}
    for i, e in enumerate(baseline.entries):
        by_draft.setdefault(e.draft, []).append((i, e))
    for fr in report.files:
        draft = baseline.draft_key(fr.path)
        if not fr.error:  # an unreadable draft says nothing about its entries
            scanned.add(draft)
        candidates = by_draft.get(draft, [])
        if fr.error or not candidates:
            files.append(fr)
            continue
        kept, quiet = [], list(fr.suppressed)
        for f in fr.findings:
            fp = fingerprint(f)
            hit = next(((i, e) for i, e in candidates if i not in used
                        and e.fingerprint == fp and _source_matches(e, f)), None)
            if hit is None:
                kept.append(f)
                continue
            i, e = hit
            used.add(i)
            if e.expired(today):
                warnings.append(f"{baseline.path}: the entry for {e.draft} (source {e.source}) "
                                f"expired on {e.expires}; the finding is reported again: fix "
                                "the draft or extend the expiry")
                kept.append(f)
                continue
            quiet.append(Suppressed(finding=f, by="baseline", justification=e.justification,
                                    expires=e.expires))
        files.append(replace(fr, findings=tuple(kept), suppressed=tuple(quiet)))
    root = baseline.path.parent
    for i, e in enumerate(baseline.entries):
        if i in used:
            continue
        gone = not (root / e.draft).exists()
        if e.draft in scanned or gone:
            why = "the draft is gone" if gone else "the draft no longer reproduces that passage"
            warnings.append(f"{baseline.path}: stale entry for {e.draft} (source {e.source}): "
                            f"{why}; re-create the baseline with 'checker baseline create'")
    return replace(report, files=tuple(files), warnings=tuple(warnings))
