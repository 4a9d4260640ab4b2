"""Hostile inputs: a project with one valid schema, and the check that a run failed with one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import git, write_files

VALID = json.dumps({"type": "record", "name": "User", "fields": [{"name": "id", "type": "long"}]}, indent=2)


@pytest.fixture
def project(pytester: pytest.Pytester) -> Path:
    """A git repository (the pytester folder) with one valid, released ``schemas/user.avsc``."""
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"schemas/user.avsc": VALID})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    return root


def assert_one_clear_line(result: pytest.RunResult, *fragments: str) -> str:
    """The run stopped with a usage error: one ``schemafed:`` line holding ``fragments``, no traceback."""
    output = "\n".join(result.outlines + result.errlines)
    assert "Traceback" not in output and "INTERNALERROR" not in output, output
    assert result.ret == pytest.ExitCode.USAGE_ERROR, output
    lines = [line for line in result.errlines if "schemafed:" in line]
    assert len(lines) == 1, output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def assert_valid_run(result: pytest.RunResult) -> None:
    """The valid file beside the hostile input still passes."""
    output = "\n".join(result.outlines + result.errlines)
    assert "Traceback" not in output and "INTERNALERROR" not in output, output
    assert result.ret == pytest.ExitCode.OK, output
    result.assert_outcomes(passed=1)
