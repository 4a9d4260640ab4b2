"""Registry commands against the real Confluent backend and the Confluent-API test server (Karapace answers)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.confluent import ConfluentBackend
from pytest_schemafed.cli import main
from pytest_schemafed.errors import BackendProtocolError
from pytest_schemafed.model import Level
from pytest_schemafed.registry import default_registry

from ..servers.confluent_server import ConfluentTestServer
from .conftest import COMPATIBLE, V1

pytestmark = pytest.mark.skipif("confluent" not in default_registry().backends,
                                reason="confluent backend not registered")


def _t(*fields: dict[str, Any]) -> str:
    return json.dumps({"type": "record", "name": "T", "fields": list(fields)})


# Each version is FULL-compatible with the one before it, but version 3 (a: int) cannot read
# version 1's data (a: string) nor the other way round: FULL holds, FULL_TRANSITIVE does not.
T_V1 = _t({"name": "a", "type": "string", "default": ""})
T_V2 = _t()
T_V3 = _t({"name": "a", "type": "int", "default": 0})
JSON_V1 = json.dumps({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False})
JSON_V2 = json.dumps({"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": False})


def write_config(root: Path, url: str) -> None:
    """schemafed.yaml naming the registry at ``url`` `prod` (no retries)."""
    (root / "schemafed.yaml").write_text(
        f"registries:\n  - id: prod\n    type: confluent\n    url: {url}\n    retries: 0\n")


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ConfluentTestServer]:
    """users-value v1, v2 (own level FULL) and t-value v1..v3 (global BACKWARD); cwd names the registry `prod`."""
    with ConfluentTestServer(global_level="BACKWARD") as registry:
        registry.register("users-value", V1)
        registry.register("users-value", COMPATIBLE)
        registry.set_level("FULL", "users-value")
        for text in (T_V1, T_V2, T_V3):
            registry.register("t-value", text)
        write_config(tmp_path, registry.url)
        monkeypatch.chdir(tmp_path)
        yield registry


def puts(server: ConfluentTestServer) -> list[tuple[str, Any]]:
    """The PUT requests the registry received, with their bodies."""
    paths = [p for m, p in server.requests if m == "PUT"]
    return [(p, b) for p, b in server.bodies if p in paths]


def test_registries__confluent_reachable_with_global_level(server: ConfluentTestServer,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """`registries` pings the registry (GET /config), times it and shows its global level."""
    assert main(["registries"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("prod"))
    assert "reachable" in line and " ms " in line and line.endswith("BACKWARD")


def test_find__confluent_latest_version(server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """`find users-value` shows version 2 on prod, an Avro schema (no schemaType in the answer)."""
    assert main(["find", "users-value"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("prod"))
    assert line.split()[2:4] == ["2", "AVRO"]


def test_find__unknown_subject_not_registered(server: ConfluentTestServer,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`find` of a subject the registry does not hold says so, exit 0."""
    assert main(["find", "nope-value"]) == 0
    assert "not registered" in capsys.readouterr().out


def test_subjects__karapace_ignores_prefix_so_the_list_is_filtered_locally(
        server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """subjectPrefix is sent; Karapace answers every subject; only users-value is printed."""
    assert main(["subjects", "prod", "--prefix", "users"]) == 0
    assert capsys.readouterr().out.split() == ["users-value"]
    assert ("GET", "/subjects?subjectPrefix=users") in server.requests


def test_subjects__all_sorted(server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --prefix every subject is printed, one a line."""
    assert main(["subjects", "prod"]) == 0
    assert capsys.readouterr().out.split() == ["t-value", "users-value"]


def test_levels__confluent_subject_level(server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """`levels prod users-value` prints the global and the subject's own level."""
    assert main(["levels", "prod", "users-value"]) == 0
    assert capsys.readouterr().out.splitlines() == ["global: BACKWARD", "users-value: FULL"]
    assert ("GET", "/config/users-value?defaultToGlobal=false") in server.requests


def test_levels__every_subject_own_or_global(server: ConfluentTestServer,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """`levels prod` lists each subject: its own level, or the global one marked as such (40408)."""
    assert main(["levels", "prod"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "global: BACKWARD", "t-value: BACKWARD (global)", "users-value: FULL"]


def test_levels__unknown_subject_not_registered(server: ConfluentTestServer,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Karapace answers 40401 for an unknown subject's config: printed as not registered."""
    assert main(["levels", "prod", "nope-value"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "nope-value: not registered"


def test_audit__full_transitive_violation_names_subject_and_versions(
        server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """t-value's version 3 breaks version 1 at FULL_TRANSITIVE: exit 1, subject, versions and rule named."""
    assert main(["audit", "prod", "--level", "FULL_TRANSITIVE"]) == 1
    out = capsys.readouterr().out
    section = out.split("t-value:\n", 1)[1]
    assert "  version 3 vs 1: " in section and "/fields/0" in section
    assert "version 3 vs 2" not in out and "version 2 vs 1" not in out
    assert "users-value:" not in out
    assert "audit of prod at FULL_TRANSITIVE: 2 subject(s), 1 with violations" in out


def test_audit__full_holds_for_the_same_history(server: ConfluentTestServer,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Compared only with the version before each, the same histories satisfy FULL: exit 0."""
    assert main(["audit", "prod", "--level", "FULL"]) == 0
    assert "2 subject(s), 0 with violations" in capsys.readouterr().out


def test_audit__glob_selects_subjects(server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """`--subjects 'users-*'` audits users-value alone (asked with subjectPrefix=users-)."""
    assert main(["audit", "prod", "--level", "FULL_TRANSITIVE", "--subjects", "users-*"]) == 0
    assert "1 subject(s), 0 with violations" in capsys.readouterr().out
    assert ("GET", "/subjects?subjectPrefix=users-") in server.requests


def test_audit__json_schema_type_from_registry(server: ConfluentTestServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON subject (schemaType JSON) is audited by the JSON Schema engine, not read as Avro."""
    server.register("j-value", JSON_V1, "JSON")
    server.register("j-value", JSON_V2, "JSON")
    assert main(["audit", "prod", "--level", "BACKWARD", "--subjects", "j-value"]) == 1
    out = capsys.readouterr().out
    assert "j-value:\n  version 2 vs 1: " in out and "VERSION_UNREADABLE" not in out


def test_audit__schema_type_changed_within_a_subject(server: ConfluentTestServer,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON version registered under NONE after an Avro one (Karapace allows it) is a violation."""
    server.register("mixed-value", T_V1)
    server.register("mixed-value", '{"type": "object"}', "JSON")
    assert main(["audit", "prod", "--level", "BACKWARD", "--subjects", "mixed-value"]) == 1
    assert "version 2 vs 1: VERSION_SCHEMA_TYPE_CHANGED at /: version 2 is json, version 1 is avro" \
        in capsys.readouterr().out


def test_levels_set__dry_run_without_yes_sends_no_put(server: ConfluentTestServer,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Without --yes: the plan and the audit are printed, exit 0, and nothing is written."""
    assert main(["levels", "set", "prod", "FULL_TRANSITIVE", "--subject", "users-value"]) == 0
    out = capsys.readouterr().out
    assert "subject users-value: FULL -> FULL_TRANSITIVE" in out and "dry run" in out
    assert "PUT" not in server.method_counts()
    assert server.levels["users-value"] == "FULL"


def test_levels_set__refused_on_violations(server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """Global FULL_TRANSITIVE would govern t-value, whose history breaks it: refused, exit 1, no PUT."""
    assert main(["levels", "set", "prod", "FULL_TRANSITIVE", "--yes"]) == 1
    out = capsys.readouterr().out
    assert "global: BACKWARD -> FULL_TRANSITIVE" in out
    assert "1 subject(s) follow the global level; 1 keep their own level" in out
    assert "version 3 vs 1" in out and "refused" in out
    assert "PUT" not in server.method_counts() and server.global_level == "BACKWARD"


def test_levels_set__force_yes_sends_put_config(server: ConfluentTestServer,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """--force --yes writes despite the violations: PUT /config {"compatibility": "FULL_TRANSITIVE"}."""
    assert main(["levels", "set", "prod", "FULL_TRANSITIVE", "--yes", "--force"]) == 0
    out = capsys.readouterr().out
    assert "--force: applying although" in out and "set global to FULL_TRANSITIVE" in out
    assert puts(server) == [("/config", {"compatibility": "FULL_TRANSITIVE"})]
    assert main(["levels", "prod", "t-value"]) == 0
    assert capsys.readouterr().out.splitlines() == ["global: FULL_TRANSITIVE", "t-value: FULL_TRANSITIVE (global)"]


def test_levels_set__subjects_with_own_level_are_not_audited_for_global(
        server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """With its own level, t-value is not governed by the global level: the change is applied."""
    server.set_level("BACKWARD", "t-value")
    assert main(["levels", "set", "prod", "FULL_TRANSITIVE", "--yes"]) == 0
    assert "0 subject(s) follow the global level; 2 keep their own level" in capsys.readouterr().out
    assert puts(server) == [("/config", {"compatibility": "FULL_TRANSITIVE"})]


def test_levels_set__subject_yes_sends_put_config_subject(server: ConfluentTestServer) -> None:
    """`--subject users-value --yes` writes that subject's level only."""
    assert main(["levels", "set", "prod", "FULL_TRANSITIVE", "--subject", "users-value", "--yes"]) == 0
    assert puts(server) == [("/config/users-value", {"compatibility": "FULL_TRANSITIVE"})]
    assert server.levels["users-value"] == "FULL_TRANSITIVE" and server.global_level == "BACKWARD"


def test_levels_set__unknown_level_exit_2(server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """A level that does not exist is a usage error naming the accepted ones; nothing is sent."""
    assert main(["levels", "set", "prod", "STRICT", "--yes"]) == 2
    assert "expected one of NONE, BACKWARD" in capsys.readouterr().err
    assert server.requests == []


def test_set_level__registry_refusal_42203_is_a_protocol_error(server: ConfluentTestServer,
                                                                tmp_path: Path) -> None:
    """A 422 / 42203 answer to the PUT becomes a BackendProtocolError quoting the registry."""
    spec = BackendSpec(id="prod", type="confluent", options={"url": server.url, "retries": 0})
    backend = ConfluentBackend(spec, RunContext(rootdir=tmp_path, registry=default_registry()))
    server.fail(422, {"error_code": 42203, "message": "Invalid compatibility level"}, path="/config")
    with pytest.raises(BackendProtocolError, match="refuses the level FULL: Invalid compatibility level"):
        backend.set_level(Level.FULL)
    backend.close()


@pytest.fixture
def closed_port_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """cwd names a registry `prod` on a local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    write_config(tmp_path, f"http://127.0.0.1:{port}")
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("argv", [
    ["subjects", "prod"],
    ["levels", "prod", "users-value"],
    ["audit", "prod", "--level", "FULL"],
    ["levels", "set", "prod", "FULL", "--yes"],
    ["registries"],
    ["find", "users-value"],
])
def test_exit_3__registry_unreachable(closed_port_config: None, argv: list[str],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Every registry command exits 3 when the registry cannot be reached, saying so."""
    assert main(argv) == 3
    captured = capsys.readouterr()
    assert "127.0.0.1" in captured.out + captured.err
