"""Fixtures for the Glue backend: one moto server per session, reset before each test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed.backends.base import BackendSpec, Judge, RunContext
from pytest_schemafed.backends.glue import GlueBackend
from tests.backends.glue.glue_helpers import BACKEND_ID, REGISTRY
from tests.servers.moto_glue import FAKE_ENV, REGION, MotoGlue


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials only: no AWS variable, profile file or instance metadata of the host."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in FAKE_ENV.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoGlue]:
    """moto in server mode on 127.0.0.1, started once for the session."""
    server = MotoGlue()
    yield server
    server.stop()


@pytest.fixture
def moto(moto_server: MotoGlue, aws_env: None) -> MotoGlue:
    """The moto server, emptied, holding one registry ``events`` in eu-west-1."""
    moto_server.reset()
    moto_server.create_registry("events")
    return moto_server


@pytest.fixture
def make_backend(moto: MotoGlue, tmp_path: Path) -> Iterator[Callable[..., GlueBackend]]:
    """Build a GlueBackend pointed at moto; options override the defaults."""
    made: list[GlueBackend] = []

    def make(client: Any = None, **options: Any) -> GlueBackend:
        values = {"registry_name": "events", "region": REGION, "endpoint_url": moto.url, "max_attempts": 2}
        values.update(options)
        values = {k: v for k, v in values.items() if v is not None}
        spec = BackendSpec(id=BACKEND_ID, type="glue", options=values)
        backend = GlueBackend(spec, RunContext(rootdir=tmp_path, registry=REGISTRY), client=client)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def judge() -> Judge:
    """The gate's local judge over the registered formats."""
    from pytest_schemafed.gate import local_judge

    return local_judge(REGISTRY)
