"""Bad input and faults: one clear line naming the file, never a traceback, a sound index.

The interrupted-add tests run the installed ``checker`` command in a subprocess and
kill it (SIGKILL) or interrupt it (SIGINT) once it has committed some documents.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import ARTICLES, DRAFTS, checker_command, paragraph, write_articles
from typer.testing import CliRunner

from checker import Index
from checker.cli import app
from checker.ingest import source_keys
from checker.store import SCHEMA_VERSION
from checker.store.sqlite import DB_NAME

runner = CliRunner()
# An add commits after 200, 400, 800, 1,600 and 3,200 documents (each batch as large as
# all before it). Half-way is the 3,200 commit, which needs the reader 6 chunks of 200
# ahead (the chunks in flight to the worker processes): 4,400 documents read before
# the add blocks on its named pipe (see start_add).
N_ARTICLES = 6000


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def lines(text: str) -> list[str]:
    assert "Traceback" not in text
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture
def small_index(tmp_path: Path) -> Path:
    path = tmp_path / "index"
    with Index.open(path, create=True) as index:
        index.add([ARTICLES / "harbor-times-crab-season.txt"])
    return path


def index_bytes(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def documents(path: Path) -> int:
    with Index.open(path) as index:
        return index.stats().documents


# -- bad input -----------------------------------------------------------------


def bad_files(tmp_path: Path) -> dict[str, Path]:
    d = tmp_path / "bad"
    d.mkdir()
    files = {
        "empty": d / "empty.txt",
        "binary": d / "binary.txt",
        "undecodable": d / "garbled.txt",
        "unsupported": d / "notes.epub",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    rng = random.Random(0)
    files["undecodable"].write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(500)))
    files["unsupported"].write_bytes(b"PK\x03\x04")
    return files


def test_index_add_skips_bad_files_with_warnings(tmp_path: Path, small_index: Path) -> None:
    files = bad_files(tmp_path)
    code, out, err = invoke("index", "add", tmp_path / "bad", "--index", small_index)
    assert code == 0
    assert out.startswith("added 0, updated 0, unchanged 0, skipped 4")
    warnings = lines(err)
    assert len(warnings) == 4
    for path in files.values():
        (line,) = [w for w in warnings if str(path) in w]
        assert "warning: skipped " in line
    assert documents(small_index) == 1


@pytest.mark.parametrize(("kind", "problem"), [
    ("binary", "binary file"), ("undecodable", "encoding"), ("unsupported", "unsupported"),
])
def test_scan_named_bad_file_is_exit_2(tmp_path: Path, small_index: Path, kind: str,
                                       problem: str) -> None:
    path = bad_files(tmp_path)[kind]
    code, _, err = invoke("scan", path, DRAFTS / "pasted-paragraph.md", "--index", small_index)
    assert code == 2
    (line,) = lines(err)
    assert line.startswith(f"checker: error: {path}: ") and problem in line


def test_scan_directory_with_bad_files(tmp_path: Path, small_index: Path) -> None:
    # A draft that cannot be read is an error of the scan (exit 2 after scanning the
    # rest), never a pass; only an unsupported file type in a folder is a warning.
    files = bad_files(tmp_path)
    (tmp_path / "bad" / "draft.md").write_text((DRAFTS / "pasted-paragraph.md").read_text("utf-8"),
                                               encoding="utf-8")
    code, out, err = invoke("scan", tmp_path / "bad", "--index", small_index, "--format", "json")
    assert code == 2
    data = json.loads(out)
    for kind in ("unsupported", "empty"):
        assert any(str(files[kind]) in w for w in data["warnings"]), kind
    errors = {Path(f["path"]).name: f["error"] for f in data["files"] if f["error"]}
    assert set(errors) == {files["binary"].name, files["undecodable"].name}
    for kind in ("binary", "undecodable"):
        assert f"checker: error: {files[kind]}: " in err
    scanned = [Path(f["path"]).name for f in data["files"] if not f["error"]]
    assert scanned == ["draft.md", "empty.txt"]


def test_scan_empty_file_warns(tmp_path: Path, small_index: Path) -> None:
    path = bad_files(tmp_path)["empty"]
    code, out, err = invoke("scan", path, "--index", small_index, "--no-color")
    assert code == 0
    assert "empty" not in out  # warnings go to stderr, as in 'index add'
    (warning,) = [line for line in lines(err) if line.startswith("checker: warning:")]
    assert str(path) in warning and "empty" in warning


def test_file_over_the_size_limit(tmp_path: Path, small_index: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: instant, no disk used
    code, out, err = invoke("index", "add", big, "--index", small_index)
    assert code == 0 and "skipped 1" in out
    (line,) = lines(err)
    assert f"warning: skipped {big}: " in line and "over the 20 MB limit" in line
    code, _, err = invoke("scan", big, "--index", small_index)
    assert code == 2
    (line,) = lines(err)
    assert str(big) in line and "limit" in line
    assert documents(small_index) == 1


def test_missing_path(tmp_path: Path, small_index: Path) -> None:
    for command in ("scan", "index add"):
        code, _, err = invoke(*command.split(), tmp_path / "nope.txt", "--index", small_index)
        assert code == 2
        (line,) = lines(err)
        assert line == f"checker: error: {tmp_path / 'nope.txt'}: no such file or directory"
    assert documents(small_index) == 1


def test_directory_of_10000_small_files(tmp_path: Path) -> None:
    d = tmp_path / "many"
    for sub in range(10):
        (d / f"part{sub}").mkdir(parents=True)
    rng = random.Random(5)
    for i in range(10_000):
        text = f"Note {i}\n\n{paragraph(rng, 14)}\n"
        (d / f"part{i % 10}" / f"n{i:05d}.txt").write_text(text, encoding="utf-8")
    code, out, err = invoke("index", "add", d, "--index", tmp_path / "index")
    assert code == 0, err
    assert out.startswith("added 10000, updated 0, unchanged 0, skipped 0 (10000 documents")
    code, out, _ = invoke("index", "stats", "--index", tmp_path / "index", "--format", "json")
    assert json.loads(out)["documents"] == 10_000


# -- broken indexes --------------------------------------------------------------


def test_corrupt_index(tmp_path: Path) -> None:
    path = tmp_path / "index"
    path.mkdir()
    (path / DB_NAME).write_bytes(b"\x13\x37 garbage, not SQLite " * 500)
    before = index_bytes(path)
    commands: list[list[str | Path]] = [
        ["scan", DRAFTS / "clean-original.md"], ["index", "list"],
        ["index", "add", ARTICLES / "harbor-times-crab-season.txt"]]
    for args in commands:
        code, _, err = invoke(*args, "--index", path)
        assert code == 2
        (line,) = lines(err)
        assert str(path) in line and "corrupt" in line
    assert index_bytes(path) == before


def test_index_of_a_newer_schema(small_index: Path) -> None:
    db = sqlite3.connect(small_index / DB_NAME)
    with db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                   (json.dumps(SCHEMA_VERSION + 1),))
    db.close()
    for args in (["scan", DRAFTS / "clean-original.md"],
                 ["index", "add", ARTICLES / "harbor-times-seawall-vote.txt"]):
        code, _, err = invoke(*args, "--index", small_index)
        assert code == 2
        (line,) = lines(err)
        assert "newer than this checker supports" in line and str(small_index) in line
    db = sqlite3.connect(small_index / DB_NAME)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == \
        json.dumps(SCHEMA_VERSION + 1)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    db.close()


# -- interrupted index add (subprocess) --------------------------------------------
#
# The add runs in its own process group, as a command run from a shell: Ctrl-C sends
# SIGINT to the whole group (the command and its worker processes), a crash or the OOM
# killer ends them with SIGKILL. Once some documents are committed the group is frozen
# with SIGSTOP, so the add cannot finish before it is interrupted, whatever its speed.
# Several thousand articles make the add use its pool of worker processes.


@pytest.fixture(scope="module")
def many_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("interrupt") / "articles"
    write_articles(d, N_ARTICLES, seed=20_000, paragraphs=2, words_per_paragraph=50)
    return d


def start_add(articles: Path, index: Path, out: Path) -> subprocess.Popen[bytes]:
    """``checker index add ARTICLES`` that can never finish on its own.

    After the articles it is given a named pipe that nobody writes to, so it
    blocks there with every article read: however fast indexing gets, the test
    interrupts an add that is under way, never one that already ended.
    """
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CHECKER_INDEX", None)
    fifo = out / "never-written.txt"
    os.mkfifo(fifo)
    with (out / "stdout").open("wb") as so, (out / "stderr").open("wb") as se:
        return subprocess.Popen([*checker_command(), "index", "add", str(articles), str(fifo),
                                 "--index", str(index)], stdout=so, stderr=se, env=env,
                                start_new_session=True)


def committed(index: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{index / DB_NAME}?mode=ro", uri=True, timeout=30)
        try:
            return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return 0  # not created yet, or being created


def freeze_once_committed(proc: subprocess.Popen[bytes], index: Path, at_least: int = 1) -> None:
    """Poll until the add has committed ``at_least`` documents, then stop its process group.

    The add cannot end before that (see :func:`start_add`), so this loop always ends."""
    while committed(index) < at_least:
        assert proc.poll() is None, "index add ended before it was interrupted"
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGSTOP)
    assert proc.poll() is None, "index add ended before it was interrupted"


def assert_whole_documents(index: Path) -> int:
    """The index opens, and every document has its text and every one of its LSH keys."""
    db = sqlite3.connect(index / DB_NAME)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with Index.open(index) as idx:
        docs = idx.documents()
        texts = idx.store.texts([d.id for d in docs])
        assert set(texts) == {d.id for d in docs}
        expected: set[tuple[int, str]] = set()
        for d in docs:
            keys, words = source_keys(texts[d.id], d.mask, idx.params)
            assert words == d.words and keys.shape[0] == d.passages
            expected.update((int(k), d.id) for k in keys.ravel())
        stored = idx.store.lookup_pairs(np.array(sorted({k for k, _ in expected}),
                                                 dtype=np.int64))
        missing = expected - set(stored)
        assert not missing, f"{len(missing)} LSH entries missing, e.g. {next(iter(missing))}"
        return len(docs)


def finish_add(articles: Path, index: Path, already: int) -> None:
    result = subprocess.run([*checker_command(), "index", "add", str(articles), "--index",
                             str(index)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        f"added {N_ARTICLES - already}, updated 0, unchanged {already}, skipped 0")
    assert assert_whole_documents(index) == N_ARTICLES


def test_sigkill_during_add_leaves_whole_documents(many_articles: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    proc = start_add(many_articles, index, tmp_path)
    freeze_once_committed(proc, index)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    n = assert_whole_documents(index)
    assert 0 < n < N_ARTICLES
    finish_add(many_articles, index, n)


def test_sigint_during_add_and_concurrent_scan(many_articles: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = sorted(many_articles.iterdir())[0]
    draft = tmp_path / "draft.txt"
    rng = random.Random(3)
    para = first.read_text("utf-8").split("\n\n")[1]
    draft.write_text(f"{paragraph(rng, 80)}\n\n{para}\n\n{paragraph(rng, 80)}\n", encoding="utf-8")
    proc = start_add(many_articles, index, tmp_path)
    # Half-way, so the worker processes run too (the first documents are done in-process).
    freeze_once_committed(proc, index, N_ARTICLES // 2)
    try:
        # A scan in another process while the add is mid-way (WAL: readers never wait).
        scan = subprocess.run([*checker_command(), "scan", str(draft), "--index", str(index),
                               "--format", "json"], capture_output=True, text=True, check=False)
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole process group
        os.killpg(proc.pid, signal.SIGCONT)
    proc.wait()
    assert scan.returncode == 1, scan.stderr
    (finding,) = json.loads(scan.stdout)["files"][0]["findings"]
    assert finding["source"]["path"] == str(first)
    assert proc.returncode == 130
    err = (tmp_path / "stderr").read_text("utf-8")
    (line,) = lines(err)  # no traceback from the worker processes either
    assert line.startswith("checker: interrupted")
    n = assert_whole_documents(index)
    assert 0 < n < N_ARTICLES
    finish_add(many_articles, index, n)


def test_a_git_lfs_pointer_is_an_error_not_a_clean_draft(tmp_path: Path, small_index: Path
                                                         ) -> None:
    # A checkout without its LFS objects: the draft on the site is the real file.
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "story.md").write_bytes(
        b"version https://git-lfs.github.com/spec/v1\n"
        b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        b"size 12345\n")
    (drafts / "about-lfs.md").write_text(  # prose about LFS is a draft like any other
        "version https://git-lfs.github.com/spec/v1 is the first line of a pointer.\n" * 40,
        encoding="utf-8")
    code, out, err = invoke("scan", drafts, "--index", small_index)
    assert code == 2, (out, err)
    (line,) = lines(err)
    assert line == (f"checker: error: {drafts / 'story.md'}: a Git LFS pointer, not the file; "
                    "fetch the LFS objects (git lfs pull; in GitHub Actions, checkout with "
                    "lfs: true) and run again")
    assert "2 files scanned: 0 fail, 0 warn, 1 pass, 1 error" in out
