"""Tests for benchmarks.accuracy_score: the independent duplicate check that decides which
must-pass drafts are set apart, on texts written for these tests."""

from __future__ import annotations

import random

import pytest

from benchmarks import datasets as ds
from benchmarks.accuracy_score import READINGS, calibrate, shared_text
from tests.benchmarks.test_datasets import ARTICLE, HOST, STORY
from tests.conftest import words

# A made-up formulaic report, filled in twice with other figures (a template).
TERMS = (
    "The bond, for {name} Finance NV, is guaranteed by the parent company. Investors will "
    "pay for the bond on April {day}, and the bond pays annual interest on the same day "
    "each year until it matures on that day in {year}. Fees total {fee} pct, with {sell} "
    "points for selling, and {manage} for management and underwriting combined. Listing is "
    "in the usual place and the bond will be issued in denominations of {denom} and "
    "{denom2} marks."
)


def edit_every(text: str, step: int) -> str:
    """Replace every ``step``-th word with a word of no text here."""
    words = text.split()
    return " ".join("zzz" if n % step == step - 1 else w for n, w in enumerate(words))


def test_verbatim_copy() -> None:
    assert shared_text(HOST + "\n\n" + STORY, STORY) == "verbatim"


def test_light_edit_is_edited() -> None:
    # One word in five replaced: runs of 4 words, gaps of 1 (a fifth edited), no verbatim
    # run of 8.
    assert shared_text(edit_every(STORY, 5), STORY) == "edited"


def test_heavy_rewording_is_reworded() -> None:
    # One word in three replaced: runs of 2 words only, a third of the words edited.
    assert shared_text(edit_every(STORY, 3), STORY) == "reworded"


@pytest.mark.parametrize("seed", range(5))
def test_the_benchmarks_own_edits_are_reuse(seed: int) -> None:
    light = ds.light_edit(ARTICLE, random.Random(seed))
    heavy = ds.heavy_edit(ARTICLE, random.Random(seed))
    assert shared_text(light.text, STORY)
    assert shared_text(heavy.text, STORY)


def test_half_the_words_edited_is_paraphrase_at_most() -> None:
    # Half the words kept with the same figures: people's heavy revision (since
    # 2026-11-29), never one of the stricter readings.
    assert shared_text(edit_every(STORY, 2), STORY) == "paraphrased"


def test_a_template_with_other_figures_is_not_reuse() -> None:
    one = TERMS.format(name="Alder", day=9, year=1992, fee=2, sell="1-1/4", manage="3/8",
                       denom="1,000", denom2="10,000")
    two = TERMS.format(name="Birch", day=15, year=1994, fee=3, sell="1-3/8", manage="5/8",
                       denom="5,000", denom2="50,000")
    # The wording is the same between the figures; the facts are not.
    assert shared_text(edit_every(one, 4), two) == ""
    assert shared_text(edit_every(one, 4), one) == "reworded"


def test_unrelated_and_short_texts() -> None:
    assert shared_text(HOST, STORY) == ""
    first = " ".join(STORY.split()[:20])
    assert shared_text(HOST + " " + first, STORY) == ""  # 20 words: under both fail sizes


def test_calibrate_counts_each_reading() -> None:
    pairs = [("light", edit_every(STORY, 5), STORY), ("heavy", edit_every(STORY, 3), STORY),
             ("non", HOST, STORY)]
    assert calibrate(pairs) == {
        "edited": {"light": [1, 1], "heavy": [0, 1], "non": [0, 1]},
        "reworded": {"light": [1, 1], "heavy": [1, 1], "non": [0, 1]},
        "paraphrased": {"light": [1, 1], "heavy": [1, 1], "non": [0, 1]},
    }


# -- the "paraphrased" reading: half the words kept one by one, the same figures -----


def source(seed: int = 1, n: int = 120) -> list[str]:
    return words(random.Random(seed), n)


def every_other_word_replaced(src: list[str], seed: int = 2) -> list[str]:
    """Half the words kept, one by one: no run of two matching words survives."""
    rng = random.Random(seed)
    return [w if i % 2 == 0 else f"{rng.choice(['x', 'y', 'z'])}{i}q"
            for i, w in enumerate(src)]


def test_a_copy_is_verbatim_and_unrelated_text_is_nothing() -> None:
    src = source()
    assert shared_text(" ".join(src), " ".join(src)) == "verbatim"
    assert shared_text(" ".join(source(7)), " ".join(src)) == ""


def test_half_the_words_kept_one_by_one_is_paraphrase_only() -> None:
    src = source()
    draft = every_other_word_replaced(src)
    # No run of two words: neither the edited nor the reworded reading sees it ...
    assert shared_text(" ".join(draft), " ".join(src)) == "paraphrased"


def test_paraphrase_stating_other_figures_is_a_template_not_reuse() -> None:
    src = source()
    # The same wording, with a figure of its own wherever the source states one.
    src_fig = [f"{10 + i}" if i % 10 == 1 else w for i, w in enumerate(src)]
    draft = every_other_word_replaced(src)
    draft = [f"{90 + i}" if i % 10 == 1 else w for i, w in enumerate(draft)]
    assert shared_text(" ".join(draft), " ".join(src_fig)) == ""
    # ... while the same figures on both sides are the same facts.
    same = [f"{10 + i}" if i % 10 == 1 else w for i, w in enumerate(draft)]
    assert shared_text(" ".join(same), " ".join(src_fig)) == "paraphrased"


def test_too_little_paraphrase_is_nothing() -> None:
    src = source(n=40)  # 20 matching words: below 25 in a passage and 40 in all
    draft = every_other_word_replaced(src)
    assert shared_text(" ".join(draft), " ".join(src)) == ""


def test_calibration_counts_each_reading_and_the_stricter_ones_inside_it() -> None:
    src = source()
    pairs = [("copy", " ".join(src), " ".join(src)),
             ("para", " ".join(every_other_word_replaced(src)), " ".join(src)),
             ("none", " ".join(source(9)), " ".join(src))]
    calib = calibrate(pairs)
    assert set(calib) == set(READINGS[1:])
    assert calib["edited"] == {"copy": [1, 1], "para": [0, 1], "none": [0, 1]}
    assert calib["reworded"] == {"copy": [1, 1], "para": [0, 1], "none": [0, 1]}
    assert calib["paraphrased"] == {"copy": [1, 1], "para": [1, 1], "none": [0, 1]}
