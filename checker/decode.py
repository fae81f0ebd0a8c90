"""Bytes to text: UTF-8 (with or without BOM), UTF-16, and legacy code pages.

Offsets in reports are character offsets into the decoded text, so the text
is decoded once here and never re-encoded; line endings are kept as they are.
"""

from __future__ import annotations

import codecs

import charset_normalizer

from .errors import InputError

# Single-byte code pages that charset detection cannot tell apart on short
# English text (it guesses cp1250 or cp775 for cp1252 smart quotes); cp1252
# is by far the most common of them, so it wins when it decodes cleanly.
_WESTERN_LOOKALIKES = {
    "cp1250", "cp1252", "cp1257", "cp775", "cp850", "cp852", "cp437", "cp858",
    "latin_1", "iso8859_2", "iso8859_15", "mac_roman", "mac_latin2", "cp1254",
}
_SNIFF = 8192


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes outside UTF-16, or many controls."""
    head = data[:_SNIFF]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 100)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a file's bytes, or raise :class:`InputError` naming ``name``.

    Order: UTF-8 (BOM stripped), UTF-16 with a BOM, then charset detection
    with cp1252 preferred among Western single-byte look-alikes.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: invalid UTF-16 text ({exc.reason}); re-save it as UTF-8"
            ) from exc
    if looks_binary(data):
        raise InputError(f"{name}: binary file, not text; skip it or convert it to text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    encoding = best.encoding if best is not None else None
    if encoding is None or encoding in _WESTERN_LOOKALIKES:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            if encoding is None:
                raise InputError(
                    f"{name}: cannot tell the text encoding; re-save the file as UTF-8"
                ) from None
    assert best is not None
    return str(best)
