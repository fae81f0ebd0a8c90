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
    assert [codec.decompress(f, len(d)) for f, d in zip(frames, data, strict=True)] == data


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
    assert [writer.decompress(f, len(t)) for f, t in zip(frames, fresh, strict=True)] == fresh
    # A dictionary learns what articles share: smaller than plain frames.
    assert sum(map(len, frames)) < sum(map(len, TextCodec().compress(fresh)))
    reader = TextCodec()  # has not seen the dictionary yet
    with pytest.raises(KeyError):
        reader.decompress(frames[0], len(fresh[0]))
    reader.add(data)
    assert reader.decompress(frames[0], len(fresh[0])) == fresh[0]


def test_too_little_text_trains_nothing() -> None:
    assert train(texts(10)) is None
    with pytest.raises(KeyError):
        TextCodec().use(12345)


def test_a_frame_is_read_only_at_its_stored_size() -> None:
    """A stored text decompresses only to the size recorded when it was written: a
    98 KB frame of a gigabyte (or one that lies about its size) is refused before
    anything is allocated."""
    import zstandard

    codec = TextCodec()
    (frame,) = codec.compress([b"short text"])
    assert codec.decompress(frame, 10) == b"short text"
    bomb = zstandard.ZstdCompressor(write_content_size=True).compress(b"\0" * (1 << 30))
    assert len(bomb) < 100_000
    for body, size in [(bomb, 10), (bomb, 1 << 30), (frame, 11), (frame, -1), (frame, True),
                       (zstandard.ZstdCompressor(write_content_size=False).compress(b"x"), 1)]:
        with pytest.raises(zstandard.ZstdError):
            codec.decompress(body, size)  # type: ignore[arg-type]
