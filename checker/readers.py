"""Read articles and drafts from disk: text, Markdown, HTML and JSONL.

Each reader returns :class:`TextDocument` objects whose ``text`` is what
offsets refer to and whose ``mask`` hides what is not prose. Readers raise
:class:`InputError` with a message naming the file; :func:`iter_documents`
turns those into warnings so one bad file never stops a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .decode import decode_bytes
from .documents import Metadata, TextDocument
from .errors import InputError
from .text import mask_spans

TEXT_EXTS = {".txt", ".text"}
MARKDOWN_EXTS = {".md", ".markdown", ".mdx"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
JSONL_EXTS = {".jsonl", ".ndjson"}
SUPPORTED_EXTS = TEXT_EXTS | MARKDOWN_EXTS | HTML_EXTS | JSONL_EXTS

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_FRONT_MATTER_RE = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)
# Markdown markup that is not prose: HTML comments and tags, link and image
# targets, reference definitions, autolinks and bare URLs.
_MD_MASK_RE = re.compile(
    r"<!--.*?-->"
    r"|</?[A-Za-z][^>\n]*>"
    r"|(?<=\])\([^)\n]*\)"
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


_HEADLINE_RE = re.compile(r"\A\s*([^\n]{3,200}?)[ \t]*\r?\n")


def headline(text: str) -> str:
    """The first line of a plain-text article when it reads like a headline:
    short, and not ending like a sentence."""
    m = _HEADLINE_RE.match(text)
    if not m or m.group(1).rstrip().endswith((".", ",", ";", ":")):
        return ""
    return m.group(1).strip()


def read_text(path: Path, name: str, data: bytes) -> list[TextDocument]:
    text = decode_bytes(data, name)
    return [TextDocument(key=name, path=name, text=text, meta=Metadata(title=headline(text)),
                         content_hash=_hash(data))]


def read_markdown(path: Path, name: str, data: bytes) -> list[TextDocument]:
    text = decode_bytes(data, name)
    spans: list[tuple[int, int]] = []
    meta = Metadata()
    fm = _FRONT_MATTER_RE.match(text)
    if fm:
        spans.append(fm.span())
        try:
            loaded = yaml.safe_load(fm.group(1))
        except yaml.YAMLError as exc:
            raise InputError(f"{name}: invalid YAML front matter ({exc.__class__.__name__}); "
                             "fix it or remove the front matter") from None
        if isinstance(loaded, dict):
            meta = _meta_from_mapping(loaded)
    spans.extend(m.span() for m in _MD_MASK_RE.finditer(text))
    return [TextDocument(key=name, path=name, text=text, mask=tuple(mask_spans(spans)),
                         meta=meta, content_hash=_hash(data))]


def read_html(path: Path, name: str, data: bytes) -> list[TextDocument]:
    from .html import extract_html  # trafilatura is slow to import: only when needed

    html = decode_bytes(data, name)
    extracted = extract_html(html)
    if not extracted.text.strip():
        raise InputError(f"{name}: no article text found in the HTML page")
    return [TextDocument(key=name, path=name, text=extracted.text, meta=extracted.meta,
                         extra_notice_text=extracted.notice_text, content_hash=_hash(data),
                         source=html)]


def read_jsonl(path: Path, name: str, data: bytes) -> list[TextDocument]:
    text = decode_bytes(data, name)
    docs: list[TextDocument] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}:{lineno}: invalid JSON ({exc.msg}); "
                             "each line must be one JSON object") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{name}:{lineno}: each line needs a "text" string field')
        rid = str(record.get("id") or lineno)
        if rid in seen:
            raise InputError(f"{name}:{lineno}: duplicate id {rid!r}; ids must be unique in a file")
        seen.add(rid)
        docs.append(TextDocument(
            key=f"{name}#{rid}", path=f"{name}#{rid}", text=record["text"],
            meta=_meta_from_mapping(record), content_hash=_hash(line.encode("utf-8")),
        ))
    return docs


_READERS: dict[str, Callable[[Path, str, bytes], list[TextDocument]]] = {
    **{ext: read_text for ext in TEXT_EXTS},
    **{ext: read_markdown for ext in MARKDOWN_EXTS},
    **{ext: read_html for ext in HTML_EXTS},
    **{ext: read_jsonl for ext in JSONL_EXTS},
}


def read_file(path: Path, name: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> list[TextDocument]:
    """Read one file into documents (several for JSONL).

    Args:
        path: the file.
        name: how to name it in keys and messages (default: ``str(path)``).
        max_bytes: larger files are refused (JSONL files are not limited).

    Raises:
        InputError: missing, unreadable, unsupported, binary, too large or
            undecodable, with a message naming the file.
    """
    name = name or str(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(f"{name}: unsupported file type {path.suffix or '(none)'!r}; "
                         f"supported: {', '.join(sorted(SUPPORTED_EXTS))}")
    try:
        size = path.stat().st_size
        if size > max_bytes and reader is not read_jsonl:
            raise InputError(f"{name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB "
                             "limit for one document; split it or raise --max-size")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    return reader(path, name, data)


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
