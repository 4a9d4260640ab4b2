"""The JSON report's documented shape and the SARIF 2.1.0 log (validated against the official schema)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from pytest_schemafed.formats.base import Rule
from pytest_schemafed.model import CheckResult, Finding, Level, RemoteVerdict, Severity, Verdict
from pytest_schemafed.report.json import render_json
from pytest_schemafed.report.sarif import render_sarif

from .conftest import FINDING, SARIF_SCHEMA

RULES = {FINDING["rule"]: Rule(id=str(FINDING["rule"]), purpose="Checks that a field added to a reader has a "
                               "default.", hint="Add a default.")}


def validate_sarif(document: dict[str, object]) -> None:
    """Raise when ``document`` is not valid SARIF 2.1.0."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)


def test_json__documented_top_level_shape(results: list[CheckResult]) -> None:
    """format, schema_version 2, tool, summary counts and one entry per item."""
    doc = render_json(results)
    assert doc["format"] == "pytest-schemafed-report" and doc["schema_version"] == 2
    assert doc["summary"] == {"total": 4, "compatible": 1, "incompatible": 1, "new": 1, "error": 1, "skipped": 0,
                              "warnings": 0, "waived": 0}
    assert doc["unused_waivers"] == []
    assert [i["id"] for i in doc["items"]] == [r.nodeid for r in results]


def test_json__item_carries_file_subject_registry_level_versions_findings(results: list[CheckResult]) -> None:
    """The incompatible item has every documented key, findings with rule/path/line."""
    item = render_json(results)["items"][0]
    assert item == {
        "id": "schemas/user.avsc::prod", "file": "schemas/user.avsc", "format": "avro", "subject": "user-value",
        "registry": "prod", "backend": "confluent prod", "level": "BACKWARD", "versions": ["3"],
        "outcome": "incompatible", "error": None, "error_kind": None, "error_line": None,
        "findings": [{**FINDING, "end_line": 7, "end_column": 40, "severity": "error", "waived": None}],
        "notes": [],
        "remote": None, "decided_by": "local",
    }
    json.dumps(render_json(results))  # plain builtins only


def test_json__each_version_is_one_value(results: list[CheckResult]) -> None:
    """The git base label holds a comma; the report keeps it as one version (schema_version 2)."""
    assert render_json(results)["items"][1]["versions"] == ["merge-base(HEAD, origin/HEAD)@abc"]


def test_sarif__validates_against_official_schema(results: list[CheckResult], tmp_path: Path) -> None:
    """The log of a run with a finding and an error validates against SARIF 2.1.0."""
    validate_sarif(render_sarif(results, RULES, tmp_path))


def test_sarif__invalid_log_is_rejected_by_the_check() -> None:
    """The schema check itself catches a broken log (a result without a message)."""
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "R"}]}]}
    try:
        validate_sarif(broken)
    except jsonschema.ValidationError:
        return
    raise AssertionError("a result without message validated")


def test_sarif__result_located_at_file_line_column(results: list[CheckResult]) -> None:
    """The finding is one error result at schemas/user.avsc:7:5 relative to %SRCROOT%."""
    run = render_sarif(results, RULES)["runs"][0]
    result = next(r for r in run["results"] if r["ruleId"] == FINDING["rule"])
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "schemas/user.avsc", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 7, "startColumn": 5, "endLine": 7, "endColumn": 40}
    assert result["level"] == "error" and result["properties"]["registry"] == "prod"


def test_sarif__one_rule_per_id_with_help_text(results: list[CheckResult]) -> None:
    """Rules are listed once each, with purpose and hint as help; ruleIndex points at them."""
    run = render_sarif(results, RULES)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [FINDING["rule"], "SCHEMAFED_CHECK_ERROR"]
    assert rules[0]["help"]["text"] == "Checks that a field added to a reader has a default. Add a default."
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif__unknown_rule_still_described() -> None:
    """A rule id missing from the tables (a registry's own) still gets a descriptor."""
    result = CheckResult("a.avsc::x", "a.avsc", "avro", "x", "a", "",
                         Verdict.judged((Finding("REMOTE_SAYS_NO", "no"),), Level.BACKWARD))
    doc = render_sarif([result], {})
    validate_sarif(doc)
    assert doc["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]["text"]
    assert "region" not in doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]


def test_sarif__registry_only_rejection_is_a_result_at_line_1(tmp_path: Path) -> None:
    """Hole 5: the registry rejects what the local engine accepts: SARIF still has a result, with its words."""
    remote = RemoteVerdict(False, ("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field "
                                   "b has no default', additionalInfo:'b'}",), ("1",), Level.BACKWARD)
    local = Verdict.judged((), Level.BACKWARD, ("1",))
    verdict = Verdict.by_registry(remote, local, Level.BACKWARD, ("1",), registry_id="prod")
    doc = render_sarif([CheckResult("a.avsc::prod", "a.avsc", "avro", "prod", "a", "", verdict)], {}, tmp_path)
    validate_sarif(doc)
    (result,) = doc["runs"][0]["results"]
    assert result["ruleId"] == "READER_FIELD_MISSING_DEFAULT_VALUE" and result["level"] == "error"
    assert "The field b has no default" in result["message"]["text"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_sarif__advisory_is_a_warning_result(tmp_path: Path) -> None:
    """An advisory on a compatible item is a SARIF result of level warning."""
    advisory = Finding("ENUM_VALUE_REMOVED_WITHOUT_RESERVED", "enum value 2 removed", line=3,
                       severity=Severity.WARNING)
    verdict = Verdict.judged((advisory,), Level.BACKWARD, ("HEAD",))
    doc = render_sarif([CheckResult("a.proto::git", "a.proto", "protobuf", "git", "a", "", verdict)], {}, tmp_path)
    validate_sarif(doc)
    assert [r["level"] for r in doc["runs"][0]["results"]] == ["warning"]
