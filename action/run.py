"""The gate step of action.yml: run ``schemafed check`` with the action's inputs, set its outputs.

Reads the inputs from ``INPUT_*`` variables (set by action.yml), the default ``against``
from the event payload (the pull request's base SHA, else the push's ``before``). In a
shallow clone that lacks that commit it fetches it alone (``git fetch --depth=1 origin
SHA``): the gate compares with the base commit itself, not with the merge-base, which
would need the history in between (see docs/github-action.md). The pytest output is
folded (``::group::``); the annotations and the summary come from the plugin. Then it
posts or edits the sticky pull request comment (:mod:`comment`), writes ``incompatible``,
``errors``, ``report`` and ``comment-url`` to ``$GITHUB_OUTPUT``, and exits according to
``fail-on``. Standard library only: it runs in the action's venv.
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
SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
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


def git(*args: str) -> subprocess.CompletedProcess[str]:
    """``git ARGS`` in the workspace (the current folder)."""
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False, timeout=300)


def ensure_commit(ref: str) -> None:
    """Fetch ``ref`` alone from ``origin`` when a shallow clone does not have it.

    A ref that is not a commit SHA (a branch name) or a clone that is not shallow is left
    to the gate, whose error says what is missing.
    """
    if git("cat-file", "-e", f"{ref}^{{commit}}").returncode == 0:
        return
    if git("rev-parse", "--is-shallow-repository").stdout.strip() != "true" or not SHA.match(ref):
        return
    print(f"schemafed: fetching {ref} (the clone is shallow): git fetch --no-tags --depth=1 origin {ref}",
          flush=True)
    done = git("fetch", "--no-tags", "--depth=1", "origin", ref)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["git fetch failed"])[-1]
        print(f"::warning title=schemafed::could not fetch {ref} from origin: {escape(last)}", flush=True)


def escape(message: str) -> str:
    """A workflow command's message, escaped."""
    return message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command(report: Path, environ: dict[str, str], against: str | None) -> list[str]:
    """The ``schemafed check`` command line for the inputs."""
    cmd = [sys.executable, "-m", "pytest_schemafed.cli", "check"]
    cmd += text("PATHS").split()
    if text("CONFIG"):
        cmd += ["--config", text("CONFIG")]
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


def event(environ: dict[str, str]) -> dict[str, object]:
    """The event payload (``{}`` when there is none)."""
    path = environ.get("GITHUB_EVENT_PATH")
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def post_comment(report: Path, environ: dict[str, str]) -> str:
    """Create or edit the sticky pull request comment; its URL ("" when none was posted).

    A comment that cannot be posted (a fork's read-only token, the API down) is a
    ``::warning``: the verdict is the step's status and the annotations, not the comment.
    """
    import comment

    found = comment.pull_request(event(environ))
    if found is None:
        print("schemafed: not a pull request event: no PR comment", flush=True)
        return ""
    number, head = found
    token = environ.get("INPUT_GITHUB_TOKEN", "")
    repository = environ.get("GITHUB_REPOSITORY", "")
    if not token or not repository:
        print("::warning title=schemafed::no PR comment: github-token or GITHUB_REPOSITORY is empty", flush=True)
        return ""
    try:
        items = comment.read_report(report)
        unused = comment.read_unused_waivers(report)
    except comment.ReportShapeError as exc:
        print(f"::error title=schemafed::no PR comment: {escape(str(exc))}", flush=True)
        return ""
    links = comment.Links(server=environ.get("GITHUB_SERVER_URL", "https://github.com"), repository=repository,
                          sha=head or environ.get("GITHUB_SHA", ""), prefix=workspace_prefix(environ),
                          run_url=run_url(environ))
    body = comment.render(items, links, version=report_tool_version(report), unused_waivers=unused)
    api = comment.GitHub(environ.get("GITHUB_API_URL", "https://api.github.com"), token, repository)
    try:
        action, url = api.upsert(number, body)
    except comment.GitHubError as exc:
        print(f"::warning title=schemafed::the PR comment could not be posted: {escape(str(exc))}", flush=True)
        return ""
    print(f"schemafed: PR comment {action}: {url}", flush=True)
    return url


def workspace_prefix(environ: dict[str, str]) -> str:
    """The current folder's place in ``$GITHUB_WORKSPACE`` (``dir/`` or ``""``)."""
    workspace = environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return ""
    try:
        rel = Path.cwd().resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel + "/"


def run_url(environ: dict[str, str]) -> str:
    """The URL of this workflow run."""
    parts = [environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")]
    return f"{parts[0]}/{parts[1]}/actions/runs/{parts[2]}" if all(parts) else ""


def report_tool_version(report: Path) -> str:
    """The pytest-schemafed version named in the report ("" when it does not say)."""
    try:
        tool = json.loads(report.read_text(encoding="utf-8")).get("tool") or {}
    except (OSError, ValueError, AttributeError):
        return ""
    return str(tool.get("version") or "") if isinstance(tool, dict) else ""


def comment_wanted(environ: dict[str, str]) -> bool:
    """The ``comment`` input (default on), for pull request events only."""
    return flag("COMMENT") and environ.get("GITHUB_EVENT_NAME", "") in ("pull_request", "pull_request_target")


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
    against = text("AGAINST") or event_against(environ)
    if against:
        ensure_commit(against)
    cmd = command(report, environ, against)
    print("::group::schemafed check (pytest output)", flush=True)
    print("$ schemafed " + " ".join(shlex.quote(c) for c in cmd[3:]), flush=True)
    done = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, check=False)
    sys.stderr.write(done.stderr)
    sys.stderr.flush()
    print("::endgroup::", flush=True)
    incompatible = errors = 0
    if report.is_file():
        summary = json.loads(report.read_text(encoding="utf-8")).get("summary", {})
        incompatible, errors = int(summary.get("incompatible", 0)), int(summary.get("error", 0))
    elif done.returncode != 0:
        errors = 1
        said = [line for line in done.stderr.splitlines() if line.startswith("schemafed: error:")]
        summarize_failure("\n".join(said) or f"schemafed check exited with {done.returncode}", environ)
    url = post_comment(report, environ) if report.is_file() and comment_wanted(environ) else ""
    set_outputs({"incompatible": str(incompatible), "errors": str(errors),
                 "report": str(report) if report.is_file() else "", "exit-code": str(done.returncode),
                 "comment-url": url}, environ)
    if fail_on == "never":
        return 0
    if fail_on == "error":
        return 1 if errors or done.returncode in (2, 3) else 0
    return 1 if done.returncode != 0 or incompatible or errors else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # comment.py beside this file
    sys.exit(main())
