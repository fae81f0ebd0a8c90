"""Front matter: metadata is not matched, prose a site publishes from it is."""

from __future__ import annotations

from pathlib import Path

from checker.frontmatter import PROSE_WORDS, outside, prose_spans
from checker.readers import read_path
from checker.text import tokenize

LONG = " ".join(f"word{i}" for i in range(PROSE_WORDS))


def test_prose_spans_are_long_string_values_with_their_quotes() -> None:
    src = (f"title: A short headline\ndate: 2025-01-15\nsummary: \"{LONG}\"\n"
           f"tags: [a, b]\nbody: |\n  {LONG}\n  more words\n")
    spans = [src[a:b] for a, b in prose_spans(src)]
    assert spans == [f'"{LONG}"', f"|\n  {LONG}\n  more words\n"]


def test_outside() -> None:
    assert outside((0, 10), []) == [(0, 10)]
    assert outside((0, 10), [(2, 4), (6, 7)]) == [(0, 2), (4, 6), (7, 10)]
    assert outside((0, 10), [(0, 10)]) == []


def test_markdown_front_matter_prose_is_matched_and_metadata_is_not(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text(f"---\ntitle: Council votes\npublisher: Harbor Times\nsummary: >\n  {LONG}\n"
                    "---\nBody text.\n", encoding="utf-8")
    (doc,) = read_path(path).documents
    assert tokenize(doc.text, doc.mask).words == [*LONG.split(), "body", "text"]
    assert doc.meta.title == "Council votes" and doc.meta.publisher == "Harbor Times"
