"""The GitHub Action's gate against a shared index on a real PostgreSQL server.

Runs the Action's own steps (the bash of ``action.yml``), as a runner would, with the
``index`` input naming the server by URL with the read-only role's password: the job
fails on a copy, the SARIF and the log never hold the password, and an unreachable
server fails the job with exit 2 (never "no failing finding")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ARTICLES, DRAFTS, ROOT, checker_command
from pgcluster import PASSWORD, free_port

READER_PW = "Rd-action-pw-5"


def steps() -> dict[str, str]:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    by_name = {s.get("id") or s.get("name"): s for s in action["runs"]["steps"]}
    return {"scan": by_name["scan"]["run"], "verdict": by_name["Verdict"]["run"]}


def run_step(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PATH": path, **env})


@pytest.fixture
def reader_url(pg_url: str, tmp_path: Path) -> str:
    """The fixture articles on the server, and the read-only role's URL."""
    env = {**os.environ, "CHECKER_READER_PASSWORD": READER_PW,
           "CHECKER_WRITER_PASSWORD": "Wr-action-pw-6"}
    for args in (["index", "init-db", "--index", pg_url],
                 ["index", "add", str(ARTICLES), "--index",
                  pg_url.replace(f"postgres:{PASSWORD}@", "checker_writer:Wr-action-pw-6@")]):
        done = subprocess.run([*checker_command(), *args], env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    return pg_url.replace(f"postgres:{PASSWORD}@", f"checker_reader:{READER_PW}@")


def scan_env(tmp_path: Path, index: str) -> dict[str, str]:
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    return {"PATHS": str(DRAFTS), "CHANGED_SINCE": "none", "BASE_SHA": "", "INDEX": index,
            "CONFIG": "", "FAIL_ON": "", "SARIF": str(tmp_path / "checker.sarif"),
            "GITHUB_OUTPUT": str(output)}


def exit_code(env: dict[str, str]) -> str:
    lines = Path(env["GITHUB_OUTPUT"]).read_text(encoding="utf-8").splitlines()
    return next(line.split("=", 1)[1] for line in lines if line.startswith("exit-code="))


def test_the_action_fails_the_job_on_a_copy(reader_url: str, tmp_path: Path) -> None:
    run = steps()
    env = scan_env(tmp_path, reader_url)
    done = run_step(run["scan"], tmp_path, **env)
    assert done.returncode == 0, done.stderr
    assert exit_code(env) == "1"
    sarif_text = Path(env["SARIF"]).read_text(encoding="utf-8")
    sarif = json.loads(sarif_text)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"] if r["level"] == "error"}
    assert any(u.endswith("pasted-paragraph.md") for u in uris), uris
    log = done.stdout + done.stderr
    assert "::stop-commands::" in log and "reproduced passage(s)" in log
    for text in (sarif_text, log):
        assert READER_PW not in text and PASSWORD not in text
    verdict = run_step(run["verdict"], tmp_path, CODE=exit_code(env))
    assert verdict.returncode == 1
    assert verdict.stdout.startswith("::error::checker: drafts reproduce licensed articles")


def test_an_unreachable_server_fails_the_job(tmp_path: Path) -> None:
    run = steps()
    down = f"postgresql://checker_reader:{READER_PW}@127.0.0.1:{free_port()}/archive"
    env = scan_env(tmp_path, down)
    done = run_step(run["scan"], tmp_path, CHECKER_INDEX_RETRY_SECONDS="1", **env)
    assert done.returncode == 0, done.stderr
    assert exit_code(env) == "2"
    assert done.stderr.count("\n") == 1 and "cannot reach the index server" in done.stderr
    assert READER_PW not in done.stdout + done.stderr and "Traceback" not in done.stderr
    verdict = run_step(run["verdict"], tmp_path, CODE="2")
    assert verdict.returncode == 2 and "::error::checker exited 2" in verdict.stdout
