"""Verdict.error_kind, set by the gate, decides `schemafed check`'s exit code: 1 for the file, 3 for the registry."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pytest_schemafed.backends.base import Backend
from pytest_schemafed.config import load_settings
from pytest_schemafed.gate import Gate
from pytest_schemafed.model import Check, ErrorKind, History, HistoryVersion, Outcome, Verdict
from pytest_schemafed.registry import Registry, fill_registry, make_plugin_manager

from ..servers.confluent_server import ConfluentTestServer
from .conftest import COMPATIBLE, V1, run_schemafed

CONFLUENT = "registries:\n  - id: prod\n    type: confluent\n    url: {url}\n    retries: 0\n"


class GarbageBackend(Backend):
    """Holds one registered version that no Avro parser accepts."""

    type_name = "garbage"
    options: ClassVar = {}

    def history(self, check: Check) -> History:
        return History((HistoryVersion("1", '{"type": "nosuchtype"}'),))


@pytest.fixture
def registry() -> Registry:
    """The built-in formats and backends plus ``type: garbage``."""
    reg = fill_registry(make_plugin_manager().hook)
    reg.add_backend("garbage", GarbageBackend)
    return reg


def verdict_of(root: Path, registry: Registry, relpath: str) -> Verdict:
    """The gate's verdict for ``relpath`` against the first configured registry."""
    gate = Gate(load_settings(root, registry), registry, root)
    try:
        source = gate.source_for(root / relpath)
        assert source is not None
        check = gate.plan(source, next(iter(gate.specs)))
        return gate.verdict(check)
    finally:
        gate.close()


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server() -> Iterator[ConfluentTestServer]:
    """A Karapace-like registry holding subject `user` (the default subject of user.avsc) v1."""
    with ConfluentTestServer() as registry:
        registry.register("user", V1)
        yield registry


def test_error_kind__local_file_that_does_not_parse_is_schema(make_repo: Callable[..., Path],
                                                              registry: Registry) -> None:
    """A local .avsc that is not JSON: an error verdict of kind "schema"."""
    root = make_repo({"schemafed.yaml": "registries:\n  - id: junk\n    type: garbage\n", "user.avsc": "{oops"})
    verdict = verdict_of(root, registry, "user.avsc")
    assert (verdict.outcome, verdict.error_kind) == (Outcome.ERROR, "schema")


def test_error_kind__registered_version_that_does_not_parse_is_registry(make_repo: Callable[..., Path],
                                                                        registry: Registry) -> None:
    """A valid local file against an unparsable registered version: kind "registry"."""
    root = make_repo({"schemafed.yaml": "registries:\n  - id: junk\n    type: garbage\n", "user.avsc": V1})
    verdict = verdict_of(root, registry, "user.avsc")
    assert (verdict.outcome, verdict.error_kind) == (Outcome.ERROR, "registry")
    assert verdict.error is not None and "registered version cannot be parsed" in verdict.error


def test_error_kind__unreachable_registry_is_registry(make_repo: Callable[..., Path], registry: Registry) -> None:
    """A Confluent registry nobody answers for: kind "registry"."""
    config = CONFLUENT.format(url=f"http://127.0.0.1:{closed_port()}")
    root = make_repo({"schemafed.yaml": config, "user.avsc": V1})
    verdict = verdict_of(root, registry, "user.avsc")
    assert (verdict.outcome, verdict.error_kind) == (Outcome.ERROR, "registry")


def test_error_kind__registry_rejects_local_schema_as_invalid_is_schema(
        make_repo: Callable[..., Path], registry: Registry, server: ConfluentTestServer) -> None:
    """422 / 42201 to the compatibility check (the registry finds the file invalid): kind "schema"."""
    root = make_repo({"schemafed.yaml": CONFLUENT.format(url=server.url), "schemas/user.avsc": COMPATIBLE})
    server.fail(422, {"error_code": 42201, "message": "Invalid AVRO schema"}, path="/compatibility")
    verdict = verdict_of(root, registry, "schemas/user.avsc")
    assert (verdict.outcome, verdict.error_kind) == (Outcome.ERROR, "schema")


def test_to_dict__carries_error_kind() -> None:
    """The plain-builtins form of a verdict keeps error_kind (reports, pytest-xdist)."""
    assert Verdict.failed("down", ErrorKind.REGISTRY).to_dict()["error_kind"] == "registry"


def test_check_exit_1__registry_says_local_file_is_invalid(
        make_repo: Callable[..., Path], server: ConfluentTestServer) -> None:
    """`schemafed check` exits 1 (not 3) when the registry rejects the file itself."""
    root = make_repo({"schemafed.yaml": CONFLUENT.format(url=server.url), "schemas/user.avsc": COMPATIBLE})
    server.fail(422, {"error_code": 42201, "message": "Invalid AVRO schema"}, path="/compatibility")
    done = run_schemafed(root, "check")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "rejects the schema as invalid" in done.stdout


def test_check_exit_3__registry_unreachable(make_repo: Callable[..., Path]) -> None:
    """`schemafed check` exits 3 when the registry cannot be reached."""
    config = CONFLUENT.format(url=f"http://127.0.0.1:{closed_port()}")
    root = make_repo({"schemafed.yaml": config, "schemas/user.avsc": COMPATIBLE})
    done = run_schemafed(root, "check")
    assert done.returncode == 3, done.stdout + done.stderr


def test_check_exit_1__local_file_does_not_parse(make_repo: Callable[..., Path], server: Any) -> None:
    """`schemafed check` exits 1 for a local file that cannot be parsed, registry reachable or not."""
    root = make_repo({"schemafed.yaml": CONFLUENT.format(url=server.url), "schemas/user.avsc": "{oops"})
    done = run_schemafed(root, "check")
    assert done.returncode == 1, done.stdout + done.stderr
