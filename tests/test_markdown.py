"""Markdown read as rendered, offsets unchanged (checker.markdown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.markdown import JOINER, overrides_shown, rendered
from checker.readers import read_markdown, read_path
from checker.text import tokenize


@pytest.mark.parametrize("disguised", [
    "se**aw**all", "se*aw*all", "se***a***wall", "se`aw`all", "se``a``wall",
    "se<b></b>awall", "se<span class='x'>aw</span>all", "se<!-- x -->awall",
    "se<!--\nmulti\nline-->awall", "se&shy;awall", "se&#8203;awall", "se&#x200B;awall",
    "se&ZeroWidthSpace;awall", "se**&shy;**awall",
])
def test_markup_inside_a_word_is_read_as_the_word(disguised: str) -> None:
    text = f"The {disguised} vote."
    out = rendered(text)
    assert len(out) == len(text)
    assert tokenize(out).words == ["the", "seawall", "vote"]


def test_markup_around_words_and_visible_markup_are_kept() -> None:
    text = "**Seawall** vote: `x = 1`, snake_case_name, 2 * 3 and <b>bold</b> &amp; &bogus; done"
    out = rendered(text)
    assert len(out) == len(text)
    assert tokenize(out).words == [
        "seawall", "vote", "x", "1", "snake", "case", "name", "2", "3", "and", "b", "bold",
        "b", "bogus", "done"]
    assert out.startswith("**Seawall**")
    assert f"&{JOINER * 4}" in out  # &amp; is "&", padded to its length


def test_character_references_become_their_characters() -> None:
    assert rendered("caf&eacute; &copy; 2025") == f"café{JOINER * 7} ©{JOINER * 5} 2025"
    assert tokenize(rendered("caf&eacute;s")).words == ["cafés"]


def test_markdown_drafts_keep_their_offsets(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    source = "---\ntitle: T\n---\nThe se**aw**all vote\nwas de<i></i>layed.\n"
    path.write_text(source, encoding="utf-8")
    (doc,) = read_path(path).documents
    assert len(doc.text) == len(source)
    tok = tokenize(doc.text, doc.mask)
    assert tok.words == ["the", "seawall", "vote", "was", "delayed"]
    # Spans still point at the file's own characters.
    assert [source[s:e] for s, e in zip(tok.starts.tolist(), tok.ends.tolist(), strict=True)
            ][1:5:3] == ["se**aw**all", "de<i></i>layed"]


def test_hidden_elements_inside_and_between_words_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("The wa<span hidden>qz</span>ter ra<b style='display:none'>xy</b>tes "
                    "<span hidden>junk</span> rose.\n", encoding="utf-8")
    (doc,) = read_path(path).documents
    assert tokenize(doc.text, doc.mask).words == ["the", "water", "rates", "rose"]


RATES = "the council voted to raise the water rates by nine percent"


@pytest.mark.parametrize("element", [
    '<bdo dir="rtl">{}</bdo>',
    "<BDO DIR=RTL>{}</BDO>",
    '<p style="unicode-bidi: bidi-override; direction: rtl">{}</p>',
    "<span dir='rtl' style='unicode-bidi:isolate-override'>{}</span>",
])
def test_content_shown_right_to_left_reads_in_display_order(element: str) -> None:
    text = "Intro.\n\n" + element.format(RATES[::-1]) + "\n\nEnd."
    out = overrides_shown(text)
    assert len(out) == len(text)
    assert RATES in out


@pytest.mark.parametrize("element", ['<p dir="rtl">{}</p>', '<bdo dir="ltr">{}</bdo>',
                                     '<p style="unicode-bidi: bidi-override">{}</p>',
                                     '<bdo dir="rtl">{}'])  # never closed: as written
def test_other_elements_are_left_as_written(element: str) -> None:
    text = element.format(RATES)
    assert overrides_shown(text) == text


def test_tags_inside_an_override_stay_tags_in_the_mirrored_place() -> None:
    out = overrides_shown('<bdo dir="rtl">fe<b>dc</b> ba</bdo>')
    assert out == '<bdo dir="rtl">ab </b>cd<b>ef</bdo>'
    # Read as a Markdown draft: the tags masked, the in-word ones joining "cd" and "ef".
    (doc,) = read_markdown(Path("d.md"), "d.md", b'<bdo dir="rtl">fe<b>dc</b> ba</bdo>')
    assert tokenize(doc.text, doc.mask).words == ["ab", "cdef"]
