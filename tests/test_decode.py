"""Bytes to text (checker.decode)."""

from __future__ import annotations

import codecs
import random

import pytest

from checker.decode import decode_bytes, looks_binary
from checker.errors import InputError

SAMPLE = "The caf\u00e9\u2019s \u201cnew\u201d hours \u2014 na\u00efve r\u00e9sum\u00e9s welcome.\n"


def test_utf8() -> None:
    assert decode_bytes(SAMPLE.encode("utf-8"), "a.txt") == SAMPLE


def test_utf8_bom_is_stripped() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "a.txt") == SAMPLE


def test_cp1252_smart_punctuation() -> None:
    text = SAMPLE * 3
    assert decode_bytes(text.encode("cp1252"), "a.txt") == text


def test_latin1() -> None:
    text = "Cr\u00e8me br\u00fbl\u00e9e at the fa\u00e7ade, \u00bd price for na\u00efve diners.\n"
    text *= 2
    assert decode_bytes(text.encode("latin-1"), "a.txt") == text


def test_crlf_is_kept() -> None:
    text = SAMPLE.replace("\n", "\r\n") * 2
    assert decode_bytes(text.encode("cp1252"), "a.txt") == text
    assert decode_bytes(text.encode("utf-8"), "a.txt") == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_bytes(bom + SAMPLE.encode(encoding), "a.txt") == SAMPLE


def test_empty() -> None:
    assert decode_bytes(b"", "a.txt") == ""


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
    bytes(range(256)) * 8,
    "no BOM utf-16 text".encode("utf-16-le"),
])
def test_binary_is_refused_naming_the_file(data: bytes) -> None:
    assert looks_binary(data)
    with pytest.raises(InputError, match=r"^drafts/x\.txt: binary file"):
        decode_bytes(data, "drafts/x.txt")


def test_undecodable_is_refused_naming_the_file() -> None:
    rng = random.Random(0)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(400))
    with pytest.raises(InputError) as exc:
        decode_bytes(data, "drafts/garbled.txt")
    message = str(exc.value)
    assert message.startswith("drafts/garbled.txt: ")
    assert "\n" not in message and "UTF-8" in message


def test_broken_utf16_is_refused() -> None:
    with pytest.raises(InputError, match=r"^b\.txt: invalid UTF-16"):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8\x41", "b.txt")
