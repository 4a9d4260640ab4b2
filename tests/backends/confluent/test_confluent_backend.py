"""ConfluentBackend.evaluate against the test registry over real sockets, per flavour."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from pytest_schemafed.backends.confluent import ConfluentBackend
from pytest_schemafed.errors import BackendAuthError, BackendError, BackendProtocolError, BackendUnavailable
from pytest_schemafed.model import Decider, Level, Outcome, Severity
from tests.servers.confluent_server import ConfluentTestServer
from tests.servers.labelled import CONFORMANCE, LabelledJudge

from .conftest import T_A_INT, T_ADD_B_DEFAULT, T_ADD_B_NO_DEFAULT, T_EMPTY, T_V1, make_check

Server = Callable[..., ConfluentTestServer]
Make = Callable[..., ConfluentBackend]
OUTER = json.dumps({"type": "record", "name": "Outer", "fields": [{"name": "t", "type": "T"}]})
T_A_INT_DEFAULT = json.dumps({"type": "record", "name": "T", "fields": [{"name": "a", "type": "int", "default": 0}]})


def _paths(server: ConfluentTestServer, method: str | None = None) -> list[str]:
    return [p for m, p in server.requests if method in (None, m)]


@pytest.mark.parametrize("flavour", ["karapace", "confluent", "apicurio"])
def test_evaluate__compatible_change_follows_registry(make_server: Server, make_backend: Make, judge: Any,
                                                      flavour: str) -> None:
    """Adding a field with a default is BACKWARD compatible on every flavour; the verdict carries the remote one."""
    server = make_server(flavour)
    server.register("t-value", T_V1)
    verdict = make_backend(server.url).evaluate(make_check(T_ADD_B_DEFAULT), judge)
    assert (verdict.outcome, verdict.compatible, verdict.level) == (Outcome.COMPATIBLE, True, Level.BACKWARD)
    assert verdict.remote is not None and verdict.remote.compatible and verdict.versions == ("1",)


def test_evaluate__karapace_incompatible_keeps_registry_messages_and_local_lines(
        make_server: Server, make_backend: Make, judge: Any) -> None:
    """Karapace says ["b"]; the local engine locates READER_FIELD_MISSING_DEFAULT_VALUE in the file."""
    server = make_server("karapace")
    server.register("t-value", T_V1)
    verdict = make_backend(server.url).evaluate(make_check(T_ADD_B_NO_DEFAULT), judge)
    assert verdict.outcome is Outcome.INCOMPATIBLE and not verdict.compatible
    assert verdict.remote is not None and verdict.remote.messages == ("b",)
    assert [f.rule for f in verdict.findings] == ["READER_FIELD_MISSING_DEFAULT_VALUE"]
    assert verdict.findings[0].line is not None and verdict.notes == ()


def test_evaluate__confluent_verbose_messages_without_old_schema(make_server: Server, make_backend: Make,
                                                                 judge: Any) -> None:
    """Confluent's verbose entries are kept (errorType...), the oldSchema echo dropped, the failing version read."""
    server = make_server("confluent")
    server.register("t-value", T_V1)
    verdict = make_backend(server.url).evaluate(make_check(T_A_INT), judge)
    assert verdict.remote is not None and not verdict.remote.compatible
    assert verdict.remote.messages[0].startswith("{errorType:'TYPE_MISMATCH'")
    assert not any(m.startswith("{oldSchema:") for m in verdict.remote.messages)
    assert verdict.remote.versions == ("1",)
    assert "verbose=true" in _paths(server, "POST")[0]


def test_evaluate__apicurio_gives_no_reasons_local_engine_explains(make_server: Server, make_backend: Make,
                                                                   judge: Any) -> None:
    """Apicurio (/apis/ccompat/v7) answers is_compatible:false alone; the findings come from the local engine."""
    server = make_server("apicurio")
    server.register("t-value", T_V1)
    verdict = make_backend(server.url).evaluate(make_check(T_ADD_B_NO_DEFAULT), judge)
    assert verdict.remote is not None and verdict.remote.messages == ()
    assert not verdict.compatible and verdict.findings
    assert all(p.startswith("/apis/ccompat/v7/") for p in _paths(server))


@pytest.mark.parametrize("flavour", ["karapace", "confluent", "apicurio"])
def test_evaluate__unknown_subject_is_new(make_server: Server, make_backend: Make, judge: Any,
                                          flavour: str) -> None:
    """An unregistered subject (40401 / Karapace's config 40401) is a new subject, not a failure."""
    server = make_server(flavour)
    verdict = make_backend(server.url).evaluate(make_check(T_V1, "fresh-value"), judge)
    assert verdict.outcome is Outcome.NEW and verdict.compatible


def test_evaluate__karapace_40402_on_latest_check_is_new(make_server: Server, make_backend: Make,
                                                         judge: Any) -> None:
    """Karapace's 40402 'Version -1 not found.' on the compatibility POST also means a new subject."""
    server = make_server("karapace")
    server.register("t-value", T_V1)
    server.fail(404, {"error_code": 40402, "message": "Version -1 not found."}, path="/compatibility/")
    verdict = make_backend(server.url).evaluate(make_check(T_ADD_B_DEFAULT), judge)
    assert verdict.outcome is Outcome.NEW


def test_level__subject_config_beats_global(make_server: Server, make_backend: Make, judge: Any) -> None:
    """Subject level FORWARD (global BACKWARD): removing field a without default is incompatible."""
    server = make_server()
    server.register("t-value", T_V1)
    server.set_level("FORWARD", "t-value")
    verdict = make_backend(server.url).evaluate(make_check(T_EMPTY), judge)
    assert verdict.level is Level.FORWARD and not verdict.compatible
    assert verdict.remote is not None and verdict.remote.messages == ("a",)


def test_level__global_when_subject_has_none(make_server: Server, make_backend: Make, judge: Any) -> None:
    """Without subject config the global level applies (FULL here)."""
    server = make_server(global_level="FULL")
    server.register("t-value", T_V1)
    verdict = make_backend(server.url).evaluate(make_check(T_EMPTY), judge)
    assert verdict.level is Level.FULL and not verdict.compatible


def test_forced_level__judged_locally_at_the_forced_level(make_server: Server, make_backend: Make,
                                                            judge: Any) -> None:
    """A forced level other than the subject's own is judged locally; the registry's own answer is beside it.

    Dropping the field ``a`` (which has no default) is BACKWARD-compatible and
    FORWARD-incompatible. The subject is at FORWARD; forced to BACKWARD, the verdict is
    BACKWARD's, and the registry's FORWARD answer is information only.
    """
    server = make_server()
    server.register("t-value", T_V1)
    server.set_level("FORWARD", "t-value")
    verdict = make_backend(server.url).evaluate(make_check(T_EMPTY, level=Level.BACKWARD), judge)
    assert verdict.level is Level.BACKWARD and verdict.outcome is Outcome.COMPATIBLE
    assert verdict.decided_by is Decider.LOCAL
    assert verdict.remote is not None and not verdict.remote.compatible and verdict.remote.level is Level.FORWARD
    assert any("judged locally at BACKWARD" in n and "FORWARD" in n for n in verdict.notes)


def test_forced_level__none_subject_forced_to_full_fails_a_break(make_server: Server, make_backend: Make,
                                                                 judge: Any) -> None:
    """Hole 1: a subject at NONE forced to FULL: a breaking change fails (the registry would accept anything)."""
    server = make_server()
    server.register("t-value", T_V1)
    server.set_level("NONE", "t-value")
    verdict = make_backend(server.url).evaluate(make_check(T_A_INT, level=Level.FULL), judge)
    assert verdict.outcome is Outcome.INCOMPATIBLE and verdict.level is Level.FULL
    assert verdict.breaking and verdict.decided_by is Decider.LOCAL
    assert not _paths(server, "POST")  # the subject's own level NONE: nothing to ask the registry


def test_forced_level__same_as_the_subjects_own_is_the_registrys_decision(make_server: Server, make_backend: Make,
                                                                          judge: Any) -> None:
    """Forcing the level the subject already has leaves the decision to the registry."""
    server = make_server()
    server.register("t-value", T_V1)
    server.set_level("BACKWARD", "t-value")
    verdict = make_backend(server.url).evaluate(make_check(T_EMPTY, level=Level.BACKWARD), judge)
    assert verdict.decided_by is Decider.REGISTRY and verdict.outcome is Outcome.COMPATIBLE


def test_level__none_accepts_without_checking(make_server: Server, make_backend: Make, judge: Any) -> None:
    """Level NONE accepts any schema; no compatibility request is made."""
    server = make_server()
    server.register("t-value", T_V1)
    server.set_level("NONE", "t-value")
    verdict = make_backend(server.url).evaluate(make_check(T_A_INT), judge)
    assert verdict.compatible and verdict.level is Level.NONE and not _paths(server, "POST")


def _transitive_history(server: ConfluentTestServer) -> None:
    server.register("t-value", T_V1)  # a: string
    server.register("t-value", T_EMPTY)  # a removed
    server.set_level("BACKWARD_TRANSITIVE", "t-value")


def test_transitive__karapace_missing_route_falls_back_per_version(make_server: Server, make_backend: Make,
                                                                   judge: Any) -> None:
    """Karapace 404s the all-versions route: each version is checked; v1 breaks (a: string -> int)."""
    server = make_server("karapace")
    _transitive_history(server)
    backend = make_backend(server.url)
    verdict = backend.evaluate(make_check(T_A_INT_DEFAULT), judge)
    assert not verdict.compatible and verdict.versions == ("1", "2")
    assert [p.split("?")[0] for p in _paths(server, "POST")] == [
        "/compatibility/subjects/t-value/versions", "/compatibility/subjects/t-value/versions/1",
        "/compatibility/subjects/t-value/versions/2"]
    backend.evaluate(make_check(T_A_INT_DEFAULT), judge)
    assert len(_paths(server, "POST")) == 5  # the missing route is not asked again


def test_transitive__confluent_uses_all_versions_route(make_server: Server, make_backend: Make,
                                                       judge: Any) -> None:
    """Confluent checks all versions in one POST; the latest-only check would have passed."""
    server = make_server("confluent")
    _transitive_history(server)
    verdict = make_backend(server.url).evaluate(make_check(T_A_INT_DEFAULT), judge)
    assert not verdict.compatible and verdict.remote is not None and verdict.remote.versions == ("1",)
    assert [p.split("?")[0] for p in _paths(server, "POST")] == ["/compatibility/subjects/t-value/versions"]
    assert [f.version for f in verdict.findings] == ["1"]


def test_references__import_name_is_the_subject_and_is_resolved(make_server: Server, make_backend: Make,
                                                                 judge: Any) -> None:
    """A named reference T is sent as {name: T, subject: T, version: latest number}; history refs are fetched."""
    server = make_server()
    server.register("T", T_V1)
    server.register("T", T_ADD_B_DEFAULT)
    server.register("outer-value", OUTER, references=[{"name": "T", "subject": "T", "version": 1}])
    check = make_check(OUTER, "outer-value", references={"T": T_ADD_B_DEFAULT})
    verdict = make_backend(server.url).evaluate(check, judge)
    assert verdict.compatible, verdict
    posted = [b for p, b in server.bodies if p.startswith("/compatibility/")]
    assert posted[0]["references"] == [{"name": "T", "subject": "T", "version": 2}]
    assert "/subjects/T/versions/1" in _paths(server)


def test_references__explicit_mapping_and_unregistered_target(make_server: Server, make_backend: Make,
                                                              judge: Any) -> None:
    """references: maps an import to another subject; an unregistered target is one clear error."""
    server = make_server()
    server.register("shared-t", T_V1)
    server.register("outer-value", OUTER, references=[{"name": "T", "subject": "shared-t", "version": 1}])
    check = make_check(OUTER, "outer-value", references={"T": T_V1})
    verdict = make_backend(server.url, references={"T": {"subject": "shared-t", "version": 1}}).evaluate(check, judge)
    assert verdict.compatible
    with pytest.raises(BackendProtocolError, match=r"imports 'T', mapped to subject 'T', which is not registered"):
        make_backend(server.url).evaluate(check, judge)


def test_url_encoding__context_slash_and_colon_subjects(make_server: Server, make_backend: Make, judge: Any) -> None:
    """Subject 'team/a:b' in context .staging travels as :.staging:team/a:b, fully percent-encoded."""
    server = make_server("confluent")
    server.register(":.staging:team/a:b", T_V1)
    verdict = make_backend(server.url, context="staging").evaluate(make_check(T_ADD_B_DEFAULT, "team/a:b"), judge)
    assert verdict.outcome is Outcome.COMPATIBLE
    assert "/subjects/%3A.staging%3Ateam%2Fa%3Ab/versions/latest" in _paths(server)


def test_subjects_map__local_subject_renamed_for_this_registry(make_server: Server, make_backend: Make,
                                                               judge: Any) -> None:
    """subjects: maps the configured subject to this registry's name for it."""
    server = make_server()
    server.register("prod.t-value", T_V1)
    verdict = make_backend(server.url, subjects={"t-value": "prod.t-value"}).evaluate(make_check(T_A_INT), judge)
    assert verdict.outcome is Outcome.INCOMPATIBLE


def test_read_only__only_get_and_compatibility_posts(make_server: Server, make_backend: Make, judge: Any) -> None:
    """Across compatible, incompatible, transitive, referencing and new checks only GET and compat POSTs arrive."""
    server = make_server()
    _transitive_history(server)
    server.register("T", T_V1)
    server.register("outer-value", OUTER, references=[{"name": "T", "subject": "T", "version": 1}])
    backend = make_backend(server.url)
    for check in (make_check(T_A_INT_DEFAULT), make_check(T_V1, "new-value"),
                  make_check(OUTER, "outer-value", references={"T": T_V1})):
        backend.evaluate(check, judge)
    assert set(server.method_counts()) == {"GET", "POST"}
    assert all(p.startswith("/compatibility/") for p in _paths(server, "POST"))


def test_disagreement__registry_accepts_local_rejects(make_server: Server, make_backend: Make, judge: Any) -> None:
    """The item follows the registry (compatible), keeps the local findings and says so plainly."""
    server = make_server(judge=lambda *a: [])
    server.register("t-value", T_V1)
    verdict = make_backend(server.url).evaluate(make_check(T_ADD_B_NO_DEFAULT), judge)
    assert verdict.outcome is Outcome.COMPATIBLE and verdict.findings and not verdict.breaking
    assert all(f.severity is Severity.WARNING for f in verdict.findings)
    assert "accepts this schema but the local engine found a problem" in verdict.notes[0]


def test_disagreement__registry_rejects_local_accepts(make_server: Server, make_backend: Make, judge: Any) -> None:
    """The item fails as the registry says, and the note quotes the registry's reason."""
    server = make_server(judge=lambda *a: [("X", "normalized differently", "/")])
    server.register("t-value", T_V1)
    verdict = make_backend(server.url).evaluate(make_check(T_ADD_B_DEFAULT), judge)
    assert verdict.outcome is Outcome.INCOMPATIBLE
    # hole 5: the registry's reason is a finding of its own, at the file's first line
    (finding,) = verdict.findings
    assert finding.rule == "REGISTRY_INCOMPATIBLE" and finding.line == 1
    assert "normalized differently" in finding.message
    assert "rejects this schema but the local engine found no problem" in verdict.notes[0]


@pytest.mark.parametrize(("fmt", "schema_type", "text"), [
    ("protobuf", "PROTOBUF", 'syntax = "proto3";\npackage demo;\n\nmessage M {\n  string a = 1;\n}\n'),
    ("json", "JSON", '{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}'),
])
def test_schema_type__sent_per_format_with_normalize(make_server: Server, make_backend: Make, judge: Any,
                                                     fmt: str, schema_type: str, text: str) -> None:
    """A .proto / JSON Schema check posts its schemaType; normalize: true adds normalize=true."""
    # the test labels the pair itself: a schema is compatible with itself (the server never compares texts)
    server = make_server(judge=LabelledJudge(extra=[(schema_type, text, text, True, "")]))
    server.register("x-value", text, schema_type)
    verdict = make_backend(server.url, normalize=True).evaluate(make_check(text, "x-value", fmt=fmt), judge)
    assert verdict.compatible and verdict.outcome is Outcome.COMPATIBLE
    path, body = next((p, b) for p, b in server.bodies if p.startswith("/compatibility/"))
    assert body["schemaType"] == schema_type and "normalize=true" in path


def test_errors__registry_rejects_invalid_schema_fails_item(make_server: Server, make_backend: Make,
                                                            judge: Any) -> None:
    """42201 on the check request fails the item with the registry's reason (not a crash)."""
    server = make_server()
    server.register("t-value", T_V1)
    server.fail(422, {"error_code": 42201, "message": "Invalid AVRO schema. Error: boom"}, path="/compatibility/")
    verdict = make_backend(server.url).evaluate(make_check(T_ADD_B_DEFAULT), judge)
    assert verdict.outcome is Outcome.ERROR
    assert verdict.error == "registry 'prod': the registry rejects the schema as invalid (error 42201: " \
                            "Invalid AVRO schema. Error: boom)"


def test_errors__wrong_path_hints_at_ccompat_prefix(make_server: Server, make_backend: Make, judge: Any) -> None:
    """An Apicurio URL without /apis/ccompat/v7 gets a bare 404: the message says what to add."""
    server = make_server("apicurio")
    wrong = server.url.removesuffix("/apis/ccompat/v7")
    with pytest.raises(BackendProtocolError, match=r"Apicurio: add /apis/ccompat/v7"):
        make_backend(wrong).evaluate(make_check(T_V1), judge)


def test_errors__wrong_password_is_auth_error_and_latched(make_server: Server, make_backend: Make,
                                                          judge: Any) -> None:
    """401: BackendAuthError naming the keys; the next check fails without another request."""
    server = make_server(basic=("key", "the-pass-9c1"))
    backend = make_backend(server.url, auth={"username": "key", "password": "not-the-pass-9c1"})
    for _ in range(2):
        with pytest.raises(BackendAuthError, match=r"auth.username and auth.password"):
            backend.evaluate(make_check(T_V1), judge)
    assert len(server.requests) == 1


def test_errors__registry_down_is_unavailable(make_backend: Make, judge: Any) -> None:
    """Connection refused: BackendUnavailable naming the registry."""
    backend = make_backend("http://127.0.0.1:9", retries=0)
    with pytest.raises(BackendUnavailable, match=r"registry 'prod': cannot connect"):
        backend.evaluate(make_check(T_V1), judge)


def test_cache__bodies_kept_by_id_confirmed_each_run_config_asked_anew(make_server: Server, make_backend: Make,
                                                                       judge: Any) -> None:
    """The cache holds each body by schema id and a (subject, version) -> id hint; a second run fetches no
    numbered version again but confirms each id body-free, and asks config anew."""
    server = make_server("confluent")
    _transitive_history(server)
    cache: dict[str, Any] = {}
    make_backend(server.url, cache=cache).evaluate(make_check(T_V1), judge)
    first = len(server.requests)
    make_backend(server.url, cache=cache).evaluate(make_check(T_V1), judge)
    second = _paths(server)[first:]
    assert sorted(k.split("/")[3] for k in cache) == ["schema", "schema", "version", "version"]
    assert sorted(v["id"] for k, v in cache.items() if "/version/" in k) == [1, 2]
    assert not any("/versions/1" in p or "/versions/2" in p for p in second)
    assert {"/schemas/ids/1/versions", "/schemas/ids/2/versions"} <= set(second)
    assert any(p.startswith("/config/") for p in second)


def test_concurrency__many_checks_from_threads_share_one_client(make_server: Server, make_backend: Make,
                                                                judge: Any) -> None:
    """40 checks from 8 threads: each verdict right, 3 requests per check plus the global config at most once."""
    server = make_server()
    for i in range(40):
        server.register(f"s{i}-value", T_V1)
    backend = make_backend(server.url)
    checks = [make_check(T_A_INT if i % 2 else T_ADD_B_DEFAULT, f"s{i}-value") for i in range(40)]
    with ThreadPoolExecutor(8) as pool:
        verdicts = list(pool.map(lambda c: backend.evaluate(c, judge), checks))
    assert [v.compatible for v in verdicts] == [i % 2 == 0 for i in range(40)]
    assert len(server.requests) == 3 * 40


def test_level__40408_without_default_to_global_falls_back_to_global_config(
        make_server: Server, make_backend: Make, judge: Any) -> None:
    """A registry answering 40408 (no subject config) even with defaultToGlobal: GET /config decides."""
    server = make_server(global_level="FULL")
    server.register("t-value", T_V1)
    server.fail(404, {"error_code": 40408, "message": "Subject 't-value' does not have subject-level "
                      "compatibility configured"}, path="/config/t-value")
    verdict = make_backend(server.url).evaluate(make_check(T_EMPTY), judge)
    assert verdict.level is Level.FULL and "/config" in _paths(server)


def test_new_subject__karapace_costs_two_requests(make_server: Server, make_backend: Make, judge: Any) -> None:
    """Karapace's 40401 on /config/{s} then 40401 on latest: new, without asking the global config."""
    server = make_server("karapace")
    verdict = make_backend(server.url).evaluate(make_check(T_V1, "fresh-value"), judge)
    assert verdict.outcome is Outcome.NEW
    assert _paths(server) == ["/config/fresh-value?defaultToGlobal=true", "/subjects/fresh-value/versions/latest"]


@pytest.mark.parametrize(("status", "body", "error", "pattern"), [
    (403, {"error_code": 40301, "message": "User is denied operation Read on Subject: t-value"},
     BackendAuthError, r"denied access \(HTTP 403"),
    (500, None, BackendUnavailable, r"server error HTTP 500 .* error 50003: Error while forwarding"),
    (422, {"error_code": 42202, "message": "The specified version 'latest' is not a valid version id."},
     BackendProtocolError, r"unexpected answer HTTP 422 \(error 42202: The specified version"),
    (404, "Not Found", BackendProtocolError, r"HTTP 404 \(Not Found\).*Apicurio: add /apis/ccompat/v7"),
])
def test_errors__each_error_answer_is_one_line_of_the_right_kind(
        make_server: Server, make_backend: Make, judge: Any, status: int, body: Any,
        error: type[Exception], pattern: str) -> None:
    """403, 5xx after retries, an unexpected error_code and a bare 404 on history each map to one clear error."""
    server = make_server()
    server.register("t-value", T_V1)
    server.fail(status, body, path="/subjects/t-value/versions/latest", times=10)
    with pytest.raises(error, match=pattern) as info:
        make_backend(server.url).evaluate(make_check(T_V1), judge)
    assert str(info.value).startswith("registry 'prod': ") and "\n" not in str(info.value)


def test_transport__injectable_and_confluent_cloud_headers_sent(make_backend: Make, judge: Any) -> None:
    """An httpx MockTransport replays captured answers; target-sr-cluster / target-identity-pool are sent."""
    import httpx

    seen: list[httpx.Request] = []
    answers = {
        "/config/t-value": (200, {"compatibilityLevel": "BACKWARD"}),
        "/subjects/t-value/versions/latest": (200, {"subject": "t-value", "version": 2, "id": 2, "schema": T_V1}),
        "/compatibility/subjects/t-value/versions/latest": (200, {"is_compatible": True}),
    }

    def replay(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status, body = answers[request.url.path]
        return httpx.Response(status, json=body, headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})

    backend = make_backend("https://psrc.example.cloud", target_sr_cluster="lsrc-abc",
                           target_identity_pool="pool-1", transport=httpx.MockTransport(replay))
    verdict = backend.evaluate(make_check(T_ADD_B_DEFAULT), judge)
    assert verdict.compatible and verdict.versions == ("2",)
    assert {(r.headers["target-sr-cluster"], r.headers["target-identity-pool"]) for r in seen} == {
        ("lsrc-abc", "pool-1")}


def test_secrets__password_in_url_never_shown(make_server: Server, make_backend: Make, judge: Any) -> None:
    """Credentials in the url authenticate, and no message or description shows them."""
    server = make_server(basic=("key", "url-pass-77aa"))
    server.register("t-value", T_V1)
    url = server.url.replace("http://", "http://key:url-pass-77aa@")
    backend = make_backend(url)
    assert backend.evaluate(make_check(T_ADD_B_DEFAULT), judge).compatible
    server.fail(422, {"error_code": 42299, "message": "odd"}, path="/config/")
    with pytest.raises(BackendProtocolError) as info:
        backend.evaluate(make_check(T_V1), judge)
    assert "url-pass-77aa" not in str(info.value) + backend.describe()


def _labelled_case(case_id: str) -> dict[str, Any]:
    for path in sorted(CONFORMANCE.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if case["id"] == case_id:
                return case
    raise AssertionError(f"no case {case_id}")


@pytest.mark.parametrize("case_id", ["confluent-jsonschema-275", "karapace-protobuf-2"])
def test_server__json_and_protobuf_verdicts_come_from_labelled_cases(make_server: Server, make_backend: Make,
                                                                      judge: Any, case_id: str) -> None:
    """The test registry answers a labelled JSON Schema / Protobuf pair with the label's verdict."""
    case = _labelled_case(case_id)
    fmt, schema_type = ("json", "JSON") if case["format"] == "json" else ("protobuf", "PROTOBUF")
    server = make_server()
    server.register("x-value", case["old"], schema_type)
    server.set_level("BACKWARD" if case["direction"] == "backward" else "FORWARD", "x-value")
    verdict = make_backend(server.url).evaluate(make_check(case["new"], "x-value", fmt=fmt), judge)
    assert verdict.remote is not None and verdict.remote.compatible is case["compatible"]


def test_server__an_unlabelled_pair_is_an_error_never_a_verdict(make_server: Server, make_backend: Make,
                                                                 judge: Any) -> None:
    """A pair no label covers gets HTTP 500 from the test registry: the item errors, it never passes."""
    old = '{"type": "object", "properties": {"zz_unlabelled": {"type": "string"}}}'
    new = '{"type": "object", "properties": {"zz_unlabelled": {"type": "integer"}}}'
    server = make_server()
    server.register("x-value", old, "JSON")
    with pytest.raises(BackendError, match="no labelled verdict"):
        make_backend(server.url, retries=0).evaluate(make_check(new, "x-value", fmt="json"), judge)


@pytest.mark.parametrize("body", [{}, [], "BACKWARD", {"compatibilityLevel": "SORTA"},
                                  {"compatibilityLevel": None}, {"compatibilityLevel": "backward"},
                                  {"compatibility": 3}])
@pytest.mark.parametrize("route", ["/config/t-value", "/config"])
def test_config__a_malformed_answer_is_an_error_never_a_level(make_server: Server, make_backend: Make, judge: Any,
                                                              body: Any, route: str) -> None:
    """Hole 2: an answer to GET /config[/{s}] that is not the documented shape fails the item, naming the request."""
    server = make_server()
    server.register("t-value", T_V1)
    if route == "/config":  # the subject has no level of its own: the registry's global one is asked
        server.fail(404, {"error_code": 40401, "message": "Subject 't-value' not found."}, path="/config/t-value")
        server.fail(200, body, path="/config")
    else:
        server.fail(200, body, path=route)
    with pytest.raises(BackendProtocolError) as caught:
        make_backend(server.url).evaluate(make_check(T_A_INT), judge)
    message = str(caught.value)
    assert "unexpected answer to GET" in message and route in message
    assert "expected compatibilityLevel" in message or "expected an object" in message
    assert len(message.splitlines()) == 1


@pytest.mark.parametrize("body", [{"schema": T_V1}, {"schema": T_V1, "version": "1"},
                                  {"schema": T_V1, "version": 1, "references": {}},
                                  {"schema": T_V1, "version": 1, "metadata": {"properties": {"a": 1}}}])
def test_version__a_malformed_answer_is_an_error(make_server: Server, make_backend: Make, judge: Any,
                                                 body: Any) -> None:
    """The same rule for a registered version: a wrong shape is an error, never a history."""
    server = make_server()
    server.register("t-value", T_V1)
    server.fail(200, body, path="/subjects/t-value/versions/latest")
    with pytest.raises(BackendProtocolError, match="unexpected answer to GET"):
        make_backend(server.url).evaluate(make_check(T_A_INT), judge)


def test_backend__confluent_with_max_in_flight_1_is_still_remote(make_backend: Make, make_server: Server) -> None:
    """Local or remote is declared by the backend type, never inferred from max_in_flight."""
    server = make_server()
    assert ConfluentBackend.local is False and make_backend(server.url, max_in_flight=1).local is False
