"""Configurations built to exhaust memory or time: refused fast, with one line, in a bounded process.

The hostile ones run in a child process with a memory limit and a generous deadline,
so that on a regression the test fails instead of taking the machine down.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_schemafed.config import load_settings
from pytest_schemafed.registry import default_registry

from .conftest import assert_one_clear_line, assert_valid_run

MEMORY_LIMIT = 1 << 31  # 2 GiB of address space: far above a run, far below an expanded bomb
DEADLINE = 60  # seconds: generous; the refusals take well under one


def _bomb(levels: int = 9) -> str:
    lines = ["schemafed: true", "registries:", "  - id: base", "    type: git",
             "    ref: &l0 [" + ", ".join(['"lol"'] * 9) + "]"]
    for i in range(1, levels):
        lines.append(f"    k{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _run_bounded(root: Path) -> subprocess.CompletedProcess[str]:
    """``pytest`` in ``root``, in a child with at most 2 GiB and ``DEADLINE`` seconds."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=root, capture_output=True, text=True, timeout=DEADLINE, preexec_fn=limit, env=env, check=False,
    )


def _as_result(done: subprocess.CompletedProcess[str]) -> pytest.RunResult:
    return pytest.RunResult(done.returncode, done.stdout.splitlines(), done.stderr.splitlines(), 0.0)


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_alias_bomb__refused_at_load_in_little_memory(project: Path) -> None:
    """9 levels of 9 aliases stand for 387 million strings: refused after reading a few lines."""
    (project / "schemafed.yaml").write_text(_bomb())
    assert_one_clear_line(_as_result(_run_bounded(project)), "schemafed.yaml:", "aliases are expanded")


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_twenty_thousand_registries__refused(project: Path) -> None:
    entries = "".join(f"  - id: r{i}\n    type: git\n" for i in range(20_000))
    (project / "schemafed.yaml").write_text("schemafed: true\nregistries:\n" + entries)
    assert_one_clear_line(_as_result(_run_bounded(project)), "key registries", "at most 1,000")


def test_too_many_schema_entries__refused(pytester: pytest.Pytester, project: Path) -> None:
    entries = "".join(f"  - 's{i}/*.avsc'\n" for i in range(10_001))
    (project / "schemafed.yaml").write_text("schemafed: true\nschemas:\n" + entries)
    assert_one_clear_line(pytester.runpytest(), "key schemas", "at most 10,000")


def test_huge_file__refused_before_parsing(pytester: pytest.Pytester, project: Path) -> None:
    (project / "schemafed.yaml").write_text("schemafed: true\n#" + "x" * (11 << 20) + "\n")
    assert_one_clear_line(pytester.runpytest(), "schemafed.yaml", "at most 10,485,760")


def test_small_aliases_and_a_thousand_registries__load(tmp_path: Path) -> None:
    """Within the bounds: aliases used as intended, and 1,000 registries, load."""
    (tmp_path / "exports").mkdir()
    entries = "".join(f"  - {{<<: *d, id: r{i}}}\n" for i in range(999))
    (tmp_path / "schemafed.yaml").write_text(
        "registries:\n  - &d {id: r, type: directory, path: exports, level: FULL}\n" + entries
    )
    settings = load_settings(tmp_path, default_registry())
    assert len(settings.registries) == 1_000
    assert {s.type for s in settings.registries} == {"directory"}
    assert settings.registries[-1].level is not None and settings.registries[-1].level.value == "FULL"


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_valid_config_in_the_bounded_child__passes(project: Path) -> None:
    """The bounded child itself runs a valid project (the limit does not cause the refusals)."""
    (project / "schemafed.yaml").write_text("schemafed: true\n")
    done = _run_bounded(project)
    assert_valid_run(_as_result(done))
