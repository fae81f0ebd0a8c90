"""Normalised words with offsets (checker.text)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from checker.text import LineIndex, mask_spans, normalize_word, tokenize


def spans(text: str) -> list[str]:
    tok = tokenize(text)
    return [text[s:e] for s, e in zip(tok.starts.tolist(), tok.ends.tolist(), strict=True)]


def test_nfkc_and_case_folding() -> None:
    assert tokenize("ＦＵＬＬ ﬁne Straße STRASSE ǅ").words == [
        "full", "fine", "strasse", "strasse", "dž"]
    assert normalize_word("ÉCOLE") == "école"


def test_decomposed_text_matches_composed() -> None:
    composed = "Le café de la ville a fermé hier."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert tokenize(decomposed).words == tokenize(composed).words
    # Every combining mark stays inside its word's span.
    assert spans(decomposed)[1] == unicodedata.normalize("NFD", "café")


def test_quotes_and_apostrophes() -> None:
    curly = "\u201cWe won\u2019t go,\u201d she said. \u2018Fine,\u2019 he said."
    straight = "\"We won't go,\" she said. 'Fine,' he said."
    assert tokenize(curly).words == tokenize(straight).words == [
        "we", "wont", "go", "she", "said", "fine", "he", "said"]


def test_dashes_are_not_words() -> None:
    variants = ["rates \u2014 up 3\u20134 points", "rates -- up 3-4 points",
                "rates \u2013 up 3\u20144 points", "rates - up 3 - 4 points"]
    assert {tuple(tokenize(v).words) for v in variants} == {("rates", "up", "3", "4", "points")}


def test_whitespace_variants() -> None:
    text = "one\u00a0two\tthree\r\nfour\u2009five\u3000six\n\n  seven"
    assert tokenize(text).words == ["one", "two", "three", "four", "five", "six", "seven"]


def test_soft_hyphens_are_removed() -> None:
    assert tokenize("respi\u00adratory creden\u00adtials").words == ["respiratory", "credentials"]
    # The span still covers the original characters, soft hyphen included.
    assert spans("respi\u00adratory") == ["respi\u00adratory"]


# (A right-to-left override is invisible too, but it also reverses the rest of its line
# as shown: tests/test_visual.py.)
@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
                                       "\u200e", "\u2066", "\u180e", "\ufe0f", "\u17b5",
                                       "\U000e0041", "\u200b\u200d\u00ad"])
def test_invisible_characters_inside_words_are_removed(invisible: str) -> None:
    # One zero-width character per word must not hide a pasted article.
    text = f"sea{invisible}wall vo{invisible}te de{invisible}layed"
    assert tokenize(text).words == ["seawall", "vote", "delayed"]
    assert spans(f"sea{invisible}wall")[0] == f"sea{invisible}wall"
    # Around a word, or between words with a space, they join nothing.
    assert tokenize(f"{invisible}sea {invisible}wall{invisible} x").words == ["sea", "wall", "x"]
    # An apostrophe with invisible characters around it stays inside the word.
    assert tokenize(f"don{invisible}\u2019{invisible}t").words == ["dont"]


@pytest.mark.parametrize("filler", ["\u3164", "\uffa0", "\u115f", "\u1160"])
def test_hangul_fillers_shown_as_blanks_separate_words(filler: str) -> None:
    # Default ignorable, yet a browser draws them as a space: written for the spaces of
    # a copy, the reader sees its words.
    text = f"the{filler}council{filler}voted"
    assert tokenize(text).words == ["the", "council", "voted"]
    assert spans(text) == ["the", "council", "voted"]


def test_conjoining_fillers_inside_a_syllable_are_no_blank() -> None:
    # A choseong filler before a vowel, a jungseong filler after a consonant: one syllable.
    assert len(tokenize("\u115f\u1161\u11a8 \u1100\u1160").words) == 2


def test_a_long_run_of_invisible_characters_is_linear() -> None:
    # Each run is consumed once: a hostile draft of 200,000 of them between letters
    # tokenises at once, not in quadratic time.
    text = ("a" + "\u200b" * 100_000 + " ") * 2 + "b" + "\u200b" * 100_000 + "c"
    assert tokenize(text).words == ["a", "a", "bc"]


def test_look_alike_letters_inside_latin_words_read_as_latin() -> None:
    # Cyrillic а е о с р, Greek ο and a Cyrillic capital I inside Latin words.
    disguised = "The s\u0435\u0430wall v\u03bfte w\u0430s \u0440ostponed. \u0406t was c\u043eld."
    assert tokenize(disguised).words == tokenize(
        "The seawall vote was postponed. It was cold.").words
    # A word wholly in another script is left alone: Russian and Greek text match as
    # before (and an index built before keeps its keys).
    assert tokenize("\u0441\u043e\u0440 \u03bf\u03c1\u03bf").words == [
        "\u0441\u043e\u0440", "\u03bf\u03c1\u03bf"]
    # Letters that are not look-alikes stay as they are (no ASCII letter for them).
    assert normalize_word("caf\u00e9") == "caf\u00e9"
    assert normalize_word("Stra\u00dfe") == "strasse"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_break_hyphenation_is_rejoined(newline: str) -> None:
    text = f"a passen-{newline}ger ferry with a shor-{newline}  tage of crew"
    tok = tokenize(text)
    assert tok.words == ["a", "passenger", "ferry", "with", "a", "shortage", "of", "crew"]
    assert spans(text)[1] == f"passen-{newline}ger"
    # A capitalised second piece is a real hyphenated name, not a broken word.
    assert tokenize(f"Smith-{newline}Jones said").words == ["smith", "jones", "said"]
    # A hyphen inside a line is not a line break.
    assert tokenize("well-known").words == ["well", "known"]


def test_offsets_map_back_to_the_exact_original_span() -> None:
    text = ("\ufeffThe Mayor\u2019s  \u201cplan\u201d \u2014 caf\u00e9-\nowners\r\n"
            "and ＦＵＬＬ-width  co\u00adop\tnews.")
    tok = tokenize(text)
    originals = spans(text)
    assert originals == ["The", "Mayor\u2019s", "plan", "caf\u00e9-\nowners", "and",
                         "ＦＵＬＬ", "width", "co\u00adop", "news"]
    for word, original in zip(tok.words, originals, strict=True):
        assert tokenize(original).words == [word]


def test_mask_drops_words_inside_spans() -> None:
    text = "keep this [drop these words] keep that"
    start = text.index("[")
    end = text.index("]") + 1
    assert tokenize(text, [(start, end)]).words == ["keep", "this", "keep", "that"]
    assert mask_spans([(5, 9), (0, 3), (2, 4), (7, 12), (20, 20)]) == [(0, 4), (5, 12)]


def test_line_and_column() -> None:
    text = "first line\nsecond line\r\n\nfourth   word"
    lines = LineIndex(text)
    assert lines.line_col(0) == (1, 1)
    assert lines.line_col(text.index("line")) == (1, 7)
    assert lines.line_col(text.index("second")) == (2, 1)
    assert lines.line_col(text.index("word")) == (4, 10)
    tok = tokenize(text)
    last = int(tok.starts[-1])
    assert lines.line_col(last) == (4, 10)


def test_empty_and_punctuation_only() -> None:
    assert len(tokenize("")) == 0
    assert tokenize(" -- \u2014 ... !!! \u00ad ").words == []


def test_long_texts_tokenised_in_segments_give_the_same_tokens(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A long draft is tokenised a segment at a time (bounded memory), cut at spaces no
    # word or line-break hyphenation crosses: the tokens are those of the whole text.
    import random as _random

    import checker.text as text_mod

    monkeypatch.setattr(text_mod, "SEGMENT_CHARS", 40)
    rng = _random.Random(11)
    alphabet = ["a", "b", "Z", "1", " ", " ", "\n", "-", "-\n", "- \n> ", "'", "é", "\u00ad",
                ".", "  ", "\t", "x-\n\ny", "\u2019", ">", "> "]
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        mask: list[tuple[int, int]] = []
        if len(text) > 10 and rng.random() < 0.5:
            a = sorted(rng.sample(range(len(text)), 4))
            mask = [(a[0], a[1]), (a[2], a[3])]
        whole = text_mod._tokenize_whole(text, mask)
        cut = text_mod.tokenize(text, mask)
        assert cut.words == whole.words, (text, mask)
        assert np.array_equal(cut.starts, whole.starts) and np.array_equal(cut.ends, whole.ends)
    words = text_mod.tokenize("alpha beta " * 50).words
    assert words[0] is words[2]  # equal words share one string
