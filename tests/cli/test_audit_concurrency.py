"""`audit` runs its subjects concurrently, bounded by the registry's max_in_flight (counted at the server),
says which judge it used, and offers the registry's own judge where there is one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed.cli import main

from ..servers.confluent_server import ConfluentTestServer
from .conftest import BREAKING, COMPATIBLE, V1


class InFlight:
    """Wraps the server's router: counts requests being answered at once (each held 20 ms)."""

    def __init__(self, route: Callable[..., Any]) -> None:
        self.route = route
        self.now = 0
        self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, *args: Any) -> Any:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        try:
            time.sleep(0.02)
            return self.route(*args)
        finally:
            with self.lock:
                self.now -= 1


def configure(root: Path, url: str, max_in_flight: int) -> None:
    """schemafed.yaml naming the registry at ``url`` `prod`."""
    (root / "schemafed.yaml").write_text(f"registries:\n  - id: prod\n    type: confluent\n    url: {url}\n"
                                         f"    retries: 0\n    max_in_flight: {max_in_flight}\n")


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ConfluentTestServer, InFlight]]:
    """40 subjects of two compatible versions, one (s-07) whose v2 breaks v1; requests counted in flight."""
    with ConfluentTestServer(global_level="BACKWARD") as registry:
        for n in range(40):
            registry.register(f"s-{n:02d}", V1)
            registry.register(f"s-{n:02d}", BREAKING if n == 7 else COMPATIBLE)
        counter = InFlight(registry.route)
        registry.route = counter  # type: ignore[method-assign]
        monkeypatch.chdir(tmp_path)
        yield registry, counter


@pytest.mark.parametrize("limit", [1, 6])
def test_audit__requests_in_flight_reach_but_never_pass_max_in_flight(
        server: tuple[ConfluentTestServer, InFlight], tmp_path: Path, limit: int,
        capsys: pytest.CaptureFixture[str]) -> None:
    """With max_in_flight N the server sees more than one request at once (N > 1), never more than N."""
    registry, counter = server
    configure(tmp_path, registry.url, limit)
    assert main(["audit", "prod", "--level", "BACKWARD"]) == 1
    assert "s-07:\n  version 2 vs 1: READER_FIELD_MISSING_DEFAULT_VALUE" in capsys.readouterr().out
    assert counter.peak <= limit
    assert counter.peak > 1 or limit == 1


def test_audit__says_which_judge(server: tuple[ConfluentTestServer, InFlight], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The default judge is named: the local engine."""
    configure(tmp_path, server[0].url, 8)
    assert main(["audit", "prod", "--level", "BACKWARD", "--subjects", "s-0*"]) == 1
    assert capsys.readouterr().out.startswith("judge: local engine")
    assert not any(p.startswith("/compatibility") for _, p in server[0].requests)


def test_audit__registry_judge_asks_the_registry_per_pair(server: tuple[ConfluentTestServer, InFlight],
                                                          tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--judge registry: each v2 is POSTed against v1 (no local engine); the registry's break is a violation."""
    registry = server[0]
    configure(tmp_path, registry.url, 8)
    assert main(["audit", "prod", "--judge", "registry", "--subjects", "s-0*"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("judge: registry")
    assert "s-07:\n  version 2 vs 1: REGISTRY_INCOMPATIBLE at /: " in out
    posts = [p for m, p in registry.requests if m == "POST"]
    assert sorted(posts) == [f"/compatibility/subjects/s-0{n}/versions/1?verbose=true" for n in range(10)]


def test_audit__registry_judge_cannot_answer_for_another_level(server: tuple[ConfluentTestServer, InFlight],
                                                               tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The registry checks at the subject's own level only: --level FULL on BACKWARD subjects is not judged."""
    registry = server[0]
    registry.set_level("FULL", "s-01")
    configure(tmp_path, registry.url, 8)
    assert main(["audit", "prod", "--judge", "registry", "--level", "FULL", "--subjects", "s-0[12]"]) == 1
    out = capsys.readouterr().out
    assert "s-02:\n  version 2: LEVEL_NOT_JUDGED at /: the registry judges at the subject's own level BACKWARD, " \
           "not at FULL" in out
    assert "s-01:" not in out
    assert [p for m, p in registry.requests if m == "POST"] == ["/compatibility/subjects/s-01/versions/1?verbose=true"]


def test_audit__local_judge_needs_a_level(server: tuple[ConfluentTestServer, InFlight], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Without --level (and the local judge) it is a usage error, nothing is asked."""
    configure(tmp_path, server[0].url, 8)
    assert main(["audit", "prod"]) == 2
    assert "--level is required with the local judge" in capsys.readouterr().err
    assert server[0].requests == []
