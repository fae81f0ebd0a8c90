"""Vectorised MinHash and LSH band keys (checker.sketch)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from conftest import words
from datasketch import MinHash

from checker.errors import ConfigError
from checker.sketch import (
    SketchParams,
    band_keys,
    shingle_hashes,
    shingle_hashes32,
    text_keys,
    window_signatures,
    word_hashes,
)


def shingles32(n_words: int, seed: int = 1, k: int = 3) -> np.ndarray:
    return shingle_hashes32(shingle_hashes(word_hashes(words(random.Random(seed), n_words)), k))


def datasketch_signature(values: np.ndarray, params: SketchParams) -> np.ndarray:
    m = MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=lambda x: x)
    for v in values.tolist():
        m.update(v)
    return np.asarray(m.hashvalues)


@pytest.mark.parametrize("params", [SketchParams(), SketchParams(num_perm=64, seed=42, bands=16,
                                                                 rows=4, passage_words=24,
                                                                 passage_stride=8,
                                                                 query_stride=4)])
@pytest.mark.parametrize("stride_name", ["passage_stride", "query_stride"])
def test_signatures_equal_datasketch(params: SketchParams, stride_name: str) -> None:
    stride = getattr(params, stride_name)
    sh = shingles32(150)
    sig = window_signatures(sh, params, stride)
    n = len(sh)
    starts = list(range(0, n, stride))
    n_windows = max(1, len(starts) - params.passage_words // stride + 1)
    assert sig.shape == (n_windows, params.num_perm) and sig.dtype == np.uint32
    for w in range(n_windows):
        lo = starts[w]
        # Every window spans passage_words shingles; the last one runs to the end.
        hi = n if w == n_windows - 1 else lo + params.passage_words
        np.testing.assert_array_equal(sig[w], datasketch_signature(sh[lo:hi], params))


def test_short_text_is_one_window_equal_to_datasketch() -> None:
    params = SketchParams()
    sh = shingles32(7)
    sig = window_signatures(sh, params, params.passage_stride)
    assert sig.shape == (1, params.num_perm)
    np.testing.assert_array_equal(sig[0], datasketch_signature(sh, params))
    # Fewer words than a shingle: one shingle of all of them.
    assert len(shingle_hashes(word_hashes(["only", "two"]), 3)) == 1
    assert window_signatures(shingles32(0), params, 4).shape == (0, params.num_perm)


def test_band_keys_are_deterministic_and_shaped() -> None:
    params = SketchParams()
    text = words(random.Random(3), 120)
    keys = text_keys(text, params, params.passage_stride)
    assert keys.dtype == np.int64 and keys.shape[1] == params.bands
    np.testing.assert_array_equal(keys, text_keys(list(text), params, params.passage_stride))
    # The same window in another text gets the same keys.
    shifted = text_keys(words(random.Random(9), 16) + text, params, params.passage_stride)
    assert set(keys[0].tolist()) <= set(shifted.ravel().tolist())
    # Bands are mixed in: equal rows in two bands still give different keys.
    sig = np.zeros((1, params.num_perm), dtype=np.uint32)
    assert len(set(band_keys(sig, params)[0].tolist())) == params.bands
    # A fixed input has a fixed key, across runs and machines.
    one = band_keys(np.arange(params.num_perm, dtype=np.uint32)[None, :], params)
    assert one.shape == (1, params.bands)
    np.testing.assert_array_equal(
        one, band_keys(np.arange(params.num_perm, dtype=np.uint32)[None, :], params))


def test_unrelated_texts_share_almost_no_keys() -> None:
    params = SketchParams()
    a = text_keys(words(random.Random(1), 300), params, params.passage_stride)
    b = text_keys(words(random.Random(2), 300), params, params.passage_stride)
    assert not set(a.ravel().tolist()) & set(b.ravel().tolist())


def test_word_hashes_are_stable() -> None:
    h = word_hashes(["harbor", "times", "harbor"])
    assert h.dtype == np.uint64 and h[0] == h[2] != h[1]
    # The polynomial hash of the UTF-8 bytes (scheme checker-2; see sketch.hash_word_bytes):
    # pinned so an index stays readable.
    assert int(word_hashes(["abc"])[0]) == 0xDE4677B262C901CA


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"num_perm": 1}, "num_perm must be at least 2"),
    ({"shingle_words": 0}, "shingle_words must be at least 1"),
    ({"bands": 0}, "bands and rows must be at least 1"),
    ({"bands": 40, "rows": 3}, r"bands \* rows must not exceed num_perm"),
    ({"passage_stride": 5}, r"passage_stride \(5\) must divide passage_words \(32\)"),
    ({"query_stride": 0}, r"query_stride \(0\) must divide passage_words \(32\)"),
])
def test_params_validation(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ConfigError, match="^invalid sketch parameters: " + message):
        SketchParams(**kwargs)  # type: ignore[arg-type]


def test_params_round_trip() -> None:
    p = SketchParams(num_perm=64, bands=16, rows=4)
    assert SketchParams.from_dict(p.to_dict()) == p
    assert p.to_dict()["scheme"] == SketchParams().scheme


def test_iter_text_keys_is_text_keys_in_chunks() -> None:
    # The scan looks a long draft up a chunk of windows at a time (bounded memory); the
    # keys must be exactly those of the whole text, at every length and chunk size.
    import random as _random

    from checker.sketch import PROFILES, iter_text_keys, text_keys

    rng = _random.Random(5)
    for params in PROFILES.values():
        for stride in (params.query_stride, params.passage_stride):
            for n in (1, 2, 3, 33, 34, 35, 36, 37, 64, 131, 1001):
                words = [str(rng.randint(0, 40)) for _ in range(n)]
                full = text_keys(words, params, stride)
                for chunk in (1, 3, 50):
                    parts = [k for _, k in iter_text_keys(words, params, stride, chunk)]
                    firsts = [w for w, _ in iter_text_keys(words, params, stride, chunk)]
                    assert np.array_equal(np.concatenate(parts), full), (n, chunk, stride)
                    assert firsts == list(range(0, len(full), chunk))
    assert list(iter_text_keys([], PROFILES["default"], 4)) == []
