"""Stories told from sketches: the batched hash counts equal pairwise intersections, and
grouping joins copies, keeps different stories apart and depends on nothing but the
documents it is given."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.storygroups import copies_by_count, found_stories, shared_counts
from checker.storysketch import SKETCH_SIZE

U64 = np.uint64


def sketch(values: list[int]) -> np.ndarray:
    return np.array(sorted(set(values)), dtype=U64)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 200), max_size=40), max_size=12))
def test_shared_counts_are_the_pairwise_intersections(raw: list[list[int]]) -> None:
    sketches = [sketch(v) for v in raw]
    got = shared_counts(sketches)
    assert got.shape == (len(sketches), len(sketches))
    for i, a in enumerate(sketches):
        for j, b in enumerate(sketches):
            assert got[i, j] == len(np.intersect1d(a, b))


def test_hashes_past_float_precision_are_told_apart() -> None:
    # Two uint64 hashes that one float64 would round to the same value.
    a = sketch([2**63 + 1])
    b = sketch([2**63 + 2])
    assert shared_counts([a, b]).tolist() == [[1, 0], [0, 1]]


def reference(batch: list[tuple[np.ndarray, int]]) -> list[int]:
    """Each document's story (index of its founder), one pair at a time."""
    founders: list[int] = []
    story = []
    for i, (s, n) in enumerate(batch):
        best, best_shared = None, 0
        for f in founders:
            shared = len(np.intersect1d(s, batch[f][0]))
            if shared > best_shared:
                best, best_shared = f, shared
        if best is not None and copies_by_count(best_shared, n, batch[best][1]):
            story.append(best)
        else:
            founders.append(i)
            story.append(i)
    return story


def test_grouping_matches_the_pair_by_pair_reference() -> None:
    rng = random.Random(5)
    universe = [rng.getrandbits(64) for _ in range(400)]
    for _ in range(200):
        stories = [rng.sample(universe, 60) for _ in range(rng.randrange(1, 5))]
        batch = []
        for _ in range(rng.randrange(1, 25)):
            base = rng.choice(stories)
            kept = [h for h in base if rng.random() < rng.choice((0.3, 0.7, 0.95))]
            s = sketch(kept + rng.sample(universe, rng.randrange(0, 20)))
            batch.append((s, len(s)))
        want = len(set(reference(batch)))
        # One batch, or the same documents in two batches: the same stories.
        assert len(found_stories([], batch)) == want
        cut = len(batch) // 2
        assert len(found_stories(found_stories([], batch[:cut]), batch[cut:])) == want


def test_copies_are_one_story_and_different_texts_are_many() -> None:
    rng = np.random.default_rng(1)
    story = np.sort(rng.choice(2**62, SKETCH_SIZE, replace=False).astype(U64))
    copies = [(story, 600)] * 10
    others = [(np.sort(rng.choice(2**62, SKETCH_SIZE, replace=False).astype(U64)), 600)
              for _ in range(10)]
    assert len(found_stories([], copies)) == 1
    assert len(found_stories([], others)) == 10
    assert len(found_stories([], copies + others)) == 11


def test_empty_sketches_each_found_a_story() -> None:
    empty = np.zeros(0, dtype=U64)
    assert len(found_stories([], [(empty, 0), (empty, 0)])) == 2
    assert found_stories([], []) == []
