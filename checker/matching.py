"""Confirm and localise reuse between a draft and one source.

Candidates come from LSH; this module decides what was actually reproduced
and where. It works on word sequences in matching form:

1. Seeds: every position where a run of ``seed_words`` words of the draft
   equals one of the source (vectorised with sorted hashes).
2. Runs: seeds on one diagonal (same source-minus-draft offset) close to each
   other, i.e. verbatim stretches with single-word replacements.
3. Chains: runs joined across small shifts of the diagonal (a word dropped or
   inserted) and small gaps (a word replaced or swapped) into passages.
   Chains never need to be in source order across passages, so stitched
   excerpts and moved paragraphs are separate passages of one finding.
4. Chains are cut where the draft states a figure the source does not have at
   that place: formulaic reports share wording, not facts.
5. Each passage is confirmed with rapidfuzz (token-level Indel similarity).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Indel

from .sketch import shingle_hashes

I64 = npt.NDArray[np.int64]
#: Seeds on one diagonal: draft start, last draft seed, source start, last source seed, seeds.
Run = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class AlignParams:
    """Tuning of the alignment.

    Attributes:
        seed_words: words per seed; 3 tolerates an edit every ~5 words.
        max_gap: largest gap, in words, bridged inside one passage.
        max_shift: largest net number of words dropped or inserted between two
            runs of one passage.
        max_seed_occurrences: seeds that stand more often than this in the
            source are too common to anchor anything and are ignored.
        min_words: shortest passage reported, in draft words.
        min_density: share of a passage's draft words covered by seeds.
        split_at_figures: end a passage where the draft states a figure that
            does not stand at its place in the source (see
            :func:`_split_at_other_figures`).

    The gap, shift and density are wide enough to follow a heavily reworded
    passage (a rewrite keeps runs of 3-8 source words between changed ones:
    Clough & Stevenson's "heavy" answers, Reuters drafts with 30% of words
    edited); what keeps unrelated formulaic text apart is that figures must
    agree (:func:`_split_at_other_figures`) and that seeds are 3 words.
    Measured in ``benchmarks/accuracy.py`` (docs/benchmarks.md).
    """

    seed_words: int = 3
    max_gap: int = 16
    max_shift: int = 10
    max_seed_occurrences: int = 8
    min_words: int = 8
    min_density: float = 0.25
    split_at_figures: bool = True


@dataclass(frozen=True)
class Alignment:
    """One reproduced passage, as word index ranges (end exclusive)."""

    draft_start: int
    draft_end: int
    source_start: int
    source_end: int
    matched_words: int
    similarity: float

    @property
    def words(self) -> int:
        return self.draft_end - self.draft_start


def _seeds(dh: npt.NDArray[np.uint64], sh: npt.NDArray[np.uint64],
           max_occ: int) -> tuple[I64, I64]:
    """All ``(i, j)`` with ``dh[i] == sh[j]``, skipping over-common values."""
    order = np.argsort(sh, kind="stable")
    sorted_sh = sh[order]
    lo = np.searchsorted(sorted_sh, dh, side="left")
    hi = np.searchsorted(sorted_sh, dh, side="right")
    counts = hi - lo
    counts[counts > max_occ] = 0
    total = int(counts.sum())
    if total == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    i = np.repeat(np.arange(len(dh), dtype=np.int64), counts)
    # Position of each pair inside its draft position's range of source hits.
    starts = np.cumsum(counts) - counts
    within = np.arange(total, dtype=np.int64) - np.repeat(starts, counts)
    j = order[np.repeat(lo, counts) + within].astype(np.int64)
    return i, j


def _runs(i: I64, j: I64, max_gap: int) -> list[Run]:
    """Group seeds into same-diagonal runs: ``(i0, i1, j0, j1, seeds)``."""
    d = j - i
    order = np.lexsort((i, d))
    i, j, d = i[order], j[order], d[order]
    breaks = np.flatnonzero((np.diff(d) != 0) | (np.diff(i) > max_gap)) + 1
    bounds = np.concatenate(([0], breaks, [len(i)]))
    return [
        (int(i[a]), int(i[b - 1]), int(j[a]), int(j[b - 1]), int(b - a))
        for a, b in itertools.pairwise(bounds.tolist())
    ]


# How far (in words) a figure may sit from its place on a run's diagonal: a
# few words dropped or inserted next to it by an edit.
_FIGURE_SLACK = 2


#: Numbers news style spells out (below 10, and round ones): facts as much as digits are
#: ("seven to nine pct" against "four to six pct").
_NUMBER_WORDS = frozenset((
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred"))


def _is_figure(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS


def _split_at_other_figures(chain: list[Run], k: int, draft_words: list[str],
                            source_words: list[str]) -> list[list[Run]]:
    """Cut a chain where the draft states a figure its source passage does not have.

    Formulaic reports ("... rose 3.3 pct to 332.9 mln dlrs from ...", "told the
    Securities and Exchange Commission it has acquired 72,600 shares of ...")
    share their wording but not their facts; bridging the differing figures
    would make one long "passage" of two different stories. Copies keep the
    figures (an editor rewording a copy rarely changes them), so a number of
    the draft that does not stand at its place in the source (on the diagonal
    of a nearby run, give or take ``_FIGURE_SLACK`` words) is a boundary.

    Returns the parts.
    """
    ds, de = chain[0][0], max(r[1] for r in chain) + k
    n_src = len(source_words)

    def in_place(p: int) -> bool:
        word = draft_words[p]
        for i0, i1, j0, _j1, _n in chain:
            if i0 - _FIGURE_SLACK <= p < i1 + k + _FIGURE_SLACK:
                q = p + j0 - i0
                if any(0 <= q + t < n_src and source_words[q + t] == word
                       for t in range(-_FIGURE_SLACK, _FIGURE_SLACK + 1)):
                    return True
        return False

    figures = [p for p in range(ds, de) if _is_figure(draft_words[p])]
    cuts = [p for p in figures if not in_place(p)]
    if not cuts:
        return [chain]
    parts: list[list[Run]] = []
    for a, b in itertools.pairwise([ds - 1, *cuts, de]):
        lo, hi = a + 1, b  # draft words lo..hi-1, between two cuts
        if hi - lo < k:
            continue
        part: list[Run] = []
        for i0, i1, j0, _j1, n in chain:
            # A run is a stretch of seeds on one diagonal: clip it to the part.
            c0, c1 = max(i0, lo), min(i1, hi - k)
            if c0 <= c1:
                part.append((c0, c1, j0 + c0 - i0, j0 + c1 - i0, n))
        if part:
            parts.append(part)
    return parts


def alignable(draft_hashes: npt.NDArray[np.uint64],
              sources: list[npt.NDArray[np.uint64]],
              params: AlignParams = AlignParams()) -> list[bool]:
    """For each source (its word hashes): False when :func:`align` surely finds
    nothing in it, so a scan need not tokenise a source that shares no passage.

    Seeds are those of :func:`_seeds`: a draft shingle standing 1 to
    ``max_seed_occurrences`` times in the source. A passage covers ``min_words`` words
    with seeds; one seed covers ``seed_words``. Below that, it holds two seeds at draft
    positions at most ``max_gap + 1`` apart: two seeds of one run (runs break at larger
    gaps), or the last seed of one run and the first of the next in its chain (the
    quick test, on draft positions only). When two seeds cannot cover ``min_words``
    unless they are one run's (``2 * seed_words < min_words``), a source that passes it
    must also hold, among its seed pairs, one run's two seeds ``min_words - seed_words``
    or more apart, or three seeds joined as a chain joins them (:func:`_can_chain`): a
    chain of one or two seeds in different runs covers too few words. Most candidates
    of a draft that reproduces nothing share two common 3-word phrases close together
    and nothing more.
    """
    k = params.seed_words
    out = [False] * len(sources)
    live = [n for n, h in enumerate(sources) if len(h) >= k]
    if len(draft_hashes) < k or not live:
        return out
    dsh = shingle_hashes(draft_hashes, k)
    # Every source at once (a draft has ~30 candidates): their shingles, concatenated,
    # with the source each belongs to (shingles across two sources' words left out).
    sizes = np.array([len(sources[n]) for n in live], dtype=np.int64)
    per = sizes - k + 1
    first = np.cumsum(sizes) - sizes
    at = np.repeat(first - (np.cumsum(per) - per), per) + np.arange(int(per.sum()))
    ssh = shingle_hashes(np.concatenate([sources[n] for n in live]), k)[at]
    owner = np.repeat(np.arange(len(live)), per)
    # The shingles each source shares with the draft, and how often each stands in it.
    dsorted = np.sort(dsh)
    shared = dsorted[np.minimum(np.searchsorted(dsorted, ssh), len(dsorted) - 1)] == ssh
    own, val = owner[shared], ssh[shared]
    order = np.lexsort((val, own))
    own, val = own[order], val[order]
    runs = np.flatnonzero(np.concatenate(([True], (own[1:] != own[:-1])
                                          | (val[1:] != val[:-1])))) if len(own) else own
    times = np.diff(np.append(runs, len(own)))
    usable = times <= params.max_seed_occurrences
    u_own, u_val = own[runs][usable], val[runs][usable]
    # Seeds: the draft positions of each source's usable values (sorted by source, then
    # position; a position has one value, so each stands once per source).
    dorder = np.argsort(dsh, kind="stable")
    lo = np.searchsorted(dsh[dorder], u_val, "left")
    n_at = np.searchsorted(dsh[dorder], u_val, "right") - lo
    pos = dorder[np.repeat(lo - (np.cumsum(n_at) - n_at), n_at) + np.arange(int(n_at.sum()))]
    s_own = np.repeat(u_own, n_at)
    order = np.lexsort((pos, s_own))
    pos, s_own = pos[order], s_own[order]
    if k >= params.min_words:
        ok = np.bincount(s_own, minlength=len(live)) > 0
    else:
        near = (s_own[1:] == s_own[:-1]) & (np.diff(pos) <= params.max_gap + 1)
        ok = np.bincount(s_own[1:][near], minlength=len(live)) > 0
    # Each source's slice of the arrays sorted by source.
    sources_at = np.arange(len(live) + 1)
    s_at, u_at = np.searchsorted(s_own, sources_at), np.searchsorted(u_own, sources_at)
    sh_at = np.concatenate(([0], np.cumsum(per)))
    for i in np.flatnonzero(ok).tolist():
        n = live[i]
        out[n] = True
        if 2 * k < params.min_words:
            # The seeds of `align`, found among the few shingles that make them: every
            # occurrence of a usable value is kept, so the source counts are the same.
            seeds = pos[s_at[i]:s_at[i + 1]]
            values = u_val[u_at[i]:u_at[i + 1]]
            ssh_n = ssh[sh_at[i]:sh_at[i + 1]]
            at_source = np.flatnonzero(np.isin(ssh_n, values))
            si, sj = _seeds(dsh[seeds], ssh_n[at_source], params.max_seed_occurrences)
            out[n] = _can_chain(seeds[si], at_source[sj], params)
    return out


def _can_chain(i: I64, j: I64, params: AlignParams) -> bool:
    """Whether the seeds ``(i, j)`` (draft and source positions) can make a chain part
    covering ``min_words`` draft words, given ``2 * seed_words < min_words``: False only
    when :func:`align` surely keeps no passage.

    Consecutive seeds of a run, and the last seed of a run with the first of the next
    run of its chain, are *links*: ``0 < di <= max_gap + 1``, ``0 < dj <= max_gap + 1``
    and ``|di - dj| <= max_shift`` (a run's seeds share a diagonal, ``di = dj <=
    max_gap``). A part covers at most the union of its runs' spans ``[first seed, last
    seed + seed_words)`` (cutting at figures only shrinks them): a single seed covers
    ``seed_words``, two seeds of different runs ``2 * seed_words``, two seeds of one run
    ``di + seed_words``. So a part of ``min_words`` needs a link on one diagonal with
    ``di >= min_words - seed_words``, or three seeds ``a -> b -> c`` linked in turn.
    """
    k = params.seed_words
    if len(i) < 2:
        return False
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    # Pairs (a, b) with i[a] < i[b] <= i[a] + max_gap + 1 (seeds sorted by draft position).
    first = np.searchsorted(i, i, "right")
    stop = np.searchsorted(i, i + params.max_gap + 1, "right")
    n = stop - first
    total = int(n.sum())
    if total == 0:
        return False
    a = np.repeat(np.arange(len(i)), n)
    b = np.repeat(first - np.cumsum(n) + n, n) + np.arange(total)
    di, dj = i[b] - i[a], j[b] - j[a]
    link = (dj > 0) & (dj <= params.max_gap + 1) & (np.abs(di - dj) <= params.max_shift)
    if not link.any():
        return False
    a, b, di, dj = a[link], b[link], di[link], dj[link]
    if ((di == dj) & (di >= params.min_words - k) & (di <= params.max_gap)).any():
        return True
    into = np.zeros(len(i), dtype=bool)
    into[b] = True
    out = np.zeros(len(i), dtype=bool)
    out[a] = True
    return bool((into & out).any())


def align(draft_hashes: npt.NDArray[np.uint64], source_hashes: npt.NDArray[np.uint64],
          draft_words: list[str], source_words: list[str],
          params: AlignParams = AlignParams()) -> list[Alignment]:
    """Find the passages of the source reproduced in the draft.

    Args:
        draft_hashes, source_hashes: word hashes (:func:`checker.sketch.word_hashes`).
        draft_words, source_words: the same words, for the similarity check.
        params: alignment tuning.

    Returns:
        non-overlapping passages (in the draft), in draft order.
    """
    k = params.seed_words
    if len(draft_hashes) < k or len(source_hashes) < k:
        return []
    i, j = _seeds(shingle_hashes(draft_hashes, k), shingle_hashes(source_hashes, k),
                  params.max_seed_occurrences)
    if len(i) == 0:
        return []
    runs = sorted(_runs(i, j, params.max_gap))
    # Greedy chaining in draft order: extend the chain whose end is closest.
    chains: list[list[Run]] = []
    for run in runs:
        i0, _, j0, _, _ = run
        best, best_cost = None, None
        for c in chains:
            ci1, cj1 = c[-1][1], c[-1][3]
            di, dj = i0 - ci1, j0 - cj1
            if 0 < di <= params.max_gap + 1 and 0 < dj <= params.max_gap + 1 \
                    and abs(di - dj) <= params.max_shift:
                cost = di + dj + abs(di - dj)
                if best_cost is None or cost < best_cost:
                    best, best_cost = c, cost
        if best is None:
            chains.append([run])
        else:
            best.append(run)

    candidates: list[Alignment] = []
    for chain in chains:
        parts = (_split_at_other_figures(chain, k, draft_words, source_words)
                 if params.split_at_figures else [chain])
        for part in parts:
            ds, de = part[0][0], max(r[1] for r in part) + k
            ss = min(r[2] for r in part)
            se = max(r[3] for r in part) + k
            covered = np.zeros(de - ds, dtype=bool)
            for r in part:
                covered[r[0] - ds : r[1] - ds + k] = True
            matched = int(covered.sum())
            if matched < params.min_words or matched < params.min_density * (de - ds):
                continue
            sim = Indel.normalized_similarity(draft_words[ds:de], source_words[ss:se])
            candidates.append(Alignment(ds, de, ss, se, matched, round(float(sim), 4)))

    # One draft stretch is one passage: keep the best-covered of overlapping chains, and
    # cut what a better one already holds off the ends of the others. A draft word is
    # reproduced once, however often the source repeats it (a name, a set phrase): counted
    # in two passages, it would make a short shared stretch look like a long copy.
    kept: list[Alignment] = []
    for a in sorted(candidates, key=lambda a: (-a.matched_words, a.draft_start)):
        overlap = sum(max(0, min(a.draft_end, b.draft_end) - max(a.draft_start, b.draft_start))
                      for b in kept)
        if overlap > 0.5 * a.words:
            continue
        cut = _outside(a, kept, draft_words, source_words)
        if cut is not None and cut.words >= params.min_words:
            kept.append(cut)
    return sorted(kept, key=lambda a: a.draft_start)


def _outside(a: Alignment, kept: list[Alignment], draft_words: list[str],
             source_words: list[str]) -> Alignment | None:
    """``a`` without the draft words of ``kept`` passages (the source side cut alike,
    the similarity measured again): one overlapping an end cuts it there; one inside
    it leaves the longer side. None when nothing is left."""
    start, end = a.draft_start, a.draft_end
    for b in sorted(kept, key=lambda b: b.draft_start):
        if end <= b.draft_start or b.draft_end <= start:
            continue
        if b.draft_start <= start:
            start = b.draft_end
        elif end <= b.draft_end or b.draft_start - start >= end - b.draft_end:
            end = b.draft_start  # over the end, or inside with the longer side before it
        else:
            start = b.draft_end
    if end <= start:
        return None
    if (start, end) == (a.draft_start, a.draft_end):
        return a
    ss = min(a.source_end, a.source_start + (start - a.draft_start))
    se = max(ss, a.source_end - (a.draft_end - end))
    sim = Indel.normalized_similarity(draft_words[start:end], source_words[ss:se])
    return replace(a, draft_start=start, draft_end=end, source_start=ss, source_end=se,
                   matched_words=min(a.matched_words, end - start),
                   similarity=round(float(sim), 4))
