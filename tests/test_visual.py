"""Lines under explicit bidi controls read as shown (checker.visual)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.text import tokenize
from checker.visual import shown

RLO, LRO, PDF, RLE, RLI, PDI = "\u202e", "\u202d", "\u202c", "\u202b", "\u2067", "\u2069"


def test_a_line_under_an_override_reads_as_shown() -> None:
    line = "the water rates rise in june"
    hidden = RLO + line[::-1] + PDF
    out = shown(hidden)
    assert len(out) == len(hidden) and out.replace(RLO, "").replace(PDF, "") == line
    assert tokenize(hidden).words == tokenize(line).words


def test_only_lines_with_a_control_change_and_offsets_hold() -> None:
    text = f"plain first line\n{RLO}owt enil{PDF} tail\r\nlast line"
    out = shown(text)
    assert len(out) == len(text)
    assert out.splitlines()[0] == "plain first line" and out.splitlines()[2] == "last line"
    words = tokenize(text)
    assert words.words == ["plain", "first", "line", "line", "two", "tail", "last", "line"]
    # Every word's span is on its line of the file.
    lines = [(0, 16), (17, 17 + len(text.splitlines()[1]))]
    for start in words.starts[3:6].tolist():
        assert lines[1][0] <= start < lines[1][1]


def test_text_without_controls_is_untouched() -> None:
    for text in ("plain", "שלום עולם", "مرحبا بالعالم", "mixed שלום text", ""):
        assert shown(text) is text


def test_right_to_left_letters_keep_their_order_on_a_line_with_controls() -> None:
    # An embedding around a Latin word in a Hebrew line: the Hebrew word is still itself.
    text = f"שלום {RLE}world{PDF}"
    assert set(tokenize(text).words) == {"שלום", "world"}


def test_an_embedding_or_isolate_around_latin_text_shows_it_as_it_is() -> None:
    for wrap in ((RLE, PDF), (RLI, PDI)):
        text = f"the {wrap[0]}water rates{wrap[1]} rise"
        assert tokenize(text).words == ["the", "water", "rates", "rise"]


def test_nested_overrides() -> None:
    # An LTR override inside an RTL one: the inner run shows left to right, in place
    # of the outer run's reversed order.
    text = RLO + "c b " + LRO + "x y" + PDF + " a" + PDF
    assert tokenize(text).words == ["a", "x", "y", "b", "c"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n\r.\u05d0\u05d1" + RLO + LRO + PDF + RLE + RLI
                                            + PDI + "\u3164\u115f\u1160\u1100\u1161")),
               max_size=60))
def test_same_length_whatever_the_controls(text: str) -> None:
    out = shown(text)
    assert len(out) == len(text)
    assert "\u3164" not in out  # a filler that always shows as a blank
    tokenize(text)  # never fails


def test_a_hangul_filler_shows_as_a_space_and_a_line_under_an_override_still_turns() -> None:
    text = "sea\u3164wall " + RLO + "setar" + PDF + "\nx\uffa0y"
    assert shown(text) == "sea wall " + RLO + "rates" + PDF + "\nx y"


def test_long_line_under_override_is_linear() -> None:
    rng = random.Random(1)
    words = " ".join(rng.choice(["water", "rates", "council"]) for _ in range(200_000))
    assert tokenize(RLO + words[::-1]).words[:3] == tokenize(words).words[:3]


def test_a_line_python_bidi_cannot_read_is_left_as_it_is() -> None:
    text = f"{RLO}cba \ud800\nnext {RLO}fed"
    out = shown(text)
    assert out.split("\n")[0] == text.split("\n")[0] and len(out) == len(text)
    assert out.split("\n")[1].replace(RLO, "") == "next def"
