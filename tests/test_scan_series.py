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


# Eurobond terms: every issue's story says the same things, with its own facts.
TERMS = ("A {name} unit is raising {amount} mln marks through a five-year bullet eurobond "
         "with a {coupon} pct coupon and priced at {price}, lead manager {bank} said. The bond, "
         "for {name} Finance NV, is guaranteed by the parent. Investors will pay for the bond on "
         "April {day}, and the bond pays annual interest on the same day. It matures on that "
         "day in {year}. Fees total {fee} pct, with {sell} points for selling and {manage} for "
         "management and underwriting combined. Listing is in Frankfurt, and the bond will be "
         "issued in denominations of {denom} marks.")
ALDER = dict(name="Alder Insurance", amount="300", coupon="5-1/2", price="par",
             bank="Commerzbank AG", day="9", year="1992", fee="2", sell="1-1/4", manage="3/8",
             denom="1,000")
BIRCH = dict(name="Birch Holdings", amount="150", coupon="6-3/4", price="101-1/4",
             bank="Deutsche Bank AG", day="15", year="1994", fee="1-7/8", sell="1-3/8",
             manage="5/8", denom="5,000")


CEDAR = dict(ALDER, name="Cedar Motors", amount="200", coupon="6", bank="Dresdner Bank AG",
             day="21", year="1993", fee="1-3/4", denom="10,000")
DOGWOOD = dict(ALDER, name="Dogwood Chemie", amount="250", coupon="5-3/4", bank="WestLB",
               day="28", year="1995", fee="2-1/8", denom="2,000")


def test_another_issues_terms_are_common_phrasing_of_the_indexed_issues(
        tmp_path: Path) -> None:
    # Stories that share no facts, only the wording of their kind: rarity in the index says
    # the wording is common once other issues' stories hold it. (With one issue indexed,
    # the index cannot tell a template from a story: a draft restating 40+ words of its
    # wording fails, and the editor sees the figures differ.)
    rng = random.Random(6)
    indexed = {f"{name}.txt": f"{TERMS.format(**facts)}\n\n{paragraph(rng, 40)}"
               for name, facts in (("alder", ALDER), ("cedar", CEDAR), ("dogwood", DOGWOOD))}
    found = scan(tmp_path, indexed, f"{paragraph(rng, 60)}\n\n{TERMS.format(**BIRCH)}")
    assert found and all(v == ("warn", "common-phrasing") for v in found.values()), found
    # The same terms copied, facts and all, fail, naming the issue they state.
    found = scan(tmp_path / "copy", indexed, f"{paragraph(rng, 60)}\n\n{TERMS.format(**ALDER)}")
    assert found["alder.txt"] == ("fail", "reproduction")
