"""Reading results back from user_properties, and the --schemafed-report values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_schemafed.report.collect import ItemResult, parse_targets, workspace_prefix

from .conftest import properties


def test_from_properties__not_a_schema_item() -> None:
    """A report without schemafed properties (a Python test) gives no result."""
    assert ItemResult.from_properties("test_x.py::test_a", [("other", 1)]) is None


def test_from_properties__bad_findings_json_is_ignored() -> None:
    """A corrupt findings property yields no findings rather than an exception."""
    result = ItemResult.from_properties("a.avsc::g", properties(registry="g", outcome="incompatible",
                                                                findings="{not json"))
    assert result is not None and result.findings == () and result.file == "a.avsc"


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
