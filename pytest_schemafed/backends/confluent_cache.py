"""The Confluent-API backend's cache across runs: schema bodies by id, each use confirmed fresh.

A schema id names one schema for good: its text, ``schemaType``, references and metadata
(Confluent finds an id by the hash of text, references, metadata and rule set,
``MD5.ofSchema``; Karapace keeps id -> schema for its lifetime). A subject's version number does
not: a permanent delete (``DELETE /subjects/{s}`` then ``?permanent=true``, or the same for
one version) frees the numbers, and the next registration takes the highest number still
stored, soft-deleted included, plus one, or 1 (Confluent ``KafkaSchemaRegistry.register`` and
``deleteSubject``; Karapace ``InMemoryDatabase.get_next_version`` and ``delete_subject_hard``).
So "version 2 of ``s``" can come back as another schema, and a body cached under that name
would be a stale schema: a green verdict on a break.

So pytest's cache holds, per registry URL and schema context (``<r>``, a digest of both):

* ``schemafed/confluent/<r>/schema/<id>``: ``{schema, schemaType, references, metadata}``;
* ``schemafed/confluent/<r>/version/<digest of the subject>/<n>``: ``{"id": id}``, a *hint*
  that version ``n`` was schema ``id`` when last fetched.

A hinted body is used only once the registry confirms in this run, without any body, that
the pair still holds: ``GET /schemas/ids/{id}/versions`` (``[{"subject": s, "version": n}]``,
served by Confluent, Karapace, Redpanda and Apicurio's ccompat API) must list ``(s, n)``. It
is asked once per id and run, however many versions share the id. Anything else means
"fetch the version afresh", which replaces the hint: the pair not listed, the id gone (40403),
an answer not of the documented shape (read strictly: one stray entry and nothing in it is
believed), a missing route (a bare 404, 405 or 501) or one denied to a reader who may read
the versions (403: Redpanda asks DESCRIBE on the whole registry for it): those two are not
asked again this run. Refused credentials (401) or a server error are the item's error, as
they would be on the version itself.

Soft-deleted versions do not matter here: the history comes from the live listing, which
leaves them out, and a soft delete keeps the pair and its id; only a permanent delete frees
a number, and then the pair leaves the id's list (with or without ``?deleted=true``).
Listings, ``latest``, levels and verdicts are never cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from .confluent_support import Once, is_bare_not_found, version_problem
from .http import HttpClient

__all__ = ["SchemaCache", "listed_pairs"]

#: answers to ``GET /schemas/ids/{id}/versions`` that mean it cannot confirm anything this run: the route is
#: missing (405, 501; a bare 404 too), or denied where versions are not (403: Redpanda asks DESCRIBE on the
#: whole registry for it, where a reader may hold only its subjects)
NO_CONFIRMATIONS = (403, 405, 501)
BODY_KEYS = ("schema", "schemaType", "references", "metadata")


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()


def _context(subject: str) -> str:
    """The schema context of a qualified subject (``:.ctx:name`` -> ``.ctx``); ids are per context."""
    return subject[1:].split(":", 1)[0] if subject.startswith(":.") else ""


def listed_pairs(body: Any) -> frozenset[tuple[str, int]] | None:
    """The ``(subject, version)`` pairs of a ``GET /schemas/ids/{id}/versions`` answer, or ``None``
    when it is not the documented list of ``{"subject": str, "version": int}`` (read strictly)."""
    if not isinstance(body, list):
        return None
    pairs = set()
    for entry in body:
        if not isinstance(entry, dict) or not isinstance(entry.get("subject"), str) \
                or type(entry.get("version")) is not int or entry["version"] < 1:
            return None
        pairs.add((entry["subject"], entry["version"]))
    return frozenset(pairs)


class SchemaCache:
    """Bodies of numbered versions across runs, by schema id, used only when confirmed (module docstring).

    :param url: the registry's base URL (part of every key).
    :param get: reads pytest's cache (``RunContext.cache_get``).
    :param put: writes it (``RunContext.cache_set``; ``None``: read only).
    :param http: the backend's client, for the confirmations.
    """

    def __init__(self, url: str, get: Callable[[str], Any], put: Callable[[str, Any], None] | None,
                 http: HttpClient) -> None:
        self.url = url
        self._get, self._put, self.http = get, put, http
        self._confirmed = Once()
        self._route = True

    def _keys(self, subject: str, number: int, schema_id: int | None = None) -> tuple[str, str]:
        base = f"schemafed/confluent/{_digest(self.url, _context(subject))}"
        return f"{base}/version/{_digest(subject)}/{number}", f"{base}/schema/{schema_id}"

    def _read(self, key: str) -> Any:
        try:
            return self._get(key)
        except Exception:  # an unreadable cache entry is a miss, never an error
            return None

    def _write(self, key: str, value: Any) -> None:
        if self._put is not None:
            try:
                self._put(key, value)
            except Exception:  # a cache that cannot be written costs the next run requests, nothing more
                pass

    def held(self, subject: str, number: int) -> dict[str, Any] | None:
        """Version ``number`` of ``subject`` as ``GET /subjects/{s}/versions/{n}`` would answer it, from the
        cache, if held and confirmed in this run to be still the same schema id; else ``None``."""
        hint = self._read(self._keys(subject, number)[0])
        schema_id = hint.get("id") if isinstance(hint, dict) else None
        if type(schema_id) is not int or schema_id < 1:
            return None
        body = self._read(self._keys(subject, number, schema_id)[1])
        if not isinstance(body, dict) or set(body) - set(BODY_KEYS) or \
                not isinstance(body.get("schemaType"), (str, type(None))):
            return None
        answer = {"subject": subject, "version": number, "id": schema_id, **body}
        if version_problem(answer) is not None or not self._route:
            return None
        pairs = self._confirmed.get((_context(subject), schema_id), lambda: self._confirm(subject, schema_id))
        return answer if pairs is not None and (subject, number) in pairs else None

    def _confirm(self, subject: str, schema_id: int) -> frozenset[tuple[str, int]] | None:
        """``GET /schemas/ids/{id}/versions``: the pairs that hold the id now, or ``None`` (unread, missing)."""
        params = {"subject": subject} if _context(subject) else None  # Confluent finds the id in its context
        response = self.http.request("GET", f"schemas/ids/{quote(str(schema_id))}/versions", params=params,
                                     passthrough=NO_CONFIRMATIONS)
        if response.status_code in NO_CONFIRMATIONS or is_bare_not_found(response):
            self._route = False  # not served (or not to us): every body is fetched this run
            return None
        if response.status_code != 200:
            return None
        try:
            return listed_pairs(response.json())
        except ValueError:
            return None

    def keep(self, subject: str, number: int, answer: dict[str, Any]) -> None:
        """Remember a fetched version (already checked): its body by id, and the hint ``(s, n) -> id``."""
        schema_id = answer.get("id")
        if type(schema_id) is not int or schema_id < 1 or answer.get("version") != number:
            return  # nothing to key it by: used this run, not kept
        hint_key, body_key = self._keys(subject, number, schema_id)
        self._write(body_key, {k: answer.get(k) for k in BODY_KEYS})
        self._write(hint_key, {"id": schema_id})
