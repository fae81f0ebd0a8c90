"""benchmarks.docs_section: each script rewrites only its own section."""

from __future__ import annotations

from pathlib import Path

from benchmarks.docs_section import write_section


def test_a_section_is_appended_then_replaced_and_others_kept(tmp_path: Path) -> None:
    docs = tmp_path / "docs" / "benchmarks.md"
    write_section("a", "first\n", docs)
    write_section("b", "other", docs)
    write_section("a", "second", docs)
    assert docs.read_text(encoding="utf-8") == (
        "# Benchmarks\n\n<!-- a:start -->\nsecond\n<!-- a:end -->\n\n"
        "<!-- b:start -->\nother\n<!-- b:end -->\n")
