"""checker.datafiles and the data-file readers: the string values of JSON and YAML read
as the text a site publishes, keys and syntax masked, at the file's own offsets; and, as a
user, a copy placed in a data file, a feed or subtitles fails the scan and the gate."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ARTICLES, run_checker
from hypothesis import given
from hypothesis import strategies as st

from checker.datafiles import decoded, json_strings, yaml_strings
from checker.readers import SUPPORTED_EXTS, read_file
from checker.text import tokenize


def words(reader: object, text: str) -> list[str]:
    shown, mask = reader(text)  # type: ignore[operator]
    assert len(shown) == len(text)
    return tokenize(shown, mask).words


# -- JSON ---------------------------------------------------------------------------------


def test_json_values_are_read_and_keys_numbers_and_comments_are_not() -> None:
    src = ('{"title": "Council votes", "n": 3, "ok": true, // a "comment"\n'
           ' "tags": ["seawall plan"], /* "hidden" */ "body": "The vote passed",}')
    assert words(json_strings, src) == ["council", "votes", "seawall", "plan", "the", "vote",
                                        "passed"]


def test_json_escapes_read_as_their_characters_at_the_same_offsets() -> None:
    src = r'{"a": "Caf\u00e9 \"open\" don\u2019t\nnow \ud83d\ude00 end \ud800 x\\y"}'
    shown, _ = json_strings(src)
    assert len(shown) == len(src)
    assert words(json_strings, src) == ["café", "open", "dont", "now", "end", "x", "y"]
    # Offsets are the file's: a word starts where it stands in the file.
    tokens = tokenize(*json_strings(src))
    assert src[tokens.starts[tokens.words.index("now")]:][:3] == "now"


def test_broken_json_is_read_as_far_as_it_goes() -> None:
    assert words(json_strings, '{"a": "unclosed\n"b": "ok"') == ["unclosed", "ok"]
    assert words(json_strings, '["one", "two"') == ["one", "two"]
    # A line of unclosed quotes, and an unclosed comment: read, not a hang.
    assert words(json_strings, '"\\' * 10_000) == []
    assert words(json_strings, '["a"] /* "b"') == ["a"]


def test_decoded_pads_with_word_joiners() -> None:
    assert decoded(r"a\u00e9b") == "aé" + "\u2060" * 5 + "b"
    j = "\u2060"
    assert decoded(r"\x41\U0001F600\_") == "A" + j * 3 + "\U0001F600" + j * 9 + " " + j


# -- YAML ---------------------------------------------------------------------------------


def test_yaml_values_are_read_and_keys_are_not() -> None:
    src = ("title: Council votes\nbody: |\n  The seawall\n  plan passed.\n"
           "items:\n  - \"caf\\u00e9 \\\"x\\\"\"\n  - 'it''s'\nmap: {key: value}\n"
           "? complex key\n: its value\n")
    assert words(yaml_strings, src) == ["council", "votes", "the", "seawall", "plan", "passed",
                                        "café", "x", "its", "value", "its", "value"]


@given(st.text(alphabet='"\\:/*{}[], \nabcu0d8', max_size=60),
       st.text(alphabet="-:?[]{}&*!|>'\"#\\ \n\tabu0\x00", max_size=60))
def test_reading_keeps_the_length_of_any_input(json_src: str, yaml_src: str) -> None:
    for reader, src in ((json_strings, json_src), (yaml_strings, yaml_src)):
        shown, mask = reader(src)
        assert len(shown) == len(src)
        assert all(0 <= a < b <= len(src) for a, b in mask)


def test_yaml_nested_deep_is_read_as_text_from_there() -> None:
    deep = "a: story words\nb: " + "[" * 100 + "x" + "]" * 100 + "\nc: more\n"
    assert words(yaml_strings, deep) == ["story", "words", "b", "x", "c", "more"]


def test_yaml_aliases_are_not_expanded() -> None:
    bomb = "a: &a [lol, lol, lol]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    assert words(yaml_strings, bomb) == ["lol", "lol", "lol"]


def test_yaml_after_a_syntax_error_is_read_as_text() -> None:
    # A stray line must not hide the copy after it.
    src = "title: ok words\nlist: [unclosed\nThe council voted on the seawall plan.\n"
    assert words(yaml_strings, src)[-7:] == ["the", "council", "voted", "on", "the", "seawall",
                                             "plan"]


# -- readers --------------------------------------------------------------------------------


def test_readers_of_data_feeds_subtitles_and_tables(tmp_path: Path) -> None:
    story = "The harbor board voted to extend the crab season by two weeks."
    # Each file: its content, and words of its syntax that must not be read.
    files = {
        "a.json": (json.dumps({"id": 7, "body": f"<p>{story}</p>"}), {"id", "7", "body", "p"}),
        "a.yaml": (f"title: T\nbody: >\n  {story}\n", {"title", "body"}),
        "a.xml": (f"<rss><item><description>{story}</description></item></rss>",
                  {"rss", "item", "description"}),
        "a.srt": (f"1\n00:00:01,000 --> 00:00:04,000\n{story}\n\n2\n00:00:05,000 --> "
                  "00:00:06,000\n<i>End</i>\n", {"1", "2", "00", "000", "i"}),
        "a.vtt": ("WEBVTT\n\nNOTE a note\nnot read\n\n00:01.000 --> 00:04.000 align:start\n"
                  f"<v Anna>{story}\n", {"webvtt", "note", "read", "align", "v", "anna", "00"}),
        "a.csv": (f'id,text\n1,"{story}"\n', set()),
    }
    expected = tokenize(story).words
    for name, (content, syntax) in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        [doc] = read_file(tmp_path / name)
        got = tokenize(doc.text, doc.mask).words
        assert len(doc.text) == len(content), name
        assert any(got[i:i + len(expected)] == expected for i in range(len(got))), name
        assert not syntax & set(got), name


def test_the_pre_commit_hook_passes_every_type_checker_reads() -> None:
    import re

    import yaml

    from tests.conftest import ROOT

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    files = re.compile(hook["files"])
    assert all(files.search("draft" + ext) for ext in SUPPORTED_EXTS)
    assert not any(files.search(name) for name in ("a.png", "a.py", "a.toml", "a.jsonx"))


# -- as a user ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["story.json", "story.yaml", "feed.xml", "talk.srt"])
def test_a_copy_in_a_data_file_fails_the_scan_and_the_gate(tmp_path: Path, name: str) -> None:
    shutil.copytree(ARTICLES, tmp_path / "articles")
    assert run_checker(tmp_path, "index", "add", "articles").returncode == 0
    text = (tmp_path / "articles/lakeside-ledger-water-rates.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    content = {
        "story.json": json.dumps({"slug": "rates", "paragraphs": paragraphs}, indent=2),
        "story.yaml": "slug: rates\nbody: |\n" + "".join(
            f"  {line}\n" for line in "\n\n".join(paragraphs).splitlines()),
        "feed.xml": "<rss><channel><item><description>" + "".join(
            f"&lt;p&gt;{p.replace('&', '&amp;')}&lt;/p&gt;" for p in paragraphs)
            + "</description></item></channel></rss>",
        "talk.srt": "".join(f"{i}\n00:00:{i:02d},000 --> 00:00:{i + 1:02d},000\n{p}\n\n"
                            for i, p in enumerate(paragraphs, 1)),
    }[name]
    site = tmp_path / "site" / "data"
    site.mkdir(parents=True)
    (site / name).write_text(content, encoding="utf-8")
    scanned = run_checker(tmp_path, "scan", "site", "--format", "json")
    assert scanned.returncode == 1, scanned.stderr
    [report] = json.loads(scanned.stdout)["files"]
    assert report["verdict"] == "fail"
    assert report["findings"][0]["source"]["path"].endswith("lakeside-ledger-water-rates.txt")
    # The gate on changed files takes the data file too.
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "site"], cwd=tmp_path, check=True)
    staged = run_checker(tmp_path, "scan", "--staged", "site")
    assert staged.returncode == 1, staged.stderr + staged.stdout
    assert f"site/data/{name}" in staged.stdout
