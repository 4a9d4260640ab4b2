"""--schemafed-report end to end: a real run writes JSON, SARIF, annotations, summary, JUnit properties."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ..conftest import git, write_files
from .test_json_sarif import validate_sarif

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

V1 = """{
  "type": "record",
  "name": "User",
  "fields": [
    {"name": "id", "type": "long"}
  ]
}
"""
BREAKING = """{
  "type": "record",
  "name": "User",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "email", "type": "string"}
  ]
}
"""
EMAIL_LINE = 6


@pytest.fixture
def repo(pytester: pytest.Pytester) -> Path:
    """user.avsc and order.avsc released; user.avsc then gets a field without default."""
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"schemas/user.avsc": V1, "schemas/order.avsc": V1.replace("User", "Order")})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    (root / "schemas/user.avsc").write_text(BREAKING)
    return root


def test_json_and_sarif_reports__written_and_located(pytester: pytest.Pytester, repo: Path) -> None:
    """Both files are written; the finding sits at schemas/user.avsc line 6 in each."""
    result = pytester.runpytest("--schemafed", "--schemafed-report", "json=out/r.json",
                                "--schemafed-report", "sarif=out/r.sarif")
    result.assert_outcomes(passed=1, failed=1)
    doc = json.loads((repo / "out/r.json").read_text())
    assert doc["summary"]["incompatible"] == 1 and doc["summary"]["compatible"] == 1
    item = next(i for i in doc["items"] if i["outcome"] == "incompatible")
    assert (item["file"], item["registry"], item["subject"], item["level"]) == \
        ("schemas/user.avsc", "git", "user", "BACKWARD")
    assert item["findings"][0]["rule"] == "READER_FIELD_MISSING_DEFAULT_VALUE"
    assert item["findings"][0]["line"] == EMAIL_LINE
    sarif = json.loads((repo / "out/r.sarif").read_text())
    validate_sarif(sarif)
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == EMAIL_LINE
    rule = sarif["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["id"] == "READER_FIELD_MISSING_DEFAULT_VALUE" and rule["help"]["text"].startswith("Checks that")


def test_github_actions__annotation_and_step_summary(pytester: pytest.Pytester, repo: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With GITHUB_ACTIONS=true the run prints ::error at the schema line and appends the summary."""
    summary = repo / "step-summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    result = pytester.runpytest("--schemafed", "--schemafed-against", "HEAD")  # in CI the base must be named
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([f"::error file=schemas/user.avsc,line={EMAIL_LINE},col=*,"
                                 "title=READER_FIELD_MISSING_DEFAULT_VALUE (git)::field `email`*"])
    text = summary.read_text()
    assert text.startswith("earlier step\n## schemafed: 1 incompatible, 1 compatible")
    assert "| `schemas/user.avsc` | ❌ incompatible |" in text


def test_github_none__no_annotation(pytester: pytest.Pytester, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """github=none keeps workflow commands out of the log even in Actions."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = pytester.runpytest("--schemafed", "--schemafed-against", "HEAD", "--schemafed-report", "github=none")
    assert "::error" not in result.stdout.str()


def test_bad_report_value__usage_error_names_option(pytester: pytest.Pytester, repo: Path) -> None:
    """An unknown report kind is a usage error that names --schemafed-report."""
    result = pytester.runpytest("--schemafed", "--schemafed-report", "xml=r.xml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--schemafed-report: unknown report kind 'xml'*"])


def test_junitxml__registry_subject_level_rules_as_properties(pytester: pytest.Pytester, repo: Path) -> None:
    """pytest's --junitxml carries registry, subject, level and rule ids of each schema item."""
    pytester.runpytest("--schemafed", "--junitxml=junit.xml")
    case = next(c for c in ET.parse(repo / "junit.xml").iter("testcase") if "user" in c.get("classname", ""))
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert props["schemafed.registry"] == "git"
    assert props["schemafed.subject"] == "user"
    assert props["schemafed.level"] == "BACKWARD"
    assert props["schemafed.rules"] == "READER_FIELD_MISSING_DEFAULT_VALUE"


def test_xdist__controller_writes_reports_from_worker_results(pytester: pytest.Pytester, repo: Path) -> None:
    """Under pytest-xdist the controller gathers the workers' results into one JSON report."""
    result = pytester.runpytest_subprocess("--schemafed", "-n", "2", "-p", "no:randomly",
                                           "--schemafed-report", "json=r.json")
    result.assert_outcomes(passed=1, failed=1)
    doc = json.loads((repo / "r.json").read_text())
    assert doc["summary"]["total"] == 2
    assert {i["outcome"] for i in doc["items"]} == {"compatible", "incompatible"}
