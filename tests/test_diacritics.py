"""Drafts sprinkled with diacritics read a second time without them (checker.diacritics)."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import Index, Verdict, diacritics
from checker.diacritics import folded, noisy
from checker.documents import Metadata, TextDocument
from checker.text import tokenize

# Texts written for these tests.
ENGLISH = (
    "The harbor council voted on Tuesday to raise the seawall levy by nine percent, after "
    "engineers warned that the winter storms had cracked two sections of the old barrier. "
    "Residents of the lower town asked for the work to begin before the spring tides, and "
    "the mayor promised a public meeting on the cost of the repairs next month.")
FRENCH = (
    "Le conseil municipal a voté mardi une hausse des tarifs de l'eau de neuf pour cent, "
    "après une réunion animée où plusieurs élus ont dénoncé le coût des travaux prévus "
    "sur la digue. La décision sera appliquée dès le début de l'année prochaine, a précisé "
    "le maire, qui a promis une aide aux foyers les plus modestes.")
MARKS = ["\u0323", "\u0301", "\u0303", "\u0308", "\u0331"]


def sprinkled(text: str, share: float = 1.0, seed: int = 1, composed: bool = False) -> str:
    """A mark after the first letter of words of three letters or more."""
    rng = random.Random(seed)
    out = [w[:1] + rng.choice(MARKS) + w[1:] if len(w) > 2 and w[:1].isalpha()
           and rng.random() < share else w for w in text.split(" ")]
    joined = " ".join(out)
    return unicodedata.normalize("NFC", joined) if composed else joined


@pytest.mark.parametrize("composed", [False, True])
def test_folded_keeps_the_length_and_reads_the_latin_letters(composed: bool) -> None:
    text = sprinkled(ENGLISH, composed=composed)
    out = folded(text)
    assert len(out) == len(text)
    assert tokenize(out).words == tokenize(ENGLISH).words
    assert tokenize(text).words != tokenize(ENGLISH).words  # as written: other words


def test_folded_leaves_other_scripts_and_their_marks() -> None:
    text = ("\u0928\u092e\u0938\u094d\u0924\u0947 \u043f\u0440\u0438\u0432\u0435\u0301\u0442"
            " na\u00efve")
    out = folded(text)
    assert out[:len(text) - 6] == text[:len(text) - 6]  # Devanagari, Cyrillic kept
    assert out.endswith("naive")


def test_noisy_is_a_stretch_of_marked_words_not_a_language_with_some_accents() -> None:
    assert not noisy(ENGLISH)
    assert not noisy("Der Stadtrat hat am Dienstag eine Erhöhung der Wassergebühren um neun "
                     "Prozent beschlossen, nachdem mehrere Mitglieder die Kosten kritisiert "
                     "hatten.")
    assert noisy(sprinkled(ENGLISH))
    assert noisy(sprinkled(ENGLISH, composed=True))
    # A marked paragraph inside an unmarked draft.
    assert noisy(ENGLISH + "\n\n" + ENGLISH + "\n\n" + sprinkled(ENGLISH, share=0.5))
    assert not noisy(ENGLISH + " " + sprinkled("the council voted"))  # three words in 70
    assert not noisy("")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab e\n") + MARKS + ["\u00e9", "\u1e25", "\u0928"]),
               max_size=80))
def test_folded_is_always_the_same_length(text: str) -> None:
    assert len(folded(text)) == len(text)
    noisy(text)  # never fails


def _reference_noisy(text: str) -> bool:
    from checker.diacritics import _WORD_RE, _marked
    flags = [not w.isascii() and _marked(w) for w in _WORD_RE.findall(text)]
    n, k = len(flags), diacritics.WINDOW_WORDS
    if n < k:
        return n >= 2 and sum(flags) >= diacritics.NOISY_SHARE * n
    return any(sum(flags[i:i + k]) >= diacritics.NOISY_SHARE * k for i in range(n - k + 1))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["the", "t\u0323he", "\u00e9t\u00e9", "x", "ab"]), max_size=150))
def test_noisy_reads_every_window(words: list[str]) -> None:
    text = " ".join(words)
    assert noisy(text) == _reference_noisy(text)


@pytest.fixture()
def index(tmp_path: Path) -> Iterator[Index]:
    with Index.open(tmp_path / "ix", create=True) as ix:
        ix.add_documents([
            TextDocument(key=k, path=k, text=t, content_hash=k, meta=Metadata(publisher="Times"))
            for k, t in (("harbor.txt", ENGLISH * 2), ("conseil.txt", FRENCH * 2))])
        yield ix


def test_a_copy_with_a_mark_on_every_word_fails_naming_its_source(index: Index) -> None:
    report = index.scan_text(sprinkled(ENGLISH * 2))
    assert report.verdict is Verdict.FAIL
    assert report.findings[0].source.path == "harbor.txt"
    assert report.findings[0].reproduced_words > 100
    # The report quotes the draft as written, not as folded.
    assert report.text == sprinkled(ENGLISH * 2)


def test_without_the_second_reading_the_copy_passes(
        index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diacritics, "NOISY_SHARE", 2.0)  # never read twice
    assert index.scan_text(sprinkled(ENGLISH * 2)).verdict is Verdict.PASS


def test_an_accented_copy_is_found_as_written(index: Index) -> None:
    # Read twice (a French paragraph holds stretches of accented words); the reading as
    # written finds the French source whole, the folded one less: the first stands.
    assert noisy(FRENCH)
    report = index.scan_text(FRENCH * 2)
    assert report.verdict is Verdict.FAIL
    assert report.findings[0].source.path == "conseil.txt"
    assert report.findings[0].reproduced_words == len(tokenize(FRENCH * 2))
