"""The rights-aware verdict of a finding: what each licence allows.

A match is not yet a violation. Given the source's record (licence,
publisher), the passages the draft reproduces, which of them are fair
quotation or public speech, whether the draft credits the source, and the
:class:`~checker.policy.Policy`, :func:`judge` returns the verdict, a stable
reason code and a message that says what to do.

| source licence | the draft reproduces it ... | verdict, reason |
|---|---|---|
| any, publisher on the allowlist | - | pass, ``licensed-partner`` |
| CC0, public domain | - | pass, ``public-domain`` |
| any | only in fair quotation / public speech | pass, ``quotation`` / ``public-speech`` |
| CC BY-ND | modified | fail, ``no-derivatives`` |
| CC BY family | without credit | fail, ``attribution-missing`` |
| CC BY-NC | credited | warn (fail when commercial), ``non-commercial`` |
| CC BY family | credited | pass, ``attributed`` |
| all rights reserved, unknown, other | beyond the size limits | fail, ``reproduction`` |
| all rights reserved, unknown, other | below them | warn, ``below-threshold`` |

A failing CC reason below the size limits warns instead of failing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .notices import PUBLIC_DOMAIN
from .policy import Judgement, Policy
from .quotes import Quote
from .store import DocumentRecord

QUOTATION = "quotation"
PUBLIC_SPEECH = "public-speech"
COMMON_PHRASING = "common-phrasing"
# An ND passage below this similarity was edited (word-level changes), not copied.
ND_MIN_SIMILARITY = 0.98

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
    """

    start: int
    end: int
    words: int
    similarity: float
    quote: int = -1


def holding_quote(quotes: Sequence[Quote], word_starts: Sequence[int], slack: int) -> int:
    """The index of the quote that holds a passage, or -1.

    A passage is held when at most ``slack`` of its words (given by their
    character offsets) stand outside the quote: an alignment often runs on
    into "he said after the vote" when the source said so too. Of nested
    quotes that hold it, the innermost is the quotation (a speaker quoting a
    source), so its own length is what the quotation limit weighs.
    """
    best, best_size = -1, 0
    for i, q in enumerate(quotes):
        inside = sum(1 for w in word_starts if q.start <= w < q.end)
        held = inside and len(word_starts) - inside <= slack
        if held and (best < 0 or q.end - q.start < best_size):
            best, best_size = i, q.end - q.start
    return best


@dataclass(frozen=True)
class Exemptions:
    """Which passages do not count, and why.

    Attributes:
        reasons: per passage, "" (counts), ``quotation``, ``public-speech`` or
            ``common-phrasing``.
        note: why quotes did not qualify (over a limit, unattributed), or "".
        quoted_words: words of the quotes that hold exempt passages, as a writer counts.
    """

    reasons: tuple[str, ...]
    note: str = ""
    quoted_words: int = 0


def exemptions(spans: Sequence[Span], quotes: Sequence[Quote], attributed: Sequence[bool],
               shared: Sequence[bool], policy: Policy,
               common: Sequence[bool] = ()) -> Exemptions:
    """Mark fair quotation, public speech and common phrasing among one source's passages.

    Args:
        spans: the passages, in draft order.
        quotes: every quote of the draft.
        attributed: per quote, attributed for this source (cue or source name).
        shared: per passage, the same draft text also matches an indexed
            document of another publisher (a statement many outlets quote).
        common: per passage, the same draft text also matches at least
            ``policy.common_sources`` other indexed documents, or fills the
            source's wording with other figures: the standard wording of a kind
            of story (bond terms, filings), which counts only when copied nearly
            verbatim (``policy.common_similarity``).
    """
    reasons = [""] * len(spans)
    notes: list[str] = []
    fair: dict[int, list[int]] = {}  # quote index -> passages it holds
    for i, sp in enumerate(spans):
        if sp.quote < 0:
            continue
        qi = sp.quote
        q = quotes[qi]
        if attributed[qi] and q.words <= policy.quote_max_words:
            fair.setdefault(qi, []).append(i)
        elif shared[i]:
            reasons[i] = PUBLIC_SPEECH
        elif not attributed[qi]:
            notes.append(f"a {q.words}-word quotation is not attributed (name the source, "
                         "or add \"said\", \"told\" or \"according to\")")
        else:
            notes.append(f"a {q.words}-word quotation is over the {policy.quote_max_words}-word "
                         "fair-quotation limit")
    total = sum(quotes[qi].words for qi in fair)
    for members in fair.values():
        for i in members:
            if total <= policy.quote_max_total_words:
                reasons[i] = QUOTATION
            elif shared[i]:
                reasons[i] = PUBLIC_SPEECH
    if fair and total > policy.quote_max_total_words:
        notes.append(f"quotations total {total} words, over the "
                     f"{policy.quote_max_total_words}-word fair-quotation total for one source")
    for i, sp in enumerate(spans):
        # A near-verbatim copy counts even when its wording is common, unless it is
        # shorter than a passage that fails on its own: then it is one sentence of the
        # series' template (weekly balances, bond terms), the same in all its stories.
        if not reasons[i] and i < len(common) and common[i] \
                and (sp.similarity < policy.common_similarity
                     or sp.words < policy.fail_passage_words):
            reasons[i] = COMMON_PHRASING
    held = {sp.quote for sp, r in zip(spans, reasons, strict=True) if r and sp.quote >= 0}
    return Exemptions(tuple(reasons), "; ".join(dict.fromkeys(notes)),
                      sum(quotes[qi].words for qi in held))


def source_label(rec: DocumentRecord) -> str:
    """How messages name a source: its title and publisher, or its path."""
    if rec.title and rec.publisher:
        return f'"{rec.title}" ({rec.publisher})'
    return f'"{rec.title}"' if rec.title else rec.publisher or rec.key


def _who(rec: DocumentRecord) -> str:
    return rec.publisher or rec.holder or "the rights holder"


def judge(rec: DocumentRecord, spans: Sequence[Span], exempt: Exemptions, credit: str,
          policy: Policy, draft_words: int = 0) -> Judgement:
    """The verdict, reason and message for one source's passages in one draft.

    ``draft_words`` (0: unknown) weighs loose paraphrase (:meth:`Policy.counted_words`).
    """
    name = source_label(rec)
    who = _who(rec)
    lic = rec.license
    all_words = sum(s.words for s in spans)
    if policy.allows(rec.publisher, rec.holder):
        return Judgement("pass", "licensed-partner",
                         f"reproduces {all_words} words of {name}; {who} is a licensed partner "
                         "(allowlist), so no action is needed")
    fam = family(lic)
    if fam == "public-domain":
        return Judgement("pass", "public-domain",
                         f"reproduces {all_words} words of {name}, which is {lic} (public "
                         "domain): free to reuse; a credit is courteous but not required")
    counted = [s for s, r in zip(spans, exempt.reasons, strict=True) if not r]
    note = f" ({exempt.note})" if exempt.note else ""
    if not counted and set(exempt.reasons) == {COMMON_PHRASING}:
        return Judgement("warn", COMMON_PHRASING,
                         f"shares {all_words} words of {name} in the standard wording of "
                         "this kind of story (it stands in other indexed articles too, or "
                         "carries other figures here), not a copy of this one; check the "
                         "passage if in doubt")
    if not counted:
        quoted = exempt.quoted_words or sum(s.words for s in spans)
        if PUBLIC_SPEECH in exempt.reasons and QUOTATION not in exempt.reasons:
            return Judgement("pass", PUBLIC_SPEECH,
                             f"quotes {quoted} words that several indexed publishers also "
                             f"quote (public speech), including {name}; no action needed")
        return Judgement("pass", QUOTATION,
                         f"quotes {quoted} words of {name} with attribution, within the "
                         f"{policy.quote_max_words}-word quotation and "
                         f"{policy.quote_max_total_words}-word total limits; no action needed")
    coverage = min(1.0, all_words / draft_words) if draft_words else 1.0
    sizes = [policy.counted_words(s.words, s.similarity, coverage) for s in counted]
    total = sum(sizes)
    longest = max(sizes)
    big = total >= policy.fail_total_words or any(
        policy.fails_alone(s.words, s.similarity, coverage) for s in counted)
    severity = "fail" if big else "warn"
    if fam == "cc-by":
        terms = cc_terms(lic)
        if "nd" in terms and any(s.similarity < ND_MIN_SIMILARITY for s in counted):
            return Judgement(severity, "no-derivatives",
                             f"reproduces {total} words of {name} with changes, but it is {lic} "
                             f"(no derivatives): restore the original wording"
                             f"{'' if credit else f' and credit {who}'}, or remove the passage")
        if not credit:
            return Judgement(severity, "attribution-missing",
                             f"reproduces {total} words of {name}, licensed {lic}, without "
                             f"credit: credit {who} (name, title or URL) or remove the "
                             f"passage{note}")
        if "nc" in terms:
            verdict = severity if policy.commercial else "warn"
            use = ("this use is commercial" if policy.commercial
                   else "make sure this use is non-commercial")
            return Judgement(verdict, "non-commercial",
                             f"reproduces {total} words of {name}, licensed {lic} (non-commercial "
                             f"only; credited by {credit}): {use}, or get permission from {who}")
        share = (f"; publish the adapted text under {lic} too (share-alike)"
                 if "sa" in terms else "")
        return Judgement("pass", "attributed",
                         f"reproduces {total} words of {name}, licensed {lic}, and credits it "
                         f"({credit}){share}")
    if lic.upper().startswith("LICENSEREF-ALL-RIGHTS"):
        rights = "all rights reserved"
    elif lic.upper().startswith("LICENSEREF-UNKNOWN"):
        rights = "no licence found, so all rights reserved"
    else:
        rights = f"licensed {lic}"
    if big:
        return Judgement(
            "fail", "reproduction",
            f"reproduces {total} words of {name} (longest passage {longest} words; {rights}): "
            f"rewrite or remove the passages, quote at most {policy.quote_max_words} words with "
            f"attribution, or get permission from {who}{note}")
    if longest >= policy.fail_passage_words:  # edited passages, judged by the total
        return Judgement(
            "warn", "below-threshold",
            f"shares {total} words with {name} ({rights}) in reworded passages, below the "
            f"{policy.fail_total_words}-word limit for edited text (a near-verbatim passage "
            f"fails at {policy.fail_passage_words} words); consider quoting with attribution "
            f"or rewording further{note}")
    return Judgement(
        "warn", "below-threshold",
        f"shares {total} words with {name} ({rights}), below the "
        f"{policy.fail_passage_words}-word passage and {policy.fail_total_words}-word total "
        f"limits; consider quoting with attribution or rewording{note}")
