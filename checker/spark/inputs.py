"""What the executors read: an entry of the input table becomes documents.

An entry is one of:

- ``file``: a local path (the driver listed it as ``index add`` does), read
  with the same readers;
- ``data``: a file's bytes read by Spark (``binaryFile``: any Hadoop
  filesystem URL), read by the reader of its suffix;
- ``row``: one row of a Parquet table, as JSON (``text`` and ``id`` required;
  ``title``, ``url``, ``publisher``, ``license``, ``date`` optional).

JSONL files are read record by record: a malformed line is reported with its
location (``FILE:LINE``) and the file's other records are kept, where
``index add`` on one machine refuses the whole file. Every problem comes back
as a :data:`Problem`; none is fatal, none is dropped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..decode import decode_bytes
from ..documents import TextDocument
from ..errors import InputError
from ..readers import _READERS, JSONL_EXTS, SUPPORTED_EXTS, _hash, _meta_from_mapping, read_file

# (reason, location, message); reasons: unsupported, unreadable, malformed, empty, duplicate.
Problem = tuple[str, str, str]


def _reason(exc: InputError) -> str:
    return "unsupported" if "unsupported file type" in str(exc) else "unreadable"


def jsonl_documents(name: str, data: bytes) -> tuple[list[TextDocument], list[Problem]]:
    """The records of a JSONL file, keyed ``FILE#ID`` as :func:`checker.readers.read_jsonl`
    keys them (the same documents when every line is valid); a bad line is a
    problem at ``FILE:LINE``, not the end of the file."""
    try:
        text = decode_bytes(data, name)
    except InputError as exc:
        return [], [("unreadable", name, str(exc))]
    docs: list[TextDocument] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(("malformed", where, f"invalid JSON ({exc.msg}); each line must "
                             "be one JSON object"))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            problems.append(("malformed", where, 'the line needs a "text" string field'))
            continue
        rid = str(record.get("id") or lineno)
        if rid in seen:
            problems.append(("duplicate", where, f"duplicate id {rid!r}; ids must be unique "
                             "in a file (the first one is kept)"))
            continue
        seen.add(rid)
        docs.append(TextDocument(key=f"{name}#{rid}", path=f"{name}#{rid}", text=record["text"],
                                 meta=_meta_from_mapping(record),
                                 content_hash=_hash(line.encode("utf-8"))))
    return docs, problems


def row_document(name: str, part: str, content: bytes) -> tuple[list[TextDocument],
                                                                 list[Problem]]:
    """One row of a table (``content``: the row as JSON), keyed ``TABLE#ID``."""
    record: Any = json.loads(content)
    rid = record.get("id") if isinstance(record, dict) else None
    where = f"{name}#{rid}" if rid not in (None, "") else f"{part} (a row without id)"
    if not isinstance(record, dict) or rid in (None, ""):
        return [], [("malformed", where, 'the row needs an "id"')]
    if not isinstance(record.get("text"), str):
        return [], [("malformed", where, 'the row needs a "text" string column')]
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return [TextDocument(key=f"{name}#{rid}", path=f"{name}#{rid}", text=record["text"],
                         meta=_meta_from_mapping(record), content_hash=_hash(canonical))], []


def data_documents(name: str, data: bytes, max_bytes: int) -> list[TextDocument]:
    """A file's bytes read by Spark, with the reader of its suffix (as
    :func:`checker.readers.read_file` reads a local file)."""
    suffix = Path(name).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise InputError(f"{name}: unsupported file type {suffix or '(none)'!r}; "
                         f"supported: {', '.join(sorted(SUPPORTED_EXTS))}")
    if len(data) > max_bytes:
        raise InputError(f"{name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} "
                         "MB limit for one document; split it or raise --max-size")
    return reader(Path(name), name, data)


def read_entry(kind: str, name: str, path: str, content: bytes | None,
               max_bytes: int) -> tuple[list[TextDocument], list[Problem]]:
    """The documents of one input entry and the problems met reading it.

    Args:
        kind: ``file``, ``data`` or ``row`` (see the module).
        name: how documents are named (the path as listed, or the URL).
        path: the local path (``file``) or the part file (``row``).
        content: the bytes (``data``) or the row's JSON (``row``).
        max_bytes: larger files are refused, as by ``index add``.
    """
    try:
        if kind == "row":
            return row_document(name, path, content or b"{}")
        if Path(name).suffix.lower() in JSONL_EXTS:
            if kind == "file":
                try:
                    content = Path(path).read_bytes()
                except OSError as exc:
                    raise InputError(f"{name}: cannot read ({exc.strerror})") from None
            return jsonl_documents(name, content or b"")
        if kind == "file":
            return read_file(Path(path), name, max_bytes), []
        return data_documents(name, content or b"", max_bytes), []
    except InputError as exc:
        return [], [(_reason(exc), name, str(exc))]
