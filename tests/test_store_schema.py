"""The index format's checks: each refusal names the index and says what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from checker.errors import IndexOpenError
from checker.sketch import SketchParams
from checker.store import SCHEMA_VERSION
from checker.store.schema import check_meta, create_tables, read_meta


def meta(**changes: object) -> dict[str, object]:
    db = sqlite3.connect(":memory:")
    assert read_meta(db) is None  # no tables yet: an unfinished index
    create_tables(db, SketchParams())
    info = read_meta(db)
    assert info is not None
    return {**info, **changes}


def test_a_new_index_reads_back_its_parameters() -> None:
    info = meta()
    assert info["schema_version"] == SCHEMA_VERSION
    assert set(info["created_with"]) == {"checker", "datasketch"}
    assert check_meta(Path("ix"), info, None) == SketchParams()
    assert check_meta(Path("ix"), info, SketchParams()) == SketchParams()


@pytest.mark.parametrize(("changes", "message"), [
    ({"schema_version": SCHEMA_VERSION + 1}, "newer than this checker supports"),
    ({"schema_version": SCHEMA_VERSION - 1}, "older than this checker's"),
    ({"schema_version": "4"}, "newer than this checker supports"),
    ({"params": {"num_perm": "x"}}, "unreadable index parameters"),
    ({"params": {**SketchParams().to_dict(), "scheme": "checker-0"}}, "scheme"),
])
def test_unusable_indexes_are_refused_with_what_to_do(changes: dict[str, object],
                                                      message: str) -> None:
    with pytest.raises(IndexOpenError, match=message) as err:
        check_meta(Path("ix"), meta(**changes), None)
    assert str(err.value).startswith("ix: ")


def test_other_sketch_parameters_are_refused() -> None:
    archive = SketchParams(num_perm=32, bands=16, rows=2, passage_stride=32)
    with pytest.raises(IndexOpenError, match=r"other sketch parameters.*new --index"):
        check_meta(Path("ix"), meta(), archive)
