"""Hostile names and metadata through the real CLI: no output line can start a GitHub
workflow command, no terminal escape reaches the terminal, odd file names never make the
run fail with an internal error (issue 16, items 3 and 9)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, article
from typer.testing import CliRunner

from checker import Index
from checker.cli import app
from checker.render.sarif_log import sarif_log_lines

runner = CliRunner()

# What an attacker puts in a pull request: names and metadata that start workflow
# commands on their own line, and terminal escapes (OSC 52 writes the clipboard).
EVIL_NAME = "bin\n::stop-commands::abc\n.txt"
EVIL_BAD_NAME = "x\r::error::boom\n.md"
TITLE = "::add-mask::hunter2"
PUBLISHER = "Evil Wire\r::error file=a::pwned"
URL = "https://example.com/\x1b]52;c;ZXZpbA==\x07x\x1b[2J"
# A runner reads lines split at \n, \r or \r\n, and strips leading blanks.
_LINES = re.compile(r"\r\n|\r|\n")


def command_lines(text: str) -> list[str]:
    """The lines of ``text`` a GitHub runner would read as workflow commands."""
    return [ln.strip() for ln in _LINES.split(text) if ln.strip().startswith(("::", "##["))]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    body = article(4242, paragraphs=3)
    record = {"id": "a", "title": TITLE, "publisher": PUBLISHER, "url": URL, "text": body}
    (root / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Index.open(root / "index", create=True) as index:
        assert index.add([root / "feed.jsonl"]).added == 1
    drafts = root / "drafts"
    drafts.mkdir()
    (drafts / EVIL_NAME).write_text(body, encoding="utf-8")
    (drafts / EVIL_BAD_NAME).write_bytes(b"text\x00with a NUL byte")
    return root / "index", drafts


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_no_line_starts_a_workflow_command(hostile: tuple[Path, Path], fmt: str) -> None:
    index, drafts = hostile
    result = runner.invoke(app, ["scan", str(drafts), "--index", str(index),
                                    "--format", fmt])
    # The copy fails; the unreadable draft is an error of the scan: exit 2.
    assert result.exit_code == 2, result.stdout + result.stderr
    both = result.stdout + result.stderr
    assert "Traceback" not in both
    assert "\x1b" not in both and "\x07" not in both
    found = command_lines(result.stdout) + command_lines(result.stderr)
    if fmt == "github":
        # Only checker's own annotations, and their user text escaped.
        assert found and all(re.match(r"::(error|warning)[ :]", c) for c in found), found
        assert not any("::stop-commands::" in c.split("::", 2)[1] for c in found)
        assert "\r" not in result.stdout
    else:
        assert found == [], found
    if fmt == "text":
        assert "bin\\n::stop-commands::abc\\n.txt" in result.stdout  # shown, escaped
        assert "Evil Wire\\r::error file=a::pwned" in result.stdout
        assert "x\\r::error::boom\\n.md" in result.stderr


def test_sarif_log_of_the_action_is_escaped(hostile: tuple[Path, Path],
                                            tmp_path: Path) -> None:
    index, drafts = hostile
    out = tmp_path / "out.sarif"
    result = runner.invoke(app, ["scan", str(drafts), "--index", str(index),
                                    "--format", "sarif", "-o", str(out)])
    assert result.exit_code == 2
    sarif = json.loads(out.read_text(encoding="utf-8"))
    log = sarif_log_lines(sarif)
    assert command_lines(log) == []
    assert "\x1b" not in log and "reproduced passage(s)" in log
    # The Action prints it through that module, with workflow commands stopped.
    proc = subprocess.run([sys.executable, "-m", "checker.render.sarif_log", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout == log
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    scan = next(s for s in action["runs"]["steps"] if s.get("id") == "scan")
    assert "python -m checker.render.sarif_log" in scan["run"]
    assert '"::stop-commands::${token}"' in scan["run"]
    assert 'r["message"]["text"]' not in scan["run"]


def test_non_utf8_file_name_and_hash_in_sarif(hostile: tuple[Path, Path],
                                              tmp_path: Path) -> None:
    index, _ = hostile
    body = (hostile[1] / EVIL_NAME).read_text(encoding="utf-8")
    drafts = tmp_path / "d"
    drafts.mkdir()
    odd = Path(os.fsdecode(os.fsencode(str(drafts)) + b"/caf\xe9.txt"))
    odd.write_text(body, encoding="utf-8")
    (drafts / "a#b.txt").write_text(body, encoding="utf-8")
    for fmt in ("text", "json", "sarif", "github"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(app, ["scan", str(drafts), "--index", str(index),
                                        "--format", fmt, "-o", str(out)])
        assert result.exit_code == 1, (fmt, result.stdout, result.stderr)
        written = out.read_text(encoding="utf-8")
        result = runner.invoke(app, ["scan", str(drafts), "--index", str(index),
                                        "--format", fmt])
        assert result.exit_code == 1, (fmt, result.stderr)
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]}
    assert any(u.endswith("/a%23b.txt") for u in uris), uris
    assert any(u.endswith("/caf%E9.txt") for u in uris), uris
    assert written  # github format written too
    assert "caf\\xe9.txt" in (tmp_path / "out.text").read_text(encoding="utf-8")


def test_index_commands_print_names_safely(tmp_path: Path) -> None:
    # Publisher and key lines of 'index add/list/remove' carry article text too.
    body = article(4243, paragraphs=2)
    (tmp_path / "in").mkdir()
    record = {"id": "x\n::error::id", "publisher": PUBLISHER, "license": "cc-by-4.0",
              "text": body}
    feed = tmp_path / "in" / "feed.jsonl"
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (tmp_path / "in" / EVIL_BAD_NAME).write_bytes(b"\x00binary")
    index = str(tmp_path / "index")
    for args in (["index", "add", str(tmp_path / "in"), "--index", index],
                 ["index", "list", "--index", index],
                 ["index", "remove", f"{feed}#x\n::error::id", "--index", index]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stdout + result.stderr
        assert command_lines(result.stdout) == [] and command_lines(result.stderr) == []
        assert "\x1b" not in result.stdout + result.stderr
    listed = runner.invoke(app, ["index", "list", "--index", index]).stdout
    assert "0 documents" in listed
