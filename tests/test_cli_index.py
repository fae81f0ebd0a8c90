"""``checker index list|stats|check`` output (checker.cli.index)."""

from __future__ import annotations

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
