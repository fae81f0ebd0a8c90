"""Documents of the binary draft formats, written part by part for the tests and the
format benchmark: PDFs of text lines (or raw content streams) and OpenDocument texts.
Nothing here needs a word processor or a browser."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape


def pdf_escaped(line: str) -> str:
    """``line`` as the inside of a PDF string literal."""
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(pages: list[list[str]], title: str = "", bodies: list[str] | None = None) -> bytes:
    """A PDF of pages of text lines in Helvetica (or of content streams ``bodies``),
    written object by object."""
    if bodies is not None:
        pages = [[]] * len(bodies)
    n = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {n} >>",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, lines in enumerate(pages):
        body = bodies[i] if bodies is not None else "BT /F1 11 Tf 14 TL 50 780 Td " + " ".join(
            f"({pdf_escaped(line)}) Tj T*" for line in lines) + " ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources "
                       f"<< /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>")
        objects.append(f"<< /Length {len(body.encode('latin-1'))} >>\nstream\n{body}\n"
                       "endstream")
    objects.append(f"<< /Title ({pdf_escaped(title)}) >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')
ODT_HIDING = ('<office:automatic-styles><style:style style:name="H" style:family="text">'
          '<style:text-properties text:display="none"/></style:style>'
          "</office:automatic-styles>")


def odt_bytes(body: str, title: str = "", styles: str = ODT_HIDING,
             prolog: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    """An OpenDocument text package whose body is ``body`` (``text:`` markup), with a
    text style ``H`` that hides its text."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", f"{prolog}<office:document-content {ODT_NS}>{styles}"
                   f"<office:body><office:text>{body}</office:text></office:body>"
                   "</office:document-content>")
        z.writestr("meta.xml", f"<office:document-meta {ODT_NS}><office:meta><dc:title>"
                   f"{escape(title)}</dc:title></office:meta></office:document-meta>")
    return out.getvalue()
