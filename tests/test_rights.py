"""The policy table: every licence row, fair quotation, public speech and partners."""

from __future__ import annotations

import pytest

from checker.notices import ALL_RIGHTS_RESERVED, PUBLIC_DOMAIN, UNKNOWN
from checker.policy import Policy
from checker.quotes import Quote
from checker.rights import Span, cc_terms, family, holding_quote
from checker.store import DocumentRecord
from checker.verdict import Exemptions, exemptions, judge


def record(license_id: str, publisher: str = "Example Wire") -> DocumentRecord:
    return DocumentRecord(
        id="x", key="a.txt", title="A story", publisher=publisher, license=license_id,
        notice="", holder="", years="", url="", date="", content_hash="", added="", words=0,
        passages=0, mask=())


def spans(*words: int, similarity: float = 1.0, quote: int = -1) -> list[Span]:
    out, pos = [], 0
    for w in words:
        out.append(Span(pos, pos + 6 * w, w, similarity, quote))
        pos += 6 * w + 100
    return out


NONE = Exemptions(())


def verdict(license_id: str, sp: list[Span], credit: str = "", policy: Policy = Policy(),
            exempt: Exemptions | None = None, publisher: str = "Example Wire") -> tuple[str, str]:
    ex = exempt if exempt is not None else Exemptions(tuple("" for _ in sp))
    j = judge(record(license_id, publisher), sp, ex, credit, policy)
    assert j.message
    return j.verdict, j.reason


@pytest.mark.parametrize(("license_id", "expected"), [
    ("CC0-1.0", "public-domain"), (PUBLIC_DOMAIN, "public-domain"), ("CC-BY-4.0", "cc-by"),
    ("CC-BY-NC-ND-3.0", "cc-by"), ("CC-BY-SA-2.5", "cc-by"), (ALL_RIGHTS_RESERVED, "reserved"),
    (UNKNOWN, "reserved"), ("MIT", "reserved"),
])
def test_family(license_id: str, expected: str) -> None:
    assert family(license_id) == expected


def test_cc_terms() -> None:
    assert cc_terms("CC-BY-NC-SA-4.0") == {"nc", "sa"} and cc_terms("CC-BY-4.0") == set()


@pytest.mark.parametrize("license_id", [ALL_RIGHTS_RESERVED, UNKNOWN, "MIT"])
def test_reserved_beyond_the_allowance_fails(license_id: str) -> None:
    assert verdict(license_id, spans(30)) == ("fail", "reproduction")
    assert verdict(license_id, spans(20, 20)) == ("fail", "reproduction")
    assert verdict(license_id, spans(15)) == ("warn", "below-threshold")


def test_cc_by_credited_passes_and_uncredited_fails() -> None:
    assert verdict("CC-BY-4.0", spans(80), credit="publisher X") == ("pass", "attributed")
    assert verdict("CC-BY-4.0", spans(80)) == ("fail", "attribution-missing")
    assert verdict("CC-BY-4.0", spans(12)) == ("warn", "attribution-missing")
    assert verdict("CC-BY-SA-4.0", spans(80), credit="title") == ("pass", "attributed")


def test_cc_by_nd_modified_fails_and_verbatim_does_not() -> None:
    assert verdict("CC-BY-ND-4.0", spans(80, similarity=0.9), credit="t") == \
        ("fail", "no-derivatives")
    assert verdict("CC-BY-ND-4.0", spans(80), credit="t") == ("pass", "attributed")
    assert verdict("CC-BY-NC-ND-4.0", spans(80, similarity=0.95), credit="t") == \
        ("fail", "no-derivatives")


def test_cc_by_nc_warns_and_fails_when_commercial() -> None:
    assert verdict("CC-BY-NC-4.0", spans(80), credit="t") == ("warn", "non-commercial")
    assert verdict("CC-BY-NC-SA-4.0", spans(80), credit="t",
                   policy=Policy(commercial=True)) == ("fail", "non-commercial")
    assert verdict("CC-BY-NC-4.0", spans(80)) == ("fail", "attribution-missing")


@pytest.mark.parametrize("license_id", ["CC0-1.0", PUBLIC_DOMAIN])
def test_public_domain_passes(license_id: str) -> None:
    assert verdict(license_id, spans(300)) == ("pass", "public-domain")


@pytest.mark.parametrize("license_id", [ALL_RIGHTS_RESERVED, "CC-BY-ND-4.0", UNKNOWN])
def test_allowlisted_partner_passes_whatever_the_licence(license_id: str) -> None:
    policy = Policy(allowlist=("meridian wire",))
    assert verdict(license_id, spans(300, similarity=0.8), policy=policy,
                   publisher="Meridian Wire") == ("pass", "licensed-partner")


def test_messages_say_what_to_do() -> None:
    j = judge(record("CC-BY-4.0", "BBC News"), spans(80), Exemptions(("",)), "", Policy())
    assert "credit BBC News" in j.message and "remove the passage" in j.message
    j = judge(record(ALL_RIGHTS_RESERVED), spans(80), Exemptions(("",)), "", Policy())
    assert "permission" in j.message


def quote(words: int, attributed: bool = True, start: int = 0) -> Quote:
    return Quote(start=start, end=start + 6 * words, words=words, kind="marks", context="",
                 attributed=attributed)


def test_fair_quotation_under_and_over_the_limits() -> None:
    p = Policy()
    q25, q26 = quote(25), quote(26)
    assert exemptions(spans(25, quote=0), [q25], [True], [False], p).reasons == ("quotation",)
    over = exemptions(spans(26, quote=0), [q26], [True], [False], p)
    assert over.reasons == ("",) and "over the 25-word" in over.note
    unattributed = exemptions(spans(20, quote=0), [quote(20)], [False], [False], p)
    assert unattributed.reasons == ("",) and "not attributed" in unattributed.note


def test_fair_quotation_total_per_source() -> None:
    p = Policy()
    qs = [quote(25, start=0), quote(24, start=1000), quote(21, start=2000)]
    two = [Span(0, 150, 25, 1.0, 0), Span(1000, 1144, 24, 1.0, 1)]
    assert exemptions(two, qs, [True] * 3, [False, False], p).reasons == ("quotation",) * 2
    three = [*two, Span(2000, 2126, 21, 1.0, 2)]
    over = exemptions(three, qs, [True] * 3, [False] * 3, p)
    assert over.reasons == ("",) * 3 and "total 70 words" in over.note
    wider = Policy(quote_max_total_words=80)
    assert exemptions(three, qs, [True] * 3, [False] * 3, wider).reasons == ("quotation",) * 3


def test_public_speech_when_quoted_by_several_publishers() -> None:
    p = Policy()
    ex = exemptions(spans(36, quote=0), [quote(36, attributed=False)], [False], [True], p)
    assert ex.reasons == ("public-speech",)
    assert verdict(ALL_RIGHTS_RESERVED, spans(36, quote=0), exempt=ex) == \
        ("pass", "public-speech")
    # Not quoted in the draft: no exemption even if others print it too.
    assert exemptions(spans(36), [], [], [True], p).reasons == ("",)


def test_exempt_passages_do_not_count_but_the_rest_does() -> None:
    sp = [Span(0, 100, 20, 1.0, 0), Span(500, 800, 45, 1.0, -1)]
    ex = exemptions(sp, [quote(20)], [True], [False, False], Policy())
    assert ex.reasons == ("quotation", "")
    assert verdict(ALL_RIGHTS_RESERVED, sp, exempt=ex) == ("fail", "reproduction")
    only_quote = [sp[0]]
    assert verdict(ALL_RIGHTS_RESERVED, only_quote,
                   exempt=Exemptions(("quotation",))) == ("pass", "quotation")


def test_holding_quote_tolerates_a_short_run_on() -> None:
    q = quote(20, start=100)  # characters 100..220
    inside = list(range(100, 220, 6))
    assert holding_quote([q], [*inside, 230, 236, 242], slack=9) == 0
    assert holding_quote([q], [*inside, *range(230, 300, 6)], slack=9) == -1
    assert holding_quote([], inside, slack=9) == -1


def test_holding_quote_prefers_the_innermost_of_nested_quotes() -> None:
    outer, inner = quote(60, start=0), quote(20, start=100)  # inner: characters 100..220
    words = list(range(100, 220, 6))
    assert holding_quote([outer, inner], words, slack=2) == 1
    # Run on well past the inner quote: only the outer one holds the passage.
    assert holding_quote([outer, inner], [*words, *range(230, 300, 6)], slack=2) == 0


def test_paraphrase_fails_only_when_the_draft_derives_from_the_source() -> None:
    loose = spans(30, 20, similarity=0.7)  # 50 words of paraphrase
    rec = record(ALL_RIGHTS_RESERVED, "Example Wire")
    derived = judge(rec, loose, Exemptions(("", "")), "", Policy(), draft_words=120)
    echoed = judge(rec, loose, Exemptions(("", "")), "", Policy(), draft_words=800)
    assert (derived.verdict, derived.reason) == ("fail", "reproduction")
    assert (echoed.verdict, echoed.reason) == ("warn", "below-threshold")
    # Unknown draft length: counted as before.
    assert judge(rec, loose, Exemptions(("", "")), "", Policy()).verdict == "fail"


def test_an_edited_passage_fails_alone_only_at_the_total_limit() -> None:
    rec = record(ALL_RIGHTS_RESERVED)
    retold = judge(rec, spans(35, similarity=0.88), Exemptions(("",)), "", Policy())
    assert (retold.verdict, retold.reason) == ("warn", "below-threshold")
    assert "reworded passages, below the 40-word limit for edited text" in retold.message
    long = judge(rec, spans(42, similarity=0.7), Exemptions(("",)), "", Policy())
    assert (long.verdict, long.reason) == ("fail", "reproduction")
    # Near-verbatim, the passage limit holds; edited passages still add up to the total.
    assert verdict(ALL_RIGHTS_RESERVED, spans(25, similarity=0.97))[0] == "fail"
    assert verdict(ALL_RIGHTS_RESERVED, spans(24, 20, similarity=0.9))[0] == "fail"


def test_holding_quote_equals_its_definition() -> None:
    import random

    def reference(quotes: list[Quote], word_starts: list[int], slack: int) -> int:
        best, best_size = -1, 0
        for i, q in enumerate(quotes):
            inside = sum(1 for w in word_starts if q.start <= w < q.end)
            held = inside and len(word_starts) - inside <= slack
            if held and (best < 0 or q.end - q.start < best_size):
                best, best_size = i, q.end - q.start
        return best

    rng = random.Random(9)
    for _ in range(3000):
        quotes = []
        for _ in range(rng.randrange(0, 6)):
            s = rng.randrange(0, 60)
            quotes.append(Quote(start=s, end=s + rng.randrange(0, 40), words=3, kind="marks",
                                context="", attributed=False))
        starts = sorted(rng.sample(range(80), rng.randrange(0, 12)))
        slack = rng.randrange(0, 4)
        assert holding_quote(quotes, starts, slack) == reference(quotes, starts, slack)
