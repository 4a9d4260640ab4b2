"""The test registry deletes as the real ones do: the Karapace 6.2 captures replayed, Confluent's differences."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.servers.confluent_server import ConfluentTestServer

from .conftest import T_A_INT, T_ADD_B_DEFAULT, T_V1

J1 = json.dumps({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"],
                 "additionalProperties": False})
J2 = json.dumps({"type": "object", "properties": {"a": {"type": "string"}}})
SOFT_40406 = "Subject 't-value' Version 2 was soft deleted.Set permanent=true to delete permanently"
FIRST_40407 = "Subject 't-value' Version 1 was not deleted first before being permanently deleted"
FIRST_40405 = "Subject 'tj-value' was not deleted first before being permanently deleted"
SOFT_40404 = "Subject 'tj-value' was soft deleted.Set permanent=true to delete permanently"

# (capture entry, method, path, status, answer): karapace-6.2.md entries 71-93, in order
STEPS: list[tuple[int, str, str, int, Any]] = [
    (71, "DELETE", "/subjects/t-value/versions/2", 200, 2),
    (72, "GET", "/subjects/t-value/versions", 200, [1]),
    (73, "GET", "/subjects/t-value/versions?deleted=true", 200, [1, 2]),
    (74, "GET", "/subjects/t-value/versions/2", 404, {"error_code": 40402, "message": "Version 2 not found."}),
    (76, "DELETE", "/subjects/t-value/versions/2", 404, {"error_code": 40406, "message": SOFT_40406}),
    (77, "DELETE", "/subjects/t-value/versions/1?permanent=true", 404, {"error_code": 40407, "message": FIRST_40407}),
    (78, "DELETE", "/subjects/t-value/versions/2?permanent=true", 200, 2),
    (79, "DELETE", "/subjects/t-value/versions/2?permanent=true", 404,
     {"error_code": 40402, "message": "Version 2 not found."}),
    (80, "DELETE", "/subjects/tj-value?permanent=true", 404, {"error_code": 40405, "message": FIRST_40405}),
    (81, "DELETE", "/subjects/tj-value", 200, [1, 2]),
    (82, "DELETE", "/subjects/tj-value", 404, {"error_code": 40404, "message": SOFT_40404}),
    (83, "GET", "/subjects", 200, ["t-value"]),
    (84, "GET", "/subjects?deleted=true", 200, ["t-value", "tj-value"]),
    (85, "GET", "/subjects/tj-value/versions", 404, {"error_code": 40401, "message": "Subject 'tj-value' not found."}),
    (93, "DELETE", "/subjects/unknown-subj", 404,
     {"error_code": 40401, "message": "Subject 'unknown-subj' not found."}),
]


def _ask(server: ConfluentTestServer, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    response = httpx.request(method, server.url + path, json=body, timeout=10)
    return response.status_code, response.json()


def _registry(flavour: str) -> ConfluentTestServer:
    server = ConfluentTestServer(flavour).start()
    server.register("t-value", T_V1)
    server.register("t-value", T_ADD_B_DEFAULT)
    server.register("tj-value", J1, "JSON")
    server.register("tj-value", J2, "JSON")
    return server


@pytest.mark.parametrize("flavour", ["karapace", "confluent"])
def test_deletes__soft_then_permanent_answer_as_captured(flavour: str) -> None:
    """Every captured delete step gets the captured status and answer (Confluent's source gives the same)."""
    server = _registry(flavour)
    try:
        seen = [(entry, *_ask(server, method, path)) for entry, method, path, _, _ in STEPS]
    finally:
        server.stop()
    assert seen == [(entry, status, answer) for entry, _, _, status, answer in STEPS]


@pytest.mark.parametrize(("flavour", "after_permanent"), [("karapace", [1, 2, 3]), ("confluent", [2, 3])])
def test_deletes__reregistering_a_soft_deleted_schema_takes_the_next_number(flavour: str,
                                                                            after_permanent: list[int]) -> None:
    """Captures 89-92: the same schema again after a soft delete gets its old id and version 3; Confluent
    drops the soft-deleted version of that id (``register``: "Tombstone previous version with the same ID")."""
    server = _registry(flavour)
    try:
        assert _ask(server, "DELETE", "/subjects/tj-value") == (200, [1, 2])
        old_id = server.subjects["tj-value"][1].id
        assert _ask(server, "POST", "/subjects/tj-value/versions", {"schemaType": "JSON", "schema": J1}) == \
            (200, {"id": old_id})
        assert _ask(server, "DELETE", "/subjects/tj-value") == (200, [3])
        assert _ask(server, "DELETE", "/subjects/tj-value?permanent=true") == (200, after_permanent)
        assert _ask(server, "GET", "/subjects?deleted=true") == (200, ["t-value"])
    finally:
        server.stop()


@pytest.mark.parametrize(("flavour", "gone"), [
    ("karapace", (200, [])), ("confluent", (404, {"error_code": 40403, "message": "Schema not found"}))])
def test_deletes__a_hard_deleted_number_goes_to_the_next_schema_the_id_stays_its_own(
        flavour: str, gone: tuple[int, Any]) -> None:
    """After a permanent delete of version 2, the next registration is version 2 again with another id;
    ``GET /schemas/ids/{id}/versions`` (capture 33) no longer lists the pair under the old id."""
    server = _registry(flavour)
    try:
        assert _ask(server, "GET", "/schemas/ids/2/versions") == (200, [{"subject": "t-value", "version": 2}])
        _ask(server, "DELETE", "/subjects/t-value/versions/2")
        assert _ask(server, "GET", "/schemas/ids/2/versions") == (200, [])
        assert _ask(server, "GET", "/schemas/ids/2/versions?deleted=true") == \
            (200, [{"subject": "t-value", "version": 2}])
        _ask(server, "DELETE", "/subjects/t-value/versions/2?permanent=true")
        assert _ask(server, "GET", "/schemas/ids/2/versions") == gone
        assert _ask(server, "POST", "/subjects/t-value/versions", {"schema": T_A_INT}) == (200, {"id": 5})
        status, answer = _ask(server, "GET", "/subjects/t-value/versions/2")
        assert (status, answer["id"], json.loads(answer["schema"])) == (200, 5, json.loads(T_A_INT))
        assert _ask(server, "GET", "/schemas/ids/5/versions") == (200, [{"subject": "t-value", "version": 2}])
        assert _ask(server, "GET", "/schemas/ids/1/versions") == (200, [{"subject": "t-value", "version": 1}])
    finally:
        server.stop()


def test_deletes__a_referenced_version_cannot_be_deleted() -> None:
    """Capture 125: 422 / 42206 naming the referenced subject and version."""
    server = _registry("karapace")
    outer = json.dumps({"type": "record", "name": "Outer", "fields": [{"name": "t", "type": "T"}]})
    server.register("ref-value", outer, references=[{"name": "T", "subject": "t-value", "version": 1}])
    try:
        assert _ask(server, "DELETE", "/subjects/t-value/versions/1") == (422, {
            "error_code": 42206, "message": "One or more references exist to the schema "
                                            "{magic=1,keytype=SCHEMA,subject=t-value,version=1}."})
    finally:
        server.stop()


def test_deletes__apicurio_is_not_modelled_so_no_test_relies_on_a_guess() -> None:
    """Apicurio's delete semantics were not verified: its DELETE is an error, never an answer."""
    server = _registry("apicurio")
    try:
        assert _ask(server, "DELETE", "/subjects/t-value")[0] == 500
    finally:
        server.stop()
