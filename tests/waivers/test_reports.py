"""Waived findings in every report: serialisation, SARIF, GitHub annotations and summary, PR comment, terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema

from pytest_schemafed.model import CheckResult, Finding, Level, Outcome, Verdict
from pytest_schemafed.report.github import annotation_lines, step_summary
from pytest_schemafed.report.json import render_json
from pytest_schemafed.report.sarif import render_sarif
from pytest_schemafed.report.terminal import render_failure
from pytest_schemafed.waivers import EXPIRED_RULE, apply_waivers

from ..action.conftest import REPO_ROOT
from ..checks import make_check
from ..report.conftest import SARIF_SCHEMA, round_trip
from .conftest import BREAK, EARLIER, OTHER, TODAY, waivers

sys.path.insert(0, str(REPO_ROOT / "action"))
import comment  # action/comment.py, imported as run.py imports it

AVRO = '{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]}'
CHECK = make_check(AVRO, subject="orders-value", relpath="schemas/orders.avsc", backend_id="prod")
WAIVE_BREAK = waivers({"rule": BREAK.rule, "subject": "orders-*", "owner": "data-platform"})
WHY = "consumers migrated in PLAT-123 (waivers[0], owner data-platform, expires 2027-03-31)"


def result_of(verdict: Verdict) -> CheckResult:
    return CheckResult("schemas/orders.avsc::prod", "schemas/orders.avsc", "avro", "prod", "orders-value",
                       "confluent prod", verdict)


def waived_only() -> CheckResult:
    return result_of(apply_waivers(Verdict.judged((BREAK,), Level.BACKWARD, ("3",)), CHECK, WAIVE_BREAK, TODAY))


def waived_and_breaking() -> CheckResult:
    verdict = Verdict.judged((BREAK, OTHER), Level.BACKWARD, ("3",))
    return result_of(apply_waivers(verdict, CHECK, WAIVE_BREAK, TODAY))


def test_serialisation__waived_survives_the_junit_property() -> None:
    """Finding.waived goes through to_dict / from_dict (the one serialisation) unchanged."""
    result = waived_only()
    assert round_trip(result) == result
    assert result.verdict.findings[0].to_dict()["waived"] == WHY
    assert Finding.from_dict({**BREAK.to_dict(), "waived": WHY}).breaking is False


def test_json__waived_counted_and_marked() -> None:
    """The JSON report counts waived findings apart from warnings and keeps the waiver's text."""
    doc = render_json([waived_only()], unused_waivers=["waivers[1] (...) matched no finding in this run"])
    assert doc["summary"]["waived"] == 1 and doc["summary"]["warnings"] == 0 and doc["summary"]["compatible"] == 1
    assert doc["items"][0]["findings"][0]["waived"] == WHY
    assert doc["unused_waivers"] == ["waivers[1] (...) matched no finding in this run"]


def test_sarif__waived_result_has_an_external_suppression_and_validates() -> None:
    """A waived break is an `error` result with SARIF's suppression; an expired one is a plain error."""
    expired = apply_waivers(Verdict.judged((BREAK,), Level.BACKWARD, ("3",)), CHECK,
                            waivers({"rule": "*", "subject": "*", "expires": EARLIER}), TODAY)
    doc = render_sarif([waived_only(), result_of(expired)], {}, Path("/repo"))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(doc)
    waived, broken, expiry = doc["runs"][0]["results"]
    assert waived["level"] == "error"
    assert waived["suppressions"] == [{"kind": "external", "status": "accepted", "justification": WHY}]
    assert "suppressions" not in broken and "suppressions" not in expiry
    assert expiry["ruleId"] == EXPIRED_RULE
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules[EXPIRED_RULE]["shortDescription"]["text"] == "Checks that no waiver a break relies on has expired."


def test_github_annotations__waived_findings_not_annotated() -> None:
    """Only the unwaived break is annotated; the waived one gets no ::error, ::warning or ::notice."""
    lines = annotation_lines([waived_and_breaking(), waived_only()])
    assert len(lines) == 1 and lines[0].startswith("::error ") and OTHER.rule in lines[0]


def test_step_summary__waived_marked_and_unused_waivers_listed() -> None:
    """The job summary counts and marks waived findings and lists the waivers that matched nothing."""
    text = step_summary([waived_only()], unused_waivers=["waivers[1] (rule * on path 'old/**') matched nothing"])
    assert text.startswith("## schemafed: 1 compatible, 1 waived\n")
    assert "> warning: waiver waivers[1] (rule * on path 'old/**') matched nothing" in text
    assert "✅ compatible (waived)" in text
    assert f"| `{BREAK.rule}` |" in text and f"waived ({WHY}): {BREAK.message}" in text


def test_terminal_failure__waived_finding_marked_under_it() -> None:
    """A failing item's report shows its waived finding with a `waived:` line instead of a hint."""
    result = waived_and_breaking()
    assert result.verdict.outcome is Outcome.INCOMPATIBLE
    text = render_failure(result)
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if f": {BREAK.rule} (waived): " in line)
    assert lines[at + 1] == f"    waived: {WHY}"


def test_pr_comment__waivers_used_section_and_unused_in_warnings(tmp_path: Path) -> None:
    """The comment lists waived findings under "Waivers used", not under Findings; unused waivers warn."""
    report = tmp_path / "r.json"
    unused = ["waivers[1] (rule * on path 'old/**', expires 2027-03-31) matched no finding in this run"]
    report.write_text(json.dumps(render_json([waived_only()], unused_waivers=unused)))
    body = comment.render(comment.read_report(report), comment.Links("https://github.com", "o/r", "a" * 40),
                          unused_waivers=comment.read_unused_waivers(report))
    assert "## ✅ schemafed: all compatible (1 check, 1 waived)" in body
    assert "### Waivers used\n\n- 🔕 [schemas/orders.avsc line 7](https://github.com/o/r/blob/" in body
    assert f"— waived: {WHY}" in body and "### Findings" not in body
    assert "### Warnings\n\n- ⚠️ waiver waivers[1] (rule * on path 'old/**', expires 2027-03-31) matched" in body


def test_pr_comment__report_without_waivers_still_reads(tmp_path: Path) -> None:
    """A report written before waivers existed (no `waived`, no `unused_waivers`) renders as before."""
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"format": "pytest-schemafed-report", "items": [
        {"file": "a.avsc", "registry": "prod", "outcome": "incompatible",
         "findings": [{"rule": "R", "message": "m", "line": 3, "severity": "error"}]}]}))
    body = comment.render(comment.read_report(report), comment.Links("https://github.com", "o/r", "a" * 40),
                          unused_waivers=comment.read_unused_waivers(report))
    assert "### Findings\n\n- ❌" in body and "Waivers used" not in body
