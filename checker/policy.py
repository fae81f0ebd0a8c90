"""When reuse fails a draft: thresholds, quotation limits, partners and the size verdict.

The size rule: reproducing 40 words in total from one source, or one passage
of 25 words, fails; a smaller match warns. Rights (licences, quotation,
attribution, licensed partners) refine this in :mod:`checker.rights`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ConfigError

_WHOLE_NUMBERS = ("fail_total_words", "fail_passage_words", "min_passage_words",
                  "boilerplate_documents", "max_candidates", "quote_max_words",
                  "quote_max_total_words", "common_sources")


@dataclass(frozen=True)
class Policy:
    """Thresholds and rights settings of the verdict; sizes are in draft words.

    Attributes:
        fail_total_words: a source reproduced this much in total fails.
        fail_passage_words: one near-verbatim passage this long fails (an edited one
            needs ``fail_total_words``; see :attr:`passage_similarity`).
        min_passage_words: shorter matches are not reported at all.
        boilerplate_documents: text that stands in this many indexed documents
            (footers, newsletter pitches, photo credits) is boilerplate: its
            LSH buckets never make a candidate and its passages never count.
        max_candidates: sources aligned per draft, best LSH scores first.
        quote_max_words: an attributed quotation up to this long is fair quotation.
        quote_max_total_words: fair quotation from one source stops at this total.
        allowlist: publishers whose text may be reproduced (licensed partners),
            matched case-insensitively; a list is accepted and kept as a tuple.
        commercial: the drafts are a commercial use, so CC BY-NC sources fail
            instead of warning.
        full_similarity: a passage at least this similar to its source (0-1,
            word-level) counts all its words; a less similar one counts only the
            share it keeps (``words * similarity / full_similarity``), so loose
            paraphrase of formulaic wording does not add up to a reproduction.
        loose_similarity, loose_min_coverage: a passage less similar than
            ``loose_similarity`` is paraphrase; it counts only when the source's
            passages cover at least ``loose_min_coverage`` of the draft's words (the
            draft as a whole derives from the source), not as a few echoed phrases in
            an otherwise original piece (a follow-up story retelling the same news).
        common_sources: a passage whose draft text also matches at least this
            many *other* indexed stories is common phrasing (standard wording of
            a kind of story), and does not count unless near-verbatim and a
            passage long (``passage_similarity``, ``fail_passage_words``).
        passage_similarity: a passage at least this similar to its source is
            near-verbatim: it fails on its own at ``fail_passage_words``, and
            counts even when its wording is common. An edited one fails on its
            own only when it is ``fail_total_words`` long, and otherwise adds to
            the total (a reworded sentence or two is judged with the draft's
            other passages; see :meth:`fails_alone`).
    """

    fail_total_words: int = 40
    fail_passage_words: int = 25
    min_passage_words: int = 10
    boilerplate_documents: int = 20
    max_candidates: int = 50
    quote_max_words: int = 25
    quote_max_total_words: int = 50
    allowlist: tuple[str, ...] = ()
    commercial: bool = False
    full_similarity: float = 0.85
    loose_similarity: float = 0.8
    loose_min_coverage: float = 0.2
    common_sources: int = 2
    passage_similarity: float = 0.95

    def __post_init__(self) -> None:
        for name in _WHOLE_NUMBERS:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{name} must be a whole number of at least 1, got {value!r}")
        if self.min_passage_words > self.fail_passage_words:
            raise ConfigError(
                f"min_passage_words ({self.min_passage_words}) must not exceed "
                f"fail_passage_words ({self.fail_passage_words})"
            )
        if self.quote_max_words > self.quote_max_total_words:
            raise ConfigError(
                f"quote_max_words ({self.quote_max_words}) must not exceed "
                f"quote_max_total_words ({self.quote_max_total_words}); raise the total too"
            )
        for name in ("full_similarity", "loose_similarity", "loose_min_coverage",
                     "passage_similarity"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not 0 < value <= 1:
                raise ConfigError(f"{name} must be a number above 0 and at most 1, "
                                  f"got {value!r}")
        if not isinstance(self.commercial, bool):
            raise ConfigError(f"commercial must be true or false, got {self.commercial!r}")
        allow: Any = self.allowlist
        if isinstance(allow, str) or not isinstance(allow, (list, tuple)):
            raise ConfigError(f"allowlist must be a list of publisher names, got {allow!r}")
        names = []
        for name in allow:
            if not isinstance(name, str) or not name.strip():
                raise ConfigError(f"allowlist entries must be non-empty publisher names, "
                                  f"got {name!r}")
            names.append(" ".join(name.split()))
        # Frozen: a list from a config file is normalised to a tuple once, here.
        object.__setattr__(self, "allowlist", tuple(names))

    def counted_words(self, words: int, similarity: float, coverage: float = 1.0) -> int:
        """Words of a passage that count towards the size limits (see
        :attr:`full_similarity` and :attr:`loose_similarity`).

        Args:
            words: the passage's draft words.
            similarity: its word-level similarity to the source (0-1).
            coverage: the share of the draft's words that all passages of this
                source cover (0-1; 1 when unknown).
        """
        if similarity < self.loose_similarity and coverage < self.loose_min_coverage:
            return 0
        return round(words * min(1.0, similarity / self.full_similarity))

    def fails_alone(self, words: int, similarity: float, coverage: float = 1.0) -> bool:
        """One passage reaches the size limit on its own (arguments as for
        :meth:`counted_words`).

        A near-verbatim passage (:attr:`passage_similarity`) does at
        :attr:`fail_passage_words` counted words. An edited one needs
        :attr:`fail_total_words` draft words: the same facts retold in a reworded
        sentence or two (a follow-up story, a press release rewritten) are not a
        reproduction by themselves, while a long passage that follows its source
        throughout is, however it is reworded.
        """
        counted = self.counted_words(words, similarity, coverage)
        if not counted:
            return False
        if similarity >= self.passage_similarity:
            return counted >= self.fail_passage_words
        return words >= self.fail_total_words

    def allows(self, *publishers: str) -> bool:
        """True when any of ``publishers`` is on the allowlist (case-insensitive)."""
        wanted = {n.casefold() for n in self.allowlist}
        return any(" ".join(p.split()).casefold() in wanted for p in publishers if p)


@dataclass(frozen=True)
class Judgement:
    """The verdict of one finding, with a reason code and a message."""

    verdict: str
    reason: str
    message: str
