"""When reuse fails a draft: thresholds and the verdict of a finding.

The first policy is size-based: reproducing 40 words in total from one
source, or one passage of 25 words, fails; a smaller match warns. Rights
(licences, quotation, attribution) refine this in :mod:`checker.rights`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError


@dataclass(frozen=True)
class Policy:
    """Thresholds of the verdict, all in draft words.

    Attributes:
        fail_total_words: a source reproduced this much in total fails.
        fail_passage_words: one passage this long fails.
        min_passage_words: shorter matches are not reported at all.
        boilerplate_documents: an LSH bucket shared by this many indexed
            documents is boilerplate (footers, newsletter pitches) and never
            makes a candidate.
        max_candidates: sources aligned per draft, best LSH scores first.
    """

    fail_total_words: int = 40
    fail_passage_words: int = 25
    min_passage_words: int = 10
    boilerplate_documents: int = 20
    max_candidates: int = 50

    def __post_init__(self) -> None:
        for name in ("fail_total_words", "fail_passage_words", "min_passage_words",
                     "boilerplate_documents", "max_candidates"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{name} must be a whole number of at least 1, got {value!r}")
        if self.min_passage_words > self.fail_passage_words:
            raise ConfigError(
                f"min_passage_words ({self.min_passage_words}) must not exceed "
                f"fail_passage_words ({self.fail_passage_words})"
            )


@dataclass(frozen=True)
class Judgement:
    """The verdict of one finding, with a reason code and a message."""

    verdict: str
    reason: str
    message: str


def judge_size(total_words: int, longest_words: int, policy: Policy, source_name: str) -> Judgement:
    """Size-only verdict: fail at the total or passage threshold, else warn."""
    if total_words >= policy.fail_total_words or longest_words >= policy.fail_passage_words:
        return Judgement(
            "fail", "reproduction",
            f"reproduces {total_words} words of {source_name} (longest passage "
            f"{longest_words} words); rewrite or remove the passages, or get permission",
        )
    return Judgement(
        "warn", "below-threshold",
        f"shares {total_words} words with {source_name}, below the "
        f"{policy.fail_passage_words}-word passage and {policy.fail_total_words}-word total limits",
    )
