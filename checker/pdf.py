"""PDF drafts (``.pdf``): the text of their pages, as pypdf extracts it.

Why: a docs or news site publishes PDFs (a press release, a report, a print edition) as
well as pages, and an editor is handed one to check. The text is pypdf's plain
extraction, page after page: what a reader selects and copies from the document,
including the invisible text layer a scanned page carries (which is its text).

The file is untrusted: pypdf bounds every decompressed stream (75 MB), a document of
more than :data:`MAX_PAGES` pages is refused before its pages are read, and an encrypted
one that does not open without a password is refused (a draft that cannot be read never
passes). pypdf's warnings about repaired files are not shown: the text is read all the
same.
"""

from __future__ import annotations

import io
import logging
import warnings

from .errors import InputError

__all__ = ["MAX_PAGES", "pdf_text"]

#: The most pages of a PDF draft.
MAX_PAGES = 2_000


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
        pages = [(page.extract_text() or "").strip("\n") for page in reader.pages]
        info = reader.metadata
        title = str(info.get("/Title") or "").strip() if info is not None else ""
    return "\n\n".join(p for p in pages if p.strip()), title
