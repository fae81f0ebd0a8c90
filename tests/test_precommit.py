"""The pre-commit hook, end to end with the real ``pre-commit`` tool.

A copy of this working tree is committed to a temporary hook repository (so the test
exercises the current code, committed or not); a temporary content repository uses it
through ``.pre-commit-config.yaml``. Committing a clean draft passes; committing a draft
that reproduces a fixture article is refused with the finding printed.

pre-commit installs the hook's environment from PyPI once per session
(``PRE_COMMIT_HOME`` is a session temporary directory). Skips when ``pre-commit`` or
``git`` is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DRAFTS, ROOT

pytestmark = [
    pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def run(cmd: list[str], cwd: Path, env: dict[str, str], check: bool = True
        ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def commit_draft(site: Path, env: dict[str, str], draft: str, name: str,
                 message: str) -> subprocess.CompletedProcess[str]:
    """Copy a fixture draft into ``site/posts/NAME``, stage it and try to commit it
    (the hook runs); the commit's result."""
    posts = site / "posts"
    posts.mkdir(exist_ok=True)
    shutil.copy(DRAFTS / draft, posts / name)
    run(["git", "add", f"posts/{name}"], site, env)
    return run(["git", "commit", "-m", message], site, env, check=False)


def working_tree_files() -> list[str]:
    """Tracked and untracked, not ignored, files of this checkout (git only reads)."""
    out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], capture_output=True, text=True, check=True)
    return [name for name in out.stdout.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding a snapshot of this working tree, and its commit."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: cannot snapshot the working tree")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in working_tree_files():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    env = {**os.environ, **GIT_ENV}
    run(["git", "init", "-q"], repo, env)
    run(["git", "add", "-A"], repo, env)
    run(["git", "commit", "-qm", "snapshot of the working tree"], repo, env)
    sha = run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()
    return repo, sha


@pytest.fixture(scope="session")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def site_repo(tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str],
              files: dict[str, str]) -> Path:
    """A content repository using the hook from ``hook_repo``, with ``files``, the hook
    installed."""
    repo_path, sha = hook_repo
    site = tmp_path / "site"
    site.mkdir()
    run(["git", "init", "-q"], site, env)
    (site / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo_path}\n    rev: {sha}\n    hooks:\n      - id: checker\n",
        encoding="utf-8")
    for name, text in files.items():
        (site / name).write_text(text, encoding="utf-8")
    run(["pre-commit", "install"], site, env)
    return site


def test_commit_is_refused_with_the_finding(hook_repo: tuple[Path, str], precommit_home: Path,
                                            fixture_index: Path, tmp_path: Path) -> None:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(precommit_home)}
    env.pop("CHECKER_INDEX", None)
    site = site_repo(tmp_path, hook_repo, env, {
        "checker.toml": f"index = {json.dumps(str(fixture_index))}\n",
        "notes.py": "print('not a draft')\n"})

    # A clean draft (and config, and a non-draft text file) passes.
    run(["git", "add", "-A"], site, env)
    done = commit_draft(site, env, "clean-original.md", "clean.md", "clean draft")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout + done.stderr

    # A draft that pastes a fixture article's paragraph is refused, with the finding.
    refused = commit_draft(site, env, "pasted-paragraph.md", "crab.md", "copied draft")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "Failed" in output
    assert "posts/crab.md" in output
    assert "harbor-times-crab-season.txt" in output
    log = run(["git", "log", "--format=%s"], site, env).stdout.split()
    assert "copied" not in log


def test_the_hook_against_a_shared_server_index(hook_repo: tuple[Path, str],
                                                precommit_home: Path, pg_url: str,
                                                tmp_path: Path) -> None:
    """A team's setup (README "A shared index for a team"): the index on PostgreSQL,
    the hook reading it with the read-only role named in ``$CHECKER_INDEX``. A copy is
    refused; the reader's password is printed nowhere; a server that cannot be reached
    refuses the commit too (exit 2), never lets it pass."""
    from pgcluster import PASSWORD, free_port

    from tests.conftest import ARTICLES, checker_command

    roles = {"CHECKER_READER_PASSWORD": "Rd-hook-pw-7", "CHECKER_WRITER_PASSWORD": "Wr-hook-pw-8"}
    run([*checker_command(), "index", "init-db", "--index", pg_url], tmp_path,
        {**os.environ, **roles})
    writer = pg_url.replace(f"postgres:{PASSWORD}@", "checker_writer:Wr-hook-pw-8@")
    reader = pg_url.replace(f"postgres:{PASSWORD}@", "checker_reader:Rd-hook-pw-7@")
    run([*checker_command(), "index", "add", str(ARTICLES), "--index", writer], tmp_path,
        dict(os.environ))

    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(precommit_home),
           "CHECKER_INDEX": reader}
    site = site_repo(tmp_path, hook_repo, env, {})
    run(["git", "add", "-A"], site, env)
    done = commit_draft(site, env, "clean-original.md", "clean.md", "clean draft")
    assert done.returncode == 0, done.stdout + done.stderr

    refused = commit_draft(site, env, "pasted-paragraph.md", "crab.md", "copied draft")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "posts/crab.md" in output and "harbor-times-crab-season.txt" in output
    assert "Rd-hook-pw-7" not in output and "Traceback" not in output

    # The server goes away (here: a port nobody listens on): the commit is still refused.
    down = f"postgresql://checker_reader:Rd-hook-pw-7@127.0.0.1:{free_port()}/archive"
    env_down = {**env, "CHECKER_INDEX": down, "CHECKER_INDEX_RETRY_SECONDS": "1"}
    blocked = commit_draft(site, env_down, "clean-original.md", "another.md",
                           "while the server is down")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "cannot reach the index server" in output and "127.0.0.1:" in output
    assert "Rd-hook-pw-7" not in output and "Traceback" not in output
    log = run(["git", "log", "--format=%s"], site, env).stdout
    assert "copied" not in log and "server is down" not in log
