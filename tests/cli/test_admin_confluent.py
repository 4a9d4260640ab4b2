"""Registry commands against the real Confluent backend and the Confluent-API test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_schemafed.cli import main
from pytest_schemafed.registry import default_registry

from ..servers.confluent_server import ConfluentTestServer
from .conftest import COMPATIBLE, V1

pytestmark = pytest.mark.skipif("confluent" not in default_registry().backends,
                                reason="confluent backend not registered")


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ConfluentTestServer]:
    """A registry holding users-value v1, v2 at global BACKWARD; cwd has a config naming it `prod`."""
    with ConfluentTestServer(global_level="BACKWARD") as registry:
        registry.register("users-value", V1)
        registry.register("users-value", COMPATIBLE)
        registry.set_level("FULL", "users-value")
        (tmp_path / "schemafed.yaml").write_text(
            f"registries:\n  - id: prod\n    type: confluent\n    url: {registry.url}\n    retries: 0\n")
        monkeypatch.chdir(tmp_path)
        yield registry


def test_registries__confluent_reachable_with_global_level(server: ConfluentTestServer,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """`registries` asks the registry's global level and times the answer."""
    assert main(["registries"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("prod"))
    assert "reachable" in line and line.endswith("BACKWARD")


def test_find__confluent_latest_version(server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """`find users-value` shows version 2 on prod."""
    assert main(["find", "users-value"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("prod"))
    assert line.split()[2] == "2"


def test_levels__confluent_subject_level(server: ConfluentTestServer, capsys: pytest.CaptureFixture[str]) -> None:
    """`levels prod users-value` prints the global and the subject's own level."""
    assert main(["levels", "prod", "users-value"]) == 0
    assert capsys.readouterr().out.splitlines() == ["global: BACKWARD", "users-value: FULL"]
