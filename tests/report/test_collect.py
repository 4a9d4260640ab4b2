"""Reading results back from user_properties, and the --schemafed-report values."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pytest_schemafed.model import CheckResult, ErrorKind, Level, Verdict
from pytest_schemafed.report.collect import RESULT_PROPERTY, parse_targets, result_of, workspace_prefix

from .conftest import round_trip


def test_result_of__not_a_schema_item() -> None:
    """A report without the schemafed result property (a Python test) gives no result."""
    assert result_of("test_x.py::test_a", [("other", 1), ("schemafed.registry", "g")]) is None


def test_result_of__corrupt_result_is_an_error_never_a_pass() -> None:
    """A result that cannot be read back fails closed: an internal error, not a compatible item."""
    for raw in ("{not json", "[]", json.dumps({"nodeid": "a.avsc::g"}),
                json.dumps({**_good().to_dict(), "verdict": {**_good().verdict.to_dict(), "outcome": "fine"}})):
        result = result_of("a.avsc::g", [(RESULT_PROPERTY, raw)])
        assert result is not None and result.outcome == "error" and result.file == "a.avsc"
        assert result.verdict.error_kind is ErrorKind.INTERNAL and "could not be read back" in str(result.verdict.error)


def test_result_of__round_trip_keeps_every_field(results: list[CheckResult]) -> None:
    """One serialisation: to_dict, the JUnit property, from_dict give back the same result."""
    for result in results:
        assert round_trip(result) == result


def test_versions__a_base_label_with_a_comma_stays_one_version(results: list[CheckResult]) -> None:
    """The git base label ``merge-base(HEAD, origin/HEAD)@...`` is one version, not two."""
    assert round_trip(results[1]).verdict.versions == ("merge-base(HEAD, origin/HEAD)@abc",)


def _good() -> CheckResult:
    return CheckResult("a.avsc::g", "a.avsc", "avro", "g", "a", "git g", Verdict.judged((), Level.BACKWARD, ("1",)))


def test_parse_targets__json_sarif_summary_paths() -> None:
    """json=, sarif= and summary= each name a path; github output is off outside Actions."""
    targets = parse_targets(["json=out/r.json", "sarif=r.sarif", "summary=s.md"], {})
    assert (targets.json, targets.sarif, targets.summary) == (Path("out/r.json"), Path("r.sarif"), [Path("s.md")])
    assert not targets.annotations


def test_parse_targets__github_actions_defaults_on(tmp_path: Path) -> None:
    """With GITHUB_ACTIONS=true: annotations on and the summary appended to $GITHUB_STEP_SUMMARY."""
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(tmp_path / "step.md")}
    targets = parse_targets([], env)
    assert targets.annotations and targets.summary == [tmp_path / "step.md"]


def test_parse_targets__github_none_turns_both_off() -> None:
    """github=none silences annotations and summary even in Actions."""
    targets = parse_targets(["github=none"], {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "x.md"})
    assert not targets


@pytest.mark.parametrize("value", ["json", "xml=a.xml", "github=colors", "json="])
def test_parse_targets__bad_value_names_it(value: str) -> None:
    """A value that is not understood raises ValueError quoting it."""
    with pytest.raises(ValueError, match=re.escape(value)):
        parse_targets([value], {})


def test_workspace_prefix__rootdir_in_subfolder(tmp_path: Path) -> None:
    """The rootdir's place inside $GITHUB_WORKSPACE, empty at the top or outside."""
    (tmp_path / "svc").mkdir()
    env = {"GITHUB_WORKSPACE": str(tmp_path)}
    assert workspace_prefix(tmp_path / "svc", env) == "svc"
    assert workspace_prefix(tmp_path, env) == ""
    assert workspace_prefix(Path("/"), env) == ""
