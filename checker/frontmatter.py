"""YAML front matter of a Markdown file: read safely, and which of it is prose.

Front matter is metadata (title, publisher, licence, date), read into
:class:`checker.documents.Metadata` and never matched. But static site generators publish
some of it as text (a ``summary``, a ``description``, a CMS's ``body`` field): a long
string value is prose, and a copy placed there must be found like one in the body.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import CheckerError, InputError
from .safetext import one_line

#: Front matter is a few fields; anything bigger or deeper is not metadata.
MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_FRONT_MATTER_DEPTH = 32
#: A string value of this many words or more is prose (a headline has fewer).
PROSE_WORDS = 16

FRONT_MATTER_RE = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)


def load_front_matter(src: str, name: str) -> Any:
    """Parse front matter YAML safely: at most :data:`MAX_FRONT_MATTER_CHARS` characters
    and :data:`MAX_FRONT_MATTER_DEPTH` levels, and no aliases (a few hundred bytes of
    nested aliases expand to gigabytes: "billion laughs").

    Raises:
        InputError: too big, too deep, an alias, or YAML that does not load (syntax, a
            date like 2024-13-45, ``!!int abc``, ...), naming the file.
    """
    if len(src) > MAX_FRONT_MATTER_CHARS:
        raise InputError(f"{name}: YAML front matter is {len(src)} characters, over the "
                         f"{MAX_FRONT_MATTER_CHARS} limit; keep only metadata in it")
    depth = 0
    try:
        # Events first (nothing is built yet), so a bomb is refused before it expands.
        for event in yaml.parse(src, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise InputError(f"{name}: YAML front matter uses an alias "
                                 f"(*{one_line(str(event.anchor))[:40]}); aliases are not "
                                 "allowed here: write the value out")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_FRONT_MATTER_DEPTH:
                    raise InputError(f"{name}: YAML front matter is nested more than "
                                     f"{MAX_FRONT_MATTER_DEPTH} levels deep; keep only "
                                     "metadata in it")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.safe_load(src)
    except CheckerError:
        raise
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: invalid YAML front matter ({exc.__class__.__name__}); "
                         "fix it or remove the front matter") from None
    except Exception as exc:  # the constructors raise what they like on bad values
        raise InputError(f"{name}: invalid value in YAML front matter "
                         f"({exc.__class__.__name__}: {one_line(str(exc))[:80]}); fix it or "
                         "remove the front matter") from None


def prose_spans(src: str) -> list[tuple[int, int]]:
    """``(start, end)`` character spans in ``src`` (front matter already accepted by
    :func:`load_front_matter`) of the string values of :data:`PROSE_WORDS` words or more:
    the source text of each, quotes or block indicator included."""
    spans: list[tuple[int, int]] = []
    try:
        for event in yaml.parse(src, Loader=yaml.SafeLoader):
            start, end = event.start_mark, event.end_mark
            if (isinstance(event, yaml.ScalarEvent) and start is not None and end is not None
                    and len(event.value.split()) >= PROSE_WORDS):
                spans.append((start.index, end.index))
    except yaml.YAMLError:
        return []
    return spans


def outside(span: tuple[int, int], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``span`` outside the sorted, disjoint ``holes``."""
    out: list[tuple[int, int]] = []
    at, end = span
    for a, b in holes:
        if a > at:
            out.append((at, min(a, end)))
        at = max(at, b)
    if at < end:
        out.append((at, end))
    return out
