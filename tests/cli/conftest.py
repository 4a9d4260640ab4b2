"""Helpers of the ``schemafed`` command tests: run it as a user would, in a temp repo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import GIT_ENV

REPO_ROOT = Path(__file__).resolve().parents[2]

V1 = """{
  "type": "record",
  "name": "User",
  "fields": [
    {"name": "id", "type": "long"}
  ]
}
"""
COMPATIBLE = """{
  "type": "record",
  "name": "User",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "nick", "type": ["null", "string"], "default": null}
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


def run_schemafed(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``schemafed ARGS`` in ``cwd`` (a fresh process, the source tree on the path)."""
    full_env = {**os.environ, **GIT_ENV, "HOME": str(cwd), "PYTHONPATH": str(REPO_ROOT)}
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "CI", "PYTEST_ADDOPTS",
                 "PYTEST_XDIST_WORKER"):
        full_env.pop(name, None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "pytest_schemafed.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, check=False, timeout=120)


@pytest.fixture
def user_repo(make_repo: object) -> Path:
    """A git repo with schemas/user.avsc (V1) committed, no configuration."""
    return make_repo({"schemas/user.avsc": V1, "README.md": "hello\n"})  # type: ignore[operator, no-any-return]


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-xdist workers run with COLUMNS=80, which would wrap the command's tables: unset it
    (the tests of wrapping set it themselves)."""
    monkeypatch.delenv("COLUMNS", raising=False)
