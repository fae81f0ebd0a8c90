"""The real corpora in the shared data directory: where they are, Reuters-21578 and
Clough & Stevenson parsed into records, and Reuters' groups of near-identical stories.

Nothing read from them is written into the repository; consumers skip cleanly when
they are absent (:func:`reuters_available`, :func:`clough_available`). This module does
not import the ``checker`` package.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

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
