"""AWS Glue Schema Registry, judged locally: read the registered history, never register.

Glue has no dry-run compatibility check (``CheckSchemaVersionValidity`` checks syntax
only, ``RegisterSchemaVersion`` creates a version), so this backend fetches what the
level needs and the local engine of the format judges it. Per check:

1. ``GetSchema``: the schema's ``DataFormat`` (must match the local file's format) and
   ``Compatibility`` (``NONE``, ``BACKWARD``, ``BACKWARD_ALL``, ... map onto our levels;
   ``*_ALL`` = ``*_TRANSITIVE``). ``EntityNotFoundException`` means a new subject.
   ``DISABLED`` fails the item: Glue would accept no new version.
2. the latest version (``GetSchemaVersion`` with ``LatestVersion``) for a
   non-transitive level; every version for ``*_ALL`` (``ListSchemaVersions``, then
   ``GetSchemaVersion`` per version; where ``ListSchemaVersions`` is not available,
   e.g. moto or a policy without ``glue:ListSchemaVersions``, the version numbers are
   walked down from the latest one).

Versions in status ``FAILURE`` or ``DELETING`` are not part of the history; a
``PENDING`` version is (it becomes the latest if Glue's own check passes) and is
named in the verdict's notes. Choices beyond the issue, written down here:

* a local file whose text equals the latest version of a ``DISABLED`` schema passes
  (with a note): it needs no new version, so nothing would be refused;
* the Glue schema name is ``subjects[subject]`` if mapped, else ``schema_name``
  (a template with ``{subject}`` and ``{stem}``, default ``{subject}``).

The registry operations of the ``schemafed`` command live in
:mod:`pytest_schemafed.backends.glue_admin`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import BackendError, SubjectNotFound
from ..levels import Needs, needs
from ..model import Check, ErrorKind, Finding, History, HistoryVersion, Level, Verdict
from .base import Backend, BackendSpec, Judge, Option, RunContext
from .glue_admin import GlueAdmin
from .glue_answers import check_list_page, check_schema, check_version
from .glue_client import (
    EntityNotFound,
    GlueRegistryNotFound,
    GlueSettings,
    build_client,
    error_code,
    http_status,
    map_error,
)

__all__ = ["DATA_FORMATS", "GLUE_LEVELS", "GLUE_RULES", "GlueBackend", "GlueSchema"]

GLUE_LEVELS: dict[str, Level | None] = {
    "NONE": Level.NONE,
    "DISABLED": None,
    "BACKWARD": Level.BACKWARD,
    "BACKWARD_ALL": Level.BACKWARD_TRANSITIVE,
    "FORWARD": Level.FORWARD,
    "FORWARD_ALL": Level.FORWARD_TRANSITIVE,
    "FULL": Level.FULL,
    "FULL_ALL": Level.FULL_TRANSITIVE,
}
"""Glue ``Compatibility`` -> our level (``DISABLED``: no level, nothing is accepted)."""

DATA_FORMATS: dict[str, str] = {"avro": "AVRO", "json": "JSON", "jsonschema": "JSON", "protobuf": "PROTOBUF"}
"""Our format names -> Glue ``DataFormat`` (a registered format's ``schema_type`` wins)."""

EXCLUDED_STATUSES = frozenset({"FAILURE", "DELETING"})

GLUE_COMPATIBILITY_DISABLED = "GLUE_COMPATIBILITY_DISABLED"
GLUE_DATA_FORMAT_MISMATCH = "GLUE_DATA_FORMAT_MISMATCH"
GLUE_RULES: dict[str, str] = {
    GLUE_COMPATIBILITY_DISABLED: "Checks that the Glue schema accepts new versions (compatibility is not DISABLED).",
    GLUE_DATA_FORMAT_MISMATCH: "Checks that the Glue schema holds the same data format as the local file.",
}
"""The findings this backend adds itself, id -> purpose (the formats own the others)."""


@dataclass(frozen=True, slots=True)
class GlueSchema:
    """What ``GetSchema`` says about one Glue schema."""

    name: str
    data_format: str
    compatibility: str
    latest: int
    status: str = "AVAILABLE"

    @property
    def level(self) -> Level | None:
        """The mapped level; ``None`` for ``DISABLED`` (or a mode this version does not know)."""
        return GLUE_LEVELS.get(self.compatibility)


class _ListUnavailable(Exception):
    """``ListSchemaVersions`` cannot be used here: walk the version numbers instead."""


class GlueBackend(GlueAdmin, Backend):
    """A registry of ``type: glue``: schemas of one AWS Glue Schema Registry.

    :param client: an existing Glue client (tests pass one wrapped in botocore's
        ``Stubber``); by default :meth:`prepare` builds it from the options.
    """

    type_name = "glue"
    options: ClassVar = {
        "registry_name": Option(str, required=True, doc="the Glue registry holding the schemas"),
        "region": Option(str, doc="AWS region (default: AWS_REGION / the profile's region)"),
        "profile": Option(str, doc="named profile of the shared AWS config files"),
        "endpoint_url": Option(str, doc="another Glue endpoint: VPC endpoint, LocalStack, moto"),
        "role_arn": Option(str, doc="IAM role to assume for the run"),
        "external_id": Option(str, secret=True, doc="external id the role's trust policy requires"),
        "sts_endpoint_url": Option(str, doc="another STS endpoint for role_arn"),
        "subjects": Option(dict, doc="subject -> Glue schema name, for names that differ"),
        "schema_name": Option(str, doc="Glue schema name template: {subject} (default) or {stem}"),
        "max_attempts": Option(int, doc="attempts per call incl. the first, throttling backs off (default 5)"),
        "connect_timeout": Option((int, float), doc="seconds to connect (default 10)"),
        "read_timeout": Option((int, float), doc="seconds to wait for an answer (default 30)"),
    }
    max_in_flight = 8

    def __init__(self, spec: BackendSpec, context: RunContext, *, client: Any = None) -> None:
        super().__init__(spec, context)
        self.settings = GlueSettings.from_options(spec.id, spec.options)
        self.max_in_flight = self.settings.max_in_flight
        self._client = client
        self._checked_registry = False
        self._list_unavailable = False

    # ------------------------------------------------------------------ setup
    @property
    def client(self) -> Any:
        """The Glue client; built on first use if :meth:`prepare` was not called."""
        if self._client is None:
            self._client = build_client(self.settings)
        return self._client

    def prepare(self, checks: Sequence[Check]) -> None:
        """Build the client and make sure the registry exists, before any check runs.

        :raises BackendError: no boto3, no credentials, a wrong region or endpoint, or
            a registry name that does not exist: one line naming the registry and the fix.
        """
        if self._checked_registry:
            return
        client = self.client
        try:
            client.get_registry(RegistryId={"RegistryName": self.settings.registry_name})
        except Exception as exc:
            if error_code(exc) == "EntityNotFoundException":
                raise GlueRegistryNotFound(self._registry_missing(client), backend_id=self.id) from None
            raise self._error(exc, "read the registry") from None
        self._checked_registry = True

    def _registry_missing(self, client: Any) -> str:
        region = client.meta.region_name
        names: list[str] = []
        try:
            names = [r["RegistryName"] for r in client.list_registries(MaxResults=20).get("Registries", [])]
        except Exception:  # the list is a courtesy in the message
            pass
        known = f"; registries there: {', '.join(sorted(names))}" if names else ""
        return (f"Glue registry {self.settings.registry_name!r} does not exist in region {region}"
                f"{known}: fix `registry_name:` or `region:`")

    def close(self) -> None:
        """Close the client's connections."""
        if self._client is not None and hasattr(self._client, "close"):
            self._client.close()

    def describe(self) -> str:
        """``glue <id> (registry events, eu-west-1)`` for reports."""
        region = self.settings.region or (self._client.meta.region_name if self._client is not None else None)
        return f"glue {self.id} (registry {self.settings.registry_name}" + (f", {region})" if region else ")")

    # ---------------------------------------------------------------- helpers
    def schema_name(self, check: Check) -> str:
        """The Glue schema name of ``check``'s subject."""
        mapped = (self.spec.options.get("subjects") or {}).get(check.subject)
        if mapped:
            return str(mapped)
        template = str(self.spec.options.get("schema_name") or "{subject}")
        return template.replace("{subject}", check.subject).replace("{stem}", check.source.stem)

    def _schema_id(self, name: str) -> dict[str, str]:
        return {"RegistryName": self.settings.registry_name, "SchemaName": name}

    def _error(self, exc: BaseException, action: str) -> BackendError:
        region = self._client.meta.region_name if self._client is not None else self.settings.region
        return map_error(exc, self.settings, action=action, region=region)

    def _call(self, action: str, method: str, **kwargs: Any) -> dict[str, Any]:
        """Call ``method``; ``EntityNotFoundException`` -> :class:`EntityNotFound`, other errors -> ours."""
        try:
            result: dict[str, Any] = getattr(self.client, method)(**kwargs)
            return result
        except Exception as exc:
            if error_code(exc) == "EntityNotFoundException":
                raise EntityNotFound from None
            raise self._error(exc, action) from None

    # ---------------------------------------------------------------- reading
    def describe_schema(self, check: Check) -> GlueSchema:
        """``GetSchema`` for ``check``'s subject.

        :raises SubjectNotFound: the registry holds no schema of that name.
        """
        return self._describe(self.schema_name(check))

    def _describe(self, name: str) -> GlueSchema:
        try:
            answer = self._call(f"read schema {name!r}", "get_schema", SchemaId=self._schema_id(name))
        except EntityNotFound:
            raise SubjectNotFound(
                f"Glue registry {self.settings.registry_name!r} has no schema {name!r} yet"
            ) from None
        check_schema(answer, self.id)
        if answer.get("SchemaStatus") == "DELETING":
            raise SubjectNotFound(f"Glue schema {name!r} is being deleted")
        return GlueSchema(
            name=name,
            data_format=str(answer.get("DataFormat", "")),
            compatibility=str(answer.get("Compatibility", "")),
            latest=int(answer.get("LatestSchemaVersion") or 0),  # checked: from 1 unless DELETING
            status=str(answer.get("SchemaStatus", "AVAILABLE")),
        )

    def _get_version(self, schema: GlueSchema, **number: Any) -> dict[str, Any] | None:
        """``GetSchemaVersion`` by number (or ``LatestVersion``); ``None`` if it is gone."""
        label = "the latest version" if "LatestVersion" in number else f"version {number.get('VersionNumber')}"
        try:
            answer = self._call(f"read {label} of schema {schema.name!r}", "get_schema_version",
                                SchemaId=self._schema_id(schema.name), SchemaVersionNumber=number)
        except EntityNotFound:  # deleted meanwhile
            return None
        check_version(answer, self.id)
        return answer

    def _text_by_id(self, schema: GlueSchema, version_id: str, number: int) -> str:
        """A version's definition by its id; immutable, so it may come from the run cache."""
        key = f"schemafed-glue/{version_id}"
        if self.context.cache_get is not None:
            cached = self.context.cache_get(key)
            if isinstance(cached, str):
                return cached
        answer = self._call(f"read version {number} of schema {schema.name!r}", "get_schema_version",
                            SchemaVersionId=version_id)
        check_version(answer, self.id)
        text = str(answer["SchemaDefinition"])
        if self.context.cache_set is not None:
            self.context.cache_set(key, text)
        return text

    def _latest(self, schema: GlueSchema) -> tuple[list[dict[str, Any]], list[str]]:
        """The newest version that is part of the history (walking down past FAILURE/DELETING)."""
        skipped: list[str] = []
        answer = self._get_version(schema, LatestVersion=True)
        number = int(answer["VersionNumber"]) if answer else schema.latest
        while number >= 1:
            if answer is not None:
                if answer.get("Status") not in EXCLUDED_STATUSES:
                    return [answer], skipped
                skipped.append(f"{answer.get('VersionNumber')} ({answer.get('Status')})")
            number -= 1
            answer = self._get_version(schema, VersionNumber=number) if number >= 1 else None
        return [], skipped

    def _list(self, schema: GlueSchema) -> list[dict[str, Any]]:
        """``ListSchemaVersions``, every page.

        :raises _ListUnavailable: not implemented (5xx) or not allowed (AccessDenied).
        """
        if self._list_unavailable:
            raise _ListUnavailable
        entries: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"SchemaId": self._schema_id(schema.name), "MaxResults": 100}
        while True:
            try:
                page = self.client.list_schema_versions(**kwargs)
            except Exception as exc:
                code = error_code(exc)
                if code == "EntityNotFoundException":
                    raise EntityNotFound from None
                if http_status(exc) >= 500 or code in ("AccessDeniedException", "NotImplemented",
                                                        "UnknownOperationException"):
                    self._list_unavailable = True
                    raise _ListUnavailable from None
                raise self._error(exc, f"list the versions of schema {schema.name!r}") from None
            check_list_page(page, self.id)
            entries.extend(page["Schemas"])
            token = page.get("NextToken")
            if not token:
                return entries
            kwargs["NextToken"] = token

    def _all(self, schema: GlueSchema) -> tuple[list[dict[str, Any]], list[str]]:
        """Every version that is part of the history, oldest first, and those skipped."""
        skipped: list[str] = []
        found: list[dict[str, Any]] = []
        try:
            entries = self._list(schema)
        except _ListUnavailable:
            for number in range(schema.latest, 0, -1):
                answer = self._get_version(schema, VersionNumber=number)
                if answer is None:
                    continue
                if answer.get("Status") in EXCLUDED_STATUSES:
                    skipped.append(f"{number} ({answer.get('Status')})")
                else:
                    found.append(answer)
            found.reverse()
            skipped.reverse()
            return found, skipped
        except EntityNotFound:  # the schema went away meanwhile
            return [], skipped
        for entry in sorted(entries, key=lambda e: int(e.get("VersionNumber", 0))):
            number = int(entry.get("VersionNumber", 0))
            if entry.get("Status") in EXCLUDED_STATUSES:
                skipped.append(f"{number} ({entry.get('Status')})")
                continue
            try:
                text = self._text_by_id(schema, str(entry["SchemaVersionId"]), number)
            except EntityNotFound:  # deleted between the listing and now
                continue
            found.append({"VersionNumber": number, "Status": entry.get("Status"), "SchemaDefinition": text})
        return found, skipped

    def read_history(self, schema: GlueSchema, level: Level | None) -> History:
        """The versions ``level`` needs (``None``: the latest), with notes on statuses."""
        if level is Level.NONE:
            return History(versions=(), level=schema.level)
        every = level is not None and needs(level) is Needs.ALL
        answers, skipped = self._all(schema) if every else self._latest(schema)
        notes: list[str] = []
        pending = [str(a["VersionNumber"]) for a in answers if a.get("Status") == "PENDING"]
        if pending:
            notes.append(f"Glue schema {schema.name!r}: version {', '.join(pending)} is PENDING (Glue's own "
                         "check has not finished); compared with it as if it becomes AVAILABLE")
        if skipped:
            notes.append(f"Glue schema {schema.name!r}: version {', '.join(skipped)} is not part of the "
                         "history (status FAILURE or DELETING)")
        versions = tuple(HistoryVersion(version=str(a["VersionNumber"]), text=str(a.get("SchemaDefinition", "")))
                         for a in answers)
        return History(versions=versions, level=schema.level, notes=tuple(notes))

    def history(self, check: Check) -> History:
        """The registered versions ``check``'s level needs, oldest first.

        :raises SubjectNotFound: no Glue schema of that name (``EntityNotFoundException``).
        :raises BackendError: Glue could not answer.
        """
        schema = self.describe_schema(check)
        return self.read_history(schema, check.level or schema.level)

    # --------------------------------------------------------------- judging
    def evaluate(self, check: Check, judge: Judge) -> Verdict:
        """Fetch the history and let the local engine judge it; never registers anything.

        A data format that differs from the local file's, or a schema in ``DISABLED``
        mode, fails the item with a finding saying what to do.
        """
        try:
            schema = self.describe_schema(check)
        except SubjectNotFound as exc:
            return Verdict.new_subject(check.level, note=exc.message)
        level = check.level or schema.level
        expected = self._data_format(check.source.format)
        if schema.data_format and schema.data_format != expected:
            return self._refuse(GLUE_DATA_FORMAT_MISMATCH, level, (
                f"Glue schema {schema.name!r} in registry {self.id!r} holds {schema.data_format} data, "
                f"but {check.source.relpath} is a {check.source.format} schema"),
                "map this file to a Glue schema of its own format with `subjects:` or `schema_name:`")
        if schema.compatibility == "DISABLED":
            return self._disabled(check, schema, level)
        if level is None:
            return Verdict.failed(f"registry {self.id!r}: Glue schema {schema.name!r} has compatibility "
                                  f"{schema.compatibility!r}, which this version does not know: set `level:`",
                                  ErrorKind.REGISTRY)
        history = self.read_history(schema, level)
        if level is not Level.NONE and not history.versions:
            return Verdict.new_subject(level, note=" ".join(history.notes) or None)
        return judge(check, history, level).with_notes(*history.notes)

    def _data_format(self, name: str) -> str:
        fmt = self.context.registry.formats.get(name) if self.context.registry is not None else None
        schema_type = getattr(fmt, "schema_type", None)
        return str(schema_type) if schema_type else DATA_FORMATS.get(name, name.upper())

    def _refuse(
        self, rule: str, level: Level | None, message: str, hint: str, versions: tuple[str, ...] = ()
    ) -> Verdict:
        finding = Finding(rule=rule, message=message, line=1, column=1, hint=hint,
                          version=versions[-1] if versions else None)
        return Verdict.judged((finding,), level or self.default_level, versions)

    def _disabled(self, check: Check, schema: GlueSchema, level: Level | None) -> Verdict:
        answers, _ = self._latest(schema)
        if answers and _same_text(str(answers[0].get("SchemaDefinition", "")), check.text):
            note = (f"Glue schema {schema.name!r} is DISABLED; the file equals version "
                    f"{answers[0]['VersionNumber']}, so no new version is needed")
            return Verdict.judged((), level or self.default_level, (str(answers[0]["VersionNumber"]),),
                                  notes=(note,))
        return self._refuse(GLUE_COMPATIBILITY_DISABLED, level, (
            f"Glue schema {schema.name!r} in registry {self.id!r} has compatibility DISABLED: "
            "no new version would be accepted"),
            f"ask the registry owner to set a mode (aws glue update-schema --schema-id "
            f"RegistryName={self.settings.registry_name},SchemaName={schema.name} --compatibility BACKWARD), "
            "or leave this schema unchanged",
            versions=tuple(str(a["VersionNumber"]) for a in answers))


def _same_text(registered: str, local: str) -> bool:
    """True when two schema texts are the same document (JSON compared as data)."""
    if registered.strip() == local.strip():
        return True
    try:
        return bool(json.loads(registered) == json.loads(local))
    except ValueError:
        return " ".join(registered.split()) == " ".join(local.split())
