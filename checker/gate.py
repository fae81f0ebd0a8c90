"""The pre-publish gate: which drafts a scan covers, and what it lets through.

Between the CLI and the :class:`Index`: drafts come from the paths given or
from git (``--staged``, ``--changed-since``), filtered by the config's include
and exclude globs; after the scan, inline markers and the baseline move
accepted findings to ``suppressed``; ``fail_on`` says which verdicts fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .errors import UsageError
from .report import FileReport, ScanReport, Verdict

EXIT_ON: dict[str, tuple[Verdict, ...]] = {
    "fail": (Verdict.FAIL,), "warn": (Verdict.FAIL, Verdict.WARN), "never": ()}


def select_drafts(paths: Sequence[Path], config: Config, staged: bool = False,
                  changed_since: str | None = None) -> list[Path] | None:
    """The drafts to scan, or None to hand ``paths`` to the scanner unchanged.

    Git selections keep supported files under ``paths`` (when given). Include and
    exclude globs apply to every file, named or found (as a linter's force-exclude
    does), so a pre-commit hook that names files honours them too.

    Raises:
        UsageError: nothing to scan was given, both git selections were, or git failed.
    """
    from .readers import SUPPORTED_EXTS, iter_files

    if staged and changed_since is not None:
        raise UsageError("--staged and --changed-since do not go together; pick one")
    if staged or changed_since is not None:
        from . import gitfiles

        files = (gitfiles.staged_files() if staged
                 else gitfiles.changed_files(changed_since or ""))
        if paths:
            roots = [Path(os.path.abspath(p)) for p in paths]
            files = [f for f in files
                     if any(r == (a := Path(os.path.abspath(f))) or r in a.parents
                            for r in roots)]
        drafts: list[Path] = []
        for f in files:
            if f.is_dir():
                # A submodule whose commit changed: the site publishes what it holds. Not
                # checked out (empty), it stays a directory for run_scan to report unread.
                found = [g for g, _ in iter_files([f])
                         if g.suffix.lower() in SUPPORTED_EXTS and config.selects(g)]
                if found:
                    drafts.extend(found)
                elif not config.excludes(f) and not any(f.iterdir()):
                    drafts.append(f)
            elif f.suffix.lower() in SUPPORTED_EXTS and config.selects(f):
                drafts.append(f)
        return drafts
    if not paths:
        if config.path is None:
            raise UsageError("no drafts to scan: name files or directories, use --staged or "
                             "--changed-since REV, or create a checker.toml ('checker init')")
        paths = [Path(os.path.relpath(config.root))]
        if not config.include and not config.exclude:
            return list(paths)
    if not config.include and not config.exclude:
        return None
    selected: list[Path] = []
    for p in paths:
        if p.is_dir():
            selected.extend(f for f, _ in iter_files([p])
                            if f.suffix.lower() in SUPPORTED_EXTS and config.selects(f))
        elif config.selects(p):
            selected.append(p)
    return selected


def run_scan(paths: Sequence[Path], config: Config, *, index: str | Path | None = None,
             staged: bool = False, changed_since: str | None = None,
             baseline: Path | None = None, policy: dict[str, Any] | None = None,
             warn: Callable[[str], None] = lambda _: None,
             max_bytes: int | None = None) -> ScanReport:
    """Select the drafts, scan them, then apply inline markers and the baseline.

    ``max_bytes`` is the largest draft read (default: :data:`checker.readers.DEFAULT_MAX_BYTES`).
    ``policy`` holds flag values that override the config's; ``baseline`` (a flag)
    overrides the config's baseline, which is skipped with a warning when missing;
    without either, ``checker-baseline.json`` next to the config file is used if present.
    """
    from .baseline import DEFAULT_BASELINE, apply_baseline, load_baseline
    from .index import Index
    from .markers import apply_markers

    pol = config.make_policy(**(policy or {}))
    selected = select_drafts(paths, config, staged, changed_since)
    unread: list[Path] = []
    if selected is not None and (staged or changed_since is not None):
        unread = [p for p in selected if p.is_dir()]
        selected = [p for p in selected if not p.is_dir()]
    if selected is not None and not selected:
        # Nothing changed that is a draft: no need for an index at all.
        report = ScanReport(files=(), tool_version=__version__)
    else:
        with Index.open(config.index_path(index), read_only=True) as idx:
            report = idx.scan(list(paths) if selected is None else selected, pol,
                              **({} if max_bytes is None else {"max_bytes": max_bytes}))
    if unread:
        # Fail closed: the site's build checks the submodule out and publishes it.
        report = replace(report, files=report.files + tuple(
            FileReport(path=str(p), words=0,
                       error=f"{p}: a submodule that changed is not checked out, so its "
                             "drafts cannot be read; check out submodules (git submodule "
                             "update --init; actions/checkout with submodules: true), or "
                             "exclude it in the config if it holds no drafts")
            for p in unread))
    report = apply_markers(report)
    if baseline is None and config.baseline is None and config.path is not None:
        found = config.root / DEFAULT_BASELINE  # what 'checker baseline create' writes
        baseline = found if found.exists() else None
    if baseline is None and config.baseline is not None:
        if config.baseline.exists():
            baseline = config.baseline
        else:
            warn(f"{config.baseline}: the baseline named in {config.path} does not exist; "
                 "create it with 'checker baseline create'")
    if baseline is not None:
        report = apply_baseline(report, load_baseline(baseline))
    return report


def fails(report: ScanReport, fail_on: str) -> bool:
    """Whether the report's verdict fails the gate under ``fail_on``."""
    return report.verdict in EXIT_ON[fail_on]
