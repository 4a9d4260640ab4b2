"""Canary secrets through every output path of a real run, against hostile servers; then grep everything.

One project, one canary per kind of secret (basic password, bearer token, OAuth client
secret, URL user info, a custom header, AWS secret key and session token), registries on
servers that echo the request headers in their error bodies, redirect to another origin,
trickle bytes and refuse connections. Each mode runs ``pytest`` (or the ``schemafed``
command) in a subprocess; every byte of its stdout, stderr and every file it wrote is
searched for every form of every canary: raw, percent-encoded, base64 of ``user:secret``.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from tests.conftest import git, write_files
from tests.servers.hostile_http import HostileServer, refused_url

CANARIES = {
    "password": "canaryPASSWORD-b7e1f0",
    "token": "canaryTOKEN-4c2d9a",
    "oauth_secret": "canaryOAUTH-9f13ee",
    "url_password": "canaryURLPW-61d0",
    "header": "canaryHEADER-2a8b77",
    "aws_secret": "canaryAWSSECRET-0c9d5e31",
    "aws_session": "canaryAWSSESSION-7e4f21aa",
}
USERS = {"password": "canary-user", "oauth_secret": "canary-client", "url_password": "url-user"}
SERVER_TOKEN = "canarySERVERTOKEN-55ab"
AVRO = '{"type": "record", "name": "T", "fields": [{"name": "a", "type": "string"}]}'


def forms() -> dict[str, str]:
    """Every form of every canary a leak could take: label -> text."""
    out: dict[str, str] = {}
    for kind, value in {**CANARIES, "server_token": SERVER_TOKEN}.items():
        out[f"{kind} raw"] = value
        out[f"{kind} url-encoded"] = quote(f"/{value}/", safe="")[3:-3]
        out[f"{kind} base64"] = base64.b64encode(value.encode()).decode().rstrip("=")
        if kind in USERS:
            pair = f"{USERS[kind]}:{value}"
            out[f"{kind} user:secret"] = pair
            out[f"{kind} base64(user:secret)"] = base64.b64encode(pair.encode()).decode().rstrip("=")
            out[f"{kind} quote_plus(user:secret)"] = quote_plus(pair)
    return out


class Hostile:
    """The servers of the canary project."""

    def __init__(self) -> None:
        self.echo = HostileServer("echo", token=SERVER_TOKEN).start()
        self.other = HostileServer("record").start()
        self.redirect = HostileServer("redirect", target=self.other.url).start()
        self.trickle = HostileServer("trickle", interval=0.5, length=200).start()
        self.refused = refused_url()

    def stop(self) -> None:
        for server in (self.echo, self.other, self.redirect, self.trickle):
            server.stop()


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    servers = Hostile()
    yield servers
    servers.stop()


CONFIG = """
schemafed: true
schemas:
  - path: "schemas/*.avsc"
    subject: "{{stem}}-value"
registries:
  - id: basic
    type: confluent
    url: {echo}
    auth: {{username: canary-user, password: "${{CANARY_PASSWORD}}"}}
    retries: 1
  - id: bearer
    type: confluent
    url: {echo}
    auth: {{token: "${{CANARY_TOKEN}}"}}
    headers: {{X-Api-Key: "${{CANARY_HEADER}}"}}
    retries: 0
  - id: oauth
    type: unity_catalog
    url: {echo}
    auth: {{client_id: canary-client, client_secret: "${{CANARY_OAUTH}}"}}
    tables: main.events.{{stem}}
    retries: 0
  - id: userinfo
    type: confluent
    url: "${{CANARY_URL}}"
    retries: 0
  - id: redirected
    type: confluent
    url: {redirect}
    headers: {{X-Api-Key: "${{CANARY_HEADER}}"}}
    auth: {{username: canary-user, password: "${{CANARY_PASSWORD}}"}}
  - id: trickle
    type: confluent
    url: {trickle}
    auth: {{token: "${{CANARY_TOKEN}}"}}
    headers: {{X-Api-Key: "${{CANARY_HEADER}}"}}
    timeout: {{read: 3, total: 2}}
    retries: 0
  - id: down
    type: confluent
    url: "${{CANARY_DOWN_URL}}"
    retries: 1
  - id: glue
    type: glue
    registry_name: events
    region: eu-west-1
    endpoint_url: {echo}
    max_attempts: 1
"""

LEAKY_TEST = '''
import os
from pytest_schemafed.backends.http import AuthSettings, HttpClient, HttpSettings
from pytest_schemafed.secrets import Secret


def test_api_user_calls_the_client_against_the_echo_server():
    """A user's own test that calls the Python API and fails with a traceback (--showlocals)."""
    password = Secret(os.environ["CANARY_PASSWORD"])
    client = HttpClient(HttpSettings(base_url=os.environ["ECHO_URL"], backend_id="api", retries=0,
                                     auth=AuthSettings(username="canary-user", password=password)))
    client.request("GET", "config")
'''


def _project(root: Path, hostile: Hostile) -> dict[str, str]:
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"schemas/t.avsc": AVRO})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    write_files(root, {
        "schemafed.yaml": CONFIG.format(echo=hostile.echo.url, redirect=hostile.redirect.url,
                                        trickle=hostile.trickle.url),
        "test_api.py": LEAKY_TEST,
    })
    url_with_userinfo = hostile.echo.url.replace("http://", f"http://url-user:{CANARIES['url_password']}@")
    return {
        "CANARY_PASSWORD": CANARIES["password"], "CANARY_TOKEN": CANARIES["token"],
        "CANARY_OAUTH": CANARIES["oauth_secret"], "CANARY_URL": url_with_userinfo,
        "CANARY_HEADER": CANARIES["header"], "CANARY_DOWN_URL": hostile.refused.replace(
            "http://", f"http://url-user:{CANARIES['url_password']}@"),
        "ECHO_URL": hostile.echo.url,
        "AWS_ACCESS_KEY_ID": "AKIACANARYKEYID00001", "AWS_SECRET_ACCESS_KEY": CANARIES["aws_secret"],
        "AWS_SESSION_TOKEN": CANARIES["aws_session"], "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": "/nonexistent/aws-config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
        "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(root / "gh-step-summary.md"),
    }


PYTEST_MODES = {
    "log_cli DEBUG, showlocals, junit all, every report": [
        "-v", "-rA", "--showlocals", "--tb=long", "-o", "log_cli=true", "--log-cli-level=DEBUG",
        "--log-level=DEBUG", "--junitxml=junit.xml", "-o", "junit_logging=all",
        "--schemafed-report", "json=report.json", "--schemafed-report", "sarif=report.sarif",
        "--schemafed-report", "summary=summary.md"],
    "captured logs INFO, -rA, junit system-out": [
        "-rA", "--showlocals", "--log-level=INFO", "--junitxml=junit2.xml", "-o", "junit_logging=system-out",
        "--schemafed-report", "json=report2.json"],
    # the workers' reports cross to the controller: masked in the worker, before they travel
    "pytest-xdist -n 2, junit all, every report": [
        "-n", "2", "-v", "-rA", "--showlocals", "--tb=long", "--log-level=DEBUG", "--junitxml=junit3.xml",
        "-o", "junit_logging=all", "--schemafed-report", "json=report3.json",
        "--schemafed-report", "sarif=report3.sarif", "--schemafed-report", "summary=summary3.md"],
}
COMMANDS = {
    "schemafed registries": ["registries"],
    "schemafed subjects basic": ["subjects", "basic"],
    "schemafed levels userinfo": ["levels", "userinfo"],
    "schemafed find t-value": ["find", "t-value"],
    "schemafed check": ["check", "schemas/t.avsc"],
}


def _run(root: Path, env: dict[str, str], argv: list[str]) -> str:
    full_env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(sys.path)}
    full_env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run([sys.executable, *argv], cwd=root, env=full_env, capture_output=True, text=True,
                          timeout=300, check=False)
    return done.stdout + "\n" + done.stderr


def _artifacts(root: Path) -> str:
    texts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".git" not in path.parts and path.name not in ("schemafed.yaml", "test_api.py"):
            texts.append(f"==> {path.relative_to(root)}\n" + path.read_text(errors="replace"))
    return "\n".join(texts)


def _leaks(text: str) -> list[str]:
    return [label for label, form in forms().items() if form in text]


@pytest.mark.parametrize("mode", list(PYTEST_MODES))
def test_canaries__no_form_of_any_secret_in_any_pytest_output(tmp_path: Path, hostile: Hostile, mode: str) -> None:
    """Terminal (-v, -rA, --showlocals), log_cli, captured logs, JUnit, JSON, SARIF, Markdown, GitHub: no canary."""
    root = tmp_path / "project"
    root.mkdir()
    env = _project(root, hostile)
    output = _run(root, env, ["-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider",
                              *PYTEST_MODES[mode]])
    everything = output + _artifacts(root)
    assert "t.avsc::basic" in output and "t.avsc::glue" in output, output[-3000:]  # the run really ran
    assert "redirects to another origin" in everything and "timeout.total=2s" in everything
    assert hostile.other.requests == [], "a credential-bearing request reached another origin"
    assert hostile.echo.requests, "the echo server saw nothing: the canaries were never sent"
    assert _leaks(everything) == [], everything[-6000:]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_canaries__no_form_of_any_secret_in_schemafed_command_output(tmp_path: Path, hostile: Hostile,
                                                                     command: str) -> None:
    """The schemafed command's output and what it wrote hold no canary either."""
    root = tmp_path / "project"
    root.mkdir()
    env = _project(root, hostile)
    output = _run(root, env, ["-m", "pytest_schemafed.cli", *COMMANDS[command]])
    assert output.strip(), "the command said nothing"
    assert _leaks(output + _artifacts(root)) == [], output[-4000:]
    assert hostile.other.requests == []


def test_canaries__the_echo_server_really_received_every_http_canary(tmp_path: Path, hostile: Hostile) -> None:
    """The suite can fail: the servers were sent the canaries (so a leak would have had something to leak)."""
    root = tmp_path / "project"
    root.mkdir()
    env = _project(root, hostile)
    _run(root, env, ["-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", "-q"])
    seen = "\n".join(f"{r.headers} {r.body!r}" for r in hostile.echo.requests + hostile.redirect.requests
                     + hostile.trickle.requests)
    for label in ("password base64(user:secret)", "token raw", "oauth_secret base64(user:secret)",
                  "url_password base64(user:secret)", "header raw", "aws_session raw"):
        assert forms()[label] in seen, label
