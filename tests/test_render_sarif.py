"""Tests for checker.render.sarif: SARIF 2.1.0, valid against the OASIS schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker import Index
from checker.render import render
from checker.render.sarif import sarif_dict
from checker.report import FileReport, ScanReport
from tests.conftest import DRAFTS, ROOT

SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def report(fixture_index: Path) -> ScanReport:
    with Index.open(fixture_index) as index:
        r = index.scan([DRAFTS])
    return ScanReport(files=(*r.files, FileReport(path="broken.md", words=0,
                                                  error="broken.md: binary file")),
                      index=r.index, tool_version=r.tool_version,
                      warnings=("a warning",))


def validate(log: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} is absent")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)


def test_valid_against_the_schema(report: ScanReport) -> None:
    log = json.loads(render(report, "sarif"))
    validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_empty_report_is_valid() -> None:
    validate(sarif_dict(ScanReport(files=())))


def test_one_rule_per_reason_and_results(report: ScanReport) -> None:
    run = sarif_dict(report)["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    reasons = {f.reason for fr in report.files for f in fr.findings if f.verdict.value != "pass"}
    assert set(rules) == reasons
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        related = result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert related.startswith("file://")


def test_region_of_a_pasted_paragraph(report: ScanReport) -> None:
    run = sarif_dict(report)["runs"][0]
    [result] = [r for r in run["results"]
                if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .endswith("pasted-paragraph.md")]
    fr = next(f for f in report.files if f.path.endswith("pasted-paragraph.md"))
    p = fr.findings[0].passages[0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (p.line, p.column)
    # SARIF's endColumn is the column after the last character
    assert (region["endLine"], region["endColumn"]) == (p.end_line, p.end_column + 1)
    lines = (DRAFTS / "pasted-paragraph.md").read_text(encoding="utf-8").splitlines()
    excerpt = lines[p.line - 1][p.column - 1: region["endColumn"] - 1]
    assert excerpt == p.text
    assert result["level"] == "error" and result["ruleId"] == "reproduction"
    assert "harbor-times-crab-season.txt" in result["relatedLocations"][0][
        "physicalLocation"]["artifactLocation"]["uri"]


def test_errors_and_warnings_are_notifications(report: ScanReport) -> None:
    inv = sarif_dict(report)["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in inv["toolExecutionNotifications"]]
    assert "broken.md: binary file" in texts and "a warning" in texts


def test_relative_paths_stay_relative() -> None:
    from checker.render.sarif import _uri

    assert _uri("./posts/a b.md") == "posts/a%20b.md"
    assert _uri("briefs.jsonl#ht-1") == "briefs.jsonl#ht-1"
    assert _uri("/abs/x.md") == "file:///abs/x.md"


def test_suppressed_findings_are_sarif_suppressions(report: ScanReport) -> None:
    from dataclasses import replace

    from checker.report import Suppressed

    fr = next(f for f in report.files if f.path.endswith("pasted-paragraph.md"))
    quiet = replace(fr, findings=(), suppressed=(
        Suppressed(finding=fr.findings[0], by="baseline", justification="licensed"),))
    log = sarif_dict(ScanReport(files=(quiet,), tool_version="0"))
    validate(log)
    [result] = log["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "external", "status": "accepted",
                                       "justification": "licensed"}]
