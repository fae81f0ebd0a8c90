"""What a user sees when inputs are bad, through the real CLI (issue 16, items 4, 7, 8, 9):
one bad input never hides the others, an unreadable draft never passes, limits and help
say what exists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import article
from typer.testing import CliRunner

from checker import Index
from checker.cli import app
from checker.readers import DEFAULT_MAX_BYTES

runner = CliRunner()


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, str]:
    """An index of one synthetic article; returns (index, article text)."""
    body = article(777, paragraphs=3)
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    with Index.open(tmp_path / "index", create=True) as index:
        index.add([tmp_path / "a.txt"])
    return tmp_path / "index", body


def test_jsonl_good_lines_indexed_bad_ones_named(tmp_path: Path) -> None:
    zero, one = article(1, paragraphs=2), article(2, paragraphs=2)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": 0, "text": zero}) + "\n"
                    + json.dumps({"id": 1, "text": one}) + "\n{not json\n", encoding="utf-8")
    code, out, err = invoke("index", "add", feed, "--index", tmp_path / "index")
    assert code == 0
    assert out.startswith("added 2, updated 0, unchanged 0, skipped 1")
    assert f"checker: warning: skipped {feed}:3: invalid JSON" in err
    # A verbatim copy of a good line fails the scan (the whole file was skipped before).
    (tmp_path / "copy.txt").write_text(zero, encoding="utf-8")
    code, out, _ = invoke("scan", tmp_path / "copy.txt", "--index", tmp_path / "index")
    assert code == 1 and f"{feed}#0" in out


def test_unreadable_drafts_in_a_folder_are_errors(indexed: tuple[Path, str],
                                                  tmp_path: Path) -> None:
    index, body = indexed
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "clean.txt").write_text(article(999, paragraphs=2), encoding="utf-8")
    (drafts / "nul.txt").write_bytes(body.encode() + b"\x00")
    (drafts / "binary.md").write_bytes(bytes(range(256)) * 4)
    (drafts / "bad.md").write_text("---\nn: !!int abc\n---\n" + body, encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    (drafts / "nested.html").write_text(
        "<html><body>" + "<div>" * 255 + paragraphs + "</div>" * 255 + "</body></html>",
        encoding="utf-8")
    (drafts / "notes.epub").write_bytes(b"PK\x03\x04")
    code, out, err = invoke("scan", drafts, "--index", index)
    assert code == 2, (out, err)  # never a pass, after scanning the rest
    assert "FAIL" in out and "nested.html" in out  # the copy in 255 <div>s is found
    for name in ("nul.txt: binary file", "binary.md: binary file",
                 "bad.md: invalid value in YAML front matter"):
        assert f"checker: error: {drafts / name}" in err, err
    assert "notes.epub: unsupported file type" in err and "warning" in err
    assert "5 files scanned: 1 fail, 0 warn, 1 pass, 3 errors" in out


def test_empty_index_refused(tmp_path: Path) -> None:
    Index.open(tmp_path / "index", create=True).close()
    (tmp_path / "d.txt").write_text("Some draft.\n", encoding="utf-8")
    code, out, err = invoke("scan", tmp_path / "d.txt", "--index", tmp_path / "index")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "the index holds no documents" in err
    assert "checker index add" in err


def test_warnings_go_to_stderr_once(indexed: tuple[Path, str], tmp_path: Path) -> None:
    index, _ = indexed
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "empty.md").write_text("", encoding="utf-8")
    (drafts / "loop.md").symlink_to("loop.md")
    code, out, err = invoke("scan", drafts, "--index", index)
    assert code == 0, err
    assert "empty" not in out and "loop" not in out
    assert err.count("empty.md: empty document") == 1
    assert err.count("loop.md") == 1 and "warning: skipped" in err
    code, _, err = invoke("index", "add", drafts, "--index", index)
    assert code == 0 and err.count("empty.md: empty document") == 1


def test_one_size_limit_for_scan_and_add(indexed: tuple[Path, str], tmp_path: Path) -> None:
    index, body = indexed
    assert DEFAULT_MAX_BYTES == 20_000_000  # 20 MB for both commands
    draft = tmp_path / "big.txt"
    draft.write_text(body, encoding="utf-8")
    for cmd in (["scan", draft], ["index", "add", draft]):
        code, _, err = invoke(*cmd, "--index", index, "--max-size", "0.001")
        assert "over the 0.001 MB limit for one file; split it or raise --max-size" in err
        assert code == (2 if cmd[0] == "scan" else 0)
    for cmd in ("scan", "index add"):
        code, out, _ = invoke(*cmd.split(), "--help")
        assert "--max-size" in out
    code, out, _ = invoke("scan", draft, "--index", index, "--max-size", "1")
    assert code == 1


def test_help_texts() -> None:
    code, out, _ = invoke("baseline", "create", "--help")
    assert code == 0 and "--staged" not in out and "--changed-since" not in out
    code, out, _ = invoke("scan", "--help")
    assert code == 0 and "130" in out


def test_init_excludes_the_licensed_folder(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHECKER_INDEX", raising=False)
    code, out, _ = invoke("init")
    assert code == 0 and "checker index add licensed/" in out
    (tmp_path / "licensed").mkdir()
    (tmp_path / "licensed" / "a.txt").write_text(article(5), encoding="utf-8")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "p.txt").write_text(article(6), encoding="utf-8")
    assert invoke("index", "add", "licensed/")[0] == 0
    code, out, err = invoke("scan")
    assert code == 0, out + err  # the article is not reported against itself
    assert "1 file scanned: 0 fail, 0 warn, 1 pass" in out


def test_text_output_names_suppressed_findings(indexed: tuple[Path, str], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    index, body = indexed
    monkeypatch.chdir(tmp_path)
    (tmp_path / "copy.txt").write_text(body, encoding="utf-8")
    baseline = tmp_path / "base.json"
    code, _, err = invoke("baseline", "create", "copy.txt", "--index", index, "-o", baseline)
    assert code == 0, err
    code, out, _ = invoke("scan", "copy.txt", "--index", index, "--baseline", baseline)
    assert code == 0
    assert "1 file scanned: 0 fail, 0 warn, 1 pass, 1 finding suppressed (baseline 1)" in out


def test_license_ids_checked(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(article(9), encoding="utf-8")
    code, out, err = invoke("index", "add", tmp_path / "a.txt", "--index", tmp_path / "i",
                            "--license", "CC-BY4.0")
    assert code == 2 and out == ""
    assert "--license 'CC-BY4.0' is not a known licence id (did you mean 'CC-BY-4.0'?)" in err
    code, _, err = invoke("index", "add", tmp_path / "a.txt", "--index", tmp_path / "i",
                          "--license", "Made-Up-1.0")
    assert code == 2 and "not a known licence id" in err
    for given, stored in (("cc-by-4.0", "CC-BY-4.0"), ("mit", "MIT"),
                          ("all-rights-reserved", "LicenseRef-All-Rights-Reserved")):
        code, _, err = invoke("index", "add", tmp_path / "a.txt", "--index", tmp_path / "i",
                              "--license", given)
        assert code == 0, err
        with Index.open(tmp_path / "i") as index:
            assert [d.license for d in index.documents()] == [stored]
