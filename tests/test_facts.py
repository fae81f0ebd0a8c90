"""Facts that need a passage's alignment: passages cut at the draft's quotes."""

from __future__ import annotations

from checker.facts import rejoined, split_at_quotes
from checker.matching import Alignment
from checker.quotes import find_quotes
from checker.text import Tokens, tokenize

SOURCE = ("Fire crews were called to the Canal Street depot at about 10.40pm on Friday. "
          "Police said: \"We are treating the fire as suspicious and would like to hear from "
          "anyone who was in the area that night.\" The depot has been closed since.")


def _whole(draft: str) -> tuple[Alignment, Tokens, Tokens]:
    dtok, stok = tokenize(draft), tokenize(SOURCE)
    n = min(len(dtok), len(stok))
    return Alignment(0, n, 0, n, n, 1.0), dtok, stok


def test_a_passage_running_into_a_quote_is_cut_at_its_marks() -> None:
    a, dtok, stok = _whole(SOURCE)
    pieces = split_at_quotes((a,), dtok, stok, tuple(find_quotes(SOURCE)), 8)
    texts = [" ".join(dtok.words[p.draft_start:p.draft_end]) for p, _ in pieces]
    assert texts[0].startswith("fire crews") and texts[0].endswith("police said")
    assert texts[1].startswith("we are treating")
    assert texts[1].endswith("the depot has been closed since")
    assert all(parent == a for _, parent in pieces)
    # Each piece keeps its own source side, measured again.
    assert [(p.source_start, p.source_end, p.similarity) for p, _ in pieces] \
        == [(p.draft_start, p.draft_end, 1.0) for p, _ in pieces]


def test_a_quote_with_only_a_few_words_around_it_stays_whole() -> None:
    text = "Police said: \"We are treating the fire as suspicious and would like to hear.\""
    dtok = tokenize(text)
    a = Alignment(0, len(dtok), 0, len(dtok), len(dtok), 1.0)
    ((piece, parent),) = split_at_quotes((a,), dtok, dtok, tuple(find_quotes(text)), 8)
    assert piece == parent == a


def test_passages_without_quotes_are_kept() -> None:
    a, dtok, stok = _whole(SOURCE)
    assert split_at_quotes((a,), dtok, stok, (), 8) == [(a, a)]


def test_a_cut_quote_that_counts_rejoins_its_passage() -> None:
    a, dtok, stok = _whole(SOURCE)
    pieces = split_at_quotes((a,), dtok, stok, tuple(find_quotes(SOURCE)), 8)
    quoted = [False, True]
    assert rejoined(pieces, quoted, ["", "quotation"]) == pieces
    assert rejoined(pieces, quoted, ["", "public-speech"]) == pieces
    # Counted, or exempt for another reason: the passage is judged whole.
    assert rejoined(pieces, quoted, ["", ""]) == [(a, a)]
    assert rejoined(pieces, quoted, ["common-phrasing", "common-phrasing"]) == [(a, a)]
