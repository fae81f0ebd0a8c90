"""Boilerplate learned by document frequency never counts as reproduction.

Fifty articles of one publisher are generated here from hand-written sentences (each body
is a seeded shuffle of their words, so no two bodies share a three-word run) and all end
with the same hand-written footer and notice.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np
import pytest

from checker import Index, Policy
from checker.boilerplate import word_mask
from checker.documents import TextDocument
from checker.sketch import SketchParams

SENTENCES = [
    "The harbour master walked the length of the breakwater before dawn to check the moorings.",
    "A delivery van blocked the narrow lane behind the bakery for most of the morning.",
    "Volunteers repainted the lifeboat station doors in the same pale blue as last year.",
    "The library extended its opening hours on Thursdays to help students revising for exams.",
    "Farmers on the ridge road reported a late frost that blackened the first potato leaves.",
    "Two swans nested again on the millpond despite the building work along its banks.",
    "The council postponed a decision on parking charges until the spring budget meeting.",
    "Children from the primary school planted hazel whips along the edge of the playing field.",
    "A retired teacher has catalogued every gravestone in the old chapel yard by hand.",
    "The bus company promised a new timetable after complaints about the evening service.",
]
FOOTER = [
    "Sign up for the Gullhaven Herald morning briefing to get local news in your inbox before "
    "breakfast.",
    "Photographs are by Herald staff unless otherwise credited.",
    "Letters to the editor may be edited for length and clarity.",
    "Opinions expressed by our columnists are their own and not those of the newspaper.",
]
NOTICE = "© 2025 Gullhaven Herald. All rights reserved."
VOCAB = sorted({w.strip(".").lower() for s in SENTENCES for w in s.split()})
N = 50


def body(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(4):
        sentences = [" ".join(rng.choice(VOCAB) for _ in range(rng.randint(10, 16))).capitalize()
                     + "." for _ in range(3)]
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def article(i: int) -> str:
    return f"Herald story {i}\n\n{body(random.Random(i))}\n\n{' '.join(FOOTER)}\n{NOTICE}\n"


def doc(key: str, text: str) -> TextDocument:
    return TextDocument(key=key, path=key, text=text, content_hash=str(hash(text)))


@pytest.fixture(scope="module")
def herald(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    path = tmp_path_factory.mktemp("herald") / "index"
    with Index.open(path, create=True) as index:
        index.add_documents(doc(f"herald/{i:02d}.txt", article(i)) for i in range(N))
        yield index


def test_no_article_matches_another_through_the_footer(herald: Index) -> None:
    for i in range(N):
        fr = herald.scan_text(article(i), f"herald/{i:02d}.txt")
        assert [f.source.path for f in fr.findings] == [f"herald/{i:02d}.txt"]


def test_a_draft_carrying_the_footer_matches_nothing(herald: Index) -> None:
    draft = f"My column\n\n{body(random.Random(999))}\n\n{' '.join(FOOTER)}\n{NOTICE}\n"
    assert herald.scan_text(draft).findings == ()


def test_footer_is_boilerplate_because_it_is_frequent(herald: Index) -> None:
    draft = f"My column\n\n{body(random.Random(999))}\n\n{' '.join(FOOTER)}\n"
    rare = Policy(boilerplate_documents=N + 1)  # fewer documents than that: not boilerplate
    assert herald.scan_text(draft, policy=rare).findings


def test_reproduction_next_to_the_footer_counts_only_the_article_text(herald: Index) -> None:
    paragraph = article(7).split("\n\n")[2]
    draft = (f"My column\n\n{body(random.Random(998))}\n\n{paragraph}\n\n{' '.join(FOOTER)}\n"
             f"{NOTICE}\n")
    fr = herald.scan_text(draft)
    (finding,) = fr.findings
    assert finding.source.path == "herald/07.txt"
    assert finding.verdict.value == "fail" and finding.reason == "reproduction"
    assert all("Herald morning briefing" not in p.text for p in finding.passages)
    # The footer's 50 words are not counted (window edges may shave a few words: with
    # 2-row LSH bands a window half in the footer is boilerplate more often).
    assert len(paragraph.split()) - 6 <= finding.reproduced_words <= len(paragraph.split())
    assert any(NOTICE in e for e in finding.evidence)


def test_learned_passages_are_the_footer_sentences(herald: Index) -> None:
    learned = herald.boilerplate()
    texts = {p.text for p in learned}
    assert set(FOOTER[1:]) <= texts
    assert texts <= set(FOOTER)
    assert all(p.documents >= Policy().boilerplate_documents for p in learned)
    assert herald.boilerplate(N + 1) == []


def test_word_mask_covers_words_of_frequent_windows() -> None:
    params = SketchParams()
    counts = np.array([[1] * params.bands, [30] * params.bands])
    n = params.passage_stride + params.passage_words + params.shingle_words - 1
    mask = word_mask(counts, n, params, 20)
    assert not mask[: params.passage_stride].any() and mask[params.passage_stride:].all()
    assert not word_mask(counts, n, params, 31).any()


def test_source_mask_of_some_spans_is_exact_inside_them(herald: Index) -> None:
    from checker.boilerplate import source_mask
    from checker.text import tokenize

    limit = Policy().boilerplate_documents
    for i in (3, 11):
        words = tokenize(article(i)).words
        full = source_mask(herald.store, words, limit)
        assert full.any() and not full.all()  # the footer, not the story
        n = len(words)
        for spans in ([(0, 20)], [(n - 30, n)], [(5, 9), (n // 2, n // 2 + 40)], []):
            part = source_mask(herald.store, words, limit, only=spans)
            for s, e in spans:
                assert part[s:e].tolist() == full[s:e].tolist()


def test_the_masks_of_several_sources_take_one_count_and_one_documents_lookup(
        herald: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.boilerplate import Stories, source_mask, source_masks
    from checker.sketch import word_hashes
    from checker.text import tokenize

    limit = Policy().boilerplate_documents
    texts = []
    for i in (2, 5, 11, 17):
        words = tokenize(article(i)).words
        n = len(words)
        texts.append((words, [(0, 15), (n - 25, n)] if i % 2 else [(n // 3, n // 3 + 30)]))
    texts.append(([], [(0, 5)]))  # a source with no words
    one_by_one = [source_mask(herald.store, w, limit, only=s, stories=Stories(herald.store, limit))
                  for w, s in texts]
    calls = {"key_document_counts": 0, "lookup_pairs": 0}
    store = herald.store
    for name in calls:
        real = getattr(store, name)

        def counted(*args: object, _real: object = real, _name: str = name, **kw: object
                    ) -> object:
            calls[_name] += 1
            return _real(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(store, name, counted)
    together = source_masks(store, [(word_hashes(w), s) for w, s in texts], limit,
                            Stories(store, limit))
    assert [m.tolist() for m in together] == [m.tolist() for m in one_by_one]
    assert any(m.any() for m in together)  # the footer is found
    # One count of the windows' first bands, one of the rest of the windows they leave
    # open (the footer's).
    assert calls == {"key_document_counts": 2, "lookup_pairs": 1}


def test_a_window_without_a_frequent_key_in_its_first_bands_is_counted_no_further(
        herald: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.boilerplate import source_masks
    from checker.sketch import word_hashes
    from checker.text import tokenize

    limit = Policy().boilerplate_documents
    store = herald.store
    counted: list[int] = []
    real = store.key_document_counts

    def counting(keys: np.ndarray, at_least: int | None = None) -> np.ndarray:
        counted.append(len(keys))
        return real(keys, at_least)

    monkeypatch.setattr(store, "key_document_counts", counting)
    story = tokenize(body(random.Random(7))).words  # no footer: nothing frequent
    (mask,) = source_masks(store, [(word_hashes(story), [(0, len(story))])], limit)
    assert not mask.any()
    first = store.params.bands - store.params.bands // 2 + 1
    assert len(counted) == 1 and counted[0] % first == 0  # the first bands only
