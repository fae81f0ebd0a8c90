"""checker.office: the text a Word document shows, from real packages made by python-docx;
hidden, deleted and duplicated text left out; hostile packages refused with one line; and,
as a user, a copy in a Word draft fails the scan."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import ARTICLES, run_checker, scanned_reports
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from checker import office
from checker.errors import InputError
from checker.office import docx_text
from checker.readers import read_file

W = nsdecls("w")


def saved(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_body_tables_headers_and_footers_are_read_in_order() -> None:
    d = docx.Document()
    d.core_properties.title = "Water rates"
    d.add_paragraph("The council voted on Tuesday.")
    d.add_paragraph("Rates rise\tby 4%.").add_run().add_break()
    d.add_table(rows=1, cols=2).rows[0].cells[1].text = "A cell of the table."
    d.sections[0].header.paragraphs[0].text = "The header line."
    d.sections[0].footer.paragraphs[0].text = "The footer line."
    text, title = docx_text(saved(d), "d.docx")
    assert title == "Water rates"
    assert text == ("The council voted on Tuesday.\n\nRates rise\tby 4%.\n\n\n"
                    "A cell of the table.\n\nThe header line.\n\nThe footer line.")


def test_hidden_runs_and_styles_deleted_runs_and_field_codes_are_not_read() -> None:
    d = docx.Document()
    p = d.add_paragraph("wa")
    p.add_run("qz").font.hidden = True  # junk hidden inside a word
    p.add_run("ter")
    hiding = d.styles.add_style("Junk", docx.enum.style.WD_STYLE_TYPE.CHARACTER)
    hiding.font.hidden = True
    p.add_run("xx", style="Junk")
    inherits = d.styles.add_style("Inherits", docx.enum.style.WD_STYLE_TYPE.CHARACTER)
    inherits.base_style = hiding  # hidden through its base style
    p.add_run("yy", style="Inherits")
    p.add_run(" rates")
    p._p.append(parse_xml(f'<w:del {W} w:id="1" w:author="a" w:date="2026-01-01T00:00:00Z">'
                          "<w:r><w:delText> deleted</w:delText></w:r></w:del>"))
    p._p.append(parse_xml(f'<w:ins {W} w:id="2" w:author="a" w:date="2026-01-01T00:00:00Z">'
                          "<w:r><w:t xml:space=\"preserve\"> inserted</w:t></w:r></w:ins>"))
    p._p.append(parse_xml(f"<w:r {W}><w:instrText> HYPERLINK \"x\" </w:instrText></w:r>"))
    p._p.append(parse_xml(f'<w:r {W}><w:rPr><w:vanish w:val="false"/></w:rPr>'
                          "<w:t xml:space=\"preserve\"> shown</w:t></w:r>"))
    text, _ = docx_text(saved(d), "d.docx")
    assert text == "water rates inserted shown"


def test_a_text_box_is_read_once() -> None:
    d = docx.Document()
    box = ("<w:txbxContent><w:p><w:r><w:t>Boxed text.</w:t></w:r></w:p></w:txbxContent>")
    d.add_paragraph("Before.")._p.append(parse_xml(
        f'<w:r {W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<mc:AlternateContent><mc:Choice Requires=\"wps\">{box}</mc:Choice>"
        f"<mc:Fallback>{box}</mc:Fallback></mc:AlternateContent></w:r>"))
    text, _ = docx_text(saved(d), "d.docx")
    assert text.count("Boxed text.") == 1 and text.startswith("Before.")


def test_packages_that_are_not_word_documents_or_unpack_too_far_are_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match=r"^d\.docx: not a \.docx document"):
        docx_text(b"PK\x03\x04", "d.docx")
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * 2_000_000)
    monkeypatch.setattr(office, "MAX_UNPACKED_BYTES", 1_000_000)
    with pytest.raises(InputError, match=r"^d\.docx: the package unpacks to over"):
        docx_text(big.getvalue(), "d.docx")
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
    with pytest.raises(Exception):  # noqa: B017 - python-docx's own error, made one line by read_path
        docx_text(other.getvalue(), "d.docx")


def test_read_path_makes_a_broken_package_one_line(tmp_path: Path) -> None:
    path = tmp_path / "d.docx"
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
    path.write_bytes(other.getvalue())
    with pytest.raises(InputError, match=rf"^{path}: cannot be read \(.*\); check that it is "
                                         "valid docx$"):
        read_file(path)


def test_a_copy_in_a_word_draft_fails_the_scan(tmp_path: Path) -> None:
    shutil.copytree(ARTICLES, tmp_path / "articles")
    assert run_checker(tmp_path, "index", "add", "articles").returncode == 0
    source = "articles/lakeside-ledger-water-rates.txt"
    text = (tmp_path / source).read_text(encoding="utf-8")
    d = docx.Document()
    for paragraph in text.split("\n\n"):
        p = d.add_paragraph()
        for word in paragraph.split(" "):  # hidden junk inside every word
            p.add_run(word[:1])
            p.add_run("qz").font.hidden = True
            p.add_run(word[1:] + " ")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "story.docx").write_bytes(saved(d))
    own = docx.Document()
    own.add_paragraph("Our own reporting on the harbor, written for this paper alone.")
    (tmp_path / "drafts" / "own.docx").write_bytes(saved(own))
    files = scanned_reports(tmp_path, "drafts")
    assert files["story.docx"]["verdict"] == "fail"
    assert files["story.docx"]["findings"][0]["source"]["path"] == source
    assert files["own.docx"]["verdict"] == "pass"
