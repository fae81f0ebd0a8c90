"""Real corpora and deterministic draft generators for tests, evaluations and benchmarks.

The corpora live outside the repository, in the shared data directory returned by
:func:`shared_dir` (``$CHECKER_SHARED`` or ``<project root>/../shared``). Nothing read from
them is ever written into the repository: consumers load them at run time and skip cleanly
when they are absent (see :func:`reuters_available` and :func:`clough_available`).

Contents:

* :func:`load_reuters` parses Reuters-21578 (the protected, licensed corpus) into
  :class:`Article` records; :func:`duplicate_groups` maps every article to the canonical
  member of its group of near-identical bodies (the corpus reuses some of its own stories).
* :func:`load_clough` reads the Clough & Stevenson corpus of plagiarised short answers.
* Draft generators (:func:`verbatim`, :func:`pasted_paragraph`, :func:`light_edit`, ...)
  build a :class:`Draft` from one or more articles with a :class:`random.Random`; the same
  seed always gives the same draft. Each draft records where reused text sits
  (:class:`Reuse`). A generator raises :class:`ValueError` when an article is unsuitable
  (too short, too few paragraphs or sentences); callers pick another article.
* :func:`synthetic_corpus` streams large synthetic archives made of sampled sentences.

This module does not import the ``checker`` package.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import random
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = [
    "COMMON_WORDS",
    "KINDS",
    "Article",
    "Draft",
    "Reuse",
    "as_html",
    "as_markdown",
    "clough_available",
    "clough_dir",
    "credited",
    "duplicate_groups",
    "heavy_edit",
    "light_edit",
    "load_clough",
    "load_reuters",
    "long_quote",
    "normalise_for_duplicates",
    "notice",
    "paragraph_spans",
    "paragraphs",
    "pasted_paragraph",
    "reflowed",
    "reuters_available",
    "reuters_dir",
    "sentence_pool",
    "sentence_spans",
    "sentences",
    "shared_dir",
    "short_paste",
    "short_phrase",
    "short_quote",
    "stitched",
    "synthetic_corpus",
    "two_sources",
    "uncredited",
    "verbatim",
    "with_notice",
    "word_count",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The repository root (the parent of ``benchmarks/``)."""

REUTERS_FILES = 22
"""Number of ``reut2-*.sgm`` files in Reuters-21578."""

REUTERS_BODIES = 19_043
"""Number of Reuters-21578 records with a ``<BODY>``."""


# --------------------------------------------------------------------------------------
# Locations
# --------------------------------------------------------------------------------------


def shared_dir() -> Path:
    """Return the shared data directory: ``$CHECKER_SHARED`` or ``<project root>/../shared``.

    The directory may not exist (a fresh clone has none); callers must check.
    """
    return Path(os.environ.get("CHECKER_SHARED", PROJECT_ROOT.parent / "shared"))


def reuters_dir() -> Path:
    """Return the Reuters-21578 directory inside :func:`shared_dir`."""
    return shared_dir() / "corpora" / "reuters21578"


def clough_dir() -> Path:
    """Return the Clough & Stevenson corpus directory inside :func:`shared_dir`."""
    return shared_dir() / "corpora" / "clough-stevenson"


def reuters_available(root: Path | None = None) -> bool:
    """Tell whether the Reuters-21578 SGML files can be read from ``root`` (or the default)."""
    directory = reuters_dir() if root is None else Path(root)
    return directory.is_dir() and any(directory.glob("reut2-*.sgm"))


def clough_available(root: Path | None = None) -> bool:
    """Tell whether the Clough & Stevenson corpus can be read from ``root`` (or the default)."""
    directory = clough_dir() if root is None else Path(root)
    return (directory / "labels.csv").is_file() and (directory / "texts").is_dir()


# --------------------------------------------------------------------------------------
# Reuters-21578
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One news story: a Reuters-21578 record or a synthetic article.

    ``text`` holds paragraphs separated by one blank line; the lines of a paragraph are
    joined with single spaces.
    """

    id: str
    title: str
    text: str
    date: str
    topics: tuple[str, ...]


_NEWID_RE = re.compile(r'\bNEWID="(\d+)"')
_D_RE = re.compile(r"<D>(.*?)</D>", re.S)
_ENTITY_RE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# C0 controls except tab and newline, DEL and C1 controls.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Some bodies carry a literal "^M" (a carriage return typed out) at line ends.
_CARET_M_RE = re.compile(r"\^M(?=[ \t]*(?:\n|\Z))")
# The sign-off: a last line holding only "Reuter", "REUTER", "Reuters", "REUTER..." etc.
_SIGNOFF_LINE_RE = re.compile(r"[ \t]*reute(?:rs?)?(?:\.{2,}|\d[\d:/A-Z]*)?[ \t]*", re.I)
# The odd sign-off glued to a last line: "... NIL. REUTER11:43/VB".
_GLUED_SIGNOFF_RE = re.compile(r"[ \t]+(?:REUTER|reuter)(?:\d[\d:/A-Z]*)?[ \t]*\Z")
# An indented line starts a paragraph; a blank line ends one.
_INDENT_RE = re.compile(r"\n[ \u00a0]+(?=\S)")
_BLANK_LINE_RE = re.compile(r"\n[ \t\u00a0]*\n")


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith(("#x", "#X")):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _NAMED_ENTITIES.get(name.lower(), match.group(0))


def _unescape(raw: str) -> str:
    """Resolve SGML/HTML entities, then delete control characters (tabs become spaces)."""
    text = _ENTITY_RE.sub(_entity, raw) if "&" in raw else raw
    return _CONTROL_RE.sub("", text.replace("\t", " "))


def _reparagraph(text: str) -> str:
    """Turn Reuters' layout (indented first lines, hard wraps) into blank-line paragraphs."""
    marked = _INDENT_RE.sub("\n\n", text)
    result = (" ".join(chunk.split()) for chunk in _BLANK_LINE_RE.split(marked))
    return "\n\n".join(chunk for chunk in result if chunk)


def _strip_signoff(text: str) -> str:
    """Remove the trailing "Reuter" sign-off lines (or a sign-off glued to the last line)."""
    for _ in range(3):  # some bodies sign off twice: "REUTER\n Reuter"
        cut = text.rfind("\n")
        last = text[cut + 1 :]
        if _SIGNOFF_LINE_RE.fullmatch(last):
            text = text[: max(cut, 0)].rstrip()
            continue
        glued = _GLUED_SIGNOFF_RE.search(last)
        if glued is None:
            break
        text = text[: cut + 1 + glued.start()]
    return text


def _clean_body(raw: str) -> str:
    text = _CARET_M_RE.sub("", _unescape(raw)) if "^M" in raw else _unescape(raw)
    return _reparagraph(_strip_signoff(text.rstrip()))


def _clean_line(raw: str) -> str:
    return " ".join(_unescape(raw).split())


def _element(record: str, tag: str) -> str | None:
    """The content of the first ``<tag>...</tag>`` of a record (tags never nest)."""
    start = record.find(f"<{tag}>")
    if start < 0:
        return None
    start += len(tag) + 2
    end = record.find(f"</{tag}>", start)
    return record[start:end] if end >= 0 else None


def _parse_sgm(content: str) -> Iterator[Article]:
    for chunk in content.split("</REUTERS>"):
        open_at = chunk.find("<REUTERS")
        if open_at < 0:
            continue
        body = _element(chunk, "BODY")
        if body is None:
            continue
        attrs_end = chunk.find(">", open_at)
        newid = _NEWID_RE.search(chunk, open_at, attrs_end)
        if newid is None:  # pragma: no cover - every record has one
            continue
        title = _element(chunk, "TITLE")
        date = _element(chunk, "DATE")
        topics = _element(chunk, "TOPICS")
        yield Article(
            id=f"reuters-{newid.group(1)}",
            title=_clean_line(title) if title is not None else "",
            text=_clean_body(body),
            date=_clean_line(date) if date is not None else "",
            topics=tuple(_clean_line(d) for d in _D_RE.findall(topics)) if topics else (),
        )


def load_reuters(root: Path | None = None, limit: int | None = None) -> list[Article]:
    """Load the Reuters-21578 records that have a ``<BODY>`` (19,043 of them), in file order.

    ``root`` is the directory holding ``reut2-000.sgm`` ... ``reut2-021.sgm`` (default:
    :func:`reuters_dir`). Files are read as latin-1; entities are resolved; control
    characters and the trailing "Reuter" sign-off are removed; paragraphs (indented lines
    in the source) are separated by blank lines, with hard wraps turned into spaces.
    ``limit`` stops after that many articles. Raises :class:`FileNotFoundError` when the
    corpus is absent.
    """
    directory = reuters_dir() if root is None else Path(root)
    files = sorted(directory.glob("reut2-*.sgm"))
    if not files:
        raise FileNotFoundError(f"no reut2-*.sgm files in {directory}")
    articles: list[Article] = []
    for path in files:
        for article in _parse_sgm(path.read_text(encoding="latin-1")):
            if limit is not None and len(articles) >= limit:
                return articles
            articles.append(article)
    return articles


def normalise_for_duplicates(text: str) -> str:
    """Lower-case ``text`` and collapse its whitespace (the key used by duplicate_groups)."""
    return " ".join(text.lower().split())


def duplicate_groups(articles: Iterable[Article], prefix: int = 300) -> dict[str, str]:
    """Map every article id to the canonical id of its group of near-identical bodies.

    Two bodies belong together when their normalised texts (:func:`normalise_for_duplicates`)
    are equal or share their first ``prefix`` characters; groups are closed transitively.
    The canonical id is the group's first article in input order; an article without
    duplicates maps to itself. An evaluation should count a match against any member of
    the source's group as correct.
    """
    ids: list[str] = []
    parent: list[int] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        root_i, root_j = find(i), find(j)
        if root_i != root_j:  # keep the earlier article as the root
            parent[max(root_i, root_j)] = min(root_i, root_j)

    by_text: dict[str, int] = {}
    by_prefix: dict[str, int] = {}
    for index, article in enumerate(articles):
        ids.append(article.id)
        parent.append(index)
        key = normalise_for_duplicates(article.text)
        union(index, by_text.setdefault(key, index))
        if len(key) >= prefix:
            union(index, by_prefix.setdefault(key[:prefix], index))
    return {article_id: ids[find(i)] for i, article_id in enumerate(ids)}


# --------------------------------------------------------------------------------------
# Clough & Stevenson
# --------------------------------------------------------------------------------------

_WINDOWS_ENCODINGS = ["cp1252", "cp1250", "latin_1"]
# C1 controls in decoded text are cp1252 punctuation that went through a latin-1 round trip
# ("\x92" for "’"); map them back. Bytes undefined in cp1252 (0x81, 0x8d, ...) are dropped.
_C1_TO_CP1252 = {
    code: bytes([code]).decode("cp1252", errors="ignore") or None for code in range(0x80, 0xA0)
}


def _decode(data: bytes) -> str:
    """Decode UTF-8 (strict, BOM stripped), else guess with charset_normalizer.

    The guess is first restricted to Windows code pages: unrestricted, charset_normalizer
    takes a lone cp1252 apostrophe for cp775 (``Æ``). Newlines are normalised to ``\\n``, and
    C1 control characters (cp1252 punctuation mis-decoded as latin-1 before being saved as
    UTF-8, as in one answer file) are mapped back through cp1252.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = ""
        try:
            from charset_normalizer import from_bytes
        except ImportError:  # pragma: no cover - a declared dependency
            text = data.decode("cp1252", errors="replace")
        else:
            best = from_bytes(data, cp_isolation=_WINDOWS_ENCODINGS).best()
            if best is None:
                best = from_bytes(data).best()
            text = str(best) if best is not None else data.decode("cp1252", errors="replace")
        text = text.removeprefix("\ufeff")
    text = re.sub(r"\r\n?|[\u2028\u2029]", "\n", text)
    return text.translate(_C1_TO_CP1252)


def load_clough(
    root: Path | None = None,
) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Load the Clough & Stevenson corpus of short answers.

    Returns ``(sources, answers)``: ``sources`` maps each task letter (``a``..``e``) to the
    text of ``texts/orig_task<letter>.txt``; ``answers`` lists ``(file name, task, category,
    text)`` for the 95 rows of ``labels.csv``, category being ``cut``, ``light``, ``heavy``
    or ``non``. Raises :class:`FileNotFoundError` when the corpus is absent.
    """
    directory = clough_dir() if root is None else Path(root)
    labels = directory / "labels.csv"
    texts = directory / "texts"
    if not labels.is_file():
        raise FileNotFoundError(f"no labels.csv in {directory}")
    sources: dict[str, str] = {}
    for path in sorted(texts.glob("orig_task?.txt")):
        sources[path.stem[-1]] = _decode(path.read_bytes())
    answers: list[tuple[str, str, str, str]] = []
    for row in csv.DictReader(io.StringIO(_decode(labels.read_bytes()))):
        name = row["file"].strip()
        answers.append(
            (
                name,
                row["task"].strip(),
                row["category"].strip(),
                _decode((texts / name).read_bytes()),
            )
        )
    return sources, answers


# --------------------------------------------------------------------------------------
# Text utilities
# --------------------------------------------------------------------------------------


def _wordlist(text: str) -> list[str]:
    return text.split()


_PARAGRAPH_SEP_RE = re.compile(r"\n[ \t\u00a0]*\n\s*")
_BOUNDARY_RE = re.compile(r"([.!?]+)([\"'\u201d\u2019)\]]*)(\s+)(?=[\"'\u201c\u2018(\[<]*[A-Z0-9])")
_ACRONYM_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_NEXT_WORD_RE = re.compile(r"[\"'\u201c\u2018(\[<]*([A-Za-z]+)")
# Never the end of a sentence.
_TITLES = frozenset(
    _wordlist(
        "mr mrs ms dr prof sen sens rep reps gov gen col lt sgt capt adm cmdr st jr sr rev hon "
        "messrs"
    )
)
# Usually not the end of a sentence, unless a common sentence opener follows.
_ABBREVIATIONS = frozenset(
    _wordlist(
        "inc corp co ltd plc bros cos no nos vs etc approx dept est fig jan feb mar apr jun "
        "jul aug sep sept oct nov dec mon tue wed thu fri sat sun ave blvd"
    )
)
_OPENERS = frozenset(
    _wordlist(
        "The A An It He She They We I This That These Those Its His Her Their In On At But "
        "And However Analysts Officials Earlier Last Meanwhile There"
    )
)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the paragraphs of ``text`` (blank-line separated).

    Spans exclude surrounding whitespace; empty paragraphs are skipped.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    stops = [(m.start(), m.end()) for m in _PARAGRAPH_SEP_RE.finditer(text)]
    stops.append((len(text), len(text)))
    for end, next_position in stops:
        segment = text[position:end]
        stripped = segment.strip()
        if stripped:
            start = position + (len(segment) - len(segment.lstrip()))
            spans.append((start, start + len(stripped)))
        position = next_position
    return spans


def paragraphs(text: str) -> list[str]:
    """Split ``text`` into its non-empty, blank-line separated paragraphs (stripped)."""
    return [text[start:end] for start, end in paragraph_spans(text)]


def _is_boundary(text: str, match: re.Match[str], floor: int) -> bool:
    if match.group(1) != ".":
        return True
    end = match.start(1)
    start = end
    while start > floor and not text[start - 1].isspace():
        start -= 1
    token = text[start:end].lstrip("\"'\u201c\u2018([<")
    if not token:
        return True
    lower = token.lower()
    if lower in _TITLES:
        return False
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "J. Smith"
    if _ACRONYM_RE.fullmatch(token) or lower in _ABBREVIATIONS:
        following = _NEXT_WORD_RE.match(text, match.end())
        return following is not None and following.group(1) in _OPENERS
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the sentences of ``text``.

    Sentences never cross paragraphs. A boundary is ``.``, ``!`` or ``?`` (plus closing
    quotes or brackets) followed by whitespace and a capital, digit or opening quote;
    decimals ("5.93 mln") never split, and neither do titles ("Mr."), initials, dotted
    acronyms ("U.S.") or company abbreviations ("Corp.") unless a common sentence opener
    ("The", "It", ...) follows.
    """
    spans: list[tuple[int, int]] = []
    for para_start, para_end in paragraph_spans(text):
        start = para_start
        for match in _BOUNDARY_RE.finditer(text, para_start, para_end):
            if _is_boundary(text, match, para_start):
                spans.append((start, match.end(2)))
                start = match.end()
        if start < para_end:
            spans.append((start, para_end))
    return spans


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (see :func:`sentence_spans`), whitespace collapsed."""
    return [" ".join(text[start:end].split()) for start, end in sentence_spans(text)]


def word_count(text: str) -> int:
    """Count whitespace-separated words."""
    return len(text.split())


# --------------------------------------------------------------------------------------
# Drafts
# --------------------------------------------------------------------------------------

KINDS = (
    "verbatim",
    "pasted_paragraph",
    "light_edit",
    "heavy_edit",
    "stitched",
    "short_paste",
    "two_sources",
    "reflowed",
    "as_html",
    "as_markdown",
    "long_quote",
    "short_quote",
    "short_phrase",
    "credited",
    "uncredited",
)
"""The draft kinds, one per generator (``credited`` with no credit gives ``uncredited``)."""


@dataclass(frozen=True)
class Reuse:
    """Where a draft reuses text of a source article.

    ``start:end`` is the reused region of the draft text and ``source_start:source_end``
    the region of ``Article.text`` it came from. For edited kinds (light or heavy edits,
    reflowed text) the draft region holds the edited text, not an exact copy. ``words``
    counts the source words the region carries over unchanged (for exact copies, all of
    them).
    """

    source: str
    start: int
    end: int
    source_start: int
    source_end: int
    words: int


@dataclass(frozen=True)
class Draft:
    """A generated draft: its text and the reuse it contains.

    ``quoted`` marks reuse inside quotation marks with attribution; ``credit`` is the
    credit line the draft carries (if any); ``edited_words`` counts word-level edits.
    """

    kind: str
    text: str
    reuses: tuple[Reuse, ...]
    quoted: bool = False
    credit: str | None = None
    edited_words: int = 0

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the reused articles, in order of first appearance."""
        return tuple(dict.fromkeys(reuse.source for reuse in self.reuses))

    @property
    def reused_words(self) -> int:
        """The number of source words carried over unchanged."""
        return sum(reuse.words for reuse in self.reuses)

    def reused_text(self) -> list[str]:
        """Return the reused regions of the draft text."""
        return [self.text[reuse.start : reuse.end] for reuse in self.reuses]


COMMON_WORDS = tuple(
    _wordlist(
        "the of and to in a is that for it as was with be by on not he this are or his from "
        "at which but have an they you were her she there one all we their been has when who "
        "will more no if out so said what up its about into than them can only other new some "
        "could time these two may then do first any now such like our over man even most made "
        "after also did many before must through back years where much your way well down "
        "should because each just those people how too little state good very make world "
        "still own see men work long get here between both life being under never day same "
        "another know while last might us great old year off come since against go came right "
        "used take three"
    )
)
"""A fixed list of common English words: the replacements used by light and heavy edits."""

_HEADLINE_TEMPLATES = (
    "{subject}: what we know",
    "{subject} - the latest",
    "Update: {subject}",
    "Why {subject} matters",
    "{subject} in focus",
    "Explainer: {subject}",
    "Inside the story: {subject}",
)
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
_TOKEN_RE = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)
_WORD_RE = re.compile(r"\S+")
_TERMINAL = ".!?\"'\u201d\u2019)"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _subject(article: Article) -> str:
    words = article.title.split()[:5]
    return " ".join(words).title() if words else "The markets"


def _passage_candidates(
    text: str, min_words: int, max_words: int, whole_paragraphs: bool = True
) -> list[tuple[int, int]]:
    """Spans of paragraphs and runs of consecutive sentences of min..max words."""
    found: dict[tuple[int, int], None] = {}
    if whole_paragraphs:
        for start, end in paragraph_spans(text):
            if min_words <= word_count(text[start:end]) <= max_words:
                found[(start, end)] = None
    spans = sentence_spans(text)
    counts = [word_count(text[start:end]) for start, end in spans]
    for i in range(len(spans)):
        total = 0
        for j in range(i, len(spans)):
            total += counts[j]
            if total > max_words:
                break
            if total >= min_words:
                found[(spans[i][0], spans[j][1])] = None
    return sorted(found)


def _pick_passage(
    article: Article, rng: random.Random, min_words: int, max_words: int
) -> tuple[int, int]:
    candidates = _passage_candidates(article.text, min_words, max_words)
    if not candidates:
        raise ValueError(
            f"{article.id}: no paragraph or sentence run of {min_words}-{max_words} words"
        )
    return rng.choice(candidates)


def _host_paragraphs(host: Article) -> list[str]:
    """The host's paragraphs; a single-paragraph host is cut in two at a mid sentence."""
    paras = paragraphs(host.text)
    if len(paras) == 1:
        spans = sentence_spans(paras[0])
        if len(spans) >= 2:
            cut = spans[len(spans) // 2][0]
            paras = [paras[0][:cut].rstrip(), paras[0][cut:]]
    return paras


def _middle_slots(count: int, rng: random.Random, how_many: int = 1) -> list[int]:
    """Pick ``how_many`` insertion points among the middle paragraph boundaries."""
    if count < 2:
        return [count] * how_many
    low = max(1, count // 3)
    high = max(low, min(count - 1, count - count // 3))
    slots = list(range(low, high + 1))
    if len(slots) < how_many:
        slots = list(range(1, count)) or [count]
    if len(slots) >= how_many:
        return sorted(rng.sample(slots, how_many))
    return sorted(rng.choice(slots) for _ in range(how_many))


def _assemble(paras: Sequence[str], inserts: Sequence[tuple[int, str]]) -> tuple[str, list[int]]:
    """Insert blocks before the given paragraph indices; return text and block offsets."""
    pieces: list[str] = []
    kinds: list[int] = []  # -1 for host paragraphs, else the insert's index
    order = sorted(range(len(inserts)), key=lambda k: (inserts[k][0], k))
    pending = list(order)
    for index, para in enumerate([*paras, None]):
        while pending and inserts[pending[0]][0] <= index:
            k = pending.pop(0)
            pieces.append(inserts[k][1])
            kinds.append(k)
        if para is not None:
            pieces.append(para)
            kinds.append(-1)
    offsets = [0] * len(inserts)
    position = 0
    for piece, kind in zip(pieces, kinds, strict=True):
        if kind >= 0:
            offsets[kind] = position
        position += len(piece) + 2
    return "\n\n".join(pieces), offsets


def _insert_inline(host: Article, piece: str, rng: random.Random) -> tuple[str, int]:
    """Insert ``piece`` before a sentence in the middle of the host; return text, offset."""
    text = host.text
    starts = [start for start, _ in sentence_spans(text)[1:]]
    if not starts:
        base = text.rstrip()
        joined = f"{base} {piece}" if base else piece
        return joined, len(joined) - len(piece)
    low = len(starts) // 4
    high = max(low + 1, len(starts) - len(starts) // 4)
    position = starts[rng.randrange(low, high)]
    return text[:position] + piece + " " + text[position:], position


def _split_token(token: str) -> tuple[str, str, str]:
    match = _TOKEN_RE.match(token)
    assert match is not None  # the pattern matches any string
    return match.group(1), match.group(2), match.group(3)


def _replacement(core: str, rng: random.Random) -> str:
    word = rng.choice(COMMON_WORDS)
    while word == core.lower():
        word = rng.choice(COMMON_WORDS)
    return word.capitalize() if core[:1].isupper() else word


def _edit_words(paras: list[str], rng: random.Random, rate: float) -> tuple[list[str], int]:
    """Drop, swap with the next word, or replace ``round(rate * words)`` words.

    Every edit changes exactly one word position (a swap displaces one word); punctuation
    stays in place. Returns the edited paragraphs and the number of edits.
    """
    tokens: list[list[str | None]] = [list(p.split()) for p in paras]
    flat = [(p, t) for p, row in enumerate(tokens) for t in range(len(row))]
    edits = round(rate * len(flat))
    chosen = sorted(rng.sample(range(len(flat)), edits)) if edits else []
    chosen_set = set(chosen)
    for index in chosen:
        p, t = flat[index]
        row = tokens[p]
        token = row[t]
        assert token is not None  # only later positions are ever touched
        prefix, core, suffix = _split_token(token)
        operation = rng.choice(("drop", "swap", "replace"))
        if operation == "swap":
            neighbour = row[t + 1] if t + 1 < len(row) and index + 1 not in chosen_set else None
            if neighbour is None:
                operation = "replace"
            else:
                n_prefix, n_core, n_suffix = _split_token(neighbour)
                if not core or not n_core or core.lower() == n_core.lower():
                    operation = "replace"
                else:
                    row[t] = prefix + n_core + suffix
                    row[t + 1] = n_prefix + core + n_suffix
        if operation == "replace":
            row[t] = prefix + _replacement(core, rng) + suffix
        elif operation == "drop":
            row[t] = None
            if any(mark in suffix for mark in ".!?"):
                for back in range(t - 1, -1, -1):
                    previous = row[back]
                    if previous is not None:
                        row[back] = previous.rstrip(".,;:!?") + suffix
                        break
    edited = [" ".join(tok for tok in row if tok is not None) for row in tokens]
    return [para for para in edited if para], edits


def verbatim(article: Article, rng: random.Random) -> Draft:
    """Copy the whole article under a new headline."""
    headline = rng.choice(_HEADLINE_TEMPLATES).format(subject=_subject(article))
    text = f"{headline}\n\n{article.text}"
    start = len(headline) + 2
    reuse = Reuse(article.id, start, len(text), 0, len(article.text), word_count(article.text))
    return Draft("verbatim", text, (reuse,))


def pasted_paragraph(
    article: Article,
    host: Article,
    rng: random.Random,
    min_words: int = 40,
    max_words: int = 120,
) -> Draft:
    """Paste one paragraph or run of consecutive sentences of ``article`` into ``host``.

    The passage (``min_words``..``max_words`` words, whitespace collapsed) becomes its own
    paragraph at a paragraph boundary in the middle of ``host`` (an article that is not
    indexed).
    """
    source_start, source_end = _pick_passage(article, rng, min_words, max_words)
    block = _collapse(article.text[source_start:source_end])
    paras = _host_paragraphs(host)
    (slot,) = _middle_slots(len(paras), rng)
    text, (offset,) = _assemble(paras, [(slot, block)])
    reuse = Reuse(
        article.id, offset, offset + len(block), source_start, source_end, word_count(block)
    )
    return Draft("pasted_paragraph", text, (reuse,))


def _whole_edit(article: Article, kind: str, paras: list[str], edits: int) -> Draft:
    text = "\n\n".join(paras)
    kept = word_count(article.text) - edits
    reuse = Reuse(article.id, 0, len(text), 0, len(article.text), kept)
    return Draft(kind, text, (reuse,), edited_words=edits)


def light_edit(article: Article, rng: random.Random, rate: float = 0.15) -> Draft:
    """Edit ``rate`` of the words (drop, swap with a neighbour, or replace) and move a paragraph.

    Replacements come from :data:`COMMON_WORDS`. With a single paragraph nothing moves.
    """
    paras = paragraphs(article.text)
    if not paras:
        raise ValueError(f"{article.id}: empty article")
    edited, edits = _edit_words(paras, rng, rate)
    if len(edited) >= 2:
        source = rng.randrange(len(edited))
        target = rng.randrange(len(edited) - 1)
        target += target >= source
        edited.insert(target, edited.pop(source))
    return _whole_edit(article, "light_edit", edited, edits)


def heavy_edit(article: Article, rng: random.Random, rate: float = 0.30) -> Draft:
    """Shuffle the sentences of each paragraph, then edit ``rate`` of the words."""
    paras = paragraphs(article.text)
    if not paras:
        raise ValueError(f"{article.id}: empty article")
    shuffled: list[str] = []
    for para in paras:
        parts = sentences(para)
        if len(parts) >= 2:
            order = list(range(len(parts)))
            rng.shuffle(order)
            if order == sorted(order):
                order = order[1:] + order[:1]
            parts = [parts[i] for i in order]
        shuffled.append(" ".join(parts))
    edited, edits = _edit_words(shuffled, rng, rate)
    return _whole_edit(article, "heavy_edit", edited, edits)


def stitched(article: Article, rng: random.Random) -> Draft:
    """Join 3-6 pairwise non-adjacent sentences of ``article`` into one short paragraph."""
    spans = sentence_spans(article.text)
    if len(spans) < 5:
        raise ValueError(f"{article.id}: fewer than 5 sentences")
    count = min(rng.randint(3, 6), (len(spans) + 1) // 2)
    base = sorted(rng.sample(range(len(spans) - count + 1), count))
    picked = [b + k for k, b in enumerate(base)]  # gaps of at least one sentence
    parts: list[str] = []
    reuses: list[Reuse] = []
    position = 0
    for index in picked:
        start, end = spans[index]
        sentence = _collapse(article.text[start:end])
        if parts:
            position += 1
        parts.append(sentence)
        reuses.append(
            Reuse(article.id, position, position + len(sentence), start, end, word_count(sentence))
        )
        position += len(sentence)
    return Draft("stitched", " ".join(parts), tuple(reuses))


def short_paste(article: Article, host: Article, rng: random.Random) -> Draft:
    """Paste 30-39 consecutive words of ``article`` unquoted inside a paragraph of ``host``.

    The passage is a run of whole sentences when one has 30-39 words; otherwise it starts
    at a sentence start (if possible) and stops after 30-39 words, and gets a final period.
    """
    text = article.text
    candidates = _passage_candidates(text, 30, 39, whole_paragraphs=False)
    if candidates:
        source_start, source_end = rng.choice(candidates)
        piece = _collapse(text[source_start:source_end])
    else:
        words = list(_WORD_RE.finditer(text))
        length = rng.randint(30, 39)
        if len(words) < length:
            raise ValueError(f"{article.id}: fewer than {length} words")
        sentence_starts = {start for start, _ in sentence_spans(text)}
        first_words = [
            i
            for i, w in enumerate(words[: len(words) - length + 1])
            if w.start() in sentence_starts
        ] or list(range(len(words) - length + 1))
        first = rng.choice(first_words)
        source_start, source_end = words[first].start(), words[first + length - 1].end()
        piece = _collapse(text[source_start:source_end])
    reused = piece
    if not piece.endswith(tuple(_TERMINAL)):
        piece += "."
    draft, offset = _insert_inline(host, piece, rng)
    reuse = Reuse(
        article.id, offset, offset + len(reused), source_start, source_end, word_count(reused)
    )
    return Draft("short_paste", draft, (reuse,))


def two_sources(a: Article, b: Article, host: Article, rng: random.Random) -> Draft:
    """Paste one paragraph (40-120 words) of ``a`` and one of ``b`` into ``host``."""
    spans = [_pick_passage(a, rng, 40, 120), _pick_passage(b, rng, 40, 120)]
    blocks = [_collapse(src.text[s:e]) for src, (s, e) in zip((a, b), spans, strict=True)]
    paras = _host_paragraphs(host)
    slots = _middle_slots(len(paras), rng, 2)
    text, offsets = _assemble(paras, list(zip(slots, blocks, strict=True)))
    reuses = tuple(
        Reuse(src.id, offset, offset + len(block), s, e, word_count(block))
        for src, (s, e), block, offset in zip((a, b), spans, blocks, offsets, strict=True)
    )
    return Draft("two_sources", text, reuses)


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


# --------------------------------------------------------------------------------------
# Synthetic corpora
# --------------------------------------------------------------------------------------

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def sentence_pool(
    articles: Iterable[Article], min_words: int = 6, max_words: int = 60
) -> list[str]:
    """Collect the distinct sentences of ``min_words``..``max_words`` words, in order."""
    pool: dict[str, None] = {}
    for article in articles:
        for sentence in sentences(article.text):
            if min_words <= word_count(sentence) <= max_words:
                pool.setdefault(sentence, None)
    return list(pool)


def compose_article(rng: random.Random, pool: Sequence[str], counts: Sequence[int],
                    target: int, max_words: int,
                    word: Callable[[str], str] | None = None) -> tuple[list[str], str]:
    """Paragraphs of 1-4 sentences drawn from ``pool`` until ``target`` words (never
    past ``max_words``), each passed through ``word`` if given (it may draw from
    ``rng``), and a headline from the opening words of another sentence.

    ``counts`` are the sentences' word counts. Every draw from ``rng`` happens in a
    fixed order, so a corpus made with it is deterministic for its seed.
    """
    paras: list[str] = []
    current: list[str] = []
    per_paragraph = rng.randint(1, 4)
    total = 0
    while total < target:
        pick = rng.randrange(len(pool))
        if total + counts[pick] > max_words:
            break  # (retrying could loop forever: no sentence may be that short)
        current.append(word(pool[pick]) if word is not None else pool[pick])
        total += counts[pick]
        if len(current) >= per_paragraph:
            paras.append(" ".join(current))
            current, per_paragraph = [], rng.randint(1, 4)
    if current:
        paras.append(" ".join(current))
    head = rng.choice(pool).split()[: rng.randint(4, 8)]
    title = " ".join(w.strip(".,;:!?\"'()") for w in head).upper()
    return paras, title


def synthetic_corpus(
    n: int,
    seed: int,
    sentences: list[str],
    *,
    holder: str = "Reuters Ltd",
    year: int = 1987,
) -> Iterator[Article]:
    """Yield ``n`` synthetic articles made of sentences sampled from ``sentences``.

    Each article body has a length drawn uniformly from 300-1,200 words (never more than
    1,200), paragraphs of 1-4 sentences, a headline made from the opening words of a
    sampled sentence, and ends with :func:`notice` ``(holder, year)`` as its last
    paragraph. Ids are ``synthetic-<seed>-<index>``. The stream is deterministic for a seed
    and its first ``k`` articles do not depend on ``n``. Sentences longer than 100 words
    are ignored.
    """
    pool = [s for s in sentences if 0 < word_count(s) <= 100]
    if not pool:
        raise ValueError("no usable sentences (1-100 words)")
    counts = [word_count(s) for s in pool]
    rng = random.Random(seed)
    rights = notice(holder, year)
    for index in range(n):
        paras, title = compose_article(rng, pool, counts, rng.randint(300, 1200), 1200)
        month = rng.randint(1, 10)
        date = (
            f"{rng.randint(1, 28):02d}-{_MONTHS[month - 1]}-{year} "
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}."
            f"{rng.randint(0, 99):02d}"
        )
        yield Article(
            id=f"synthetic-{seed}-{index}",
            title=title,
            text="\n\n".join([*paras, rights]),
            date=date,
            topics=(),
        )


def commit() -> str:
    """The checkout's short commit, ``+uncommitted`` when tracked files changed
    (``unknown`` outside a git checkout): the code a benchmark measured."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=PROJECT_ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return sha + ("+uncommitted" if dirty else "")
