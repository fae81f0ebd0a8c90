"""Reading articles and drafts from disk (checker.readers)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ARTICLES

from checker.errors import InputError
from checker.readers import headline, iter_files, read_file, read_path
from checker.text import tokenize


def words_of(path: Path) -> list[str]:
    (d,) = read_file(path)
    return tokenize(d.text, d.mask).words


def test_txt_title_from_short_first_line(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_text("Ferry fares rise again\n\nThe ferry company raised fares.\n", encoding="utf-8")
    (d,) = read_file(p)
    assert d.key == d.path == str(p)
    assert d.meta.title == "Ferry fares rise again"
    assert d.text.startswith("Ferry fares")
    assert d.content_hash


def test_txt_sentence_first_line_is_not_a_title() -> None:
    assert headline("The council met on Monday and voted.\nMore text.\n") == ""
    assert headline("Council votes on seawall\nBody.\n") == "Council votes on seawall"


def test_txt_fixture_with_bom_and_cp1252() -> None:
    (bom,) = read_file(ARTICLES / "lakeside-ledger-water-rates.txt")
    assert not bom.text.startswith("\ufeff")
    (cp,) = read_file(ARTICLES / "northfield-gazette-library-hours.txt")
    assert "caf\u00e9" in cp.text and "\r\n" in cp.text


def test_markdown_front_matter_and_masked_markup(tmp_path: Path) -> None:
    p = tmp_path / "post.md"
    p.write_text(
        "---\ntitle: \"Seed library opens\"\npublisher: Commons Garden Journal\n"
        "url: https://garden.example/seed\nlicense: CC-BY-NC-4.0\ndate: 2025-03-01\n"
        "author: Someone Hidden\n---\n\n"
        "# Seed library opens\n\n"
        "The *seed* library [opened today](https://garden.example/opening-hidden) at "
        "<span class=\"x\">noon</span>.\n<!-- editor note zebraword -->\n"
        "See https://garden.example/barewordurl for hours.\n\n"
        "[ref]: https://garden.example/refdefinition\n",
        encoding="utf-8",
    )
    (d,) = read_file(p)
    assert (d.meta.title, d.meta.publisher, d.meta.url, d.meta.license, d.meta.date) == (
        "Seed library opens", "Commons Garden Journal", "https://garden.example/seed",
        "CC-BY-NC-4.0", "2025-03-01")
    words = tokenize(d.text, d.mask).words
    assert words[:4] == ["seed", "library", "opens", "the"]
    assert "opened" in words and "noon" in words and "hours" in words
    for hidden in ("someone", "hidden", "span", "class", "zebraword", "barewordurl",
                   "refdefinition", "https", "author", "publisher"):
        assert hidden not in words, hidden
    assert d.text.startswith("---\n")  # offsets refer to the file as written


def test_markdown_invalid_front_matter(tmp_path: Path) -> None:
    p = tmp_path / "bad.md"
    p.write_text("---\ntitle: [unclosed\n---\nbody text here\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.md: invalid YAML front matter"):
        read_file(p)


def test_html_main_text_kept_and_boilerplate_dropped() -> None:
    (d,) = read_file(ARTICLES / "riverside-standard-er-waits.html")
    assert "Patients arriving at the emergency department" in d.text
    assert "Free vaccine clinics will run on Saturdays" in d.text
    for boilerplate in ("Subscribe for $1", "Related coverage", "Privacy policy",
                        "Sign up", "rsLayer", "Obituaries", "nursing-home-staffing-bill"):
        assert boilerplate not in d.text, boilerplate
    assert "All rights reserved" in d.extra_notice_text
    assert "ER waits" in d.meta.title


def test_html_without_article_text(tmp_path: Path) -> None:
    p = tmp_path / "empty.html"
    p.write_text("<html><head><script>var x=1;</script></head><body><div><p> </p></div>"
                 "</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.html: no article text"):
        read_file(p)


def test_jsonl_records(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    records = [
        {"id": "one", "title": "First", "publisher": "Wire", "license": "CC-BY-4.0",
         "url": "https://wire.example/1", "text": "First story text here."},
        {"title": "No id", "text": "Second story text."},
    ]
    p.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    docs = read_file(p)
    assert [d.key for d in docs] == [f"{p}#one", f"{p}#2"]
    assert docs[0].path == f"{p}#one"
    assert docs[0].text == "First story text here."
    assert (docs[0].meta.title, docs[0].meta.publisher, docs[0].meta.license) == (
        "First", "Wire", "CC-BY-4.0")
    assert docs[0].content_hash != docs[1].content_hash


def test_jsonl_fixture() -> None:
    docs = read_file(ARTICLES / "harbor-times-briefs.jsonl")
    assert [d.key.rsplit("#", 1)[1] for d in docs] == [
        "ht-brief-001", "ht-brief-002", "ht-brief-003"]


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "x", "text": "fine"', "invalid JSON"),
    ('{"id": "x"}', '"text" string field'),
    ('["text"]', '"text" string field'),
    ('{"id": "x", "text": "bad \\ud800 half"}', 'lone surrogate \\ud800 in "text"'),
    ('{"id": ["x"], "text": "fine"}', '"id" must be a string or an integer'),
])
def test_jsonl_bad_line_names_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    # The bad line is reported on its own; the good lines around it are read.
    p = tmp_path / "feed.jsonl"
    p.write_text('{"id": "a", "text": "ok"}\n\n' + line + '\n{"id": "z", "text": "after"}\n',
                 encoding="utf-8")
    result = read_path(p)
    assert [d.key for d in result.documents] == [f"{p}#a", f"{p}#z"]
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"{p}:3: ")
    assert problem in result.problems[0]
    assert [d.key for d in read_file(p)] == [f"{p}#a", f"{p}#z"]


def test_jsonl_only_bad_lines_raises(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"feed\.jsonl:1: "):
        read_file(p)


def test_jsonl_duplicate_id(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', encoding="utf-8")
    result = read_path(p)
    assert [d.text for d in result.documents] == ["x"]
    assert len(result.problems) == 1
    assert re.search(r"feed\.jsonl:2: duplicate id 'a' \(first on line 1\)", result.problems[0])


def test_jsonl_id_zero_is_an_id(tmp_path: Path) -> None:
    # "id": 0 used to fall back to the line number (1) and clash with "id": 1 on the next
    # line: the whole file was skipped.
    p = tmp_path / "feed.jsonl"
    p.write_text('{"id": 0, "text": "zero"}\n{"id": 1, "text": "one"}\n', encoding="utf-8")
    result = read_path(p)
    assert result.problems == []
    assert [d.key.rsplit("#", 1)[1] for d in result.documents] == ["0", "1"]


def test_read_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.txt: no such file"):
        read_file(tmp_path / "missing.txt")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match=r"picture\.png: unsupported file type '\.png'"):
        read_file(tmp_path / "picture.png")
    big = tmp_path / "big.txt"
    big.write_text("word " * 300, encoding="utf-8")
    with pytest.raises(InputError, match=r"big\.txt: .* over the .* limit"):
        read_file(big, max_bytes=1000)


def test_iter_files_recursive_sorted_hidden_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for rel in ("z.txt", "a.md", "b/c.html", "b/notes.docx", ".secret.txt", ".hidden/x.txt"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    names = [Path(name).relative_to(tmp_path).as_posix() for _, name in iter_files([tmp_path])]
    assert names == ["a.md", "z.txt", "b/c.html", "b/notes.docx"]
    with pytest.raises(InputError, match=r"nope: no such file or directory"):
        list(iter_files([tmp_path / "nope"]))


# -- hostile input (issue 16, items 2 and 4) ------------------------------------------

BILLION_LAUGHS = "\n".join(
    ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
       for i in range(8)]
    + ["title: *i", "---", "", "Body text of the draft."]) + "\n"


def test_front_matter_billion_laughs_refused(tmp_path: Path) -> None:
    # 448 bytes that expand to 9^9 strings: refused before anything is built.
    p = tmp_path / "bomb.md"
    p.write_text(BILLION_LAUGHS, encoding="utf-8")
    assert len(BILLION_LAUGHS) < 600
    with pytest.raises(InputError, match=r"bomb\.md: YAML front matter uses an alias"):
        read_file(p)


@pytest.mark.parametrize(("front", "message"), [
    ("date: 2024-13-45", "invalid value in YAML front matter"),
    ("n: !!int abc", "invalid value in YAML front matter"),
    ("b: !!bool maybe", "invalid value in YAML front matter"),
    ("t: !!timestamp 1", "invalid value in YAML front matter"),
    ("x: !!python/object:os.system ls", "invalid YAML front matter"),
    ("deep: " + "[" * 5000 + "]" * 5000, "nested more than 32 levels"),
    ("deep:\n" + "".join("  " * i + "-\n" for i in range(1, 200)), "nested more than 32"),
    ("big: " + "x" * 70_000, "over the 65536 limit"),
], ids=["bad-date", "bad-int", "bad-bool", "bad-timestamp", "python-tag", "deep-flow",
        "deep-block", "too-big"])
def test_front_matter_bad_values_are_input_errors(tmp_path: Path, front: str,
                                                   message: str) -> None:
    p = tmp_path / "post.md"
    p.write_text(f"---\n{front}\n---\n\nBody.\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(p)
    assert str(exc.value).startswith(f"{p}: ") and message in str(exc.value)


def test_front_matter_dates_and_plain_values_still_read(tmp_path: Path) -> None:
    p = tmp_path / "post.md"
    p.write_text("---\ntitle: A\ndate: 2024-02-03\nlicense: cc-by-4.0\n---\n\nBody.\n",
                 encoding="utf-8")
    meta = read_file(p)[0].meta
    assert (meta.title, meta.date, meta.license) == ("A", "2024-02-03", "cc-by-4.0")


def test_html_parser_failure_is_not_a_crash(tmp_path: Path) -> None:
    # lxml raised AssertionError inside trafilatura on this page: exit 3 for the whole run.
    p = tmp_path / "page.html"
    p.write_text("<svg><template></template><e>", encoding="utf-8")
    with pytest.raises(InputError, match=r"page\.html: no article text"):
        read_file(p)
    p.write_text("<svg><template></template><e></e></svg><p>Some words of the page.</p>",
                 encoding="utf-8")
    assert "Some words of the page." in read_file(p)[0].text


def test_one_bad_file_does_not_hide_the_good_ones(tmp_path: Path) -> None:
    from checker import Index

    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "good.txt").write_text("Good article text for the index here.\n", encoding="utf-8")
    (arts / "bad-date.md").write_text("---\ndate: 2024-13-45\n---\nText.\n", encoding="utf-8")
    (arts / "bomb.md").write_text(BILLION_LAUGHS, encoding="utf-8")
    (arts / "svg.html").write_text("<svg><template></template><e>", encoding="utf-8")
    (arts / "feed.jsonl").write_text(
        '{"id": 0, "text": "zero line of the feed"}\n{"id": 1, "text": "one line"}\n'
        '{"id": 1, "text": "dup"}\n{oops\n{"title": "no text"}\n'
        '{"id": "s", "text": "lone \\udc00 surrogate"}\n', encoding="utf-8")
    warnings: list[str] = []
    with Index.open(tmp_path / "index", create=True) as index:
        summary = index.add([arts], warn=warnings.append)
        keys = sorted(d.key.rsplit("/", 1)[1] for d in index.documents())
    assert keys == ["feed.jsonl#0", "feed.jsonl#1", "good.txt"]
    assert summary.added == 3 and summary.skipped == 7
    for where in ("feed.jsonl:3: duplicate id", "feed.jsonl:4: invalid JSON",
                  'feed.jsonl:5: each line needs a "text"', "feed.jsonl:6: lone surrogate",
                  "bad-date.md: invalid value", "bomb.md: YAML front matter uses an alias",
                  "svg.html: no article text"):
        assert any(where in w for w in warnings), (where, warnings)


def test_headline_of_a_text_that_starts_with_many_blanks() -> None:
    # Matched on the text's start only (a leading \s* backtracked quadratically).
    assert headline("\n\n   Council votes on seawall\nBody.\n") == "Council votes on seawall"
    assert headline(" " * 300_000) == ""


def test_markdown_markup_masks_never_run_past_the_next_opening(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    text = ("a<b" * 3000 + "](x" * 3000 + "<!--" * 3000
            + "\nThe [seawall](https://e.example/a) vote <!-- note --> passed <b>today</b>.\n")
    path.write_text(text, encoding="utf-8")
    (doc,) = read_path(path).documents
    words = tokenize(doc.text, doc.mask).words
    assert words[-5:] == ["the", "seawall", "vote", "passed", "today"]


@pytest.mark.parametrize("suffix", [".rst", ".adoc", ".asciidoc", ".org"])
def test_docs_formats_are_read_as_text(tmp_path: Path, suffix: str) -> None:
    # A Sphinx, Antora or Org site publishes these: skipping them would let a copy through.
    path = tmp_path / f"page{suffix}"
    path.write_text("Council votes on seawall\n========================\n\nThe **vote** "
                    "was 5-0.\n", encoding="utf-8")
    (doc,) = read_path(path).documents
    assert tokenize(doc.text, doc.mask).words == [
        "council", "votes", "on", "seawall", "the", "vote", "was", "5", "0"]
    assert doc.meta.title == "Council votes on seawall"
