"""Does a draft credit a source? Publisher, title or URL, outside the reused text.

A CC BY licence asks for credit. The credit must stand in the draft's own
text, outside the reproduced passages: an article that itself says "told
BBC News" does not credit BBC News when it is copied whole. Names are
compared case- and punctuation-insensitively, with and without a leading
"The" and trailing company forms ("Inc", "LLC", "Media Group", ...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from .store import DocumentRecord

_NON_WORD_RE = re.compile(r"[\W_]+")
_NON_SPACE_RE = re.compile(r"\S")
_COMPANY_RE = re.compile(
    r"(?:\s+(?:inc|incorporated|llc|l\s?l\s?c|ltd|limited|plc|corp|corporation|co|company|gmbh"
    r"|sa|ag|media|group|holdings|publishing|news\s*media|newspapers?))+$"
)
# Names this short or common would credit everything ("AP" is fine as a word,
# but "News" alone is not a credit).
_MIN_NAME_CHARS = 2
_GENERIC = {"news", "the news", "staff", "the", "wire", "media", "press", "editor", "admin"}


def normalized(text: str) -> str:
    """``text`` case-folded, every run of non-word characters one space, with a space at
    each end: a name or phrase is then a whole-word match of ``f" {phrase} "``."""
    return " " + _NON_WORD_RE.sub(" ", text.casefold()).strip() + " "


def name_variants(name: str) -> list[str]:
    """Normalised forms of a publisher or holder name that count as naming it."""
    return list(_variants(name))


@functools.lru_cache(maxsize=4096)
def _variants(name: str) -> tuple[str, ...]:
    # Cached: a scan asks for the same few publishers' names for every finding.
    base = normalized(name).strip()
    if not base:
        return ()
    forms = {base}
    no_the = re.sub(r"^the\s+", "", base)
    forms.add(no_the)
    for f in list(forms):
        stripped = _COMPANY_RE.sub("", f).strip()
        if stripped:
            forms.add(stripped)
    return tuple(sorted(f for f in forms if len(f) >= _MIN_NAME_CHARS and f not in _GENERIC))


def mentions(text: str, name: str) -> bool:
    """True when ``text`` names ``name`` (any variant), as whole words."""
    return mentions_in(normalized(text), name)


def mentions_in(hay: str, name: str) -> bool:
    """:func:`mentions` of a text already normalised (:func:`normalized`)."""
    return any(f" {v} " in hay for v in _variants(name))


def _url_forms(url: str) -> list[str]:
    if not url.strip():
        return []
    parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    forms = []
    if host:
        forms.append((host + path).casefold())
        # The site's address credits its publisher too ("via harbortimes.example").
        if "." in host:
            forms.append(host.casefold())
    return forms


def outside(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the character ``spans`` blanked out (offsets kept): every character
    in a span that is not whitespace (``str.isspace``, as ``\\s`` matches) becomes a space."""
    n = len(text)
    merged: list[list[int]] = []
    for s, e in sorted((max(0, s), min(n, e)) for s, e in spans):
        if s >= e:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    parts, at = [], 0
    for s, e in merged:
        parts += [text[at:s], _NON_SPACE_RE.sub(" ", text[s:e])]
        at = e
    parts.append(text[at:])
    return "".join(parts)


def credit_names(rec: DocumentRecord) -> list[str]:
    """The names that credit a source: its publisher and copyright holder."""
    return [n for n in dict.fromkeys((rec.publisher, rec.holder)) if n]


def find_credit(draft_text: str, rec: DocumentRecord,
                reproduced: Sequence[tuple[int, int]]) -> str:
    """How the draft credits ``rec`` outside the ``reproduced`` spans.

    Returns:
        what was found ("publisher Open Science Wire", "title", "URL ..."), or
        "" when the draft does not credit the source.
    """
    names = credit_names(rec)
    title = normalized(rec.title).strip()
    forms = _url_forms(rec.url)
    if not _may_credit(_folded(draft_text), names, title, forms):
        return ""
    rest = outside(draft_text, reproduced)
    hay = normalized(rest)
    for name in names:
        if mentions_in(hay, name):
            return f"publisher {name}"
    if len(title.split()) >= 3 and f" {title} " in hay:
        return "title"
    low = rest.casefold()
    for form in forms:
        if form in low:
            return f"URL {form}"
    return ""


@functools.lru_cache(maxsize=1)
def _folded(text: str) -> str:
    # One draft's findings are judged in turn: its case-folded text is made once.
    return text.casefold()


def _may_credit(folded: str, names: list[str], title: str, forms: list[str]) -> bool:
    """False when the draft (case-folded) cannot credit the source outside any spans, so
    the spans need not be blanked nor the rest normalised (a finding's most costly step).

    Blanking a span turns its characters into spaces, which only cut words: every word
    of the blanked text's normal form (:func:`normalized`) is a piece of the folded draft
    between two blanked characters, so a name variant or a title of 3+ words can match
    only when each of its words stands in the folded draft; a URL form with no space can
    match only when it stands there whole."""
    for name in names:
        if any(all(w in folded for w in v.split()) for v in _variants(name)):
            return True
    if len(title.split()) >= 3 and all(w in folded for w in title.split()):
        return True
    return any(" " in form or form in folded for form in forms)
