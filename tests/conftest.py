"""Shared fixtures: temporary git repositories and a runner for `pytest --schemafed`."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "schemafed-tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "schemafed-tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_WORKSPACE")


def pytest_configure(config: pytest.Config) -> None:
    """The suite runs as on a developer's machine, also when it runs in CI.

    In CI (``CI`` or ``GITHUB_ACTIONS`` set) the gate refuses a default git base equal to
    HEAD, and GitHub output turns on; the tests that check those set the variables
    themselves. Removed once per test process (each pytest-xdist worker too), before any
    fixture of any scope runs.
    """
    for name in CI_VARIABLES:
        os.environ.pop(name, None)


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return its stdout; fails the test on a git error."""
    env = {**os.environ, **GIT_ENV, "HOME": str(repo)}
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def write_files(root: Path, files: Mapping[str, str]) -> None:
    """Write ``files`` (relative path -> text) under ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[Mapping[str, str]], Path]:
    """Create a git repo whose first commit holds ``files``; returns its path."""

    def make(files: Mapping[str, str], path: Path | None = None) -> Path:
        repo = path or tmp_path / "repo"
        repo.mkdir(parents=True, exist_ok=True)
        git(repo, "init", "-q", "-b", "main")
        write_files(repo, files)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "released schemas")
        return repo

    return make
