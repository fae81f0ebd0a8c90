"""Peer detectors that ``benchmarks/accuracy.py`` measures beside checker.

* :class:`CopydetectPeer`: copydetect (PyPI), the best-known open passage-level
  detector (MOSS-style winnowing of character k-grams). Used as its own API
  does it: :class:`copydetect.CodeFingerprint` of each file (filtering off, as
  ``--disable-filtering``: these are prose, not code) and
  :func:`copydetect.compare_files` for a draft against a reference. Two
  verdicts come from one comparison: copydetect's default (the draft's share
  of copied text above ``display_t`` = 0.33) and the one a user would tune,
  an absolute overlap (``min_chars`` copied characters, 150 ~ 25 words, the
  size at which checker fails one passage).
  Comparing every draft with every reference is what ``CopyDetector`` does;
  here only references sharing at least one fingerprint with the draft are
  compared, which gives the same result (a pair with no common fingerprint
  has no overlap) in far less time.
* :class:`DatasketchPeer`: what datasketch's documentation leads a user to:
  one MinHash (128 permutations) per document of its 5-word shingles, a
  ``MinHashLSH(threshold=0.5)``, and the first result of a query as the
  verdict ("first verdict wins"; results are sorted, so the run is
  deterministic).

Neither knows about licences, credit or quotation: whatever they flag fails.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

COPYDETECT_NOISE = 25  # copydetect's defaults: k-grams of 25 characters, window 1
COPYDETECT_GUARANTEE = 25
COPYDETECT_DISPLAY = 0.33
COPYDETECT_MIN_CHARS = 150  # the "tuned" verdict: ~25 words copied, anywhere in the draft

DATASKETCH_PERM = 128
DATASKETCH_SHINGLE = 5
DATASKETCH_THRESHOLD = 0.5

_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class PeerFlags:
    """The sources a peer flags in one draft, best first, per verdict rule."""

    by_rule: dict[str, tuple[str, ...]]


class CopydetectPeer:
    """copydetect's winnowing fingerprints and pairwise comparison."""

    RULES = ("default", "tuned")

    def __init__(self, min_chars: int = COPYDETECT_MIN_CHARS,
                 display_t: float = COPYDETECT_DISPLAY) -> None:
        import copydetect  # type: ignore[import-untyped]  # a benchmark-only dependency

        self._cd = copydetect
        self.min_chars = min_chars
        self.display_t = display_t
        self._refs: dict[str, Any] = {}
        self._postings: dict[int, list[str]] = defaultdict(list)

    def _fingerprint(self, name: str, text: str) -> Any:
        return self._cd.CodeFingerprint(
            name, COPYDETECT_NOISE, COPYDETECT_GUARANTEE - COPYDETECT_NOISE + 1,
            filter=False, fp=io.StringIO(text))

    def index(self, sources: Mapping[str, str]) -> None:
        for sid, text in sources.items():
            fp = self._fingerprint(sid, text)
            self._refs[sid] = fp
            for h in fp.hashes:
                self._postings[h].append(sid)

    def flags(self, text: str) -> PeerFlags:
        fp = self._fingerprint("draft.txt", text)
        candidates: set[str] = set()
        for h in fp.hashes:
            candidates.update(self._postings.get(h, ()))
        default: list[tuple[float, str]] = []
        tuned: list[tuple[float, str]] = []
        for sid in sorted(candidates):
            overlap, (sim_draft, _sim_ref), _slices = self._cd.compare_files(fp, self._refs[sid])
            if sim_draft > self.display_t:
                default.append((-float(sim_draft), sid))
            if overlap >= self.min_chars:
                tuned.append((-float(overlap), sid))
        return PeerFlags({"default": tuple(s for _, s in sorted(default)),
                          "tuned": tuple(s for _, s in sorted(tuned))})


def _shingles(text: str, k: int = DATASKETCH_SHINGLE) -> set[bytes]:
    words = _WORD_RE.findall(text.lower())
    if len(words) < k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


class DatasketchPeer:
    """Document-level MinHashLSH as in datasketch's documentation."""

    RULES = ("first",)

    def __init__(self, threshold: float = DATASKETCH_THRESHOLD,
                 num_perm: int = DATASKETCH_PERM) -> None:
        from datasketch import MinHash, MinHashLSH

        self._minhash = MinHash
        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)

    def _sketch(self, text: str) -> Any:
        m = self._minhash(num_perm=self.num_perm)
        m.update_batch(sorted(_shingles(text)))
        return m

    def index(self, sources: Mapping[str, str]) -> None:
        with self.lsh.insertion_session() as session:
            for sid, text in sources.items():
                session.insert(sid, self._sketch(text))

    def flags(self, text: str) -> PeerFlags:
        found = sorted(self.lsh.query(self._sketch(text)))
        return PeerFlags({"first": tuple(found[:1])})


PEERS: dict[str, type[CopydetectPeer] | type[DatasketchPeer]] = {
    "copydetect": CopydetectPeer,
    "datasketch": DatasketchPeer,
}
"""Peer name -> class; a peer's results are reported as ``name/rule``."""
