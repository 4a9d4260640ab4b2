"""The test registry's stored versions: numbering, soft and hard deletes, the versions of an id.

What a real registry does, from its source and the Karapace 6.2 captures
(``/work/shared/registry-captures/karapace-6.2.md``, entries 33 and 71-125):

* a soft delete (``DELETE /subjects/{s}`` or ``.../versions/{v}``) hides versions from
  listings, ``latest`` and ``GET .../versions/{v}`` (40402), but keeps them stored with their
  numbers and ids: ``?deleted=true`` shows them; a second soft delete is 40404 (subject) or
  40406 (version);
* a permanent delete (``?permanent=true``) removes only what was soft-deleted first (40405,
  40407 otherwise); after it the numbers are free: the next registration takes the highest
  stored number plus one, or 1 (Confluent ``KafkaSchemaRegistry.register`` and
  ``deleteSubject``; Karapace ``InMemoryDatabase.get_next_version`` and ``delete_subject_hard``),
  so ``(subject, version)`` can name another schema than before, while an id never does;
* a version another one references cannot be deleted (42206).

Apicurio's delete semantics were not verified: its DELETE answers HTTP 500, so a test cannot
rely on a guess.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


@dataclass
class Registered:
    """One registered version (``deleted``: soft-deleted, still stored and keeping its number)."""

    id: int
    schema: str
    schema_type: str = "AVRO"
    references: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False


class Reply(Exception):
    """Raised by route handlers to answer at once."""

    def __init__(self, status: int, body: Any, content_type: str = CONTENT_TYPE) -> None:
        super().__init__(status)
        self.status, self.body, self.content_type = status, body, content_type


class Store:
    """The stored versions of every subject, and the routes that read and delete them."""

    flavour: str
    levels: dict[str, str]
    subjects: dict[str, dict[int, Registered]]  # every stored version, soft-deleted ones too
    _ids: dict[tuple[str, str, str], int]
    _lock: threading.Lock

    def register(self, subject: str, schema: str, schema_type: str = "AVRO",
                 references: list[dict[str, Any]] | None = None) -> int:
        """Register a version directly (no compatibility check); returns its version number.

        The number is one more than the highest stored one, soft-deleted included, or 1: so a
        hard delete of the highest versions (or of the subject) frees their numbers for other
        schemas, as in Confluent's ``KafkaSchemaRegistry.register`` and Karapace's
        ``get_next_version``. Confluent then drops soft-deleted versions of the same id.
        """
        if self.flavour == "karapace" and schema_type != "PROTOBUF":  # Karapace stores sorted JSON
            schema = json.dumps(json.loads(schema), sort_keys=True, separators=(",", ":"))
        with self._lock:
            key = (schema_type, schema, json.dumps(references or []))
            schema_id = self._ids.setdefault(key, len(self._ids) + 1)
            stored = self.subjects.setdefault(subject, {})
            number = max(stored, default=0) + 1
            if self.flavour == "confluent":
                for old in [n for n, r in stored.items() if r.deleted and r.id == schema_id]:
                    del stored[old]
            stored[number] = Registered(schema_id, schema, schema_type, list(references or []))
            return number

    def versions_of(self, subject: str, *, deleted: bool = False) -> list[tuple[int, Registered]]:
        """The subject's versions, oldest first: live ones, or all stored with ``deleted``; 40401 if none."""
        versions = sorted((n, r) for n, r in self.subjects.get(subject, {}).items() if deleted or not r.deleted)
        if not versions:
            raise Reply(404, {"error_code": 40401, "message": f"Subject '{subject}' not found."})
        return versions

    def version(self, subject: str, raw: str, *, compat: bool = False, deleted: bool = False
                ) -> tuple[int, Registered]:
        """``GET .../versions/{v}``: a live version (a soft-deleted one too with ``deleted``), else 40401/40402."""
        if raw == "latest" or raw == "-1":
            if compat and not self.live(subject) and self.flavour == "karapace":
                raise Reply(404, {"error_code": 40402, "message": "Version -1 not found."})
            return self.versions_of(subject)[-1]
        number = self.number(raw)
        found = dict(self.versions_of(subject, deleted=deleted)).get(number)
        if found is None:
            raise Reply(404, {"error_code": 40402, "message": f"Version {raw} not found."})
        return number, found

    @staticmethod
    def number(raw: str) -> int:
        """A version number from the path; 42202 as the real registry when it is not one."""
        if not raw.isdigit() or not 1 <= int(raw) < 2**31:
            raise Reply(422, {"error_code": 42202, "message": f"The specified version '{raw}' is not a valid "
                              "version id. Allowed values are between [1, 2^31-1] and the string \"latest\""})
        return int(raw)

    def live(self, subject: str) -> list[int]:
        """The numbers of the subject's versions that are not soft-deleted."""
        return sorted(n for n, r in self.subjects.get(subject, {}).items() if not r.deleted)

    def versions_of_id(self, raw: str, deleted: bool) -> list[dict[str, Any]]:
        """``GET /schemas/ids/{id}/versions``: ``[{"subject", "version"}]`` of the id (capture 33).

        Soft-deleted versions only with ``?deleted=true``, as Confluent's ``listVersionsForId``
        and Karapace's ``get_subject_versions_for_schema``. An id no stored version holds:
        Karapace answers ``[]``, Confluent (and Apicurio's documentation) 404 / 40403.
        """
        if not raw.isdigit():
            raise Reply(404, {"error_code": 404, "message": "HTTP 404 Not Found"})
        held = sorted((s, n, r.deleted) for s, stored in self.subjects.items() for n, r in stored.items()
                      if r.id == int(raw))
        if not held and self.flavour != "karapace":
            raise Reply(404, {"error_code": 40403, "message": "Schema not found"})
        return [{"subject": s, "version": n} for s, n, gone in held if deleted or not gone]

    def delete_subject(self, subject: str, permanent: bool) -> list[int]:
        """``DELETE /subjects/{s}[?permanent=true]`` as Confluent's ``SubjectsResource.deleteSubject``
        and Karapace 6.2 (captures 80-93): soft first (40405 otherwise), not twice (40404)."""
        self.modelled_delete()
        stored = self.subjects.get(subject)
        if not stored:
            raise Reply(404, {"error_code": 40401, "message": f"Subject '{subject}' not found."})
        live = self.live(subject)
        if not permanent and not live:
            raise Reply(404, {"error_code": 40404, "message": f"Subject '{subject}' was soft deleted.Set "
                              "permanent=true to delete permanently"})
        self.refuse_if_referenced(subject, sorted(stored) if permanent else live)
        if permanent and live:
            raise Reply(404, {"error_code": 40405, "message": f"Subject '{subject}' was not deleted first "
                              "before being permanently deleted"})
        with self._lock:
            if permanent:
                del self.subjects[subject]
                return sorted(stored)
            for number in live:
                stored[number].deleted = True
        if self.flavour == "confluent":  # Confluent's deleteSubject also drops the subject's config
            self.levels.pop(subject, None)
        return live

    def delete_version(self, subject: str, raw: str, permanent: bool) -> int:
        """``DELETE /subjects/{s}/versions/{v}[?permanent=true]`` as Confluent's
        ``SubjectVersionsResource.deleteSchemaVersion`` and Karapace 6.2 (captures 71-79, 94, 125)."""
        self.modelled_delete()
        stored = self.subjects.get(subject, {})
        number = (self.live(subject) or [0])[-1] if raw == "latest" else self.number(raw)
        reg = stored.get(number)
        if reg is None:
            if not stored:
                raise Reply(404, {"error_code": 40401, "message": f"Subject '{subject}' not found."})
            raise Reply(404, {"error_code": 40402, "message": f"Version {raw} not found."})
        if reg.deleted and not permanent:
            raise Reply(404, {"error_code": 40406, "message": f"Subject '{subject}' Version {raw} was soft "
                              "deleted.Set permanent=true to delete permanently"})
        self.refuse_if_referenced(subject, [number])
        if permanent and not reg.deleted:
            raise Reply(404, {"error_code": 40407, "message": f"Subject '{subject}' Version {raw} was not deleted "
                              "first before being permanently deleted"})
        with self._lock:
            if permanent:
                del stored[number]
            else:
                reg.deleted = True
        if self.flavour == "confluent" and not self.live(subject):  # so does deleteSchemaVersion with the last
            self.levels.pop(subject, None)
        return number

    def refuse_if_referenced(self, subject: str, numbers: list[int]) -> None:
        """42206 when another stored version references one of ``numbers`` (capture 125)."""
        for number in numbers:
            if any(ref.get("subject") == subject and ref.get("version") == number
                   for stored in self.subjects.values() for reg in stored.values() for ref in reg.references):
                raise Reply(422, {"error_code": 42206, "message": "One or more references exist to the schema "
                                  f"{{magic=1,keytype=SCHEMA,subject={subject},version={number}}}."})

    def modelled_delete(self) -> None:
        """Apicurio's delete semantics were not verified: a test relying on them fails instead of guessing."""
        if self.flavour == "apicurio":
            raise Reply(500, {"error_code": 50001, "message": "test server: Apicurio's DELETE is not modelled"})
