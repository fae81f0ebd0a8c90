"""Read articles and drafts from disk: text, Markdown, HTML, JSONL, and the data
files and feeds a site publishes from (JSON, YAML, XML, CSV, subtitles).

Each reader returns :class:`TextDocument` objects whose ``text`` is what
offsets refer to and whose ``mask`` hides what is not prose. Files come from
pull requests, so nothing here trusts them: front matter is bounded (size,
nesting, no aliases), every reader error becomes an :class:`InputError` naming
the file, and a JSONL file's bad lines are reported one by one (``FILE:LINE:
reason``) while its good lines are read (:func:`read_path`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .decode import decode_bytes
from .documents import Metadata, TextDocument
from .errors import CheckerError, InputError, UnsupportedFileError, UsageError
from .frontmatter import FRONT_MATTER_RE, load_front_matter, outside, prose_spans
from .hidden import HIDDEN_ELEMENT
from .markdown import overrides_shown, rendered
from .safetext import one_line
from .text import mask_spans

# Plain text, and the light markup formats of docs sites (reStructuredText, AsciiDoc,
# Org): their markup is punctuation around words, so they read as text. Skipping them
# would let a Sphinx or Antora site publish a copy with only a warning.
# Tables read the same way: a cell's separators and quotes are punctuation; so do LaTeX,
# Textile and wiki markup.
TEXT_EXTS = {".txt", ".text", ".rst", ".adoc", ".asciidoc", ".org", ".csv", ".tsv", ".tex",
             ".textile", ".wiki", ".mediawiki"}
# Markdown under every name a site generator takes it (Jekyll's .mkd, .mkdn, .mdown, ...;
# Quarto, R Markdown), and the page templates of generators (Nunjucks, Liquid, Jinja,
# Handlebars, Twig, ERB, EJS): HTML with tags masked, as in Markdown.
MARKDOWN_EXTS = {".md", ".markdown", ".mdx", ".mkd", ".mkdn", ".mkdown", ".mdown", ".mdwn",
                 ".qmd", ".rmd", ".njk", ".liquid", ".j2", ".jinja", ".hbs", ".twig", ".erb",
                 ".ejs"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
JSONL_EXTS = {".jsonl", ".ndjson"}
# What a site publishes from besides its pages: a copy in a data file, a feed or a video's
# subtitles is published too (checker.datafiles). XML reads as Markdown does: tags and
# comments masked, character references rendered.
DATA_EXTS = {".json", ".yaml", ".yml", ".ipynb"}
FEED_EXTS = {".xml", ".rss", ".atom"}
SUBTITLE_EXTS = {".srt", ".vtt"}
# Word and OpenDocument drafts (checker.office, checker.opendocument), and PDFs
# (checker.pdf).
OFFICE_EXTS = {".docx", ".odt", ".pdf"}
SUPPORTED_EXTS = (TEXT_EXTS | MARKDOWN_EXTS | HTML_EXTS | JSONL_EXTS | DATA_EXTS | FEED_EXTS
                  | SUBTITLE_EXTS | OFFICE_EXTS)

#: The largest file read by ``scan`` and ``index add`` (``--max-size``, in MB of 10^6 bytes).
DEFAULT_MAX_MB = 20.0
DEFAULT_MAX_BYTES = int(DEFAULT_MAX_MB * 1_000_000)


def max_bytes(mb: float) -> int:
    """``--max-size`` in MB (10^6 bytes) as bytes.

    Raises:
        UsageError: not a positive number.
    """
    if not mb > 0 or mb != mb or mb == float("inf"):
        raise UsageError(f"--max-size {mb!r} must be a positive number of MB")
    return int(mb * 1_000_000)

# Markdown markup that is not prose: elements marked hidden (content included), HTML
# comments and tags, link and image targets, reference definitions, autolinks and bare
# URLs. No part can scan past the
# start of the next match's opening ("<", "<!--", "("), so the scans from successive
# openings never overlap: linear time on a hostile draft (a line of "a<b" repeated
# 100,000 times took 100 s when a tag could run to the line's end).
_MD_MASK_RE = re.compile(
    HIDDEN_ELEMENT + r"|<!--(?:[^<-]|-(?!->)|<(?!!--))*-->"
    r"|</?[A-Za-z][^<>\n]*>"
    r"|(?<=\])\([^()\n]*\)"
    r"|^[ \t]*\[[^\]\n]+\]:[^\n]*$"
    r"|https?://[^\s)>\]]+",
    re.DOTALL | re.MULTILINE,
)
_META_KEYS = {"title", "publisher", "url", "license", "date"}


def _meta_from_mapping(data: dict[str, Any]) -> Metadata:
    fields = {}
    for key in _META_KEYS:
        value = data.get(key)
        if value is None and key == "license":
            value = data.get("licence") or data.get("rights")
        if value is None and key == "publisher":
            value = data.get("source") or data.get("site_name")
        if value is not None:
            fields[key] = str(value).strip()
    return Metadata(**fields)


def _hash(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
        h.update(b"\x00")
    return h.hexdigest()


_HEADLINE_RE = re.compile(r"([^\n]{3,200}?)[ \t]*\r?\n")
_HEADLINE_CHARS = 1024


def headline(text: str) -> str:
    """The first line of a plain-text article when it reads like a headline:
    short, and not ending like a sentence."""
    # Matched on the start of the text only: on 300,000 blanks a leading ``\s*`` in
    # the pattern backtracked quadratically (over a minute).
    m = _HEADLINE_RE.match(text[:_HEADLINE_CHARS].lstrip())
    if not m or m.group(1).rstrip().endswith((".", ",", ";", ":")):
        return ""
    return m.group(1).strip()


def read_text(path: Path, name: str, data: bytes) -> list[TextDocument]:
    text = decode_bytes(data, name)
    return [TextDocument(key=name, path=name, text=text, meta=Metadata(title=headline(text)),
                         content_hash=_hash(data))]


def read_markdown(path: Path, name: str, data: bytes) -> list[TextDocument]:
    # Content shown right to left in display order first: its tags are then masked
    # where they stand.
    text = overrides_shown(decode_bytes(data, name))
    spans: list[tuple[int, int]] = []
    meta = Metadata()
    fm = FRONT_MATTER_RE.match(text)
    if fm:
        loaded = load_front_matter(fm.group(1), name)
        if isinstance(loaded, dict):
            meta = _meta_from_mapping(loaded)
        # Metadata is not matched, but prose a site publishes from its front matter (a
        # summary, a description, a body field) is.
        at = fm.start(1)
        spans.extend(outside(fm.span(), [(at + a, at + b) for a, b in prose_spans(fm.group(1))]))
    return [_as_markdown(name, text, spans, data, meta)]


def _as_markdown(name: str, text: str, spans: list[tuple[int, int]], data: bytes,
                 meta: Metadata = Metadata()) -> TextDocument:
    """``text`` read as Markdown is: its markup masked beside ``spans``, and matched as
    rendered (markup inside words, character references), offsets unchanged."""
    spans = [*spans, *(m.span() for m in _MD_MASK_RE.finditer(text))]
    return TextDocument(key=name, path=name, text=rendered(text), mask=tuple(mask_spans(spans)),
                        meta=meta, content_hash=_hash(data))


def read_data(path: Path, name: str, data: bytes) -> list[TextDocument]:
    """A JSON or YAML file: the text of its string values (keys, punctuation and comments
    masked), each read as Markdown is (a CMS body holds HTML or Markdown)."""
    from .datafiles import json_strings, yaml_strings

    raw = decode_bytes(data, name)
    text, spans = (yaml_strings if path.suffix.lower() in (".yaml", ".yml") else json_strings)(raw)
    return [_as_markdown(name, text, spans, data)]


# A cue's number and timing line (SubRip, WebVTT), and WebVTT's header, notes and styles.
_CUE_MASK_RE = re.compile(
    r"^[ \t]*\d+[ \t]*\r?$"
    r"|^[^\n]*-->[^\n]*$"
    r"|\AWEBVTT[^\n]*$"
    r"|^(?:NOTE|STYLE|REGION)\b[^\n]*(?:\n[^\n]*\S[^\n]*)*",
    re.MULTILINE,
)


def read_subtitles(path: Path, name: str, data: bytes) -> list[TextDocument]:
    """A SubRip or WebVTT file: the cues' text (numbers, timings and cue tags masked)."""
    text = decode_bytes(data, name)
    return [_as_markdown(name, text, [m.span() for m in _CUE_MASK_RE.finditer(text)], data)]


def read_document(path: Path, name: str, data: bytes) -> list[TextDocument]:
    """A Word or OpenDocument document (the text it shows: hidden and deleted text left
    out) or a PDF (the text of its pages)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from .pdf import pdf_text

        text, title = pdf_text(data, name)
    elif suffix == ".odt":
        from .opendocument import odt_text

        text, title = odt_text(data, name)
    else:
        from .office import docx_text

        text, title = docx_text(data, name)
    return [TextDocument(key=name, path=name, text=text, meta=Metadata(title=title),
                         content_hash=_hash(data))]


def read_html(path: Path, name: str, data: bytes) -> list[TextDocument]:
    from .html import extract_html  # trafilatura is slow to import: only when needed

    html = decode_bytes(data, name)
    extracted = extract_html(html)
    if not extracted.text.strip():
        raise InputError(f"{name}: no article text found in the HTML page")
    return [TextDocument(key=name, path=name, text=extracted.text, meta=extracted.meta,
                         extra_notice_text=extracted.notice_text, content_hash=_hash(data),
                         source=html)]


def _surrogate(value: Any) -> str | None:
    """The first lone surrogate in a string field (JSON allows ``"\\ud800"``), or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"\\u{ord(value[exc.start]):04x}"
    return None


def jsonl_line(name: str, line: str, lineno: int,
               max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, TextDocument] | str | None:
    """One line of a JSONL file: ``(its id, its document)``, a ``FILE:LINE: reason``
    for a bad line, or None for a blank one. The id is the line number when the line
    gives none; ids are not checked for repeats here (:func:`duplicate_id`)."""
    if not line.strip():
        return None
    where = f"{name}:{lineno}"
    if len(line) > max_bytes:
        return (f"{where}: the line is over the {max_bytes / 1e6:g} MB limit for one "
                "document; split it or raise --max-size")
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return f"{where}: invalid JSON ({reason}); each line must be one JSON object"
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return f'{where}: each line needs a "text" string field'
    raw_id = record.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        return f'{where}: "id" must be a string or an integer'
    bad = next(((k, c) for k in ("id", "text", *_META_KEYS, "licence", "rights", "source",
                                 "site_name") if (c := _surrogate(record.get(k)))), None)
    if bad:
        return (f'{where}: lone surrogate {bad[1]} in "{bad[0]}" (not valid '
                "Unicode); fix the encoding of this line")
    # An id of 0 or "" is still the line's own id only when given (0 is an id).
    rid = str(raw_id) if raw_id is not None and raw_id != "" else str(lineno)
    return rid, TextDocument(
        key=f"{name}#{rid}", path=f"{name}#{rid}", text=record["text"],
        meta=_meta_from_mapping(record), content_hash=_hash(line.encode("utf-8")),
    )


def duplicate_id(name: str, lineno: int, rid: str, first: int) -> str:
    """The ``FILE:LINE: reason`` of a line whose id stood first on line ``first``."""
    return (f"{name}:{lineno}: duplicate id {one_line(rid)[:60]!r} (first on line "
            f"{first}); ids must be unique in a file: this line is skipped")


def jsonl_documents(name: str, text: str,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[TextDocument], list[str]]:
    """The documents of a JSONL file's good lines, and one ``FILE:LINE: reason`` per bad
    line (malformed JSON, no ``text`` string, a bad ``id``, a duplicate id, a lone
    surrogate, a line over ``max_bytes``). A bad line never hides the good ones."""
    docs: list[TextDocument] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        got = jsonl_line(name, line, lineno, max_bytes)
        if got is None:
            continue
        if isinstance(got, str):
            problems.append(got)
            continue
        rid, doc = got
        if rid in seen:
            problems.append(duplicate_id(name, lineno, rid, seen[rid]))
            continue
        seen[rid] = lineno
        docs.append(doc)
    return docs, problems


def read_jsonl(path: Path, name: str, data: bytes) -> list[TextDocument]:
    """The good lines of a JSONL file; raises for the first bad one only when no line is
    good (use :func:`read_path` to get every bad line)."""
    docs, problems = jsonl_documents(name, decode_bytes(data, name))
    if problems and not docs:
        raise InputError(problems[0])
    return docs


_READERS: dict[str, Callable[[Path, str, bytes], list[TextDocument]]] = {
    **{ext: read_text for ext in TEXT_EXTS},
    **{ext: read_markdown for ext in MARKDOWN_EXTS},
    **{ext: read_html for ext in HTML_EXTS},
    **{ext: read_jsonl for ext in JSONL_EXTS},
    **{ext: read_data for ext in DATA_EXTS},
    **{ext: read_markdown for ext in FEED_EXTS},
    **{ext: read_subtitles for ext in SUBTITLE_EXTS},
    **{ext: read_document for ext in OFFICE_EXTS},
}


@dataclass
class ReadResult:
    """What one file gave: its documents, and a message per part that could not be read
    (a JSONL file's bad lines; for other files, the whole file is an error instead)."""

    documents: list[TextDocument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# A Git LFS pointer file (the LFS spec: "version" first, under 1024 bytes).
_LFS_POINTER_RE = re.compile(rb"version https://git-lfs\.github\.com/spec/v\d+\r?\n")
_LFS_POINTER_MAX = 1024


def _load(path: Path, name: str, max_bytes: int, jsonl: bool) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes and not jsonl:
            raise InputError(f"{name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB "
                             "limit for one file; split it or raise --max-size")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None


def read_path(path: Path, name: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one file into documents (several for JSONL), with its bad JSONL lines.

    Args:
        path: the file.
        name: how to name it in keys and messages (default: ``str(path)``).
        max_bytes: larger files are refused (a JSONL file: larger lines).

    Raises:
        UnsupportedFileError: no reader for this file type.
        InputError: missing, unreadable, binary, too large, undecodable, or a reader
            failed on it (bad front matter, HTML the parser rejects, too deep), with a
            message naming the file.
    """
    name = name or str(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise UnsupportedFileError(
            f"{name}: unsupported file type {path.suffix or '(none)'!r}; "
            f"supported: {', '.join(sorted(SUPPORTED_EXTS))}")
    jsonl = reader is read_jsonl
    data = _load(path, name, max_bytes, jsonl)
    if len(data) <= _LFS_POINTER_MAX and _LFS_POINTER_RE.match(data):
        # A checkout without its Git LFS objects holds the pointer, not the draft: scanned
        # as text, it would pass while the site, built with them, publishes the draft.
        raise InputError(f"{name}: a Git LFS pointer, not the file; fetch the LFS objects "
                         "(git lfs pull; in GitHub Actions, checkout with lfs: true) and "
                         "run again")
    try:
        if jsonl:
            return ReadResult(*jsonl_documents(name, decode_bytes(data, name), max_bytes))
        return ReadResult(reader(path, name, data))
    except CheckerError:
        raise
    except RecursionError:
        raise InputError(f"{name}: nested too deeply to read; simplify the file") from None
    except Exception as exc:
        # A parser's own failure on hostile input (lxml's AssertionError, a codec's
        # LookupError) is this file's problem, not the run's.
        raise InputError(f"{name}: cannot be read ({exc.__class__.__name__}: "
                         f"{one_line(str(exc))[:80]}); check that it is valid "
                         f"{path.suffix.lower().lstrip('.')}") from None


def read_file(path: Path, name: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> list[TextDocument]:
    """The documents of one file (:func:`read_path` without the bad JSONL lines; a JSONL
    file none of whose lines is good raises for its first bad line).

    Raises:
        InputError: as :func:`read_path`.
    """
    result = read_path(path, name, max_bytes)
    if result.problems and not result.documents:
        raise InputError(result.problems[0])
    return result.documents


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """Expand files and directories (recursively, sorted, hidden entries
    skipped) into ``(path, name)`` pairs of supported files.

    Every file is yielded whatever its type, so the reader can skip an
    unsupported one with a warning that names it.

    Raises:
        InputError: for a path that does not exist.
    """
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if f.startswith("."):
                        continue
                    fp = Path(root) / f
                    yield fp, str(fp)
        elif p.exists():
            # Named as a directory walk names it ("./a.txt" is "a.txt"), so a file
            # added on its own and through its folder is one document.
            yield p, str(p)
        else:
            raise InputError(f"{given}: no such file or directory")
