"""The failure block read in one glance, and a change listed once across versions in every report."""

from __future__ import annotations

from pytest_schemafed.model import CheckResult, ErrorKind, Finding, Level, Verdict
from pytest_schemafed.report.github import annotation_lines, step_summary
from pytest_schemafed.report.sarif import render_sarif
from pytest_schemafed.report.terminal import headline, render_failure

BASE = "merge-base(HEAD, origin/HEAD)@1a2b3c4d5e"
EMAIL = Finding("READER_FIELD_MISSING_DEFAULT_VALUE", "field `email` of record `User` was added without a default",
                "/fields/1", 6, 5, hint='add a "default" to the field')
RENAME = Finding("TYPE_MISMATCH", "field `id` changed type", "/fields/0/type", 4, 14)


def _result(verdict: Verdict, registry: str = "git", backend: str = f"git {BASE}") -> CheckResult:
    return CheckResult(f"schemas/user.avsc::{registry}", "schemas/user.avsc", "avro", registry, "user", backend,
                       verdict)


def _per_version(finding: Finding, *versions: str) -> list[Finding]:
    return [Finding(**{**finding.to_dict(), "version": v, "severity": finding.severity}) for v in versions]


def test_failure__one_line_per_finding_then_hint_then_one_level_line() -> None:
    """file:line:col: RULE: sentence, the hint indented under it, then subject, level and versions on one line."""
    verdict = Verdict.judged(_per_version(EMAIL, BASE) + _per_version(RENAME, BASE), Level.BACKWARD, (BASE,))
    assert render_failure(_result(verdict)).splitlines() == [
        "schemas/user.avsc:4:14: TYPE_MISMATCH: field `id` changed type",
        "schemas/user.avsc:6:5: READER_FIELD_MISSING_DEFAULT_VALUE: field `email` of record `User` was added "
        "without a default",
        '    hint: add a "default" to the field',
        f"  subject 'user', level BACKWARD, compared with git version {BASE}",
    ]


def test_failure__names_the_git_base_once() -> None:
    """The base label (``merge-base(HEAD, origin/HEAD)@...``) appears once in the block, not 3-4 times."""
    verdict = Verdict.judged(_per_version(EMAIL, BASE) + _per_version(RENAME, BASE), Level.BACKWARD, (BASE,))
    assert render_failure(_result(verdict)).count(BASE) == 1


def test_failure__a_change_breaking_several_versions_is_listed_once() -> None:
    """At BACKWARD_TRANSITIVE a change found against versions 1, 2, 3 is one line; one found only
    against version 3 says so."""
    findings = _per_version(EMAIL, "1", "2", "3") + _per_version(RENAME, "3")
    verdict = Verdict.judged(findings, Level.BACKWARD_TRANSITIVE, ("1", "2", "3"))
    text = render_failure(_result(verdict, "prod", "confluent prod"))
    assert text.count("READER_FIELD_MISSING_DEFAULT_VALUE") == 1
    assert text.count("TYPE_MISMATCH") == 1
    assert "    against version 3 only" in text.splitlines()
    assert text.splitlines()[-1] == "  subject 'user', level BACKWARD_TRANSITIVE, compared with prod versions 1, 2, 3"


def test_failure__two_way_levels_say_the_direction() -> None:
    """At FULL a finding says whether the new schema reads old data (backward) or the other way round."""
    forward = Finding(**{**EMAIL.to_dict(), "version": "2", "direction": "forward", "severity": EMAIL.severity})
    verdict = Verdict.judged([forward], Level.FULL, ("2",))
    assert "    forward" in render_failure(_result(verdict, "prod", "confluent prod")).splitlines()


def test_error__is_one_line_at_the_file() -> None:
    """An item that cannot be checked is ``file:line:col: error: reason`` (the parse error's own place kept)."""
    verdict = Verdict.failed("schemas/user.avsc:3:7: not JSON: Expecting ',' delimiter", ErrorKind.SCHEMA, line=3)
    assert render_failure(_result(verdict)) == "schemas/user.avsc:3:7: error: not JSON: Expecting ',' delimiter"
    down = Verdict.failed("503 Service Unavailable from http://127.0.0.1:1/subjects", ErrorKind.REGISTRY)
    assert render_failure(_result(down, "prod")) == (
        "schemas/user.avsc: error: prod: 503 Service Unavailable from http://127.0.0.1:1/subjects")


def test_headline__short_enough_for_the_short_summary() -> None:
    """The short-summary form: the first rule and how many more; an error's first clause."""
    findings = _per_version(EMAIL, "1", "2", "3") + _per_version(RENAME, "3")
    verdict = Verdict.judged(findings, Level.BACKWARD_TRANSITIVE, ("1", "2", "3"))
    assert headline(_result(verdict)) == "line 4: TYPE_MISMATCH +1 more"
    error = Verdict.failed("schemas/user.avsc:3:7: not JSON: Expecting ',' delimiter (an .avsc file must be JSON)",
                           ErrorKind.SCHEMA, line=3)
    assert headline(_result(error)) == "line 3: error: not JSON: Expecting ',' delimiter"


def test_github_and_sarif__a_change_breaking_several_versions_is_one_annotation_row_and_result() -> None:
    """The job summary row, the annotation and the SARIF result each list the change once, with its versions."""
    verdict = Verdict.judged(_per_version(EMAIL, "1", "2", "3"), Level.BACKWARD_TRANSITIVE, ("1", "2", "3"))
    result = _result(verdict, "prod", "confluent prod")
    errors = [line for line in annotation_lines([result]) if line.startswith("::error")]
    assert len(errors) == 1 and "against versions 1, 2, 3" in errors[0]
    rows = [line for line in step_summary([result]).splitlines() if "READER_FIELD_MISSING_DEFAULT_VALUE" in line]
    assert len(rows) == 1 and "| 1, 2, 3 backward |" in rows[0]
    sarif = render_sarif([result], {})["runs"][0]["results"]
    assert len(sarif) == 1 and sarif[0]["properties"]["versions"] == ["1", "2", "3"]
