"""The compiled trigger-line scan equals ``notices._trigger_lines``, and so
``find_rights(text, lines)`` equals ``find_rights(text)``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import datasets as ds
from checker.noticekernel import trigger_lines
from checker.notices import _TRIGGERS, _trigger_lines, find_rights

ROOT = Path(__file__).resolve().parent.parent


def assert_same(texts: list[str]) -> None:
    got = trigger_lines(texts)
    for text, lines in zip(texts, got, strict=True):
        try:
            text.encode("latin-1")
        except UnicodeEncodeError:
            assert lines is None
            continue
        assert lines == _trigger_lines(text), text[:200]
        assert find_rights(text, lines) == find_rights(text)


# Pieces that meet every branch: triggers in both cases, at and inside words, split by
# line breaks, Latin-1 letters before them (alnum), the symbol, near misses.
_PIECES = [*_TRIGGERS, *(t.upper() for t in _TRIGGERS), "Copyright", "COPY", "cC", "ccc",
           "acc", "éCopy", "ÀCC", "ªcopy", "²cc", "×cc", "µcopy", " ", "\n", "\r\n", ".",
           "©", "(C)", "&COPY;", "word", "2024", "Reuters", "all rights reserved", "x",
           "\u2019", "ÿ", "ß"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join), max_size=12))
def test_trigger_lines_equal_python(texts: list[str]) -> None:
    assert_same(texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(max_codepoint=300), max_size=200), max_size=6))
def test_trigger_lines_equal_python_on_random_text(texts: list[str]) -> None:
    assert_same(texts)


def test_trigger_lines_on_fixtures() -> None:
    from checker.readers import iter_files, read_file

    texts = [d.text for path, name in iter_files([ROOT / "fixtures"])
             if path.suffix in {".txt", ".md", ".html", ".jsonl"}
             for d in read_file(path, name)]
    assert len(texts) > 20
    assert_same(texts)
    assert any(lines for lines in trigger_lines(texts))


def test_empty_batch_and_texts() -> None:
    assert trigger_lines([]) == []
    assert trigger_lines(["", "\n", "©"]) == [[], [], [0]]
    assert trigger_lines(["“quoted” © 2024"]) == [None]


@pytest.mark.shared
@pytest.mark.skipif(not ds.reuters_available(), reason="Reuters-21578 is not in ../shared")
def test_trigger_lines_on_reuters() -> None:
    texts = [a.text for a in ds.load_reuters()[:5000]]
    assert_same(texts)
