"""Files changed in git: what ``scan --staged`` and ``scan --changed-since`` scan.

Only added, copied, modified, renamed and retyped files count (``--diff-filter=ACMRT``):
a rename is scanned under its new name, a link replaced by a file (a change of type, not
a modification to git) is scanned, and a deletion has nothing to scan. A submodule whose
commit changed comes back as its directory.
Paths come back relative to the current directory, the way a user types them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import UsageError


def _git(args: list[str], cwd: Path, what: str) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="surrogateescape", check=False)
    except FileNotFoundError:
        raise UsageError(f"{what} needs git, which is not installed; install git or name "
                         "the files to scan") from None
    if proc.returncode != 0:
        detail = " ".join(proc.stderr.split()) or f"git exited {proc.returncode}"
        raise UsageError(f"{what}: {detail}")
    return proc.stdout


def repo_root(cwd: Path | None = None, what: str = "git") -> Path:
    """The top directory of the git work tree holding ``cwd``.

    Raises:
        UsageError: ``cwd`` is not inside a git work tree.
    """
    here = (cwd or Path.cwd()).resolve()
    try:
        out = _git(["rev-parse", "--show-toplevel"], here, what)
    except UsageError:
        raise UsageError(f"{here}: not inside a git repository; {what} needs one "
                         "(run it in a git checkout, or name the files to scan)") from None
    return Path(out.strip())


def _paths(out: str, root: Path, cwd: Path) -> list[Path]:
    found: list[Path] = []
    for name in out.split("\0"):
        if not name:
            continue
        full = root / name
        # Staged then deleted from the work tree: nothing left to read. A directory is a
        # submodule whose commit changed: kept, for the gate to read what it holds.
        if not full.is_file() and not full.is_dir():
            continue
        found.append(Path(os.path.relpath(full, cwd)))
    return sorted(set(found))


def staged_files(cwd: Path | None = None) -> list[Path]:
    """Files added, copied, modified, renamed or retyped in the index (what a commit would
    add), and submodules whose commit changed."""
    here = (cwd or Path.cwd()).resolve()
    root = repo_root(here, "--staged")
    out = _git(["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMRT", "-M"], root,
               "--staged")
    return _paths(out, root, here)


def changed_files(rev: str, cwd: Path | None = None) -> list[Path]:
    """Files changed since ``rev``: on this branch since it left ``rev`` (their merge
    base), plus uncommitted changes to tracked files.

    Raises:
        UsageError: not in a repository, or a revision git does not know (in CI, a
            shallow clone: fetch the history, e.g. ``fetch-depth: 0``).
    """
    here = (cwd or Path.cwd()).resolve()
    what = f"--changed-since {rev}"
    root = repo_root(here, what)
    if not rev or rev.startswith("-"):
        raise UsageError(f"{what}: not a revision; give a branch, tag or commit")
    try:
        base = _git(["merge-base", rev, "HEAD"], root, what).strip()
    except UsageError:
        raise UsageError(f"{what}: git does not know this revision in {root}; check the "
                         "name, or fetch more history (in CI: fetch-depth: 0)") from None
    out = _git(["diff", "--name-only", "-z", "--diff-filter=ACMRT", "-M", base, "--"], root,
               what)
    return _paths(out, root, here)
