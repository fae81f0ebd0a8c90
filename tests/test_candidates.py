"""Candidates from the LSH lookup of a draft (checker.candidates.lookup)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from conftest import article, doc, paragraph

from checker import Index, Policy
from checker.boilerplate import word_mask
from checker.candidates import lookup
from checker.sketch import SketchParams, text_keys
from checker.store import Store
from checker.text import Tokens, tokenize

FOOTER = "Sign up for the Lanternfish Daily briefing to get the news before breakfast. " * 3


def reference(store: Store, tokens: Tokens, policy: Policy) -> tuple[list[tuple[str, int]],
                                                                     list[bool]]:
    """The lookup written plainly: every pair, a set of documents per window."""
    params = store.params
    keys = text_keys(tokens.words, params, params.query_stride)
    docs_by_key: dict[int, list[str]] = defaultdict(list)
    for key, doc_id in store.lookup_pairs(keys.ravel()):
        docs_by_key[key].append(doc_id)
    limit = policy.boilerplate_documents
    scores: Counter[str] = Counter()
    for window in keys.tolist():
        scores.update({d for k in window if len(docs_by_key.get(k, ())) < limit
                       for d in docs_by_key.get(k, ())})
    counts = np.array([[len(docs_by_key.get(k, ())) for k in w] for w in keys.tolist()])
    mask = word_mask(counts, len(tokens), params, limit, params.query_stride)
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[: policy.max_candidates]
    return best, mask.tolist()


def test_lookup_equals_the_plain_definition(tmp_path: Path) -> None:
    rng = random.Random(5)
    texts = [article(i) + ("\n\n" + FOOTER if i % 2 else "") for i in range(60)]
    with Index.open(tmp_path / "ix", create=True,
                    params=SketchParams(num_perm=32, bands=16, rows=2)) as index:
        index.add_documents(doc(f"a/{i:02d}.txt", t) for i, t in enumerate(texts))
        index.remove([index.store.get("a/07.txt").id])  # type: ignore[union-attr]
        seen = Counter()
        for n in range(12):
            parts = [paragraph(rng, 80)]
            for i in rng.sample(range(60), 3):
                paras = texts[i].split("\n\n")
                parts.append(paras[rng.randrange(1, len(paras))])
            parts.append(FOOTER if n % 3 else "")
            tokens = tokenize("\n\n".join(parts))
            for policy in (Policy(), Policy(max_candidates=2), Policy(boilerplate_documents=3)):
                got = lookup(index.store, tokens, policy)
                best, mask = reference(index.store, tokens, policy)
                assert got.candidates == best
                assert got.boilerplate.tolist() == mask
                seen["capped"] += len(best) == policy.max_candidates
                seen["boilerplate"] += any(mask)
        assert seen["capped"] and seen["boilerplate"]  # both paths were exercised
