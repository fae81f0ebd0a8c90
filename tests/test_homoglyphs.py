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
