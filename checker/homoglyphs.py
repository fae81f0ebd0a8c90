"""Look-alike letters of other scripts inside Latin words, read as the Latin letters.

A draft can hide a copied article from matching by swapping some Latin letters for
look-alikes from other scripts ("sеаwаll" with a Cyrillic е and а): a reader sees
the article, a tokenizer sees other words. Unicode's confusables table (UTS #39,
as shipped by ``confusable-homoglyphs``) lists those look-alikes.

Only *mixed* words are mapped: a word with at least one ASCII letter and at least
one look-alike. A word wholly in another script ("сор" in a Russian article) is left
as it is, so Cyrillic or Greek text is matched exactly as before and an index built
before this module keeps its keys. An attacker who swaps every letter of a word
whose letters all have look-alikes ("а", "осе", all Cyrillic) still breaks those words;
the words around them carry the match (a fixture article with every a, e, o, c, p,
x, y, i, j and s swapped is still found whole).

Latin small capitals (``ᴛʜᴇ ᴄᴏᴜɴᴄɪʟ``, as "fancy text" generators write a whole
text) are read as their letters in every word: they are Latin letters no orthography
writes with, and NFKC leaves them as they are.

Compatibility: only words that mix ASCII letters with look-alikes, or hold small
capitals, are read differently. Real articles almost never hold such words, so an
index built before keeps its keys; a source that did hold one still aligns, since a
scan tokenizes both texts the same way.
"""

from __future__ import annotations

import functools
import re
import unicodedata


def _candidates() -> dict[str, set[str]]:
    """For each non-ASCII character, the ASCII letters and digits the table pairs
    it with (in either direction: the table lists both "а is like a" and "a is
    like ａ")."""
    from confusable_homoglyphs import confusables  # type: ignore[import-untyped]

    def ascii_alnum(c: str) -> bool:
        return len(c) == 1 and c.isascii() and c.isalnum()

    out: dict[str, set[str]] = {}
    data: dict[str, list[dict[str, str]]] = confusables.confusables_data
    for char, glyphs in data.items():
        for glyph in glyphs:
            other = glyph["c"]
            if len(char) == 1 and not char.isascii() and ascii_alnum(other):
                out.setdefault(char, set()).add(other)
            if ascii_alnum(char) and len(other) == 1 and not other.isascii():
                out.setdefault(other, set()).add(char)
    return out


@functools.cache
def table() -> dict[int, str]:
    """``str.translate`` table: each letter or digit of another script that looks
    like exactly one ASCII letter (or, lacking one, one digit), to that letter in
    lower case. Built once per process from the confusables data (~35 ms)."""
    out: dict[int, str] = {}
    for char, options in _candidates().items():
        if unicodedata.category(char)[0] not in "LN":
            continue
        letters = {c for c in options if c.isalpha()} or options
        cased = char.isupper() != char.islower()
        same_case = [c for c in letters if cased and c.isupper() == char.isupper()]
        picks = {c.casefold() for c in (same_case if len(same_case) == 1 else letters)}
        if len(picks) != 1:
            continue
        pick = picks.pop()
        # UTS #39 reads every I-like glyph as "l" (I, l and 1 look alike); a capital
        # look-alike stands for the capital I, which matching case-folds to "i".
        if pick == "l" and char.isupper():
            pick = "i"
        out[ord(char)] = pick
    return out


@functools.cache
def small_capitals() -> dict[int, str]:
    """``str.translate`` table: each Latin small capital of one letter (``ᴛʜᴇ``, as
    "fancy text" generators write) to that letter in lower case. No orthography writes
    with them (phonetics aside), so they are read as letters in every word; NFKC leaves
    them as they are."""
    out: dict[int, str] = {}
    for a, b in _SMALL_CAPITAL_BLOCKS:
        for code in range(a, b):
            m = _SMALL_CAPITAL_RE.fullmatch(unicodedata.name(chr(code), ""))
            if m:
                out[code] = m.group(1).lower()
    return out


_SMALL_CAPITAL_RE = re.compile(r"LATIN LETTER SMALL CAPITAL ([A-Z])")
# IPA Extensions, Phonetic Extensions, Latin Extended-D: where the small capitals are.
_SMALL_CAPITAL_BLOCKS = ((0x0250, 0x02B0), (0x1D00, 0x1DC0), (0xA720, 0xA800))


def latin(word: str) -> str:
    """``word`` with its Latin small capitals read as letters, then its look-alike
    letters read as Latin ones when it mixes them with ASCII letters; otherwise
    ``word`` unchanged. ``word`` is in NFKC (so full-width and mathematical letters are
    ASCII already)."""
    if word.isascii():
        return word
    word = word.translate(small_capitals())
    if word.isascii() or not any("a" <= c <= "z" or "A" <= c <= "Z" for c in word):
        return word
    tab = table()
    if not any(ord(c) in tab for c in word if not c.isascii()):
        return word
    return word.translate(tab)
