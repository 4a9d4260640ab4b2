"""A hostile repository: one valid schema committed, hostile files beside it, a canary outside."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import GIT_ENV, git

#: in the canary files outside the repository; must never appear in any output
CANARY = "CANARYx7q9SECRET"
VALID_AVRO = '{"type": "record", "name": "Valid", "fields": [{"name": "id", "type": "long"}]}\n'


@dataclass
class Run:
    """The outcome of ``pytest --schemafed`` in a hostile repository."""

    returncode: int
    output: str

    def assert_clean(self, backend: str = "git") -> None:
        """No traceback, no INTERNALERROR, nothing of the canary, and the valid file passed."""
        assert "Traceback" not in self.output, self.output
        assert "INTERNALERROR" not in self.output, self.output
        assert CANARY not in self.output, self.output
        assert f"PASSED valid.avsc::{backend}" in self.output, self.output


@dataclass
class HostileRepo:
    """``root`` is a git repository (``valid.avsc`` committed); ``outside`` holds canary files."""

    root: Path
    outside: Path

    def write(self, rel: str, text: str) -> Path:
        """Write a file in the repository (not committed: the hostile change)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, *args: str) -> Run:
        """``pytest --schemafed`` in the repository, in a fresh process; every outcome listed (``-rA``)."""
        env = {**os.environ, **GIT_ENV, "HOME": str(self.root), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("PYTEST_ADDOPTS", None)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "--schemafed", "-p", "no:randomly", "-p", "no:cacheprovider",
             "-p", "no:xdist", "-rA", "--color=no", *args],
            cwd=self.root, capture_output=True, text=True, env=env, timeout=120, check=False,
        )
        return Run(done.returncode, done.stdout + done.stderr)


@pytest.fixture
def hostile(tmp_path: Path) -> HostileRepo:
    """A repository with one valid committed schema, and canary files (and a folder) outside it."""
    return make_hostile(tmp_path)


def make_hostile(tmp_path: Path) -> HostileRepo:
    """Build the repository of :func:`hostile` under ``tmp_path``."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "canary.proto").write_text(f'syntax = "proto3";\nmessage {CANARY} {{ int32 a = 1; }}\n')
    (outside / "canary.avsc").write_text(f'{{"type": "record", "name": "{CANARY}", "fields": []}}\n')
    (outside / "canary.schema.json").write_text(f'{{"title": "{CANARY}", "type": "object"}}\n')
    (outside / "folder" / "inner.avsc").write_text(f'{{"type": "record", "name": "{CANARY}", "fields": []}}\n')
    (outside / "folder" / "canary.proto").write_text(f'syntax = "proto3";\nmessage {CANARY} {{}}\n')
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "valid.avsc").write_text(VALID_AVRO)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the released schema")
    return HostileRepo(root, outside)


def failure_section(run: Run, item: str) -> list[str]:
    """The lines pytest shows under the failing ``item``'s header (``___ item (name) ___``)."""
    lines = run.output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("_") and f" {item} " in line]
    assert len(starts) == 1, run.output
    body = []
    for line in lines[starts[0] + 1 :]:
        if line.startswith(("___", "===")):
            break
        if line.strip():
            body.append(line)
    return body
