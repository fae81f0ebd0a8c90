"""PDF drafts (``.pdf``): the text of their pages, as pypdf extracts it.

Why: a docs or news site publishes PDFs (a press release, a report, a print edition) as
well as pages, and an editor is handed one to check. The text is pypdf's plain
extraction, page after page: what a reader selects and copies from the document. Text
drawn invisibly is left out of a page that shows text (junk letters inside words), and
read on a page whose text is all invisible (a scanned page's text layer: its text).

The file is untrusted: pypdf bounds every decompressed stream (75 MB), a document of
more than :data:`MAX_PAGES` pages is refused before its pages are read, and an encrypted
one that does not open without a password is refused (a draft that cannot be read never
passes). pypdf's warnings about repaired files are not shown: the text is read all the
same.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from typing import Any

from .errors import InputError

__all__ = ["MAX_PAGES", "pdf_text"]

#: The most pages of a PDF draft.
MAX_PAGES = 2_000

# Text render modes that draw nothing (3: invisible; 7: a clipping path only), and the
# operators that show text.
_INVISIBLE = (3, 7)
_SHOW = (b"Tj", b"TJ", b"'", b'"')
_MAY_HIDE_RE = re.compile(rb"(?<![\w.])[37]\s+Tr\b")


def pdf_text(data: bytes, name: str) -> tuple[str, str]:
    """The text of a PDF's pages (pages separated by blank lines) and its title.

    Raises:
        InputError: encrypted with a password, or more than :data:`MAX_PAGES` pages.
        Exception: pypdf's own error on a broken file (:func:`checker.readers.read_path`
            makes it one line naming the file).
    """
    import pypdf  # only for PDF drafts

    # Its logger would print "incorrect startxref pointer(1)" and the like through
    # logging's last resort: noise for a file that is read all the same.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # an unknown or unsupported encryption: not opened
                opened = pypdf.PasswordType.NOT_DECRYPTED
            if opened == pypdf.PasswordType.NOT_DECRYPTED:
                raise InputError(f"{name}: an encrypted PDF that opens only with a password; "
                                 "save a copy without one and scan that")
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise InputError(f"{name}: {count:,} pages, over the {MAX_PAGES:,} a PDF draft may "
                             "have; split it and scan the parts")
        pages = []
        writer = None
        for number, page in enumerate(reader.pages):
            hidden = _hidden_shows(page, reader)
            if hidden:
                # Changed contents go on a writer's copy (pypdf changes no reader page).
                writer = writer or pypdf.PdfWriter(clone_from=reader)
                page = writer.pages[number]
                _blank(page, writer, hidden)
            pages.append((page.extract_text() or "").strip("\n"))
        info = reader.metadata
        title = str(info.get("/Title") or "").strip() if info is not None else ""
    return "\n\n".join(p for p in pages if p.strip()), title


def _hidden_shows(page: Any, reader: Any) -> list[int]:
    """Which operations of ``page``'s contents show text invisibly, when the page also
    shows text that can be seen (else none).

    Why: junk letters written invisibly (render mode 3) inside every word split each word
    for the extractor while the reader sees the article. A page whose text is all
    invisible is a scanned page's text layer (OCR under the image): that is its text, and
    kept. Pages without a mode 3 or 7 are not parsed again."""
    from pypdf.generic import ContentStream

    contents = page.get_contents()
    if contents is None or not _MAY_HIDE_RE.search(contents.get_data()):
        return []
    mode, saved = 0, []
    hidden: list[int] = []
    shown = False
    for i, (operands, op) in enumerate(ContentStream(contents, reader).operations):
        if op == b"q":
            saved.append(mode)
        elif op == b"Q":
            mode = saved.pop() if saved else 0
        elif op == b"Tr" and operands:
            try:
                mode = int(operands[0])
            except (TypeError, ValueError):
                mode = 0
        elif op in _SHOW:
            if mode in _INVISIBLE:
                hidden.append(i)
            else:
                shown = True
    return hidden if shown else []


def _blank(page: Any, writer: Any, hidden: list[int]) -> None:
    """Empty the strings of the ``hidden`` text operations of a writer's ``page``. The
    operators stay: ``'`` and ``"`` still move to the next line."""
    from pypdf.generic import ArrayObject, ByteStringObject, ContentStream

    stream = ContentStream(page.get_contents(), writer)
    for i in hidden:
        operands, op = stream.operations[i]
        blank = ArrayObject() if op == b"TJ" else ByteStringObject(b"")
        stream.operations[i] = ([*operands[:-1], blank], op)
    page.replace_contents(stream)
