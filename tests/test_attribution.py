"""Credit detection: publisher, title or URL of the source, outside the reused text."""

from __future__ import annotations

import pytest

from checker.attribution import find_credit, mentions, name_variants, outside
from checker.store import DocumentRecord


def record(publisher: str = "Open Science Wire", holder: str = "", title: str = "",
           url: str = "") -> DocumentRecord:
    return DocumentRecord(
        id="x", key="a.md", title=title, publisher=publisher, license="CC-BY-4.0", notice="",
        holder=holder, years="", url=url, date="", content_hash="", added="", words=0,
        passages=0, mask=())


def test_name_variants_drop_the_and_company_forms() -> None:
    v = name_variants("The Lakeside Ledger Media LLC")
    assert "the lakeside ledger media llc" in v and "lakeside ledger" in v


@pytest.mark.parametrize("text", [
    "Source: OPEN SCIENCE WIRE.", "(open-science wire)", "via Open Science Wire's site",
])
def test_mentions_is_case_and_punctuation_insensitive(text: str) -> None:
    assert mentions(text, "Open Science Wire")


def test_mentions_needs_whole_words() -> None:
    assert not mentions("the Open Science Wireless project", "Open Science Wire")
    assert not mentions("news of the day", "News")


def test_credit_by_publisher_title_or_url() -> None:
    rec = record(title="Fungal partners help wheat", url="https://openscience-wire.example/a/b")
    assert find_credit("Credit: Open Science Wire.", rec, []) == "publisher Open Science Wire"
    titled = record(publisher="", title="Fungal partners help wheat")
    assert find_credit('From "Fungal Partners Help Wheat!"', titled, []) == "title"
    linked = record(publisher="", url="https://www.openscience-wire.example/a/b/")
    assert find_credit("see openscience-wire.example/a/b", linked, []).startswith("URL")
    assert find_credit("nothing here", rec, []) == ""


def test_credit_by_holder() -> None:
    rec = record(publisher="Harbor Times Briefs", holder="The Harbor Times")
    assert find_credit("The Harbor Times reported it first.", rec, [])


def test_credit_inside_the_reproduced_text_does_not_count() -> None:
    copied = "An hour matters, the engineer told Lanternfish Daily at the slip."
    draft = f"Intro of my own.\n\n{copied}\n\nOutro of my own."
    start = draft.index(copied)
    rec = record(publisher="Lanternfish Daily")
    assert find_credit(draft, rec, [(start, start + len(copied))]) == ""
    assert find_credit(draft + " (Lanternfish Daily)", rec, [(start, start + len(copied))])


def test_outside_keeps_offsets() -> None:
    assert outside("abc def ghi", [(4, 7)]) == "abc     ghi"


def test_outside_blanks_as_the_character_loop_did() -> None:
    """``outside`` (slices and a regex) equals blanking character by character, for
    overlapping, unsorted, empty and out-of-range spans and every kind of whitespace."""
    import random

    from checker.attribution import outside

    def reference(text: str, spans: list[tuple[int, int]]) -> str:
        chars = list(text)
        for s, e in spans:
            for i in range(max(0, s), min(len(chars), e)):
                if not chars[i].isspace():
                    chars[i] = " "
        return "".join(chars)

    rng = random.Random(7)
    alphabet = "ab \t\n\u00a0\u2003\u200bx\u0301.\u3000\x1c\x85é"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        spans = [(rng.randrange(-3, 45), rng.randrange(-3, 45)) for _ in range(rng.randrange(4))]
        assert outside(text, spans) == reference(text, spans)


def test_find_credit_same_as_blanking_and_searching_everything() -> None:
    """The shortcut that skips drafts which cannot name a source gives what the full
    search gives: names, titles and URLs, inside and outside passages, any case."""
    import random

    from checker.attribution import (
        _url_forms,
        credit_names,
        find_credit,
        mentions_in,
        normalized,
        outside,
    )

    def reference(text: str, rec: DocumentRecord, spans: list[tuple[int, int]]) -> str:
        rest = outside(text, spans)
        hay = normalized(rest)
        for name in credit_names(rec):
            if mentions_in(hay, name):
                return f"publisher {name}"
        title = normalized(rec.title).strip()
        if len(title.split()) >= 3 and f" {title} " in hay:
            return "title"
        for form in _url_forms(rec.url):
            if form in rest.casefold():
                return f"URL {form}"
        return ""

    rng = random.Random(5)
    words = ["the", "harbor", "times", "inc", "STRASSE", "straße", "news", "said", "x_y",
             "harbortimes.example/a", "wire", "Open", "Science", "\u0130stanbul", "gulf"]
    for n in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(0, 30)))
        rec = record(publisher=rng.choice(["The Harbor Times Inc", "Open Science Wire", ""]),
                     holder=rng.choice(["", "Gulf News Media", "strasse"]),
                     title=rng.choice(["", "harbor times said", "Straße news wire gulf"]),
                     url=rng.choice(["", "https://www.harbortimes.example/a", "x y.example"]))
        spans = [tuple(sorted((rng.randrange(len(text) + 1), rng.randrange(len(text) + 1))))
                 for _ in range(rng.randrange(3))]
        assert find_credit(text, rec, spans) == reference(text, rec, spans), n
