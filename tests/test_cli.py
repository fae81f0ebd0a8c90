"""The command line through typer's CliRunner (checker.cli)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ARTICLES, DRAFTS, check_golden
from typer.testing import CliRunner

from checker import Index, Policy
from checker.cli import app
from checker.render import render
from checker.store import SCHEMA_VERSION

runner = CliRunner()

FINDING_KEYS = {"verdict", "reason", "message", "source", "similarity", "draft_coverage",
                "source_coverage", "longest_run_words", "passages"}
SOURCE_KEYS = {"id", "path", "title", "publisher", "license", "notice"}
PASSAGE_KEYS = {"draft_start", "draft_end", "line", "column", "source_start", "source_end",
                "text"}


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_scan_exit_codes(fixture_index: Path) -> None:
    code, out, _ = invoke("scan", DRAFTS / "clean-original.md", "--index", fixture_index)
    assert code == 0 and "1 file scanned: 0 fail, 0 warn, 1 pass" in out
    code, out, _ = invoke("scan", DRAFTS / "pasted-paragraph.md", "--index", fixture_index,
                          "--no-color")
    assert code == 1
    assert "harbor-times-crab-season.txt" in out and "\x1b[" not in out


def test_scan_json_schema_and_offsets(fixture_index: Path) -> None:
    drafts = ["pasted-paragraph.md", "reflowed.txt", "copied-whole.txt", "clean-original.md"]
    code, out, _ = invoke("scan", *[DRAFTS / d for d in drafts], "--index", fixture_index,
                          "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "checker" and data["tool"]["version"]
    assert isinstance(data["index"], dict) and data["index"]
    assert [Path(f["path"]).name for f in data["files"]] == drafts
    for f in data["files"]:
        assert {"path", "verdict", "findings"} <= set(f)
        original = Path(f["path"]).read_text(encoding="utf-8")
        for finding in f["findings"]:
            assert set(finding) >= FINDING_KEYS
            assert set(finding["source"]) >= SOURCE_KEYS
            assert finding["verdict"] in {"pass", "warn", "fail"}
            for key in ("similarity", "draft_coverage", "source_coverage"):
                assert 0 <= finding[key] <= 1
            for p in finding["passages"]:
                assert set(p) >= PASSAGE_KEYS
                # Offsets slice the draft file's text to the passage text.
                assert original[p["draft_start"] : p["draft_end"]] == p["text"]
                before = original[: p["draft_start"]]
                assert p["line"] == before.count("\n") + 1
                assert p["column"] == len(before) - (before.rfind("\n") + 1) + 1
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert by_name["clean-original.md"]["verdict"] == "pass"
    assert by_name["clean-original.md"]["findings"] == []
    pasted = by_name["pasted-paragraph.md"]["findings"][0]
    assert pasted["verdict"] == "fail" and pasted["reason"] == "reproduction"
    assert pasted["source"]["path"].endswith("harbor-times-crab-season.txt")
    assert pasted["longest_run_words"] >= 60
    # The source offsets slice the stored source text too.
    with Index.open(fixture_index) as index:
        src = index.store.texts([pasted["source"]["id"]])[pasted["source"]["id"]]
    p = pasted["passages"][0]
    assert " ".join(src[p["source_start"] : p["source_end"]].split()) == " ".join(p["text"].split())


def test_output_file(fixture_index: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "report.json"
    code, out, _ = invoke("scan", DRAFTS / "pasted-paragraph.md", "--index", fixture_index,
                          "--format", "json", "--output", out_file)
    assert code == 1 and out.strip() == ""
    assert json.loads(out_file.read_text(encoding="utf-8"))["files"][0]["verdict"] == "fail"


def test_index_list_json(fixture_index: Path) -> None:
    code, out, _ = invoke("index", "list", "--index", fixture_index, "--format", "json")
    assert code == 0
    docs = json.loads(out)
    assert len(docs) == 16
    for d in docs:
        assert {"id", "path", "title", "publisher", "license", "notice", "added"} <= set(d)
    assert any(d["path"].endswith("harbor-times-briefs.jsonl#ht-brief-002") for d in docs)
    code, out, _ = invoke("index", "list", "--index", fixture_index)
    assert code == 0 and out.strip().endswith("16 documents")


def test_index_stats(fixture_index: Path) -> None:
    code, out, _ = invoke("index", "stats", "--index", fixture_index, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["documents"] == 16 and data["schema_version"] == SCHEMA_VERSION
    assert data["params"]["num_perm"] == 96


def test_add_remove_and_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKER_INDEX", str(tmp_path / "env-index"))
    code, out, _ = invoke("index", "add", ARTICLES / "harbor-times-crab-season.txt",
                          ARTICLES / "harbor-times-briefs.jsonl")
    assert code == 0 and out.startswith("added 4, updated 0, unchanged 0, skipped 0")
    assert (tmp_path / "env-index").is_dir()
    code, out, _ = invoke("index", "add", ARTICLES / "harbor-times-crab-season.txt")
    assert code == 0 and out.startswith("added 0, updated 0, unchanged 1")
    code, out, _ = invoke("scan", DRAFTS / "pasted-paragraph.md")
    assert code == 1
    code, out, _ = invoke("index", "remove", ARTICLES / "harbor-times-crab-season.txt")
    assert code == 0 and out.startswith("removed ")
    code, out, _ = invoke("scan", DRAFTS / "pasted-paragraph.md")
    assert code == 0
    code, _, err = invoke("index", "remove", "no-such-doc")
    assert code == 2 and "no-such-doc" in one_line(err)


def test_missing_index_is_exit_2_one_line(tmp_path: Path) -> None:
    code, _out, err = invoke("scan", DRAFTS / "clean-original.md", "--index", tmp_path / "none")
    assert code == 2
    line = one_line(err)
    assert "no index here" in line and str(tmp_path / "none") in line


def test_usage_errors_are_exit_2(fixture_index: Path, tmp_path: Path) -> None:
    code, _, err = invoke("scan", DRAFTS / "clean-original.md", "--index", fixture_index,
                          "--format", "yaml")
    assert code == 2 and "yaml" in err
    code, _, err = invoke("index", "add", ARTICLES, "--index", tmp_path / "idx",
                          "--license", "no such licence?")
    assert code == 2 and "no such licence?" in one_line(err)
    code, _, _ = invoke("scan", "--no-such-flag")
    assert code == 2


def test_internal_error_is_exit_3_one_line(fixture_index: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(Index, "scan", boom)
    code, _, err = invoke("scan", DRAFTS / "clean-original.md", "--index", fixture_index)
    assert code == 3
    line = one_line(err)
    assert "internal error" in line and "RuntimeError: kaboom" in line
    code, _, err = invoke("--debug", "scan", DRAFTS / "clean-original.md", "--index",
                          fixture_index)
    assert code == 3
    assert "Traceback (most recent call last)" in err and "kaboom" in err


def test_keyboard_interrupt_is_exit_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Index, "add", interrupted)
    code, _, err = invoke("index", "add", ARTICLES, "--index", tmp_path / "idx")
    assert code == 130 and "interrupted" in one_line(err)


def test_golden_text_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One all-rights-reserved paragraph pasted from one article, rendered as plain text."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "drafts").mkdir()
    shutil.copy(ARTICLES / "harbor-times-crab-season.txt", tmp_path / "articles" / "crab.txt")
    shutil.copy(DRAFTS / "pasted-paragraph.md", tmp_path / "drafts" / "pasted.md")
    monkeypatch.chdir(tmp_path)
    with Index.open("index", create=True) as index:
        index.add(["articles"])
        report = index.scan(["drafts"], Policy())
    assert report.files[0].findings[0].reason == "reproduction"
    check_golden("scan_pasted_paragraph.txt", render(report, "text", color=False, width=100))


def test_offsets_in_a_crlf_cp1252_draft(fixture_index: Path, tmp_path: Path) -> None:
    text = (DRAFTS / "pasted-paragraph.md").read_text(encoding="utf-8")
    text = text.replace("\n", "\r\n").replace("'", "\u2019")
    draft = tmp_path / "windows.md"
    draft.write_bytes(text.encode("cp1252"))
    code, out, _ = invoke("scan", draft, "--index", fixture_index, "--format", "json")
    assert code == 1
    original = draft.read_bytes().decode("cp1252")  # newlines kept as written
    (finding, *_) = json.loads(out)["files"][0]["findings"]
    for p in finding["passages"]:
        assert original[p["draft_start"] : p["draft_end"]] == p["text"]
        before = original[: p["draft_start"]]
        assert p["line"] == before.count("\n") + 1
        assert p["column"] == len(before) - (before.rfind("\n") + 1) + 1


def test_index_add_sketch_profile(tmp_path: Path) -> None:
    from checker.sketch import PROFILES

    index = tmp_path / "index"
    code, out, _ = invoke("index", "add", ARTICLES / "harbor-times-crab-season.txt",
                          "--index", index, "--sketch", "archive")
    assert code == 0 and out.startswith("added 1,")
    with Index.open(index) as idx:
        assert idx.params == PROFILES["archive"]
    # An existing index keeps its parameters when none are asked for ...
    code, out, _ = invoke("index", "add", ARTICLES / "harbor-times-ferry-schedule.txt",
                          "--index", index)
    assert code == 0 and out.startswith("added 1,")
    # ... and refuses other ones, in one line.
    code, _, err = invoke("index", "add", ARTICLES / "harbor-times-seawall-vote.txt",
                          "--index", index, "--sketch", "default")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "other sketch parameters" in err
    code, _, err = invoke("index", "add", ARTICLES, "--index", index, "--sketch", "huge")
    assert code == 2 and "--sketch 'huge' is not one of: default, archive" in err
