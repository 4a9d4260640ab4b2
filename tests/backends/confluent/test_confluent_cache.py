"""Schema bodies cached across runs by id: the same verdicts with and without the cache, nothing new ever hidden.

A (subject, version) pair is not immutable: after a permanent delete the number goes to the
next registration. So a cached body is used only once ``GET /schemas/ids/{id}/versions``
confirms, in this run, that the version still is that id (:mod:`pytest_schemafed.backends.confluent_cache`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from pytest_schemafed.backends.base import BackendSpec
from pytest_schemafed.backends.confluent import ConfluentBackend
from pytest_schemafed.config import Settings
from pytest_schemafed.gate import Gate
from pytest_schemafed.model import Check, Level, SchemaSource, Verdict
from pytest_schemafed.registry import default_registry
from tests.conftest import git, write_files
from tests.servers.confluent_server import ConfluentTestServer

from .conftest import T_A_INT, T_V1, make_check

V1 = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "string"}]})
V2 = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "string"},
                                                           {"name": "b", "type": "int", "default": 0}]})
LOCAL_OK = V2
LOCAL_BREAKS = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "int"}]})
OUTER = json.dumps({"type": "record", "name": "Outer", "fields": [{"name": "t", "type": "T"}]})
Server = Callable[..., ConfluentTestServer]


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


def _outcomes(verdicts: dict[str, Verdict]) -> dict[str, tuple[Any, ...]]:
    """What a verdict says: outcome, versions compared, the rules found, and the notes (a disagreement too)."""
    return {k: (v.outcome.value, v.versions, tuple(f.rule for f in v.findings), v.notes) for k, v in verdicts.items()}


def _kind(path: str) -> str:
    path = path.split("?")[0]
    if path.startswith("/schemas/ids/"):
        return "confirmation"
    if path.startswith("/compatibility/"):
        return "check"
    if path.startswith("/config"):
        return "config"
    if path.endswith("/versions/latest"):
        return "latest"
    return "listing" if path.endswith("/versions") else "version body" if "/versions/" in path else "other"


def _kinds(server: ConfluentTestServer, since: int) -> Counter[str]:
    return Counter(_kind(p) for _, p in server.requests[since:])


def _delete(server: ConfluentTestServer, path: str) -> None:
    """Soft, then permanent delete, as a registry admin does it."""
    for query in ("", "?permanent=true"):
        assert httpx.delete(f"{server.url}{path}{query}", timeout=10).status_code == 200


@pytest.mark.parametrize("level", [None, Level.FULL_TRANSITIVE], ids=["own-level", "forced-transitive"])
def test_rerun__no_body_fetched_twice_listings_config_and_checks_asked_fresh(
        make_server: Server, tmp_path: Path, level: Level | None) -> None:
    """Judged with and without the cache: the same verdicts; the rerun fetches no version body, asks each
    listing, config and check again, and confirms each held body with a body-free request."""
    server = make_server("karapace")
    for i in range(2):
        server.register(f"s{i}-value", V1)
        server.register(f"s{i}-value", V2)
    uncached = _judge(tmp_path, server.url, None, level)
    cache: dict[str, Any] = {}
    before = len(server.requests)
    first = _judge(tmp_path, server.url, cache, level)
    asked_first = _kinds(server, before)
    before = len(server.requests)
    second = _judge(tmp_path, server.url, cache, level)
    asked_second = _kinds(server, before)
    assert _outcomes(uncached) == _outcomes(first) == _outcomes(second)
    assert {k: v[0] for k, v in _outcomes(second).items()} == {
        "s0.avsc": "compatible", "s1.avsc": "incompatible", "s2.avsc": "new"}
    registered = ("/subjects/s0-value/versions/", "/subjects/s1-value/versions/")
    assert not [p for _, p in server.requests[before:] if p.startswith(registered)]  # no body of theirs again
    for kind in ("listing", "config", "check"):
        assert asked_second[kind] == asked_first[kind] > 0, kind
    assert asked_second["confirmation"] > 0 and asked_first["confirmation"] == 0


@pytest.mark.parametrize("flavour", ["karapace", "confluent"])
@pytest.mark.parametrize("deleted", ["version", "subject"])
@pytest.mark.parametrize("level", [None, Level.FULL_TRANSITIVE], ids=["own-level", "forced-transitive"])
def test_rerun__a_hard_deleted_number_given_to_a_breaking_schema_is_judged_anew(
        make_server: Server, tmp_path: Path, flavour: str, deleted: str, level: Level | None) -> None:
    """Version 2 hard-deleted (alone, or with its subject) and registered again as a breaking schema between
    two runs: the second run compares with the new version 2, exactly as a run without the cache does."""
    server = make_server(flavour)
    server.register("s0-value", V1)
    server.register("s0-value", V2)
    cache: dict[str, Any] = {}
    first = _judge(tmp_path, server.url, cache, level)
    assert first["s0.avsc"].compatible and not first["s0.avsc"].findings
    if deleted == "version":
        _delete(server, "/subjects/s0-value/versions/2")
    else:
        _delete(server, "/subjects/s0-value")
        server.register("s0-value", V1)
    assert server.register("s0-value", LOCAL_BREAKS) == 2
    second = _judge(tmp_path, server.url, cache, level)
    assert _outcomes(second) == _outcomes(_judge(tmp_path, server.url, None, level))
    verdict = second["s0.avsc"]
    assert not verdict.compatible, verdict
    assert {(f.rule, f.version) for f in verdict.findings} == {("TYPE_MISMATCH", "2")}, verdict.findings
    assert not [n for n in verdict.notes if "found no problem" in n]  # the local engine saw the new version


def test_rerun__a_reference_reregistered_under_its_old_number_is_read_anew(
        make_server: Server, make_backend: Callable[..., ConfluentBackend], judge: Any) -> None:
    """References go through the same cache: the referenced T hard-deleted and registered again as another
    schema under version 1 between runs; the second run resolves the new T and the break is found."""
    server = make_server("confluent")
    server.register("T", T_V1)
    refs = [{"name": "T", "subject": "T", "version": 1}]
    server.register("outer-value", OUTER, references=refs)
    check = make_check(OUTER, "outer-value", references={"T": T_V1}, level=Level.FULL)
    cache: dict[str, Any] = {}
    assert make_backend(server.url, cache=cache).evaluate(check, judge).compatible
    _delete(server, "/subjects/outer-value")
    _delete(server, "/subjects/T")
    server.register("T", T_A_INT)
    server.register("outer-value", OUTER, references=refs)
    verdict = make_backend(server.url, cache=cache).evaluate(check, judge)
    assert not verdict.compatible and verdict.findings, verdict
    assert verdict.outcome == make_backend(server.url).evaluate(check, judge).outcome


def test_context__ids_are_per_context_so_keys_and_confirmations_name_it(
        make_server: Server, make_backend: Callable[..., ConfluentBackend], judge: Any) -> None:
    """Schema ids are unique per schema context: a body is kept per context, and a confirmation for a
    subject in a context names the subject (Confluent and Redpanda look the id up in its context)."""
    server = make_server("confluent")
    server.register(":.ctx:t-value", T_V1)
    server.register("t-value", T_V1)
    cache: dict[str, Any] = {}
    for options in ({"context": "ctx"}, {}):
        make_backend(server.url, cache=cache, **options).evaluate(make_check(T_V1), judge)
    assert len({k.split("/schema/")[0] for k in cache if "/schema/" in k}) == 2
    before = len(server.requests)
    for options in ({"context": "ctx"}, {}):
        make_backend(server.url, cache=cache, **options).evaluate(make_check(T_V1), judge)
    confirmations = sorted(p for _, p in server.requests[before:] if p.startswith("/schemas/ids/"))
    assert confirmations == ["/schemas/ids/1/versions", "/schemas/ids/1/versions?subject=%3A.ctx%3At-value"]
    assert _kinds(server, before)["version body"] == 0


def test_rerun__a_version_registered_between_runs_is_judged(make_server: Server, tmp_path: Path) -> None:
    """The cache never hides a new version: the listing is asked anew, and the new latest is compared."""
    server = make_server("karapace")
    server.register("s0-value", V1)
    cache: dict[str, Any] = {}
    first = _judge(tmp_path, server.url, cache)
    server.register("s0-value", V2)
    second = _judge(tmp_path, server.url, cache)
    assert first["s0.avsc"].versions == ("1",)
    assert second["s0.avsc"].versions == ("2",)


MISSING_ROUTE = [(404, "Not Found"), (405, {"error_code": 405, "message": "HTTP 405 Method Not Allowed"}),
                 (501, {"error_code": 501, "message": "Not Implemented"}),
                 (403, {"error_code": 40301, "message": "Forbidden"})]  # Redpanda: DESCRIBE on the registry
UNREAD = [
    (200, {"subject": "s0-value", "version": 2}),  # an object, not a list
    (200, [{"subject": "s0-value", "version": "2"}]),  # the version as text
    (200, [{"subject": "s0-value"}]),  # no version
    (200, [{"subject": "s0-value", "version": 1}, {"subject": "s0-value", "version": 2}, 7]),  # one entry is not a pair
    (200, "ok"),
    (200, []),  # lists no pair: the versions are not (or no longer) these ids
    (404, {"error_code": 40403, "message": "Schema not found"}),  # the id is gone
]


@pytest.mark.parametrize(("status", "answer"), UNREAD + MISSING_ROUTE,
                         ids=["object", "text-version", "no-version", "stray-entry", "string", "empty", "40403",
                              "route-404", "route-405", "route-501", "denied-403"])
def test_confirmation__unread_or_missing_route_fetches_the_body_verdict_unchanged(
        make_server: Server, tmp_path: Path, status: int, answer: Any) -> None:
    """A confirmation that is not the documented list naming the pair never confirms: the bodies are fetched
    again and the verdicts are those of the first run; a missing or denied route is asked once per run only."""
    server = make_server("karapace")
    for i in range(2):
        server.register(f"s{i}-value", V1)
        server.register(f"s{i}-value", V2)
    cache: dict[str, Any] = {}
    first = _judge(tmp_path, server.url, cache, Level.FULL_TRANSITIVE)
    server.fail(status, answer, path="/schemas/ids/", times=100)
    before = len(server.requests)
    second = _judge(tmp_path, server.url, cache, Level.FULL_TRANSITIVE)
    asked = _kinds(server, before)
    assert _outcomes(second) == _outcomes(first)
    assert asked["version body"] == 4, asked  # v1 and v2 of s0 and s1, fetched afresh
    if (status, answer) in MISSING_ROUTE:
        assert asked["confirmation"] == 1, asked


def test_cache_clear__the_next_run_fetches_every_body_again(pytester: pytest.Pytester, make_server: Server) -> None:
    """pytest's cache carries the bodies from run to run; ``--cache-clear`` empties it as pytest means."""
    server = make_server("karapace")
    for name in ("t", "u"):
        server.register(f"{name}-value", T_V1)
    git(pytester.path, "init", "-q", "-b", "main")
    write_files(pytester.path, {"schemas/t.avsc": T_V1, "schemas/u.avsc": T_V1, "schemafed.yaml": f"""
schemas:
  - path: "schemas/*.avsc"
    subject: "{{stem}}-value"
registries:
  - id: sr
    type: confluent
    url: {server.url}
"""})
    bodies = []
    for extra in ([], [], ["--cache-clear"]):
        before = len(server.requests)
        pytester.runpytest_subprocess("--schemafed-only", *extra).assert_outcomes(passed=2)
        bodies.append(_kinds(server, before)["version body"])
    assert bodies == [2, 0, 2]
