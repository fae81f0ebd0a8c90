"""Draft generators that reformat, quote or credit an article (reflowed text, HTML and
Markdown pages, long and short quotations, credit lines) and the rights notices the
benchmarks append to indexed copies."""

from __future__ import annotations

import html
import json
import random
import re
from datetime import datetime

from benchmarks.corpora import Article
from benchmarks.drafts import (
    _WORD_RE,
    Draft,
    Reuse,
    _assemble,
    _collapse,
    _host_paragraphs,
    _insert_inline,
    _middle_slots,
    _pick_passage,
    _subject,
)
from benchmarks.textsplit import paragraph_spans, paragraphs, sentence_spans, word_count

_QUOTE_ATTRIBUTIONS = ("Reuters reported.", "the Reuters news agency reported.")
_PHRASE_LEADS = (
    "Observers noted that",
    "As one account put it,",
    "It has been said that",
    "Some now argue that",
    "One commentator wrote that",
)
_SITES = (
    "The Harbor City Ledger",
    "Northfield Daily Courier",
    "Metro Business Review",
    "Riverside Evening Post",
    "The Lakeshore Gazette",
)
_NAV_ITEMS = ("Home", "World", "Business", "Markets", "Politics", "Tech", "Opinion", "Sport")
_SUBHEADINGS = ("Background", "Market reaction", "Details", "Outlook", "Analysis", "Context")

def _curl_quotes(text: str) -> str:
    text = re.sub(r"(^|[\s(\[{<\u2014-])\"", "\\1\u201c", text)
    text = text.replace('"', "\u201d")
    text = re.sub(r"(^|[\s(\[{<\u2014-])'", "\\1\u2018", text)
    return text.replace("'", "\u2019")


def _wrap(paragraph: str, width: int, rng: random.Random, hyphen_rate: float) -> list[str]:
    """Greedy fill to ``width`` columns, sometimes splitting a word with a hyphen."""
    lines: list[str] = []
    line = ""
    for word in paragraph.split():
        while True:
            if not line:
                if len(word) <= width:
                    line = word
                    break
                lines.append(word[:width])  # an overlong token: hard break, no hyphen
                word = word[width:]
                continue
            if len(line) + 1 + len(word) <= width:
                line += " " + word
                break
            room = width - len(line) - 2  # a space and the hyphen
            cut = min(room, len(word) - 3)
            if cut >= 3 and word[: cut + 1].isalpha() and rng.random() < hyphen_rate:
                lines.append(f"{line} {word[:cut]}-")
                word = word[cut:]
            else:
                lines.append(line)
            line = ""
    if line:
        lines.append(line)
    return lines


def reflowed(article: Article, rng: random.Random) -> Draft:
    """Re-lay the article as hard-wrapped text, as pasted from a PDF or an e-mail.

    Lines wrap at 66-72 columns (never beyond 72); about a third of the words that do not
    fit are split by a hyphen at the line end; straight quotes become curly; about one space
    in twelve becomes a no-break space (U+00A0).
    """
    width = rng.randint(66, 72)
    out_paras: list[str] = []
    for para in paragraphs(_curl_quotes(article.text)):
        lines = _wrap(para, width, rng, 0.35)
        lines = [
            "".join(ch if ch != " " or rng.random() >= 1 / 12 else "\u00a0" for ch in current)
            for current in lines
        ]
        out_paras.append("\n".join(lines))
    text = "\n\n".join(out_paras)
    reuse = Reuse(article.id, 0, len(text), 0, len(article.text), word_count(article.text))
    return Draft("reflowed", text, (reuse,))


def _iso_date(article: Article) -> str:
    try:
        return datetime.strptime(article.date.split()[0], "%d-%b-%Y").date().isoformat()
    except (ValueError, IndexError):
        return "1987-01-01"


def as_html(article: Article, rng: random.Random) -> Draft:
    """Wrap a copy of the article in a web page with boilerplate.

    The page has a ``<script>`` in its head, a ``<header>`` with a ``<nav>`` menu, the
    article's paragraphs as ``<p>`` elements, and a ``<footer>`` carrying the site's own
    (fake) rights notice, which is not the article's.
    """
    site = rng.choice(_SITES)
    nav = rng.sample(_NAV_ITEMS, rng.randint(4, len(_NAV_ITEMS)))
    title = html.escape(_subject(article) if not article.title else article.title.title())
    tracker = f"UA-{rng.randint(10_000_000, 99_999_999)}-{rng.randint(1, 9)}"
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title} | {html.escape(site)}</title>\n"
        "<script>window.dataLayer = window.dataLayer || [];"
        " function gtag(){dataLayer.push(arguments);}"
        f" gtag('js', new Date()); gtag('config', '{tracker}');</script>\n"
        "</head>\n<body>\n<header>\n"
        f'<div class="brand"><a href="/">{html.escape(site)}</a></div>\n<nav>\n<ul>\n'
        + "".join(f'<li><a href="/{item.lower()}/">{item}</a></li>\n' for item in nav)
        + "</ul>\n</nav>\n</header>\n<main>\n<article>\n"
        f'<h1>{title}</h1>\n<p class="byline">By Staff Writer | {_iso_date(article)}</p>\n'
    )
    pieces = [head]
    position = len(head)
    reuses: list[Reuse] = []
    for start, end in paragraph_spans(article.text):
        escaped = html.escape(article.text[start:end], quote=False)
        chunk = f"<p>{escaped}</p>\n"
        reuses.append(
            Reuse(
                article.id,
                position + 3,
                position + 3 + len(escaped),
                start,
                end,
                word_count(article.text[start:end]),
            )
        )
        pieces.append(chunk)
        position += len(chunk)
    year = rng.randint(2015, 2024)
    pieces.append(
        "</article>\n</main>\n<footer>\n"
        f"<p>&copy; {year} {html.escape(site)}. All rights reserved. Reproduction of material"
        " from this site without written permission is strictly prohibited.</p>\n"
        '<p><a href="/privacy/">Privacy policy</a> | <a href="/terms/">Terms of use</a>'
        ' | <a href="/contact/">Contact us</a></p>\n'
        "</footer>\n</body>\n</html>\n"
    )
    return Draft("as_html", "".join(pieces), tuple(reuses))


def as_markdown(article: Article, rng: random.Random) -> Draft:
    """Wrap a copy of the article in Markdown with YAML front matter and headings.

    The front matter carries title, date, tags and author; a ``#`` heading repeats the
    title and ``##`` subheadings are inserted every 2-4 paragraphs.
    """
    title = article.title.title() if article.title else _subject(article)
    tags = json.dumps(list(article.topics) or ["news"])
    front = (
        "---\n"
        f"title: {json.dumps(title)}\n"
        f"date: {_iso_date(article)}\n"
        f"tags: {tags}\n"
        "author: Staff Writer\n"
        "draft: true\n"
        "---\n\n"
        f"# {title}\n\n"
    )
    pieces = [front]
    position = len(front)
    reuses: list[Reuse] = []
    until_heading = rng.randint(2, 4)
    for index, (start, end) in enumerate(paragraph_spans(article.text)):
        if index and index == until_heading:
            heading = f"## {rng.choice(_SUBHEADINGS)}\n\n"
            pieces.append(heading)
            position += len(heading)
            until_heading += rng.randint(2, 4)
        para = article.text[start:end]
        reuses.append(
            Reuse(article.id, position, position + len(para), start, end, word_count(para))
        )
        pieces.append(para + "\n\n")
        position += len(para) + 2
    return Draft("as_markdown", "".join(pieces).rstrip("\n") + "\n", tuple(reuses))


def _quoted(passage: str) -> tuple[str, str]:
    """Split a passage into the quoted body (final period dropped) and its closing marks."""
    if passage.endswith("."):
        return passage[:-1], ",\u201d"
    return passage, "\u201d"


def long_quote(article: Article, host: Article, rng: random.Random) -> Draft:
    """Quote 60-120 words of ``article`` in curly quotes with attribution, inside ``host``.

    The quotation is its own paragraph: ``“<passage>,” Reuters reported.``
    """
    source_start, source_end = _pick_passage(article, rng, 60, 120)
    body, closing = _quoted(_collapse(article.text[source_start:source_end]))
    block = f"\u201c{body}{closing} {rng.choice(_QUOTE_ATTRIBUTIONS)}"
    paras = _host_paragraphs(host)
    (slot,) = _middle_slots(len(paras), rng)
    text, (offset,) = _assemble(paras, [(slot, block)])
    reuse = Reuse(
        article.id,
        offset + 1,
        offset + 1 + len(body),
        source_start,
        source_end,
        word_count(body),
    )
    return Draft("long_quote", text, (reuse,), quoted=True)


def short_quote(article: Article, host: Article, rng: random.Random) -> Draft:
    """Quote one sentence of ``article`` (8-25 words, else 5-25) with attribution in ``host``."""
    spans = sentence_spans(article.text)
    counts = [word_count(article.text[s:e]) for s, e in spans]
    pool = [span for span, n in zip(spans, counts, strict=True) if 8 <= n <= 25] or [
        span for span, n in zip(spans, counts, strict=True) if 5 <= n <= 25
    ]
    if not pool:
        raise ValueError(f"{article.id}: no sentence of 5-25 words")
    source_start, source_end = rng.choice(pool)
    sentence = _collapse(article.text[source_start:source_end])
    if rng.random() < 0.5:
        body, closing = _quoted(sentence)
        piece = f"\u201c{body}{closing} {rng.choice(_QUOTE_ATTRIBUTIONS)}"
        inner = 1
    else:
        body = sentence
        lead = "According to Reuters, \u201c"
        piece = f"{lead}{body}\u201d"
        inner = len(lead)
    text, offset = _insert_inline(host, piece, rng)
    reuse = Reuse(
        article.id,
        offset + inner,
        offset + inner + len(body),
        source_start,
        source_end,
        word_count(body),
    )
    return Draft("short_quote", text, (reuse,), quoted=True)


def short_phrase(article: Article, host: Article, rng: random.Random) -> Draft:
    """Share a 10-15-word phrase from inside one sentence of ``article``, unquoted, in ``host``.

    The phrase avoids the sentence's first word when the sentence is long enough, and is
    embedded in a new sentence ("Observers noted that <phrase>.").
    """
    all_spans = sentence_spans(article.text)
    counts = [word_count(article.text[s:e]) for s, e in all_spans]
    length = rng.randint(10, 15)
    spans = [span for span, n in zip(all_spans, counts, strict=True) if n > length]
    spans = spans or [span for span, n in zip(all_spans, counts, strict=True) if n >= length]
    if not spans:
        length = 10
        spans = [span for span, n in zip(all_spans, counts, strict=True) if n >= length]
    if not spans:
        raise ValueError(f"{article.id}: no sentence of 10 words or more")
    sent_start, sent_end = rng.choice(spans)
    words = list(_WORD_RE.finditer(article.text, sent_start, sent_end))
    first = rng.randrange(min(1, len(words) - length), len(words) - length + 1)
    source_start, source_end = words[first].start(), words[first + length - 1].end()
    raw = article.text[source_start:source_end]
    phrase = raw.strip(".,;:!?\"'()\u201c\u201d\u2018\u2019")
    source_start += raw.index(phrase)
    source_end = source_start + len(phrase)
    lead = rng.choice(_PHRASE_LEADS)
    piece = f"{lead} {phrase}."
    text, offset = _insert_inline(host, piece, rng)
    start = offset + len(lead) + 1
    reuse = Reuse(
        article.id, start, start + len(phrase), source_start, source_end, word_count(phrase)
    )
    return Draft("short_phrase", text, (reuse,))


def credited(article: Article, rng: random.Random, credit: str | None) -> Draft:
    """Copy two consecutive paragraphs of ``article`` followed by ``credit`` (if any).

    With ``credit=None`` the draft is an uncredited copy (kind ``uncredited``).
    """
    spans = paragraph_spans(article.text)
    if len(spans) < 2:
        raise ValueError(f"{article.id}: fewer than 2 paragraphs")
    first = rng.randrange(len(spans) - 1)
    (s1, e1), (s2, e2) = spans[first], spans[first + 1]
    p1, p2 = article.text[s1:e1], article.text[s2:e2]
    text = f"{p1}\n\n{p2}"
    reuses = (
        Reuse(article.id, 0, len(p1), s1, e1, word_count(p1)),
        Reuse(article.id, len(p1) + 2, len(text), s2, e2, word_count(p2)),
    )
    if credit:
        text += f"\n\n{credit}"
        return Draft("credited", text, reuses, credit=credit)
    return Draft("uncredited", text, reuses)


def uncredited(article: Article, rng: random.Random) -> Draft:
    """Copy two consecutive paragraphs of ``article`` with no credit line."""
    return credited(article, rng, None)


def notice(holder: str = "Reuters Ltd", year: int = 1987) -> str:
    """Return the rights-reserved notice of ``holder`` for ``year``."""
    stop = "" if holder.endswith(".") else "."
    return f"\u00a9 {year} {holder}{stop} All rights reserved. Do not reproduce without permission."


def with_notice(article: Article, holder: str = "Reuters Ltd", year: int = 1987) -> str:
    """Return the article text with ``holder``'s rights-reserved notice appended.

    E.g. ``"...\\n\\n© 1987 Reuters Ltd. All rights reserved. Do not reproduce without
    permission."``: the form the indexed copies of a publisher's archive carry.
    """
    return f"{article.text}\n\n{notice(holder, year)}"
