"""Word alignment of a draft with one source (checker.matching)."""

from __future__ import annotations

import itertools
import random
from typing import Any

import numpy as np
from conftest import VOCAB, article, paragraph

from checker.matching import Alignment, align
from checker.sketch import word_hashes
from checker.text import tokenize


def run(draft: list[str], source: list[str]) -> list[Alignment]:
    return align(word_hashes(draft), word_hashes(source), draft, source)


def source_words(seed: int = 1) -> list[str]:
    return tokenize(article(seed, paragraphs=6, words_per_paragraph=60)).words


def host_words(n: int, seed: int = 99) -> list[str]:
    return tokenize(paragraph(random.Random(seed), n)).words


def test_verbatim_copy_is_one_passage() -> None:
    src = source_words()
    (a,) = run(src, src)
    assert (a.draft_start, a.draft_end, a.source_start, a.source_end) == (0, len(src), 0, len(src))
    assert a.similarity == 1.0 and a.matched_words == len(src) == a.words


def test_pasted_paragraph_in_a_long_draft() -> None:
    src = source_words()
    pasted = src[130:190]
    before, after = host_words(700, 5), host_words(900, 6)
    draft = before + pasted + after
    (a,) = run(draft, src)
    assert (a.draft_start, a.draft_end) == (len(before), len(before) + 60)
    assert (a.source_start, a.source_end) == (130, 190)
    assert a.similarity == 1.0


def edit_every(words: list[str], step: int, rng: random.Random) -> tuple[list[str], int]:
    """Change about one word in ``step``: replace, drop, or swap with the next."""
    out = list(words)
    edits = 0
    i = rng.randint(2, step)
    while i < len(out) - 1:
        kind = edits % 3
        if kind == 0:
            out[i] = rng.choice(VOCAB)
        elif kind == 1:
            del out[i]
        else:
            out[i], out[i + 1] = out[i + 1], out[i]
        edits += 1
        i += step + rng.randint(-1, 1)
    return out, edits


def test_light_edits_every_seven_words() -> None:
    src = source_words()
    draft, edits = edit_every(src, 7, random.Random(4))
    assert edits >= len(src) // 8
    found = run(draft, src)
    assert found
    covered = sum(a.words for a in found)
    assert covered >= 0.9 * len(draft)
    # No exact run survives 25 words, yet the alignment spans the whole text.
    assert max(a.words for a in found) >= 100
    assert all(a.similarity >= 0.7 for a in found)


def test_stitched_sentences_out_of_order() -> None:
    src = source_words()
    pieces = [(20, 36), (95, 113), (170, 184), (250, 271)]  # 16-21 words each
    glue = [host_words(12, 500 + s) for s in range(4)]
    draft: list[str] = []
    where = {}
    for (s, e), g in zip(reversed(pieces), glue, strict=True):
        draft += g
        where[(s, e)] = len(draft)
        draft += src[s:e]
    found = run(draft, src)
    assert len(found) == 4
    got = {(a.source_start, a.source_end): (a.draft_start, a.draft_end) for a in found}
    for (s, e), at in where.items():
        assert got[(s, e)] == (at, at + e - s)
    assert [a.draft_start for a in found] == sorted(a.draft_start for a in found)


def test_unrelated_texts_give_nothing() -> None:
    assert run(host_words(800, 11), source_words(2)) == []
    assert run([], source_words()) == []
    assert run(["two", "words"], source_words()) == []


def test_short_common_overlap_is_not_a_passage() -> None:
    src = source_words()
    draft = host_words(100, 501) + src[40:45] + host_words(100, 502)  # five shared words
    assert run(draft, src) == []


def test_formulaic_reports_with_other_figures_are_not_one_passage() -> None:
    # Same wording, other facts: two different stories, not a copy.
    template = ("the company told the securities and exchange commission it has acquired {a} "
                "shares of the common stock or {b} pct of the total outstanding and it may "
                "buy more shares or sell some or all of them in the open market in {c}")
    src = tokenize(template.format(a="72,600", b="5.1", c="april")).words
    other = tokenize(template.format(a="39,000", b="6.3", c="april")).words
    assert all(a.words < 25 for a in run(other, src))
    # The same figures are a copy.
    (a,) = run(src, src)
    assert a.words == len(src)


def test_spelled_out_numbers_are_figures_too() -> None:
    # A weekly crop report: the same sentences, other (spelled-out) shares each week.
    template = ("harvesting moved slowly forward reaching between {a} and {b} pct of the total "
                "planted area compared to {c} to {d} pct a week ago while the maize harvest "
                "reached {a} to {d} pct of the area sown the grain board said in its report")
    src = tokenize(template.format(a="four", b="six", c="two", d="four")).words
    other = tokenize(template.format(a="seven", b="nine", c="four", d="six")).words
    assert all(a.words < 25 for a in run(other, src))
    (a,) = run(src, src)
    assert a.words == len(src)


def test_alignable_is_false_only_where_align_finds_nothing() -> None:
    from checker.matching import AlignParams, alignable

    rng = random.Random(4)
    src = source_words()
    sources = [src, host_words(300, 7), src[40:52], src[:2], []]
    for n in range(60):  # drafts with scattered, short and long pieces of the source
        draft = host_words(rng.randint(0, 400), 100 + n)
        for _ in range(rng.randint(0, 4)):
            at, size = rng.randrange(len(src)), rng.choice([2, 3, 5, 8, 12, 40])
            cut = rng.randrange(len(draft) + 1)
            draft[cut:cut] = src[at : at + size]
        params = AlignParams(min_words=rng.choice([3, 8, 12]), max_gap=rng.choice([4, 16]))
        dh = word_hashes(draft)
        hashes = [word_hashes(s) for s in sources]
        for source, sh, can in zip(sources, hashes, alignable(dh, hashes, params), strict=True):
            found = align(dh, sh, draft, source, params)
            assert can or not found
    # Real reproductions are never filtered out.
    draft = host_words(200) + src[100:160] + host_words(200, 3)
    assert alignable(word_hashes(draft), [word_hashes(src)]) == [True]
    assert alignable(word_hashes(host_words(500)), [word_hashes(src)]) == [False]


# Bond terms: the wording of every such story, filled in with each issue's own facts.
BOND = ("the bond for the {name} finance unit is guaranteed by the parent company and "
        "investors will pay for it on april {day} when it starts to pay annual interest on the "
        "same day each year until it matures in {year} and fees total {fee} pct with {sell} "
        "points for selling and the rest for management and underwriting combined while the "
        "issue will be listed in luxembourg and sold in denominations of {denom} marks")


def bond(**facts: str) -> list[str]:
    return tokenize(BOND.format(**facts)).words


ALDER = {"name": "alder", "day": "9", "year": "1992", "fee": "2", "sell": "1 1/4",
         "denom": "1,000"}
BIRCH = {"name": "birch", "day": "15", "year": "1994", "fee": "3", "sell": "1 3/8",
         "denom": "5,000"}


def test_a_template_filled_with_other_figures_is_cut_at_each_figure() -> None:
    found = run(bond(**BIRCH), bond(**ALDER))
    assert found and all(a.words < 25 for a in found)


def test_a_copy_is_one_passage_even_with_its_sentences_moved() -> None:
    src = bond(**ALDER)
    (a,) = run(src, src)
    assert a.words == len(src)
    # A copy with its two halves swapped: the figures stand elsewhere in the source, at
    # their place in each half, so nothing is cut inside a half.
    half = len(src) // 2
    assert sum(a.words for a in run(src[half:] + src[:half], src)) >= len(src) - 2


def test_alignable_false_only_without_a_passage_on_repetitive_text() -> None:
    """Texts of a dozen words repeat 3-word phrases everywhere: many seeds, runs and
    chains that just miss (or just make) a passage. ``alignable`` may say True where
    ``align`` finds nothing, never the reverse."""
    from checker.matching import AlignParams, alignable

    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(12)]
    said_true = said_false = 0
    for n in range(300):
        source = [rng.choice(vocab) for _ in range(rng.randint(5, 120))]
        draft = [rng.choice(vocab) for _ in range(rng.randint(5, 120))]
        for _ in range(rng.randint(0, 3)):  # pieces of the source, sometimes edited
            at, size = rng.randrange(len(source)), rng.randint(2, 14)
            piece = list(source[at : at + size])
            if piece and rng.random() < 0.5:
                piece[rng.randrange(len(piece))] = rng.choice(vocab)
            cut = rng.randrange(len(draft) + 1)
            draft[cut:cut] = piece
        params = AlignParams(min_words=rng.choice([7, 8, 9, 12]), max_gap=rng.choice([4, 8, 16]),
                             max_shift=rng.choice([2, 10]),
                             max_seed_occurrences=rng.choice([2, 8]))
        dh, sh = word_hashes(draft), word_hashes(source)
        (can,) = alignable(dh, [sh], params)
        found = align(dh, sh, draft, source, params)
        assert can or not found, n
        said_true += can
        said_false += not can
    assert said_true and said_false  # both answers were exercised


def test_passages_never_overlap_in_the_draft() -> None:
    """A draft word is reproduced once: where the source repeats its phrases, chains
    through two places overlap in the draft, and the lesser one is cut to what the
    better one does not hold (or dropped). Drafts stitched from edited pieces of
    sources of 12 to 20 distinct words make such chains often (about one in ten before
    the cut)."""
    from checker.matching import AlignParams

    rng = random.Random(12)
    passages = 0
    for n in range(600):
        vocab = [f"w{i}" for i in range(rng.choice([12, 20]))]
        source = [rng.choice(vocab) for _ in range(rng.randint(20, 150))]
        draft = [rng.choice(vocab) for _ in range(rng.randint(5, 30))]
        for _ in range(rng.randint(1, 4)):
            at, size = rng.randrange(len(source)), rng.randint(6, 30)
            piece = [rng.choice(vocab) if rng.random() < 0.15 else w
                     for w in source[at : at + size]]
            at = rng.randrange(len(draft) + 1)
            draft[at:at] = piece
        params = AlignParams()
        found = align(word_hashes(draft), word_hashes(source), draft, source, params)
        for a, b in itertools.pairwise(found):
            assert a.draft_end <= b.draft_start, (n, a, b)
        for a in found:
            assert a.words >= params.min_words and a.matched_words <= a.words
            assert 0 <= a.source_start <= a.source_end <= len(source)
        passages += len(found)
    assert passages > 300


def _alignable_one(dh: Any, sh: Any, params: Any) -> bool:
    """``alignable`` of one source, as it was written before all sources went at once
    (one source at a time, ``np.isin`` on the draft): the reference the batch keeps."""
    from checker import sortedops
    from checker.matching import _can_chain, _seeds
    from checker.sketch import shingle_hashes

    k = params.seed_words
    if len(dh) < k or len(sh) < k:
        return False
    dsh, ssh = shingle_hashes(dh, k), shingle_hashes(sh, k)
    dsorted = np.sort(dsh)
    shared = ssh[dsorted[np.minimum(np.searchsorted(dsorted, ssh), len(dsorted) - 1)] == ssh]
    if not len(shared):
        return False
    values, times = sortedops.unique_counts(shared)
    usable = values[times <= params.max_seed_occurrences]
    seeds = np.flatnonzero(np.isin(dsh, usable))
    if k >= params.min_words:
        return len(seeds) > 0
    if not (np.diff(seeds) <= params.max_gap + 1).any():
        return False
    if 2 * k >= params.min_words:
        return True
    at_source = np.flatnonzero(np.isin(ssh, usable))
    i, j = _seeds(dsh[seeds], ssh[at_source], params.max_seed_occurrences)
    return _can_chain(seeds[i], at_source[j], params)


def test_alignable_of_many_sources_at_once_is_that_of_each_alone() -> None:
    from checker.matching import AlignParams, alignable

    rng = random.Random(21)
    vocab = [f"w{i}" for i in range(15)]
    for n in range(200):
        sources = [[rng.choice(vocab) for _ in range(rng.choice([0, 1, 2, 3, 4, 30, 120]))]
                   for _ in range(rng.randint(1, 8))]
        draft = [rng.choice(vocab) for _ in range(rng.choice([0, 2, 3, 40, 150]))]
        params = AlignParams(seed_words=rng.choice([2, 3, 4]),
                             min_words=rng.choice([2, 3, 7, 8, 12]),
                             max_gap=rng.choice([4, 16]),
                             max_seed_occurrences=rng.choice([1, 2, 8]))
        dh = word_hashes(draft)
        hashes = [word_hashes(s) for s in sources]
        assert alignable(dh, hashes, params) == [_alignable_one(dh, sh, params)
                                                 for sh in hashes], n
