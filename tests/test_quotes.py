"""Quoted spans of a draft: every quote style, nesting, unbalanced marks, attribution."""

from __future__ import annotations

import pytest

from checker.html import extract_html
from checker.quotes import Quote, find_quotes, is_attribution, quote_at

QUOTED = "the ferry will run twice a day until the new crew is trained"


def only(text: str) -> Quote:
    quotes = find_quotes(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.parametrize(("opening", "closing"), [
    ('"', '"'), ("\u201c", "\u201d"), ("\u2018", "\u2019"), ("\u201e", "\u201c"),
    ("\u201e", "\u201d"), ("\u00ab", "\u00bb"), ("\u00ab ", " \u00bb"), ("\u2039", "\u203a"),
])
def test_each_quote_style(opening: str, closing: str) -> None:
    text = f"Residents were told: {opening}{QUOTED}{closing}, the manager said on Monday."
    q = only(text)
    assert text[q.start:q.end].strip() == QUOTED
    assert q.words == 13 and q.kind == "marks" and q.attributed


@pytest.mark.parametrize("cue", ["said", "told reporters", "reported", "according to the memo",
                                 "wrote", "says"])
def test_attribution_cue_after_the_quote(cue: str) -> None:
    assert only(f"\u201c{QUOTED},\u201d the manager {cue}.").attributed


def test_attribution_cue_in_the_next_sentence() -> None:
    q = only(f"\u201c{QUOTED}.\u201d That was what the manager said on Monday.")
    assert q.attributed


def test_attribution_two_sentences_later_does_not_count() -> None:
    q = only(f"\u201c{QUOTED}.\u201d Nobody argued. The room was cold. The manager said so.")
    assert not q.attributed


def test_attribution_before_the_quote_in_the_same_sentence() -> None:
    assert only(f"As the Harbor Times reported last week: \u201c{QUOTED}.\u201d").attributed


def test_unattributed_quote() -> None:
    q = only(f"The notice on the door was short. \u201c{QUOTED}.\u201d Nobody argued.")
    assert not q.attributed


def test_attribution_by_source_name() -> None:
    text = f"The notice on the door was short: \u201c{QUOTED}\u201d (Harbor Times)."
    assert not find_quotes(text)[0].attributed
    assert find_quotes(text, names=["The Harbor Times"])[0].attributed
    assert is_attribution("via harbor times", ["The Harbor Times"])


def test_apostrophes_are_not_quotes() -> None:
    text = "The crew\u2019s rota isn\u2019t fair, and the players\u2019 union agrees. It's late."
    assert find_quotes(text) == []


def test_nested_quote_is_a_quote_of_its_own_inside_the_outer_one() -> None:
    text = f"\u201cHe told us \u2018{QUOTED}\u2019 and left,\u201d she said."
    outer, inner = find_quotes(text)
    assert text[outer.start:outer.end].startswith("He told us") and outer.attributed
    assert text[inner.start:inner.end] == QUOTED and inner.words == 13
    # A passage of the inner quote is held by the inner quote, not the longer outer one.
    assert quote_at([outer, inner], inner.start, inner.end) == inner
    assert quote_at([outer, inner], outer.start, outer.end) == outer


def test_a_speaker_quoting_a_source_inside_straight_quotes() -> None:
    text = (f'"There is no hurry. According to the Courier, \u201c{QUOTED}.\u201d '
            'It is a purely technical matter," he added.')
    outer, inner = find_quotes(text)
    assert text[inner.start:inner.end] == QUOTED + "."
    assert outer.start < inner.start and inner.end < outer.end and inner.attributed


def test_quote_left_open_runs_to_the_end_of_its_paragraph_only() -> None:
    text = (f"The steward spoke first. \u201c{QUOTED}\n\n"
            "\u201cAnd we will be back on the twenty-sixth,\u201d he said.\n\n"
            "The talks resume on Friday.")
    quotes = find_quotes(text)
    assert len(quotes) == 2
    first = quotes[0]
    assert text[first.start:first.end] == QUOTED
    assert first.attributed  # the next sentence, in the next paragraph, says "he said"
    assert "Friday" not in text[quotes[1].start:quotes[1].end]


def test_odd_straight_quote_does_not_swallow_the_draft() -> None:
    text = f'He said "{QUOTED}\n\nA new paragraph with more words.'
    q = only(text)
    assert "new paragraph" not in text[q.start:q.end]


def test_a_straight_quote_that_can_only_close_ends_a_quote_opened_at_the_paragraph() -> None:
    # Wire copy loses the opening mark at a paragraph's start: `... sales," he said`.
    text = f'Sales rose.\n\n{QUOTED}," the manager said. Shares fell 3 pct in late trading.'
    q = only(text)
    assert text[q.start:q.end] == QUOTED + "," and q.attributed


def test_a_lost_opening_mark_inside_a_curly_quote_stays_nested() -> None:
    # A writer quoting such a sentence: the stray mark no longer swallows the paragraph.
    text = (f'Results follow.\n\n\u201c{QUOTED}," the manager said,\u201d the agency '
            "reported. Group pensions 10.5 mln vs 10.6 mln.")
    inner = min(find_quotes(text), key=lambda q: q.words)
    assert text[inner.start:inner.end] == QUOTED + ","
    assert all("pensions" not in text[q.start:q.end] for q in find_quotes(text))


def test_markdown_block_quote() -> None:
    text = (f"The memo was blunt. As the Harbor Times reported:\n\n> {QUOTED}.\n> Second line "
            "of the same quote.\n\nAfterwards the room was quiet.")
    q = only(text)
    assert q.kind == "block" and q.words == 19 and q.attributed


def test_markdown_block_quote_without_lead_in_is_unattributed() -> None:
    text = f"The memo was blunt.\n\n> {QUOTED}.\n\nAfterwards the room was quiet."
    assert not only(text).attributed


def test_html_blockquote_and_q_in_markup() -> None:
    text = (f"<p>Intro.</p>\n<blockquote>{QUOTED}</blockquote>\n<p>She said: <q>short one</q> "
            "and left.</p>")
    kinds = [(q.kind, text[q.start:q.end]) for q in find_quotes(text)]
    assert ("block", QUOTED) in kinds and ("block", "short one") in kinds


def test_html_page_quotes_survive_extraction() -> None:
    filler = "More words follow here so that the extractor keeps this paragraph as content. " * 2
    html = (f"<html><body><article><h1>Title</h1><p>{filler}</p>"
            f"<blockquote><p>{QUOTED}</p></blockquote>"
            f"<p>The manager said <q>we are done</q> at the meeting. {filler}</p>"
            "</article></body></html>")
    text = extract_html(html).text
    quoted = [text[q.start:q.end] for q in find_quotes(text)]
    assert QUOTED in quoted and "we are done" in quoted


def test_quote_at_needs_most_of_the_span_inside() -> None:
    text = f"Intro words here. \u201c{QUOTED}\u201d Outro words follow."
    q = only(text)
    assert quote_at([q], q.start, q.end) == q
    assert quote_at([q], 0, len(text)) is None


def test_quote_words_are_counted_as_a_writer_counts_them() -> None:
    from checker.quotes import count_words

    assert count_words("B.C. Resources sold 1-1/4 pct of its rest-day stake \u2014 fast.") == 10
    q = only("\u201cB.C. Resources sold 1-1/4 pct,\u201d he said.")
    assert q.words == 5


def test_untangle_equals_its_pairwise_definition() -> None:
    # _untangle compares a span only with the spans still open at its start; the
    # definition compares it with every span kept so far.
    import random

    from checker.quotes import _untangle

    def reference(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for s, e in sorted(spans, key=lambda se: (se[0], -se[1])):
            if e <= s or (s, e) in out:
                continue
            crossing = [k for k, (os_, oe) in enumerate(out) if os_ < s < oe < e]
            if crossing:
                out[crossing[0]] = (out[crossing[0]][0], e)
                continue
            out.append((s, e))
        return out

    rng = random.Random(5)
    for _ in range(3000):
        n = rng.randrange(0, 12)
        spans = [(a, a + rng.randrange(-2, 15)) for a in (rng.randrange(0, 30) for _ in range(n))]
        assert _untangle(spans) == reference(spans), spans


def test_is_attribution_equals_the_cue_regex() -> None:
    import random
    import re

    from checker.quotes import CUES

    cue_re = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in CUES) + r")\b", re.IGNORECASE)
    pieces = [*CUES, "SAID", "Told", "unsaid", "saidx", "according", "to", "in a", "statement",
              "  ", " ", ",", ".", "\n", "\u201c", "x", "Harbor", "caf\u00e9"]
    rng = random.Random(3)
    for _ in range(3000):
        context = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
        assert is_attribution(context) == bool(cue_re.search(context)), context


def test_a_draft_of_thousands_of_unclosed_quotes_reads_only_bounded_contexts() -> None:
    from checker.quotes import CONTEXT_CHARS

    text = '"a" ' * 20_000 + "he said."
    quotes = find_quotes(text)
    assert len(quotes) == 20_000
    # No sentence end for 80,000 characters: each context stops at CONTEXT_CHARS a side.
    assert max(len(q.context) for q in quotes) <= 2 * CONTEXT_CHARS + 3
    assert quotes[-1].attributed and not quotes[0].attributed


def test_html_quotes_never_run_past_the_next_opening_of_their_kind() -> None:
    text = "<q>a <q>inner</q> b</q> <blockquote>x</blockquote> <q>never closed " * 3
    spans = [text[q.start:q.end] for q in find_quotes(text) if q.kind == "block"]
    assert spans == ["inner", "x"] * 3
