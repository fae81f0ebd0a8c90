"""Copies disguised with characters a reader does not see, on two corpora.

A draft can carry an article a reader sees whole while a tokenizer sees other words:

- ``zero-width``: one invisible character (zero-width space, non-joiner or joiner,
  word joiner, soft hyphen, byte-order mark) inside every word of two letters or more;
- ``look-alike``: each Latin letter that has a Cyrillic or Greek look-alike swapped for
  it with probability 1/2 (``а`` for ``a``, ``ο`` for ``o``);
- ``markup`` (a Markdown draft): inside 7 words in 10, markup that renders as nothing
  (``wa**te**r``, ``wa<b></b>ter``, ``wa&shy;ter``, ``wa<!-- -->ter``);
- ``hidden junk`` (a Markdown draft): two junk letters inside every word, in an element
  marked hidden (``wa<span hidden>qz</span>ter``, or a ``display: none`` style);
- ``class-hidden junk`` (a Markdown draft): the same, hidden by a class the draft's own
  ``<style>`` hides or a CSS framework's utility class (``d-none``, ``sr-only``);
- ``reversed lines``: each line written backwards after a right-to-left override
  (U+202E), so that it shows as the text;
- ``front matter`` (a Markdown draft): the text as a ``summary: |`` field of its front
  matter (static site generators publish it), a one-line body;
- ``HTML aside``: a page whose main article is the draft's own (a paragraph of an
  unindexed article) and the copy in an ``<aside>``, which article extractors drop;
- ``HTML aside, short blocks``: the same with the copy cut into ``<div>`` blocks of six
  words, each too short to be read alone;
- ``Hangul fillers``: every space a HANGUL FILLER (U+3164), which browsers draw as a blank;
- ``HTML bdo``: a page (own article as for ``HTML aside``) with each paragraph of the copy
  written backwards in a ``<bdo dir="rtl">``, which shows it forwards;
- ``HTML override by class``: the same with a class the page's ``<style>`` shows right
  to left (``unicode-bidi: bidi-override; direction: rtl``);
- ``diacritic marks``: a combining mark (dot below, acute, tilde, diaeresis, macron
  below) after the first letter of every word of three letters or more;
- ``HTML clear junk``: a page of the copy with two junk letters inside every word, in a
  ``<span>`` of transparent text, off the page, or scaled to nothing;
- ``HTML flex order``: the same page with the copy's words shuffled, each a ``<span>``
  of a flex container with a gap, put back in order by its ``order``;
- ``HTML generated text``: the same page with each paragraph of the copy the ``content``
  of a ``::before`` rule of the page's ``<style>``, over an empty ``<p>``;
- ``HTML SVG text``: the same page with each paragraph a ``<text>`` of an inline SVG;
- ``HTML srcdoc``: the same page with the copy in an ``<iframe srcdoc="...">``;
- ``small capitals``: every letter as its Latin small capital (``ᴛʜᴇ ᴄᴏᴜɴᴄɪʟ``), as
  "fancy text" generators write;
- ``all three`` (the first three) at once; ``none`` is the undisguised copy, the control.

Corpora (``../shared``):

- Reuters-21578: ``--articles`` articles indexed; ``--drafts`` of them copied whole,
  each under every disguise: the draft must fail naming the article. The same number of
  unindexed articles (none a duplicate of an indexed one), disguised the same way, are
  counted when they fail: the look-alike reading must not make an original draft fail.
- Clough & Stevenson: the 5 source texts indexed beside the Reuters articles; each
  ``cut`` and ``light`` answer (copied and lightly revised from a source) under every
  disguise. Found = fails naming its task's source; the undisguised answers give the
  baseline the disguised ones must keep.

Usage::

    python -m benchmarks.disguises [--articles 2000] [--drafts 200] [--no-write]
        [--json OUT.json] [--compare EARLIER.json]

``--compare`` adds the figures of an earlier run (of an older commit, say) as columns.
Without ``--no-write`` the table goes to ``docs/benchmarks.md`` (section
``disguises``). Only counts are written, never corpus text.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import datasets as ds
from benchmarks.docs_section import write_section
from checker import Index, Verdict
from checker.documents import Metadata, TextDocument
from checker.report import FileReport

ROOT = Path(__file__).resolve().parent.parent
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]
LOOK_ALIKE = {"a": "\u0430", "c": "\u0441", "e": "\u0435", "i": "\u0456", "j": "\u0458",
              "o": "\u043e", "p": "\u0440", "s": "\u0455", "x": "\u0445", "y": "\u0443",
              "A": "\u0391", "B": "\u0392", "E": "\u0395", "H": "\u0397", "K": "\u039a",
              "M": "\u039c", "N": "\u039d", "O": "\u039f", "P": "\u03a1", "T": "\u03a4"}
WRAP = ["**", "`"]  # around two letters of the word
OWN_ARTICLE = ("The town's library will open an hour earlier on weekdays from next month, "
               "its board said, after a survey of readers asked for more morning hours.")
INSERT = ["<b></b>", "&shy;", "<!-- -->"]  # between two letters


def _words(text: str, change: Callable[[str], str]) -> str:
    return " ".join(change(w) for w in text.split(" "))


def zero_width(text: str, rng: random.Random) -> str:
    def change(w: str) -> str:
        if len(w) < 2 or not w[:2].isalpha():
            return w
        at = rng.randrange(1, len(w))
        return w[:at] + rng.choice(INVISIBLE) + w[at:]
    return _words(text, change)


def look_alike(text: str, rng: random.Random) -> str:
    return "".join(LOOK_ALIKE[c] if c in LOOK_ALIKE and rng.random() < 0.5 else c
                   for c in text)


def markup(text: str, rng: random.Random) -> str:
    def change(w: str) -> str:
        if len(w) < 4 or not w.isalpha() or rng.random() >= 0.7:
            return w
        at = rng.randrange(1, len(w) - 2)
        if rng.random() < 0.4:
            mark = rng.choice(WRAP)
            return w[:at] + mark + w[at:at + 2] + mark + w[at + 2:]
        return w[:at] + rng.choice(INSERT) + w[at:]
    return _words(text, change)


def hidden_junk(text: str, rng: random.Random) -> str:
    def change(w: str) -> str:
        if len(w) < 2 or not w[:2].isalpha():
            return w
        at = rng.randrange(1, len(w))
        tag = rng.choice(["<span hidden>{}</span>", "<b style=\"display: none\">{}</b>"])
        return w[:at] + tag.format(rng.choice("bcdfgkqxz") * 2) + w[at:]
    return _words(text, change)


def styled_junk(text: str, rng: random.Random) -> str:
    """Junk letters inside words, hidden by a class: the draft's own <style>, or a CSS
    framework's utility class (Bootstrap's ``d-none``, Tailwind's ``sr-only``)."""
    def change(w: str) -> str:
        if len(w) < 2 or not w[:2].isalpha():
            return w
        at = rng.randrange(1, len(w))
        tag = rng.choice(["<span class=\"zq\">{}</span>", "<i class='d-none'>{}</i>",
                          "<b class=\"x sr-only\">{}</b>"])
        return w[:at] + tag.format(rng.choice("bcdfgkqxz") * 2) + w[at:]
    return "<style>.zq { display: none }</style>\n\n" + _words(text, change)


def reversed_lines(text: str, rng: random.Random) -> str:
    """Every line reversed after a right-to-left override: it shows as the text."""
    return "\n".join("\u202e" + line[::-1] + "\u202c" if line else line
                     for line in text.split("\n"))


def front_matter(text: str, rng: random.Random) -> str:
    block = "".join(f"  {line}\n" for line in text.splitlines())
    return f"---\ntitle: Notes\nsummary: |\n{block}---\nSee the summary.\n"


def html_aside(text: str, rng: random.Random) -> str:
    return _page("<aside>" + "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
                 + "</aside>")


def html_aside_short(text: str, rng: random.Random) -> str:
    """:func:`html_aside` with the copy cut into ``<div>`` blocks of six words."""
    words = text.split()
    return _page("<aside>" + "".join(f"<div>{html.escape(' '.join(words[i:i + 6]))}</div>"
                                     for i in range(0, len(words), 6)) + "</aside>")


def fillers(text: str, rng: random.Random) -> str:
    return text.replace(" ", "\u3164")


def _page(body: str) -> str:
    own = html.escape(OWN_ARTICLE)
    return (f"<html><head><title>Notes</title></head><body><article><h1>Notes</h1><p>{own}</p>"
            f"<p>{own}</p></article>{body}</body></html>")


def html_bdo(text: str, rng: random.Random) -> str:
    return _page("".join(f'<p><bdo dir="rtl">{html.escape(p[::-1])}</bdo></p>'
                         for p in text.split("\n\n")))


def html_rtl_class(text: str, rng: random.Random) -> str:
    return _page("<style>.r { unicode-bidi: bidi-override; direction: rtl }</style>" + "".join(
        f'<p class="r">{html.escape(p[::-1])}</p>' for p in text.split("\n\n")))


_MARKS = ["\u0323", "\u0301", "\u0303", "\u0308", "\u0331"]


def diacritic_marks(text: str, rng: random.Random) -> str:
    return _words(text, lambda w: w[:1] + rng.choice(_MARKS) + w[1:]
                  if len(w) > 2 and w[:1].isalpha() else w)


_CLEAR_STYLES = ["color: transparent", "color: rgba(0, 0, 0, 0)",
                 "position: absolute; left: -9999px", "display: inline-block; transform: scale(0)"]


def html_clear_junk(text: str, rng: random.Random) -> str:
    def change(w: str) -> str:
        if len(w) < 2 or not w[:2].isalpha():
            return html.escape(w)
        at = rng.randrange(1, len(w))
        return (html.escape(w[:at]) + f'<span style="{rng.choice(_CLEAR_STYLES)}">'
                + rng.choice("bcdfgkqxz") * 2 + "</span>" + html.escape(w[at:]))
    return _page("".join(f"<p>{_words(p, change)}</p>" for p in text.split("\n\n")))


def html_flex_order(text: str, rng: random.Random) -> str:
    words = text.split()
    at = list(range(len(words)))
    rng.shuffle(at)
    return _page('<div style="display: flex; flex-wrap: wrap; gap: 0.3em">' + "".join(
        f'<span style="order: {i}">{html.escape(words[i])}</span>' for i in at) + "</div>")


def _css_string(text: str) -> str:
    """``text`` as a CSS string (its own escapes: a style element's text is not HTML)."""
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
                  .replace("\r", " ").replace("\n", " ")) + '"'


def html_generated(text: str, rng: random.Random) -> str:
    paras = text.split("\n\n")
    rules = "".join(f"#p{i}::before {{ content: {_css_string(p)} }}" for i, p in enumerate(paras))
    return _page(f"<style>{rules}</style>"
                 + "".join(f'<p id="p{i}"></p>' for i in range(len(paras))))


def html_svg(text: str, rng: random.Random) -> str:
    return _page("<svg width='900' height='2000'>" + "".join(
        f"<text x='0' y='{20 * i}'>{html.escape(p)}</text>"
        for i, p in enumerate(text.split("\n\n"))) + "</svg>")


def html_srcdoc(text: str, rng: random.Random) -> str:
    inner = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    return _page(f'<iframe srcdoc="{html.escape(inner, quote=True)}"></iframe>')


_SMALL_CAPS = str.maketrans("abcdefghijklmnopqrstuvwyzABCDEFGHIJKLMNOPQRSTUVWYZ",
                            "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ" * 2)


def small_caps(text: str, rng: random.Random) -> str:
    return text.translate(_SMALL_CAPS)


def all_three(text: str, rng: random.Random) -> str:
    return markup(look_alike(zero_width(text, rng), rng), rng)


DISGUISES: dict[str, tuple[Callable[[str, random.Random], str], str]] = {
    "none": (lambda t, rng: t, ".txt"),
    "zero-width": (zero_width, ".txt"),
    "look-alike": (look_alike, ".txt"),
    "markup": (markup, ".md"),
    "hidden junk": (hidden_junk, ".md"),
    "class-hidden junk": (styled_junk, ".md"),
    "reversed lines": (reversed_lines, ".txt"),
    "front matter": (front_matter, ".md"),
    "HTML aside": (html_aside, ".html"),
    "HTML aside, short blocks": (html_aside_short, ".html"),
    "Hangul fillers": (fillers, ".txt"),
    "HTML bdo": (html_bdo, ".html"),
    "HTML override by class": (html_rtl_class, ".html"),
    "diacritic marks": (diacritic_marks, ".txt"),
    "HTML clear junk": (html_clear_junk, ".html"),
    "HTML flex order": (html_flex_order, ".html"),
    "HTML generated text": (html_generated, ".html"),
    "HTML SVG text": (html_svg, ".html"),
    "HTML srcdoc": (html_srcdoc, ".html"),
    "small capitals": (small_caps, ".txt"),
    "all three": (all_three, ".md"),
}


def _fails_naming(fr: FileReport, want: str) -> bool:
    return any(f.verdict is Verdict.FAIL and want in (f.source.path, *(c.path for c in f.copies))
               for f in fr.findings)


def run(articles: int, drafts: int, seed: int = 7) -> dict[str, Any]:
    everything = ds.load_reuters()
    group = ds.duplicate_groups(everything)
    reuters = [a for a in everything if len(a.text.split()) >= 120]
    rng = random.Random(seed)
    rng.shuffle(reuters)
    indexed = reuters[:articles]
    # Unindexed articles with no duplicate indexed (Reuters files some stories twice).
    taken = {group[a.id] for a in indexed}
    unindexed = [a for a in reuters[articles:] if group[a.id] not in taken][:drafts]
    copied = rng.sample(indexed, drafts)
    sources, answers = ds.load_clough()
    reused = [(name, task, text) for name, task, cat, text in answers if cat in ("cut", "light")]
    docs = [TextDocument(key=a.id, path=a.id, text=a.text, content_hash=a.id,
                         meta=Metadata(title=a.title, publisher="Reuters")) for a in indexed]
    docs += [TextDocument(key=f"clough/{t}", path=f"clough/{t}", text=text,
                          content_hash=f"clough-{t}", meta=Metadata(publisher="Wikipedia"))
             for t, text in sources.items()]
    rows: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with Index.open(work / "ix", create=True) as ix:
            ix.add_documents(docs)
            for name, (disguise, suffix) in DISGUISES.items():
                r = rows[name] = {"reuters_found": 0, "reuters_n": 0, "unindexed_fail": 0,
                                  "unindexed_n": 0, "clough_found": 0, "clough_n": 0}
                drng = random.Random(f"{seed}-{name}")
                cases = ([("reuters", a.id, a.text) for a in copied]
                         + [("unindexed", "", a.text) for a in unindexed]
                         + [("clough", f"clough/{task}", text) for _, task, text in reused])
                for n, (corpus, want, text) in enumerate(cases):
                    path = work / f"{corpus}-{n}{suffix}"
                    path.write_text(disguise(text, drng), encoding="utf-8")
                    (fr,) = ix.scan([path]).files
                    r[f"{corpus}_n"] += 1
                    if corpus == "unindexed":
                        r["unindexed_fail"] += fr.verdict is Verdict.FAIL
                    else:
                        r[f"{corpus}_found"] += _fails_naming(fr, want)
                print(name, r, flush=True)
    return {"articles": articles, "drafts": drafts, "commit": ds.commit(),
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "rows": rows}


def report(res: dict[str, Any], earlier: dict[str, Any] | None = None) -> str:
    lines = [
        "## Disguised copies (`benchmarks/disguises.py`)",
        "",
        f"`python -m benchmarks.disguises --articles {res['articles']} --drafts "
        f"{res['drafts']}` at {res['commit']}, {res['when']}. Reuters-21578: "
        f"{res['articles']:,} articles indexed, {res['drafts']} of them copied whole (must "
        f"fail naming the article) and {res['drafts']} unindexed articles under each "
        "disguise (those that fail undisguised are stories Reuters filed again, reworded: "
        "a disguise must not add any). Clough & Stevenson: its 5 sources indexed too; every "
        "`cut` and `light` answer under each disguise (found: fails naming its source; the "
        "undisguised row is the baseline).",
    ]
    if earlier:
        lines += ["", f"Before: the same run at {earlier['commit']} (`--compare`)."]
    head = "| disguise | Reuters copies found | unindexed drafts failed | Clough-Stevenson found |"
    rule = "|---|---|---|---|"
    if earlier:
        head += " before: Reuters | before: Clough-Stevenson |"
        rule += "---|---|"
    lines += ["", head, rule]
    for name, r in res["rows"].items():
        line = (f"| {name} | {r['reuters_found']}/{r['reuters_n']} | "
                f"{r['unindexed_fail']}/{r['unindexed_n']} | "
                f"{r['clough_found']}/{r['clough_n']} |")
        if earlier and name in earlier["rows"]:
            b = earlier["rows"][name]
            line += (f" {b['reuters_found']}/{b['reuters_n']} | "
                     f"{b['clough_found']}/{b['clough_n']} |")
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--drafts", type=int, default=200)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "out" / "disguises.json")
    ap.add_argument("--compare", type=Path, help="an earlier run's JSON, shown beside")
    args = ap.parse_args(argv)
    if not (ds.reuters_available() and ds.clough_available()):
        print(f"skipped: Reuters-21578 or Clough-Stevenson is not in {ds.shared_dir()}")
        return 0
    res = run(args.articles, args.drafts)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    earlier = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    if not args.no_write:
        write_section("disguises", report(res, earlier))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
