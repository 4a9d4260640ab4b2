"""Schema bodies cached across runs: the same verdicts with and without the cache, nothing new ever hidden."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed.backends.base import BackendSpec
from pytest_schemafed.config import Settings
from pytest_schemafed.gate import Gate
from pytest_schemafed.model import Check, Level, SchemaSource, Verdict
from pytest_schemafed.registry import default_registry
from tests.servers.confluent_server import ConfluentTestServer

V1 = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "string"}]})
V2 = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "string"},
                                                           {"name": "b", "type": "int", "default": 0}]})
LOCAL_OK = V2
LOCAL_BREAKS = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "int"}]})


def _judge(tmp_path: Path, url: str, cache: dict[str, Any] | None,
           level: Level | None = None) -> dict[str, Verdict]:
    spec = BackendSpec(id="sr", type="confluent", options={"url": url, "retries": 0})
    gate = Gate(Settings(source="test", registries=(spec,)), default_registry(), tmp_path, level=level, workers=0,
                cache_get=cache.get if cache is not None else None,
                cache_set=cache.__setitem__ if cache is not None else None)
    checks = []
    for i, text in enumerate([LOCAL_OK, LOCAL_BREAKS, LOCAL_OK]):
        path = tmp_path / f"s{i}.avsc"
        path.write_text(text)
        source = SchemaSource(path=path, relpath=path.name, format="avro", subject=f"s{i}-value")
        checks.append(Check(source=source, backend_id="sr", subject=f"s{i}-value", level=level))
    gate.evaluate(checks)
    gate.close()
    return {key[0]: verdict for key, verdict in gate.verdicts.items()}


def _outcomes(verdicts: dict[str, Verdict]) -> dict[str, tuple[str, tuple[str, ...], int]]:
    return {k: (v.outcome.value, v.versions, len(v.findings)) for k, v in verdicts.items()}


@pytest.mark.parametrize("level", [None, Level.FULL_TRANSITIVE], ids=["own-level", "forced-transitive"])
def test_cache__same_verdicts_and_no_body_fetched_twice(
        make_server: Callable[..., ConfluentTestServer], tmp_path: Path, level: Level | None) -> None:
    """Judged with and without the cache: the same verdicts; the rerun fetches no version body."""
    server = make_server("karapace")
    for i in range(2):
        server.register(f"s{i}-value", V1)
        server.register(f"s{i}-value", V2)
    uncached = _judge(tmp_path, server.url, None, level)
    cache: dict[str, Any] = {}
    first = _judge(tmp_path, server.url, cache, level)
    before = len(server.requests)
    second = _judge(tmp_path, server.url, cache, level)
    rerun = [p for _, p in server.requests[before:]]
    assert _outcomes(uncached) == _outcomes(first) == _outcomes(second)
    assert {k: v[0] for k, v in _outcomes(second).items()} == {
        "s0.avsc": "compatible", "s1.avsc": "incompatible", "s2.avsc": "new"}
    registered = ("/subjects/s0-value/versions/", "/subjects/s1-value/versions/")
    assert not [p for p in rerun if p.startswith(registered)], rerun  # no body of a registered version again


def test_cache__a_version_registered_between_runs_is_judged(
        make_server: Callable[..., ConfluentTestServer], tmp_path: Path) -> None:
    """The cache never hides a new version: the listing is asked anew, and the new latest is compared."""
    server = make_server("karapace")
    server.register("s0-value", V1)
    cache: dict[str, Any] = {}
    first = _judge(tmp_path, server.url, cache)
    server.register("s0-value", V2)
    second = _judge(tmp_path, server.url, cache)
    assert first["s0.avsc"].versions == ("1",)
    assert second["s0.avsc"].versions == ("2",)
