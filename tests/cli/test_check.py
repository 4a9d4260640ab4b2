"""``schemafed check``: the gate for pre-commit and CI, its paths, --offline and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_schemafed.cli.check import _exit_code
from pytest_schemafed.model import CheckResult, ErrorKind, Finding, Level, Verdict
from pytest_schemafed.registry import default_registry
from pytest_schemafed.report.collect import ResultCollector

from ..conftest import git
from .conftest import BREAKING, COMPATIBLE, EMAIL_LINE, run_schemafed


def test_check__zero_config_breaking_change_exit_1_with_file_line(user_repo: Path) -> None:
    """In a repo without configuration a breaking edit fails at the new field's "name" key (line 6, column 6)."""
    (user_repo / "schemas/user.avsc").write_text(BREAKING)
    done = run_schemafed(user_repo, "check")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"schemas/user.avsc:{EMAIL_LINE}:6: READER_FIELD_MISSING_DEFAULT_VALUE" in done.stdout


def test_check__zero_config_compatible_change_exit_0(user_repo: Path) -> None:
    """A compatible edit passes."""
    (user_repo / "schemas/user.avsc").write_text(COMPATIBLE)
    done = run_schemafed(user_repo, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_check__python_tests_are_not_collected(user_repo: Path) -> None:
    """A failing Python test in the repo is neither imported nor run by the gate."""
    (user_repo / "test_boom.py").write_text("raise SystemExit('imported!')\n")
    done = run_schemafed(user_repo, "check")
    assert done.returncode == 0 and "imported!" not in done.stdout + done.stderr


def test_check__only_non_schema_paths_exit_0(user_repo: Path) -> None:
    """pre-commit may pass only non-schema files: nothing to check, exit 0."""
    done = run_schemafed(user_repo, "check", "README.md")
    assert done.returncode == 0
    assert "no schema file among the 1 file(s) given" in done.stdout


def test_check__a_path_that_does_not_exist_exit_2(user_repo: Path) -> None:
    """Hole 4: ``schemafed check nonexistent/`` is a mistake, never a green run."""
    done = run_schemafed(user_repo, "check", "nonexistent/")
    assert done.returncode == 2
    assert "no such file or folder: nonexistent/" in done.stderr


def test_check__a_folder_without_schema_files_exit_2(user_repo: Path) -> None:
    """Hole 4: a selection that holds no schema file fails, naming the reason."""
    (user_repo / "docs").mkdir()
    (user_repo / "docs" / "notes.txt").write_text("not a schema\n")
    done = run_schemafed(user_repo, "check", "docs")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no schema file was selected" in done.stderr


def test_check__paths_limit_the_run(user_repo: Path) -> None:
    """Only the files named are checked: the broken user.avsc is left out."""
    (user_repo / "schemas/user.avsc").write_text(BREAKING)
    (user_repo / "schemas/other.avsc").write_text(COMPATIBLE.replace("User", "Other"))
    git(user_repo, "add", "schemas/other.avsc")
    git(user_repo, "commit", "-qm", "other")
    done = run_schemafed(user_repo, "check", "schemas/other.avsc", "README.md")
    assert done.returncode == 0, done.stdout
    assert "user.avsc" not in done.stdout


def test_check__missing_ref_exit_2_one_clear_line(user_repo: Path) -> None:
    """An --against ref that does not exist: exit 2 and one `schemafed: error:` line, no traceback."""
    done = run_schemafed(user_repo, "check", "--against", "no-such-branch")
    assert done.returncode == 2
    assert "schemafed: error: git ref 'no-such-branch' does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_check__shallow_clone_says_fetch_depth_0(user_repo: Path, tmp_path: Path) -> None:
    """In a depth-1 clone the base commit is missing: the error says to use `fetch-depth: 0`."""
    base = git(user_repo, "rev-parse", "HEAD").strip()
    (user_repo / "schemas/user.avsc").write_text(BREAKING)
    git(user_repo, "commit", "-qam", "breaking")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{user_repo}", str(clone))
    done = run_schemafed(clone, "check", "--against", base, env={"GITHUB_ACTIONS": "true"})
    assert done.returncode == 2
    assert "fetch-depth: 0" in done.stderr
    assert done.stdout.count("::error title=schemafed::") == 1


def test_check__offline_ignores_configured_registries(user_repo: Path) -> None:
    """--offline compares with git HEAD and never asks the (unreachable) configured registry."""
    (user_repo / "schemafed.yaml").write_text(
        "schemas:\n  - path: 'schemas/**/*.avsc'\n    subject: '{stem}-value'\n    registries: [prod]\n"
        "registries:\n  - id: prod\n    type: confluent\n    url: http://127.0.0.1:9\n")
    (user_repo / "schemas/user.avsc").write_text(BREAKING)
    done = run_schemafed(user_repo, "check", "--offline", "schemas/user.avsc")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "schemas/user.avsc::git" in done.stdout and "127.0.0.1:9" not in done.stdout
    assert "subject 'user-value'" in done.stdout


def test_check__compact_prints_only_the_findings_and_a_total(user_repo: Path) -> None:
    """--compact (the pre-commit hook's form): the finding lines, the level line and one total; no pytest banner."""
    sha = git(user_repo, "rev-parse", "HEAD").strip()[:10]
    (user_repo / "schemas/user.avsc").write_text(BREAKING)
    (user_repo / "schemas/broken.avsc").write_text('{"type": "record",\n')
    done = run_schemafed(user_repo, "check", "--offline", "--compact", "schemas/user.avsc", "schemas/broken.avsc")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("schemas/broken.avsc:") and ": error: " in lines[0]
    assert lines[1].startswith(f"schemas/user.avsc:{EMAIL_LINE}:6: READER_FIELD_MISSING_DEFAULT_VALUE: field `email`")
    assert lines[2].startswith("    hint: ")
    assert lines[3:] == [f"  subject 'user', level BACKWARD, compared with git version HEAD@{sha}",
                         f"schemafed: 1 incompatible, 1 error (git HEAD@{sha})"]


def test_check__report_options_reach_pytest(user_repo: Path) -> None:
    """--report json=PATH writes the JSON report of the run."""
    (user_repo / "schemas/user.avsc").write_text(BREAKING)
    done = run_schemafed(user_repo, "check", "--report", "json=out.json")
    assert done.returncode == 1
    assert json.loads((user_repo / "out.json").read_text())["summary"]["incompatible"] == 1


@pytest.mark.skipif("confluent" not in default_registry().backends, reason="confluent backend not registered")
def test_check__unreachable_registry_exit_3(user_repo: Path) -> None:
    """A registry nobody listens on: the items error and the command exits 3."""
    (user_repo / "schemafed.yaml").write_text(
        "registries:\n  - id: prod\n    type: confluent\n    url: http://127.0.0.1:9\n    retries: 0\n"
        "    timeout: 2.0\n")
    done = run_schemafed(user_repo, "check")
    assert done.returncode == 3, done.stdout + done.stderr


def _collector(*outcomes: tuple[str, str | None]) -> ResultCollector:
    collector = ResultCollector()
    for index, (outcome, kind) in enumerate(outcomes):
        if outcome == "error":
            verdict = Verdict.failed("it broke", ErrorKind(kind))
        elif outcome == "incompatible":
            verdict = Verdict.judged((Finding("R", "broken"),), Level.BACKWARD)
        else:
            verdict = Verdict.judged((), Level.BACKWARD)
        collector.results[str(index)] = CheckResult(str(index), "a", "avro", "r", "s", "", verdict)
    return collector


@pytest.mark.parametrize(("pytest_code", "outcomes", "expected"), [
    (0, [("compatible", None)], 0),
    (5, [], 2),  # nothing selected: fail closed
    (1, [("incompatible", None)], 1),
    (1, [("error", "schema")], 1),
    (1, [("error", "registry")], 3),
    (1, [("error", "registry"), ("incompatible", None)], 1),
    (4, [], 2),
])
def test_exit_code__mapping(pytest_code: int, outcomes: list[tuple[str, str | None]], expected: int) -> None:
    """pytest's exit code and the item outcomes map onto 0 / 1 / 2 / 3."""
    assert _exit_code(pytest_code, _collector(*outcomes)) == expected
