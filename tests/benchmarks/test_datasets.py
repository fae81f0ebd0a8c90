"""Tests for benchmarks.datasets: loaders (on the shared corpora) and draft generators.

Tests on the real corpora are marked ``shared`` and skip when ``../shared`` (or
``$CHECKER_SHARED``) is absent; the others run on small texts written for these tests.
"""

from __future__ import annotations

import html
import itertools
import random
import re
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from benchmarks import datasets as ds
from benchmarks.datasets import Article, Draft

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# A made-up story (not taken from any corpus), shaped like a Reuters body.
STORY = "\n\n".join(
    [
        "Northwind Instruments Corp said on Tuesday it agreed to buy the U.S. sensor maker"
        " Larkspur Devices Inc for about 412 mln dlrs in cash, expanding its presence in"
        " industrial measurement equipment.",
        "The purchase price represents a premium of 18 pct over Larkspur's closing share price"
        " on Monday. Northwind said it expected the acquisition to add to earnings per share"
        " within eighteen months of completion. The boards of both companies have approved"
        " the transaction, which still requires the consent of regulators.",
        '"This combination gives our customers a broader range of instruments and a stronger'
        ' service network," chief executive Marta Kowalczyk said in a statement. She added'
        " that no plant closures were planned for the coming year.",
        "Larkspur, based in Ohio, reported revenue of 96.4 mln dlrs last year and employs"
        " about 740 people. Its products include pressure transducers, temperature probes and"
        " calibration software used by chemical and food processing companies.",
        "Analysts said the price looked reasonable given Larkspur's recent growth. One analyst"
        " at a regional brokerage noted that the company had doubled its order backlog since"
        " the previous autumn. Another said competition for sensor businesses had intensified.",
        "Northwind said it would finance the deal from existing cash and a new credit facility"
        " arranged by two commercial banks. The company expects to complete the transaction"
        " in the third quarter, subject to customary closing conditions.",
        "Shares of Northwind rose 1-1/4 to 38-3/8 in morning trading, while Larkspur's stock"
        " jumped 6-1/2 to 41. About 2.3 mln Larkspur shares changed hands before noon.",
        "The companies said a joint integration team would report to Kowalczyk. Larkspur's"
        " founder is expected to remain with the combined company as a technical adviser.",
    ]
)

HOST = "\n\n".join(
    [
        "City officials on Wednesday unveiled a plan to rebuild the riverside promenade,"
        " replacing cracked paving and adding new lighting along a two-mile stretch.",
        "The project, estimated to cost 14 mln dlrs, would be paid for with a mix of state"
        " grants and municipal bonds. Work could begin next spring if the council approves"
        " the budget in its autumn session.",
        "Residents who attended a public meeting welcomed the proposal but asked for more"
        " benches and shaded areas. Several shop owners worried about lost business during"
        " construction.",
        "The parks department said the work would be phased so that at least half of the"
        " promenade stays open at all times. A final design is due by the end of the year.",
    ]
)

ARTICLE = Article("test-1", "NORTHWIND TO BUY LARKSPUR DEVICES", STORY, "03-MAR-1987", ("acq",))
HOST_ARTICLE = Article("test-host", "CITY PLANS PROMENADE", HOST, "04-MAR-1987", ())

SHARED = pytest.mark.shared
needs_reuters = pytest.mark.skipif(
    not ds.reuters_available(), reason="Reuters-21578 not found in the shared directory"
)
needs_clough = pytest.mark.skipif(
    not ds.clough_available(), reason="Clough-Stevenson corpus not found in the shared directory"
)


def norm_words(text: str) -> list[str]:
    """Lower-cased words without surrounding punctuation."""
    words = (re.sub(r"^\W+|\W+$", "", w).lower() for w in text.split())
    return [w for w in words if w]


def changed_fraction(source: str, draft: str) -> float:
    """Share of source words not matched in order, each draft paragraph aligned to its best."""
    src = [norm_words(p) for p in ds.paragraphs(source)]
    total = sum(len(p) for p in src)
    matched = 0
    for para in ds.paragraphs(draft):
        words = norm_words(para)
        matched += max(
            sum(
                b.size
                for b in SequenceMatcher(None, s, words, autojunk=False).get_matching_blocks()
            )
            for s in src
        )
    return 1 - matched / total


def multiset_changed(source: str, draft: str) -> float:
    src = Counter(norm_words(source))
    return 1 - sum((src & Counter(norm_words(draft))).values()) / sum(src.values())


# --------------------------------------------------------------------------------------
# Locations and parsing (no shared data needed)
# --------------------------------------------------------------------------------------


def test_shared_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHECKER_SHARED", str(tmp_path))
    assert ds.shared_dir() == tmp_path
    assert ds.reuters_dir() == tmp_path / "corpora" / "reuters21578"
    assert not ds.reuters_available()
    assert not ds.clough_available()
    with pytest.raises(FileNotFoundError):
        ds.load_reuters()
    with pytest.raises(FileNotFoundError):
        ds.load_clough()


def test_shared_dir_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHECKER_SHARED", raising=False)
    assert ds.shared_dir() == ds.PROJECT_ROOT.parent / "shared"


FAKE_SGM = (
    '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n'
    '<REUTERS TOPICS="YES" NEWID="7">\n<DATE> 2-MAR-1987 10:00:00.00</DATE>\n'
    "<TOPICS><D>earn</D><D>acq</D></TOPICS>\n<UNKNOWN>&#5;&#5;X</UNKNOWN>\n"
    "<TEXT>&#2;\n<TITLE>ACME &lt;ACM> SEES &amp; SAYS</TITLE>\n"
    "<DATELINE>    TOWN, March 2 - </DATELINE><BODY>Acme &lt;ACM> said the first line\n"
    "wraps here.\n    A second paragraph &amp; more,\nstill the second.^M\n"
    "    Third &#127;one.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n"
    '<REUTERS TOPICS="NO" NEWID="8">\n<DATE>2-MAR-1987</DATE>\n<TOPICS></TOPICS>\n'
    '<TEXT TYPE="BRIEF">&#2;\n<TITLE>NO BODY HERE</TITLE>\n&#3;</TEXT>\n</REUTERS>\n'
    '<REUTERS TOPICS="NO" NEWID="9">\n<DATE>3-MAR-1987</DATE>\n<TOPICS></TOPICS>\n'
    "<TEXT>&#2;\n<TITLE>TABLE</TITLE><BODY>Shr 1.00 vs 90 cts\n    Net 5 mln vs 4 mln. REUTER\n"
    " Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n"
)


def test_load_reuters_parses_sgml(tmp_path: Path) -> None:
    (tmp_path / "reut2-000.sgm").write_bytes(FAKE_SGM.encode("latin-1"))
    articles = ds.load_reuters(tmp_path)
    assert [a.id for a in articles] == ["reuters-7", "reuters-9"]
    first = articles[0]
    assert first.title == "ACME <ACM> SEES & SAYS"
    assert first.date == "2-MAR-1987 10:00:00.00"
    assert first.topics == ("earn", "acq")
    assert first.text == (
        "Acme <ACM> said the first line wraps here.\n\n"
        "A second paragraph & more, still the second.\n\nThird one."
    )
    assert articles[1].text == "Shr 1.00 vs 90 cts\n\nNet 5 mln vs 4 mln."
    assert ds.load_reuters(tmp_path, limit=1) == [first]


def test_load_clough_decodes_mixed_files(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "orig_taska.txt").write_bytes("\ufeffSource \u2013 one.\r\nLine two.".encode())
    (texts / "g0pA_taska.txt").write_bytes("It\u2019s copied.\r\nNext line.\r\n".encode("cp1252"))
    (texts / "g0pB_taska.txt").write_bytes(b"Plain\rold mac line.\n")
    (texts / "g0pC_taska.txt").write_bytes("It\x92s mojibake.".encode())
    (tmp_path / "labels.csv").write_bytes(
        b"file,task,category,source\r\ng0pA_taska.txt,a,cut,orig_taska.txt\r\n"
        b"g0pB_taska.txt,a,non,orig_taska.txt\r\ng0pC_taska.txt,a,heavy,orig_taska.txt\r\n"
    )
    sources, answers = ds.load_clough(tmp_path)
    assert sources == {"a": "Source \u2013 one.\nLine two."}
    assert answers == [
        ("g0pA_taska.txt", "a", "cut", "It\u2019s copied.\nNext line.\n"),
        ("g0pB_taska.txt", "a", "non", "Plain\nold mac line.\n"),
        ("g0pC_taska.txt", "a", "heavy", "It\u2019s mojibake."),
    ]


# --------------------------------------------------------------------------------------
# Text utilities
# --------------------------------------------------------------------------------------


def test_sentences_handle_abbreviations_and_numbers() -> None:
    text = (
        "The U.S. Treasury sold 9.75 mln dlrs of bills. Prices rose 0.5 pct. Mr. J. Doe of"
        " Acme Corp. said profit was 1.2 bln dlrs. Exports went to the U.S. The trend held!"
        ' "Is it over?" he asked. Output was 5.93 mln bags.'
    )
    assert ds.sentences(text) == [
        "The U.S. Treasury sold 9.75 mln dlrs of bills.",
        "Prices rose 0.5 pct.",
        "Mr. J. Doe of Acme Corp. said profit was 1.2 bln dlrs.",
        "Exports went to the U.S.",
        "The trend held!",
        '"Is it over?" he asked.',
        "Output was 5.93 mln bags.",
    ]


def test_sentences_stay_inside_paragraphs() -> None:
    text = "First paragraph without a stop\n\nSecond one. Two sentences."
    assert ds.sentences(text) == ["First paragraph without a stop", "Second one.", "Two sentences."]
    for start, end in ds.sentence_spans(STORY):
        assert "\n" not in STORY[start:end]
        assert STORY[start:end] == STORY[start:end].strip()


def test_paragraphs() -> None:
    assert ds.paragraphs("  a b\n\n\n c \n \n\nd\n") == ["a b", "c", "d"]
    assert len(ds.paragraphs(STORY)) == 8
    for (start, end), para in zip(ds.paragraph_spans(STORY), ds.paragraphs(STORY), strict=True):
        assert STORY[start:end] == para


def test_duplicate_groups() -> None:
    long_a = "word " * 100 + "ending one"
    long_b = "WORD\n" * 100 + "a different ending"
    articles = [
        Article("x1", "", "Same text here.", "", ()),
        Article("x2", "", "Unique body.", "", ()),
        Article("x3", "", "same   TEXT\nhere.", "", ()),
        Article("x4", "", long_a, "", ()),
        Article("x5", "", long_b, "", ()),
    ]
    assert ds.duplicate_groups(articles) == {
        "x1": "x1",
        "x2": "x2",
        "x3": "x1",
        "x4": "x4",
        "x5": "x4",
    }


def test_with_notice() -> None:
    text = ds.with_notice(ARTICLE, "Reuters Ltd", 1987)
    assert text.startswith(STORY)
    assert text.endswith(
        "\n\n© 1987 Reuters Ltd. All rights reserved. Do not reproduce without permission."
    )
    assert ds.notice("Example Press Inc.", 2001).startswith("© 2001 Example Press Inc. All")


# --------------------------------------------------------------------------------------
# Generators (on the made-up story)
# --------------------------------------------------------------------------------------

GENERATORS: dict[str, Callable[[Article, Article, random.Random], Draft]] = {
    "verbatim": lambda a, h, r: ds.verbatim(a, r),
    "pasted_paragraph": lambda a, h, r: ds.pasted_paragraph(a, h, r),
    "light_edit": lambda a, h, r: ds.light_edit(a, r),
    "heavy_edit": lambda a, h, r: ds.heavy_edit(a, r),
    "stitched": lambda a, h, r: ds.stitched(a, r),
    "short_paste": lambda a, h, r: ds.short_paste(a, h, r),
    "two_sources": lambda a, h, r: ds.two_sources(a, HOST_ARTICLE if h is a else h, h, r),
    "reflowed": lambda a, h, r: ds.reflowed(a, r),
    "as_html": lambda a, h, r: ds.as_html(a, r),
    "as_markdown": lambda a, h, r: ds.as_markdown(a, r),
    "long_quote": lambda a, h, r: ds.long_quote(a, h, r),
    "short_quote": lambda a, h, r: ds.short_quote(a, h, r),
    "short_phrase": lambda a, h, r: ds.short_phrase(a, h, r),
    "credited": lambda a, h, r: ds.credited(a, r, "Source: Reuters"),
    "uncredited": lambda a, h, r: ds.uncredited(a, r),
}


def test_every_kind_has_a_generator() -> None:
    assert set(GENERATORS) == set(ds.KINDS)


@pytest.mark.parametrize("kind", ds.KINDS)
def test_generators_are_deterministic(kind: str) -> None:
    make = GENERATORS[kind]
    drafts = [make(ARTICLE, HOST_ARTICLE, random.Random(seed)) for seed in range(6)]
    assert drafts[3] == make(ARTICLE, HOST_ARTICLE, random.Random(3))
    assert all(d.kind == kind for d in drafts)
    assert len({d.text for d in drafts}) >= 2, "the seed should matter"
    for draft in drafts:
        assert draft.reuses
        assert draft.sources[0] == ARTICLE.id
        for reuse in draft.reuses:
            assert 0 <= reuse.start < reuse.end <= len(draft.text)
            assert 0 <= reuse.source_start < reuse.source_end <= len(ARTICLE.text) or (
                reuse.source == HOST_ARTICLE.id
            )


def test_verbatim() -> None:
    draft = ds.verbatim(ARTICLE, random.Random(1))
    headline, _, body = draft.text.partition("\n\n")
    assert body == STORY
    assert headline and headline != ARTICLE.title
    assert draft.reused_text() == [STORY]
    assert draft.reused_words == ds.word_count(STORY)


@pytest.mark.parametrize("seed", range(10))
def test_pasted_paragraph(seed: int) -> None:
    draft = ds.pasted_paragraph(ARTICLE, HOST_ARTICLE, random.Random(seed))
    (reuse,) = draft.reuses
    block = draft.text[reuse.start : reuse.end]
    assert 40 <= ds.word_count(block) <= 120
    assert block == " ".join(STORY[reuse.source_start : reuse.source_end].split())
    paras = ds.paragraphs(draft.text)
    index = paras.index(block)
    assert 0 < index < len(paras) - 1, "pasted in the middle, at a paragraph boundary"
    assert paras[:index] + paras[index + 1 :] == ds.paragraphs(HOST)


@pytest.mark.parametrize("seed", range(10))
def test_light_edit_changes_about_15_percent(seed: int) -> None:
    draft = ds.light_edit(ARTICLE, random.Random(seed))
    words = ds.word_count(STORY)
    assert draft.edited_words == round(0.15 * words)
    assert 0.10 <= changed_fraction(STORY, draft.text) <= 0.20
    assert draft.reused_words == words - draft.edited_words
    assert all(w in ds.COMMON_WORDS for w in set(norm_words(draft.text)) - set(norm_words(STORY)))


def test_light_edit_moves_one_paragraph() -> None:
    draft = ds.light_edit(ARTICLE, random.Random(4), rate=0.0)
    source, edited = ds.paragraphs(STORY), ds.paragraphs(draft.text)
    assert sorted(source) == sorted(edited)
    assert source != edited
    assert any(  # one paragraph moved, the others keep their order
        [q for q in source if q != p] == [q for q in edited if q != p] for p in source
    )


@pytest.mark.parametrize("seed", range(10))
def test_heavy_edit(seed: int) -> None:
    draft = ds.heavy_edit(ARTICLE, random.Random(seed))
    words = ds.word_count(STORY)
    assert draft.edited_words == round(0.30 * words)
    assert 0.12 <= multiset_changed(STORY, draft.text) <= 0.35
    shuffled = ds.heavy_edit(ARTICLE, random.Random(seed), rate=0.0)
    for source, result in zip(ds.paragraphs(STORY), ds.paragraphs(shuffled.text), strict=True):
        parts = ds.sentences(source)
        assert sorted(ds.sentences(result)) == sorted(parts)
        if len(parts) >= 2:
            assert ds.sentences(result) != parts


@pytest.mark.parametrize("seed", range(10))
def test_stitched(seed: int) -> None:
    draft = ds.stitched(ARTICLE, random.Random(seed))
    assert 3 <= len(draft.reuses) <= 6
    spans = ds.sentence_spans(STORY)
    indices = [spans.index((r.source_start, r.source_end)) for r in draft.reuses]
    assert all(b - a >= 2 for a, b in itertools.pairwise(indices))
    assert draft.text == " ".join(draft.reused_text())
    assert "\n" not in draft.text


@pytest.mark.parametrize("seed", range(10))
def test_short_paste(seed: int) -> None:
    draft = ds.short_paste(ARTICLE, HOST_ARTICLE, random.Random(seed))
    (reuse,) = draft.reuses
    piece = draft.text[reuse.start : reuse.end]
    assert 30 <= ds.word_count(piece) <= 39
    assert piece == " ".join(STORY[reuse.source_start : reuse.source_end].split())
    after = re.sub(r"^\.? ", "", draft.text[reuse.end :])
    assert draft.text[: reuse.start] + after == HOST
    assert not draft.quoted


def test_short_paste_falls_back_to_a_word_window() -> None:
    one_long_sentence = " ".join(f"w{i}" for i in range(80)) + "."
    article = Article("long", "", one_long_sentence, "", ())
    draft = ds.short_paste(article, HOST_ARTICLE, random.Random(0))
    (reuse,) = draft.reuses
    assert 30 <= reuse.words <= 39
    assert draft.text[reuse.start : reuse.end].startswith("w0 ")  # sentence-aligned


def test_two_sources() -> None:
    other = Article("test-2", "", HOST.replace("promenade", "boardwalk"), "", ())
    draft = ds.two_sources(ARTICLE, other, HOST_ARTICLE, random.Random(2))
    assert draft.sources == (ARTICLE.id, other.id)
    paras = ds.paragraphs(draft.text)
    for reuse in draft.reuses:
        block = draft.text[reuse.start : reuse.end]
        assert 40 <= reuse.words <= 120
        assert block in paras
    assert [p for p in paras if p not in draft.reused_text()] == ds.paragraphs(HOST)


@pytest.mark.parametrize("seed", range(10))
def test_reflowed(seed: int) -> None:
    draft = ds.reflowed(ARTICLE, random.Random(seed))
    lines = draft.text.split("\n")
    assert max(len(line) for line in lines) <= 75
    assert sum(len(line) > 55 for line in lines) > len(lines) // 2
    assert '"' not in draft.text and "\u201c" in draft.text and "\u201d" in draft.text
    assert "\u2019" in draft.text  # apostrophes curled
    assert "\u00a0" in draft.text
    restored = re.sub(r"-\n", "", draft.text)
    restored = restored.replace("\u00a0", " ").translate(
        str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
    )
    assert [" ".join(p.split()) for p in ds.paragraphs(restored)] == ds.paragraphs(STORY)


def test_reflowed_splits_words_with_hyphens() -> None:
    hyphenated = 0
    for seed in range(10):
        text = ds.reflowed(ARTICLE, random.Random(seed)).text
        hyphenated += len(re.findall(r"[a-z]-\n[a-z]", text))
    assert hyphenated >= 5


def test_as_html() -> None:
    draft = ds.as_html(ARTICLE, random.Random(3))
    page = draft.text
    for tag in ("<nav>", "<script>", "<header>", "<footer>", "<main>", "<article>"):
        assert tag in page
    footer = page[page.index("<footer>") :]
    assert "All rights reserved" in footer and "Reuters" not in footer
    paras = ds.paragraphs(STORY)
    assert [html.unescape(t) for t in draft.reused_text()] == paras
    assert all(page[r.start - 3 : r.start] == "<p>" for r in draft.reuses)


def test_as_markdown() -> None:
    draft = ds.as_markdown(ARTICLE, random.Random(3))
    text = draft.text
    assert text.startswith("---\ntitle: ")
    front, _, body = text[4:].partition("\n---\n")
    assert "date: 1987-03-03" in front and "tags: " in front
    assert body.lstrip().startswith("# ")
    assert "\n## " in body
    assert draft.reused_text() == ds.paragraphs(STORY)


@pytest.mark.parametrize("seed", range(10))
def test_long_quote(seed: int) -> None:
    draft = ds.long_quote(ARTICLE, HOST_ARTICLE, random.Random(seed))
    (reuse,) = draft.reuses
    assert draft.quoted
    assert 60 <= reuse.words <= 120
    assert draft.text[reuse.start - 1] == "\u201c"
    after = draft.text[reuse.end :]
    assert re.match(r",?\u201d [^\n]*Reuters[^\n]*reported\.", after)


@pytest.mark.parametrize("seed", range(10))
def test_short_quote(seed: int) -> None:
    draft = ds.short_quote(ARTICLE, HOST_ARTICLE, random.Random(seed))
    (reuse,) = draft.reuses
    assert draft.quoted
    assert 5 <= reuse.words <= 25
    assert draft.text[reuse.start - 1] == "\u201c"
    assert draft.text[reuse.end : reuse.end + 2] in {",\u201d", "\u201d "}
    assert "Reuters" in draft.text


@pytest.mark.parametrize("seed", range(10))
def test_short_phrase(seed: int) -> None:
    draft = ds.short_phrase(ARTICLE, HOST_ARTICLE, random.Random(seed))
    (reuse,) = draft.reuses
    phrase = draft.text[reuse.start : reuse.end]
    assert 10 <= ds.word_count(phrase) <= 15
    assert phrase == STORY[reuse.source_start : reuse.source_end]
    assert not draft.quoted
    assert draft.text[reuse.start - 1] == " " and draft.text[reuse.end] == "."


def test_credited_and_uncredited() -> None:
    draft = ds.credited(ARTICLE, random.Random(5), "Source: Reuters")
    paras = ds.paragraphs(draft.text)
    assert len(paras) == 3 and paras[2] == "Source: Reuters"
    assert draft.credit == "Source: Reuters" and draft.kind == "credited"
    source = ds.paragraphs(STORY)
    assert source.index(paras[1]) == source.index(paras[0]) + 1
    bare = ds.uncredited(ARTICLE, random.Random(5))
    assert bare.kind == "uncredited" and bare.credit is None
    assert bare.text == "\n\n".join(paras[:2])


def test_generators_reject_unsuitable_articles() -> None:
    tiny = Article("tiny", "", "Too short to use.", "", ())
    with pytest.raises(ValueError):
        ds.pasted_paragraph(tiny, HOST_ARTICLE, random.Random(0))
    with pytest.raises(ValueError):
        ds.stitched(tiny, random.Random(0))
    with pytest.raises(ValueError):
        ds.credited(tiny, random.Random(0), None)
    with pytest.raises(ValueError):
        ds.short_paste(tiny, HOST_ARTICLE, random.Random(0))


# --------------------------------------------------------------------------------------
# Synthetic corpus
# --------------------------------------------------------------------------------------

POOL = [
    f"Company number {i} said its quarterly profit rose {i % 17} pct on higher sales."
    for i in range(300)
] + [f"Officials in region {i} expect output of {i * 3} tonnes this season." for i in range(300)]


def synthetic_body(article: Article) -> str:
    return "\n\n".join(ds.paragraphs(article.text)[:-1])


def test_synthetic_corpus() -> None:
    articles = list(ds.synthetic_corpus(40, seed=11, sentences=POOL))
    assert len(articles) == 40
    assert len({a.id for a in articles}) == 40
    assert articles == list(ds.synthetic_corpus(40, seed=11, sentences=POOL))
    assert articles[:5] == list(ds.synthetic_corpus(5, seed=11, sentences=POOL))
    assert articles != list(ds.synthetic_corpus(40, seed=12, sentences=POOL))
    lengths = [ds.word_count(synthetic_body(a)) for a in articles]
    assert all(300 <= n <= 1200 for n in lengths)
    assert max(lengths) - min(lengths) > 300, "lengths are sampled"
    for article in articles:
        assert article.title and article.title == article.title.upper()
        assert article.text.endswith(ds.notice())
        assert all(s in POOL for s in ds.sentences(synthetic_body(article)))


def test_synthetic_corpus_with_long_sentences_terminates() -> None:
    pool = [" ".join(f"w{i}x{j}" for j in range(90 + i % 10)) + "." for i in range(50)]
    for article in ds.synthetic_corpus(50, seed=1, sentences=pool):
        assert 300 <= ds.word_count(synthetic_body(article)) <= 1200


# --------------------------------------------------------------------------------------
# Real corpora (skipped when ../shared is absent)
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reuters() -> list[Article]:
    if not ds.reuters_available():
        pytest.skip("Reuters-21578 not found in the shared directory")
    return ds.load_reuters()


@SHARED
@needs_reuters
def test_reuters_counts_and_cleanliness(reuters: list[Article]) -> None:
    assert len(reuters) == ds.REUTERS_BODIES == 19_043
    assert len({a.id for a in reuters}) == len(reuters)
    assert all(re.fullmatch(r"reuters-\d+", a.id) for a in reuters)
    for article in reuters:
        assert article.text and article.title is not None
        assert not CONTROL.search(article.text) and not CONTROL.search(article.title)
        assert "&lt;" not in article.text and "&#" not in article.text
        assert "\t" not in article.text and "^M" not in article.text
        assert not re.search(r"(?i)\n\s*reuters?\W*\Z", article.text)
        assert "\n\n\n" not in article.text and "  " not in article.text
        assert all("\n" not in p for p in ds.paragraphs(article.text))
    assert sum(bool(a.topics) for a in reuters) > 10_000
    assert sum(ds.word_count(a.text) for a in reuters) > 2_400_000


@SHARED
@needs_reuters
def test_reuters_limit() -> None:
    assert len(ds.load_reuters(limit=25)) == 25


@SHARED
@needs_reuters
def test_reuters_duplicate_groups(reuters: list[Article]) -> None:
    groups = ds.duplicate_groups(reuters)
    assert set(groups) == {a.id for a in reuters}
    assert all(groups[canonical] == canonical for canonical in groups.values())
    exact = Counter(ds.normalise_for_duplicates(a.text) for a in reuters)
    exact_duplicates = sum(n - 1 for n in exact.values())
    assert 250 <= exact_duplicates <= 450
    grouped = sum(article_id != canonical for article_id, canonical in groups.items())
    assert exact_duplicates <= grouped <= 2 * exact_duplicates


def suitable(reuters: list[Article], seed: int, count: int) -> list[tuple[Article, Article]]:
    """Pairs (article, host) of different multi-paragraph articles of 150-800 words."""
    pool = [
        a
        for a in reuters
        if 150 <= ds.word_count(a.text) <= 800 and len(ds.paragraphs(a.text)) >= 3
    ]
    rng = random.Random(seed)
    picks = rng.sample(pool, 2 * count)
    return list(zip(picks[:count], picks[count:], strict=True))


@SHARED
@needs_reuters
def test_generators_on_reuters(reuters: list[Article]) -> None:
    pairs = suitable(reuters, seed=5, count=60)
    failures: Counter[str] = Counter()
    for index, (article, host) in enumerate(pairs):
        for kind, make in GENERATORS.items():
            try:
                draft = make(article, host, random.Random(index))
            except ValueError:
                failures[kind] += 1
                continue
            assert draft == make(article, host, random.Random(index)), kind
            assert draft.kind == kind
            for reuse in draft.reuses:
                assert 0 <= reuse.start < reuse.end <= len(draft.text)
            check_properties(kind, article, host, draft)
    assert all(n <= 6 for n in failures.values()), failures


def check_properties(kind: str, article: Article, host: Article, draft: Draft) -> None:
    text = draft.text
    words = [r.words for r in draft.reuses]
    if kind == "light_edit":
        assert 0.10 <= changed_fraction(article.text, text) <= 0.20
    elif kind == "heavy_edit":
        assert 0.25 <= draft.edited_words / ds.word_count(article.text) <= 0.35
        assert 0.10 <= multiset_changed(article.text, text) <= 0.40
    elif kind == "short_paste":
        assert 30 <= words[0] <= 39
    elif kind in {"pasted_paragraph", "two_sources"}:
        assert all(40 <= n <= 120 for n in words)
        assert all(t in ds.paragraphs(text) for t in draft.reused_text())
    elif kind == "long_quote":
        assert 60 <= words[0] <= 120 and draft.quoted
    elif kind == "short_quote":
        assert words[0] <= 25 and draft.quoted
    elif kind == "short_phrase":
        assert 10 <= words[0] <= 15
    elif kind == "stitched":
        assert 3 <= len(words) <= 6
    elif kind == "reflowed":
        assert max(len(line) for line in text.split("\n")) <= 75
        squeeze = re.compile(r"[\s\-\u00a0\"'\u201c\u201d\u2018\u2019]")
        assert squeeze.sub("", text) == squeeze.sub("", article.text)
    elif kind in {"verbatim", "credited", "uncredited", "as_markdown"}:
        for reuse, region in zip(draft.reuses, draft.reused_text(), strict=True):
            assert region == article.text[reuse.source_start : reuse.source_end]
    elif kind == "as_html":
        assert [html.unescape(t) for t in draft.reused_text()] == ds.paragraphs(article.text)


@SHARED
@needs_reuters
def test_synthetic_corpus_from_reuters_sentences(reuters: list[Article]) -> None:
    pool = ds.sentence_pool(reuters[:2000])
    assert len(pool) > 10_000
    articles = list(ds.synthetic_corpus(20, seed=3, sentences=pool))
    assert articles == list(ds.synthetic_corpus(20, seed=3, sentences=pool))
    assert all(300 <= ds.word_count(synthetic_body(a)) <= 1200 for a in articles)


@SHARED
@needs_clough
def test_clough_counts_and_decoding() -> None:
    sources, answers = ds.load_clough()
    assert sorted(sources) == ["a", "b", "c", "d", "e"]
    assert len(answers) == 95
    assert Counter(category for _, _, category, _ in answers) == {
        "non": 38,
        "cut": 19,
        "light": 19,
        "heavy": 19,
    }
    assert {task for _, task, _, _ in answers} == set(sources)
    texts = [*sources.values(), *(text for *_, text in answers)]
    for text in texts:
        assert text.strip()
        assert "\r" not in text and "\ufffd" not in text and "\ufeff" not in text
        assert not CONTROL.search(text)
    joined = "".join(texts)
    assert "\u2019" in joined  # cp1252 apostrophes decoded
    assert "\u00c6" not in joined  # ... and not mistaken for cp775
