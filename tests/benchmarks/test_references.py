"""The two reference pipelines hash the same 5-word shingle strings."""

from __future__ import annotations

import pytest

from benchmarks import references


def test_shingles_are_lower_cased_word_runs() -> None:
    strings, words = references.shingles("The Harbor, council's VOTE on 12 sea-walls.")
    assert words == 9
    assert strings == ["the harbor council s vote", "harbor council s vote on",
                       "council s vote on 12", "s vote on 12 sea", "vote on 12 sea walls"]
    assert references.shingles("two words") == (["two words"], 2)
    assert references.shingles("") == ([""], 0)


def test_both_peers_count_the_same_words_on_the_same_texts() -> None:
    pytest.importorskip("rensa")
    texts = ["one two three four five six seven", "short text", "A b c d e f g h i j"]
    ds_t = references.datasketch_pipeline(texts)
    rs_t = references.rensa_pipeline(texts)
    assert rs_t is not None
    assert ds_t.documents == rs_t.documents == 3
    assert ds_t.words == rs_t.words == 7 + 2 + 10


def test_rensa_signature_is_of_the_shingles_not_the_words() -> None:
    rensa = pytest.importorskip("rensa")
    text = "alpha beta gamma delta epsilon zeta eta theta"
    strings, _ = references.shingles(text)
    by_shingles = rensa.RMinHash(num_perm=128, seed=42)
    by_shingles.update(strings)
    by_words = rensa.RMinHash(num_perm=128, seed=42)
    by_words.update(text.split())
    same = rensa.RMinHash(num_perm=128, seed=42)
    same.update(list(strings))
    assert by_shingles.digest() == same.digest() != by_words.digest()
