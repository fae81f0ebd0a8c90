"""End to end, as a user: the installed ``checker`` command on the bundled fixtures.

Runs README line 1 (``checker index add fixtures/articles && checker scan fixtures/drafts``)
in a fresh working directory, so the index lands in ``./.checker/index``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from conftest import FIXTURES, checker_command, source_name

# Drafts whose verdict does not depend on rights: all-rights-reserved reproductions.
REPRODUCTIONS = {
    "copied-whole.txt": "articles/northfield-gazette-library-hours.txt",
    "pasted-paragraph.md": "articles/harbor-times-crab-season.txt",
    "light-edit.txt": "articles/lakeside-ledger-water-rates.txt",
    "stitched.md": "articles/riverside-standard-er-waits.html",
    "reflowed.txt": "articles/harbor-times-ferry-schedule.txt",
    "page.html": "articles/coastline-weekly-resilience-fund.txt",
}


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CHECKER_INDEX"}
    env["NO_COLOR"] = "1"
    return subprocess.run([*checker_command(), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)


def test_readme_line_one(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    added = run(tmp_path, "index", "add", "fixtures/articles")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added 16, updated 0, unchanged 0, skipped 0")
    assert (tmp_path / ".checker" / "index").is_dir()
    assert "Traceback" not in added.stderr

    scanned = run(tmp_path, "scan", "fixtures/drafts")
    assert scanned.returncode == 1, scanned.stderr
    assert "Traceback" not in scanned.stderr
    for draft, source in REPRODUCTIONS.items():
        assert f"fixtures/drafts/{draft}" in scanned.stdout
        assert f"fixtures/{source}" in scanned.stdout
    assert "17 files scanned" in scanned.stdout

    as_json = run(tmp_path, "scan", "fixtures/drafts", "--format", "json")
    assert as_json.returncode == 1
    files = {Path(f["path"]).name: f for f in json.loads(as_json.stdout)["files"]}
    assert len(files) == 17
    for draft, source in REPRODUCTIONS.items():
        failing = [f for f in files[draft]["findings"] if f["verdict"] == "fail"]
        assert failing, draft
        assert failing[0]["source"]["path"] == f"fixtures/{source}", draft
        assert failing[0]["reason"] == "reproduction", draft
        assert {source_name(f["source"]["path"]) for f in failing} == {source}, draft
    assert files["clean-original.md"]["verdict"] == "pass"
    assert files["clean-original.md"]["findings"] == []
