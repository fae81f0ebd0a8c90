"""checker.opendocument: the text an OpenDocument text shows, from packages written part by
part; hidden, deleted and comment text left out; and, as a user, a copy in an ``.odt``
with hidden junk inside every word fails the scan."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import ARTICLES, run_checker, scanned_reports

from benchmarks.documents import odt_bytes
from checker.errors import InputError
from checker.opendocument import odt_text
from checker.readers import read_file


def test_paragraphs_headings_tables_frames_and_notes_in_order() -> None:
    body = ("<text:h>Water rates</text:h>"
            "<text:p>The council<text:s text:c=\"2\"/>voted<text:tab/>on"
            "<text:line-break/>Tuesday.<text:note><text:note-citation>1</text:note-citation>"
            "<text:note-body><text:p>A note.</text:p></text:note-body></text:note></text:p>"
            "<table:table xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\">"
            "<table:table-row><table:table-cell><text:p>A cell.</text:p></table:table-cell>"
            "</table:table-row></table:table>"
            "<text:p><draw:frame><draw:text-box><text:p>Boxed.</text:p></draw:text-box>"
            "</draw:frame>After the box.</text:p>")
    text, title = odt_text(odt_bytes(body, title="Rates"), "d.odt")
    assert title == "Rates"
    assert text == ("Water rates\n\nThe council  voted\ton\nTuesday.\n\nA note.\n\nA cell."
                    "\n\nAfter the box.\n\nBoxed.")


def test_hidden_styles_fields_comments_and_deleted_text_are_not_read() -> None:
    body = ("<text:tracked-changes><text:changed-region><text:deletion>"
            "<text:p>deleted words</text:p></text:deletion></text:changed-region>"
            "</text:tracked-changes>"
            '<text:p>wa<text:span text:style-name="H">qz</text:span>ter'
            '<text:hidden-text text:is-hidden="true" text:string-value="x">x</text:hidden-text>'
            "<office:annotation><text:p>a comment</text:p></office:annotation> rates</text:p>"
            '<text:p text:style-name="H">a hidden paragraph</text:p>')
    assert odt_text(odt_bytes(body), "d.odt")[0] == "water rates"


def test_broken_packages_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^d\.odt: not a \.odt document"):
        odt_text(b"PK\x03\x04", "d.odt")
    path = tmp_path / "d.odt"
    path.write_bytes(odt_bytes("<text:p>unclosed"))
    with pytest.raises(InputError, match=rf"^{path}: cannot be read \(XMLSyntaxError"):
        read_file(path)
    path.write_bytes(odt_bytes("<text:p>a&lol;b<!-- junk -->c</text:p>",
                              prolog='<?xml version="1.0"?><!DOCTYPE d [<!ENTITY lol "lol">]>'))
    assert read_file(path)[0].text == "abc"  # no entity expanded, no comment read


def test_a_copy_with_hidden_junk_in_an_odt_fails_the_scan(tmp_path: Path) -> None:
    shutil.copytree(ARTICLES, tmp_path / "articles")
    assert run_checker(tmp_path, "index", "add", "articles").returncode == 0
    source = "articles/lakeside-ledger-water-rates.txt"
    paragraphs = (tmp_path / source).read_text(encoding="utf-8-sig").split("\n\n")
    body = "".join("<text:p>" + " ".join(
        escape(w[:1]) + '<text:span text:style-name="H">qz</text:span>' + escape(w[1:])
        for w in p.split()) + "</text:p>" for p in paragraphs)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "story.odt").write_bytes(odt_bytes(body))
    (tmp_path / "drafts" / "own.odt").write_bytes(odt_bytes(
        "<text:p>Our own reporting on the harbor, written for this paper alone.</text:p>"))
    files = scanned_reports(tmp_path, "drafts")
    assert files["story.odt"]["verdict"] == "fail"
    assert files["story.odt"]["findings"][0]["source"]["path"] == source
    assert files["own.odt"]["verdict"] == "pass"
