"""Tests for checker.gitfiles: staged and changed files in a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.errors import UsageError
from checker.gitfiles import changed_files, repo_root, staged_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for name in ("keep.md", "old-name.md", "gone.md", "edit.md"):
        (root / name).write_text(f"# {name}\n\nsome text of {name}\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.chdir(root)
    return root


def test_staged_added_modified_renamed_not_deleted(repo: Path) -> None:
    (repo / "new.md").write_text("new\n", encoding="utf-8")
    (repo / "edit.md").write_text("changed\n", encoding="utf-8")
    git(repo, "mv", "old-name.md", "new-name.md")
    git(repo, "rm", "-q", "gone.md")
    (repo / "unstaged.md").write_text("not added\n", encoding="utf-8")
    git(repo, "add", "new.md", "edit.md")
    assert staged_files() == [Path("edit.md"), Path("new-name.md"), Path("new.md")]


def test_paths_are_relative_to_the_current_directory(repo: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "posts").mkdir()
    (repo / "posts" / "a b.md").write_text("spaces in the name\n", encoding="utf-8")
    git(repo, "add", ".")
    monkeypatch.chdir(repo / "posts")
    assert staged_files() == [Path("a b.md")]


def test_staged_then_deleted_from_work_tree_is_dropped(repo: Path) -> None:
    (repo / "tmp.md").write_text("x\n", encoding="utf-8")
    git(repo, "add", "tmp.md")
    (repo / "tmp.md").unlink()
    assert staged_files() == []


def test_changed_since_a_branch(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "post.md").write_text("a post\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "post")
    git(repo, "mv", "old-name.md", "renamed.md")
    git(repo, "rm", "-q", "gone.md")
    git(repo, "commit", "-qm", "rename")
    (repo / "edit.md").write_text("uncommitted change\n", encoding="utf-8")
    # main moves on: its changes are not this branch's
    git(repo, "checkout", "-q", "main")
    (repo / "main-only.md").write_text("on main\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "main")
    git(repo, "checkout", "-q", "feature")
    (repo / "edit.md").write_text("uncommitted change\n", encoding="utf-8")
    assert changed_files("main") == [Path("edit.md"), Path("post.md"), Path("renamed.md")]


def test_a_link_replaced_by_a_file_is_scanned(repo: Path) -> None:
    # git calls it a change of type (T), not a modification: a draft all the same.
    (repo / "story.md").symlink_to("keep.md")
    git(repo, "add", "story.md")
    git(repo, "commit", "-qm", "link")
    (repo / "story.md").unlink()
    (repo / "story.md").write_text("a copied article\n", encoding="utf-8")
    git(repo, "add", "story.md")
    assert staged_files() == [Path("story.md")]
    git(repo, "commit", "-qm", "file")
    assert changed_files("HEAD~1") == [Path("story.md")]


def test_unknown_revision(repo: Path) -> None:
    with pytest.raises(UsageError, match="--changed-since nope: git does not know"):
        changed_files("nope")


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(outside)
    with pytest.raises(UsageError, match="not inside a git repository"):
        staged_files()
    with pytest.raises(UsageError, match="not inside a git repository; --changed-since"):
        changed_files("main")
    with pytest.raises(UsageError):
        repo_root()
