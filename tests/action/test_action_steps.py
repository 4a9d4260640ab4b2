"""The action's steps, run as the runner runs them, on a temp repo with one breaking change."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest

from ..cli.conftest import BREAKING, EMAIL_LINE, V1
from ..conftest import git, write_files
from .conftest import StepRun, run_action_steps

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif" / "sarif-schema-2.1.0.json"
INSTALLED = {"install": {"python": sys.executable}}


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, Path, str]:
    """A repo whose PR branch adds a field without default to schemas/user.avsc; (repo, temp, base sha)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_files(repo, {"schemas/user.avsc": V1, "schemas/order.avsc": V1.replace("User", "Order")})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "released")
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-qb", "feature")
    (repo / "schemas/user.avsc").write_text(BREAKING)
    git(repo, "commit", "-qam", "add email")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    return repo, temp, base


def github_env(repo: Path, temp: Path, base: str) -> dict[str, str]:
    """The variables the runner sets for a pull_request job."""
    event = temp / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}, "number": 1}}))
    return {"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(repo), "GITHUB_EVENT_PATH": str(event),
            "GITHUB_EVENT_NAME": "pull_request", "RUNNER_TEMP": str(temp),
            "GITHUB_STEP_SUMMARY": str(temp / "step-summary.md")}


def run_gate(repo: Path, temp: Path, base: str, **inputs: str) -> StepRun:
    """The gate step with the install step's output preset to this interpreter."""
    return run_action_steps(repo, temp, inputs, github_env(repo, temp, base), preset=INSTALLED)


def test_gate_step__outputs_annotation_summary_on_breaking_pr(pull_request: tuple[Path, Path, str]) -> None:
    """Against the PR's base: outputs incompatible=1 errors=0, one ::error at line 6, the summary table."""
    repo, temp, base = pull_request
    run = run_gate(repo, temp, base)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.outputs["incompatible"] == "1" and run.outputs["errors"] == "0"
    report = Path(run.outputs["report"])
    assert json.loads(report.read_text())["summary"]["compatible"] == 1
    errors = [line for line in run.stdout.splitlines() if line.startswith("::error")]
    assert errors == [errors[0]] and errors[0].startswith(
        f"::error file=schemas/user.avsc,line={EMAIL_LINE},col=6,title=READER_FIELD_MISSING_DEFAULT_VALUE (git)::")
    summary = (temp / "step-summary.md").read_text()
    assert "| schema | git |" in summary
    assert "| `schemas/user.avsc` | ❌ incompatible |" in summary
    assert "| `schemas/order.avsc` | ✅ compatible |" in summary
    assert f"| {EMAIL_LINE}:6 | `READER_FIELD_MISSING_DEFAULT_VALUE` |" in summary


def test_gate_step__fail_on_never_passes_but_reports(pull_request: tuple[Path, Path, str]) -> None:
    """fail-on: never keeps the step green and still sets incompatible=1."""
    repo, temp, base = pull_request
    run = run_gate(repo, temp, base, **{"fail-on": "never"})
    assert run.returncode == 0
    assert run.outputs["incompatible"] == "1"


def test_gate_step__fail_on_error_ignores_incompatible(pull_request: tuple[Path, Path, str]) -> None:
    """fail-on: error fails only when a check could not be made: an incompatible schema passes."""
    repo, temp, base = pull_request
    assert run_gate(repo, temp, base, **{"fail-on": "error"}).returncode == 0


def test_gate_step__sarif_input_writes_valid_located_log(pull_request: tuple[Path, Path, str]) -> None:
    """sarif: PATH writes SARIF 2.1.0 with the finding at schemas/user.avsc line 6."""
    repo, temp, base = pull_request
    run_gate(repo, temp, base, sarif="out/schemafed.sarif", annotations="false", summary="false")
    log = json.loads((repo / "out/schemafed.sarif").read_text())
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "schemas/user.avsc"
    assert location["region"]["startLine"] == EMAIL_LINE
    assert not (temp / "step-summary.md").exists()


def test_gate_step__annotations_false_prints_none(pull_request: tuple[Path, Path, str]) -> None:
    """annotations: false keeps ::error lines out of the log; the summary is still written."""
    repo, temp, base = pull_request
    run = run_gate(repo, temp, base, annotations="false")
    assert "::error" not in run.stdout
    assert "❌ incompatible" in (temp / "step-summary.md").read_text()


def test_gate_step__shallow_clone_fetches_the_base(pull_request: tuple[Path, Path, str], tmp_path: Path) -> None:
    """A depth-1 checkout lacks the base commit: the step fetches it from origin and the gate compares."""
    repo, temp, base = pull_request
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo}", str(clone))
    run = run_gate(clone, temp, base)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.outputs["incompatible"] == "1" and run.outputs["errors"] == "0"


def test_gate_step__bad_fail_on_value(pull_request: tuple[Path, Path, str]) -> None:
    """An unknown fail-on value is an error naming the accepted ones."""
    repo, temp, base = pull_request
    run = run_gate(repo, temp, base, **{"fail-on": "sometimes"})
    assert run.returncode == 2 and "fail-on must be one of incompatible, error, never" in run.stdout


@pytest.mark.slow
def test_install_step__installs_from_action_path_then_gates(pull_request: tuple[Path, Path, str]) -> None:
    """The real install step builds the action's checkout into a venv whose gate then runs."""
    repo, temp, base = pull_request
    run = run_action_steps(repo, temp, {}, github_env(repo, temp, base), source_on_path=False)
    python = run.step_outputs.get("install", {}).get("python", "")
    assert python.startswith(str(temp)), run.stdout + run.stderr
    assert run.returncode == 1 and run.outputs["incompatible"] == "1", run.stdout + run.stderr
    assert run.step_outputs["install"]["cache-hit"] == "false"
    again = run_action_steps(repo, temp, {}, github_env(repo, temp, base), source_on_path=False)
    assert again.step_outputs["install"]["cache-hit"] == "true", again.stdout + again.stderr
    assert "reusing the cached install" in again.stdout and again.outputs["incompatible"] == "1"
