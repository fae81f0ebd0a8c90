"""The compiled kernels (checker.kernels) equal the numpy definitions bit for bit.

The numpy batch path that indexing used before the kernels (word hashes on byte arrays,
``numpy_signatures``, ``band_keys``) is kept here as the reference, with the
one-document definitions (``tokenize_exact``, ``window_signatures``) and datasketch.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import datasets as ds
from checker import kernels
from checker.fastsketch import batch_keys, batch_word_hashes, byte_text, kernel_inputs
from checker.sketch import (
    PROFILES,
    SketchParams,
    _fmix32,
    band_keys,
    permutations,
    shingle_hashes,
    shingle_hashes32,
    window_signatures,
    word_hashes,
)
from checker.text import mask_spans, tokenize_exact
from checker.visual import shown

ROOT = Path(__file__).resolve().parent.parent
ALPHABET = st.sampled_from(list(
    "abcXYZ019 '\n\t-\r>.,;\u00ad\u2019\u02bc\u201c\u201d\u2014\u00a0\u00e9e\u0301\u00c9\u0130_"
    "\ufb01\u00b2\u00a9"))
SMALL = SketchParams(passage_words=4, passage_stride=2, query_stride=1, bands=4, rows=2,
                     num_perm=8)
PARAMS = [SMALL, PROFILES["default"], PROFILES["archive"],
          SketchParams(num_perm=64, seed=42, bands=16, rows=4, passage_words=24,
                       passage_stride=8, query_stride=4, shingle_words=5)]
Mask = tuple[tuple[int, int], ...]


def numpy_signatures(hashes: np.ndarray, counts: np.ndarray, params: SketchParams
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Passage signatures of documents whose words are concatenated in ``hashes``.

    Returns the signatures (passages x num_perm) and the passages of each document.
    Same result as :func:`checker.sketch.window_signatures` per document.
    """
    k, stride = params.shingle_words, params.passage_stride
    per_window = params.passage_words // stride
    n_docs = len(counts)
    n_sh = np.where(counts >= k, counts - k + 1, np.minimum(counts, 1))
    word_start = np.zeros(n_docs, dtype=np.int64)
    np.cumsum(counts[:-1], out=word_start[1:])
    # Shingles over the whole array; keep those inside one document.
    full = shingle_hashes(hashes, k) if len(hashes) >= k else np.empty(0, np.uint64)
    idx = np.repeat(word_start, n_sh) + (
        np.arange(int(n_sh.sum())) - np.repeat(np.cumsum(n_sh) - n_sh, n_sh))
    short = np.flatnonzero((counts > 0) & (counts < k))
    sh = np.empty(len(idx), dtype=np.uint64)
    long_rows = np.repeat(counts >= k, n_sh)
    sh[long_rows] = full[idx[long_rows]]
    sh_start = np.cumsum(n_sh) - n_sh
    for d in short.tolist():  # documents shorter than one shingle: rare
        w0 = int(word_start[d])
        sh[sh_start[d]] = shingle_hashes(hashes[w0 : w0 + int(counts[d])], k)[0]
    fx = _fmix32(shingle_hashes32(sh))
    # Pad each document to whole blocks by repeating its last shingle (the min
    # is unchanged), so block minima are a reshape and a min over one axis.
    n_blocks = -(-n_sh // stride)
    padded = n_blocks * stride
    last = np.cumsum(n_sh) - 1
    pos = np.arange(int(padded.sum())) - np.repeat(np.cumsum(padded) - padded, padded)
    src = np.minimum(np.repeat(sh_start, padded) + pos, np.repeat(last, padded))
    fx = fx[src]
    a, b = permutations(params.num_perm, params.seed)
    total_blocks = int(n_blocks.sum())
    blocks = np.empty((total_blocks, params.num_perm), dtype=np.uint32)
    chunk = max(stride, 4096 // stride * stride)
    buf = np.empty((chunk, params.num_perm), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for s in range(0, len(fx), chunk):
            part = fx[s : s + chunk]
            m = buf[: len(part)]
            np.multiply(part[:, None], a[None, :], out=m)
            np.add(m, b[None, :], out=m)
            m.reshape(-1, stride, params.num_perm).min(axis=1, out=blocks[s // stride :
                                                                       (s + len(part)) // stride])
    n_win = np.where(n_sh > 0, np.maximum(1, n_blocks - per_window + 1), 0)
    if per_window == 1:
        return blocks, n_win
    block_start = np.cumsum(n_blocks) - n_blocks
    blk_doc_end = np.repeat(block_start + n_blocks, n_blocks)
    sig = blocks.copy()
    rows = np.arange(total_blocks)
    for j in range(1, per_window):
        ok = np.flatnonzero(rows + j < blk_doc_end)
        sig[ok] = np.minimum(sig[ok], blocks[ok + j])
    local = rows - np.repeat(block_start, n_blocks)
    return sig[local < np.repeat(n_win, n_blocks)], n_win


def numpy_batch_keys(texts: list[str], masks: list[Mask], params: SketchParams
                     ) -> tuple[list[np.ndarray], list[int]]:
    """The numpy batch path (byte-path texts in one pass; others one at a time)."""
    keys: list[np.ndarray] = []
    words: list[int] = []
    for text, mask in zip(texts, masks, strict=True):
        b = byte_text(text)
        if b is None:
            tokens = tokenize_exact(shown(text), mask)
            if not tokens.words:
                keys.append(np.empty((0, params.bands), dtype=np.int64))
                words.append(0)
                continue
            sh = shingle_hashes32(shingle_hashes(word_hashes(tokens.words), params.shingle_words))
            keys.append(band_keys(window_signatures(sh, params, params.passage_stride), params))
            words.append(len(tokens))
            continue
        hashes, counts = batch_word_hashes([b], [mask])
        sig, _ = numpy_signatures(hashes, counts, params)
        keys.append(band_keys(sig, params))
        words.append(int(counts[0]))
    return keys, words


def assert_same(texts: list[str], masks: list[Mask], params: SketchParams) -> None:
    got, got_words = batch_keys(texts, masks, params)
    want, want_words = numpy_batch_keys(texts, masks, params)
    assert got_words == want_words
    for g, w in zip(got, want, strict=True):
        assert g.dtype == np.int64 and g.shape == w.shape
        assert np.array_equal(g, w)


@st.composite
def masked_texts(draw: st.DrawFn) -> tuple[str, Mask]:
    text = draw(st.text(ALPHABET, max_size=200))
    spans = draw(st.lists(st.tuples(st.integers(0, len(text) + 3),
                                    st.integers(0, len(text) + 3)), max_size=3))
    return text, tuple(mask_spans([(min(a, b), max(a, b)) for a, b in spans]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(masked_texts(), min_size=1, max_size=8), st.sampled_from(PARAMS))
def test_kernel_keys_equal_numpy_path(docs: list[tuple[str, Mask]], params: SketchParams
                                      ) -> None:
    assert_same([t for t, _ in docs], [m for _, m in docs], params)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(masked_texts(), min_size=1, max_size=8))
def test_word_kernel_equals_tokenize(docs: list[tuple[str, Mask]]) -> None:
    fast = [(byte_text(t), t, m) for t, m in docs if byte_text(t) is not None]
    if not fast:
        return
    hashes, starts, ends, counts = kernels.words(*kernel_inputs([b or b"" for b, _, _ in fast],
                                                                [m for _, _, m in fast]))
    at = 0
    for (_, text, mask), n in zip(fast, counts.tolist(), strict=True):
        ref = tokenize_exact(shown(text), mask)
        assert n == len(ref)
        assert np.array_equal(hashes[at : at + n], word_hashes(ref.words))
        assert starts[at : at + n].tolist() == ref.starts.tolist()
        assert ends[at : at + n].tolist() == ref.ends.tolist()
        at += n


def test_empty_short_and_huge_documents() -> None:
    rng = np.random.default_rng(5)
    vocab = ["harbor", "vote", "don't", "exam-\nple", "Times", "42", "council", "sea-wall",
             "\u201cquoted\u201d", "\u2014", "said", "the", "caf\u00e9", "na\u00efve"]
    huge = " ".join(rng.choice(vocab[:12], size=300_000))  # byte path, 300k words
    texts = ["", "   ", "one", "two words", "three word text", "...", huge,
             " ".join(rng.choice(vocab, size=5000)),  # non-ASCII letters: exact path
             "x" * 100_000]
    masks: list[Mask] = [(), (), ((0, 2),), (), ((4, 9),), (), ((10, 5000),), (), ()]
    for params in PARAMS:
        assert_same(texts, masks, params)
    keys, words = batch_keys(texts, masks, PROFILES["default"])
    assert words[:5] == [0, 0, 0, 2, 2] and keys[0].shape == (0, 32)
    assert words[6] > 290_000 and words[8] == 1


def _corpus() -> list[str]:
    from checker.readers import iter_files, read_file

    return [d.text for path, name in iter_files([ROOT / "fixtures" / "articles"])
            for d in read_file(path, name)]


def test_kernel_keys_equal_numpy_path_on_fixtures() -> None:
    texts = _corpus()
    masks: list[Mask] = [((0, 40),) if i % 2 else () for i in range(len(texts))]
    for params in PARAMS:
        assert_same(texts, masks, params)


@pytest.mark.shared
@pytest.mark.skipif(not ds.reuters_available(), reason="Reuters-21578 is not in ../shared")
def test_kernel_keys_equal_numpy_path_on_reuters() -> None:
    texts = [a.text for a in ds.load_reuters()[:3000]]
    masks: list[Mask] = [()] * len(texts)
    for params in (PROFILES["default"], PROFILES["archive"]):
        assert_same(texts, masks, params)


def datasketch_signature(values: np.ndarray, params: SketchParams) -> np.ndarray:
    m = MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=lambda x: x)
    for v in values.tolist():
        m.update(v)
    return np.asarray(m.hashvalues, dtype=np.uint32)


@pytest.mark.parametrize("params", PARAMS[1:])
def test_kernel_keys_are_band_keys_of_datasketch_signatures(params: SketchParams) -> None:
    rng = np.random.default_rng(9)
    text = " ".join(f"w{int(x)}" for x in rng.integers(0, 500, size=700))
    keys, _ = batch_keys([text], [()], params)
    sh = shingle_hashes32(shingle_hashes(word_hashes(tokenize_exact(shown(text)).words),
                                         params.shingle_words))
    stride, n = params.passage_stride, len(sh)
    starts = list(range(0, n, stride))
    n_win = max(1, len(starts) - params.passage_words // stride + 1)
    sigs = np.stack([datasketch_signature(
        sh[starts[w] : n if w == n_win - 1 else starts[w] + params.passage_words], params)
        for w in range(n_win)])
    assert np.array_equal(keys[0], band_keys(sigs, params))


def test_permutations_are_datasketch_affine32() -> None:
    a, b = permutations(96, 1)
    assert _fmix32(np.array([1], dtype=np.uint32)).dtype == np.uint32
    assert a.dtype == b.dtype == np.uint32 and (a % 2 == 1).all()


_PROBE = """
import json, sys
import checker.kernels as k
from checker.fastsketch import batch_keys
from checker.sketch import PROFILES
keys, words = batch_keys(["a cached kernel run over some words"], [()], PROFILES["default"])
print(json.dumps({"cache": str(k.cache_dir()), "words": words, "keys": keys[0].tolist()}))
"""


# Root writes into a read-only directory anyway: there, the probe is told what the
# kernel would be told without root, EACCES on creating a file below the package.
_READ_ONLY = """
import tempfile
_real = tempfile.TemporaryFile
def _refuse(*args, dir=None, **kwargs):
    if dir is not None and str(dir).startswith({site!r}):
        raise PermissionError(13, "Permission denied", str(dir))
    return _real(*args, dir=dir, **kwargs)
tempfile.TemporaryFile = _refuse
"""


def _probe(env: dict[str, str], cwd: Path, pythonpath: Path, read_only: Path | None = None
           ) -> dict[str, object]:
    env = {**env, "PYTHONPATH": str(pythonpath), "PYTHONDONTWRITEBYTECODE": "1"}
    code = _PROBE
    if read_only is not None and os.access(read_only, os.W_OK):
        code = _READ_ONLY.format(site=str(read_only)) + code
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True,
                         text=True, check=True, timeout=300)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_cache_falls_back_when_the_package_is_read_only(tmp_path: Path) -> None:
    # A read-only site-packages: a copy of the package whose directory cannot be written.
    site = tmp_path / "site"
    shutil.copytree(ROOT / "checker", site / "checker",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for d, _, files in os.walk(site):
        for f in files:
            os.chmod(Path(d) / f, 0o444)
        os.chmod(d, 0o555)
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    try:
        first = _probe(env, tmp_path, site, site)
        second = _probe(env, tmp_path, site, site)  # loads what the first run cached
        want, _ = batch_keys(["a cached kernel run over some words"], [()], PROFILES["default"])
        assert first == second and first["keys"] == want[0].tolist()
        assert first["cache"] == str(home / ".cache" / "checker" / "numba")
        assert list((home / ".cache" / "checker" / "numba").rglob("*.nbi"))
        assert not list((site / "checker").rglob("*.nbi"))
    finally:
        for d, _, _ in os.walk(site):
            os.chmod(d, 0o755)


def test_cache_dir_set_by_the_user_and_unusable_falls_back(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = dict(os.environ, NUMBA_CACHE_DIR=str(blocker / "numba"),
               XDG_CACHE_HOME=str(tmp_path / "xdg"))
    got = _probe(env, tmp_path, ROOT)
    want, _ = batch_keys(["a cached kernel run over some words"], [()], PROFILES["default"])
    assert got["keys"] == want[0].tolist()
    assert got["cache"] != str(blocker / "numba")
    user = tmp_path / "user-cache"
    env["NUMBA_CACHE_DIR"] = str(user)
    got = _probe(env, tmp_path, ROOT)
    assert got["cache"] == str(user) and list(user.rglob("*.nbi"))


def test_scanning_does_not_import_numba(tmp_path: Path) -> None:
    code = ("import sys\nfrom checker import Index\n"
            f"ix = Index.open({str(tmp_path / 'ix')!r}, create=True)\n"
            "ix.add_documents([])\nix.scan_text('a draft of a few words to scan here')\n"
            "import checker.cli\nprint('numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "False"
