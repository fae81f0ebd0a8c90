"""User-controlled text made safe to print on a terminal and in a CI log.

File names, titles, publishers, URLs and messages that quote them come from
drafts and articles anyone can put in a pull request. Printed raw they can
start a GitHub workflow command (a line beginning ``::`` or ``##[``: a file
named ``a\\n::stop-commands::x\\n.md``), rewrite the terminal (ESC, CSI, OSC 52
clipboard writes, ``\\r`` overwriting a line) or make a write fail (a non-UTF-8
file name decodes to lone surrogates). Every renderer and every message on
stderr passes such text through :func:`one_line`, and whole outputs through
:func:`guard_lines`, so no line that carries user text can start a command.
"""

from __future__ import annotations

import re

# Escape sequences (ECMA-48): CSI ... final byte; OSC / DCS / SOS / PM / APC strings up
# to their terminator (BEL or ST) or the end of the text; any other two-byte ESC form.
# Their 8-bit C1 forms too (CSI is U+009B, OSC U+009D, ...).
_ESCAPE_RE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
# What is left that a terminal or a log reader acts on: C0 and C1 controls, DEL, the
# Unicode line and paragraph separators, lone surrogates (undecodable file names), and
# the bidi embeddings, overrides and isolates, which reorder what follows on the line
# ("Trojan Source": a draft's excerpt could show a message backwards or hide its end).
# The marks LRM and RLM are kept: right-to-left text uses them and they reorder nothing.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                         r"\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Lines a GitHub runner reads as workflow commands (it strips leading whitespace first).
_COMMAND_RE = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)


def _visible(m: re.Match[str]) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:
        # os.fsdecode's surrogateescape: show the undecodable byte itself.
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def strip_escapes(text: str) -> str:
    """``text`` without terminal escape sequences (CSI, OSC, DCS, ...)."""
    return _ESCAPE_RE.sub("", text)


def one_line(text: str) -> str:
    """``text`` as one printable line: escape sequences removed, every other control
    (newline, CR, tab, NUL, C1, U+2028, a bidi override) and lone surrogate shown as a
    visible escape
    (``\\n``, ``\\x07``, ``\\xff`` for an undecodable byte of a file name).

    The result holds no character that ends a line, so it cannot start a workflow
    command when printed after a fixed prefix.
    """
    return _CONTROL_RE.sub(_visible, strip_escapes(text))


def printable(text: str) -> str:
    """Like :func:`one_line`, but line breaks and tabs are kept as they are (for a
    format that escapes them itself: GitHub's ``%0A``)."""
    return _CONTROL_RE.sub(lambda m: m.group() if m.group() in _NAMED else _visible(m),
                           strip_escapes(text))


def guard_lines(text: str) -> str:
    """Defence in depth for a whole output that is not meant to hold workflow commands:
    a line that would start one (``::`` or ``##[``, after blanks) gets a visible ``> ``
    in front, which the runner does not strip."""
    return _COMMAND_RE.sub(r"\1> \2", text)


def safe_output(text: str) -> str:
    """A rendered report ready to write as UTF-8: lone surrogates (from undecodable file
    names in JSON) become backslash escapes instead of failing the write."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
