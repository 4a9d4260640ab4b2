"""The registry operations of the ``schemafed`` command on an AWS Glue Schema Registry.

Subjects are Glue schema names: ``ListSchemas`` for the subjects, ``GetSchema`` for a
schema's mode, the version calls of the backend for histories, and, for ``levels set``
only, ``UpdateSchema``. A Glue registry has no registry-wide level. The gate never calls
these: it only holds a :class:`~pytest_schemafed.backends.base.Backend`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import SubjectNotFound
from ..model import Check, History, Level
from .admin import AdminUnsupported, RegisteredVersion, RegistryAdmin
from .glue_client import EntityNotFound

if TYPE_CHECKING:
    from .glue import GlueSchema
    from .glue_client import GlueSettings

__all__ = ["GlueAdmin"]


class GlueAdmin(RegistryAdmin):
    """:class:`RegistryAdmin` for :class:`~pytest_schemafed.backends.glue.GlueBackend`.

    A mixin: it uses the backend's client and helpers, declared here for the type checker.
    """

    if TYPE_CHECKING:
        id: str
        settings: GlueSettings
        _checked_registry: bool

        def prepare(self, checks: Sequence[Check]) -> None: ...
        def _call(self, action: str, method: str, **kwargs: Any) -> dict[str, Any]: ...
        def _describe(self, name: str) -> GlueSchema: ...
        def _schema_id(self, name: str) -> dict[str, str]: ...
        def _latest(self, schema: GlueSchema) -> tuple[list[dict[str, Any]], list[str]]: ...
        def read_history(self, schema: GlueSchema, level: Level | None) -> History: ...

    def list_subjects(self, prefix: str | None = None) -> list[str]:
        """``ListSchemas`` of the registry, every page (Glue has no prefix filter: filtered here)."""
        names: list[str] = []
        kwargs: dict[str, Any] = {"RegistryId": {"RegistryName": self.settings.registry_name}, "MaxResults": 100}
        while True:
            page = self._call("list the schemas", "list_schemas", **kwargs)
            names.extend(str(e["SchemaName"]) for e in page.get("Schemas", [])
                         if e.get("SchemaStatus") != "DELETING")
            if not page.get("NextToken"):
                return sorted(n for n in names if not prefix or n.startswith(prefix))
            kwargs["NextToken"] = page["NextToken"]

    def global_level(self) -> Level | None:
        """``None``: a Glue registry has no registry-wide level, each schema has its own."""
        self.prepare(())
        return None

    def subject_level(self, subject: str) -> Level | None:
        """The schema's ``Compatibility`` as a level; ``None`` for ``DISABLED`` (no new version accepted).

        :raises SubjectNotFound: no Glue schema of that name.
        """
        return self._describe(subject).level

    def versions(self, subject: str) -> History:
        """Every version in the history (not FAILURE / DELETING), oldest first, typed by ``DataFormat``.

        :raises SubjectNotFound: no Glue schema of that name, or no version left in it.
        """
        schema = self._describe(subject)
        history = self.read_history(schema, Level.FULL_TRANSITIVE)
        if not history.versions:
            raise SubjectNotFound(f"Glue schema {subject!r} has no version in its history")
        typed = tuple(RegisteredVersion(v.version, v.text, v.references, schema_type=schema.data_format or None)
                      for v in history.versions)
        return replace(history, versions=typed)

    def latest(self, subject: str) -> RegisteredVersion | None:
        """The newest version in the history, ``None`` when there is no such schema (or version)."""
        try:
            schema = self._describe(subject)
        except SubjectNotFound:
            return None
        answers, _ = self._latest(schema)
        if not answers:
            return None
        return RegisteredVersion(str(answers[0]["VersionNumber"]), str(answers[0].get("SchemaDefinition", "")),
                                 schema_type=schema.data_format or None)

    def ping(self) -> float:
        """Seconds ``GetRegistry`` took (it also proves the registry exists)."""
        start = time.perf_counter()
        self._checked_registry = False
        self.prepare(())
        return time.perf_counter() - start

    def set_level(self, level: Level, subject: str | None = None) -> None:
        """``UpdateSchema`` with the Glue mode of ``level`` (``*_TRANSITIVE`` -> ``*_ALL``) on one schema."""
        if subject is None:
            raise AdminUnsupported("set level", type_name=self.type_name, backend_id=self.id,
                                   reason="a Glue registry has no registry-wide level; name the schemas "
                                          "with --subject")
        mode = level.value.replace("_TRANSITIVE", "_ALL")
        try:
            self._call(f"set the compatibility of schema {subject!r}", "update_schema",
                       SchemaId=self._schema_id(subject), Compatibility=mode)
        except EntityNotFound:
            raise SubjectNotFound(f"Glue registry {self.settings.registry_name!r} has no schema {subject!r}") \
                from None
