"""Boilerplate learned from the index: text repeated across many *different* stories.

Text that stands in many indexed stories (publisher footers, "Sign up for
our newsletter", photo credits, standard disclaimers) is nobody's article.
It is learned, not listed: an indexed window whose LSH buckets are mostly
shared by documents of at least ``Policy.boilerplate_documents`` distinct
stories is a boilerplate window, and every word it covers is boilerplate. A
reproduced passage that is mostly boilerplate words never counts.

Copies and versions of one story (a wire story stored once per member paper,
UPDATE 1-5) are one story: :class:`Stories` groups the documents holding a
frequent key into stories (documents sharing half their 5-word shingles), so
a story filed under 40 publishers' names is still a story, not boilerplate.

Notices themselves are masked at ingest (:mod:`checker.notices`), so they
are never indexed at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import sortedops
from .sketch import SketchParams, hash_keys, text_keys, word_hashes
from .store import Store
from .storygroups import found_stories
from .storysketch import decode, text_sketches
from .text import tokenize

# A sentence or a line, whichever ends first.
_SENTENCE_RE = re.compile(r"[^\n.!?]+(?:[.!?]+|$)", re.MULTILINE)

# A window is boilerplate when this share of its bands stand in many documents.
WINDOW_SHARE = 0.5
# A passage is boilerplate when this share of its source words are.
PASSAGE_SHARE = 0.5
#: Documents read per frequent key to count its stories: a key in more documents than
#: this is boilerplate when these already hold enough distinct stories.
STORY_SAMPLE = 160
#: Documents read per draft to tell stories apart; past it, a key of many documents is
#: boilerplate as it was before stories were told apart (a bound on the scan's work in
#: archives where most sentences stand in many articles).
STORY_BUDGET = 400
#: Sketches (and decisions) one :class:`Stories` keeps between drafts: a folder of
#: drafts on one topic meets the same documents again; past this, it starts afresh
#: (~1.2 KB a sketch).
CACHE_DOCUMENTS = 20_000


class Stories:
    """Which frequent LSH keys are boilerplate: keys whose documents are at least
    ``min_documents`` distinct stories (copies and versions of one story grouped,
    :func:`checker.storygroups.found_stories`).

    A key's stories are told from its own documents only, in the order of their ids,
    so a key's decision never depends on the other keys or drafts scanned before.
    One instance serves one scan (of one or many drafts): sketches and decisions are
    cached (a document's sketch is that of its text, which an id keeps while the scan
    runs).
    """

    def __init__(self, store: Store, min_documents: int, budget: int = STORY_BUDGET) -> None:
        self.store = store
        self.min_documents = min_documents
        self.budget = budget
        self._read = 0  # documents read for the current draft
        self._placed: set[str] = set()  # documents counted against a budget already
        # Stored (or computed) sketches, fetched ahead of telling their key's stories.
        self._sketches: dict[str, tuple[npt.NDArray[np.uint64], int] | None] = {}
        self._decided: dict[tuple[str, ...], bool] = {}
        # Per draft: the documents of each key looked up (a key of the draft's and of
        # its sources' windows alike is looked up once; one lookup for all sources).
        self._documents: dict[int, list[str]] = {}

    def new_draft(self) -> None:
        """Start the budget of another draft (sketches and decisions stay cached, up to
        :data:`CACHE_DOCUMENTS`; the documents of keys are looked up again, as the index
        may have changed)."""
        self._read = 0
        self._documents = {}
        if len(self._sketches) > CACHE_DOCUMENTS or len(self._decided) > CACHE_DOCUMENTS:
            self._sketches, self._decided, self._placed = {}, {}, set()

    def documents(self, keys: npt.NDArray[np.int64]) -> dict[int, list[str]]:
        """Up to :data:`STORY_SAMPLE` documents of each key (keys without any left out)."""
        self.prefetch(keys)
        return {k: found for k in keys.tolist() if (found := self._documents[k])}

    def prefetch(self, keys: npt.NDArray[np.int64]) -> None:
        """Look up, in one store call, the documents of the keys not looked up yet for
        this draft (a key's documents do not depend on the keys looked up with it); then
        fetch, in one more, the sketches of each key's first batch of documents: most
        keys are settled by their first batch (within the draft's budget)."""
        wanted = sortedops.unique(keys).tolist()
        missing = [k for k in wanted if k not in self._documents]
        if missing:
            for k in missing:
                self._documents[k] = []
            for k, doc in self.store.lookup_pairs(np.array(missing, dtype=np.int64),
                                                  limit=STORY_SAMPLE):
                self._documents[int(k)].append(doc)
        first: dict[str, None] = {}
        for k in wanted:
            key = tuple(sorted(set(self._documents[k])))
            if len(key) >= self.min_documents and key not in self._decided:
                first.update(dict.fromkeys(d for d in key[:self.min_documents]
                                           if d not in self._placed))
        self._fetch(list(first)[:max(0, self.budget - self._read)])

    def _fetch(self, ids: Sequence[str]) -> None:
        """Read the stored sketches of the documents not fetched yet, in one store call;
        a document without one (an index written before sketches were stored, or a
        malformed one) gets the sketch of its text, which is the same. A document
        removed since it was looked up has none (None)."""
        todo = [d for d in ids if d not in self._sketches]
        if not todo:
            return
        found = {d: got for d, blob in self.store.story_sketches(todo).items()
                 if (got := decode(blob)) is not None}
        missing = [d for d in todo if d not in found]
        if missing:
            texts = self.store.texts(missing)
            read = [d for d in missing if d in texts]
            found.update(zip(read, text_sketches([texts[d] for d in read]), strict=True))
        for d in todo:
            self._sketches[d] = found.get(d)

    def is_boilerplate(self, docs: Sequence[str]) -> bool:
        """The documents hold at least ``min_documents`` distinct stories.

        Documents are read a ``min_documents`` batch at a time: text of many different
        stories (a footer) is settled by the first batch."""
        key = tuple(sorted(set(docs)))
        if len(key) < self.min_documents:
            return False
        if key not in self._decided:
            founders: list[tuple[npt.NDArray[np.uint64], int]] = []
            for at in range(0, len(key), self.min_documents):
                batch = key[at:at + self.min_documents]
                new = [d for d in batch if d not in self._placed]
                if self._read + len(new) > self.budget:
                    return True  # over budget: not cached, a later draft may tell
                self._read += len(new)
                self._placed.update(new)
                self._fetch(batch)
                founders = found_stories(founders, [got for d in batch
                                                    if (got := self._sketches[d]) is not None])
                if len(founders) >= self.min_documents:
                    break
            self._decided[key] = len(founders) >= self.min_documents
        return self._decided[key]

    def boilerplate(self, keys: npt.NDArray[np.int64]
                    ) -> tuple[npt.NDArray[np.bool_], dict[int, list[str]]]:
        """Per key (frequent ones), whether it is boilerplate; and the documents read."""
        docs = self.documents(keys)
        flags = np.array([self.is_boilerplate(docs.get(int(k), [])) for k in keys.tolist()],
                         dtype=bool)
        return flags, docs


def word_mask(counts: npt.NDArray[np.int64], n_words: int, params: SketchParams,
              min_documents: int, stride: int | None = None) -> npt.NDArray[np.bool_]:
    """Boilerplate words of a text, from the document counts of its windows' keys.

    Args:
        counts: ``windows x bands`` document counts of the text's window keys.
        n_words: words in the text.
        stride: shingles between windows (default: the indexed ``passage_stride``;
            a draft's query windows use ``query_stride``).
    """
    if n_words == 0 or counts.size == 0:
        return np.zeros(n_words, dtype=bool)
    return window_word_mask(boilerplate_windows(counts, min_documents), n_words, params, stride)


def boilerplate_windows(counts: npt.NDArray[np.int64],
                        min_documents: int) -> npt.NDArray[np.bool_]:
    """Which windows are boilerplate, from their keys' document counts (``windows x
    bands``): at least :data:`WINDOW_SHARE` of the bands stand in ``min_documents``."""
    return np.asarray((counts >= min_documents).mean(axis=1) >= WINDOW_SHARE)


def window_word_mask(bp_window: npt.NDArray[np.bool_], n_words: int, params: SketchParams,
                     stride: int | None = None) -> npt.NDArray[np.bool_]:
    """Boilerplate words of a text, from which of its windows are boilerplate (computed
    window chunk by window chunk for a long draft: see :func:`checker.candidates.lookup`)."""
    if n_words == 0 or not bp_window.any():
        return np.zeros(n_words, dtype=bool)
    starts, ends = window_spans(len(bp_window), n_words, params, stride)
    # A boilerplate window is nearly identical in many documents, so every word
    # it covers is boilerplate (the union: a footer's first words are covered
    # only by windows that are boilerplate as a whole in *other* documents).
    delta = np.zeros(n_words + 1, dtype=np.int64)
    np.add.at(delta, starts[bp_window], 1)
    np.add.at(delta, ends[bp_window], -1)
    return np.asarray(np.cumsum(delta)[:n_words] > 0)


def window_spans(n_windows: int, n_words: int, params: SketchParams,
                 stride: int | None = None) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Word ``[start, end)`` of each window of a text (as :func:`word_mask` covers them)."""
    span = params.passage_words + params.shingle_words - 1
    starts = np.arange(n_windows, dtype=np.int64) * (stride or params.passage_stride)
    ends = np.minimum(starts + span, n_words)
    if n_windows:
        ends[-1] = n_words  # the last window reaches the end of the text
    return starts, ends


def source_mask(store: Store, words: list[str], min_documents: int,
                frequent: npt.NDArray[np.int64] | None = None,
                only: Sequence[tuple[int, int]] | None = None,
                stories: Stories | None = None) -> npt.NDArray[np.bool_]:
    """Boilerplate words of an indexed text (given as its matching words).

    ``frequent``, the sorted keys in at least ``min_documents`` documents
    (:meth:`Store.frequent_keys`), saves a store query per text when many are checked.
    ``only``, word ``[start, end)`` spans: the mask is exact inside them (only the
    windows that overlap them are looked up) and may miss boilerplate outside.
    ``stories``: keys of many documents count only when those are many stories.
    """
    params = store.params
    if not words:
        return np.zeros(0, dtype=bool)
    if only is not None and frequent is None:
        return source_masks(store, [(word_hashes(words), only)], min_documents, stories)[0]
    keys = text_keys(words, params, params.passage_stride)
    if frequent is not None:
        counts = np.isin(keys, frequent).astype(np.int64) * min_documents
    else:
        counts = store.key_document_counts(keys.ravel(), min_documents).reshape(keys.shape)
    return _masked(keys, counts, len(words), params, min_documents, stories)


def source_masks(store: Store,
                 texts: Sequence[tuple[npt.NDArray[np.uint64], Sequence[tuple[int, int]]]],
                 min_documents: int, stories: Stories | None = None
                 ) -> list[npt.NDArray[np.bool_]]:
    """:func:`source_mask` with ``only`` of several texts (their word hashes,
    :func:`~checker.sketch.word_hashes`, and spans), as
    many store calls as for one: the keys of all the texts' windows that overlap their
    spans are counted in one call, and the documents of the frequent ones among them
    looked up in one (:meth:`Stories.prefetch`). Stories are then told text by text,
    in order, exactly as one call per text would."""
    params = store.params
    windows: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]] = []
    for hashes, only in texts:
        keys = hash_keys(hashes, params, params.passage_stride) if len(hashes) else \
            np.zeros((0, params.bands), dtype=np.int64)
        # A word's mask depends only on the windows that cover it.
        starts, ends = window_spans(len(keys), len(hashes), params)
        near = np.zeros(len(keys), dtype=bool)
        for s, e in only:
            near |= (starts < e) & (ends > s)
        windows.append((keys, near))
    # A window is boilerplate when half its bands are frequent: first the bands that
    # settle it when none of them is (the other bands could not make half), then the
    # rest only for the windows that some of them leave open. Most windows of most
    # texts hold no frequent key: a third fewer keys to count (on a server, a probe
    # each). A band not counted counts 0: its window is not boilerplate either way.
    bands = params.bands
    first = bands - _needed(bands) + 1
    all_counts = [np.zeros(keys.shape, dtype=np.int64) for keys, _ in windows]
    _count(store, [keys[:, :first] for keys, _ in windows], [near for _, near in windows],
           [counts[:, :first] for counts in all_counts], min_documents)
    if first < bands:
        open_ = [near & (counts[:, :first] >= min_documents).any(axis=1)
                 for (_, near), counts in zip(windows, all_counts, strict=True)]
        _count(store, [keys[:, first:] for keys, _ in windows], open_,
               [counts[:, first:] for counts in all_counts], min_documents)
    if stories is not None:
        hot = [keys[counts >= min_documents] for (keys, _), counts in zip(windows, all_counts,
                                                                          strict=True)]
        if sum(len(h) for h in hot):
            stories.prefetch(np.concatenate(hot))
    return [_masked(keys, counts, len(hashes), params, min_documents, stories)
            for (hashes, _), (keys, _), counts in zip(texts, windows, all_counts, strict=True)]


def _needed(bands: int) -> int:
    """Frequent bands that make a window boilerplate (:func:`boilerplate_windows`)."""
    return next(k for k in range(bands + 1) if k / bands >= WINDOW_SHARE)


def _count(store: Store, keys: list[npt.NDArray[np.int64]], rows: list[npt.NDArray[np.bool_]],
           into: list[npt.NDArray[np.int64]], min_documents: int) -> None:
    """Document counts of the ``keys`` (one array of window x band keys per text) of the
    windows ``rows`` selects, written into the views ``into``: one store call for all."""
    wanted = [k[r].ravel() for k, r in zip(keys, rows, strict=True)]
    total = sum(len(w) for w in wanted)
    if not total:
        return
    found = store.key_document_counts(np.concatenate(wanted), min_documents)
    at = 0
    for k, r, out, w in zip(keys, rows, into, wanted, strict=True):
        out[r] = found[at:at + len(w)].reshape(-1, k.shape[1])
        at += len(w)


def _masked(keys: npt.NDArray[np.int64], counts: npt.NDArray[np.int64], n_words: int,
            params: SketchParams, min_documents: int,
            stories: Stories | None) -> npt.NDArray[np.bool_]:
    """:func:`word_mask` of a text's window keys and their counts, the keys whose
    documents are copies of too few stories not counted."""
    if not n_words:
        return np.zeros(0, dtype=bool)
    if stories is not None and (counts >= min_documents).any():
        hot = counts >= min_documents
        uniq = sortedops.unique(keys[hot])
        flags, _ = stories.boilerplate(uniq)
        story = np.isin(keys, uniq[~flags]) & hot
        counts = np.where(story, 0, counts)
    return word_mask(counts, n_words, params, min_documents)


def is_boilerplate(mask: npt.NDArray[np.bool_], start: int, end: int) -> bool:
    """True when most words ``start:end`` of a passage are boilerplate."""
    part = mask[start:end]
    return bool(part.size) and float(part.mean()) >= PASSAGE_SHARE


def trim(mask: npt.NDArray[np.bool_], start: int, end: int) -> tuple[int, int]:
    """``start:end`` without boilerplate words at either end (a footer copied
    along with the article's last paragraph)."""
    while start < end and mask[start]:
        start += 1
    while end > start and mask[end - 1]:
        end -= 1
    return start, end


@dataclass(frozen=True)
class LearnedPassage:
    """A boilerplate passage and the number of indexed documents it stands in."""

    text: str
    documents: int


def learned(store: Store, min_documents: int, min_words: int = 5) -> list[LearnedPassage]:
    """The distinct boilerplate sentences of the index, most widespread first.

    A sentence of ``min_words`` or more that is mostly boilerplate words in at
    least ``min_documents`` documents is one learned passage.

    Only documents that hold a frequent LSH key are read, so this is cheap on
    an index without boilerplate.
    """
    frequent = store.frequent_keys(min_documents)
    if frequent.size == 0:
        return []
    ids = sorted({doc for _, doc in store.lookup_pairs(frequent)})
    seen: Counter[str] = Counter()
    example: dict[str, str] = {}
    for chunk in _chunks(ids, 200):
        texts = store.texts(chunk)
        for doc_id in chunk:
            rec = store.get(doc_id)
            if rec is None or doc_id not in texts:
                continue
            tok = tokenize(texts[doc_id], rec.mask)
            mask = source_mask(store, tok.words, min_documents, frequent)
            in_doc: set[str] = set()
            if mask.any():
                text = texts[doc_id]
                for m in _SENTENCE_RE.finditer(text):
                    lo, hi = np.searchsorted(tok.starts, [m.start(), m.end()])
                    # Counted by sentence: the edges of boilerplate runs differ
                    # between documents, the sentences of a footer do not.
                    if hi - lo >= min_words and mask[lo:hi].mean() >= PASSAGE_SHARE:
                        key = " ".join(tok.words[lo:hi])
                        in_doc.add(key)
                        example.setdefault(key, " ".join(m.group().split()))
            seen.update(in_doc)
    return [LearnedPassage(example[k], n) for k, n in seen.most_common()
            if n >= min_documents]


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
