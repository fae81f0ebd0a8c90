"""Executor-side reading (no Spark needed): the same documents as the local
readers, and every malformed record reported with its location."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ARTICLES

from checker.readers import iter_files, read_file
from checker.spark.inputs import jsonl_documents, read_entry, row_document


def test_valid_jsonl_reads_as_the_local_reader(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "x", "text": "Alpha beta.", "publisher": "P", "license": "CC0-1.0"}\n'
                 '\n{"text": "No id here.", "title": "T"}\n', encoding="utf-8")
    docs, problems = jsonl_documents(str(f), f.read_bytes())
    assert not problems
    assert docs == read_file(f)


def test_malformed_jsonl_lines_are_reported_and_the_rest_kept(tmp_path: Path) -> None:
    data = (b'{"id": "a", "text": "one"}\n{not json\n{"id": "b"}\n[1, 2]\n'
            b'{"id": "a", "text": "again"}\n{"id": "c", "text": "three"}\n')
    docs, problems = jsonl_documents("t.jsonl", data)
    assert [d.key for d in docs] == ["t.jsonl#a", "t.jsonl#c"]
    assert [(r, w) for r, w, _ in problems] == [
        ("malformed", "t.jsonl:2"), ("malformed", "t.jsonl:3"), ("malformed", "t.jsonl:4"),
        ("duplicate", "t.jsonl:5")]


def test_every_fixture_file_reads_as_index_add_reads_it() -> None:
    for path, name in iter_files([ARTICLES]):
        as_file = read_entry("file", name, str(path), None, 20_000_000)
        as_data = read_entry("data", name, "", path.read_bytes(), 20_000_000)
        assert as_file == as_data == (read_file(path, name), [])


def test_unsupported_and_too_large_files_are_problems_not_errors(tmp_path: Path) -> None:
    docs, problems = read_entry("data", "x.epub", "", b"PK\x03\x04", 100)
    assert not docs and problems[0][:2] == ("unsupported", "x.epub")
    docs, problems = read_entry("data", "big.txt", "", b"a" * 200, 100)
    assert not docs and problems[0][0] == "unreadable" and "limit" in problems[0][2]


def test_table_rows() -> None:
    ok = json.dumps({"id": 7, "text": "Body.", "license": "CC-BY-4.0"}).encode()
    docs, problems = row_document("t.parquet", "part-0", ok)
    assert not problems and docs[0].key == "t.parquet#7" and docs[0].meta.license == "CC-BY-4.0"
    _, problems = row_document("t.parquet", "part-0", b'{"text": "no id"}')
    assert problems[0][:2] == ("malformed", "part-0 (a row without id)")
    _, problems = row_document("t.parquet", "part-0", b'{"id": "q"}')
    assert problems[0][:2] == ("malformed", "t.parquet#q")
