"""Faults of the disk and of other processes (checker.store): a read-only index scans,
a full disk and a lock are one clear line (exit 2) and leave nothing half-written, a
removal that committed is not an error because the merge after it failed, counts stay
exact, and a long-lived Index sees what another process writes and merges.

Disk faults are real: a small tmpfs mounted for the test (we run as root in CI; the
tests skip with the reason where mounting is not permitted).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import article, doc, write_articles
from indexcraft import DRAFT, SMALL, SOURCE, build, cli, cli_process, one_error, sql

from checker import Index
from checker.documents import Metadata
from checker.ingest import prepare
from checker.store import connect as store_connect
from checker.store.check import check_index
from checker.store.sqlite import LSH_DIR, MAX_SEGMENTS


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(directory: Path, leave: int) -> Path:
    """Fill the file system of ``directory`` up to ``leave`` free bytes."""
    st = os.statvfs(directory)
    filler = directory / "filler"
    with filler.open("wb") as f:
        f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - leave))
    return filler


def test_an_index_in_a_read_only_directory_scans(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "8m") as mnt:
        index = build(mnt / "index")
        done = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True,
                              text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
        code, out, err = cli_process("scan", DRAFT, "--index", index, "--format", "json")
        assert code == 1, err
        assert str(SOURCE) in out
        for args in (["index", "list"], ["index", "stats"], ["index", "check"]):
            code, _, err = cli_process(*args, "--index", index)
            assert code == 0, (args, err)
        code, _, err = cli_process("index", "add", SMALL[1], "--index", index)
        assert code == 2
        assert "read-only" in one_error(err)


def test_a_full_disk_is_one_line_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write_articles(articles, 120, seed=300)
    with tmpfs(tmp_path / "full", "4m") as mnt:
        index = build(mnt / "index")
        filler = fill(mnt, 48 * 1024)
        code, _, err = cli_process("index", "add", articles, "--index", index)
        assert code == 2
        line = one_error(err)
        assert "disk full" in line and str(index) in line
        assert not [p.name for p in (index / LSH_DIR).iterdir() if p.name.endswith(".tmp")]
        filler.unlink()
        report = check_index(index)
        assert report.clean, report.problems
        code, out, err = cli_process("index", "add", articles, "--index", index)
        assert code == 0, err
        assert "(123 documents" in out


def test_a_removal_that_committed_is_not_an_error_when_the_merge_after_it_fails(
        tmp_path: Path) -> None:
    with tmpfs(tmp_path / "full", "6m") as mnt:
        index = mnt / "index"
        with Index.open(index, create=True) as idx:
            for batch in range(MAX_SEGMENTS + 1):  # one segment per write, none merged
                docs = [doc(f"a{batch}-{i}.txt", article(1000 * batch + i)) for i in range(30)]
                idx.store.write([prepare(d, Metadata(), idx.params) for d in docs],
                                merge=False)
        segments = len(sql(index, "SELECT id FROM segments"))
        assert segments > MAX_SEGMENTS
        fill(mnt, 160 * 1024)
        code, out, err = cli_process("index", "remove", "a0-0.txt", "--index", index)
        assert code == 0, err
        assert out.strip().endswith("a0-0.txt")
        (warning,) = [w for w in err.splitlines() if w.strip()]
        assert warning.startswith("checker: warning: ") and "merging" in warning \
            and "disk full" in warning
        assert not sql(index, "SELECT 1 FROM documents WHERE key = 'a0-0.txt'")
        assert not [p for p in (index / LSH_DIR).iterdir() if p.name.endswith(".tmp")]


def test_a_locked_index_is_one_clear_line(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    index = build(tmp_path / "index")
    monkeypatch.setattr(store_connect, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(index / "index.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        code, _, err = cli("index", "add", SOURCE.parent / "harbor-times-ferry-schedule.txt",
                           "--index", index)
        assert code == 2
        line = one_error(err)
        assert "locked by another process" in line and "run the command again" in line
        code, _, _ = cli("scan", DRAFT, "--index", index)  # readers are never blocked (WAL)
        assert code == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_entry_counts_stay_exact_over_remove_and_re_add_rounds(tmp_path: Path) -> None:
    docs = [doc(f"d{i}.txt", article(500 + i)) for i in range(MAX_SEGMENTS + 2)]
    with Index.open(tmp_path / "index", create=True) as index:
        for d in docs:  # one segment each: partial merges happen from here on
            index.add_documents([d])
        for r in range(12):
            d = docs[(3 * r) % len(docs)]
            index.remove([d.key])
            index.add_documents([d])
            ((live,),) = sql(tmp_path / "index", "SELECT sum(entries) FROM documents")
            assert index.stats().lsh_entries == live, f"round {r}"
    code, out, _ = cli("index", "stats", "--index", tmp_path / "index", "--format", "json")
    assert code == 0 and '"lsh_entries": -' not in out


def test_a_long_lived_index_sees_what_another_process_writes_and_merges(
        tmp_path: Path) -> None:
    index = build(tmp_path / "index", SMALL[:1])
    first = SOURCE.read_text("utf-8")
    added: dict[str, str] = {str(SOURCE): first}
    with Index.open(index, read_only=True) as reader:  # kept open while another process writes
        for i in range(MAX_SEGMENTS + 4):
            new = tmp_path / f"new{i}.txt"
            # Big articles, then small ones: from the sixth segment on, each add merges
            # the two newest (smallest) segments, and without AUTOINCREMENT the merged
            # one took the id of a segment the reader had already mapped.
            added[str(new)] = article(7000 + i, paragraphs=5 if i < MAX_SEGMENTS - 2 else 1)
            new.write_text(added[str(new)], encoding="utf-8")
            code, _, err = cli_process("index", "add", new, "--index", index)
            assert code == 0, err
            for path, text in added.items():
                found = {f.source.path for f in reader.scan_text(text).findings}
                assert path in found, f"after add {i}: the reader misses {path}"
    ids = [i for (i,) in sql(index, "SELECT seq FROM sqlite_sequence WHERE name='segments'")]
    assert ids and ids[0] > MAX_SEGMENTS  # ids count up, never reused
