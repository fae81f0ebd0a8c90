"""The public Index API (checker.index)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTICLES, DRAFTS, article, doc, paragraph, write_articles

from checker import Index, IndexOpenError, InputError, Policy, Verdict
from checker.sketch import SketchParams


def pasted(source_text: str, seed: int = 77) -> str:
    """Original text with the second paragraph of ``source_text`` pasted in the middle."""
    import random

    rng = random.Random(seed)
    para = source_text.split("\n\n")[2]
    return f"{paragraph(rng, 120)}\n\n{para}\n\n{paragraph(rng, 120)}\n"


def test_open_missing_without_create(tmp_path: Path) -> None:
    with pytest.raises(IndexOpenError, match="no index here"):
        Index.open(tmp_path / "none")


def test_default_path_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKER_INDEX", str(tmp_path / "from-env"))
    with Index.open(create=True) as index:
        assert index.store.location == str(tmp_path / "from-env")
    assert (tmp_path / "from-env").is_dir()


def test_add_list_stats_scan(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "articles", 5)
    draft = tmp_path / "draft.txt"
    draft.write_text(pasted(paths[3].read_text("utf-8")), encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text(pasted(article(5000)), encoding="utf-8")
    with Index.open(tmp_path / "index", create=True) as index:
        summary = index.add([tmp_path / "articles"])
        assert (summary.added, summary.updated, summary.unchanged, summary.skipped) == (5, 0, 0, 0)
        docs = index.documents()
        assert [d.path for d in docs] == [str(p) for p in paths]
        assert all(len(d.id) == 12 and d.words > 0 and d.passages > 0 for d in docs)
        assert docs[0].title == article(1000).splitlines()[0]
        stats = index.stats()
        assert stats.documents == 5 and stats.words == sum(d.words for d in docs)
        assert index.describe()["params"] == SketchParams().to_dict()

        report = index.scan([draft, clean])
        by_path = {f.path: f for f in report.files}
        (finding,) = by_path[str(draft)].findings
        assert finding.source.path == str(paths[3])
        assert finding.verdict is Verdict.FAIL and finding.reason == "reproduction"
        assert finding.longest_run_words == 60
        assert by_path[str(clean)].findings == ()
        assert by_path[str(clean)].verdict is Verdict.PASS
        assert report.verdict is Verdict.FAIL


def test_readding_unchanged_is_a_no_op(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles", 3)
    with Index.open(tmp_path / "index", create=True) as index:
        index.add([tmp_path / "articles"])
        before = index.documents()
        summary = index.add([tmp_path / "articles"])
        assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 3)
        assert index.documents() == before
        assert index.stats().lsh_entries > 0


def test_changed_content_replaces_the_old_entry(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    old, new = article(1), article(2)
    p.write_text(old, encoding="utf-8")
    with Index.open(tmp_path / "index", create=True) as index:
        index.add([p])
        (before,) = index.documents()
        entries = index.stats().lsh_entries
        p.write_text(new, encoding="utf-8")
        summary = index.add([p])
        assert (summary.added, summary.updated) == (0, 1)
        (after,) = index.documents()
        assert after.id == before.id and after.content_hash != before.content_hash
        assert abs(index.stats().lsh_entries - entries) < entries  # old keys went away
        assert index.scan_text(pasted(old)).findings == ()
        (finding,) = index.scan_text(pasted(new)).findings
        assert finding.source.path == str(p)


def test_remove_by_id_and_by_path(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "articles", 4)
    sub = write_articles(tmp_path / "articles" / "sub", 2, seed=3000)
    with Index.open(tmp_path / "index", create=True) as index:
        index.add([tmp_path / "articles"])
        assert index.stats().documents == 6
        first = index.documents()[0]
        (by_id,) = index.remove([first.id])
        assert by_id.path == str(paths[0])
        by_path = index.remove([str(paths[1])])
        assert [r.path for r in by_path] == [str(paths[1])]
        by_dir = index.remove([str(tmp_path / "articles" / "sub")])
        assert sorted(r.path for r in by_dir) == sorted(str(p) for p in sub)
        assert [d.path for d in index.documents()] == [str(p) for p in paths[2:]]
        assert index.scan_text(pasted(paths[0].read_text("utf-8"))).findings == ()
        assert index.scan_text(pasted(paths[2].read_text("utf-8"))).findings
        with pytest.raises(InputError, match="no indexed document has this id or path"):
            index.remove(["not-there"])
        assert index.stats().documents == 2


def test_remove_jsonl_file_removes_its_records(fixture_index: Path, tmp_path: Path) -> None:
    with Index.open(tmp_path / "index", create=True) as index:
        index.add([ARTICLES / "harbor-times-briefs.jsonl",
                   ARTICLES / "lakeside-ledger-water-rates.txt"])
        removed = index.remove([str(ARTICLES / "harbor-times-briefs.jsonl")])
        assert len(removed) == 3
        assert index.stats().documents == 1


def test_add_documents_and_scan_text(empty_index: Index) -> None:
    summary = empty_index.add_documents(
        [doc("mem/a", article(1)), doc("mem/b", article(2)), doc("mem/a", article(1)),
         doc("mem/empty", "  \n")])
    assert (summary.added, summary.skipped) == (2, 1)
    assert any("mem/empty" in w for w in summary.warnings)
    report = empty_index.scan_text(pasted(article(2)), name="inline")
    assert report.path == "inline"
    assert [f.source.path for f in report.findings] == ["mem/b"]


def test_policy_thresholds(empty_index: Index) -> None:
    empty_index.add_documents([doc("a", article(1))])
    text = pasted(article(1))
    (f,) = empty_index.scan_text(text, policy=Policy(fail_passage_words=70, fail_total_words=70)
                                 ).findings
    assert f.verdict is Verdict.WARN
    (f,) = empty_index.scan_text(text, policy=Policy()).findings
    assert f.verdict is Verdict.FAIL


def test_fixture_drafts_clean_and_pasted(fixture_index: Path) -> None:
    with Index.open(fixture_index) as index:
        report = index.scan([DRAFTS / "clean-original.md", DRAFTS / "pasted-paragraph.md"])
    clean, pasted_report = report.files
    assert clean.findings == () and clean.verdict is Verdict.PASS
    assert pasted_report.verdict is Verdict.FAIL
    assert pasted_report.findings[0].source.path.endswith("harbor-times-crab-season.txt")


def test_path_spellings_name_one_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_articles(tmp_path / "articles", 3)
    monkeypatch.chdir(tmp_path)
    with Index.open("index", create=True) as index:
        assert index.add(["./articles/a00001.txt"]).added == 1
        summary = index.add(["articles/"])
        assert (summary.added, summary.unchanged) == (2, 1)
        assert [d.path for d in index.documents()] == [
            "articles/a00000.txt", "articles/a00001.txt", "articles/a00002.txt"]
        assert [r.path for r in index.remove(["./articles/a00001.txt"])] == [
            "articles/a00001.txt"]
        assert len(index.remove(["./articles/"])) == 2
        assert index.stats().documents == 0
