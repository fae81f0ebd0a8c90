"""Facts that need a passage's alignment: passages cut at the draft's quotes."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


WORDS = ("the", "minister", "said", "levy", "ships", "harbour", "we", "cannot", "pay")
MARKS = ('"', "\u201c", "\u201d", "'", '""', "\u2018", "\u2019")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS)), min_size=3,
                max_size=80),
       st.lists(st.sampled_from(WORDS), min_size=3, max_size=80), st.data())
def test_pieces_partition_their_passage_whatever_the_marks(draft_parts: list[str],
                                                          source_words: list[str],
                                                          data: st.DataObject) -> None:
    # Unbalanced, doubled and typographic marks anywhere: the pieces of a passage cover its
    # draft words exactly once, in order, and each keeps a source side inside its passage's.
    text = " ".join(draft_parts)
    dtok, stok = tokenize(text), tokenize(" ".join(source_words))
    if len(dtok) < 2:
        return
    ds = data.draw(st.integers(0, len(dtok) - 1))
    de = data.draw(st.integers(ds + 1, len(dtok)))
    ss = data.draw(st.integers(0, len(stok) - 1))
    se = data.draw(st.integers(ss + 1, len(stok)))
    a = Alignment(ds, de, ss, se, de - ds, 1.0)
    pieces = split_at_quotes((a,), dtok, stok, tuple(find_quotes(text)), 3)
    assert all(parent is a for _, parent in pieces)
    bounds = [(p.draft_start, p.draft_end) for p, _ in pieces]
    assert bounds[0][0] == ds and bounds[-1][1] == de
    assert all(s < e for s, e in bounds)
    assert all(e == s2 for (_, e), (s2, _) in itertools.pairwise(bounds))
    for p, _ in pieces:
        assert ss <= p.source_start <= p.source_end <= se and 0 <= p.similarity <= 1
