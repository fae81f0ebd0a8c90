"""The text a site publishes from its data files: the string values of JSON and YAML.

Why: a static site renders pages from data files as well as from Markdown (Hugo's
``data/``, a CMS export, a headless CMS's JSON, a Next.js ``content/`` folder). A copy
placed in a string of one is published like a copy in a page, and a folder scan that
skipped these files with a warning, or a CI gate that left them out of the changed
files, let it through.

Each function returns the file's text at the same length, with a mask over what is not
published prose: keys, punctuation, numbers, comments. Offsets, lines and columns are
then those of the file, as for Markdown. Inside a string, escapes read as the character
they stand for, padded with WORD JOINERs (``"caf\\u00e9"`` reads "café", one word), and
the value is read as Markdown is (HTML tags, link targets and URLs masked, character
references rendered), since CMS bodies hold HTML or Markdown.

Nothing here gives up on a file: JSON is read lexically (comments and trailing commas,
as ``tsconfig.json`` has them, are fine; so is a broken file), and the part of a YAML
file after a syntax error is read as plain text, so a stray line cannot hide the copy
that follows it. Both run in linear time on any input.
"""

from __future__ import annotations

import re

import yaml

from .frontmatter import outside
from .markdown import JOINER
from .text import mask_spans

__all__ = ["json_strings", "yaml_strings"]

Spans = list[tuple[int, int]]

#: Collections nested deeper than this in a YAML file end its parsing (read as text).
MAX_DEPTH = 64
# libyaml's parser when PyYAML has it (about 20 times faster; the same character
# offsets), else PyYAML's own.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A string (to its closing quote, group 1, or where its characters stop when it has none:
# every attempt matches, never backtracks, so a line of unclosed quotes stays linear), or
# a comment.
_JSON_TOKEN_RE = re.compile(
    r'"(?:[^"\\\n]|\\.)*("?)'
    r"|//[^\n]*"
    r"|/\*(?:[^*]|\*(?!/))*(?:\*/|\Z)",
    re.DOTALL,
)
_KEY_AFTER_RE = re.compile(r"[ \t\r\n]*:")
# Escapes of JSON and of YAML's double-quoted strings: a UTF-16 surrogate pair, 4 or 8
# hex digits, 2 hex digits (YAML), or one character.
_ESCAPE_RE = re.compile(
    r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\x([0-9a-fA-F]{2})|\\(.)",
    re.DOTALL,
)
_SINGLE = {"n": "\n", "t": "\t", "r": "\r", "b": " ", "f": "\n", "0": " ", "a": " ",
           "e": " ", "v": "\n", "N": " ", "_": " ", "L": "\n", "P": "\n", "\n": "\n"}


def _escape(m: re.Match[str]) -> str:
    high, low, four, eight, two, one = m.groups()
    if high is not None:
        code = 0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00
        char = chr(code)
    elif one is not None:
        char = _SINGLE.get(one, one)
    else:
        code = int(four or eight or two, 16)
        # A lone surrogate, or past Unicode: no character to read.
        char = chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
    return char + JOINER * (len(m.group()) - 1)


def decoded(src: str) -> str:
    """``src`` (the inside of a quoted string) with each escape read as its character
    and padded to the escape's length with WORD JOINERs, which words ignore."""
    return _ESCAPE_RE.sub(_escape, src) if "\\" in src else src


def json_strings(text: str) -> tuple[str, Spans]:
    """The text of a JSON (or JSON with comments) file, same length, escapes read, and the
    mask: all but the insides of string values (keys are strings followed by ``:``)."""
    out: list[str] = []
    values: Spans = []
    at = 0
    for m in _JSON_TOKEN_RE.finditer(text):
        token = m.group()
        if token[0] != '"' or _KEY_AFTER_RE.match(text, m.end()):
            continue
        start = m.start() + 1
        end = m.end() - len(m.group(1))
        out += [text[at:start], decoded(text[start:end])]
        values.append((start, end))
        at = end
    out.append(text[at:])
    return "".join(out), mask_spans(outside((0, len(text)), values))


def yaml_strings(text: str) -> tuple[str, Spans]:
    """The text of a YAML file, same length, double-quoted escapes read, and the mask:
    all but the string values (not keys) and, after a syntax error, the rest of the file.

    Read from the parser's events, never composed: an alias is not expanded (a few
    hundred bytes of nested aliases stand for gigabytes)."""
    values: Spans = []
    # Per open collection: a mapping's next scalar is a key (True) or a value.
    stack: list[bool | None] = []
    # Where what the parser read ends (the rest is read as text).
    cut = len(text)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    # Past any data a site renders; and PyYAML's parser slows down
                    # quadratically with depth: the rest is read as text.
                    cut = _index(event.start_mark, 0)
                    break
                _advance(stack)
                stack.append(True if isinstance(event, yaml.MappingStartEvent) else None)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                stack.pop()
            elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
                key = _advance(stack)
                if isinstance(event, yaml.ScalarEvent) and not key and event.value.strip():
                    values.append(_inside(text, event))
    except yaml.YAMLError as exc:
        # Where the parser stopped; nowhere known, the whole file is read as text.
        cut = _index(getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None), 0)
    if cut < len(text):
        cut = text.rfind("\n", 0, cut) + 1  # from the start of that line
        values = [(a, min(b, cut)) for a, b in values if a < cut] + [(cut, len(text))]
    out: list[str] = []
    at = 0
    for a, b in values:
        quote = text[a - 1:a]
        inside = text[a:b]
        if quote == '"':
            inside = decoded(inside)
        elif quote == "'":  # a quote is written twice
            inside = inside.replace("''", "'" + JOINER)
        out += [text[at:a], inside]
        at = b
    out.append(text[at:])
    return "".join(out), mask_spans(outside((0, len(text)), values))


def _advance(stack: list[bool | None]) -> bool:
    """Whether the next node of the innermost collection is a mapping's key."""
    if not stack or stack[-1] is None:
        return False
    key = stack[-1]
    stack[-1] = not key
    return bool(key)


def _index(mark: object, default: int) -> int:
    """A parser mark's character offset (PyYAML's or libyaml's mark), or ``default``."""
    index = getattr(mark, "index", None)
    return index if isinstance(index, int) else default


def _inside(text: str, event: yaml.ScalarEvent) -> tuple[int, int]:
    """A scalar's source span without its quotes or block indicator line."""
    a, b = _index(event.start_mark, 0), _index(event.end_mark, len(text))
    if event.style in ("'", '"'):
        return a + 1, max(a + 1, b - 1)
    if event.style in ("|", ">"):
        line = text.find("\n", a, b)
        return (line + 1 if line >= 0 else b), b
    return a, b
