"""The accuracy harness's independent duplicate check (benchmarks.accuracy_score): which
reuse inside a corpus it recognises, reading by reading, without checker."""

from __future__ import annotations

import random

from conftest import words

from benchmarks.accuracy_score import READINGS, calibrate, shared_text


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
