"""The registry operations of the ``schemafed`` command on a Confluent-API registry.

``GET /subjects`` (with ``subjectPrefix``, which Karapace ignores: the list is also
filtered here), ``GET /config``, ``GET /config/{s}?defaultToGlobal=false``,
``GET /subjects/{s}/versions[/{n}]`` and, for ``levels set`` only, ``PUT /config[/{s}]``.
The gate never calls these: it only holds a :class:`~pytest_schemafed.backends.base.Backend`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import BackendProtocolError, SubjectNotFound
from ..model import History, Level, RemoteVerdict
from .admin import RegisteredVersion, RegistryAdmin
from .confluent_support import error_detail

if TYPE_CHECKING:
    import httpx

    from .http import HttpClient

__all__ = ["ConfluentAdmin", "url_hint"]

APICURIO_PATH = "/apis/ccompat/v7"


def url_hint(url: str) -> str:
    """What to add to an error when a URL answered like something other than a registry.

    The Apicurio path is suggested only when the URL does not already end with it.
    """
    if url.rstrip("/").endswith(APICURIO_PATH):
        return "; is the url a Confluent-API schema registry?"
    return f"; is the url a Confluent-API schema registry (Apicurio: add {APICURIO_PATH})?"


class ConfluentAdmin(RegistryAdmin):
    """:class:`RegistryAdmin` for :class:`~pytest_schemafed.backends.confluent.ConfluentBackend`.

    A mixin: it uses the backend's client and helpers, declared here for the type checker.
    """

    if TYPE_CHECKING:
        id: str
        url: str
        http: HttpClient

        def _get(self, path: str, **params: str) -> httpx.Response: ...
        def _json(self, response: httpx.Response) -> Any: ...
        def _unexpected(self, response: httpx.Response) -> Exception: ...
        def _parse_level(self, body: Any, response: httpx.Response) -> Level: ...
        @staticmethod
        def _seg(subject: str) -> str: ...
        def _version(self, subject: str, version: str) -> dict[str, Any]: ...
        def _version_numbers(self, subject: str) -> list[int]: ...
        def _resolve_references(self, refs: Any) -> dict[str, str]: ...
        def _post_check(self, subject: str, version: str | None, payload: dict[str, Any]) -> httpx.Response: ...
        def _answer(self, response: httpx.Response, subject: str, versions: Sequence[str]) -> RemoteVerdict: ...

    def _registered(self, body: Mapping[str, Any]) -> RegisteredVersion:
        refs = self._resolve_references(body.get("references"))
        listed = tuple(r for r in body.get("references") or () if isinstance(r, dict))
        return RegisteredVersion(version=str(body.get("version")), text=body["schema"], references=refs or None,
                                 schema_type=str(body.get("schemaType") or "AVRO"), registry_references=listed)

    def list_subjects(self, prefix: str | None = None) -> list[str]:
        """``GET /subjects[?subjectPrefix=...]``; filtered here too (Karapace ignores the parameter)."""
        response = self._get("subjects", **({"subjectPrefix": prefix} if prefix else {}))
        if response.status_code != 200:
            raise self._unexpected(response)
        subjects = self._json(response)
        if not isinstance(subjects, list):
            raise self._unexpected(response)
        return sorted(str(s) for s in subjects if not prefix or str(s).startswith(prefix))

    def global_level(self) -> Level:
        """``GET /config``: the registry's global level (asked again at each call)."""
        response = self._get("config")
        if response.status_code != 200:
            raise self._unexpected(response)
        return self._parse_level(self._json(response), response)

    def subject_level(self, subject: str) -> Level | None:
        """``GET /config/{s}?defaultToGlobal=false``: the subject's own level, ``None`` if it has none.

        :raises SubjectNotFound: the registry knows no such subject (40401).
        """
        response = self._get(f"config/{self._seg(subject)}", defaultToGlobal="false")
        if response.status_code == 200:
            return self._parse_level(self._json(response), response)
        code = error_detail(response)[0] if response.status_code == 404 else None
        if code == 40401:
            raise SubjectNotFound(f"subject {subject!r} is not registered on registry {self.id!r}")
        if code == 40408:
            return None
        raise self._unexpected(response)

    def versions(self, subject: str) -> History:
        """Every registered (not deleted) version, oldest first, with its ``schemaType`` (absent: AVRO).

        :raises SubjectNotFound: no version is registered under ``subject``.
        """
        return History(tuple(self._registered(self._version(subject, str(n)))
                             for n in self._version_numbers(subject)))

    def latest(self, subject: str) -> RegisteredVersion | None:
        """``GET /subjects/{s}/versions/latest``; ``None`` when the subject is not registered."""
        try:
            return self._registered(self._version(subject, "latest"))
        except SubjectNotFound:
            return None

    def ping(self) -> float:
        """Seconds ``GET /config`` took (it needs the credentials, and answers on every flavour)."""
        start = time.perf_counter()
        self.global_level()
        return time.perf_counter() - start

    def registry_judge(self, subject: str, version: RegisteredVersion, against: str) -> RemoteVerdict:
        """``POST /compatibility/subjects/{s}/versions/{against}?verbose=true`` with ``version``'s schema.

        The registry applies the subject's own level to the one version named; nothing is written.
        """
        payload: dict[str, Any] = {"schema": version.text}
        if version.schema_type and version.schema_type != "AVRO":
            payload["schemaType"] = version.schema_type
        if version.registry_references:
            payload["references"] = [dict(r) for r in version.registry_references]
        return self._answer(self._post_check(subject, against, payload), subject, (against,))

    def set_level(self, level: Level, subject: str | None = None) -> None:
        """``PUT /config`` or ``PUT /config/{s}`` with ``{"compatibility": LEVEL}``: the only write."""
        path = "config" if subject is None else f"config/{self._seg(subject)}"
        response = self.http.request("PUT", path, json={"compatibility": level.value},
                                     headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
        if response.status_code == 422 and error_detail(response)[0] == 42203:
            raise BackendProtocolError(f"the registry refuses the level {level.value}: "
                                       f"{error_detail(response)[1]}", backend_id=self.id, url=self.url)
        if response.status_code != 200:
            raise self._unexpected(response)
        body = self._json(response)
        if not isinstance(body, dict) or body.get("compatibility", level.value) != level.value:
            raise self._unexpected(response)
