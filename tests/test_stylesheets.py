"""Classes and ids a draft's own style sheets hide (checker.stylesheets): junk letters
inside words are dropped, text between words is always read."""

from __future__ import annotations

import re
import time

import pytest

from checker.html import page_blocks
from checker.markdown import rendered
from checker.stylesheets import (
    UTILITY_CLASSES,
    Directions,
    Hiding,
    class_pattern,
    directions,
    generated_texts,
    hiding,
    style_texts,
)
from checker.text import tokenize


def test_rules_that_hide_give_their_selectors() -> None:
    h = hiding([".zq{display:none} #x1 { visibility : hidden !important } .show{display:block}"
                " span.k{font-size:0} .a .b{opacity:0} /* .c{display:none} */"])
    assert {"zq", "hidden", "d-none"} <= h.classes and "show" not in h.classes
    assert "c" not in h.classes  # a comment is no rule
    assert h.ids == {"x1"}
    # A rule's subject: the compound it styles.
    assert ("span", frozenset({"k"}), None) in h.subjects
    assert (None, frozenset({"b"}), None) in h.subjects  # ".a .b"
    assert (None, frozenset({"zq"}), None) in h.subjects


def test_conditional_rules_hide_but_print_only_ones_do_not() -> None:
    h = hiding(["@media screen and (min-width: 1px) { .m{display:none} }"
                "@supports (display:grid) { .s{display:none} }"
                "@media print { .p{display:none} }"])
    assert {"m", "s"} <= h.classes and "p" not in h.classes


@pytest.mark.parametrize("css", ["", "not css at all {{{", ".a{display:none", "@media {",
                                 ":hover{display:none}", "a::before{display:none}",
                                 "{display:none}", ".x:nth-child(2n+){display:none}"])
def test_broken_or_odd_style_sheets_are_read_without_error(css: str) -> None:
    assert hiding([css]).classes >= UTILITY_CLASSES


def test_style_text_read_is_bounded() -> None:
    texts = style_texts("<style>" + "a" * 2_000_000 + "</style><style>b</style>")
    assert sum(map(len, texts)) <= 500_000


def _words(html: str) -> list[str]:
    return [w for block in page_blocks(html) for w in tokenize(block).words]


def test_a_page_drops_hidden_junk_inside_words_only() -> None:
    page = ("<html><head><style>.zq{display:none} .a .b{visibility:hidden}"
            " @media print{.p{display:none}}</style></head><body><p>The coun<span class='zq'>"
            "qx</span>cil appro<b class='x sr-only'>jj</b>ved the wa<span class='p'>kk</span>"
            "ter plan <span class='a'>an<i class='b'>yy</i>d</span> a <span class='zq'>whole"
            " phrase</span> stays</p></body></html>")
    assert _words(page) == ["the", "council", "approved", "the", "wakkter", "plan", "and", "a",
                            "whole", "phrase", "stays"]


def test_markdown_drops_hidden_junk_inside_words_only() -> None:
    text = ("<style>.zq{display:none} #j{display:none}</style>\n\nThe coun<span class=\"zq\">"
            "qx</span>cil appro<span class='hidden'>jj</span>ved the wa<em id='j'>kk</em>ter"
            " plan, a <span class='zq'>whole phrase</span> stays.")
    out = rendered(text)
    assert len(out) == len(text)
    words = tokenize(out).words
    assert words[words.index("the"):] == ["the", "council", "approved", "the", "water", "plan",
                                          "a", "span", "class", "zq", "whole", "phrase", "span",
                                          "stays"]


def test_a_subject_with_a_tag_or_several_classes_matches_only_those() -> None:
    page = ("<html><head><style>span.k{display:none} .m.n{display:none} i{display:none}"
            " .menu span{display:none}</style></head><body><p>wa<span class='k'>qz</span>ter"
            " ra<b class='k'>xx</b>tes ri<b class='m'>yy</b>se ju<b class='m n'>ww</b>ne"
            " ci<i>vv</i>ty re<span>po</span>rt</p></body></html>")
    assert _words(page) == ["water", "raxxtes", "riyyse", "june", "city", "report"]


def test_many_rules_and_elements_cost_linear_time() -> None:
    def cost(n: int) -> float:
        css = "".join(f".a{i} .b{i}{{display:none}} p span.c{i}{{opacity:0}}" for i in range(n))
        page = (f"<html><head><style>{css}</style></head><body><p>"
                + "wa<span class='x b3'>q</span>ter " * (10 * n) + "</p></body></html>")
        started = time.process_time()
        page_blocks(page)
        return time.process_time() - started

    small, big = cost(200), cost(1600)  # 8x the rules and 8x the elements
    assert big < 30 * max(small, 0.01)  # quadratic would be 64x


def test_a_class_is_matched_as_a_whole_token() -> None:
    pat = re.compile(class_pattern(Hiding()))
    assert pat.fullmatch("<span class='x hidden'>q</span>")
    assert not pat.fullmatch("<span class='not-hidden'>q</span>")
    assert not pat.fullmatch("<span class='hiddenish'>q</span>")


@pytest.mark.parametrize("make", [
    lambda n: "wa<span class='hidden'>" * n,
    lambda n: "wa<span" + " class='x y'" * n + ">qz</span>ter",
    lambda n: "<style>.c{display:none}</style>" + "wa<span class=c>q</span>ter " * n,
    lambda n: "<style>a" * n + " wa<span class=c>q</span>ter",
])
def test_hostile_markup_costs_linear_time(make: object) -> None:
    def cost(n: int) -> float:
        text = make(n)  # type: ignore[operator]
        started = time.process_time()
        rendered(text)
        page_blocks("<html><body><p>" + text + "</p></body></html>")
        return time.process_time() - started

    # Ratios of CPU time on the same machine, not a wall-clock bound: 8x the input must
    # not cost 30x (quadratic would be 64x).
    small, big = cost(4000), cost(32000)
    assert big < 30 * max(small, 0.01)


def test_a_block_between_words_is_no_junk_inside_a_word() -> None:
    # A menu hidden by a class between two links: blocks end words, so it is kept (a
    # scan cannot tell whether the site shows it).
    page = ("<html><body><nav><a>News</a><ul class='hidden'><li>Local politics</li></ul>"
            "<a>Sport</a></nav><p>wa<!-- c --><span class='hidden'>qz</span>ter</p>"
            "<p>ra<br><span class='hidden'>qz</span>tes</p></body></html>")
    words = _words(page)
    assert "politics" in words and "water" in words
    assert "qztes" in words  # after a line break: not inside a word, so read


def test_directions_read_override_and_right_to_left_rules_by_their_subjects() -> None:
    found = directions([".a, span.b { unicode-bidi: bidi-override } #c { direction: rtl }"
                        " .d { direction: ltr } @media print { .e { direction: rtl } }"
                        " .f { unicode-bidi: bidi-override; direction: rtl }"])
    assert set(found.overriding) == {(None, frozenset({"a"}), None),
                                     ("span", frozenset({"b"}), None),
                                     (None, frozenset({"f"}), None)}
    assert set(found.rtl) == {(None, frozenset(), "c"), (None, frozenset({"f"}), None)}
    assert directions([".a { direction: rtl }"]) == Directions()  # no override: nothing


def test_generated_text_of_before_and_after_rules_is_read() -> None:
    sheet = ('p.a::before { content: "the council voted to raise " "the water rates"; }'
             " .b:after { content: 'by nine percent' } .c { content: 'not generated' }"
             ' @media screen { #d::after { content: "next year" } }'
             ' @media print { .e::after { content: "print only" } }'
             ' .f::before { content: counter(x) ". " } .g::after { content: "" }')
    assert generated_texts([sheet]) == ["the council voted to raise the water rates",
                                        "by nine percent", "next year", ". "]
    page = f"<style>{sheet}</style><p class=a>Own text here.</p>"
    assert "the council voted to raise the water rates" in page_blocks(page)


def test_a_hiding_rule_after_thousands_of_others_is_read() -> None:
    framework = "".join(f".u{i} {{ margin: {i}px }}" for i in range(3000))
    assert (None, frozenset({"zq"}), None) in hiding([framework + ".zq { display: none }"]).subjects
