"""The README's quick example and failure block are what `make demo` prints: the demo is run for real."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .readme import REPO_ROOT, example, normalise, sublist_at

DEMO = REPO_ROOT / "examples" / "demo" / "run_demo.py"


@pytest.fixture(scope="module")
def breaking_run() -> list[str]:
    """What the demo's second run (`pytest --schemafed -q` after the breaking change) prints, at 80 columns."""
    env = {**os.environ, "COLUMNS": "80"}
    for name in ("CI", "GITHUB_ACTIONS", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER", "PYTEST_PLUGINS"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, str(DEMO)], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    start = lines.index("== a breaking change: the gate fails and says where ==") + 2  # below the `$ ...` line
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("demo OK"))
    return normalise("\n".join(lines[start:end]))


def test_readme__quick_example_is_the_demo_output(breaking_run: list[str]) -> None:
    """The README's quick example is, line for line, the demo's breaking run (shas and timings aside)."""
    assert example("quick") == breaking_run


def test_readme__failure_block_is_one_item_of_the_demo_output(breaking_run: list[str]) -> None:
    """The failure block is the orders-value item's report, under its section title, as printed."""
    block = example("failure")
    at = sublist_at(breaking_run, block)
    assert at > 0, block
    assert breaking_run[at - 1].strip("_ ") == "schemas/orders-value.avsc::git (orders-value)"
    assert breaking_run[at + len(block)].startswith("___")
