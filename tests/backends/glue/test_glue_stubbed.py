"""What moto cannot produce, through botocore's Stubber: FAILURE / PENDING / DELETING versions,
ListSchemaVersions pages, throttling and refused permissions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.glue import GlueBackend
from pytest_schemafed.errors import BackendAuthError, BackendUnavailable
from pytest_schemafed.model import Level, Outcome, Verdict
from tests.backends.glue.glue_helpers import REGISTRY, make_check
from tests.backends.glue.glue_samples import AVRO_COMPATIBLE, AVRO_VERSIONS

ARN = "arn:aws:glue:eu-west-1:123456789012:schema/events/user"
SCHEMA_ID = {"RegistryName": "events", "SchemaName": "user"}


@pytest.fixture
def stubbed(aws_env: None) -> Iterator[tuple[Any, Any]]:
    """A Glue client wrapped in an active Stubber: (client, stubber); all stubs must be used."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("glue", region_name="eu-west-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def backend_for(client: Any, cache: dict[str, Any] | None = None) -> GlueBackend:
    """A backend using ``client``; ``cache`` stands for pytest's cache across runs."""
    context = RunContext(rootdir=Path("/repo"), registry=REGISTRY,
                         cache_get=None if cache is None else cache.get,
                         cache_set=None if cache is None else cache.__setitem__)
    spec = BackendSpec(id="glue-eu", type="glue", options={"registry_name": "events", "region": "eu-west-1"})
    return GlueBackend(spec, context, client=client)


def vid(number: int) -> str:
    """The SchemaVersionId (a UUID) of version ``number``."""
    return f"00000000-0000-0000-0000-{number:012d}"


def schema(stubber: Any, compatibility: str, latest: int) -> None:
    """Stub one GetSchema answer."""
    stubber.add_response("get_schema", {
        "RegistryName": "events", "SchemaName": "user", "SchemaArn": ARN, "DataFormat": "AVRO",
        "Compatibility": compatibility, "LatestSchemaVersion": latest, "SchemaStatus": "AVAILABLE",
    }, {"SchemaId": SCHEMA_ID})


def version(stubber: Any, number: int, status: str, *, latest: bool = False, by_id: bool = False) -> None:
    """Stub one GetSchemaVersion answer for version ``number`` (by number, latest, or id)."""
    if by_id:
        expected: dict[str, Any] = {"SchemaVersionId": vid(number)}
    else:
        expected = {"SchemaId": SCHEMA_ID,
                    "SchemaVersionNumber": {"LatestVersion": True} if latest else {"VersionNumber": number}}
    stubber.add_response("get_schema_version", {
        "SchemaVersionId": vid(number), "SchemaDefinition": AVRO_VERSIONS[(number - 1) % 3], "DataFormat": "AVRO",
        "SchemaArn": ARN, "VersionNumber": number, "Status": status, "CreatedTime": "2024-01-01T00:00:00Z",
    }, expected)


def listing(stubber: Any, entries: list[tuple[int, str]], token: str | None = None, after: str | None = None) -> None:
    """Stub one ListSchemaVersions page."""
    answer: dict[str, Any] = {"Schemas": [
        {"SchemaArn": ARN, "SchemaVersionId": vid(n), "VersionNumber": n, "Status": s} for n, s in entries
    ]}
    if token:
        answer["NextToken"] = token
    expected: dict[str, Any] = {"SchemaId": SCHEMA_ID, "MaxResults": 100}
    if after:
        expected["NextToken"] = after
    stubber.add_response("list_schema_versions", answer, expected)


def test_latest__failure_version_is_skipped_for_the_previous_available_one(stubbed: tuple[Any, Any]) -> None:
    """BACKWARD with version 3 in FAILURE compares with version 2, and says why."""
    client, stubber = stubbed
    schema(stubber, "BACKWARD", 3)
    version(stubber, 3, "FAILURE", latest=True)
    version(stubber, 2, "AVAILABLE")
    history = backend_for(client).history(make_check(AVRO_COMPATIBLE))
    assert [v.version for v in history.versions] == ["2"]
    assert any("3 (FAILURE)" in note for note in history.notes)


def test_latest__pending_version_is_compared_and_reported(stubbed: tuple[Any, Any]) -> None:
    """A PENDING latest version is part of the history, with a note naming it."""
    client, stubber = stubbed
    schema(stubber, "FORWARD", 3)
    version(stubber, 3, "PENDING", latest=True)
    history = backend_for(client).history(make_check(AVRO_COMPATIBLE))
    assert [v.version for v in history.versions] == ["3"]
    assert any("version 3 is PENDING" in note for note in history.notes)


def test_all__list_pages_exclude_failure_and_deleting_and_texts_come_from_the_cache(stubbed: tuple[Any, Any]) -> None:
    """BACKWARD_ALL pages through ListSchemaVersions; FAILURE/DELETING are left out; a second run
    reads the immutable texts from the cache (only GetSchema and the listing are asked again)."""
    client, stubber = stubbed
    cache: dict[str, Any] = {}
    schema(stubber, "BACKWARD_ALL", 4)
    listing(stubber, [(1, "AVAILABLE"), (2, "DELETING")], token="page-2")
    listing(stubber, [(4, "PENDING"), (3, "FAILURE")], after="page-2")
    version(stubber, 1, "AVAILABLE", by_id=True)
    version(stubber, 4, "PENDING", by_id=True)
    backend = backend_for(client, cache)
    history = backend.history(make_check(AVRO_COMPATIBLE))
    assert [(v.version, v.text) for v in history.versions] == [("1", AVRO_VERSIONS[0]), ("4", AVRO_VERSIONS[0])]
    assert history.level is Level.BACKWARD_TRANSITIVE
    assert any("2 (DELETING), 3 (FAILURE)" in note for note in history.notes)
    assert any("version 4 is PENDING" in note for note in history.notes)
    schema(stubber, "BACKWARD_ALL", 4)
    listing(stubber, [(1, "AVAILABLE"), (4, "AVAILABLE")])
    again = backend.history(make_check(AVRO_COMPATIBLE))
    assert [v.version for v in again.versions] == ["1", "4"] and not again.notes


def test_all__access_denied_on_list_falls_back_to_walking_version_numbers(stubbed: tuple[Any, Any]) -> None:
    """A policy without glue:ListSchemaVersions still works: versions are read by number."""
    client, stubber = stubbed
    schema(stubber, "FULL_ALL", 2)
    stubber.add_client_error("list_schema_versions", "AccessDeniedException", "not allowed", 400)
    version(stubber, 2, "AVAILABLE")
    version(stubber, 1, "AVAILABLE")
    history = backend_for(client).history(make_check(AVRO_COMPATIBLE))
    assert [v.version for v in history.versions] == ["1", "2"]


def test_throttling__exhausted_retries_become_backend_unavailable(stubbed: tuple[Any, Any]) -> None:
    """ThrottlingException after botocore's retries fails the item as unavailable, saying what to tune."""
    client, stubber = stubbed
    stubber.add_client_error("get_schema", "ThrottlingException", "Rate exceeded", 400)
    with pytest.raises(BackendUnavailable) as info:
        backend_for(client).history(make_check(AVRO_COMPATIBLE))
    message = str(info.value)
    assert message.startswith("registry 'glue-eu': Glue kept throttling")
    assert "`max_in_flight:`" in message and "`max_attempts:`" in message


def test_access_denied__get_schema_is_an_auth_error_naming_the_permissions(stubbed: tuple[Any, Any]) -> None:
    """AccessDeniedException on GetSchema is a BackendAuthError listing the glue: actions needed."""
    client, stubber = stubbed
    stubber.add_client_error("get_schema", "AccessDeniedException", "User is not authorized", 400)
    with pytest.raises(BackendAuthError, match=r"registry 'glue-eu': AWS refused .*glue:GetSchemaVersion"):
        backend_for(client).history(make_check(AVRO_COMPATIBLE))


def test_server_error__after_retries_is_backend_unavailable(stubbed: tuple[Any, Any]) -> None:
    """InternalServiceException (500) is reported as unavailable: the item may be skipped by on_unavailable."""
    client, stubber = stubbed
    stubber.add_client_error("get_schema", "InternalServiceException", "oops", 500)
    with pytest.raises(BackendUnavailable, match="retry later"):
        backend_for(client).history(make_check(AVRO_COMPATIBLE))


def test_evaluate__only_failed_versions_is_a_new_subject_with_the_reason(stubbed: tuple[Any, Any]) -> None:
    """When every version is FAILURE nothing is registered to compare with: a new subject, saying why."""
    client, stubber = stubbed
    schema(stubber, "BACKWARD", 1)
    version(stubber, 1, "FAILURE", latest=True)
    verdict = backend_for(client).evaluate(make_check(AVRO_COMPATIBLE), lambda *_: pytest.fail("judged"))
    assert verdict.outcome is Outcome.NEW
    assert any("1 (FAILURE)" in note for note in verdict.notes)


def test_evaluate__schema_being_deleted_is_a_new_subject(stubbed: tuple[Any, Any]) -> None:
    """A Glue schema in status DELETING holds nothing any more: a new subject."""
    client, stubber = stubbed
    stubber.add_response("get_schema", {"SchemaName": "user", "DataFormat": "AVRO", "Compatibility": "BACKWARD",
                                        "LatestSchemaVersion": 2, "SchemaStatus": "DELETING"}, {"SchemaId": SCHEMA_ID})
    verdict = backend_for(client).evaluate(make_check(AVRO_COMPATIBLE), lambda *_: pytest.fail("judged"))
    assert verdict.outcome is Outcome.NEW and "being deleted" in " ".join(verdict.notes)


def test_evaluate__pending_note_reaches_the_verdict(stubbed: tuple[Any, Any]) -> None:
    """The PENDING note of the history is carried on the judged verdict, for the report."""
    client, stubber = stubbed
    schema(stubber, "BACKWARD", 2)
    version(stubber, 2, "PENDING", latest=True)
    seen: list[Any] = []

    def judge(check: Any, history: Any, level: Level) -> Verdict:
        seen.append((history.versions[-1].version, level))
        return Verdict.judged((), level, ("2",))

    verdict = backend_for(client).evaluate(make_check(AVRO_COMPATIBLE), judge)
    assert seen == [("2", Level.BACKWARD)]
    assert verdict.compatible and any("version 2 is PENDING" in note for note in verdict.notes)
