"""Every hand-written draft gets the verdict, reason and sources of its expected.json.

``fixtures/expected.json`` covers the bundled drafts (``partner-wire.txt`` passes only with
"Meridian Wire" on the allowlist, as its notes say); ``fixtures/rights/expected.json`` covers
the rights fixtures: each quote style, attributed or not, under and over each quotation limit,
public speech, and the CC BY-NC-SA, BY-NC-ND, BY-SA, public-domain-mark, "Reprinted with
permission" and no-notice licence rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, source_name

from checker import Index, Policy
from checker.render import render
from checker.report import FileReport

RIGHTS = FIXTURES / "rights"
MAIN_EXPECTED: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
RIGHTS_EXPECTED: dict[str, Any] = json.loads((RIGHTS / "expected.json").read_text("utf-8"))
PARTNERS = Policy(allowlist=("Meridian Wire",))


@pytest.fixture(scope="module")
def rights_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("rights-index") / "index"
    with Index.open(path, create=True) as index:
        summary = index.add([RIGHTS / "articles"])
    assert summary.added == 7 and not summary.warnings
    yield path


def outcome(fr: FileReport) -> tuple[str, str, list[str]]:
    reason = fr.findings[0].reason if fr.findings else "none"
    return fr.verdict.value, reason, sorted(source_name(f.source.path) for f in fr.findings)


def expected(entry: dict[str, Any]) -> tuple[str, str, list[str]]:
    return entry["verdict"], entry["reason"], sorted(entry["sources"])


@pytest.mark.parametrize("draft", sorted(MAIN_EXPECTED))
def test_bundled_drafts(fixture_index: Path, draft: str) -> None:
    with Index.open(fixture_index) as index:
        (fr,) = index.scan([FIXTURES / "drafts" / draft], PARTNERS).files
    assert outcome(fr) == expected(MAIN_EXPECTED[draft])
    for f in fr.findings:
        assert f.message and f.reason == fr.findings[0].reason


def test_partner_wire_fails_without_the_allowlist(fixture_index: Path) -> None:
    with Index.open(fixture_index) as index:
        (fr,) = index.scan([FIXTURES / "drafts" / "partner-wire.txt"], Policy()).files
    assert outcome(fr)[:2] == ("fail", "reproduction")


def test_pasted_notice_is_evidence(fixture_index: Path) -> None:
    with Index.open(fixture_index) as index:
        (fr,) = index.scan([FIXTURES / "drafts" / "pasted-notice.md"], Policy()).files
    (finding,) = fr.findings
    assert any("© 2025 The Harbor Times. All rights reserved." in e for e in finding.evidence)


@pytest.mark.parametrize("draft", sorted(RIGHTS_EXPECTED))
def test_rights_drafts(rights_index: Path, draft: str) -> None:
    with Index.open(rights_index) as index:
        (fr,) = index.scan([RIGHTS / "drafts" / draft], Policy()).files
    assert outcome(fr) == expected(RIGHTS_EXPECTED[draft])


def test_commercial_use_fails_non_commercial_sources(rights_index: Path) -> None:
    entry = RIGHTS_EXPECTED["ccbyncsa-credited.md"]["commercial"]
    with Index.open(rights_index) as index:
        (fr,) = index.scan([RIGHTS / "drafts" / "ccbyncsa-credited.md"],
                           Policy(commercial=True)).files
    assert outcome(fr)[:2] == (entry["verdict"], entry["reason"])


def test_quotation_limits_are_configurable(rights_index: Path) -> None:
    with Index.open(rights_index) as index:
        wider = Policy(quote_max_words=30, quote_max_total_words=80)
        (over,) = index.scan([RIGHTS / "drafts" / "quote-attributed-over.md"], wider).files
        (total,) = index.scan([RIGHTS / "drafts" / "quote-total-over.md"], wider).files
        strict = Policy(quote_max_words=20, quote_max_total_words=20)
        (short,) = index.scan([RIGHTS / "drafts" / "quote-curly-attributed.md"], strict).files
    assert outcome(over)[:2] == ("pass", "quotation")
    assert outcome(total)[:2] == ("pass", "quotation")
    assert outcome(short)[:2] == ("warn", "below-threshold")


def test_json_and_text_output_carry_reason_message_and_licence(rights_index: Path) -> None:
    with Index.open(rights_index) as index:
        report = index.scan([RIGHTS / "drafts" / "self-credit.md"], Policy())
    data = json.loads(render(report, "json"))
    (finding,) = data["files"][0]["findings"]
    assert finding["reason"] == "attribution-missing"
    assert finding["license"] == "CC-BY-SA-2.5"
    assert "credit Lanternfish Daily" in finding["message"]
    text = render(report, "text")
    assert "attribution-missing" in text and "CC-BY-SA-2.5" in text


def test_exempt_passages_are_marked(rights_index: Path) -> None:
    with Index.open(rights_index) as index:
        (fr,) = index.scan([RIGHTS / "drafts" / "public-statement.md"], Policy()).files
    assert {p.exempt for f in fr.findings for p in f.passages} == {"public-speech"}


def test_rights_flags_on_the_command_line(fixture_index: Path) -> None:
    from typer.testing import CliRunner

    from checker.cli import app

    runner = CliRunner()
    drafts = FIXTURES / "drafts"

    def scan(*args: str) -> tuple[int, dict[str, Any]]:
        result = runner.invoke(app, ["scan", *args, "--index", str(fixture_index),
                                     "--format", "json"])
        return result.exit_code, json.loads(result.stdout)

    code, data = scan(str(drafts / "partner-wire.txt"), "--allow-publisher", "meridian wire")
    assert code == 0 and data["files"][0]["findings"][0]["reason"] == "licensed-partner"
    code, data = scan(str(drafts / "ccbync-reuse.md"), "--commercial")
    assert code == 1 and data["files"][0]["findings"][0]["reason"] == "non-commercial"
    code, data = scan(str(drafts / "quoted-long.md"), "--quote-max-words", "80",
                      "--quote-max-total-words", "100")
    assert code == 0 and data["files"][0]["findings"][0]["reason"] == "quotation"
