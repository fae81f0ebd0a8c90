"""A big add on worker processes (checker.sharded) indexes what reading the files in
one process indexes, byte for byte, with the same messages and counts."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

import checker.index
from benchmarks.index_identity import compare, contents
from checker import Index, sharded, shardworker
from checker.errors import InputError

NOTICES = ["© 2024 Lakeside Ledger. All rights reserved.",
           "Copyright 2023 Example News. Licensed under CC BY 4.0.", ""]


def _text(rng: random.Random, vocab: list[str]) -> str:
    paras = [" ".join(rng.choice(vocab) for _ in range(rng.randint(40, 90))) + "."
             for _ in range(rng.randint(1, 3))]
    return "\n\n".join([*paras, rng.choice(NOTICES)]).strip()


def _corpus(root: Path, n: int) -> list[Path]:
    """JSONL files with good and bad lines, and a few other files."""
    rng = random.Random(7)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(3000)] + ["café", "naïve", "Zürich"]
    lines: list[str] = []
    for i in range(n):
        rec: dict[str, Any] = {"id": f"a{i}", "title": f"Story {i}", "text": _text(rng, vocab)}
        if i % 97 == 5:
            rec.pop("id")  # its id is its line number
        lines.append(json.dumps(rec, ensure_ascii=i % 2 == 0))
        if i % 211 == 3:
            lines.append("{not json")
        if i % 307 == 4:
            lines.append(json.dumps({"id": "a1", "text": "a repeated id, far from its first"}))
        if i % 401 == 6:
            lines.append(json.dumps({"id": f"e{i}", "text": "   "}))  # empty document
        if i % 503 == 7:
            lines.append("")
            lines.append(json.dumps({"id": f"s{i}", "text": "bad \\ud800 surrogate"}))
        if i % 601 == 8:
            lines.append(json.dumps({"text": 5}))
    half = len(lines) // 2
    root.mkdir()
    (root / "a.jsonl").write_text("\n".join(lines[:half]) + "\n", encoding="utf-8")
    (root / "b.jsonl").write_text("\r\n".join(lines[half:]), encoding="utf-8")
    (root / "small.jsonl").write_text(lines[0] + "\n" + "[1]\n", encoding="utf-8")
    (root / "note.txt").write_text(_text(rng, vocab), encoding="utf-8")
    (root / "page.md").write_text("---\ntitle: A page\n---\n" + _text(rng, vocab))
    (root / "blob.txt").write_bytes(b"\x00\x01binary" * 50)
    (root / "data.csv").write_text("a,b\n")
    (root / "dup.jsonl").write_text(lines[1] + "\n")  # same keys? no: another file name
    return [root]


def _add(index: Path, paths: list[Path], split: bool, monkeypatch: pytest.MonkeyPatch,
         ) -> tuple[checker.index.AddSummary, list[tuple[int, int]]]:
    with monkeypatch.context() as m:
        # Small thresholds, so a test-sized corpus takes every path: split files,
        # grouped files, several batches, the text dictionary handed to the workers.
        m.setattr(checker.index, "SHARDED_MIN_BYTES", 0 if split else 1 << 62)
        m.setattr(checker.index, "DICT_MIN_DOCUMENTS", 300)
        m.setattr(checker.textcodec, "DICT_MIN_DOCUMENTS", 300)
        m.setattr(sharded, "SPLIT_BYTES", 50_000)
        m.setattr(sharded, "CHUNK_LINES", 37)
        m.setattr(sharded, "GROUP_FILES", 2)
        m.setattr(sharded, "use_workers", lambda: 2)
        progress: list[tuple[int, int]] = []
        with Index.open(index, create=True) as ix:
            summary = ix.add(paths, progress=lambda n, t: progress.append((n, t)))
            ix.store.compact()
    return summary, progress


def test_sharded_add_writes_the_same_index(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _corpus(tmp_path / "in", 2600)
    ours, ours_progress = _add(tmp_path / "sharded", paths, True, monkeypatch)
    theirs, theirs_progress = _add(tmp_path / "inline", paths, False, monkeypatch)
    assert ours.added == theirs.added > 2500
    assert (ours.skipped, ours.unchanged, ours.updated) == (
        theirs.skipped, theirs.unchanged, theirs.updated)
    assert ours.skipped >= 20
    # The same messages; those of one file in the same order.
    assert sorted(ours.warnings) == sorted(theirs.warnings)
    for name in ("a.jsonl", "b.jsonl"):
        assert [w for w in ours.warnings if f"/{name}:" in w] == \
            [w for w in theirs.warnings if f"/{name}:" in w]
    assert any("duplicate id 'a1' (first on line 2)" in w for w in ours.warnings)
    assert any("b.jsonl:" in w and "invalid JSON" in w for w in ours.warnings)
    assert ours_progress == theirs_progress
    a, b = contents(tmp_path / "sharded"), contents(tmp_path / "inline")
    assert a["dictionaries"], "the dictionary was trained"
    assert compare(a, b) == []


def test_a_failing_worker_is_an_error_not_a_hang(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _corpus(tmp_path / "in", 300)

    def broken(*args: Any) -> bytes:
        raise RuntimeError("worker blew up")

    # Forked workers inherit the patched function (a fault that cannot be caused
    # otherwise); under spawn they would not, so force fork.
    monkeypatch.setattr(shardworker, "work", broken)
    monkeypatch.setattr(sharded, "context", lambda: __import__("multiprocessing")
                        .get_context("fork"))
    with pytest.raises(sharded.WorkerError, match="worker blew up"):
        _add(tmp_path / "ix", paths, True, monkeypatch)


def test_missing_path_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with Index.open(tmp_path / "ix", create=True) as ix, pytest.raises(InputError):
        ix.add([tmp_path / "nope.jsonl"])


def test_spawned_workers_write_the_same_index(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """With threads running (a progress bar), workers are spawned, not forked."""
    import multiprocessing

    paths = _corpus(tmp_path / "in", 500)
    with monkeypatch.context() as m:
        m.setattr(sharded, "context", lambda: multiprocessing.get_context("spawn"))
        ours, _ = _add(tmp_path / "sharded", paths, True, monkeypatch)
    theirs, _ = _add(tmp_path / "inline", paths, False, monkeypatch)
    assert ours.added == theirs.added and sorted(ours.warnings) == sorted(theirs.warnings)
    assert compare(contents(tmp_path / "sharded"), contents(tmp_path / "inline")) == []
