"""``checker index list|stats|check`` output (checker.cli.index)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from indexcraft import SMALL, cli


def test_list_columns_never_run_together(tmp_path: Path) -> None:
    index = tmp_path / "index"
    long_publisher = "The Very Long Name Of A Regional Publisher Ltd"  # over 24 characters
    assert cli("index", "add", SMALL[0], "--publisher", long_publisher, "--license",
               "CC-BY-NC-SA-4.0", "--index", index)[0] == 0
    assert cli("index", "add", SMALL[1], "--publisher", "Short", "--index", index)[0] == 0
    code, out, _ = cli("index", "list", "--index", index)
    assert code == 0
    rows = out.splitlines()[:-1]
    assert len(rows) == 2
    fields = [re.split(r" {2,}", row.rstrip()) for row in rows]
    assert [len(f) for f in fields] == [4, 4], rows
    assert {f[2] for f in fields} == {long_publisher, "Short"}
    # Every column starts at the same place in every row.
    assert len({row.index(f[3]) for row, f in zip(rows, fields, strict=True)}) == 1


def test_stats_labels_and_values_never_touch(tmp_path: Path) -> None:
    index = tmp_path / "index"
    assert cli("index", "add", SMALL[0], "--index", index)[0] == 0
    code, out, _ = cli("index", "stats", "--index", index)
    assert code == 0
    lines = out.splitlines()
    assert any(line.startswith("checker version: ") for line in lines)
    for line in lines:
        assert re.match(r"^[a-z_ ]+: +\S", line), line


def test_compact_merges_the_segments_and_scans_find_the_same(tmp_path: Path) -> None:
    from indexcraft import DRAFT, segment_files

    index = tmp_path / "index"
    for article in SMALL:  # an add each: a segment each
        assert cli("index", "add", article, "--index", index)[0] == 0
    assert cli("index", "remove", SMALL[-1], "--index", index)[0] == 0
    before = cli("scan", DRAFT, "--index", index, "--format", "json")
    entries = json.loads(cli("index", "stats", "--index", index, "--format", "json")[1])
    assert len(segment_files(index)) == len(SMALL)
    assert cli("index", "compact", "--index", index) == (
        0, f"compacted {index}: {len(SMALL)} segments -> 1\n", "")
    assert len(segment_files(index)) == 1
    assert cli("scan", DRAFT, "--index", index, "--format", "json") == before
    assert before[0] == 1
    after = json.loads(cli("index", "stats", "--index", index, "--format", "json")[1])
    assert (after["documents"], after["lsh_entries"]) == (entries["documents"],
                                                          entries["lsh_entries"])
    assert cli("index", "compact", "--index", index)[1] == f"compacted {index}: 1 segment -> 1\n"
