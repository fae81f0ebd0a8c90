"""Turn read documents into index entries: rights, masks, words and LSH keys."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from .documents import Metadata, TextDocument
from .notices import UNKNOWN, find_rights, normalize_license
from .sketch import SketchParams, text_keys
from .store import DocumentRecord, PreparedDocument
from .text import mask_spans, tokenize


def document_id(key: str) -> str:
    """The stable public id of a document key (12 hex digits)."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def source_keys(text: str, mask: tuple[tuple[int, int], ...],
                params: SketchParams) -> tuple[npt.NDArray[np.int64], int]:
    """LSH keys of an indexed text's passages, and its word count."""
    tokens = tokenize(text, mask)
    if not tokens.words:
        return np.empty((0, params.bands), dtype=np.int64), 0
    return text_keys(tokens.words, params, params.passage_stride), len(tokens)


def prepare(doc: TextDocument, overrides: Metadata, params: SketchParams) -> PreparedDocument:
    """Find the rights of ``doc``, mask its notice and compute its LSH keys.

    Metadata precedence: flags (``overrides``) over the file's own metadata
    over what the notice says.
    """
    rights = find_rights(doc.text)
    extra = find_rights(doc.extra_notice_text) if doc.extra_notice_text else None
    meta = doc.meta.overridden_by(overrides)
    license_id = normalize_license(meta.license) if meta.license else None
    if license_id is None:
        license_id = rights.license
        if license_id == UNKNOWN and extra is not None:
            license_id = extra.license
    notice = " ".join(n for n in (rights.notice, extra.notice if extra else "") if n)
    holder = rights.holder or (extra.holder if extra else "")
    years = rights.years or (extra.years if extra else "")
    mask = tuple(mask_spans([*doc.mask, *rights.spans]))
    keys, words = source_keys(doc.text, mask, params)
    record = DocumentRecord(
        id=document_id(doc.key), key=doc.key, title=meta.title, publisher=meta.publisher or holder,
        license=license_id, notice=notice, holder=holder, years=years, url=meta.url,
        date=meta.date, content_hash=_content_hash(doc, overrides),
        added=datetime.now(UTC).isoformat(timespec="seconds"), words=words,
        passages=int(keys.shape[0]), mask=mask,
    )
    return PreparedDocument(record=record, text=doc.text, keys=keys.ravel())


def _content_hash(doc: TextDocument, overrides: Metadata) -> str:
    # Flags are part of what was added: re-adding with another --license is a change.
    h = hashlib.sha256(doc.content_hash.encode())
    for value in vars(overrides).values():
        h.update(b"\x00" + value.encode("utf-8"))
    return h.hexdigest()


def unchanged(existing: DocumentRecord | None, doc: TextDocument, overrides: Metadata) -> bool:
    """True when ``doc`` is already indexed as is."""
    return existing is not None and existing.content_hash == _content_hash(doc, overrides)
