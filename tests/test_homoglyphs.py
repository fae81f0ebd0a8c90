"""Look-alike letters of other scripts read as Latin (checker.homoglyphs)."""

from __future__ import annotations

import unicodedata

from checker import homoglyphs


def test_table_maps_look_alike_letters_to_lower_case_ascii() -> None:
    table = homoglyphs.table()
    assert len(table) > 500
    for code, letter in table.items():
        char = chr(code)
        assert not char.isascii()
        assert unicodedata.category(char)[0] in "LN", char
        assert len(letter) == 1 and letter.isascii() and letter.isalnum()
        assert letter == letter.casefold()
    # Cyrillic and Greek letters an attacker swaps in for Latin ones.
    expected = {"\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0441": "c", "\u0440": "p",
                "\u0445": "x", "\u0443": "y", "\u0455": "s", "\u0456": "i", "\u0458": "j",
                "\u0410": "a", "\u041d": "h", "\u0422": "t", "\u03bf": "o", "\u039f": "o",
                "\u03a1": "p", "\u0399": "i", "\u0406": "i"}
    assert {c: table[ord(c)] for c in expected} == expected


def test_only_words_mixing_ascii_letters_with_look_alikes_change() -> None:
    assert homoglyphs.latin("s\u0435\u0430wall") == "seawall"
    assert homoglyphs.latin("\u0421opy") == "copy"
    for word in ("seawall", "\u0441\u043e\u0440", "\u03bf\u03c1\u03bf\u03c2", "caf\u00e9",
                 "na\u00efve", "12\u0430", ""):
        assert homoglyphs.latin(word) == word


def test_small_capitals_are_read_as_letters_in_every_word() -> None:
    table = homoglyphs.small_capitals()
    assert {table[ord(c)] for c in "\u1d00\u0299\u1d04\u1d05\u1d07\ua730\u0262\u029c\u026a"
            "\u1d0a\u1d0b\u029f\u1d0d\u0274\u1d0f\u1d18\ua7af\u0280\ua731\u1d1b\u1d1c"
            "\u1d20\u1d21\u028f\u1d22"} == set("abcdefghijklmnopqrstuvwyz")
    assert homoglyphs.latin("\u1d1b\u029c\u1d07") == "the"  # no ASCII letter: still read
    assert homoglyphs.latin("\u1d04\u043e\u1d18") == "cop"  # then mixed: look-alikes too
    assert homoglyphs.latin("\u0441\u043e\u0440") == "\u0441\u043e\u0440"  # Cyrillic: as it is
