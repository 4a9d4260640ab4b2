"""The real pre-commit tool runs the `schemafed` hook from this repository (pre-commit try-repo)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.compiled import copy_buildable

from ..cli.conftest import BREAKING, COMPATIBLE, EMAIL_LINE, V1
from ..conftest import GIT_ENV, git, write_files
from ..docs.readme import PRE_COMMIT_DOC, example, normalise
from .conftest import REPO_ROOT

HOOKS = REPO_ROOT / ".pre-commit-hooks.yaml"
DEMO = REPO_ROOT / "examples" / "demo"


def test_hooks_file__schemafed_hook_is_offline_and_passes_files() -> None:
    """The hook `schemafed` runs `schemafed check --offline --compact` on the schema files pre-commit passes."""
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text())}
    hook = hooks["schemafed"]
    assert hook["entry"] == "schemafed check --offline --compact"
    assert hook["language"] == "python" and hook.get("pass_filenames", True)
    assert all(re.search(hook["files"], name) for name in ("a.avsc", "p.proto", "s.schema.json"))


def snapshot_hook_repo(target: Path) -> Path:
    """This repository's working tree (what `pip install .` reads, and the hooks file) committed into ``target``."""
    copy_buildable(target)
    shutil.copy2(HOOKS, target / HOOKS.name)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "snapshot")
    return target


def try_repo(repo: Path, hook_repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo HOOK_REPO schemafed --files FILES`` in ``repo``."""
    env = {**os.environ, **GIT_ENV, "HOME": str(repo), "PRE_COMMIT_HOME": str(home), "COLUMNS": "80"}
    for name in ("PYTHONPATH", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "PYTEST_ADDOPTS"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "schemafed",
                           "--files", *files], cwd=repo, env=env, capture_output=True, text=True, check=False,
                          timeout=300)


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the hook repository, PRE_COMMIT_HOME): one hook environment for the tests of this module."""
    base = tmp_path_factory.mktemp("pre-commit")
    return snapshot_hook_repo(base / "hook-repo"), base / "pre-commit-home"


@pytest.mark.slow
def test_precommit_hook__compatible_passes_breaking_fails_with_file_line(tmp_path: Path,
                                                                         hook_env: tuple[Path, Path]) -> None:
    """Staged compatible edit: Passed. Staged breaking edit: Failed, citing schemas/user.avsc:6, with only the
    findings and a total (no pytest banner)."""
    hook_repo, home = hook_env
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_files(repo, {"schemas/user.avsc": V1, "notes.txt": "x\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "released")

    (repo / "schemas/user.avsc").write_text(COMPATIBLE)
    git(repo, "add", "schemas/user.avsc")
    done = try_repo(repo, hook_repo, home, "schemas/user.avsc")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout

    (repo / "schemas/user.avsc").write_text(BREAKING)
    git(repo, "add", "schemas/user.avsc")
    done = try_repo(repo, hook_repo, home, "schemas/user.avsc", "notes.txt")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert f"schemas/user.avsc:{EMAIL_LINE}:6: READER_FIELD_MISSING_DEFAULT_VALUE: " in done.stdout
    assert "test session starts" not in done.stdout and "short test summary" not in done.stdout
    assert re.search(r"^schemafed: 1 incompatible \(git HEAD@[0-9a-f]{10}\)$", done.stdout, re.M), done.stdout


@pytest.mark.slow
def test_precommit_hook__output_is_the_readme_example(tmp_path: Path, hook_env: tuple[Path, Path]) -> None:
    """The README's (and docs/pre-commit.md's) pre-commit output is what the hook prints for the demo's
    breaking orders-value.avsc, from pre-commit's status line on (shas aside)."""
    hook_repo, home = hook_env
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_files(repo, {"schemas/orders-value.avsc": (DEMO / "released/orders-value.avsc").read_text()})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "released")
    write_files(repo, {"schemas/orders-value.avsc": (DEMO / "change-breaking/orders-value.avsc").read_text()})
    git(repo, "add", "-A")
    done = try_repo(repo, hook_repo, home, "schemas/orders-value.avsc")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("schemafed (schema compatibility)."))
    printed = normalise("\n".join(lines[start:]))
    assert example("precommit") == printed
    assert example("precommit", PRE_COMMIT_DOC) == printed
