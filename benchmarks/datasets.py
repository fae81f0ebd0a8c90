"""Real corpora and deterministic draft generators for tests, evaluations and benchmarks.

The corpora live outside the repository, in the shared data directory returned by
:func:`shared_dir` (``$CHECKER_SHARED`` or ``<project root>/../shared``). Nothing read from
them is ever written into the repository: consumers load them at run time and skip cleanly
when they are absent (see :func:`reuters_available` and :func:`clough_available`).

Contents:

* :func:`load_reuters` parses Reuters-21578 (the protected, licensed corpus) into
  :class:`Article` records; :func:`duplicate_groups` maps every article to the canonical
  member of its group of near-identical bodies (the corpus reuses some of its own stories).
* :func:`load_clough` reads the Clough & Stevenson corpus of plagiarised short answers.
* Draft generators (:func:`verbatim`, :func:`pasted_paragraph`, :func:`light_edit`, ...)
  build a :class:`Draft` from one or more articles with a :class:`random.Random`; the same
  seed always gives the same draft. Each draft records where reused text sits
  (:class:`Reuse`). A generator raises :class:`ValueError` when an article is unsuitable
  (too short, too few paragraphs or sentences); callers pick another article.
* :func:`synthetic_corpus` streams large synthetic archives made of sampled sentences.

This module gathers them under one name; they live in :mod:`benchmarks.corpora`,
:mod:`benchmarks.textsplit`, :mod:`benchmarks.drafts`, :mod:`benchmarks.draft_formats`
and :mod:`benchmarks.synthetic`. None of them imports the ``checker`` package.
"""

from __future__ import annotations

from benchmarks.corpora import (
    PROJECT_ROOT,
    REUTERS_BODIES,
    REUTERS_FILES,
    Article,
    clough_available,
    clough_dir,
    duplicate_groups,
    load_clough,
    load_reuters,
    normalise_for_duplicates,
    reuters_available,
    reuters_dir,
    shared_dir,
)
from benchmarks.draft_formats import (
    as_html,
    as_markdown,
    credited,
    long_quote,
    notice,
    reflowed,
    short_phrase,
    short_quote,
    uncredited,
    with_notice,
)
from benchmarks.drafts import (
    COMMON_WORDS,
    KINDS,
    Draft,
    Reuse,
    heavy_edit,
    light_edit,
    pasted_paragraph,
    short_paste,
    stitched,
    two_sources,
    verbatim,
)
from benchmarks.synthetic import commit, compose_article, sentence_pool, synthetic_corpus
from benchmarks.textsplit import paragraph_spans, paragraphs, sentence_spans, sentences, word_count

__all__ = [
    "COMMON_WORDS",
    "KINDS",
    "PROJECT_ROOT",
    "REUTERS_BODIES",
    "REUTERS_FILES",
    "Article",
    "Draft",
    "Reuse",
    "as_html",
    "as_markdown",
    "clough_available",
    "clough_dir",
    "commit",
    "compose_article",
    "credited",
    "duplicate_groups",
    "heavy_edit",
    "light_edit",
    "load_clough",
    "load_reuters",
    "long_quote",
    "normalise_for_duplicates",
    "notice",
    "paragraph_spans",
    "paragraphs",
    "pasted_paragraph",
    "reflowed",
    "reuters_available",
    "reuters_dir",
    "sentence_pool",
    "sentence_spans",
    "sentences",
    "shared_dir",
    "short_paste",
    "short_phrase",
    "short_quote",
    "stitched",
    "synthetic_corpus",
    "two_sources",
    "uncredited",
    "verbatim",
    "with_notice",
    "word_count",
]
