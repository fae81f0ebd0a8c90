"""Copyright notices and licence statements in article text.

Finds the notice lines of an article (``©``, ``(c)``, ``Copyright``, "All
rights reserved", "Do not reproduce ... without permission", Creative
Commons names and URLs, CC0, "public domain") and turns them into a
:class:`Rights` record: holder, years, an SPDX licence id and the notice
text. Notice lines are masked out of the indexed text, so a shared footer
never makes two articles match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ALL_RIGHTS_RESERVED = "LicenseRef-All-Rights-Reserved"
UNKNOWN = "LicenseRef-Unknown"
PUBLIC_DOMAIN = "LicenseRef-Public-Domain"

_CC_PARTS = r"(?:by(?:[- ](?:nc|nd|sa)){0,2})"
_VERSION = r"([1-4]\.[05])"

_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|&copy;|\bcopyright\b|\bcopr\.)\s*(?:©|\(c\))?\s*"
    r"(?P<years>(?:1[89]|20)\d\d(?:\s*(?:[-–—,/]|and|to)\s*(?:1[89]|20)?\d\d)*)?"
    r"[\s,]*(?:by\s+)?(?P<holder>[^.\n|]{0,80}?)\s*(?=[.|\n]|all rights|$)",
    re.IGNORECASE,
)
_RESERVED_RE = re.compile(
    r"all rights reserved"
    r"|(?:do not|don't|may not|must not|cannot|not to be|no part[^.]{0,60}may be)\s+"
    r"(?:be\s+)?(?:reproduced?|republish(?:ed)?|redistribut(?:e|ed)|cop(?:y|ied)|reprint(?:ed)?"
    r"|rewritten|broadcast)"
    r"|reprinted (?:here )?with permission|used (?:here )?with permission",
    re.IGNORECASE,
)
_CC_URL_RE = re.compile(
    r"creativecommons\.org/licenses/(?P<kind>[a-z-]+)/(?P<ver>[1-4]\.[05])", re.IGNORECASE
)
_CC_ZERO_RE = re.compile(
    r"\bCC0\b|CC[- ]?Zero|creativecommons\.org/publicdomain/zero|public domain dedication",
    re.IGNORECASE,
)
_CC_NAME_RE = re.compile(
    r"creative\s+commons\s+(?P<words>attribution(?:[-\s]+(?:non-?commercial|no-?deriv(?:ative)?s?"
    r"|share-?alike)){0,2})\s*(?:" + _VERSION + r")?",
    re.IGNORECASE,
)
_CC_SHORT_RE = re.compile(r"\bCC[- ](?P<kind>" + _CC_PARTS + r")\b\s*(?P<ver>[1-4]\.[05])?",
                          re.IGNORECASE)
_PD_RE = re.compile(
    r"(?:is|are|in|into|to|dedicated to)\s+the\s+public\s+domain|public\s+domain\s+(?:work|mark)",
    re.IGNORECASE,
)
_LINE_RE = re.compile(r"[^\n]*(?:\n|$)")
# A notice line is short; a long paragraph that mentions copyright is prose.
_MAX_NOTICE_LINE = 400


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


def _is_notice_line(line: str) -> bool:
    if len(line) > _MAX_NOTICE_LINE:
        return False
    if _RESERVED_RE.search(line) or _CC_ZERO_RE.search(line) or _CC_URL_RE.search(line):
        return True
    if _CC_NAME_RE.search(line) and re.search(r"licen[cs]", line, re.IGNORECASE):
        return True
    if _CC_SHORT_RE.search(line) and re.search(r"licen[cs]|under", line, re.IGNORECASE):
        return True
    if re.search(r"©|\(c\)\s*(?:1[89]|20)\d\d", line, re.IGNORECASE):
        return True
    if re.search(r"\bcopyright\s*(?:©|\(c\))?\s*(?:1[89]|20)\d\d", line, re.IGNORECASE):
        return True
    return bool(_PD_RE.search(line)) and len(line) < 200


def find_rights(text: str) -> Rights:
    """Find the notice lines of ``text`` and what they say.

    Only short lines that look like notices count, so an article *about*
    copyright keeps its prose.
    """
    spans: list[tuple[int, int]] = []
    lines: list[str] = []
    for m in _LINE_RE.finditer(text):
        line = m.group().strip()
        if line and _is_notice_line(line):
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            spans.append((start, start + len(line)))
            lines.append(line)
        if m.end() >= len(text):
            break
    if not lines:
        return Rights()
    notice = " ".join(lines)
    holder, years = "", ""
    cm = _COPYRIGHT_RE.search(notice)
    if cm:
        years = (cm.group("years") or "").strip()
        holder = cm.group("holder").strip(" ,;:-–—") if cm.group("holder") else ""
    # A copyright notice with no licence grant reserves all rights.
    default = ALL_RIGHTS_RESERVED if cm else UNKNOWN
    return Rights(
        license=license_from_text(notice) or default,
        holder=holder,
        years=years,
        notice=notice,
        spans=tuple(spans),
    )


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
    # Any other SPDX-shaped id (MIT, Apache-2.0) is kept as given.
    return v if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.+-]*", v) else None
