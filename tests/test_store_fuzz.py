"""Hypothesis over the index files (checker.store): random and mutated SQLite rows,
segment bytes, segment layouts, stored texts and parameters. Whatever the damage,
``scan``, ``index list``, ``index stats``, ``index check`` and ``index add`` exit 0, 1
or 2 with no traceback (never 3), within a bounded time (a watchdog ends the run if an
example hangs).

CI runs ``CHECKER_FUZZ_EXAMPLES`` examples per test (default 300: 1,500 in all).
A long run::

    CHECKER_FUZZ_EXAMPLES=20000 python3 -m pytest tests/test_store_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import typer.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from indexcraft import DRAFT, SMALL, build, cli, segment_files

from checker.cli import app
from checker.store.sqlite import DB_NAME

EXAMPLES = int(os.environ.get("CHECKER_FUZZ_EXAMPLES", "300"))
# typer builds the click command of the app on every invoke (half the time of a run on
# a tiny index): build it once for the thousands of runs here.
_COMMAND = typer.testing._get_command(app)
HANG_SECONDS = 120  # one example (a few commands on a 3-article index) takes well under 1 s
fuzz = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

COLUMNS = {
    "documents": ["num", "id", "key", "title", "publisher", "license", "notice", "holder",
                  "years", "url", "date", "content_hash", "added", "words", "passages", "mask",
                  "entries"],
    "texts": ["num", "body", "size"],
    "segments": ["id", "file", "entries", "layout"],
    "tombstones": ["num", "entries"],
    "meta": ["key", "value"],
    "dictionaries": ["id", "data"],
}
TRICKY = ["../x.npy", "/etc/passwd", "lsh", "seg-1.npy", "[]", "{}", "null", "[[0, 1]]",
          "[[-1, 99999999999]]", '{"n": 1}', "4294967295", "-1", "1e308", "\x00", "💥"]
values = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(),
    st.text(max_size=40), st.binary(max_size=200), st.sampled_from(TRICKY))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40),
              st.floats(allow_nan=False), st.text(max_size=10)),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=5),
    max_leaves=20)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("fuzz") / "index")


@contextmanager
def copy_of(base: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="checker-fuzz-") as tmp:
        index = Path(tmp) / "index"
        shutil.copytree(base, index, symlinks=True)
        faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
        try:
            yield index
        finally:
            faulthandler.cancel_dump_traceback_later()


def run_all(index: Path, write: bool = False) -> None:
    """Every reading command (and an add when ``write``): 0, 1 or 2, one clear line."""
    commands: list[list[str | Path]] = [["scan", DRAFT], ["index", "list"],
                                        ["index", "stats", "--format", "json"],
                                        ["index", "check"]]
    if write:
        commands.append(["index", "add", SMALL[0].parent / "harbor-times-ferry-schedule.txt"])
    for args in commands:
        with mock.patch.object(typer.testing, "_get_command", lambda _: _COMMAND):
            code, _, err = cli(*args, "--index", index)
        assert code in (0, 1, 2), (args, code, err)
        if code == 2 and args[1:2] != ["check"]:
            lines = [line for line in err.splitlines() if line.strip()]
            assert len(lines) == 1 and lines[0].startswith("checker: error: "), (args, err)


def edit(index: Path, statement: str, params: tuple[Any, ...] = ()) -> None:
    db = sqlite3.connect(index / DB_NAME, isolation_level=None)
    try:
        db.execute(statement, params)
    except sqlite3.Error:
        pass  # a constraint SQLite itself keeps: the index stays as it was
    finally:
        db.close()


@fuzz
@given(changes=st.lists(st.tuples(st.sampled_from(sorted(COLUMNS)), st.integers(0, 20),
                                  st.integers(0, 3), values), min_size=1, max_size=4),
       write=st.booleans())
def test_mutated_rows(base: Path, changes: list[tuple[str, int, int, Any]],
                      write: bool) -> None:
    with copy_of(base) as index:
        for table, col, row, value in changes:
            column = COLUMNS[table][col % len(COLUMNS[table])]
            edit(index, f"UPDATE {table} SET {column} = ? WHERE rowid = "
                        f"(SELECT rowid FROM {table} ORDER BY rowid LIMIT 1 OFFSET {row})",
                 (value,))
        run_all(index, write)


@fuzz
@given(kind=st.sampled_from(["overwrite", "truncate", "append"]),
       at=st.floats(0, 1), data=st.binary(min_size=1, max_size=64))
def test_mutated_segment_bytes(base: Path, kind: str, at: float, data: bytes) -> None:
    with copy_of(base) as index:
        seg = segment_files(index)[0]
        raw = bytearray(seg.read_bytes())
        pos = int(at * len(raw))
        if kind == "overwrite":
            raw[pos : pos + len(data)] = data
        elif kind == "truncate":
            del raw[pos:]
        else:
            raw += data
        seg.write_bytes(bytes(raw))
        run_all(index)


@fuzz
@given(band=st.integers(0, 40), field=st.sampled_from(["n", "dir", "hi", "lo", "doc", "x"]),
       value=json_values, whole=st.one_of(st.none(), json_values))
def test_mutated_layouts(base: Path, band: int, field: str, value: Any, whole: Any) -> None:
    with copy_of(base) as index:
        ((layout,),) = sqlite3.connect(index / DB_NAME).execute(
            "SELECT layout FROM segments LIMIT 1").fetchall()
        parsed = json.loads(layout)
        if whole is not None:
            parsed = whole
        elif band < len(parsed):
            parsed[band][field] = value
        edit(index, "UPDATE segments SET layout = ?", (json.dumps(parsed),))
        run_all(index)


@fuzz
@given(flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=6),
       size=st.one_of(st.none(), st.integers(-5, 1 << 40)), body=st.one_of(
           st.none(), st.binary(max_size=300)))
def test_mutated_stored_texts(base: Path, flips: list[tuple[int, int]], size: int | None,
                              body: bytes | None) -> None:
    with copy_of(base) as index:
        db = sqlite3.connect(index / DB_NAME)
        ((num, stored, stored_size),) = db.execute(
            "SELECT num, body, size FROM texts ORDER BY num LIMIT 1").fetchall()
        db.close()
        raw = bytearray(stored if body is None else body)
        for pos, byte in flips:
            if raw:
                raw[pos % len(raw)] = byte
        edit(index, "UPDATE texts SET body = ?, size = ? WHERE num = ?",
             (bytes(raw), stored_size if size is None else size, num))
        run_all(index)


@fuzz
@given(key=st.sampled_from(["params", "schema_version", "created_with", "last_num"]),
       field=st.sampled_from(["num_perm", "seed", "shingle_words", "passage_words",
                              "passage_stride", "query_stride", "bands", "rows", "scheme"]),
       value=json_values, raw=st.one_of(st.none(), st.text(max_size=30)))
def test_mutated_meta(base: Path, key: str, field: str, value: Any, raw: str | None) -> None:
    with copy_of(base) as index:
        db = sqlite3.connect(index / DB_NAME)
        found = dict(db.execute("SELECT key, value FROM meta").fetchall())
        db.close()
        if raw is not None:
            text = raw
        elif key == "params":
            params = json.loads(found["params"])
            params[field] = value
            text = json.dumps(params)
        else:
            text = json.dumps(value)
        edit(index, "INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, text))
        run_all(index, write=True)




def test_segment_with_entries_out_of_order(base: Path) -> None:
    """A zero byte inside a segment's sorted high parts (found by the fuzzer above):
    a lookup's ranges come out negative; every command says the index is corrupt."""
    with copy_of(base) as index:
        seg = segment_files(index)[0]
        raw = bytearray(seg.read_bytes())
        raw[int(0.1 * len(raw))] = 0
        seg.write_bytes(bytes(raw))
        run_all(index)
