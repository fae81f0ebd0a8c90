"""How the index stores article text: zstd frames, with a dictionary trained on
the index's own articles.

Why: the stored text is most of an index on disk. Articles of one archive share
their vocabulary, phrasing and notices, which a single article is too short for a
compressor to learn; a dictionary trained once on a sample of the archive holds
them, so each article compresses about 1.6x smaller than with zlib (measured on
the 1M benchmark corpus: 2,100 -> 1,320 bytes per article) and faster.

The dictionary is trained on the first batch written with at least
``DICT_MIN_DOCUMENTS`` documents and stored in the index (plain bytes); articles
written before it exist are plain zstd frames. A frame names its dictionary
(its zstd dictionary id; 0 for none), so any frame can be read back alone.

Reading is bounded: the index stores each text's size when it is written, and a
frame is decompressed only when its header states that same size, at most
``MAX_TEXT_BYTES`` (a 98 KB frame cannot expand to a gigabyte).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

import zstandard

LEVEL = 5  # 3 is ~5% larger at half the cost; 7 ~7% smaller at twice the cost
DICT_MIN_DOCUMENTS = 2000
DICT_MAX_SAMPLES = 4000
DICT_BYTES = 1 << 20
# The largest stored text (UTF-8 bytes): far beyond any article a reader accepts
# (20 MB files by default); larger ones are not indexed.
MAX_TEXT_BYTES = 1 << 26
_UNKNOWN = zstandard.CONTENTSIZE_UNKNOWN


def train(texts: Sequence[bytes]) -> bytes | None:
    """A dictionary for texts like ``texts`` (a sample of them is used), or None
    when there is too little text to train one."""
    step = max(1, len(texts) // DICT_MAX_SAMPLES)
    samples: list[bytes | bytearray | memoryview] = list(texts[::step])
    size = min(DICT_BYTES, sum(map(len, samples)) // 8)
    if len(samples) < DICT_MIN_DOCUMENTS // 2 or size < 4096:
        return None
    try:
        return zstandard.train_dictionary(size, samples, level=LEVEL).as_bytes()
    except zstandard.ZstdError:  # too few or too uniform samples
        return None


def dictionary_id(data: bytes) -> int:
    """The zstd id of a trained dictionary (the id its frames carry)."""
    return int(zstandard.ZstdCompressionDict(data).dict_id())


def frame_dictionary(body: bytes) -> int:
    """The id of the dictionary a frame needs (0: none)."""
    return int(zstandard.get_frame_parameters(body).dict_id)


class TextCodec:
    """Compresses with one dictionary (or none) and decompresses frames of any
    dictionary it was given; :meth:`choose` and :meth:`read` keep it in step with
    an index's ``dictionaries`` table (``id INTEGER PRIMARY KEY, data BLOB``)."""

    def __init__(self) -> None:
        self._dicts: dict[int, zstandard.ZstdCompressionDict] = {}
        self._readers: dict[int, zstandard.ZstdDecompressor] = {0: zstandard.ZstdDecompressor()}
        self._writers: dict[int, zstandard.ZstdCompressor] = {}
        self.writing_with = 0

    def known(self, dict_id: int) -> bool:
        return dict_id == 0 or dict_id in self._dicts

    def add(self, data: bytes) -> int:
        """Make a dictionary available; returns its id."""
        d = zstandard.ZstdCompressionDict(data)
        dict_id = int(d.dict_id())
        if dict_id == 0:  # not a trained dictionary (a crafted row): never replaces "none"
            return 0
        if dict_id not in self._dicts:
            self._dicts[dict_id] = d
            self._readers[dict_id] = zstandard.ZstdDecompressor(dict_data=d)
        return dict_id

    def use(self, dict_id: int) -> None:
        """Compress with dictionary ``dict_id`` (0: none) from now on."""
        if not self.known(dict_id):
            raise KeyError(dict_id)
        self.writing_with = dict_id

    def compress(self, texts: Sequence[bytes]) -> list[bytes]:
        writer = self._writers.get(self.writing_with)
        if writer is None:
            writer = self._writers[self.writing_with] = zstandard.ZstdCompressor(
                level=LEVEL, dict_data=self._dicts.get(self.writing_with),
                write_checksum=False, write_content_size=True, write_dict_id=True)
        return [writer.compress(t) for t in texts]

    def decompress(self, body: bytes, size: int) -> bytes:
        """The text of a frame of ``size`` bytes; KeyError when its dictionary is not
        known, ``zstandard.ZstdError`` when the frame does not hold exactly ``size``
        bytes or ``size`` is out of range (checked before anything is allocated)."""
        if (not isinstance(body, bytes) or isinstance(size, bool) or not isinstance(size, int)
                or not 0 <= size <= MAX_TEXT_BYTES):
            raise zstandard.ZstdError(f"a stored text of {str(size)[:20]} bytes is out of "
                                      f"range (0 to {MAX_TEXT_BYTES})")
        header = zstandard.get_frame_parameters(body)
        if header.content_size in (_UNKNOWN, zstandard.CONTENTSIZE_ERROR) \
                or header.content_size != size:
            raise zstandard.ZstdError(f"a stored text's frame does not state its size {size}")
        out = self._readers[header.dict_id].decompress(body, max_output_size=size)
        if len(out) != size:
            raise zstandard.ZstdError(f"a stored text has {len(out)} bytes, not {size}")
        return bytes(out)

    def load(self, db: sqlite3.Connection) -> None:
        for (data,) in db.execute("SELECT data FROM dictionaries"):
            self.add(data)

    def read(self, db: sqlite3.Connection, body: bytes, size: int) -> bytes:
        """:meth:`decompress`, loading the index's dictionaries when the frame
        needs one written since they were last loaded."""
        try:
            return self.decompress(body, size)
        except KeyError:
            self.load(db)
            try:
                return self.decompress(body, size)
            except KeyError:
                raise zstandard.ZstdError("a stored text needs a dictionary the index "
                                          "does not have") from None

    def choose(self, db: sqlite3.Connection, texts: Sequence[bytes]) -> None:
        """In a write transaction: compress with the index's dictionary as this
        transaction sees it (so a rolled-back one is never used); train it on
        ``texts`` first if there is none yet and they are enough."""
        self.choose_for(db, len(texts), lambda: texts)

    def choose_for(self, db: sqlite3.Connection, count: int,
                   texts: Callable[[], Sequence[bytes]]) -> None:
        """:meth:`choose` for a batch of ``count`` texts, which ``texts()`` gives
        only when a dictionary is trained on them (texts compressed by workers
        are read back only then)."""
        row = db.execute("SELECT id FROM dictionaries ORDER BY id LIMIT 1").fetchone()
        if row is None and count >= DICT_MIN_DOCUMENTS:
            data = train(texts())
            if data is not None:
                row = (dictionary_id(data),)
                db.execute("INSERT INTO dictionaries VALUES (?, ?)", (row[0], data))
        if row is not None and not self.known(row[0]):
            self.load(db)
        self.use(row[0] if row is not None else 0)


def stored_frames(codec: TextCodec, texts: Sequence[tuple[str, bytes | None, int]],
                  read: Callable[[bytes, int], bytes],
                  choose: Callable[[Callable[[], list[bytes]]], None]
                  ) -> tuple[list[bytes], list[int]]:
    """The frame to store and the UTF-8 size of each ``(text, frame, size)`` (a text,
    or a ``frame`` of ``size`` bytes compressed by a worker process), compressed
    with the dictionary ``choose`` settles on (it is given the plain texts, made only
    when it asks, to train one). A frame made with that dictionary is stored as it
    is; another (a worker that did not have the dictionary yet) is read back with
    ``read`` and compressed again, so the stored frames are those this process would
    have written from the texts."""
    raw: list[bytes | None] = [None] * len(texts)

    def plain(i: int) -> bytes:
        got = raw[i]
        if got is None:
            text, frame, size = texts[i]
            got = raw[i] = text.encode("utf-8") if frame is None else read(frame, size)
        return got

    choose(lambda: [plain(i) for i in range(len(texts))])
    out: list[bytes | None] = [None] * len(texts)
    sizes = [0] * len(texts)
    todo = []
    for i, (_, frame, size) in enumerate(texts):
        if frame is not None and frame_dictionary(frame) == codec.writing_with:
            out[i], sizes[i] = frame, size
        else:
            todo.append(i)
    again = [plain(i) for i in todo]
    for i, body, b in zip(todo, codec.compress(again), again, strict=True):
        out[i], sizes[i] = body, len(b)
    return [b for b in out if b is not None], sizes
