"""Word documents (``.docx``): the text a reader of the document sees.

Why: a newsroom's drafts are written in Word (or Google Docs, which exports it), and an
editor checks one before it goes to the CMS. python-docx opens the package (its XML
parser does not resolve entities); the text is read here from the parts' XML, since what
counts is what the document *shows*:

- the body's paragraphs in order, with those of its tables and text boxes, then the
  headers, footers, footnotes and endnotes (printed with the document);
- a run hidden by ``w:vanish`` (directly, or by its character or paragraph style), a
  deleted run of tracked changes and a field's code are not shown, so not read;
- a tab, a line break and a non-breaking hyphen read as what they show; a soft hyphen
  reads as one (a word split by it is one word).

The package is untrusted: it is refused, with a line naming the file, when it holds more
than :data:`MAX_PARTS` parts or its parts unpack to more than :data:`MAX_UNPACKED_BYTES`
(a zip bomb), before anything is unpacked.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from .errors import InputError

__all__ = ["MAX_PARTS", "MAX_UNPACKED_BYTES", "checked_package", "docx_text"]

#: The most parts a package may hold, and the most bytes its parts may unpack to.
MAX_PARTS = 10_000
MAX_UNPACKED_BYTES = 200_000_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Markup compatibility: a text box is written twice, as a drawing and as a fallback for
# older readers, which show one of them.
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SHOWN = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-",
          _W + "softHyphen": "\u00ad"}
# Parts printed with the body, by relationship type (the end of its URI).
_PRINTED = ("/header", "/footer", "/footnotes", "/endnotes")


def checked_package(data: bytes, name: str, ext: str) -> None:
    """Refuse, before unpacking anything, a document package (``ext``: ``.docx``,
    ``.odt``) that is not a zip, or holds more than :data:`MAX_PARTS` parts or parts that
    unpack to more than :data:`MAX_UNPACKED_BYTES` (a zip bomb).

    Raises:
        InputError: naming the file and what to do.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        raise InputError(f"{name}: not a {ext} document (not a zip package); save it again "
                         f"as {ext}") from None
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise InputError(f"{name}: the package unpacks to over {MAX_PARTS:,} parts or "
                         f"{MAX_UNPACKED_BYTES / 1e6:g} MB; save the text as {ext} again or "
                         "as .txt")


def docx_text(data: bytes, name: str) -> tuple[str, str]:
    """The text a ``.docx`` shows (paragraphs separated by blank lines) and its title.

    Raises:
        InputError: not a zip package, too big unpacked, or not a Word document.
    """
    import docx  # python-docx: only for Word drafts

    checked_package(data, name, ".docx")
    document = docx.Document(io.BytesIO(data))
    hidden_styles = _hidden_styles(document)
    roots = [document.element.body]
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.endswith(_PRINTED):
            roots.append(rel.target_part.element)
    paragraphs = [text for root in roots for text in _paragraphs(root, hidden_styles)]
    title = (document.core_properties.title or "").strip()
    return "\n\n".join(p for p in paragraphs if p.strip()), title


def _hidden_styles(document: Any) -> set[str]:
    """Ids of the styles that hide their text (``w:vanish``, set or inherited through
    ``w:basedOn``). Read from the styles part in one pass: python-docx looks a base
    style up by a search of all styles, quadratic in a crafted file's thousands."""
    own: dict[str, bool | None] = {}
    base: dict[str, str] = {}
    for style in document.styles.element.iter(_W + "style"):
        sid = style.get(_W + "styleId")
        if sid is None:
            continue
        vanish = style.find(f"{_W}rPr/{_W}vanish")
        own[sid] = None if vanish is None else _on(vanish)
        based = style.find(_W + "basedOn")
        if based is not None:
            base[sid] = based.get(_W + "val", "")
    hidden: set[str] = set()
    for sid in own:
        at: str | None = sid
        for _ in range(32):  # a base-style chain, bounded: a loop in a crafted file
            if at is None or at not in own:
                break
            if own[at] is not None:
                if own[at]:
                    hidden.add(sid)
                break
            at = base.get(at)
    return hidden


def _on(toggle: Any) -> bool:
    """A toggle property's value (``<w:vanish/>`` is on; ``w:val="false"`` is off)."""
    return toggle.get(_W + "val", "true") not in ("false", "0", "off")


def _paragraphs(root: Any, hidden_styles: set[str]) -> Iterator[str]:
    for p in root.iter(_W + "p"):
        if any(a.tag == _FALLBACK for a in p.iterancestors()):
            continue
        style = p.find(f"{_W}pPr/{_W}pStyle")
        para_hidden = style is not None and style.get(_W + "val") in hidden_styles
        parts: list[str] = []
        # Runs of this paragraph only: a text box's paragraphs are met on their own.
        for r in p.iter(_W + "r"):
            if _owner(r) is not p:
                continue
            if _run_hidden(r, para_hidden, hidden_styles):
                continue
            for child in r:
                if child.tag == _W + "t":
                    parts.append(child.text or "")
                elif child.tag in _SHOWN:
                    parts.append(_SHOWN[child.tag])
        yield "".join(parts)


def _owner(r: Any) -> Any:
    """The paragraph a run belongs to (a run inside a hyperlink or an insertion belongs
    to the paragraph around them; one in a deletion to none)."""
    node = r.getparent()
    while node is not None and node.tag != _W + "p":
        if node.tag in (_W + "del", _W + "moveFrom"):
            return None
        node = node.getparent()
    return node


def _run_hidden(r: Any, para_hidden: bool, hidden_styles: set[str]) -> bool:
    props = r.find(_W + "rPr")
    if props is not None:
        vanish = props.find(_W + "vanish")
        if vanish is not None:
            return _on(vanish)
        style = props.find(_W + "rStyle")
        if style is not None and style.get(_W + "val") in hidden_styles:
            return True
    return para_hidden
