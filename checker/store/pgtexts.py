"""Article texts of the shared index: zstd frames with the index's dictionary
(:mod:`checker.textcodec`), read and written in the caller's transaction, so a
dictionary trained by one ingester is seen by every reader that meets a frame
made with it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg
import zstandard

from ..errors import IndexCorruptError
from ..textcodec import DICT_MIN_DOCUMENTS, TextCodec, dictionary_id, stored_frames, train
from .base import PreparedDocument


class ServerTexts:
    """The codec of one :class:`~checker.store.postgres.PostgresStore`
    (``location`` names the index in messages)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.codec = TextCodec()

    def decode(self, body: bytes, size: int) -> str:
        """A stored text; a frame that is not what was written is a corrupt index
        (KeyError, an unknown dictionary, is left to the caller to load it)."""
        try:
            return self.codec.decompress(body, size).decode("utf-8")
        except (zstandard.ZstdError, UnicodeDecodeError) as exc:
            raise IndexCorruptError(
                f"{self.location}: corrupt index: a stored text cannot be read ({exc}); "
                "remove the article and add it again with 'checker index add'") from exc

    def text(self, conn: psycopg.Connection[Any], body: bytes, size: int) -> str:
        try:
            return self.decode(body, size)
        except KeyError:  # a dictionary written since: load them
            for (data,) in conn.execute("SELECT data FROM checker.dictionaries").fetchall():
                self.codec.add(bytes(data))
            return self.decode(body, size)

    def bodies(self, conn: psycopg.Connection[Any], docs: Sequence[PreparedDocument]
               ) -> tuple[list[bytes], list[int]]:
        """The stored frame and UTF-8 size of each document's text, compressed with
        the index's dictionary (trained on these texts when there is none and they
        are enough). A document that comes compressed (``frame``, by a worker of
        :mod:`checker.sharded`) with that dictionary is stored as it is; one
        compressed without it is decompressed and compressed again."""
        return stored_frames(
            self.codec, [(d.text, d.frame, d.size) for d in docs],
            lambda frame, size: self.text(conn, frame, size).encode("utf-8"),
            lambda texts: self.choose(conn, len(docs), texts))

    def choose(self, conn: psycopg.Connection[Any], count: int,
               texts: Callable[[], Sequence[bytes]]) -> None:
        """Compress with the index's dictionary as this transaction sees it; train
        one on ``texts()`` (``count`` of them) first when there is none and they are
        enough."""
        row = conn.execute("SELECT id, data FROM checker.dictionaries ORDER BY id LIMIT 1"
                           ).fetchone()
        if row is None and count >= DICT_MIN_DOCUMENTS:
            data = train(texts())
            if data is not None:
                row = (dictionary_id(data), data)
                conn.execute("INSERT INTO checker.dictionaries VALUES (%s, %s)", row)
        if row is not None and not self.codec.known(int(row[0])):
            self.codec.add(bytes(row[1]))
        self.codec.use(int(row[0]) if row is not None else 0)
