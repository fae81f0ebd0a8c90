"""``checker index check [--repair]`` (checker.store.check): what is wrong, one line each;
exit 0 sound, 2 problems left; --repair fixes what can be fixed and says what it did."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from indexcraft import DRAFT, SOURCE, build, cli, segment_files, sql

from checker.store.check import check_index
from checker.store.sqlite import LSH_DIR


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return build(tmp_path / "index")


def problems(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("checker: problem: ")]


def assert_sound(index: Path) -> None:
    code, out, err = cli("index", "check", "--index", index)
    assert code == 0, err
    assert out.splitlines()[-1] == f"index OK: 3 documents in {index}"
    code, out, _ = cli("scan", DRAFT, "--index", index, "--format", "json")
    assert code == 1 and str(SOURCE) in out  # the copied source is still found


def test_a_sound_index_checks_clean(index: Path) -> None:
    assert_sound(index)
    report = check_index(index)
    assert report.clean and report.documents == 3 and not report.notes


def test_a_truncated_segment_is_found_and_repaired(index: Path) -> None:
    seg = segment_files(index)[0]
    seg.write_bytes(seg.read_bytes()[:100])
    code, out, err = cli("index", "check", "--index", index)
    assert code == 2
    assert any(seg.name in p and "not a segment file" in p for p in problems(err))
    assert err.splitlines()[-1].endswith("run 'checker index check --repair' to fix what can "
                                         "be fixed")
    code, out, err = cli("index", "check", "--repair", "--index", index)
    assert code == 0, err
    assert "repaired: dropped segment" in out and "repaired: re-indexed 3 documents" in out
    assert_sound(index)


def test_missing_entries_are_found_and_rebuilt_from_the_stored_text(index: Path) -> None:
    sql(index, "DELETE FROM segments")  # the file stays: unregistered
    report = check_index(index)
    assert len(report.problems) == 4  # three documents without entries, and the count
    assert any("LSH entries are missing" in p for p in report.problems)
    assert any("nobody registered" in n for n in report.notes)
    repaired = check_index(index, repair=True)
    assert repaired.clean, repaired.problems
    assert "re-indexed 3 documents from their stored text" in repaired.repaired
    assert_sound(index)


def test_an_orphan_segment_file_is_a_note_and_repair_deletes_it(index: Path) -> None:
    orphan = index / LSH_DIR / f"seg-{1:020d}-1.npy.tmp"
    orphan.write_bytes(b"left by a killed add")
    foreign = index / LSH_DIR / "notes.txt"
    foreign.write_text("not ours")
    code, out, err = cli("index", "check", "--index", index)
    assert code == 2 and "note: lsh/" in out
    assert problems(err) == [f"checker: problem: {LSH_DIR}/notes.txt: not a file of this "
                             "index; move it away"]
    foreign.unlink()
    code, _, _ = cli("index", "check", "--repair", "--index", index)
    assert code == 0 and not orphan.exists()


def test_an_unreadable_text_drops_its_document_and_says_so(index: Path) -> None:
    sql(index, "UPDATE texts SET body = x'00' WHERE num = (SELECT min(num) FROM texts)")
    report = check_index(index)
    assert len(report.problems) == 1 and "its stored text is unreadable" in report.problems[0]
    code, out, err = cli("index", "check", "--repair", "--index", index)
    assert code == 0, err
    assert "repaired: dropped a document" in out and "add it again" in out
    assert check_index(index).documents == 2


def test_bad_tombstones_and_stray_texts_are_repaired(index: Path) -> None:
    sql(index, "INSERT INTO tombstones SELECT num, -5 FROM documents LIMIT 1")
    sql(index, "INSERT INTO texts VALUES (999, x'00', 1)")
    report = check_index(index)
    assert {p.split(" ", 1)[1] for p in report.problems} >= {
        "removal records (tombstones) are inconsistent", "stored texts belong to no document"}
    assert check_index(index, repair=True).clean
    assert_sound(index)


def test_tampered_and_stray_story_sketches_are_repaired(index: Path) -> None:
    sql(index, "UPDATE stories SET sketch = x'05000000' WHERE num = (SELECT min(num) FROM"
               " documents)")  # malformed
    sql(index, "UPDATE stories SET sketch = x'01000000' || substr(sketch, 5, 8) WHERE num ="
               " (SELECT max(num) FROM documents)")  # well-formed, but not its text's
    sql(index, "INSERT INTO stories VALUES (999, x'00000000')")
    report = check_index(index)
    assert {p.split(" ", 1)[1] for p in report.problems} == {
        "story sketches belong to no document",
        "story sketches are malformed or not their documents' (computed again from the "
        "texts on repair)"}
    assert report.problems[-1].startswith("2 ")
    assert check_index(index, repair=True).clean
    assert_sound(index)


def test_a_symlinked_lsh_is_repaired_without_touching_its_target(index: Path,
                                                                 tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    shutil.move(index / LSH_DIR, victim)
    (index / LSH_DIR).symlink_to(victim)
    before = sorted(p.name for p in victim.iterdir())
    assert not check_index(index).clean
    report = check_index(index, repair=True)
    assert report.clean, report.problems
    assert sorted(p.name for p in victim.iterdir()) == before
    assert_sound(index)


def test_what_cannot_be_repaired_is_said(index: Path) -> None:
    sql(index, "CREATE VIEW v AS SELECT 1")
    code, _, err = cli("index", "check", "--repair", "--index", index)
    assert code == 2
    (line,) = problems(err)
    assert "its tables are not the ones checker creates" in line
    code, _, err = cli("index", "check", "--index", index / "nothing")
    assert code == 2 and "no index here" in err
