"""Policy: defaults, validation (one-line ConfigError) and the allowlist."""

from __future__ import annotations

import dataclasses

import pytest

from checker.errors import ConfigError
from checker.policy import Policy


def test_defaults_match_the_readme_policy_table() -> None:
    p = Policy()
    assert (p.fail_total_words, p.fail_passage_words, p.min_passage_words) == (40, 25, 10)
    assert (p.quote_max_words, p.quote_max_total_words) == (25, 50)
    assert p.boilerplate_documents == 20
    assert p.allowlist == () and p.commercial is False


@pytest.mark.parametrize("field", ["fail_total_words", "fail_passage_words", "min_passage_words",
                                   "boilerplate_documents", "max_candidates", "quote_max_words",
                                   "quote_max_total_words"])
@pytest.mark.parametrize("value", [0, -3, 2.5, True, "25"])
def test_whole_number_fields_are_validated(field: str, value: object) -> None:
    with pytest.raises(ConfigError) as err:
        Policy(**{field: value})  # type: ignore[arg-type]
    assert field in str(err.value) and "\n" not in str(err.value)


def test_quote_limit_must_not_exceed_the_total() -> None:
    with pytest.raises(ConfigError, match="quote_max_words"):
        Policy(quote_max_words=60, quote_max_total_words=50)


def test_min_passage_must_not_exceed_fail_passage() -> None:
    with pytest.raises(ConfigError, match="min_passage_words"):
        Policy(min_passage_words=30)


@pytest.mark.parametrize("value", ["Meridian Wire", 3, None])
def test_allowlist_must_be_a_list_of_names(value: object) -> None:
    with pytest.raises(ConfigError, match="allowlist"):
        Policy(allowlist=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [[""], ["  "], [3]])
def test_allowlist_entries_must_be_names(value: object) -> None:
    with pytest.raises(ConfigError, match="allowlist"):
        Policy(allowlist=value)  # type: ignore[arg-type]


def test_commercial_must_be_a_bool() -> None:
    with pytest.raises(ConfigError, match="commercial"):
        Policy(commercial="yes")  # type: ignore[arg-type]


def test_allowlist_from_a_list_becomes_a_normalised_tuple() -> None:
    p = Policy(allowlist=["Meridian  Wire", "Harbor Times"])  # type: ignore[arg-type]
    assert p.allowlist == ("Meridian Wire", "Harbor Times")
    assert hash(p)  # still a frozen, hashable value


def test_allows_is_case_and_space_insensitive() -> None:
    p = Policy(allowlist=("Meridian Wire",))
    assert p.allows("meridian wire")
    assert p.allows("", "MERIDIAN   WIRE")
    assert not p.allows("Meridian Wired", "")
    assert not Policy().allows("Meridian Wire")


def test_policy_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Policy().commercial = True  # type: ignore[misc]


def test_a_near_verbatim_passage_fails_alone_at_the_passage_limit() -> None:
    p = Policy()
    assert p.fails_alone(25, 1.0) and p.fails_alone(26, 0.95)
    assert not p.fails_alone(24, 1.0)


def test_an_edited_passage_fails_alone_only_at_the_total_limit() -> None:
    p = Policy()
    assert not p.fails_alone(39, 0.9)  # a reworded sentence adds to the total instead
    assert p.fails_alone(40, 0.9) and p.fails_alone(43, 0.64, coverage=0.3)
    assert not p.fails_alone(60, 0.7, coverage=0.1)  # stray paraphrase counts nothing


def test_counted_words_scale_loose_passages_and_drop_stray_paraphrase() -> None:
    p = Policy()
    assert p.counted_words(30, 0.9) == 30  # at or above full_similarity: every word
    assert p.counted_words(30, 0.8) == round(30 * 0.8 / 0.85)
    # Paraphrase (below loose_similarity) counts when the draft derives from the source ...
    assert p.counted_words(30, 0.7, coverage=0.5) == round(30 * 0.7 / 0.85)
    # ... and not as a few echoed phrases in an otherwise original draft.
    assert p.counted_words(30, 0.7, coverage=0.1) == 0
    assert p.counted_words(30, 0.85, coverage=0.1) == 30  # a near copy counts anywhere


@pytest.mark.parametrize("field", ["loose_similarity", "loose_min_coverage"])
@pytest.mark.parametrize("value", [0, -0.1, 1.5, True, "0.8"])
def test_loose_fields_are_validated(field: str, value: object) -> None:
    with pytest.raises(ConfigError, match=field):
        Policy(**{field: value})  # type: ignore[arg-type]
