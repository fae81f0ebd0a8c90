"""checker.pdf: the text of a PDF's pages; encrypted and oversized PDFs refused with one
line; and, as a user, a copy printed to PDF by Chromium fails the scan."""

from __future__ import annotations

import io
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from conftest import ARTICLES, run_checker, scanned_reports

from benchmarks.documents import pdf_bytes, pdf_escaped
from checker import pdf
from checker.errors import InputError
from checker.pdf import pdf_text
from checker.readers import read_file


def encrypted(data: bytes, user: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_pages_text_in_order_and_the_title() -> None:
    data = pdf_bytes([["The council voted on Tuesday.", "Rates rise by 4 (four) percent."],
                     ["The second page."]], title="Water rates")
    text, title = pdf_text(data, "d.pdf")
    assert title == "Water rates"
    expected = "The council voted on Tuesday. Rates rise by 4 (four) percent. The second page."
    assert " ".join(text.split()) == expected
    assert text.index("The second page.") > text.index("percent.")


def test_invisible_text_is_not_read_beside_visible_text_but_is_a_scans_text_layer() -> None:
    # Junk letters drawn invisibly (render mode 3, or 7 inside q/Q) inside words.
    junk = pdf_bytes([], bodies=["BT /F1 11 Tf 50 780 Td (wa) Tj 3 Tr (qz) Tj 0 Tr (ter rates) Tj"
                                " q 7 Tr [(x) 5 (y)] TJ Q ( rise) Tj ET"])
    assert pdf_text(junk, "d.pdf")[0] == "water rates rise"
    # A scanned page: its only text is the invisible layer over the image.
    scan = pdf_bytes([], bodies=["BT 3 Tr /F1 11 Tf 50 780 Td (the text layer) Tj ET"])
    assert pdf_text(scan, "d.pdf")[0] == "the text layer"


def test_a_copy_with_invisible_junk_in_every_word_fails_the_scan(tmp_path: Path) -> None:
    shutil.copytree(ARTICLES, tmp_path / "articles")
    assert run_checker(tmp_path, "index", "add", "articles").returncode == 0
    source = "articles/lakeside-ledger-water-rates.txt"
    text = (tmp_path / source).read_text(encoding="utf-8-sig")
    words = text.encode("latin-1", "replace").decode("latin-1").split()
    shows = " ".join(f"({pdf_escaped(w[:1])}) Tj 3 Tr (qz) Tj 0 Tr ({pdf_escaped(w[1:])} ) Tj"
                     + (" T*" if i % 10 == 9 else "") for i, w in enumerate(words))
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "story.pdf").write_bytes(
        pdf_bytes([], bodies=[f"BT /F1 8 Tf 10 TL 30 800 Td {shows} ET"]))
    files = scanned_reports(tmp_path, "drafts")
    assert files["story.pdf"]["findings"][0]["source"]["path"] == source
    assert files["story.pdf"]["verdict"] == "fail"


def test_an_encrypted_pdf_opens_without_a_password_or_is_refused() -> None:
    data = pdf_bytes([["Restricted from printing, readable by anyone."]])
    text, _ = pdf_text(encrypted(data, user=""), "d.pdf")
    assert "readable by anyone" in text
    with pytest.raises(InputError, match=r"^d\.pdf: an encrypted PDF that opens only with a "
                                         "password; save a copy without one and scan that$"):
        pdf_text(encrypted(data, user="secret"), "d.pdf")


def test_too_many_pages_are_refused_before_they_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    with pytest.raises(InputError, match=r"^d\.pdf: 3 pages, over the 2 a PDF draft may have"):
        pdf_text(pdf_bytes([["a"], ["b"], ["c"]]), "d.pdf")


def test_a_broken_pdf_is_one_line_naming_the_file(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    with pytest.raises(InputError, match=rf"^{path}: cannot be read \(.*\); check that it is "
                                         "valid pdf$"):
        read_file(path)
    assert capsys.readouterr().err == ""  # no library warnings printed


def test_a_decompression_bomb_is_refused(tmp_path: Path) -> None:
    # 100 MB of blanks in a 100 KB stream: pypdf stops at its 75 MB bound per stream.
    z = zlib.compressobj(9)
    body = z.compress(b"BT /F1 11 Tf (a) Tj ET ") + b"".join(
        z.compress(b" " * 1_000_000) for _ in range(100)) + z.flush()
    data = pdf_bytes([["x"]])
    at = data.index(b"5 0 obj")
    end = data.index(b"endobj", at) + len(b"endobj")
    path = tmp_path / "bomb.pdf"
    path.write_bytes(data[:at] + f"5 0 obj\n<< /Length {len(body)} /Filter /FlateDecode >>\n"
                     "stream\n".encode() + body + b"\nendstream\nendobj" + data[end:])
    with pytest.raises(InputError, match=rf"^{path}: cannot be read \(LimitReachedError"):
        read_file(path)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from browser import launch

    yield from launch()


def test_a_copy_printed_to_pdf_fails_the_scan(tmp_path: Path, browser: Any) -> None:
    # A real PDF: the fixture article laid out and printed by Chromium (embedded font
    # subsets, text shown glyph by glyph), as a site's "download as PDF" makes it.
    shutil.copytree(ARTICLES, tmp_path / "articles")
    assert run_checker(tmp_path, "index", "add", "articles").returncode == 0
    source = "articles/lakeside-ledger-water-rates.txt"
    text = (tmp_path / source).read_text(encoding="utf-8")
    page = browser.new_page()
    page.set_content("<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
                     + "</body></html>")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "story.pdf").write_bytes(page.pdf())
    page.set_content("<p>Our own reporting on the harbor, written for this paper alone.</p>")
    (tmp_path / "drafts" / "own.pdf").write_bytes(page.pdf())
    page.close()
    files = scanned_reports(tmp_path, "drafts")
    assert files["story.pdf"]["verdict"] == "fail"
    assert files["story.pdf"]["findings"][0]["source"]["path"] == source
    assert files["own.pdf"]["verdict"] == "pass"
