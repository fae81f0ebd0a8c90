"""Scan time of one article in each draft format, as a ratio to the same text in ``.txt``.

A folder scan of a site reads its data files, feeds, Word, OpenDocument and PDF files as
well as its pages. Reading a binary format costs more than decoding text (a zip package
unpacked and its XML parsed; a PDF's content streams parsed and laid out), so each
format's cost is measured here against plain text in the same run (the machine is
shared and noisy; ratios hold better than seconds): the same Reuters articles (from
``../shared``) written in each format, each scanned against an index of those
articles, best of ``--runs``.

Usage::

    python -m benchmarks.format_speed [--articles 40] [--runs 3] [--no-write]

Writes the table to ``docs/benchmarks.md`` (section ``format_speed``) unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from benchmarks.corpora import load_reuters, reuters_available
from benchmarks.datasets import commit
from benchmarks.docs_section import write_section
from benchmarks.documents import odt_bytes, pdf_bytes
from checker import Index

ROOT = Path(__file__).resolve().parent.parent


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _pdf(paragraphs: list[str]) -> bytes:
    # Lines of 12 words, 50 lines a page, Helvetica: a plain report's layout.
    words = " ".join(paragraphs).encode("latin-1", "replace").decode("latin-1").split()
    lines = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    return pdf_bytes([lines[i:i + 50] for i in range(0, len(lines), 50)] or [[]])


#: format -> (suffix, writer of the article's paragraphs)
FORMATS: dict[str, tuple[str, Callable[[list[str]], bytes]]] = {
    "text": (".txt", lambda ps: "\n\n".join(ps).encode()),
    "Markdown": (".md", lambda ps: ("# Story\n\n" + "\n\n".join(ps)).encode()),
    "HTML page": (".html", lambda ps: ("<html><body><article>" + "".join(
        f"<p>{html.escape(p)}</p>" for p in ps) + "</article></body></html>").encode()),
    "JSON data": (".json", lambda ps: json.dumps({"slug": "story", "body": ps}).encode()),
    "YAML data": (".yaml", lambda ps: ("slug: story\nbody: |\n" + "".join(
        f"  {line}\n" for line in "\n\n".join(ps).splitlines())).encode()),
    "RSS feed": (".xml", lambda ps: ("<rss><item><description>" + "".join(
        f"&lt;p&gt;{html.escape(p)}&lt;/p&gt;" for p in ps)
        + "</description></item></rss>").encode()),
    "Word": (".docx", _docx),
    "OpenDocument": (".odt", lambda ps: odt_bytes("".join(
        f"<text:p>{escape(p)}</text:p>" for p in ps))),
    "PDF": (".pdf", _pdf),
}


def measure(count: int, runs: int) -> list[dict[str, object]]:
    articles = [a for a in load_reuters(limit=20 * count) if len(a.text.split()) >= 150][:count]
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "articles").mkdir()
        for i, a in enumerate(articles):
            (work / "articles" / f"a{i}.txt").write_text(a.text, encoding="utf-8")
        words = sum(len(a.text.split()) for a in articles)
        with Index.open(work / "index", create=True) as index:
            index.add([work / "articles"])
            for name, (suffix, write) in FORMATS.items():
                folder = work / name.replace(" ", "-")
                folder.mkdir()
                for i, a in enumerate(articles):
                    (folder / f"d{i}{suffix}").write_bytes(write(a.text.split("\n\n")))
                index.scan([folder])  # imports, caches
                best = float("inf")
                for _ in range(runs):
                    started = time.perf_counter()
                    report = index.scan([folder])
                    best = min(best, time.perf_counter() - started)
                found = sum(1 for f in report.files if f.findings)
                rows.append({"format": f"{name} ({suffix})", "seconds": best,
                             "ms_per_1000_words": 1000 * best / words * 1000,
                             "found": found, "drafts": len(articles)})
                print(f"{name} ({suffix}): {best:.3f} s, found {found}/{len(articles)}",
                      flush=True)
    base = float(rows[0]["seconds"])  # type: ignore[arg-type]
    for r in rows:
        r["ratio"] = float(r["seconds"]) / base  # type: ignore[arg-type]
    return rows


def report(rows: list[dict[str, object]], count: int, runs: int) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Draft formats: scan time against plain text (`benchmarks/format_speed.py`)",
        "",
        f"`python -m benchmarks.format_speed --articles {count} --runs {runs}` at {commit()}, "
        f"{when}. The same {rows[0]['drafts']} Reuters articles (150 words or more) written in "
        "each format and scanned as a "
        "folder against an index of them (every draft a whole copy), best of "
        f"{runs}; the ratio is to the `.txt` folder in the same run.",
        "",
        "| format | scan of the folder | per 1,000 words | ratio to text | copies found |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['format']} | {r['seconds']:.2f} s | {r['ms_per_1000_words']:.1f} ms"
                     f" | {r['ratio']:.2f}x | {r['found']}/{r['drafts']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    if not reuters_available():
        raise SystemExit("../shared/corpora/reuters21578 is missing: nothing to measure")
    rows = measure(args.articles, args.runs)
    text = report(rows, args.articles, args.runs)
    print(text)
    if not args.no_write:
        write_section("format_speed", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
