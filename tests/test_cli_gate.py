"""The pre-publish gate through the CLI: config, git selections, formats, fail_on,
baselines, inline markers and ``init`` (exit codes and parsed output)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.cli import commands as cli
from tests.conftest import DRAFTS

runner = CliRunner()
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})


@pytest.fixture
def site(tmp_path: Path, fixture_index: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A content directory with a config naming the fixture index; the current directory."""
    root = tmp_path / "site"
    (root / "posts").mkdir(parents=True)
    (root / "checker.toml").write_text(f"index = {json.dumps(str(fixture_index))}\n",
                                       encoding="utf-8")
    for name in ("clean-original.md", "pasted-paragraph.md"):
        shutil.copy(DRAFTS / name, root / "posts" / name)
    monkeypatch.delenv("CHECKER_INDEX", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(root)
    yield root


def test_config_finds_the_index_from_a_subdirectory(site: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site / "posts")
    code, out, _ = invoke("scan", "pasted-paragraph.md", "clean-original.md", "--no-color")
    assert code == 1
    assert "harbor-times-crab-season.txt" in out and "\x1b[" not in out


def test_no_paths_scans_the_config_directory(site: Path) -> None:
    code, out, _ = invoke("scan", "-f", "json")
    assert code == 1
    assert sorted(Path(f["path"]).name for f in json.loads(out)["files"]) == [
        "clean-original.md", "pasted-paragraph.md"]


def test_no_paths_without_config_is_a_usage_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("scan")
    assert code == 2 and "no drafts to scan" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("fail_on", "expected"), [("fail", 1), ("warn", 1), ("never", 0)])
def test_fail_on_a_failing_finding(site: Path, fail_on: str, expected: int) -> None:
    code, _, _ = invoke("scan", "posts", "--fail-on", fail_on)
    assert code == expected


@pytest.mark.parametrize(("fail_on", "expected"), [("fail", 0), ("warn", 1), ("never", 0)])
def test_fail_on_a_warning(site: Path, fail_on: str, expected: int) -> None:
    # thresholds raised by flags: the pasted paragraph only warns
    code, out, _ = invoke("scan", "posts", "-f", "json", "--fail-total-words", "1000",
                          "--fail-passage-words", "100", "--fail-on", fail_on)
    assert json.loads(out)["summary"]["verdict"] == "warn"
    assert code == expected


def test_fail_on_from_the_config_and_flag_overrides(site: Path) -> None:
    (site / "checker.toml").write_text((site / "checker.toml").read_text(encoding="utf-8")
                                       + 'fail_on = "never"\n', encoding="utf-8")
    assert invoke("scan", "posts")[0] == 0
    assert invoke("scan", "posts", "--fail-on", "fail")[0] == 1


def test_policy_from_the_config(site: Path) -> None:
    cfg = site / "checker.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "fail_total_words = 1000\n"
                   "fail_passage_words = 100\n", encoding="utf-8")
    code, out, _ = invoke("scan", "posts", "-f", "json")
    assert code == 0 and json.loads(out)["summary"]["verdict"] == "warn"
    assert invoke("scan", "posts", "--fail-passage-words", "25")[0] == 1


@pytest.mark.parametrize(("line", "named"), [
    ('fail_on = "sometimes"', ["fail_on", "fail, warn, never"]),
    ("fail_total_words = -1", ["fail_total_words", "at least 1"]),
    ('include = "x" \nexclude = 3', ["exclude", "glob"]),
    ("index = ", ["invalid TOML"]),
])
def test_invalid_config_exits_2_naming_the_key(site: Path, line: str, named: list[str]) -> None:
    (site / "checker.toml").write_text(line + "\n", encoding="utf-8")
    code, _, err = invoke("scan", "posts")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "checker.toml" in err
    for part in named:
        assert part in err


def test_unknown_key_warns(site: Path) -> None:
    cfg = site / "checker.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "colour = true\n", encoding="utf-8")
    code, _, err = invoke("scan", "posts/clean-original.md")
    assert code == 0 and "warning" in err and "'colour'" in err


def test_explicit_config_and_bad_flags(site: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text((site / "checker.toml").read_text(encoding="utf-8") + "fail_on='never'\n",
                     encoding="utf-8")
    assert invoke("scan", "posts", "--config", other)[0] == 0
    code, _, err = invoke("scan", "posts", "--config", tmp_path / "missing.toml")
    assert code == 2 and "missing.toml" in err
    code, _, err = invoke("scan", "posts", "--fail-on", "maybe")
    assert code == 2 and "fail, warn, never" in err
    code, _, err = invoke("scan", "posts", "--format", "xml")
    assert code == 2 and "sarif" in err


def test_include_and_exclude_apply_to_named_files(site: Path) -> None:
    cfg = site / "checker.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + 'exclude = ["pasted-*.md"]\n',
                   encoding="utf-8")
    code, out, _ = invoke("scan", "posts/pasted-paragraph.md", "posts/clean-original.md",
                          "-f", "json")
    assert code == 0
    assert [Path(f["path"]).name for f in json.loads(out)["files"]] == ["clean-original.md"]


def test_formats_sarif_and_github(site: Path) -> None:
    code, out, _ = invoke("scan", "posts", "-f", "sarif")
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["reproduction"]
    code, out, _ = invoke("scan", "posts", "-f", "github")
    assert code == 1
    assert out.splitlines()[0].startswith("::error file=posts/pasted-paragraph.md,line=")


def test_outside_git_is_a_clear_error(site: Path) -> None:
    for flag in (["--staged"], ["--changed-since", "main"]):
        code, _, err = invoke("scan", *flag)
        assert code == 2
        assert "not inside a git repository" in err and len(err.strip().splitlines()) == 1
    code, _, err = invoke("scan", "--staged", "--changed-since", "main")
    assert code == 2 and "pick one" in err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_staged_and_changed_since(site: Path) -> None:
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "checker.toml", "posts/clean-original.md")
    git(site, "commit", "-qm", "first")
    code, out, _ = invoke("scan", "--staged", "-f", "json")
    assert code == 0 and json.loads(out)["files"] == []
    git(site, "add", "posts/pasted-paragraph.md")
    code, out, _ = invoke("scan", "--staged", "-f", "json")
    assert code == 1
    assert [f["path"] for f in json.loads(out)["files"]] == ["posts/pasted-paragraph.md"]
    git(site, "commit", "-qm", "second")
    git(site, "mv", "posts/pasted-paragraph.md", "posts/renamed.md")
    git(site, "rm", "-q", "posts/clean-original.md")
    code, out, _ = invoke("scan", "--changed-since", "HEAD", "-f", "json")
    assert code == 1
    assert [f["path"] for f in json.loads(out)["files"]] == ["posts/renamed.md"]
    code, out, _ = invoke("scan", "--changed-since", "HEAD~1", "docs", "-f", "json")
    assert code == 0 and json.loads(out)["files"] == []
    code, _, err = invoke("scan", "--changed-since", "no-such-branch")
    assert code == 2 and "no-such-branch" in err


def test_baseline_create_then_scan(site: Path) -> None:
    code, out, _ = invoke("baseline", "create", "posts", "--justification", "licensed",
                          "--expires", "2999-01-01")
    assert code == 0 and "wrote 1 entry" in out
    data = json.loads((site / "checker-baseline.json").read_text(encoding="utf-8"))
    assert data["entries"][0]["draft"] == "posts/pasted-paragraph.md"
    # found next to the config file
    code, out, _ = invoke("scan", "posts", "-f", "json")
    assert code == 0
    report = json.loads(out)
    assert report["summary"]["suppressed"] == 1
    [suppressed] = [s for f in report["files"] for s in f["suppressed"]]
    assert suppressed["by"] == "baseline" and suppressed["justification"] == "licensed"
    # named by flag or config
    (site / "checker-baseline.json").rename(site / "accepted.json")
    assert invoke("scan", "posts")[0] == 1
    assert invoke("scan", "posts", "--baseline", "accepted.json")[0] == 0
    cfg = site / "checker.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + 'baseline = "accepted.json"\n',
                   encoding="utf-8")
    assert invoke("scan", "posts")[0] == 0
    # a changed passage: reported again, and the entry is stale
    draft = site / "posts" / "pasted-paragraph.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("Wildlife", "Parks"),
                     encoding="utf-8")
    code, out, _ = invoke("scan", "posts", "-f", "json")
    assert code == 1 and any("stale" in w for w in json.loads(out)["warnings"])
    code, _, err = invoke("baseline", "create", "--expires", "soon")
    assert code == 2 and "YYYY-MM-DD" in err


def test_inline_marker(site: Path) -> None:
    draft = site / "posts" / "pasted-paragraph.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\n<!-- checker: ignore "
                     'source=articles/harbor-times-crab-season.txt reason="licensed" -->\n',
                     encoding="utf-8")
    code, out, _ = invoke("scan", "posts", "-f", "json")
    assert code == 0
    [f] = [f for f in json.loads(out)["files"] if f["suppressed"]]
    assert f["findings"] == [] and f["suppressed"][0]["by"] == "marker"
    assert f["suppressed"][0]["justification"] == "licensed"


def test_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("init")
    assert code == 0 and "Next steps" in out
    assert (tmp_path / "checker.toml").exists()
    assert "entry: checker scan" in (tmp_path / ".pre-commit-config.yaml").read_text()
    code, _, err = invoke("init")
    assert code == 2 and "--force" in err
    assert invoke("init", "--force")[0] == 0
    # the starter config is valid and names every policy field
    from checker.config import load_config
    from checker.policy import Policy

    text = (tmp_path / "checker.toml").read_text(encoding="utf-8")
    assert load_config(tmp_path / "checker.toml").warnings == ()
    for name in Policy.__dataclass_fields__:
        assert f"# {name} = " in text


def test_colour_follows_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert cli._use_color(False, None) is True
    assert cli._use_color(True, None) is False
    assert cli._use_color(False, Path("report.txt")) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._use_color(False, None) is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    assert cli._use_color(False, None) is False


def test_hook_and_action_definitions() -> None:
    import yaml

    from tests.conftest import ROOT

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "checker" and hook["entry"] == "checker scan"
    assert hook["language"] == "python"
    assert "types_or" not in hook  # its files pattern names what checker reads (a .docx is binary)
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    scan = next(s for s in action["runs"]["steps"] if s.get("id") == "scan")
    assert "--format sarif" in scan["run"]
    assert any("upload-sarif" in s.get("uses", "") for s in action["runs"]["steps"])


def test_a_changed_submodule_is_scanned_or_reported_unread(site: Path, tmp_path: Path) -> None:
    # Content kept in a submodule: the pull request only moves the submodule's commit,
    # and the site's build publishes what that commit holds.
    content = tmp_path / "wire"
    content.mkdir()
    git(content, "init", "-q", "-b", "main")
    (content / "readme.md").write_text("Wire stories for the site.\n", encoding="utf-8")
    git(content, "add", ".")
    git(content, "commit", "-qm", "first")
    git(site, "init", "-q", "-b", "main")
    git(site, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(content),
        "wire")
    git(site, "add", ".")
    git(site, "commit", "-qm", "site")
    shutil.copy(DRAFTS / "pasted-paragraph.md", content / "story.md")
    git(content, "add", ".")
    git(content, "commit", "-qm", "a story")
    git(site / "wire", "pull", "-q", "origin", "main")
    git(site, "add", "wire")
    git(site, "commit", "-qm", "move the submodule")
    code, out, _ = invoke("scan", "--changed-since", "HEAD~1", "-f", "json")
    assert code == 1
    assert [Path(f["path"]).as_posix() for f in json.loads(out)["files"]] == [
        "wire/readme.md", "wire/story.md"]
    # Not checked out (as actions/checkout leaves it by default): never a pass.
    git(site, "submodule", "deinit", "-q", "-f", "wire")
    code, _, err = invoke("scan", "--changed-since", "HEAD~1")
    assert code == 2
    assert err.strip() == ("checker: error: wire: a submodule that changed is not checked out, "
                           "so its drafts cannot be read; check out submodules (git submodule "
                           "update --init; actions/checkout with submodules: true), or exclude "
                           "it in the config if it holds no drafts")
    (site / "checker.toml").write_text((site / "checker.toml").read_text(encoding="utf-8")
                                       + 'exclude = ["wire/"]\n', encoding="utf-8")
    assert invoke("scan", "--changed-since", "HEAD~1")[0] == 0
