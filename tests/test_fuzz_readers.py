"""Fuzzing every reader (txt, md with front matter, html, jsonl) with hypothesis: random
and mutated inputs through the library entry point (:func:`checker.readers.read_path`)
and through the real CLI (``checker scan`` and ``checker index add``, in process).

What must hold for any input: a reader returns documents or raises an ``InputError`` (exit
2), never anything else (exit 3, a traceback); memory stays bounded (tracemalloc peak per
input); the CLI exits 0, 1 or 2 and no output line can start a GitHub workflow command.

CI runs the ``checker-ci`` profile (2,400 examples in all). A long run:

    CHECKER_FUZZ_PROFILE=checker-long python -m pytest tests/test_fuzz_readers.py -q

(``checker-long``: 20,000 examples per test, no time limit; add ``-x`` to stop at the first
failure; hypothesis prints the failing input and stores it in ``.hypothesis/``, so the next
run replays it first.)
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from conftest import article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker import Index
from checker.cli import app
from checker.errors import CheckerError
from checker.readers import read_path

settings.register_profile(
    "checker-ci", max_examples=100, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile(
    "checker-long", max_examples=20_000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("CHECKER_FUZZ_PROFILE", "checker-ci")
LONG = PROFILE != "checker-ci"


def examples(n: int) -> settings:
    """The profile, with ``n`` examples in CI (the long profile keeps its own count)."""
    base = settings.get_profile(PROFILE)
    return base if LONG else settings(base, max_examples=n)


# A reader may use memory proportional to its input, not to what the input says.
MAX_PEAK_BYTES = 64 * 1024 * 1024

# Seeds that exercise each reader's paths; mutations are spliced into them.
SEEDS = {
    ".txt": "A Headline Line\n\nFirst paragraph of the article, words enough.\r\n",
    ".md": ("---\ntitle: A story\npublisher: Harbor Times\ndate: 2024-02-03\n"
            "license: CC-BY-4.0\ntags: [a, b]\n---\n\n# Heading\n\nSome *text* with a "
            "[link](https://example.com) and <!-- a comment -->.\n> quoted\n"),
    ".html": ("<html><head><title>T</title><meta name=\"copyright\" content=\"(c) X\">"
              "</head><body><nav>menu</nav><article><h1>Head</h1><p>Body text of the "
              "article, long enough to be its main text.</p><blockquote>q</blockquote>"
              "</article><footer>All rights reserved</footer></body></html>"),
    ".jsonl": ('{"id": "a", "title": "T", "text": "First article text."}\n'
               '{"id": 0, "text": "zero"}\n{"text": "no id", "license": "cc0"}\n'),
}
# Fragments an attacker or a broken editor puts in files.
HOSTILE = [
    "&a [x, x]", "*a", "!!int abc", "!!bool maybe", "!!timestamp 1", "!!python/object:x",
    "2024-13-45", "[[[[[[[[", "{{{{", "]]]}", "---\n", "...\n", ": :", "? ", "- - -", "%YAML 1.1\n",
    "<svg><template></template><e>", "<div>" * 40, "</div>" * 5, "<script>x</script>",
    "<![CDATA[", "<!--", "&#0;", "&amp", "\x00", "\r", "\x1b]52;c;eA==\x07", "\u2028",
    "\ufeff", "\ud800", "\\ud800", '"', '{"text": ', '"id": 1', "\n", "::error::x", "é",
    "\u00ad", "-\n", "\t", "<p>", "</p>", "<", ">",
]


def _mutate(data: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    out = bytearray(data)
    for kind, pos, arg in ops:
        at = pos % (len(out) + 1)
        if kind == 0:  # insert a hostile fragment
            frag = HOSTILE[arg % len(HOSTILE)].encode("utf-8", "surrogatepass")
            out[at:at] = frag
        elif kind == 1:  # delete a range
            del out[at: at + arg % 64]
        elif kind == 2:  # duplicate a range (grows nesting and repetition)
            out[at:at] = out[at: at + arg % 256] * (1 + arg % 4)
        else:  # flip a byte
            if out:
                out[min(at, len(out) - 1)] = arg % 256
    return bytes(out[:200_000])


OPS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.integers(0, 10_000)),
               max_size=12)


@st.composite
def inputs(draw: st.DrawFn, ext: str) -> bytes:
    """Random bytes, random text, or a mutated seed document of type ``ext``."""
    kind = draw(st.sampled_from(["bytes", "text", "mutated", "mutated"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2048))
    if kind == "text":
        return draw(st.text(max_size=1024)).encode("utf-8", "surrogatepass")
    return _mutate(SEEDS[ext].encode("utf-8"), draw(OPS))


def _check_read(ext: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{ext}"
        path.write_bytes(data)
        tracemalloc.start()
        try:
            result = read_path(path)
        except CheckerError as exc:
            assert exc.exit_code == 2
            assert str(exc).startswith(str(path)), str(exc)
            assert "\n" not in str(exc)
            return
        finally:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert peak < MAX_PEAK_BYTES, (peak, len(data))
        for doc in result.documents:
            doc.text.encode("utf-8")  # no lone surrogate reaches the index
        for problem in result.problems:
            assert problem.startswith(f"{path}:"), problem


@pytest.mark.parametrize(("ext", "n"), [(".txt", 500), (".md", 800), (".html", 200),
                                        (".jsonl", 800)])
def test_readers_never_crash(ext: str, n: int) -> None:
    @examples(n)
    @given(data=inputs(ext))
    def run(data: bytes) -> None:
        _check_read(ext, data)

    run()


_COMMAND_LINE = re.compile(r"^\s*(::|##\[)", re.MULTILINE)


@pytest.fixture(scope="module")
def fuzz_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "a.txt").write_text(article(31337, paragraphs=3), encoding="utf-8")
    with Index.open(root / "index", create=True) as index:
        index.add([root / "a.txt"])
    return root / "index"


def test_cli_never_crashes(fuzz_index: Path) -> None:
    runner = CliRunner()
    body = article(31337, paragraphs=3)
    seeds = {**SEEDS, ".txt": body, ".jsonl": json.dumps({"id": 1, "text": body}) + "\n"}

    @examples(100)
    @given(ext=st.sampled_from(sorted(SEEDS)), ops=OPS,
           fmt=st.sampled_from(["text", "json", "sarif", "github"]),
           name=st.text(alphabet=st.sampled_from(list("ab:#\n\r\x1b é[]")), max_size=12))
    def run(ext: str, ops: list[tuple[int, int, int]], fmt: str, name: str) -> None:
        data = _mutate(seeds[ext].encode("utf-8"), ops)
        with tempfile.TemporaryDirectory() as tmp:
            drafts = Path(tmp) / "drafts"
            drafts.mkdir()
            (drafts / f"d{name.replace('/', '')}{ext}").write_bytes(data)
            result = runner.invoke(app, ["scan", str(drafts), "--index", str(fuzz_index),
                                         "--format", fmt])
            out = result.stdout + result.stderr
            assert result.exit_code in (0, 1, 2), out
            assert "Traceback" not in out and "internal error" not in out, out
            assert "\x1b" not in out
            if fmt != "github":
                assert not _COMMAND_LINE.search(result.stdout.replace("\r", "\n")), out
            assert not _COMMAND_LINE.search(result.stderr.replace("\r", "\n")), out
            added = runner.invoke(app, ["index", "add", str(drafts), "--index",
                                        str(Path(tmp) / "index")])
            assert added.exit_code in (0, 2), added.stdout + added.stderr
            assert "internal error" not in added.stderr, added.stderr

    run()
