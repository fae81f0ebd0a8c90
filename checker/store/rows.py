"""Rows of the ``documents`` table <-> :class:`DocumentRecord`, checked on the way
in from disk: SQLite keeps whatever type a crafted file puts in a column, so every
value is checked before it becomes a record (a bad one is a corrupt index, not a
crash later on).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .base import DocumentRecord
from .safety import BadIndexFile

COLUMNS = ("id", "key", "title", "publisher", "license", "notice", "holder", "years", "url",
           "date", "content_hash", "added", "words", "passages", "mask")
_INTS = {"words", "passages"}
# Longest mask (spans) read back: one span per notice or boilerplate sentence.
MAX_MASK_SPANS = 1 << 20


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 62


def record_from_row(row: Sequence[Any]) -> DocumentRecord:
    """The record of a ``SELECT`` of :data:`COLUMNS`.

    Raises:
        BadIndexFile: a value of the wrong type or shape.
    """
    if len(row) != len(COLUMNS):
        raise BadIndexFile("a document row has the wrong number of columns")
    values = dict(zip(COLUMNS, row, strict=True))
    where = f"document {str(values['key'])[:80]!r}"
    for name, value in values.items():
        if name in _INTS:
            if not _whole(value):
                raise BadIndexFile(f"{where}: {name} is not a whole number")
        elif not isinstance(value, str):
            raise BadIndexFile(f"{where}: {name} is not text")
    try:
        spans = json.loads(values["mask"])
    except json.JSONDecodeError:
        raise BadIndexFile(f"{where}: its mask is not JSON") from None
    if (not isinstance(spans, list) or len(spans) > MAX_MASK_SPANS
            or not all(isinstance(s, list) and len(s) == 2 and all(map(_whole, s))
                       for s in spans)):
        raise BadIndexFile(f"{where}: its mask is not a list of [start, end] spans")
    values["mask"] = tuple((int(a), int(b)) for a, b in spans)
    return DocumentRecord(**values)


def record_row(num: int, record: DocumentRecord, entries: int) -> list[Any]:
    """The ``documents`` row of a record: ``num``, :data:`COLUMNS`, ``entries``."""
    values: list[Any] = [num, *(getattr(record, c) for c in COLUMNS), entries]
    values[1 + COLUMNS.index("mask")] = json.dumps([list(s) for s in record.mask])
    return values
