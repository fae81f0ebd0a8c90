"""One section of ``docs/benchmarks.md``, owned by one benchmark script.

Each script writes its results between ``<!-- NAME:start -->`` and
``<!-- NAME:end -->`` and leaves the other sections as they are.
"""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(name: str, text: str, docs: Path = DOCS) -> None:
    """Replace the section ``name`` of ``docs`` with ``text`` (appended when the
    section is new; the file is created when missing)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    docs.parent.mkdir(parents=True, exist_ok=True)
    old = docs.read_text(encoding="utf-8") if docs.exists() else "# Benchmarks\n"
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in old and end in old:
        before, rest = old.split(start, 1)
        new = before + block + rest.split(end, 1)[1]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    docs.write_text(new, encoding="utf-8")
