"""checker.safetext: user text that cannot start a workflow command or drive a terminal."""

from __future__ import annotations

import re

import pytest

from checker.safetext import guard_lines, one_line, printable, safe_output, strip_escapes

_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


@pytest.mark.parametrize(("given", "shown"), [
    ("bin\n::stop-commands::abc\n.txt", "bin\\n::stop-commands::abc\\n.txt"),
    ("Evil\r::error::x", "Evil\\r::error::x"),
    ("a\x1b]52;c;ZXZpbA==\x07b", "ab"),                 # OSC 52 clipboard write
    ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # OSC 8 hyperlink
    ("\x1b[31mred\x1b[0m", "red"), ("\x9b2Jx", "x"), ("a\x1bcb", "ab"),
    ("tab\there", "tab\\there"), ("nul\x00", "nul\\x00"), ("del\x7f", "del\\x7f"),
    ("ls\u2028x", "ls\\u2028x"), ("caf\udce9.txt", "caf\\xe9.txt"), ("plain é ✓", "plain é ✓"),
    # Bidi overrides and isolates reorder the rest of the line; LRM/RLM are kept.
    ("ok \u202etxt.exe", "ok \\u202etxt.exe"), ("a\u2066b\u2069c", "a\\u2066b\\u2069c"),
    ("\u05e9\u05dc\u05d5\u05dd\u200f 5", "\u05e9\u05dc\u05d5\u05dd\u200f 5"),
])
def test_one_line(given: str, shown: str) -> None:
    assert one_line(given) == shown
    assert not _BREAKS.search(one_line(given))


def test_printable_keeps_line_breaks_only() -> None:
    assert printable("a\nb\r\n\x1b[2Jc\x00") == "a\nb\r\nc\\x00"
    assert strip_escapes("x\x1b[1;31my") == "xy"


def test_guard_lines() -> None:
    text = "ok\n  ::error::x\n##[group]y\nnot :: this\n"
    assert guard_lines(text) == "ok\n  > ::error::x\n> ##[group]y\nnot :: this\n"


def test_safe_output_escapes_lone_surrogates() -> None:
    assert safe_output('{"path": "caf\udce9"}') == '{"path": "caf\\udce9"}'
    safe_output("caf\udce9").encode("utf-8")
