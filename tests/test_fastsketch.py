"""The byte-array indexing path gives exactly the words and keys of the exact path."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.fastsketch import batch_keys, batch_word_hashes, byte_text
from checker.sketch import (
    SketchParams,
    band_keys,
    shingle_hashes,
    shingle_hashes32,
    window_signatures,
    word_hashes,
)
from checker.text import mask_spans, tokenize, tokenize_exact
from checker.visual import shown

# Characters that exercise every rule of tokenize: ASCII letters, digits and
# punctuation, apostrophes (straight and curly), soft hyphens, line-break
# hyphenation, quotes, dashes, no-break spaces, accents (composed and combining),
# invisible characters (zero-width space and joiner, a bidi control, a tag) and
# look-alike letters of other scripts (Cyrillic a and capital I, Greek omicron).
ALPHABET = st.sampled_from([
    *"abcXYZ019 '\n\t-\r>.,;\u00ad\u2019\u02bc\u201c\u201d\u2014\u00a0\u00e9e\u0301\u00c9\u0130_"
    "\ufb01\u00b2\u00a9\u200b\u200d\u202e\u0430\u0406\u03bf", "\U000e0041"])
TEXTS = st.text(ALPHABET, max_size=120)
PARAMS = SketchParams(passage_words=4, passage_stride=2, query_stride=1, bands=4, rows=2,
                      num_perm=8)


@st.composite
def masked_texts(draw: st.DrawFn) -> tuple[str, tuple[tuple[int, int], ...]]:
    text = draw(TEXTS)
    spans = draw(st.lists(st.tuples(st.integers(0, len(text) + 3),
                                    st.integers(0, len(text) + 3)), max_size=3))
    return text, tuple(mask_spans([(min(a, b), max(a, b)) for a, b in spans]))


def exact(text: str, mask: tuple[tuple[int, int], ...], params: SketchParams
          ) -> tuple[np.ndarray, int]:
    tokens = tokenize_exact(shown(text), mask)
    if not tokens.words:
        return np.empty((0, params.bands), dtype=np.int64), 0
    sh = shingle_hashes(word_hashes(tokens.words), params.shingle_words)
    sig = window_signatures(shingle_hashes32(sh), params, params.passage_stride)
    return band_keys(sig, params), len(tokens)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(masked_texts(), min_size=1, max_size=6))
def test_byte_path_words_equal_tokenize(docs: list[tuple[str, tuple[tuple[int, int], ...]]]
                                        ) -> None:
    fast = [(t, m) for t, m in docs if byte_text(t) is not None]
    if fast:
        hashes, counts = batch_word_hashes([byte_text(t) or b"" for t, _ in fast],
                                           [m for _, m in fast])
        expected = [word_hashes(tokenize_exact(shown(t), m).words) for t, m in fast]
        assert counts.tolist() == [len(e) for e in expected]
        assert np.array_equal(hashes, np.concatenate(expected))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(masked_texts())
def test_tokenize_equals_its_definition(doc: tuple[str, tuple[tuple[int, int], ...]]) -> None:
    text, mask = doc
    fast, ref = tokenize(text, mask), tokenize_exact(shown(text), mask)
    assert fast.words == ref.words
    assert fast.starts.tolist() == ref.starts.tolist() and fast.ends.tolist() == ref.ends.tolist()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(masked_texts(), min_size=1, max_size=6))
def test_batch_keys_equal_exact_path(docs: list[tuple[str, tuple[tuple[int, int], ...]]]) -> None:
    keys, words = batch_keys([t for t, _ in docs], [m for _, m in docs], PARAMS)
    for (text, mask), k, n in zip(docs, keys, words, strict=True):
        ek, en = exact(text, mask, PARAMS)
        assert n == en
        assert np.array_equal(k, ek)


def test_batch_keys_equal_exact_path_on_long_texts() -> None:
    rng = np.random.default_rng(3)
    vocab = ["harbor", "vote", "don't", "exam-\nple", "Times", "42", "council", "sea-wall",
             "\u201cquoted\u201d", "\u2014", "said", "the"]
    texts = [" ".join(rng.choice(vocab, size=int(rng.integers(0, 900)))) for _ in range(40)]
    masks = [((5, 40),) if i % 3 == 0 else () for i in range(len(texts))]
    for params in (SketchParams(), SketchParams(num_perm=32, bands=16, rows=2, passage_stride=32)):
        keys, words = batch_keys(texts, masks, params)
        for text, mask, k, n in zip(texts, masks, keys, words, strict=True):
            ek, en = exact(text, mask, params)
            assert n == en and np.array_equal(k, ek)


def test_word_hash_matches_its_definition() -> None:
    # hash(w) = fmix64(sum_j w[j] * M**j + len(w) * L) over the UTF-8 bytes (mod 2**64).
    from checker.sketch import _WORD_LEN, _WORD_MUL, _fmix64

    for word in ["a", "harbor", "d\u00e9j\u00e0", "x" * 70]:
        data = word.encode("utf-8")
        total = sum(b * pow(int(_WORD_MUL), j, 1 << 64) for j, b in enumerate(data))
        total = (total + len(data) * int(_WORD_LEN)) % (1 << 64)
        expected = _fmix64(np.array([total], dtype=np.uint64))[0]
        assert word_hashes([word])[0] == expected


def test_texts_with_non_ascii_letters_take_the_exact_path() -> None:
    assert byte_text("plain ascii") == b"plain ascii"
    assert byte_text("\u201cquoted\u201d \u2014 dash") == b"?quoted? ? dash"
    assert byte_text("caf\u00e9") is None
    assert byte_text("don\u2019t") is None
    assert byte_text("e\u0301") is None  # a combining mark joins its letter


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(masked_texts(), min_size=0, max_size=6))
def test_text_word_hashes_equal_tokenize(docs: list[tuple[str, tuple[tuple[int, int], ...]]]
                                         ) -> None:
    from checker.fastsketch import text_word_hashes

    got = text_word_hashes([t for t, _ in docs], [m for _, m in docs])
    assert len(got) == len(docs)
    for (text, mask), h in zip(docs, got, strict=True):
        assert np.array_equal(h, word_hashes(tokenize_exact(shown(text), mask).words))


def test_byte_text_latin1_tables_equal_the_character_rule() -> None:
    """byte_text's Latin-1 shortcut (translate tables) gives what the per-character
    rule gives: None when a non-ASCII character is wordish, else "?" for each."""
    from checker.fastsketch import _wordish, byte_text

    def rule(text: str) -> bytes | None:
        if any(not c.isascii() and _wordish(c) for c in text):
            return None
        return text.encode("ascii", "replace")

    texts = [f"a{chr(b)}b {chr(b)}" for b in range(512)]
    texts += ["© 2024 Reuters \u00a0– “quoted”", "caf\u00e9", "x\u00adx", "1\u00b2", "\u00d7\u00f7"]
    for text in texts:
        assert byte_text(text) == rule(text), repr(text)
