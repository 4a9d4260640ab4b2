"""The shape of each Glue answer the verdict depends on, checked before it is used.

botocore parses Glue's JSON by the service model but does not insist on the members
a verdict needs. A member that is missing or of the wrong type (a Glue-compatible
endpoint, a proxy, LocalStack) is one line, never a default that passes, a
``TypeError`` or a ``KeyError``::

    registry 'glue': unexpected answer from Glue to GetSchemaVersion: VersionNumber is missing
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import BackendProtocolError

__all__ = ["check_list_page", "check_schema", "check_version"]


def _problem(answer: object, member: str, kind: type | tuple[type, ...], *, minimum: int | None = None) -> str | None:
    if not isinstance(answer, Mapping):
        return f"expected an object, got {type(answer).__name__}"
    if member not in answer or answer[member] is None:
        return f"{member} is missing"
    value = answer[member]
    if isinstance(value, bool) or not isinstance(value, kind):
        return f"{member} is {type(value).__name__} {str(value)[:40]!r}, not {_kind_name(kind)}"
    if minimum is not None and isinstance(value, int) and value < minimum:
        return f"{member} is {value}, expected at least {minimum}"
    return None


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "a whole number", list: "a list", dict: "an object"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _fail(operation: str, problem: str, backend_id: str) -> BackendProtocolError:
    return BackendProtocolError(f"unexpected answer from Glue to {operation}: {problem}", backend_id=backend_id)


def _require(answer: Any, operation: str, backend_id: str, *members: tuple[str, type, int | None]) -> None:
    for member, kind, minimum in members:
        problem = _problem(answer, member, kind, minimum=minimum)
        if problem:
            raise _fail(operation, problem, backend_id)


def check_schema(answer: Any, backend_id: str) -> None:
    """``GetSchema``: DataFormat, Compatibility, SchemaStatus and LatestSchemaVersion (a number from 1)."""
    _require(answer, "GetSchema", backend_id, ("DataFormat", str, None), ("Compatibility", str, None),
             ("SchemaStatus", str, None))
    if answer["SchemaStatus"] != "DELETING":
        _require(answer, "GetSchema", backend_id, ("LatestSchemaVersion", int, 1))


def check_version(answer: Any, backend_id: str, *, definition: bool = True) -> None:
    """``GetSchemaVersion``: VersionNumber (from 1), Status, and SchemaDefinition when it is read."""
    members: list[tuple[str, type, int | None]] = [("VersionNumber", int, 1), ("Status", str, None)]
    if definition:
        members.append(("SchemaDefinition", str, None))
    _require(answer, "GetSchemaVersion", backend_id, *members)


def check_list_page(page: Any, backend_id: str) -> None:
    """``ListSchemaVersions``: a list of Schemas (VersionNumber, SchemaVersionId, Status), NextToken a string."""
    _require(page, "ListSchemaVersions", backend_id, ("Schemas", list, None))
    for index, entry in enumerate(page["Schemas"]):
        for member, kind, minimum in (("VersionNumber", int, 1), ("SchemaVersionId", str, None),
                                      ("Status", str, None)):
            problem = _problem(entry, member, kind, minimum=minimum)
            if problem:
                raise _fail("ListSchemaVersions", f"Schemas[{index}]: {problem}", backend_id)
    token = page.get("NextToken")
    if token is not None and not isinstance(token, str):
        raise _fail("ListSchemaVersions", f"NextToken is {type(token).__name__}, not a string", backend_id)
