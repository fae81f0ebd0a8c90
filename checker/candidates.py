"""Candidates of a draft from the LSH index: the sources sharing its band keys, and
its boilerplate words.

Every window of the draft's words is sketched and its band keys are looked up;
sources sharing keys become candidates, ranked by the windows they share. Keys
that many documents hold are boilerplate and ignored, unless those documents are
copies of one story (:class:`checker.boilerplate.Stories`): a story filed under
many publishers' names is still a story, and all its copies are candidates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import boilerplate, sortedops
from .policy import Policy
from .sketch import iter_text_keys
from .store import Store
from .text import Tokens

__all__ = ["Lookup", "lookup"]


@dataclass(frozen=True)
class Lookup:
    """What the LSH lookup of a draft gives: candidates, and which draft words
    are boilerplate (windows whose buckets many documents share)."""

    candidates: list[tuple[str, int]]
    boilerplate: npt.NDArray[np.bool_]


def lookup(store: Store, tokens: Tokens, policy: Policy,
           stories: boilerplate.Stories | None = None) -> Lookup:
    """Candidates sharing LSH buckets with the draft, and its boilerplate words.

    A source's score is the number of draft windows that share a key with it,
    boilerplate keys left out (keys of ``policy.boilerplate_documents`` or more
    documents that are as many distinct stories; copies of one story are one story,
    :class:`checker.boilerplate.Stories`); the best ``policy.max_candidates`` (ties by
    id) are the candidates.

    The draft's windows are looked up a chunk at a time
    (:func:`checker.sketch.iter_text_keys`): memory is O(draft words) with a small
    constant (a flag per window, a score per source) however long the draft."""
    params = store.params
    if not tokens.words:
        return Lookup([], np.zeros(0, dtype=bool))
    limit = policy.boilerplate_documents
    made: list[boilerplate.Stories] = [stories] if stories is not None else []

    def story_check() -> boilerplate.Stories:
        # Made on first need: most drafts hold no key of `limit` documents.
        if not made:
            made.append(boilerplate.Stories(store, limit))
        return made[0]

    scores: dict[str, int] = {}
    bp_parts: list[npt.NDArray[np.bool_]] = []
    for _, keys in iter_text_keys(tokens.words, params, params.query_stride):
        bp_parts.append(_lookup_chunk(store, keys, limit, scores, story_check))
    mask = boilerplate.window_word_mask(np.concatenate(bp_parts), len(tokens), params,
                                        params.query_stride)
    # Sources are ordered by score, ties by id.
    ranked = sorted(((-n, name) for name, n in scores.items() if n > 0))
    return Lookup([(name, -neg) for neg, name in ranked[: policy.max_candidates]], mask)


def _lookup_chunk(store: Store, keys: npt.NDArray[np.int64], limit: int,
                  scores: dict[str, int],
                  stories: Callable[[], boilerplate.Stories]) -> npt.NDArray[np.bool_]:
    """Look up one chunk of windows' keys (``windows x bands``): add to ``scores`` the
    windows of the chunk that share a non-boilerplate key with each source, and return
    which windows are boilerplate (``stories`` tells a story's copies from boilerplate)."""
    uniq, where = sortedops.unique_inverse(keys.ravel())
    # A boilerplate key's documents do not matter, only that there are `limit` of them.
    pairs = store.lookup_pairs(uniq, limit=limit)
    entry_key = np.searchsorted(uniq, np.array([k for k, _ in pairs], dtype=np.int64))
    per_key = np.bincount(entry_key, minlength=len(uniq))
    boiler = per_key >= limit
    if boiler.any():
        # Keys of many documents: boilerplate only when those are many stories; a story
        # filed under many publishers' names is a story, and all its copies are candidates.
        frequent = uniq[boiler]
        flags, docs = stories().boilerplate(frequent)
        story = frequent[~flags]
        if len(story):
            keep = set(story.tolist())
            pairs = [p for p in pairs if p[0] not in keep]
            pairs += [(k, d) for k in story.tolist() for d in docs.get(k, [])]
            entry_key = np.searchsorted(uniq, np.array([k for k, _ in pairs], dtype=np.int64))
            boiler[np.searchsorted(uniq, story)] = False
    counts = np.where(boiler, limit, 0)[where].reshape(keys.shape).astype(np.int64)
    bp_window = boilerplate.boilerplate_windows(counts, limit)
    live = np.flatnonzero(~boiler[entry_key])
    if not len(live):
        return bp_window
    names = sorted({pairs[i][1] for i in live.tolist()})
    entry_doc = np.searchsorted(np.array(names), [pairs[i][1] for i in live.tolist()])
    entry_key = entry_key[live]
    # Windows holding each key (a key may stand in several windows): group the
    # (window, key) cells by key, then pair every live entry with its key's windows.
    cells = np.argsort(where, kind="stable")
    first = np.searchsorted(where[cells], entry_key, "left")
    last = np.searchsorted(where[cells], entry_key, "right")
    n = last - first
    at = np.repeat(first - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
    window = cells[at] // keys.shape[1]
    hits = sortedops.unique(window * len(names) + np.repeat(entry_doc, n))
    per_doc = np.bincount(hits % len(names), minlength=len(names))
    for i in np.flatnonzero(per_doc).tolist():
        scores[names[i]] = scores.get(names[i], 0) + int(per_doc[i])
    return bp_window
