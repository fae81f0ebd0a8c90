"""The document model shared by readers, the index and the scanner."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Metadata:
    """Descriptive fields of an article; empty strings when unknown."""

    title: str = ""
    publisher: str = ""
    url: str = ""
    license: str = ""
    date: str = ""

    def overridden_by(self, other: Metadata) -> Metadata:
        """Fields of ``other`` that are set win over these."""
        changes = {k: v for k, v in vars(other).items() if v}
        return replace(self, **changes)


@dataclass(frozen=True)
class TextDocument:
    """One article or draft as read from disk.

    Attributes:
        key: unique name: the path as given, or ``FILE#ID`` for a JSONL record.
        path: the file it came from, as given.
        text: the text that offsets refer to (the decoded file for text and
            Markdown; the extracted main text for HTML; the ``text`` field for JSONL).
        mask: sorted character spans of ``text`` that are not article prose
            (front matter, markup, link targets) and are never matched.
        meta: title, publisher, url, licence and date found in the file.
        extra_notice_text: text outside ``text`` that may hold the notice
            (an HTML page's footer and meta tags).
        content_hash: hash of what was read, to skip unchanged re-adds.
        source: the file's own text when ``text`` was extracted from it (an HTML
            page), so that line and column numbers can point into the file
            (:mod:`checker.locate`); "" when ``text`` is the file's text.
    """

    key: str
    path: str
    text: str
    mask: tuple[tuple[int, int], ...] = ()
    meta: Metadata = field(default_factory=Metadata)
    extra_notice_text: str = ""
    content_hash: str = ""
    source: str = field(default="", repr=False)
