"""Step 3 of action.yml: run ``schemafed check`` with the action's inputs, set its outputs.

Reads the inputs from ``INPUT_*`` variables (set by action.yml), the default ``against``
from the event payload (the pull request's base SHA, else the push's ``before``), runs
the gate, writes ``incompatible``, ``errors`` and ``report`` to ``$GITHUB_OUTPUT``, and
exits according to ``fail-on``. Standard library only: it runs in the action's venv.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

NO_COMMIT = re.compile(r"^0+$")
FAIL_ON = ("incompatible", "error", "never")


def flag(name: str, default: bool = True) -> bool:
    """A boolean input (``true``/``false``)."""
    value = os.environ.get(f"INPUT_{name}", "").strip().lower()
    return default if not value else value in ("true", "yes", "1", "on")


def text(name: str) -> str:
    """A string input, stripped."""
    return os.environ.get(f"INPUT_{name}", "").strip()


def event_against(environ: dict[str, str]) -> str | None:
    """The pull request's base SHA, else the push's ``before`` (not for a new branch)."""
    path = environ.get("GITHUB_EVENT_PATH")
    if not path or not Path(path).is_file():
        return None
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError:
        return None
    base = ((event.get("pull_request") or {}).get("base") or {}).get("sha")
    if isinstance(base, str) and base:
        return base
    before = event.get("before")
    if isinstance(before, str) and before and not NO_COMMIT.match(before):
        return before
    return None


def command(report: Path, environ: dict[str, str]) -> list[str]:
    """The ``schemafed check`` command line for the inputs."""
    cmd = [sys.executable, "-m", "pytest_schemafed.cli", "check"]
    cmd += text("PATHS").split()
    if text("CONFIG"):
        cmd += ["--config", text("CONFIG")]
    against = text("AGAINST") or event_against(environ)
    if against:
        cmd += ["--against", against]
    for registry in re.split(r"[,\s]+", text("REGISTRIES")):
        if registry:
            cmd += ["--registry", registry]
    if text("LEVEL"):
        cmd += ["--level", text("LEVEL")]
    github = [part for part, on in (("annotations", flag("ANNOTATIONS")), ("summary", flag("SUMMARY"))) if on]
    cmd += ["--report", f"json={report}", "--report", "github=" + (",".join(github) or "none")]
    if text("SARIF"):
        cmd += ["--report", f"sarif={text('SARIF')}"]
    cmd += shlex.split(text("ARGS"))
    return cmd


def set_outputs(values: dict[str, str], environ: dict[str, str]) -> None:
    """Append ``name=value`` lines to ``$GITHUB_OUTPUT`` (printed when it is not set)."""
    lines = "".join(f"{k}={v}\n" for k, v in values.items())
    target = environ.get("GITHUB_OUTPUT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(lines)
    else:
        sys.stdout.write(lines)


def summarize_failure(message: str, environ: dict[str, str]) -> None:
    """When the gate could not run at all, say so in the job summary too."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if target and flag("SUMMARY"):
        with open(target, "a", encoding="utf-8") as out:
            out.write(f"## schemafed: could not run\n\n```\n{message}\n```\n")


def main() -> int:
    """Run the gate; the exit code follows ``fail-on``."""
    environ = dict(os.environ)
    fail_on = text("FAIL_ON").lower() or "incompatible"
    if fail_on not in FAIL_ON:
        print(f"::error title=schemafed::fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
        return 2
    folder = Path(environ.get("RUNNER_TEMP") or tempfile.mkdtemp(prefix="schemafed-"))
    report = folder / "schemafed-report.json"
    report.unlink(missing_ok=True)
    cmd = command(report, environ)
    print("$ schemafed " + " ".join(shlex.quote(c) for c in cmd[3:]), flush=True)
    done = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, check=False)
    sys.stderr.write(done.stderr)
    incompatible = errors = 0
    if report.is_file():
        summary = json.loads(report.read_text(encoding="utf-8")).get("summary", {})
        incompatible, errors = int(summary.get("incompatible", 0)), int(summary.get("error", 0))
    elif done.returncode != 0:
        errors = 1
        said = [line for line in done.stderr.splitlines() if line.startswith("schemafed: error:")]
        summarize_failure("\n".join(said) or f"schemafed check exited with {done.returncode}", environ)
    set_outputs({"incompatible": str(incompatible), "errors": str(errors),
                 "report": str(report) if report.is_file() else "", "exit-code": str(done.returncode)}, environ)
    if fail_on == "never":
        return 0
    if fail_on == "error":
        return 1 if errors or done.returncode in (2, 3) else 0
    return 1 if done.returncode != 0 or incompatible or errors else 0


if __name__ == "__main__":
    sys.exit(main())
