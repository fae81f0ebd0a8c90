"""Stored text compression (checker.textcodec)."""

from __future__ import annotations

import random

import pytest
from conftest import article

from checker import textcodec
from checker.textcodec import TextCodec, dictionary_id, frame_dictionary, train


def texts(n: int, seed: int = 1) -> list[bytes]:
    rng = random.Random(seed)
    return [article(rng.randrange(10**6)).encode("utf-8") for _ in range(n)]


def test_plain_frames_round_trip() -> None:
    codec = TextCodec()
    data = [b"", "caf\u00e9 \u2014 na\u00efve".encode(), *texts(3)]
    frames = codec.compress(data)
    assert [frame_dictionary(f) for f in frames] == [0] * len(data)
    assert [codec.decompress(f) for f in frames] == data


def test_dictionary_frames_name_it_and_need_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textcodec, "DICT_MIN_DOCUMENTS", 40)
    sample = texts(400)
    data = train(sample)
    assert data is not None
    writer = TextCodec()
    dict_id = writer.add(data)
    assert dict_id == dictionary_id(data) != 0
    writer.use(dict_id)
    fresh = texts(20, seed=2)
    frames = writer.compress(fresh)
    assert all(frame_dictionary(f) == dict_id for f in frames)
    assert [writer.decompress(f) for f in frames] == fresh
    # A dictionary learns what articles share: smaller than plain frames.
    assert sum(map(len, frames)) < sum(map(len, TextCodec().compress(fresh)))
    reader = TextCodec()  # has not seen the dictionary yet
    with pytest.raises(KeyError):
        reader.decompress(frames[0])
    reader.add(data)
    assert reader.decompress(frames[0]) == fresh[0]


def test_too_little_text_trains_nothing() -> None:
    assert train(texts(10)) is None
    with pytest.raises(KeyError):
        TextCodec().use(12345)
