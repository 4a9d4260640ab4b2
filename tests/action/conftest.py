"""Helpers of the action tests: run action.yml's `run:` steps the way the runner does."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..conftest import GIT_ENV

REPO_ROOT = Path(__file__).resolve().parents[2]
ACTION = REPO_ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def load_action() -> dict[str, Any]:
    """action.yml as data."""
    data = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def read_outputs(path: Path) -> dict[str, str]:
    """The ``name=value`` lines a step appended to ``$GITHUB_OUTPUT``."""
    if not path.is_file():
        return {}
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


@dataclass
class StepRun:
    """What running the action's steps produced."""

    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str] = field(default_factory=dict)
    step_outputs: dict[str, dict[str, str]] = field(default_factory=dict)


def run_action_steps(
    workspace: Path,
    temp: Path,
    inputs: Mapping[str, str],
    env: Mapping[str, str],
    *,
    preset: Mapping[str, Mapping[str, str]] | None = None,
    source_on_path: bool = True,
) -> StepRun:
    """Run every ``run:`` step of action.yml in ``workspace``, as a composite action runs them.

    ``uses:`` steps are skipped; ``preset`` gives the outputs of steps not to run
    (``{"install": {"python": ...}}`` skips the install). Expressions are resolved for
    ``inputs.*`` (with the action's defaults), ``steps.<id>.outputs.*`` and ``github.action_path``.
    ``source_on_path`` puts the source tree on PYTHONPATH (for a preset install).
    """
    action = load_action()
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update(inputs)
    steps: dict[str, dict[str, str]] = {k: dict(v) for k, v in (preset or {}).items()}
    stdout = stderr = ""
    code = 0

    def resolve(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            expr = match.group(1)
            if expr.startswith("inputs."):
                return values[expr[len("inputs."):]]
            if expr == "github.action_path":
                return str(REPO_ROOT)
            found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            if found:
                return steps.get(found.group(1), {}).get(found.group(2), "")
            raise AssertionError(f"expression not understood by the test runner: {expr}")

        return EXPRESSION.sub(one, text)

    for step in action["runs"]["steps"]:
        if "run" not in step or step.get("id") in (preset or {}):
            continue
        assert step.get("shell") == "bash"
        output_file = temp / f"output-{step.get('id', 'step')}"
        output_file.write_text("")
        step_env = {**os.environ, **GIT_ENV, **env, "GITHUB_OUTPUT": str(output_file),
                    "GITHUB_ACTION_PATH": str(REPO_ROOT)}
        if source_on_path:
            step_env["PYTHONPATH"] = str(REPO_ROOT)
        else:
            step_env.pop("PYTHONPATH", None)
        step_env.update({k: resolve(str(v)) for k, v in (step.get("env") or {}).items()})
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", resolve(step["run"])],
                              cwd=workspace, env=step_env, capture_output=True, text=True, check=False, timeout=300)
        stdout += done.stdout
        stderr += done.stderr
        steps[str(step.get("id"))] = read_outputs(output_file)
        code = done.returncode
        if code != 0:
            break
    outputs = {name: resolve(str(spec["value"])) for name, spec in action["outputs"].items()}
    return StepRun(code, stdout, stderr, outputs, steps)
