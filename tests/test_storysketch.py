"""Story sketches (checker.storysketch): stored with each document when it is written,
read by a scan instead of the document's text, with the text as the fallback for an
index made before they were stored or a sketch that is malformed; the findings are the
same either way."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from conftest import article, doc, paragraph

from benchmarks import corpora as ds
from checker import Index, Policy
from checker.documents import Metadata, TextDocument
from checker.report import FileReport
from checker.storysketch import (
    MAX_BYTES,
    SKETCH_SIZE,
    decode,
    encode,
    story_sketches,
    text_sketches,
)


def test_a_sketch_comes_back_as_it_was_stored() -> None:
    (sketch, n), = text_sketches([article(7, paragraphs=6)])
    assert n > SKETCH_SIZE and len(sketch) == SKETCH_SIZE
    got = decode(encode(sketch, n))
    assert got is not None and got[1] == n and np.array_equal(got[0], sketch)
    assert decode(encode(np.empty(0, np.uint64), 0)) is not None  # a text without words
    assert story_sketches([article(7, paragraphs=6)]) == [encode(sketch, n)]


EDGES = ["", "   ", "one", "two words", "a b c d", "a b c d e", "a a a a a a a a a a",
         "Zürich café ünïcode – naïve “quotes” 東京 text here", "ÀÉÎ façade, déjà vu of latin-1",
         "x " * 5000]


def test_the_compiled_path_of_index_add_computes_what_a_scan_does() -> None:
    texts = [article(i, paragraphs=1 + i % 9) for i in range(60)] + EDGES
    assert story_sketches(texts) == [encode(s, n) for s, n in text_sketches(texts)]


@pytest.mark.shared
@pytest.mark.skipif(not (ds.reuters_available() and ds.clough_available()),
                    reason="Reuters-21578 or Clough-Stevenson is not in ../shared")
def test_the_compiled_path_agrees_on_real_text() -> None:
    sources, answers = ds.load_clough()
    texts = [a.text for a in ds.load_reuters(limit=1500)] + list(sources.values()) + \
        [a[3] for a in answers]  # latin-1 newswire; mixed encodings and CRLF
    assert story_sketches(texts) == [encode(s, n) for s, n in text_sketches(texts)]


@pytest.mark.parametrize("blob", [
    b"", b"\x01\x00\x00", b"\x02\x00\x00\x00" + b"\x00" * 12,  # not whole hashes
    (300).to_bytes(4, "little") + np.arange(1, SKETCH_SIZE + 2, dtype="<u8").tobytes(),
    (2).to_bytes(4, "little") + np.array([5, 3], dtype="<u8").tobytes(),  # not ascending
    (2).to_bytes(4, "little") + np.array([3, 3], dtype="<u8").tobytes(),  # not distinct
    (9).to_bytes(4, "little") + np.array([3, 5], dtype="<u8").tobytes(),  # count disagrees
    (2**32 - 1).to_bytes(4, "little"),
])
def test_a_malformed_sketch_is_refused(blob: bytes) -> None:
    assert decode(blob) is None


# -- in an index -------------------------------------------------------------------------


def _docs() -> tuple[list[TextDocument], str]:
    """25 copies of one wire story under papers' names (frequent keys that are one story,
    not boilerplate), 30 other stories with one footer (boilerplate), and a draft that
    pastes the wire story next to the footer."""
    story = article(4100, paragraphs=6)
    footer = ("Sign up for the Ashford Ledger morning briefing to get county news in your "
              "inbox before breakfast. Letters to the editor may be edited for length.")
    docs = [TextDocument(key=f"paper-{p:02d}/story.txt", path=f"paper-{p:02d}/story.txt",
                         text=story, content_hash=f"wire-{p}",
                         meta=Metadata(publisher=f"Member Paper {p}"))
            for p in range(25)]
    docs += [doc(f"ledger/{i:02d}.txt", f"{article(4200 + i)}\n\n{footer}\n") for i in range(30)]
    rng = random.Random(3)
    words = story.split("\n\n", 1)[1].split()
    draft = (f"{paragraph(rng, 100)}\n\n{' '.join(words[40:140])}\n\n{footer}\n\n"
             f"{paragraph(rng, 100)}")
    return docs, draft


def _scan(path: Path, draft: str) -> tuple[FileReport, list[str]]:
    """The draft's report, and the ids whose texts the scan read."""
    read: list[str] = []
    with Index.open(path) as index:
        real = index.store.texts

        def texts(ids: list[str]) -> dict[str, str]:
            read.extend(ids)
            return real(ids)

        index.store.texts = texts  # type: ignore[method-assign]
        return index.scan_text(draft, "draft.md", Policy()), read


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    docs, draft = _docs()
    path = tmp_path_factory.mktemp("stories") / "index"
    with Index.open(path, create=True) as index:
        index.add_documents(docs)
    return path, draft


def _copy(src: Path, dst: Path) -> Path:
    import shutil

    shutil.copytree(src, dst)
    return dst


def test_every_document_is_stored_with_the_sketch_of_its_text(built: tuple[Path, str]) -> None:
    with Index.open(built[0]) as index:
        ids = [d.id for d in index.store.documents()]
        stored = index.store.story_sketches(ids)
        texts = index.store.texts(ids)
    assert sorted(stored) == sorted(ids)
    expected = story_sketches([texts[i] for i in ids])
    assert [stored[i] for i in ids] == expected


def test_a_scan_reads_sketches_not_the_texts_of_a_storys_copies(
        built: tuple[Path, str], tmp_path: Path) -> None:
    path, draft = built
    report, read = _scan(path, draft)
    failing = [f for f in report.findings if f.verdict.value == "fail"]
    assert len(failing) == 1 and failing[0].source.path.startswith("paper-")
    assert len(failing[0].copies) == 24  # one story, not boilerplate
    # Without sketches (an index made before they were stored) the scan reads the texts
    # of the copies to tell them apart, and finds the same.
    old = _copy(path, tmp_path / "old")
    with sqlite3.connect(old / "index.sqlite") as db:
        db.execute("DROP TABLE stories")
    again, read_old = _scan(old, draft)
    assert again.findings == report.findings
    assert len(read_old) > len(read) + 20


def test_an_index_made_before_sketches_opens_and_its_next_add_stores_them(
        built: tuple[Path, str], tmp_path: Path) -> None:
    old = _copy(built[0], tmp_path / "old")
    with sqlite3.connect(old / "index.sqlite") as db:
        db.execute("DROP TABLE stories")
    with Index.open(old) as index:
        assert index.store.story_sketches([d.id for d in index.store.documents()]) == {}
        index.add_documents([doc("late/one.txt", article(4300))])
        late = index.store.get("late/one.txt")
        assert late is not None
        assert list(index.store.story_sketches([late.id])) == [late.id]


def test_a_malformed_stored_sketch_is_computed_again_from_the_text(
        built: tuple[Path, str], tmp_path: Path) -> None:
    path, draft = built
    report, _ = _scan(path, draft)
    bad = _copy(path, tmp_path / "bad")
    with sqlite3.connect(bad / "index.sqlite") as db:
        db.execute("UPDATE stories SET sketch = x'05000000'")  # a count without hashes
        db.execute("UPDATE stories SET sketch = zeroblob(?) WHERE num % 3 = 0",
                   (MAX_BYTES + 8,))  # too long to be read at all
        db.execute("UPDATE stories SET sketch = CAST(x'ff00fe' AS TEXT) WHERE num % 3 = 1")
    again, read = _scan(bad, draft)
    assert again.findings == report.findings
    assert len(read) > 20


def test_a_removed_documents_sketch_goes_with_it(built: tuple[Path, str], tmp_path: Path) -> None:
    path = _copy(built[0], tmp_path / "rm")
    with Index.open(path) as index:
        gone = index.store.get("paper-03/story.txt")
        assert gone is not None
        index.remove(["paper-03/story.txt"])
        assert index.store.story_sketches([gone.id]) == {}
    with sqlite3.connect(path / "index.sqlite") as db:
        (stories,) = db.execute("SELECT count(*) FROM stories").fetchone()
        (documents,) = db.execute("SELECT count(*) FROM documents").fetchone()
    assert stories == documents
