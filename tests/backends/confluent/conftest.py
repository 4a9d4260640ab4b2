"""Shared helpers of the Confluent-API backend tests: a test registry, a backend on it, checks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.confluent import ConfluentBackend
from pytest_schemafed.gate import local_judge
from pytest_schemafed.model import Check, Level
from pytest_schemafed.registry import default_registry
from tests.checks import make_check as _make_check
from tests.servers.confluent_server import ConfluentTestServer

T_V1 = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "string"}]})
T_ADD_B_DEFAULT = json.dumps({"type": "record", "name": "T", "fields": [
    {"name": "a", "type": "string"}, {"name": "b", "type": "int", "default": 0}]})
T_ADD_B_NO_DEFAULT = json.dumps({"type": "record", "name": "T", "fields": [
    {"name": "a", "type": "string"}, {"name": "b", "type": "int"}]}, indent=2)
T_A_INT = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "int"}]})
T_EMPTY = json.dumps({"type": "record", "name": "T", "fields": []})


@pytest.fixture
def make_server() -> Iterator[Callable[..., ConfluentTestServer]]:
    """Start test registries (``make_server(flavour, **options)``); all stop at teardown."""
    started: list[ConfluentTestServer] = []

    def make(flavour: str = "karapace", **options: Any) -> ConfluentTestServer:
        server = ConfluentTestServer(flavour, **options).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


class Sleeps(list[float]):
    """Records the waits the HTTP layer asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    """The retry waits of backends built by ``make_backend``."""
    return Sleeps()


@pytest.fixture
def make_backend(tmp_path: Path, sleeps: Sleeps) -> Iterator[Callable[..., ConfluentBackend]]:
    """Build a ConfluentBackend (id ``prod``) on a URL with the given options; closed at teardown."""
    made: list[ConfluentBackend] = []

    def make(url: str, *, backend_id: str = "prod", cache: dict[str, Any] | None = None,
             transport: httpx.BaseTransport | None = None, **options: Any) -> ConfluentBackend:
        context = RunContext(rootdir=tmp_path, registry=default_registry())
        if cache is not None:
            context.cache_get = cache.get
            context.cache_set = cache.__setitem__
        spec = BackendSpec(id=backend_id, type="confluent", options={"url": url, "retries": 2, **options})
        backend = ConfluentBackend(spec, context, transport=transport, sleep=sleeps)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


def make_check(text: str, subject: str = "t-value", *, fmt: str = "avro", level: Level | None = None,
               references: dict[str, str] | None = None, backend_id: str = "prod") -> Check:
    """A check of ``text`` (parsed as the real gate does) against ``subject``."""
    return _make_check(text, fmt=fmt, subject=subject, level=level, backend_id=backend_id, references=references)


@pytest.fixture
def judge() -> Any:
    """The gate's local judge."""
    return local_judge(default_registry())
