"""An index is untrusted input (checker.store.safety, segfiles, schema, rows): every path
it names stays inside it, every size it states is bounded, and whatever breaks the rules
is refused as a corrupt index with exit 2 and one line that says what to do."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import zstandard
from conftest import ARTICLES
from indexcraft import DRAFT, SOURCE, build, cli, cli_process, one_error, segment_files, sql

from checker.sketch import SketchParams
from checker.store.sqlite import DB_NAME, LSH_DIR

NEW_ARTICLE = ARTICLES / "harbor-times-ferry-schedule.txt"


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return build(tmp_path / "index")


def assert_corrupt(index: Path, err: str, what: str) -> None:
    line = one_error(err)
    assert f"{index}: corrupt index: " in line and what in line, line
    assert "checker index check --repair" in line


# -- item 1: paths the index names ------------------------------------------------


def test_a_symlinked_lsh_folder_is_refused_and_nothing_outside_is_deleted(
        index: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    shutil.move(index / LSH_DIR, victim)
    (victim / "precious.txt").write_text("a user's file")
    (victim / f"seg-{5:020d}-1.npy").write_text("looks like a segment, is not ours")
    before = sorted(p.name for p in victim.iterdir())
    (index / LSH_DIR).symlink_to(victim, target_is_directory=True)
    for args in (["index", "add", NEW_ARTICLE], ["index", "remove", str(SOURCE)],
                 ["scan", DRAFT], ["index", "list"]):
        code, _, err = cli(*args, "--index", index)
        assert code == 2
        assert_corrupt(index, err, "lsh is not a directory")
    assert sorted(p.name for p in victim.iterdir()) == before


@pytest.mark.parametrize("name", ["ABS", "../../outside.npy", "../outside.npy",
                                  "sub/seg-00000000000000000001-1.npy", "seg-1.npy", ""])
def test_segment_paths_outside_the_index_are_refused(index: Path, tmp_path: Path,
                                                     name: str) -> None:
    outside = tmp_path / "outside.npy"
    shutil.copy(segment_files(index)[0], outside)
    name = str(outside) if name == "ABS" else name
    sql(index, "UPDATE segments SET file = ?", (name,))
    code, _, err = cli("scan", DRAFT, "--index", index)
    assert code == 2
    assert_corrupt(index, err, "is not one it writes")
    code, _, err = cli("index", "add", NEW_ARTICLE, "--index", index)
    assert code == 2
    assert outside.exists()  # never read, never deleted


def test_a_fifo_or_symlink_segment_is_refused_without_hanging(index: Path,
                                                              tmp_path: Path) -> None:
    seg = segment_files(index)[0]
    real = tmp_path / "real.npy"
    shutil.move(seg, real)
    os.mkfifo(seg)
    code, _, err = cli_process("scan", DRAFT, "--index", index, timeout=60)
    assert code == 2
    assert_corrupt(index, err, "not a regular file")
    seg.unlink()
    seg.symlink_to(real)
    code, _, err = cli_process("scan", DRAFT, "--index", index, timeout=60)
    assert code == 2
    assert_corrupt(index, err, "cannot be opened")
    assert real.exists()


def test_a_fifo_database_is_refused_without_hanging(tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    os.mkfifo(index / DB_NAME)
    code, _, err = cli_process("scan", DRAFT, "--index", index, timeout=60)
    assert code == 2
    assert_corrupt(index, err, f"{DB_NAME} is not a regular file")


def test_cleanup_deletes_only_its_own_segment_files(index: Path) -> None:
    lsh = index / LSH_DIR
    orphan = lsh / f"seg-{1:020d}-1.npy"
    orphan_tmp = lsh / f"seg-{2:020d}-1.npy.tmp"
    keep = [lsh / "README", lsh / "seg-x.npy", lsh / f"seg-{3:020d}-1.npy.bak"]
    for p in [orphan, orphan_tmp, *keep]:
        p.write_bytes(b"x")
    code, _, _ = cli("index", "add", NEW_ARTICLE, "--index", index)
    assert code == 0
    assert not orphan.exists() and not orphan_tmp.exists()
    assert all(p.exists() for p in keep)


# -- item 2: sizes and the schema ---------------------------------------------------


def test_a_decompression_bomb_in_a_stored_text_is_refused(index: Path) -> None:
    bomb = zstandard.ZstdCompressor(write_content_size=True).compress(b"\0" * (1 << 30))
    assert len(bomb) < 100_000
    for size in (1 << 30, 2000):  # as stored, and lying about it
        sql(index, "UPDATE texts SET body = ?, size = ?", (bomb, size))
        code, _, err = cli("scan", DRAFT, "--index", index)
        assert code == 2
        assert_corrupt(index, err, "stored text")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("num_perm", 2_000_000_000, "num_perm = '2000000000', not a whole number from 2 to 1024"),
    ("num_perm", 96.0, "num_perm = '96.0'"),
    ("bands", True, "bands = 'True'"),
    ("rows", "2", "rows = '2'"),
    ("seed", -1, "seed = '-1'"),
    ("scheme", 5, "scheme is not a text"),
    ("extra", 1, "expected the fields"),
])
def test_parameters_out_of_range_or_of_the_wrong_type_are_refused(
        index: Path, field: str, value: object, message: str) -> None:
    params = {**SketchParams().to_dict(), field: value}
    sql(index, "UPDATE meta SET value = ? WHERE key = 'params'", (json.dumps(params),))
    for args in (["scan", DRAFT], ["index", "stats"], ["index", "add", NEW_ARTICLE]):
        code, _, err = cli(*args, "--index", index)
        assert code == 2
        line = one_error(err)
        assert "unreadable index parameters" in line and message in line, line


def test_meta_that_is_not_json_is_a_corrupt_index(index: Path) -> None:
    sql(index, "UPDATE meta SET value = '{not json' WHERE key = 'created_with'")
    code, _, err = cli("index", "stats", "--index", index)
    assert code == 2
    assert_corrupt(index, err, "JSONDecodeError")


RECURSIVE = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
             "SELECT x AS num, x AS entries FROM c")


@pytest.mark.parametrize("change", [
    ["DROP TABLE tombstones", f"CREATE VIEW tombstones AS {RECURSIVE}"],
    ["DROP TABLE meta", "CREATE VIEW meta AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
     "SELECT x + 1 FROM c) SELECT 'k' || x AS key, 'v' AS value FROM c"],
    [f"CREATE VIEW extra AS {RECURSIVE}"],
    ["CREATE TRIGGER t AFTER INSERT ON documents BEGIN DELETE FROM texts; END"],
    ["ALTER TABLE documents ADD COLUMN sneaky TEXT"],
])
def test_views_triggers_and_altered_tables_are_refused_without_hanging(
        index: Path, change: list[str]) -> None:
    for statement in change:
        sql(index, statement)
    code, _, err = cli_process("scan", DRAFT, "--index", index, timeout=60)
    assert code == 2
    line = one_error(err)
    assert "corrupt index: its tables are not the ones checker creates" in line
    assert line.endswith("move it away and rebuild it with 'checker index add'")  # no repair


@pytest.mark.parametrize(("column", "value", "what"), [
    ("mask", "not json", "its mask is not JSON"),
    ("mask", "[[1, 2, 3]]", "its mask is not a list of [start, end] spans"),
    ("words", "many", "words is not a whole number"),
    ("title", b"\x00blob", "title is not text"),
    ("publisher", None, "NOT NULL"),
])
def test_rows_of_the_wrong_type_are_a_corrupt_index(index: Path, column: str, value: object,
                                                     what: str) -> None:
    try:
        sql(index, f"UPDATE documents SET {column} = ?", (value,))
    except Exception as exc:  # NOT NULL: SQLite itself keeps the row sound
        assert what in str(exc)
        return
    code, _, err = cli("index", "list", "--index", index)
    assert code == 2
    assert_corrupt(index, err, what)


# -- item 5: damaged files --------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "overwrite", "header", "extend"])
def test_a_damaged_segment_file_is_a_corrupt_index(index: Path, damage: str) -> None:
    seg = segment_files(index)[0]
    data = seg.read_bytes()
    seg.write_bytes({"truncate": data[: len(data) // 2],
                     "overwrite": b"\x93NUMPY garbage " * 50,
                     "header": data.replace(b"<u4", b"<f8", 1),
                     "extend": data + b"\0" * 64}[damage])
    code, _, err = cli("scan", DRAFT, "--index", index)
    assert code == 2
    assert_corrupt(index, err, seg.name)


@pytest.mark.parametrize("layout", [
    "{not json", "[]", json.dumps([{"n": 1 << 40, "dir": None, "hi": 0, "lo": 0, "doc": 0}] * 32),
    json.dumps([{"n": 5, "dir": 0, "hi": None, "lo": 0, "doc": 0}] * 32), "null",
], ids=["not-json", "no-bands", "huge-n", "small-band-with-directory", "null"])
def test_a_bad_layout_is_a_corrupt_index(index: Path, layout: str) -> None:
    sql(index, "UPDATE segments SET layout = ?", (layout,))
    code, _, err = cli("scan", DRAFT, "--index", index)
    assert code == 2
    one_error(err)
    assert "corrupt index" in err


def test_a_bad_stored_text_is_a_corrupt_index(index: Path) -> None:
    sql(index, "UPDATE texts SET body = ?", (b"\x28\xb5\x2f\xfd not a frame",))
    code, _, err = cli("scan", DRAFT, "--index", index)
    assert code == 2
    assert_corrupt(index, err, "ZstdError")
