"""Copyright notices and licence statements in article text.

Finds the notice lines of an article (``©``, ``(c)``, ``Copyright``, "All
rights reserved", "Do not reproduce ... without permission", Creative
Commons names and URLs, CC0, "public domain") and turns them into a
:class:`Rights` record: holder, years, an SPDX licence id and the notice
text. Notice lines are masked out of the indexed text, so a shared footer
never makes two articles match.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

ALL_RIGHTS_RESERVED = "LicenseRef-All-Rights-Reserved"
UNKNOWN = "LicenseRef-Unknown"
PUBLIC_DOMAIN = "LicenseRef-Public-Domain"

_CC_PARTS = r"(?:by(?:[- ](?:nc|nd|sa)){0,2})"
_VERSION = r"([1-4]\.[05])"

_YEARS = r"(?:1[89]|20)\d\d(?:\s*(?:[-–—,/]|and|to)\s*(?:(?:1[89]|20)\d\d|\d\d)(?!\d))*"
_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|&copy;|\bcopyright\b|\bcopr\.)(?:\s*(?:©|\(c\)))?\s*"
    r"(?P<years>" + _YEARS + r")?"
    r"[\s,]*(?:by\s+)?(?P<holder>[^.\n|]{0,80}?)\s*(?=\.(?:\s|$)|[|\n]|all rights|$)",
    re.IGNORECASE,
)
# A name that ends right before a copyright symbol, after a sentence or field boundary.
_HOLDER_BEFORE_RE = re.compile(r"(?:^|[.|;]\s+)((?:[A-Z0-9&][\w&'’-]*\s+){0,7}[A-Z0-9&][\w&'’-]*)"
                               r"\s*$")
_PERMISSION_RE = re.compile(
    r"(?:reprinted|republished|reproduced|used|published)\s+(?:here\s+)?with\s+(?:the\s+)?"
    r"(?:kind\s+)?(?:prior\s+)?(?:written\s+)?permission"
    r"(?:\s+(?:of|from|by)\s+(?P<holder>[^.\n|;]{2,80}?))?\s*(?=[.;|\n]|$)",
    re.IGNORECASE,
)
_RESERVED_RE = re.compile(
    r"all rights reserved"
    r"|(?:do not|don't|may not|must not|cannot|not to be|no part[^.]{0,60}may be)\s+"
    r"(?:be\s+)?(?:reproduced?|republish(?:ed)?|redistribut(?:e|ed)|cop(?:y|ied)|reprint(?:ed)?"
    r"|rewritten|broadcast)"
    r"|(?:reprinted|republished|reproduced|used|published) (?:here )?with (?:the )?(?:kind )?"
    r"(?:prior )?(?:written )?permission",
    re.IGNORECASE,
)
_CC_URL_RE = re.compile(
    r"creativecommons\.org/licenses/(?P<kind>by(?:-(?:nc|nd|sa)){0,2})/(?P<ver>[1-4]\.[05])",
    re.IGNORECASE,
)
_CC_ZERO_RE = re.compile(
    r"\bCC0\b|\bCC[- ]?Zero\b|creativecommons\.org/publicdomain/zero|public domain dedication"
    r"|\bno rights reserved\b",
    re.IGNORECASE,
)
_CC_NAME_RE = re.compile(
    r"creative\s+commons\s+(?P<words>attribution(?:[-\s]+(?:non[-\s]?commercial"
    r"|no[-\s]?deriv(?:ative)?s?|share[-\s]?alike)){0,2})\s*(?:version\s*)?"
    r"(?:" + _VERSION + r")?",
    re.IGNORECASE,
)
_CC_SHORT_RE = re.compile(r"\bCC[- ](?P<kind>" + _CC_PARTS + r")\b\s*(?P<ver>[1-4]\.[05])?",
                          re.IGNORECASE)
_PD_RE = re.compile(
    r"(?:is|are|in|into|to|dedicated to|part of)\s+the\s+public\s+domain"
    r"|public\s+domain\s+(?:work|mark)|creativecommons\.org/publicdomain/mark",
    re.IGNORECASE,
)
_SYMBOL_RE = re.compile(r"©|&copy;|\(c\)\s*" + _YEARS + r"|\b(?:copyright|copr\.)\s*(?:©|\(c\))?\s*"
                        + _YEARS + r"|\bcopyright\s+(?:©|\(c\))", re.IGNORECASE)
# What makes a licence name a grant rather than a mention in prose.
_LICENSING_RE = re.compile(
    r"\blicen[cs]ed\b|\bunder\s+(?:an?\s+|the\s+)?(?:creative\s+commons|cc\b)"
    r"|\blicen[cs]e\s*:|\bthis\s+(?:article|work|post|story|text|page|content|image|photo"
    r"|report|piece|material|site|website)\b",
    re.IGNORECASE,
)
# Words of the sentences that explain a licence or notice ("You may share and
# adapt it, provided you credit ..."): part of the notice when next to one.
_TERMS_RE = re.compile(
    r"licen[cs]|permission|\bcredit|\brights?\b|copyright|reproduc|redistribut|republish"
    r"|syndicat|attribution|public domain|waived|\bshare|\badapt|\bterms\b|partner",
    re.IGNORECASE,
)
# Reported speech and quotation marks make a sentence prose, never a notice.
_PROSE_RE = re.compile(r"\b(?:said|says|told|according to|asked)\b|[\"“”„«»]", re.IGNORECASE)
# A notice segment: up to a sentence end, a "|" separator or the line end.
_SEGMENT_RE = re.compile(r"[^|\n]*?(?:(?<![Cc]opr)[.!?](?=\s|$)|\||$)")
_FRONT_MATTER_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                              re.DOTALL)
_LINE_RE = re.compile(r"[^\n]*(?:\n|$)")
# Words one of which every notice line holds (see _is_strong); found with
# str.find on the lower-cased text, much faster than one regex of them all.
_TRIGGERS = ("©", "&copy;", "(c)", "copyright", "copr.", "reserved", "reproduc", "republish",
             "redistribut", "copy", "copied", "reprint", "rewritten", "broadcast", "permission",
             "cc", "creative", "domain")
_AT_WORD_START = frozenset({"copy", "copied", "copr.", "cc"})


def _trigger_lines(text: str) -> list[int]:
    """Start offsets of the lines of ``text`` holding a trigger word, in order."""
    lower = text.lower()
    if len(lower) != len(text):  # case mapping changed lengths: every line
        return [m.start() for m in _LINE_RE.finditer(text) if m.start() < len(text)]
    starts: set[int] = set()
    for word in _TRIGGERS:
        i = lower.find(word)
        while i >= 0:
            if word not in _AT_WORD_START or i == 0 or not lower[i - 1].isalnum():
                starts.add(lower.rfind("\n", 0, i) + 1)
            i = lower.find(word, i + len(word))
    return sorted(starts)
# A notice line is short; a longer paragraph only gives up its notice sentences.
_MAX_NOTICE_LINE = 1000
# Byline pieces ("By Priya Raman", "Lakeside Ledger") next to a notice go with it.
_SHORT_SEGMENT_WORDS = 6
_SHORT_LICENCE_WORDS = 10
_MAX_NOTICE_SENTENCE_WORDS = 45


@dataclass(frozen=True)
class Rights:
    """What an article's notice says.

    Attributes:
        license: SPDX id (``CC-BY-4.0``, ``CC0-1.0``), ``LicenseRef-All-Rights-Reserved``,
            ``LicenseRef-Public-Domain`` or ``LicenseRef-Unknown``.
        holder: the copyright holder as written, or "".
        years: the year or years as written ("2024-2025"), or "".
        notice: the notice lines, joined with a space, or "".
        spans: character spans of the notice lines in the text searched.
    """

    license: str = UNKNOWN
    holder: str = ""
    years: str = ""
    notice: str = ""
    spans: tuple[tuple[int, int], ...] = ()


def _cc_id(parts: list[str], version: str | None) -> str:
    order = [p for p in ("by", "nc", "nd", "sa") if p in parts]
    return "CC-" + "-".join(p.upper() for p in order) + f"-{version or '4.0'}"


def _cc_from_words(words: str) -> list[str]:
    w = words.lower()
    parts = ["by"]
    if "commercial" in w:
        parts.append("nc")
    if "deriv" in w:
        parts.append("nd")
    if "share" in w:
        parts.append("sa")
    return parts


def license_from_text(text: str) -> str | None:
    """The licence a statement names, as an SPDX-style id, or None."""
    if _CC_ZERO_RE.search(text):
        return "CC0-1.0"
    m = _CC_URL_RE.search(text)
    if m:
        return _cc_id(m.group("kind").lower().split("-"), m.group("ver"))
    m = _CC_NAME_RE.search(text)
    if m:
        return _cc_id(_cc_from_words(m.group("words")), m.group(2))
    m = _CC_SHORT_RE.search(text)
    if m:
        return _cc_id(re.split(r"[- ]", m.group("kind").lower()), m.group("ver"))
    if _PD_RE.search(text):
        return PUBLIC_DOMAIN
    if _RESERVED_RE.search(text):
        return ALL_RIGHTS_RESERVED
    return None


def _is_strong(segment: str) -> bool:
    """A segment that is a notice or licence statement by itself."""
    if _PROSE_RE.search(segment) or len(segment.split()) > _MAX_NOTICE_SENTENCE_WORDS:
        # A long "sentence" is prose, even with a byline's © glued to its start.
        return False
    if _RESERVED_RE.search(segment) or _CC_ZERO_RE.search(segment) or _CC_URL_RE.search(segment):
        return True
    # A licence name is a statement when it says "licence"/"under", or stands
    # alone on a short line ("CC BY-SA 4.0").
    short = len(segment.split()) <= _SHORT_LICENCE_WORDS
    if _CC_NAME_RE.search(segment) and (short or _LICENSING_RE.search(segment)):
        return True
    if _CC_SHORT_RE.search(segment) and (short or _LICENSING_RE.search(segment)):
        return True
    if _SYMBOL_RE.search(segment):
        return True
    return bool(_PD_RE.search(segment)) and len(segment) < 200


def asserts_rights(text: str) -> bool:
    """True when ``text`` claims copyright or reserves rights (not a mere credit)."""
    return bool(_SYMBOL_RE.search(text) or _RESERVED_RE.search(text))


def _segments(line: str) -> list[tuple[int, int]]:
    out = []
    for m in _SEGMENT_RE.finditer(line):
        if m.group().strip():
            out.append(m.span())
        if m.end() >= len(line):
            break
    return out


def _notice_part(line: str) -> tuple[int, int] | None:
    """The span of ``line`` that is notice: the whole line when every segment
    is a notice, licence terms or a short byline piece; otherwise a notice run
    at the line's end or start, so prose around it stays indexed."""
    if len(line) > _MAX_NOTICE_LINE:
        return None
    return _line_notice_part(line)


# An archive repeats its notice lines (one footer per publisher) in thousands of
# articles: their regexes run once. Pure functions of a string, so caching is exact.
@functools.lru_cache(maxsize=4096)
def _line_notice_part(line: str) -> tuple[int, int] | None:
    segs = _segments(line)
    kinds = []
    for s, e in segs:
        seg = line[s:e].strip(" *_|")
        if _is_strong(seg):
            kinds.append("strong")
        elif _PROSE_RE.search(seg):
            kinds.append("prose")
        elif _TERMS_RE.search(seg) or len(seg.split()) <= _SHORT_SEGMENT_WORDS:
            kinds.append("terms")
        else:
            kinds.append("prose")
    if "strong" not in kinds:
        return None
    if "prose" not in kinds:
        return 0, len(line)
    # Mixed: a notice run at the end (a footer in the last paragraph) or start.
    k = len(kinds)
    while k > 0 and kinds[k - 1] != "prose":
        k -= 1
    if "strong" in kinds[k:]:
        return segs[k][0] + (len(line[segs[k][0]:]) - len(line[segs[k][0]:].lstrip())), len(line)
    k = 0
    while k < len(kinds) and kinds[k] != "prose":
        k += 1
    if "strong" in kinds[:k]:
        return 0, segs[k - 1][1]
    return None


def notice_lines(text: str, lines: list[int] | None = None) -> list[tuple[int, int, str]]:
    """The notice parts of ``text``, as ``(start, end, text)`` in text order.

    ``lines``: the start offsets of its lines holding a trigger word, when already
    found (``index add`` finds them for a batch at once: :mod:`checker.noticekernel`).
    """
    out: list[tuple[int, int, str]] = []
    # Pre-filter (for indexing speed): only lines with notice vocabulary (a
    # superset of what _is_strong looks for) can hold a notice; skip the rest.
    for start in _trigger_lines(text) if lines is None else lines:
        nl = text.find("\n", start)
        line = text[start : len(text) if nl < 0 else nl].rstrip("\r\n")
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            part = _notice_part(stripped)
            if part is not None:
                s, e = start + lead + part[0], start + lead + part[1]
                out.append((s, e, text[s:e]))
    return out


def _copyright_match(notice: str) -> re.Match[str] | None:
    """The copyright statement of a notice: a symbol or year, or the word
    "Copyright" opening a sentence ("waived all copyright" is not one)."""
    for cm in _COPYRIGHT_RE.finditer(notice):
        head = notice[: cm.start()].rstrip()
        if cm.group("years") or not cm.group().lower().startswith("copyright") \
                or not head or head.endswith((".", "|", ":", "*", "_")):
            return cm
    return None


def _holder_and_years(notice: str) -> tuple[str, str]:
    cm = _copyright_match(notice)
    holder, years = "", ""
    if cm:
        years = (cm.group("years") or "").strip()
        holder = (cm.group("holder") or "").strip(" ,;:-–—*_")
        if not years:
            # "© Reuters 2024": the year after the holder.
            tail = re.search(r"[\s,]+(" + _YEARS + r")$", holder)
            if tail:
                years, holder = tail.group(1), holder[: tail.start()].strip(" ,")
        holder = re.sub(r"^(?:the\s+)?copyright\s+(?:holder|owner)s?\s*", "", holder,
                        flags=re.IGNORECASE)
        if not holder and not cm.group().lower().startswith(("copyright", "copr")) \
                and not _COPYRIGHT_RE.search(notice, cm.end()):
            # "Pellmoor Business Daily © 2026.": the holder before the symbol, in its
            # sentence (a name: capitalised, a few words, no sentence of prose; not a
            # labelled credit such as "Photo: Agency ©", nor when another statement
            # follows that may name the holder).
            before = _HOLDER_BEFORE_RE.search(notice[: cm.start()])
            if before:
                holder = before.group(1)
    if not holder:
        pm = _PERMISSION_RE.search(notice)
        if pm and pm.group("holder"):
            holder = pm.group("holder").strip(" ,;:-–—*_")
    if re.fullmatch(r"(?:all rights reserved|\W*)", holder, re.IGNORECASE):
        holder = ""
    return holder, years


def find_rights(text: str, lines: list[int] | None = None) -> Rights:
    """Find the notice lines of ``text`` and what they say (``lines``: see
    :func:`notice_lines`).

    Notice lines stand anywhere (footer, byline, header). Only lines or
    sentences that look like notices count, so an article *about* copyright
    keeps its prose, and reported speech is never a notice.
    """
    found = notice_lines(text, lines)
    fm = _FRONT_MATTER_RE.match(text)
    if fm:
        # Front matter fields ("license: CC-BY-4.0") are metadata, read by the reader.
        found = [f for f in found if f[0] >= fm.end()]
    if not found:
        return Rights()
    notice = " ".join(" ".join(t.split()) for _, _, t in found)
    license_id, holder, years = _notice_says(notice)
    return Rights(
        license=license_id,
        holder=holder,
        years=years,
        notice=notice,
        spans=tuple((s, e) for s, e, _ in found),
    )


@functools.lru_cache(maxsize=1024)
def _notice_says(notice: str) -> tuple[str, str, str]:
    """Licence, holder and years a notice states (cached: see _line_notice_part)."""
    holder, years = _holder_and_years(notice)
    # A copyright notice with no licence grant reserves all rights.
    default = ALL_RIGHTS_RESERVED if _SYMBOL_RE.search(notice) or _copyright_match(
        notice) else UNKNOWN
    return license_from_text(notice) or default, holder, years


_LICENSE_ALIASES = {
    "all-rights-reserved": ALL_RIGHTS_RESERVED,
    "allrightsreserved": ALL_RIGHTS_RESERVED,
    "arr": ALL_RIGHTS_RESERVED,
    "copyright": ALL_RIGHTS_RESERVED,
    "unknown": UNKNOWN,
    "public-domain": PUBLIC_DOMAIN,
    "publicdomain": PUBLIC_DOMAIN,
    "pd": PUBLIC_DOMAIN,
    "cc0": "CC0-1.0",
}


def normalize_license(value: str) -> str | None:
    """Turn a user- or metadata-given licence into an id, or None if unknown.

    Accepts SPDX ids in any case (``cc-by-4.0``), ``all-rights-reserved``,
    ``public-domain``, ``LicenseRef-*`` ids, CC names and URLs.
    """
    v = value.strip()
    if not v:
        return None
    alias = _LICENSE_ALIASES.get(v.lower())
    if alias:
        return alias
    if v.lower().startswith("licenseref-"):
        for known in (ALL_RIGHTS_RESERVED, UNKNOWN, PUBLIC_DOMAIN):
            if v.lower() == known.lower():
                return known
        return v
    m = re.fullmatch(r"cc[- ](" + _CC_PARTS + r")(?:[- ]([1-4]\.[05]))?", v, re.IGNORECASE)
    if m:
        return _cc_id(re.split(r"[- ]", m.group(1).lower()), m.group(2))
    if re.fullmatch(r"cc0(?:-1\.0)?", v, re.IGNORECASE):
        return "CC0-1.0"
    found = license_from_text(v)
    if found:
        return found
    # Any other id on the SPDX licence list (MIT, Apache-2.0), spelled as SPDX does; an
    # unknown one (a typo like CC-BY4.0) is no licence at all, not a new one.
    from .licenses import spdx_id

    return spdx_id(v)
