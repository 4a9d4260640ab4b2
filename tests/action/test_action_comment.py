"""The action's steps against a local GitHub API: the sticky PR comment, shallow clones, folding,
annotation limits, outputs and the summary."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..cli.conftest import BREAKING, COMPATIBLE, EMAIL_LINE, V1
from ..conftest import git, write_files
from ..servers.github_api import FakeGitHub
from .conftest import REPO_ROOT, StepRun, run_action_steps

sys.path.insert(0, str(REPO_ROOT / "action"))
import comment  # action/comment.py, imported as run.py imports it

INSTALLED = {"install": {"python": sys.executable}}
MARKER = "<!-- schemafed:pr-comment -->"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    """The API of acme/schemas with pull request #7."""
    with FakeGitHub(issues={7}) as api:
        yield api


@pytest.fixture
def origin(tmp_path: Path) -> tuple[Path, str]:
    """A bare origin: main (released schemas) and feature (user.avsc breaks); (origin, base sha)."""
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    write_files(work, {"schemas/user.avsc": V1, "schemas/order.avsc": V1.replace("User", "Order")})
    git(work, "add", "-A")
    git(work, "commit", "-qm", "released")
    base = git(work, "rev-parse", "HEAD").strip()
    git(work, "checkout", "-qb", "feature")
    (work / "schemas/user.avsc").write_text(BREAKING)
    git(work, "commit", "-qam", "add email")
    bare = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    return bare, base


def shallow_clone(origin: Path, into: Path) -> Path:
    """What actions/checkout does by default: the head commit alone (depth 1)."""
    git(into.parent, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{origin}", str(into))
    return into


def env_for(repo: Path, temp: Path, base: str, api: FakeGitHub, event: str = "pull_request") -> dict[str, str]:
    """The runner's variables for a pull_request job on acme/schemas #7."""
    head = git(repo, "rev-parse", "HEAD").strip()
    payload = temp / "event.json"
    payload.write_text(json.dumps({"pull_request": {"number": 7, "base": {"sha": base}, "head": {"sha": head}}}
                                  if event == "pull_request" else {"before": base, "after": head}))
    return {"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(repo), "GITHUB_EVENT_PATH": str(payload),
            "GITHUB_EVENT_NAME": event, "RUNNER_TEMP": str(temp), "GITHUB_STEP_SUMMARY": str(temp / "summary.md"),
            "GITHUB_API_URL": api.url, "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": api.repository,
            "GITHUB_RUN_ID": "99", "GITHUB_SHA": head}


def run(repo: Path, temp: Path, base: str, api: FakeGitHub, event: str = "pull_request", **inputs: str) -> StepRun:
    """The action's steps (install preset to this interpreter) with the job token."""
    return run_action_steps(repo, temp, {"github-token": api.token, **inputs}, env_for(repo, temp, base, api, event),
                            preset=INSTALLED)


@pytest.fixture
def temp(tmp_path: Path) -> Path:
    """RUNNER_TEMP."""
    (tmp_path / "runner-temp").mkdir()
    return tmp_path / "runner-temp"


def test_comment__two_runs_one_comment_created_then_updated(origin: tuple[Path, str], tmp_path: Path, temp: Path,
                                                            github: FakeGitHub) -> None:
    """Run 1 (a break) creates the comment with a link to the line; run 2 (fixed) edits it: all compatible."""
    bare, base = origin
    repo = shallow_clone(bare, tmp_path / "clone")
    first = run(repo, temp, base, github)
    assert first.returncode == 1, first.stdout + first.stderr
    [posted] = github.of_issue(7)
    head = git(repo, "rev-parse", "HEAD").strip()
    assert posted["body"].startswith(MARKER + "\n## ❌ schemafed: 1 incompatible, 1 compatible")
    assert f"](https://github.com/acme/schemas/blob/{head}/schemas/user.avsc#L{EMAIL_LINE}) on `git`: " \
           "`READER_FIELD_MISSING_DEFAULT_VALUE`" in posted["body"]
    assert "| [`schemas/user.avsc`]" in posted["body"] and "| ❌ incompatible |" in posted["body"]
    assert first.outputs["comment-url"] == posted["html_url"]

    (repo / "schemas/user.avsc").write_text(COMPATIBLE)
    git(repo, "commit", "-qam", "email with a default")
    second = run(repo, temp, base, github)
    assert second.returncode == 0, second.stdout + second.stderr
    [edited] = github.of_issue(7)
    assert edited["id"] == posted["id"] and edited["updated_at"] != posted["created_at"]
    assert edited["body"].startswith(MARKER + "\n## ✅ schemafed: all compatible (2 checks)")
    assert "### Findings" not in edited["body"]
    writes = [(m, p) for m, p in github.requests if m != "GET"]
    assert writes == [("POST", "/repos/acme/schemas/issues/7/comments"),
                      ("PATCH", f"/repos/acme/schemas/issues/comments/{posted['id']}")]


def test_comment__found_on_a_later_page(origin: tuple[Path, str], tmp_path: Path, temp: Path,
                                        github: FakeGitHub) -> None:
    """With 150 review comments before it, the marker comment is found on page 2 (Link: rel=next) and edited."""
    bare, base = origin
    repo = shallow_clone(bare, tmp_path / "clone")
    for n in range(150):
        github.add_comment(7, f"looks good {n}")
    ours = github.add_comment(7, f"{MARKER}\nold results", login="github-actions[bot]")
    run(repo, temp, base, github)
    assert len(github.of_issue(7)) == 151
    assert github.comments[ours["id"]]["body"].startswith(MARKER + "\n## ❌")
    assert ("GET", "/repositories/4242/issues/7/comments") in github.requests
    assert not any(m == "POST" for m, _ in github.requests)


@pytest.mark.parametrize(("token", "read_only", "said"), [
    ("ghs_wrong", False, "HTTP 401 Bad credentials"),
    (None, True, "HTTP 403 Resource not accessible by integration"),
])
def test_comment__refused_is_a_warning_not_a_verdict(origin: tuple[Path, str], tmp_path: Path, temp: Path,
                                                     github: FakeGitHub, token: str | None, read_only: bool,
                                                     said: str) -> None:
    """A wrong or read-only (fork) token: one ::warning naming GitHub's answer; the step keeps the gate's exit."""
    bare, base = origin
    repo = shallow_clone(bare, tmp_path / "clone")
    github.read_only = read_only
    done = run_action_steps(repo, temp, {"github-token": token or github.token}, env_for(repo, temp, base, github),
                            preset=INSTALLED)
    warnings = [line for line in done.stdout.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1 and said in warnings[0], done.stdout
    assert (token or github.token) not in done.stdout + done.stderr or token is None
    assert done.returncode == 1 and done.outputs["incompatible"] == "1" and done.outputs["comment-url"] == ""
    assert github.of_issue(7) == []


def test_comment__push_event_and_comment_false_call_no_api(origin: tuple[Path, str], tmp_path: Path, temp: Path,
                                                           github: FakeGitHub) -> None:
    """No pull request (a push), or `comment: false`: GitHub is never asked."""
    bare, base = origin
    repo = shallow_clone(bare, tmp_path / "clone")
    run(repo, temp, base, github, event="push")
    run(repo, temp, base, github, comment="false")
    assert github.requests == []


def test_shallow_clone__base_sha_fetched_alone_and_compared(origin: tuple[Path, str], tmp_path: Path, temp: Path,
                                                            github: FakeGitHub) -> None:
    """A depth-1 clone lacks the base commit: the action fetches that one commit and compares with it."""
    bare, base = origin
    repo = shallow_clone(bare, tmp_path / "clone")
    assert subprocess.run(["git", "cat-file", "-e", f"{base}^{{commit}}"], cwd=repo, check=False).returncode != 0
    done = run(repo, temp, base, github, comment="false")
    assert f"git fetch --no-tags --depth=1 origin {base}" in done.stdout
    assert done.returncode == 1 and done.outputs["incompatible"] == "1" and done.outputs["errors"] == "0", \
        done.stdout + done.stderr
    assert git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"  # still no history: just the base commit beside
    git(repo, "cat-file", "-e", f"{base}^{{commit}}")


def test_shallow_clone__unreachable_origin_one_clear_error(origin: tuple[Path, str], tmp_path: Path, temp: Path,
                                                           github: FakeGitHub) -> None:
    """When origin cannot give the commit: a ::warning for the fetch, then the gate's one error line."""
    bare, base = origin
    repo = shallow_clone(bare, tmp_path / "clone")
    git(repo, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    done = run(repo, temp, base, github, comment="false")
    assert done.returncode == 1 and done.outputs["errors"] == "1"
    assert sum(line.startswith("::warning") and "could not fetch" in line for line in done.stdout.splitlines()) == 1
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and "shallow" in errors[0], done.stdout


def test_log__pytest_output_folded(origin: tuple[Path, str], tmp_path: Path, temp: Path, github: FakeGitHub) -> None:
    """The pytest output sits between ::group:: and ::endgroup::."""
    bare, base = origin
    repo = shallow_clone(bare, tmp_path / "clone")
    out = run(repo, temp, base, github, comment="false").stdout
    start, end = out.index("::group::schemafed check"), out.index("::endgroup::")
    assert start < out.index("test session starts") < end


def test_annotations__limit_most_important_and_the_rest_counted(tmp_path: Path, temp: Path,
                                                                github: FakeGitHub) -> None:
    """15 breaking files x 2 findings: 10 ::error (one per file first), one ::notice, the summary says 20 more."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_files(repo, {f"schemas/s{n:02d}.avsc": V1 for n in range(15)})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "released")
    base = git(repo, "rev-parse", "HEAD").strip()
    two = BREAKING.replace('{"name": "email", "type": "string"}',
                           '{"name": "email", "type": "string"},\n    {"name": "phone", "type": "string"}')
    write_files(repo, {f"schemas/s{n:02d}.avsc": two for n in range(15)})
    git(repo, "commit", "-qam", "two fields without default each")
    done = run(repo, temp, base, github, comment="false")
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 10
    assert len({re.search(r"file=([^,]+)", e).group(1) for e in errors}) == 10  # type: ignore[union-attr]
    notices = [line for line in done.stdout.splitlines() if line.startswith("::notice")]
    assert len(notices) == 1 and "20 more errors are not annotated" in notices[0]
    summary = (temp / "summary.md").read_text()
    assert "> 20 more errors are not annotated (GitHub shows 10 of each per step)" in summary
    assert summary.count("`READER_FIELD_MISSING_DEFAULT_VALUE`") == 30
    assert done.outputs["incompatible"] == "15"


def test_render__warnings_errors_and_all_compatible(tmp_path: Path) -> None:
    """From a report: advisories under Warnings (item still compatible), errors under Could not check."""
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"format": "pytest-schemafed-report", "schema_version": 2, "items": [
        {"file": "a.avsc", "registry": "prod", "subject": "a", "outcome": "compatible", "versions": ["3"],
         "findings": [{"rule": "ENUM_SYMBOL_ADDED", "message": "readers without it fail", "path": "/fields/0",
                       "line": 4, "end_line": 6, "version": "3", "direction": "forward", "severity": "warning"}]},
        {"file": "b.avsc", "registry": "prod", "subject": "b", "outcome": "error", "error": "HTTP 503",
         "findings": []},
    ]}))
    body = comment.render(comment.read_report(report), comment.Links("https://ghe.example", "o/r", "f" * 40))
    assert "### Warnings\n\n- ⚠️ [a.avsc line 4](https://ghe.example/o/r/blob/" + "f" * 40 + "/a.avsc#L4-L6)" in body
    assert "### Could not check\n\n- ⚠️ `b.avsc` on `prod`: HTTP 503" in body
    assert "### Findings" not in body and body.startswith(MARKER + "\n## ❌ schemafed: 1 error, 1 compatible")


@pytest.mark.parametrize(("doc", "said"), [
    ({"format": "other"}, "is not a pytest-schemafed JSON report"),
    ({"format": "pytest-schemafed-report", "items": {}}, "report.items is {}"),
    ({"format": "pytest-schemafed-report", "items": [{"file": "a", "registry": "r", "outcome": "maybe"}]},
     "items[0].outcome is 'maybe'"),
    ({"format": "pytest-schemafed-report", "items": [{"file": "a", "registry": "r", "outcome": "compatible",
                                                     "findings": [{"rule": "X", "line": "4"}]}]},
     "items[0].findings[0].line is '4'"),
])
def test_read_report__unknown_shape_is_one_line(tmp_path: Path, doc: dict[str, object], said: str) -> None:
    """A report whose shape the comment does not know stops with one line naming the field."""
    report = tmp_path / "r.json"
    report.write_text(json.dumps(doc))
    with pytest.raises(comment.ReportShapeError, match=re.escape(said)):
        comment.read_report(report)


def test_render__stays_within_githubs_body_limit(tmp_path: Path) -> None:
    """5000 findings: the body stays under 65536 characters and says how many more there are."""
    findings = [{"rule": "R", "message": "m" * 40, "path": f"/fields/{n}", "line": n + 1} for n in range(5000)]
    items = comment.read_report(_write(tmp_path, [{"file": "a.avsc", "registry": "prod", "outcome": "incompatible",
                                                   "findings": findings}]))
    body = comment.render(items, comment.Links("https://github.com", "o/r", "a" * 40))
    assert len(body) <= comment.MAX_BODY and re.search(r"… and \d+ more \(see the job summary\)", body)


def _write(folder: Path, items: list[dict[str, object]]) -> Path:
    path = folder / "report.json"
    path.write_text(json.dumps({"format": "pytest-schemafed-report", "version": 1, "items": items}))
    return path
