"""A long draft's scan memory is O(draft words) with a small constant (issue 16, item 8).

The scan used about 900 bytes per draft word (a 20 MB draft: 2.8-4.5 GB): the LSH keys
and permuted hashes of every window of the draft at once, and a string per word. Here
the chunk sizes are made small so that a draft of 60,000 words already spans many
chunks, and the Python-level peak (tracemalloc, deterministic) is measured per word.
``benchmarks/scan_memory.py`` measures the real thing (peak RSS on a 20 MB draft).
"""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import pytest
from conftest import VOCAB, article

import checker.sketch as sketch_mod
import checker.text as text_mod
from checker import Index, Policy
from checker.documents import TextDocument
from checker.scan import scan_document

BYTES_PER_WORD = 200


def test_scan_peak_memory_per_draft_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_mod, "SEGMENT_CHARS", 1 << 16)
    monkeypatch.setattr(sketch_mod, "KEY_CHUNK_WINDOWS", 512)
    monkeypatch.setattr(sketch_mod, "_HASH_CHUNK_WORDS", 8192)
    pasted = [article(600 + i, paragraphs=3) for i in range(5)]
    with Index.open(tmp_path / "index", create=True) as index:
        for i, text in enumerate(pasted):
            (tmp_path / f"a{i}.txt").write_text(text, encoding="utf-8")
        index.add([tmp_path])
    rng = random.Random(8)
    parts = []
    for i in range(200):
        parts.append(pasted[i // 40] if i % 40 == 39
                     else " ".join(rng.choice(VOCAB) for _ in range(300)) + ".\n\n")
    text = "".join(parts)
    n_words = len(text.split())
    assert n_words > 55_000
    draft = TextDocument(key="long.txt", path="long.txt", text=text)
    with Index.open(tmp_path / "index") as index:
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            report = scan_document(index.store, draft, Policy())
            peak = tracemalloc.get_traced_memory()[1] - base
        finally:
            tracemalloc.stop()
    assert len(report.findings) == 5  # every pasted article found
    assert peak / n_words <= BYTES_PER_WORD, f"{peak / n_words:.0f} bytes per draft word"
