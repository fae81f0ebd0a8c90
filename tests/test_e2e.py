"""End to end, as a user: the installed ``checker`` command on the bundled fixtures.

Runs README line 1 (``checker index add fixtures/articles && checker scan fixtures/drafts``)
in a fresh working directory, so the index lands in ``./.checker/index``.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from conftest import FIXTURES, run_checker, source_name

# Drafts whose verdict does not depend on rights: all-rights-reserved reproductions.
REPRODUCTIONS = {
    "copied-whole.txt": "articles/northfield-gazette-library-hours.txt",
    "pasted-paragraph.md": "articles/harbor-times-crab-season.txt",
    "light-edit.txt": "articles/lakeside-ledger-water-rates.txt",
    "stitched.md": "articles/riverside-standard-er-waits.html",
    "reflowed.txt": "articles/harbor-times-ferry-schedule.txt",
    "page.html": "articles/coastline-weekly-resilience-fund.txt",
}


run = run_checker


def test_readme_line_one(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    added = run(tmp_path, "index", "add", "fixtures/articles")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added 16, updated 0, unchanged 0, skipped 0")
    assert (tmp_path / ".checker" / "index").is_dir()
    assert "Traceback" not in added.stderr

    scanned = run(tmp_path, "scan", "fixtures/drafts")
    assert scanned.returncode == 1, scanned.stderr
    assert "Traceback" not in scanned.stderr
    for draft, source in REPRODUCTIONS.items():
        assert f"fixtures/drafts/{draft}" in scanned.stdout
        assert f"fixtures/{source}" in scanned.stdout
    assert "17 files scanned" in scanned.stdout

    as_json = run(tmp_path, "scan", "fixtures/drafts", "--format", "json")
    assert as_json.returncode == 1
    files = {Path(f["path"]).name: f for f in json.loads(as_json.stdout)["files"]}
    assert len(files) == 17
    for draft, source in REPRODUCTIONS.items():
        failing = [f for f in files[draft]["findings"] if f["verdict"] == "fail"]
        assert failing, draft
        assert failing[0]["source"]["path"] == f"fixtures/{source}", draft
        assert failing[0]["reason"] == "reproduction", draft
        assert {source_name(f["source"]["path"]) for f in failing} == {source}, draft
    assert files["clean-original.md"]["verdict"] == "pass"
    assert files["clean-original.md"]["findings"] == []


def test_a_copy_disguised_with_invisible_and_look_alike_characters_fails(tmp_path: Path) -> None:
    # Each trick alone used to let a whole copied article pass: a zero-width space
    # inside every word, Cyrillic look-alikes for the Latin a, e, o, c and p, Markdown
    # markup inside every word, hidden junk letters inside every word (hidden by the
    # element itself or by a class), the article in a front matter field, or in an HTML
    # page's <aside>.
    shutil.copytree(FIXTURES / "articles", tmp_path / "articles")
    assert run(tmp_path, "index", "add", "articles").returncode == 0
    source = "articles/lakeside-ledger-water-rates.txt"
    text = (tmp_path / source).read_text(encoding="utf-8")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    words = text.split(" ")
    (drafts / "zero-width.txt").write_text(
        " ".join(w[:2] + "\u200b" + w[2:] for w in words), encoding="utf-8")
    look_alike = str.maketrans("aeocpT", "\u0430\u0435\u043e\u0441\u0440\u0422")
    (drafts / "look-alike.txt").write_text(text.translate(look_alike), encoding="utf-8")
    (drafts / "both.md").write_text(
        " ".join(w[:1] + "\u2060" + w[1:].translate(look_alike) for w in words),
        encoding="utf-8")
    # Markdown markup that renders as nothing inside each word: "wa**te**r", "ra&shy;tes".
    (drafts / "markup.md").write_text(
        " ".join(w[:2] + ("**", "&shy;", "<b></b>", "`")[i % 4] + w[2:]
                 if len(w) > 2 and "`" not in w else w for i, w in enumerate(words)),
        encoding="utf-8")

    # Junk letters inside every word, in elements that say they are hidden.
    junk = " ".join(w[:1] + "<span hidden>qz</span>" + w[1:] if len(w) > 1 else w
                    for w in words)
    (drafts / "hidden.md").write_text(junk, encoding="utf-8")
    (drafts / "hidden.html").write_text(
        "<html><body><article>" + "".join(f"<p>{p}</p>" for p in junk.split("\n\n"))
        + "</article></body></html>", encoding="utf-8")

    # Every line reversed under a right-to-left override: it shows as the article.
    (drafts / "reversed.txt").write_text(
        "\n".join("\u202e" + line[::-1] + "\u202c" if line else line
                  for line in text.split("\n")), encoding="utf-8")

    # Junk letters hidden by a class: the draft's own <style>, or a CSS framework's.
    styled = " ".join(w[:1] + ("<span class='zq'>qz</span>", '<i class="d-none">qz</i>')[i % 2]
                      + w[1:] if len(w) > 1 else w for i, w in enumerate(words))
    (drafts / "styled.md").write_text("<style>.zq { display: none }</style>\n\n" + styled,
                                      encoding="utf-8")
    (drafts / "styled.html").write_text(
        "<html><head><style>.zq{visibility:hidden}</style></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in styled.split("\n\n")) + "</article></body></html>",
        encoding="utf-8")

    # The whole article in a front matter field a site publishes.
    block = "".join(f"  {line}\n" for line in text.splitlines())
    (drafts / "front-matter.md").write_text(f"---\ntitle: Notes\nsummary: |\n{block}---\nHi.\n",
                                            encoding="utf-8")

    # A page whose own article is short, with the copy in an <aside>.
    own = "Our library opens an hour earlier on weekdays from next month, the board said."
    (drafts / "aside.html").write_text(
        f"<html><body><article><h1>Hours</h1><p>{own}</p><p>{own}</p></article><aside>"
        + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</aside></body></html>",
        encoding="utf-8")

    # The same, cut into blocks of six words: each too short to be read alone.
    six = [" ".join(words[i:i + 6]) for i in range(0, len(words), 6)]
    (drafts / "aside-short.html").write_text(
        f"<html><body><article><h1>Hours</h1><p>{own}</p><p>{own}</p></article><aside>"
        + "".join(f"<div>{p}</div>" for p in six) + "</aside></body></html>", encoding="utf-8")

    # A mark on a letter of every word: read a second time without marks.
    (drafts / "marks.txt").write_text(" ".join(
        w[:1] + "\u0323\u0301"[i % 2] + w[1:] if len(w) > 2 and w[:1].isalpha() else w
        for i, w in enumerate(words)), encoding="utf-8")

    # Hangul fillers for the spaces: a browser draws each as a blank.
    (drafts / "fillers.txt").write_text(text.replace(" ", "\u3164"), encoding="utf-8")

    # A page that shows the copy otherwise than it is written: each paragraph reversed
    # in a <bdo dir="rtl">, in an inline SVG's <text>, in an <iframe srcdoc>.
    paras = [html.escape(p) for p in text.split("\n\n")]
    page = (f"<html><body><article><h1>Hours</h1><p>{own}</p><p>{own}</p></article>"
            "{}</body></html>")
    (drafts / "bdo.html").write_text(page.format(
        "".join(f'<p><bdo dir="rtl">{html.escape(p[::-1])}</bdo></p>'
                for p in text.split("\n\n"))), encoding="utf-8")
    (drafts / "bdo.md").write_text("Notes.\n\n" + "\n\n".join(
        f'<p><bdo dir="rtl">{p[::-1]}</bdo></p>' for p in text.split("\n\n")), encoding="utf-8")
    (drafts / "rtl-class.html").write_text(page.format(
        "<style>.r { unicode-bidi: bidi-override; direction: rtl }</style>"
        + "".join(f'<p class="r">{html.escape(p[::-1])}</p>' for p in text.split("\n\n"))),
        encoding="utf-8")
    (drafts / "svg.html").write_text(page.format(
        "<svg width='900' height='900'><title>Chart</title>"
        + "".join(f"<text x='0' y='{20 * i}'>{p}</text>" for i, p in enumerate(paras))
        + "</svg>"), encoding="utf-8")
    framed = "".join(f"<p>{p}</p>" for p in paras)
    (drafts / "srcdoc.html").write_text(page.format(
        f'<iframe srcdoc="{html.escape(framed, quote=True)}"></iframe>'), encoding="utf-8")

    scanned = run(tmp_path, "scan", "drafts", "--format", "json")
    assert scanned.returncode == 1, scanned.stderr
    files = {Path(f["path"]).name: f for f in json.loads(scanned.stdout)["files"]}
    assert set(files) == {"zero-width.txt", "look-alike.txt", "both.md", "markup.md",
                          "hidden.md", "hidden.html", "styled.md", "styled.html", "reversed.txt",
                          "front-matter.md", "aside.html", "aside-short.html", "fillers.txt",
                          "bdo.html", "bdo.md", "rtl-class.html", "svg.html", "srcdoc.html",
                          "marks.txt"}
    for name, result in files.items():
        top = result["findings"][0]
        assert (top["verdict"], top["source"]["path"]) == ("fail", source), name
        assert top["source_coverage"] > 0.9, name
