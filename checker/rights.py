"""What licences allow, and which quote holds a passage: the rights knowledge the
verdict (:mod:`checker.verdict`) draws on.

- :func:`family` sorts a licence id into ``public-domain`` (CC0, public domain),
  ``cc-by`` (the CC BY family) or ``reserved`` (all rights reserved, unknown, any
  other licence); :func:`cc_terms` gives a CC licence's conditions beyond BY.
- :class:`Span` is a reproduced passage as the rules see it; :func:`holding_quote`
  finds the draft quote that holds it.
- :func:`source_label` and :func:`who` name a source in messages.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .notices import PUBLIC_DOMAIN
from .quotes import Quote
from .store import DocumentRecord

_CC_BY_RE = re.compile(r"^CC-BY(?:-(?:NC|ND|SA))*(?:-[0-9.]+)?(?:-[A-Z]+)?$", re.IGNORECASE)


def family(license_id: str) -> str:
    """``public-domain``, ``cc-by`` or ``reserved`` (all rights reserved, unknown, other)."""
    lic = license_id.upper()
    if lic.startswith("CC0") or lic == PUBLIC_DOMAIN.upper() or lic.startswith("CC-PDDC") \
            or lic.startswith("LICENSEREF-PUBLIC-DOMAIN"):
        return "public-domain"
    if _CC_BY_RE.match(lic):
        return "cc-by"
    return "reserved"


def cc_terms(license_id: str) -> set[str]:
    """The CC conditions beyond BY in a licence id: ``nc``, ``nd``, ``sa``."""
    parts = set(license_id.lower().split("-"))
    return parts & {"nc", "nd", "sa"}


@dataclass(frozen=True)
class Span:
    """A reproduced passage as the rights rules see it.

    Attributes:
        start, end: character offsets in the draft.
        quote: index of the draft quote that holds the passage, or -1.
        cut: the passage was cut at a quote's marks out of a longer one
            (:func:`checker.facts.split_at_quotes`).
    """

    start: int
    end: int
    words: int
    similarity: float
    quote: int = -1
    cut: bool = False


def holding_quote(quotes: Sequence[Quote], word_starts: Sequence[int], slack: int) -> int:
    """The index of the quote that holds a passage, or -1.

    A passage is held when at most ``slack`` of its words (given by their
    character offsets) stand outside the quote: an alignment often runs on
    into "he said after the vote" when the source said so too. Of nested
    quotes that hold it, the innermost is the quotation (a speaker quoting a
    source), so its own length is what the quotation limit weighs.
    """
    best, best_size = -1, 0
    starts = sorted(word_starts)
    if not starts:
        return best
    first, last = starts[0], starts[-1]
    for i, q in enumerate(quotes):
        if q.start > last or q.end <= first:
            continue  # the passage lies outside it
        inside = bisect.bisect_left(starts, q.end) - bisect.bisect_left(starts, q.start)
        held = inside and len(starts) - inside <= slack
        if held and (best < 0 or q.end - q.start < best_size):
            best, best_size = i, q.end - q.start
    return best


def source_label(rec: DocumentRecord) -> str:
    """How messages name a source: its title and publisher, or its path."""
    if rec.title and rec.publisher:
        return f'"{rec.title}" ({rec.publisher})'
    return f'"{rec.title}"' if rec.title else rec.publisher or rec.key


def who(rec: DocumentRecord) -> str:
    return rec.publisher or rec.holder or "the rights holder"
