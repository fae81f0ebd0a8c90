"""Common phrasing of a series of stories, and copies of one story (checker.scan)."""

from __future__ import annotations

import random
from pathlib import Path

from conftest import doc, paragraph

from checker import Index, Policy, Verdict

# A weekly report: the same sentences every week, other figures.
WEEK = ("Treasury balances at the Federal Reserve rose on {day} to {a} billion dlrs on the "
        "previous business day, the Treasury said in its latest budget statement. Balances "
        "in tax and loan note accounts fell to {b} billion dlrs from {c} billion dlrs on the "
        "same respective days. The Treasury's operating cash balance totaled {d} billion dlrs "
        "on {day}, it said.")


def week(n: int) -> str:
    rng = random.Random(n)
    # Every week's figures differ from every other week's, whole part included.
    bases = {"a": 10, "b": 50, "c": 90, "d": 130}
    figures = {k: f"{base + n}.{rng.randint(100, 999)}" for k, base in bases.items()}
    return WEEK.format(day=f"March {n}", **figures)


def scan(tmp_path: Path, indexed: dict[str, str], draft: str) -> dict[str, tuple[str, str]]:
    with Index.open(tmp_path / "ix", create=True) as index:
        index.add_documents(doc(key, text) for key, text in indexed.items())
        report = index.scan_text(draft, "draft.txt", Policy())
    return {f.source.path: (f.verdict.value, f.reason) for f in report.findings}


def test_a_new_story_of_a_series_shares_its_template_not_a_copy(tmp_path: Path) -> None:
    rng = random.Random(3)
    indexed = {f"week-{n}.txt": f"{paragraph(rng, 60)}\n\n{week(n)}" for n in range(1, 5)}
    found = scan(tmp_path, indexed, f"{paragraph(rng, 80)}\n\n{week(20)}")
    assert found and all(v != Verdict.FAIL.value for v, _ in found.values()), found
    assert "common-phrasing" in {reason for _, reason in found.values()}


def test_a_copy_of_one_story_of_a_series_fails_naming_it(tmp_path: Path) -> None:
    rng = random.Random(4)
    indexed = {f"week-{n}.txt": f"{paragraph(rng, 60)}\n\n{week(n)}" for n in range(1, 5)}
    found = scan(tmp_path, indexed, f"{paragraph(rng, 80)}\n\n{week(2)}")
    assert found["week-2.txt"] == ("fail", "reproduction")


def test_copies_of_one_story_do_not_make_its_sentences_common(tmp_path: Path) -> None:
    # The same story filed under three ids: excerpts of it are a copy, not common wording.
    rng = random.Random(5)
    story = "\n\n".join(paragraph(rng, 60) for _ in range(4))
    indexed = {"story.txt": story, "story-again.txt": story, "story-third.txt": story}
    sentences = [s for s in story.replace("\n\n", " ").split(". ") if len(s.split()) >= 14]
    excerpt = ". ".join(sentences[::2][:4]) + "."
    found = scan(tmp_path, indexed, f"{paragraph(rng, 60)} {excerpt} {paragraph(rng, 40)}")
    assert {v for v, _ in found.values()} == {"fail"}, found
