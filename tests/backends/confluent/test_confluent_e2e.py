"""`pytest --schemafed` with Confluent-API registries: several registries, a down one, no leaked secret."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import git, write_files
from tests.servers.confluent_server import ConfluentTestServer

from .conftest import T_ADD_B_NO_DEFAULT, T_V1

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
Server = Callable[..., ConfluentTestServer]
CANARY = "canary-7c1e-do-not-print"
DEV_KEY = "dev-pass-51ab"
PROD_TOKEN = "prod-token-88fe"


def _repo(root: Path, config: str, files: dict[str, str]) -> None:
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"schemas/t.avsc": T_V1, "schemas/u.avsc": T_V1})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    write_files(root, {"schemafed.yaml": config, **files})


def test_three_registries__two_confluent_with_different_auth_and_git(
        pytester: pytest.Pytester, make_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """dev (Karapace, basic auth), prod (Confluent, bearer) and git in one run: items per registry, counts each."""
    dev = make_server("karapace", basic=("dev-key", DEV_KEY))
    prod = make_server("confluent", bearer=PROD_TOKEN)
    for server in (dev, prod):
        server.register("t-value", T_V1)
        server.register("u-value", T_V1)
    prod.register("t-value", T_ADD_B_NO_DEFAULT)  # prod already holds the change: compatible there
    monkeypatch.setenv("DEV_SR_PASSWORD", DEV_KEY)
    monkeypatch.setenv("PROD_SR_TOKEN", PROD_TOKEN)
    _repo(pytester.path, f"""
schemas:
  - path: "schemas/*.avsc"
    subject: "{{stem}}-value"
registries:
  - id: dev
    type: confluent
    url: {dev.url}
    auth: {{username: dev-key, password: "${{DEV_SR_PASSWORD}}"}}
  - id: prod
    type: confluent
    url: {prod.url}
    auth: {{token: "${{PROD_SR_TOKEN}}"}}
  - id: base
    type: git
    ref: main
""", {"schemas/t.avsc": T_ADD_B_NO_DEFAULT})
    result = pytester.runpytest_subprocess("--schemafed-only", "-v", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines_random([
        "*schemas/t.avsc::dev FAILED*", "*schemas/t.avsc::prod PASSED*", "*schemas/t.avsc::base FAILED*",
        "*schemas/u.avsc::dev PASSED*", "*schemas/u.avsc::prod PASSED*", "*schemas/u.avsc::base PASSED*",
    ])
    result.stdout.fnmatch_lines_random(["base: 1 compatible, 1 incompatible*", "dev: 1 compatible, 1 incompatible*",
                                        "prod: 2 compatible, 0 incompatible*", "*the registry says: incompatible*"])
    assert set(dev.method_counts()) | set(prod.method_counts()) <= {"GET", "POST"}
    assert DEV_KEY not in result.stdout.str() and PROD_TOKEN not in result.stdout.str()


def test_down_registry__its_items_fail_with_one_line_others_run(
        pytester: pytest.Pytester, make_server: Server) -> None:
    """A registry nobody listens on fails its own items with one line naming it; the live one's items pass."""
    live = make_server("karapace")
    live.register("t-value", T_V1)
    live.register("u-value", T_V1)
    _repo(pytester.path, f"""
schemas:
  - path: "schemas/*.avsc"
    subject: "{{stem}}-value"
registries:
  - id: live
    type: confluent
    url: {live.url}
  - id: gone
    type: confluent
    url: http://127.0.0.1:9
    retries: 0
""", {})
    result = pytester.runpytest_subprocess("--schemafed-only", "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines_random([
        "*schemas/t.avsc::live PASSED*", "*schemas/t.avsc::gone FAILED*",
        "*registry 'gone': cannot connect to http://127.0.0.1:9 (*Connection refused); check the url*"])
    assert "Traceback" not in result.stdout.str()


def test_canary_secret__never_in_output_or_reports(
        pytester: pytest.Pytester, make_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong password (the canary) gives one 401 line per registry; the canary is in no output or report."""
    server = make_server("confluent", basic=("key", "the-real-pass-0d9"))
    server.register("t-value", T_V1)
    monkeypatch.setenv("SR_PASSWORD", CANARY)
    _repo(pytester.path, f"""
schemas:
  - path: "schemas/*.avsc"
    subject: "{{stem}}-value"
registries:
  - id: prod
    type: confluent
    url: {server.url}
    auth: {{username: key, password: "${{SR_PASSWORD}}"}}
    headers: {{X-Canary: "{CANARY}-header"}}
""", {})
    reports = pytester.path / "reports"
    result = pytester.runpytest_subprocess(
        "--schemafed-only", "-v", "-p", "no:cacheprovider", "--junitxml", str(reports / "junit.xml"),
        "--schemafed-report", f"json={reports / 'out.json'}", "--schemafed-report", f"sarif={reports / 'out.sarif'}",
        "--schemafed-report", f"summary={reports / 'summary.md'}")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*registry 'prod': the registry refused the credentials (HTTP 401 at *"
                                 "check auth.username and auth.password*"])
    written = [p for p in reports.iterdir() if p.is_file()]
    assert len(written) == 4
    for text in [result.stdout.str(), result.stderr.str(), *(p.read_text() for p in written)]:
        assert CANARY not in text
    assert len(server.requests) <= 2  # at most the checks already in flight; no retry of a refused login


def test_xdist__no_more_requests_with_workers_than_in_one_process(
        pytester: pytest.Pytester, make_server: Server) -> None:
    """`-n 2` sends the registry no more requests than a single process for the same 8 schemas."""
    server = make_server("karapace")
    names = [f"s{i}" for i in range(8)]
    for name in names[:6]:  # two are new subjects
        server.register(f"{name}-value", T_V1)
    git(pytester.path, "init", "-q", "-b", "main")
    write_files(pytester.path, {f"schemas/{n}.avsc": T_V1 for n in names})
    write_files(pytester.path, {"schemafed.yaml": f"""
schemas:
  - path: "schemas/*.avsc"
    subject: "{{stem}}-value"
registries:
  - id: sr
    type: confluent
    url: {server.url}
"""})
    counts = []
    for extra in ([], ["-n", "2"]):
        before = len(server.requests)
        result = pytester.runpytest_subprocess("--schemafed-only", "-p", "no:cacheprovider", *extra)
        result.assert_outcomes(passed=6, skipped=2)
        counts.append(len(server.requests) - before)
    assert counts[0] == 6 * 3 + 2 * 2 and counts[1] <= counts[0]
