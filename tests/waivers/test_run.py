"""Waivers in a real run (pytest --schemafed on a git repository): items, terminal, JUnit, reports, xdist."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from ..conftest import git, write_files
from ..report.conftest import SARIF_SCHEMA

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

V1 = json.dumps({"type": "record", "name": "User", "fields": [{"name": "id", "type": "long"}]}, indent=2)
BREAKING = json.dumps({"type": "record", "name": "User", "fields": [
    {"name": "id", "type": "long"}, {"name": "email", "type": "string"}]}, indent=2)
EMAIL_LINE = next(n for n, text in enumerate(BREAKING.splitlines(), 1) if '"email"' in text)
RULE = "READER_FIELD_MISSING_DEFAULT_VALUE"
HEAD = "registries:\n  - id: git\n    type: git\n    ref: main\nwaivers:\n"


def waiver(rule: str = RULE, where: str = 'subject: "user*"', expires: str = "2999-12-31",
           reason: str = "consumers moved in PLAT-123") -> str:
    return (f'  - rule: "{rule}"\n    {where}\n    reason: {reason}\n    expires: {expires}\n'
            "    owner: data-platform\n")


@pytest.fixture
def repo(pytester: pytest.Pytester) -> Path:
    """user.avsc and order.avsc released on main, then user.avsc broken (a field without default)."""
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"schemas/user.avsc": V1, "schemas/order.avsc": V1.replace("User", "Order")})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    (root / "schemas/user.avsc").write_text(BREAKING)
    return root


def properties(junit: Path, file: str) -> dict[str | None, str | None]:
    case = next(c for c in ET.parse(junit).iter("testcase") if file in (c.get("classname") or ""))
    return {p.get("name"): p.get("value") for p in case.iter("property")}


def test_waived_break__passes_shown_waived_junit_counts(pytester: pytest.Pytester, repo: Path) -> None:
    """The break is waived: both items pass, the summary lists the waived finding, JUnit counts it."""
    (repo / "schemafed.yaml").write_text(HEAD + waiver())
    result = pytester.runpytest("--schemafed", "--junitxml=out.xml")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        f"waived: schemas/user.avsc:{EMAIL_LINE} {RULE} on git (subject user): consumers moved in PLAT-123 "
        "(waivers[0], owner data-platform, expires 2999-12-31)"])
    assert "matched no finding" not in result.stdout.str()
    props = properties(repo / "out.xml", "user")
    assert (props["schemafed.outcome"], props["schemafed.waived"], props["schemafed.warnings"]) == (
        "compatible", "1", "0")
    assert properties(repo / "out.xml", "order")["schemafed.waived"] == "0"


def test_expired_waiver__fails_with_the_message(pytester: pytest.Pytester, repo: Path) -> None:
    """An expired waiver fails the item: "waiver for RULE on SUBJECT expired on DATE (reason)"."""
    (repo / "schemafed.yaml").write_text(HEAD + waiver(expires="2020-01-31"))
    result = pytester.runpytest("--schemafed")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert f"waiver for {RULE} on user expired on 2020-01-31 (consumers moved in PLAT-123)" in out
    assert f"schemas/user.avsc:{EMAIL_LINE}:" in out and "WAIVER_EXPIRED" in out and "Traceback" not in out


def test_different_rule_waiver__break_still_fails(pytester: pytest.Pytester, repo: Path) -> None:
    """A waiver of another rule on the same subject does not hide the break; it is listed as unused."""
    (repo / "schemafed.yaml").write_text(HEAD + waiver(rule="FIELD_TYPE_CHANGED"))
    result = pytester.runpytest("--schemafed")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert f"schemas/user.avsc:{EMAIL_LINE}:7: {RULE}: " in out and "waived" not in out
    assert ("warning: waiver waivers[0] (rule FIELD_TYPE_CHANGED on subject 'user*', expires 2999-12-31) "
            "matched no finding in this run") in out


def test_failing_item__waived_finding_shown_waived_in_the_failure(pytester: pytest.Pytester, repo: Path) -> None:
    """One break waived, another not: the item fails and its report marks the waived one."""
    two = json.loads(BREAKING)
    two["fields"][0]["type"] = "string"  # FIELD_TYPE_CHANGED-like break on id as well
    (repo / "schemas/user.avsc").write_text(json.dumps(two, indent=2))
    (repo / "schemafed.yaml").write_text(HEAD + waiver())
    result = pytester.runpytest("--schemafed")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    waived_at = out.index(f"{RULE} (waived): ")
    assert out.index("    waived: consumers moved in PLAT-123 (waivers[0], owner data-platform", waived_at)


def test_unmatched_waiver__listed_as_a_warning(pytester: pytest.Pytester, repo: Path) -> None:
    """A waiver that matched nothing is a warning line in the summary; the run's result is unchanged."""
    (repo / "schemafed.yaml").write_text(HEAD + waiver() + waiver(rule="*", where='path: "schemas/legacy/**"'))
    result = pytester.runpytest("--schemafed")
    result.assert_outcomes(passed=2)
    assert ("warning: waiver waivers[1] (rule * on path 'schemas/legacy/**', expires 2999-12-31) matched no "
            "finding in this run; remove it if the break is gone") in result.stdout.str()
    assert "waiver waivers[0]" not in result.stdout.str()


def test_xdist__workers_matches_combined_before_listing_unused(pytester: pytest.Pytester, repo: Path) -> None:
    """Under -n 2 the waivers used on the workers count: only the one no worker matched is listed."""
    write_files(repo, {f"schemas/u{n}.avsc": V1.replace("User", f"U{n}") for n in range(6)})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more")
    for n in range(6):
        (repo / f"schemas/u{n}.avsc").write_text(BREAKING.replace("User", f"U{n}"))
    entries = [waiver(where=f'subject: "u{n}"') for n in range(6)]
    (repo / "schemafed.yaml").write_text(HEAD + "".join(entries) + waiver(where='subject: "gone"'))
    result = pytester.runpytest_subprocess("--schemafed", "-n", "2", "-p", "xdist")
    result.assert_outcomes(passed=8)
    out = result.stdout.str()
    assert out.count("waived: schemas/u") == 6
    assert "warning: waiver waivers[6] (rule READER_FIELD_MISSING_DEFAULT_VALUE on subject 'gone'" in out
    assert out.count("matched no finding") == 1


def test_reports__json_sarif_summary_show_waived_and_unused(pytester: pytest.Pytester, repo: Path) -> None:
    """JSON: waived field and unused_waivers; SARIF: a suppression, valid 2.1.0; summary: waived and unused."""
    (repo / "schemafed.yaml").write_text(HEAD + waiver() + waiver(where='subject: "gone"'))
    result = pytester.runpytest("--schemafed", "--schemafed-report", "json=r.json", "--schemafed-report",
                                "sarif=r.sarif", "--schemafed-report", "summary=s.md")
    result.assert_outcomes(passed=2)
    doc = json.loads((repo / "r.json").read_text())
    assert doc["summary"]["waived"] == 1 and doc["summary"]["incompatible"] == 0
    (unused,) = doc["unused_waivers"]
    assert unused.startswith("waivers[1] (rule READER_FIELD_MISSING_DEFAULT_VALUE on subject 'gone'")
    user = next(i for i in doc["items"] if i["file"] == "schemas/user.avsc")
    assert user["outcome"] == "compatible" and user["findings"][0]["waived"].startswith("consumers moved")
    sarif = json.loads((repo / "r.sarif").read_text())
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    (found,) = sarif["runs"][0]["results"]
    assert found["ruleId"] == RULE and found["level"] == "error"
    assert found["suppressions"] == [{"kind": "external", "status": "accepted",
                                      "justification": user["findings"][0]["waived"]}]
    summary = (repo / "s.md").read_text()
    assert "## schemafed: 2 compatible, 1 waived" in summary and "✅ compatible (waived)" in summary
    assert "waived (consumers moved in PLAT-123" in summary and "> warning: waiver waivers[1]" in summary


@pytest.mark.parametrize("narrowed", [["schemas/user.avsc"], ["-k", "user"]])
def test_narrowed_run__no_unused_waiver_warnings(pytester: pytest.Pytester, repo: Path, narrowed: list[str]) -> None:
    """A run of some files only (pre-commit's staged files, -k) cannot tell a stale waiver: it lists none."""
    (repo / "schemafed.yaml").write_text(HEAD + waiver() + waiver(where='subject: "gone"'))
    result = pytester.runpytest("--schemafed", *narrowed)
    result.assert_outcomes(passed=1, deselected=1 if "-k" in narrowed else 0)
    assert "matched no finding" not in result.stdout.str() and "waived: schemas/user.avsc" in result.stdout.str()


def test_offline_check__waivers_without_registry_apply(pytester: pytest.Pytester, repo: Path) -> None:
    """`schemafed check --offline` (the pre-commit hook) keeps the waivers that name no registry."""
    (repo / "schemafed.yaml").write_text(HEAD + waiver())
    git(repo, "add", "-A")
    done = pytester.run(sys.executable, "-m", "pytest_schemafed.cli", "check", "--offline", "schemas/user.avsc")
    assert done.ret == 0, done.stdout.str()
    assert "waived: schemas/user.avsc" in done.stdout.str()
    (repo / "schemafed.yaml").write_text(HEAD + waiver().replace("    owner:", "    registry: git\n    owner:"))
    done = pytester.run(sys.executable, "-m", "pytest_schemafed.cli", "check", "--offline", "schemas/user.avsc")
    assert done.ret == 1 and RULE in done.stdout.str()
