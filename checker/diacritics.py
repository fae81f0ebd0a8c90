"""Drafts sprinkled with diacritics: a second reading without them.

A copied article with a mark added to a letter of every word ("tḥe cọuncil vọted",
dots below; or strokes, tildes, acute accents) still reads as the article, but every
word is another word to matching, which keeps accents: "résumé" is not "resume", and
an index built from French or German text holds their accents. Reading every draft
without marks would make an index built before unusable for accented text; reading
none lets such a copy pass.

So a draft with a stretch of words that carry marks on Latin letters unusually often
(:func:`noisy`: :data:`NOISY_SHARE` of :data:`WINDOW_WORDS` words in a row: a pasted
paragraph is marked, not the draft's own text) is scanned twice, as written and as
:func:`folded`, and the reading with the worse verdict stands
(:func:`checker.scan.scan_document`). Languages written with a mark on most words
(Vietnamese) are read twice as well; the reading as written is always one of the two,
so their matching is what it was.

:func:`folded` has the text's length: a precomposed letter becomes its Latin base
letter, and a combining mark after a Latin letter a WORD JOINER (invisible to
matching, :data:`checker.text.IGNORABLE`), so every offset points into the draft.
"""

from __future__ import annotations

import functools
import re
import unicodedata

JOINER = "\u2060"

#: Share of :data:`WINDOW_WORDS` words in a row (of two letters or more) with a mark on
#: a Latin letter from which a draft is read a second time without marks. Below it, a
#: copy keeps enough unmarked words to be found as written (measured: a 60-word
#: paragraph with marks on 3 words in 10 was found 29 times in 30, on half 23).
NOISY_SHARE = 0.3
#: Words in a row over which the share is read (about a paragraph).
WINDOW_WORDS = 20

# The combining diacritical marks (U+0300-U+036F and their extensions and supplement).
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARK_AFTER_LATIN_RE = re.compile(f"(?<=[A-Za-z])[{_MARKS}]+")
# A word: letters, with the marks that follow them.
_WORD_RE = re.compile(f"(?:[^\\W\\d_][{_MARKS}]*){{2,}}")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=8192)
def _base(c: str) -> str | None:
    """The Latin base letter of a precomposed letter with marks (``ḥ`` -> ``h``), or
    None."""
    d = unicodedata.normalize("NFD", c)
    if len(d) > 1 and d[0].isascii() and d[0].isalpha() \
            and all(unicodedata.category(x) == "Mn" for x in d[1:]):
        return d[0]
    return None


def _marked(word: str) -> bool:
    return any(not c.isascii() and _base(c) is not None for c in word) \
        or _MARK_AFTER_LATIN_RE.search(word) is not None


def noisy(text: str) -> bool:
    """Whether, in some :data:`WINDOW_WORDS` words in a row (all of them, in a shorter
    text), :data:`NOISY_SHARE` or more have a mark on a Latin letter. Read word by word,
    it stops at the first such stretch."""
    if text.isascii():
        return False
    need = NOISY_SHARE * WINDOW_WORDS
    flags: list[bool] = []
    run = 0
    for m in _WORD_RE.finditer(text):
        w = m.group()
        flag = not w.isascii() and _marked(w)
        flags.append(flag)
        run += flag
        if len(flags) > WINDOW_WORDS:
            run -= flags[-WINDOW_WORDS - 1]
        if len(flags) >= WINDOW_WORDS and run >= need:
            return True
        if len(flags) > 4 * WINDOW_WORDS:
            del flags[:-WINDOW_WORDS]  # what the window still needs
    n = len(flags)
    return 2 <= n < WINDOW_WORDS and run >= NOISY_SHARE * n


def folded(text: str) -> str:
    """``text`` without marks on Latin letters, same length (see the module's
    docstring)."""
    table = {ord(c): base for c in set(_NON_ASCII_RE.findall(text))
             if (base := _base(c)) is not None}
    if table:
        text = text.translate(table)
    return _MARK_AFTER_LATIN_RE.sub(lambda m: JOINER * len(m.group()), text)
