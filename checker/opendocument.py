"""OpenDocument text (``.odt``, LibreOffice and others): the text a reader of it sees.

Why: some newsrooms and most public bodies write in LibreOffice, and its drafts are
``.odt``. The text is read from ``content.xml`` with lxml (no entities resolved, no
network, libxml2's depth and size limits), since what counts is what the document shows:

- its paragraphs and headings in order, with those of tables, frames and notes;
- text hidden by a style (``text:display="none"``), hidden-text fields, comments
  (``office:annotation``) and the deleted text tracked changes keep are not read;
- a ``text:s`` reads as its spaces, a tab and a line break as themselves.

The package is checked as a Word package is (:func:`checker.office.checked_package`).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

from .office import checked_package

__all__ = ["odt_text"]

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_PARAGRAPHS = (_TEXT + "p", _TEXT + "h")
# Never shown where they stand: a comment, the deleted text of tracked changes, a hidden
# field; a note's or a frame's paragraphs are read on their own.
_SKIPPED = {_OFFICE + "annotation", _TEXT + "tracked-changes", _TEXT + "hidden-text",
            _TEXT + "note", _DRAW + "frame", _TEXT + "p", _TEXT + "h"}
_NOT_SHOWN = {_OFFICE + "annotation", _TEXT + "tracked-changes"}
# The most spaces one text:s stands for.
_MAX_SPACES = 1000


def _parse(data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def odt_text(data: bytes, name: str) -> tuple[str, str]:
    """The text an ``.odt`` shows (paragraphs separated by blank lines) and its title.

    Raises:
        InputError: not a zip package, or too big unpacked.
        Exception: a missing ``content.xml`` or broken XML (made one line by
            :func:`checker.readers.read_path`).
    """
    checked_package(data, name, ".odt")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        content = _parse(z.read("content.xml"))
        names = set(z.namelist())
        styles = _parse(z.read("styles.xml")) if "styles.xml" in names else None
        meta = _parse(z.read("meta.xml")) if "meta.xml" in names else None
    hidden = _hidden_styles(content) | (_hidden_styles(styles) if styles is not None else set())
    body = content.find(f"{_OFFICE}body/{_OFFICE}text")
    paragraphs = []
    if body is not None:
        for p in body.iter(*_PARAGRAPHS):
            if p.get(_TEXT + "style-name") in hidden or any(
                    a.tag in _NOT_SHOWN for a in p.iterancestors()):
                continue
            paragraphs.append("".join(_shown(p, hidden)))
    title = ""
    if meta is not None:
        found = meta.find(f".//{_DC}title")
        title = (found.text or "").strip() if found is not None else ""
    return "\n\n".join(p for p in paragraphs if p.strip()), title


def _hidden_styles(root: Any) -> set[str]:
    """Names of the styles whose text properties hide their text."""
    return {s.get(_STYLE + "name", "") for s in root.iter(_STYLE + "style")
            if any(t.get(_TEXT + "display") == "none"
                   for t in s.iter(_STYLE + "text-properties"))}


def _shown(el: Any, hidden: set[str]) -> list[str]:
    """The text ``el`` shows, its children's included (not its tail)."""
    out = [el.text or ""]
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            pass  # an XML comment, processing instruction or entity: never shown
        elif tag == _TEXT + "s":
            out.append(" " * min(_MAX_SPACES, _count(child.get(_TEXT + "c"))))
        elif tag == _TEXT + "tab":
            out.append("\t")
        elif tag == _TEXT + "line-break":
            out.append("\n")
        elif tag not in _SKIPPED and child.get(_TEXT + "style-name") not in hidden:
            out.extend(_shown(child, hidden))
        out.append(child.tail or "")
    return out


def _count(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1
