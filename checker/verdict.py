"""The one place that decides a finding's verdict, and every step that led to it.

The scan measures facts about one source's reuse in one draft (:class:`Facts`): its
passages (words, similarity, the quote that holds each), how rare each passage's text is
in the index (other *stories* and publishers holding it, copies of one story grouped), how
much of the source and of the draft the passages cover, whether the draft quotes and
credits in its own words, and the source's licence. :func:`decide` turns them into a
:class:`Decision`: verdict, reason code, a message that says what to do, and the steps
(``checker explain`` prints them).

The model, in order:

1. A licensed partner's or a public-domain source's text passes.
2. Per passage: fair quotation (the draft quotes it within the quotation limits, and the
   draft's own words attribute it), public speech (quoted, and another publisher's
   indexed text holds it too) and common phrasing (other indexed stories hold it about
   as well) do not count, nor does text that lies within a permissive copy of it the
   draft uses as allowed (``licensed-elsewhere``). Quotes are judged on the quoted words:
   the scan cuts a passage at the marks of a quote it runs into
   (:func:`checker.facts.split_at_quotes`), and rejoins it when the quote counts.
3. The counted words (:meth:`Policy.counted_words`) against the size limits give fail
   or warn, and the licence table turns that into the verdict and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .policy import Judgement, Policy
from .quotes import Quote
from .rights import Span, cc_terms, family, source_label, who
from .store import DocumentRecord

QUOTATION = "quotation"
PUBLIC_SPEECH = "public-speech"
COMMON_PHRASING = "common-phrasing"
LICENSED_ELSEWHERE = "licensed-elsewhere"
#: An ND passage below this similarity was edited (word-level changes), not copied.
ND_MIN_SIMILARITY = 0.98
#: Reasons of a permissive finding that cover the same text in another source's finding.
PERMISSIVE = ("licensed-partner", "public-domain", "attributed", "non-commercial")


@dataclass(frozen=True)
class Cover:
    """A permissive source holding the same text as this finding's passages.

    Attributes:
        label: how messages name it; license: its licence id.
        verdict: its own finding's verdict (``pass`` or ``warn``); reason: its reason.
        spans: its passages' draft character spans.
    """

    label: str
    license: str
    verdict: str
    reason: str
    how: str
    spans: tuple[tuple[int, int], ...]

    def holds(self, start: int, end: int, share: float = 0.9) -> bool:
        """At least ``share`` of draft characters ``start:end`` lie within its passages."""
        inside = sum(max(0, min(end, e) - max(start, s)) for s, e in self.spans)
        return inside >= share * max(1, end - start)


@dataclass(frozen=True)
class Facts:
    """What the scan measured about one source's reuse in one draft.

    Attributes:
        rec: the source's record (licence, publisher).
        spans: the passages, in draft order.
        shared: per passage, another publisher's indexed text holds it too.
        common: per passage, other indexed *stories* (copies of one story grouped) hold
            it about as well as this source.
        quotes: every quote of the draft; attributed: per quote, attributed by the draft's
            own words (outside the text it reproduces from this source).
        credit: how the draft credits the source ("" when it does not).
        draft_words: the draft's words; source_coverage, draft_coverage: shares (0-1) of
            the source's and the draft's words inside the passages.
        covers: permissive sources holding the same text (case 3 of the model).
    """

    rec: DocumentRecord
    spans: tuple[Span, ...]
    shared: tuple[bool, ...]
    common: tuple[bool, ...]
    quotes: tuple[Quote, ...]
    attributed: tuple[bool, ...]
    credit: str
    draft_words: int
    source_coverage: float
    draft_coverage: float
    covers: tuple[Cover, ...] = ()


@dataclass(frozen=True)
class Decision:
    """A finding's verdict, reason code and message, per passage why it does not count
    ("" when it counts), and the steps that led there."""

    verdict: str
    reason: str
    message: str
    exempt: tuple[str, ...]
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Exemptions:
    """Which passages do not count, and why.

    Attributes:
        reasons: per passage, "" (counts), ``quotation``, ``public-speech``,
            ``common-phrasing`` or ``licensed-elsewhere``.
        note: why quotes did not qualify (over a limit, unattributed), or "".
        quoted_words: words of the quotes that hold exempt passages, as a writer counts.
    """

    reasons: tuple[str, ...]
    note: str = ""
    quoted_words: int = 0


def decide(facts: Facts, policy: Policy) -> Decision:
    """The verdict of one finding from its measured facts, with every step."""
    steps: list[str] = []
    spans = facts.spans
    words = sum(s.words for s in spans)
    sim = sum(s.similarity * s.words for s in spans) / max(1, words)
    steps.append(f"measured: {len(spans)} passage(s), {words} words, similarity {sim:.2f}; "
                 f"they cover {facts.source_coverage:.0%} of the source and "
                 f"{facts.draft_coverage:.0%} of the draft")
    for i, sp in enumerate(spans):
        seen = []
        if sp.quote >= 0:
            q = facts.quotes[sp.quote]
            seen.append(f"inside a {q.words}-word quote "
                        + ("the draft attributes" if facts.attributed[sp.quote]
                           else "the draft does not attribute in its own words"))
        if sp.cut:
            seen.append("cut at a quote's marks out of a longer passage")
        if facts.common[i]:
            seen.append("other indexed stories hold it about as well")
        if facts.shared[i]:
            seen.append("another publisher's indexed text holds it too")
        steps.append(f"passage {i + 1}: {sp.words} words, similarity {sp.similarity:.2f}"
                     + (f"; {'; '.join(seen)}" if seen else "; found in this story only"))
    exempt = exemptions(spans, facts.quotes, facts.attributed, facts.shared, policy, facts.common,
                        steps)
    reasons = list(exempt.reasons)
    cover: Cover | None = None
    for i, sp in enumerate(spans):
        if reasons[i]:
            continue
        holder = next((c for c in facts.covers if c.holds(sp.start, sp.end)), None)
        if holder is not None:
            reasons[i] = LICENSED_ELSEWHERE
            cover = cover or holder
            steps.append(f"passage {i + 1} ({sp.words} words): also published as {holder.label} "
                         f"under {holder.license}, which the draft uses as allowed "
                         f"({holder.reason}): covered by that licence")
    exempt = Exemptions(tuple(reasons), exempt.note, exempt.quoted_words)
    j = judge(facts.rec, spans, exempt, facts.credit, policy, facts.draft_words, steps, cover)
    steps.append(f"verdict: {j.verdict} ({j.reason})")
    return Decision(j.verdict, j.reason, j.message, exempt.reasons, tuple(steps))


def exemptions(spans: Sequence[Span], quotes: Sequence[Quote], attributed: Sequence[bool],
               shared: Sequence[bool], policy: Policy, common: Sequence[bool] = (),
               steps: list[str] | None = None) -> Exemptions:
    """Mark fair quotation, public speech and common phrasing among one source's passages.

    Args:
        spans: the passages, in draft order.
        quotes: every quote of the draft.
        attributed: per quote, attributed for this source by the draft's own words.
        shared: per passage, the same draft text also matches an indexed
            document of another publisher (a statement many outlets quote).
        common: per passage, the standard wording of a kind of story (see
            :class:`Facts`), which counts only when copied nearly verbatim
            (``policy.passage_similarity``) and a passage long.
        steps: when given, one line per decision is appended.
    """
    log = steps if steps is not None else []
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
            log.append(f"passage {i + 1} ({sp.words} words): quoted, and another publisher's "
                       "indexed text holds it too: public speech")
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
                log.append(f"passage {i + 1} ({spans[i].words} words): in a "
                           f"{quotes[spans[i].quote].words}-word quotation the draft attributes: "
                           "fair quotation")
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
                and (sp.similarity < policy.passage_similarity
                     or sp.words < policy.fail_passage_words):
            reasons[i] = COMMON_PHRASING
            log.append(f"passage {i + 1} ({sp.words} words, similarity {sp.similarity:.2f}): "
                       "other indexed stories hold it about as well, or it carries other "
                       "figures: common phrasing")
    for note in dict.fromkeys(notes):
        log.append(f"quotation does not apply: {note}")
    held = {sp.quote for sp, r in zip(spans, reasons, strict=True) if r and sp.quote >= 0}
    return Exemptions(tuple(reasons), "; ".join(dict.fromkeys(notes)),
                      sum(quotes[qi].words for qi in held))


def _covered(name: str, all_words: int, rights: str, cover: Cover, credit: str) -> str:
    return (f"reproduces {all_words} words of {name} ({rights}), text that is also published as "
            f"{cover.label} under {cover.license}; the draft {cover.how}, so that licence "
            "covers this use" + (": no action needed" if cover.verdict == "pass"
                                 else f" ({cover.reason}: see that finding)"))


def _rights(lic: str) -> str:
    if lic.upper().startswith("LICENSEREF-ALL-RIGHTS"):
        return "all rights reserved"
    if lic.upper().startswith("LICENSEREF-UNKNOWN"):
        return "no licence found, so all rights reserved"
    return f"licensed {lic}"


def judge(rec: DocumentRecord, spans: Sequence[Span], exempt: Exemptions, credit: str,
          policy: Policy, draft_words: int = 0, steps: list[str] | None = None,
          cover: Cover | None = None) -> Judgement:
    """The verdict, reason and message for one source's passages in one draft, given
    which passages do not count (:func:`exemptions`).

    ``draft_words`` (0: unknown) weighs loose paraphrase (:meth:`Policy.counted_words`);
    ``cover`` is the permissive source of the ``licensed-elsewhere`` passages.
    """
    log = steps if steps is not None else []
    name = source_label(rec)
    owner = who(rec)
    lic = rec.license
    all_words = sum(s.words for s in spans)
    if policy.allows(rec.publisher, rec.holder):
        log.append(f"{owner} is on the allowlist (licensed partner)")
        return Judgement("pass", "licensed-partner",
                         f"reproduces {all_words} words of {name}; {owner} is a licensed partner "
                         "(allowlist), so no action is needed")
    fam = family(lic)
    log.append(f"licence {lic or 'unknown'}: {fam}")
    if fam == "public-domain":
        return Judgement("pass", "public-domain",
                         f"reproduces {all_words} words of {name}, which is {lic} (public "
                         "domain): free to reuse; a credit is courteous but not required")
    counted = [s for s, r in zip(spans, exempt.reasons, strict=True) if not r]
    note = f" ({exempt.note})" if exempt.note else ""
    if not counted and set(exempt.reasons) == {COMMON_PHRASING}:
        return Judgement("warn", COMMON_PHRASING,
                         f"shares {all_words} words of {name} in the standard wording of "
                         "this kind of story (it stands in other indexed stories too), not a "
                         "copy of this one; check the passage if in doubt")
    if not counted and cover is not None:
        return Judgement(cover.verdict, LICENSED_ELSEWHERE,
                         _covered(name, all_words, _rights(lic), cover, credit))
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
    alone = [s for s in counted if policy.fails_alone(s.words, s.similarity, coverage)]
    big = total >= policy.fail_total_words or bool(alone)
    log.append(f"counted: {total} words in {len(counted)} passage(s) (a passage counts "
               f"words x min(1, similarity / {policy.full_similarity}); paraphrase below "
               f"{policy.loose_similarity} only where the source covers "
               f"{policy.loose_min_coverage:.0%} of the draft)")
    log.append(f"size: {total} counted words against the {policy.fail_total_words}-word total"
               + (f"; a {alone[0].words}-word passage fails on its own" if alone else "")
               + f": {'over' if big else 'below'} the limits")
    severity = "fail" if big else "warn"
    if fam == "cc-by":
        terms = cc_terms(lic)
        log.append(f"credit: {credit or 'none found outside the reproduced passages'}")
        if "nd" in terms and any(s.similarity < ND_MIN_SIMILARITY for s in counted):
            return Judgement(severity, "no-derivatives",
                             f"reproduces {total} words of {name} with changes, but it is {lic} "
                             f"(no derivatives): restore the original wording"
                             f"{'' if credit else f' and credit {owner}'}, or remove the passage")
        if not credit:
            return Judgement(severity, "attribution-missing",
                             f"reproduces {total} words of {name}, licensed {lic}, without "
                             f"credit: credit {owner} (name, title or URL) or remove the "
                             f"passage{note}")
        if "nc" in terms:
            verdict = severity if policy.commercial else "warn"
            use = ("this use is commercial" if policy.commercial
                   else "make sure this use is non-commercial")
            return Judgement(verdict, "non-commercial",
                             f"reproduces {total} words of {name}, licensed {lic} (non-commercial "
                             f"only; credited by {credit}): {use}, or get permission from {owner}")
        share = (f"; publish the adapted text under {lic} too (share-alike)"
                 if "sa" in terms else "")
        return Judgement("pass", "attributed",
                         f"reproduces {total} words of {name}, licensed {lic}, and credits it "
                         f"({credit}){share}")
    rights = _rights(lic)
    if cover is not None:
        note += (f" (the rest is also published as {cover.label} under {cover.license}, "
                 "which covers it)")
    if big:
        return Judgement(
            "fail", "reproduction",
            f"reproduces {total} words of {name} (longest passage {longest} words; {rights}): "
            f"rewrite or remove the passages, quote at most {policy.quote_max_words} words with "
            f"attribution, or get permission from {owner}{note}")
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
