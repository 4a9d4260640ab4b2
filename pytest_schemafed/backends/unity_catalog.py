"""Backend ``type: unity_catalog``: lakehouse tables (Databricks or open-source Unity Catalog).

A subject maps to a table ``catalog.schema.table`` through ``tables:`` (a map
``subject -> full name``, or a template such as ``main.events.{stem}``; placeholders
``{subject}``, ``{stem}``, ``{topic}`` (the subject without ``-value``/``-key``),
``{name}`` (the record name) and ``{dir}``). The backend only fetches: it reads the table
(``GET /api/2.1/unity-catalog/tables/{full_name}``) and returns it as one registered
version of format ``table`` (:mod:`pytest_schemafed.tables.sink`). The gate judges it like
any other history: the ``table`` format builds the table model from the columns'
``type_json`` (:mod:`pytest_schemafed.tables.spark`), maps the parsed local schema onto
table columns as Spark would, and applies the table evolution rules
(:mod:`pytest_schemafed.tables.rules`). A table that does not exist is a new subject.

Requests: when at least ``list_threshold`` (default 3) subjects map into one
``catalog.schema``, :meth:`prepare` lists that schema's tables once
(``GET /api/2.1/unity-catalog/tables?catalog_name=&schema_name=``, following
``next_page_token``; pages may be empty) instead of one ``GET`` per table.

Auth: a personal access token (``auth: {token: ...}``, sent as a bearer token) or OAuth
machine-to-machine (``auth: {client_id, client_secret}``): ``POST {url}/oidc/v1/token``
with ``grant_type=client_credentials`` and ``scope=all-apis``, the client id and secret
as HTTP basic auth; the token is cached until shortly before it expires.
"""

from __future__ import annotations

import json
import string
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from ..errors import (
    BackendAuthError,
    BackendError,
    BackendProtocolError,
    ConfigError,
    SubjectNotFound,
)
from ..model import Check, History, HistoryVersion
from ..secrets import scrub
from .answers import shown
from .base import Backend, BackendSpec, Option, RunContext
from .http import CONNECTION_OPTIONS, AuthSettings, HttpClient, HttpSettings, safe_url, settings_from_options

__all__ = ["UnityCatalogBackend"]

API = "api/2.1/unity-catalog"
NEW_TABLE_CODES = frozenset({"TABLE_DOES_NOT_EXIST", "TABLE_NOT_FOUND", "NOT_FOUND", "RESOURCE_DOES_NOT_EXIST"})
MISSING_PARENT_CODES = frozenset({"SCHEMA_DOES_NOT_EXIST", "CATALOG_DOES_NOT_EXIST", "SCHEMA_NOT_FOUND",
                                  "CATALOG_NOT_FOUND"})
_MAX_PAGES = 10_000

_AUTH_KEYS: Mapping[str, Option] = {
    "token": Option(str, secret=True, doc="a Databricks personal access token (or an OSS server's token)"),
    "client_id": Option(str, doc="OAuth M2M: the service principal's client id"),
    "client_secret": Option(str, secret=True, doc="OAuth M2M: the service principal's secret"),
    "token_url": Option(str, doc="OAuth M2M: token endpoint (default {url}/oidc/v1/token)"),
    "scope": Option(str, doc="OAuth M2M: scope (default all-apis)"),
}


def _error_code(response: httpx.Response) -> tuple[str, str]:
    """(error_code, message) of a Unity Catalog error answer; ``("", text)`` when not JSON."""
    try:
        body = response.json()
    except ValueError:
        return "", scrub(response.text.strip())[:200]
    if not isinstance(body, dict):
        return "", scrub(str(body))[:200]
    code = str(body.get("error_code") or "")
    message = scrub(str(body.get("message") or ""))[:300]
    for detail in body.get("details") or ():
        reason = detail.get("reason") if isinstance(detail, dict) else None
        if code == "NOT_FOUND" and isinstance(reason, str) and reason:
            code = reason
    return code, message


def _parent_missing(code: str, message: str) -> bool:
    lowered = message.lower()
    return code in MISSING_PARENT_CODES or lowered.startswith(("schema not found", "catalog not found")) or (
        code == "NOT_FOUND" and ("schema" in lowered or "catalog" in lowered) and "table" not in lowered)


class UnityCatalogBackend(Backend):
    """Unity Catalog tables as subjects, judged by the table evolution rules (module docstring).

    :param transport: an httpx transport to use instead of the network (tests).
    :param sleep: replaces ``time.sleep`` between retries (tests).
    """

    type_name: ClassVar[str] = "unity_catalog"
    options: ClassVar[Mapping[str, Option]] = {
        "url": Option(str, required=True, doc="workspace URL (https://dbc-....cloud.databricks.com) or OSS server"),
        "auth": Option(dict, keys=_AUTH_KEYS, doc="{token} or OAuth M2M {client_id, client_secret}"),
        "tables": Option((dict, str), doc="subject -> catalog.schema.table, or a template like main.events.{stem}"),
        "table_template": Option(str, doc="template for subjects not in tables, e.g. main.events.{topic}"),
        "list_threshold": Option(int, doc="list a schema's tables once when this many subjects map into it "
                                          "(default 3)"),
        "page_size": Option(int, doc="max_results per listing page (default: the server's)"),
        **CONNECTION_OPTIONS,
    }

    def __init__(
        self,
        spec: BackendSpec,
        context: RunContext,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__(spec, context)
        opts = spec.options
        self.url = self.require_url("https://<workspace host> (or the OSS server's http(s)://host:port)")
        tables = opts.get("tables")
        self.table_map: dict[str, str] = {str(k): str(v) for k, v in tables.items()} \
            if isinstance(tables, Mapping) else {}
        template = tables if isinstance(tables, str) else opts.get("table_template")
        self.template: str | None = str(template) if template else None
        self.list_threshold = max(1, int(opts.get("list_threshold") or 3))
        self.page_size = opts.get("page_size")
        self.http = HttpClient(self._settings(transport, sleep))
        self._listed: dict[tuple[str, str], dict[str, Mapping[str, Any]]] = {}
        self._parent_errors: dict[tuple[str, str], str] = {}

    def _settings(self, transport: httpx.BaseTransport | None,
                  sleep: Callable[[float], None] | None) -> HttpSettings:
        opts = self.spec.options
        raw_auth = dict(opts.get("auth") or {})
        if raw_auth.get("client_id") or raw_auth.get("client_secret"):
            raw_auth.setdefault("token_url", f"{self.url}/oidc/v1/token")
            raw_auth.setdefault("scope", "all-apis")
            raw_auth["client_auth"] = "basic"  # Databricks M2M: client id and secret as HTTP basic auth
        return settings_from_options(
            opts, base_url=self.url, backend_id=self.id, rootdir=self.context.rootdir,
            auth=AuthSettings.from_options(raw_auth, backend_id=self.id),
            max_in_flight=self.max_in_flight, transport=transport, sleep=sleep,
        )

    # ------------------------------------------------------------------ naming
    def table_name(self, check: Check) -> str | None:
        """The full table name ``check``'s subject maps to, lower-cased; ``None`` when unmapped.

        :raises ConfigError: a name without three parts, or a template with an unknown placeholder.
        """
        subject = check.subject
        source = check.source
        name = self.table_map.get(subject)
        key = f"registries[{self.id}].tables"
        if name is None and self.template:
            topic = subject.removesuffix("-value").removesuffix("-key")
            values = {"subject": subject, "stem": source.stem, "topic": topic,
                      "dir": str(PurePosixPath(source.relpath).parent), "name": self._record_name(check)}
            fields = {f for _, f, _, _ in string.Formatter().parse(self.template) if f}
            unknown = sorted(fields - set(values))
            if unknown:
                raise ConfigError(f"unknown placeholder {{{unknown[0]}}} in {self.template!r}; use {{subject}}, "
                                  "{stem}, {topic}, {name} or {dir}", source=self.spec.source or None, key=key)
            name = self.template.format(**values)
        if name is None:
            return None
        parts = name.split(".")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise ConfigError(f"table name {name!r} for subject {subject!r} must have three parts, "
                              "catalog.schema.table (e.g. main.sales.orders)", source=self.spec.source or None,
                              key=key)
        return ".".join(p.strip() for p in parts).lower()

    def _record_name(self, check: Check) -> str:
        try:
            fmt = self.context.registry.format(check.source.format)
            parsed = check.content.parsed if check.content is not None else None
            return (fmt.record_name(parsed) if parsed is not None else None) or check.source.stem
        except KeyError:
            return check.source.stem

    # --------------------------------------------------------------- fetching
    def prepare(self, checks: Sequence[Check]) -> None:
        """List each ``catalog.schema`` that at least ``list_threshold`` checks map into, once."""
        groups: dict[tuple[str, str], set[str]] = defaultdict(set)
        for check in checks:
            try:
                name = self.table_name(check)
            except ConfigError:
                continue
            if name is not None:
                catalog, schema, table = name.split(".")
                groups[(catalog, schema)].add(table)
        for (catalog, schema), names in groups.items():
            if len(names) < self.list_threshold or (catalog, schema) in self._listed:
                continue
            try:
                self._listed[(catalog, schema)] = self._list(catalog, schema)
            except BackendAuthError:
                raise
            except SubjectNotFound as exc:
                self._parent_errors[(catalog, schema)] = exc.message
            except BackendError:
                continue  # the tables are then read one by one, and fail one by one if need be

    def _list(self, catalog: str, schema: str) -> dict[str, Mapping[str, Any]]:
        tables: dict[str, Mapping[str, Any]] = {}
        token: str | None = None
        seen: set[str] = set()
        for _ in range(_MAX_PAGES):
            params: dict[str, Any] = {"catalog_name": catalog, "schema_name": schema}
            if self.page_size:
                params["max_results"] = int(self.page_size)
            if token:
                params["page_token"] = token
            response = self.http.request("GET", f"{API}/tables", params=params)
            if response.status_code == 404:
                code, message = _error_code(response)
                if code or message:
                    raise SubjectNotFound(f"schema {catalog}.{schema} does not exist ({code or message}); "
                                          "check the table names in tables:")
            body = self._json(response, f"{API}/tables")
            listed = body.get("tables")
            if listed is None:
                listed = []  # an empty page: Databricks leaves the key out
            if not isinstance(listed, list) or not all(
                    isinstance(i, Mapping) and isinstance(i.get("name"), str) and i["name"] for i in listed):
                raise self._shape(response, f"expected tables to be a list of tables with a name, got "
                                            f"{shown(listed)}")
            for info in listed:
                tables[f"{catalog}.{schema}.{str(info['name']).lower()}"] = info
            token = body.get("next_page_token")
            if token is not None and not isinstance(token, str):
                raise self._shape(response, f"expected next_page_token to be a string, got {shown(token)}")
            if not token:
                return tables
            if token in seen:
                raise self._shape(response, f"next_page_token {shown(token)} was given before: the listing "
                                            "would never end")
            seen.add(token)
        raise BackendProtocolError(f"the listing of {catalog}.{schema} went on for more than {_MAX_PAGES} pages",
                                   backend_id=self.id)

    def _shape(self, response: httpx.Response, problem: str) -> BackendProtocolError:
        """An answer that is not the documented shape: one line naming the request and what came back."""
        return BackendProtocolError(f"unexpected answer to GET {safe_url(response.request.url)}: {problem}",
                                    backend_id=self.id)

    def _json(self, response: httpx.Response, path: str) -> dict[str, Any]:
        shown = safe_url(response.request.url)
        if response.status_code != 200:
            code, message = _error_code(response)
            raise BackendProtocolError(f"HTTP {response.status_code} at {shown}: {code} {message}".rstrip(),
                                       backend_id=self.id, url=shown)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise BackendProtocolError(f"{shown} did not answer a JSON object; is the url a Unity Catalog "
                                       "workspace?", backend_id=self.id, url=shown)
        return body

    def fetch(self, full_name: str) -> Mapping[str, Any]:
        """The ``TableInfo`` of ``full_name``, from a listing when one was made.

        :raises SubjectNotFound: the table does not exist (yet).
        :raises BackendError: the server could not answer, or the schema does not exist.
        """
        catalog, schema, _ = full_name.split(".")
        parent = (catalog, schema)
        if parent in self._parent_errors:
            raise BackendError(self._parent_errors[parent], backend_id=self.id)
        if parent in self._listed:
            info = self._listed[parent].get(full_name)
            if info is None:
                raise SubjectNotFound(f"table {full_name} does not exist yet")
            return info
        path = f"{API}/tables/{quote(full_name, safe='.')}"
        response = self.http.request("GET", path)
        if response.status_code == 404:
            code, message = _error_code(response)
            if code in NEW_TABLE_CODES and not _parent_missing(code, message):
                raise SubjectNotFound(f"table {full_name} does not exist yet")
            if code or message.lower().startswith(("schema", "catalog")):
                raise BackendError(f"{message or code}; check the catalog and schema in tables: ({full_name})",
                                   backend_id=self.id)
            raise BackendProtocolError(f"{safe_url(response.request.url)} is not a Unity Catalog tables API "
                                       "(HTTP 404 without an error_code); check the url", backend_id=self.id)
        return self._json(response, path)

    # -------------------------------------------------------------- history
    def history(self, check: Check) -> History:
        """The check's table as one registered version of format ``table`` (the gate judges it).

        :raises SubjectNotFound: the subject maps to no table, or the table does not exist (a new table).
        :raises ConfigError: the table name or template is wrong.
        """
        full_name = self.table_name(check)
        if full_name is None:
            raise SubjectNotFound(f"subject {check.subject} is not mapped to a table "
                                  f"(add it to tables: of registry {self.id!r})")
        info = self.fetch(full_name)
        return History((HistoryVersion(full_name, table_info_text(info, full_name), format="table"),))

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def describe(self) -> str:
        """``unity_catalog <id> (<url>)``."""
        return f"{self.type_name} {self.id} ({safe_url(self.url)})"


def table_info_text(info: Mapping[str, Any], full_name: str) -> str:
    """A fetched ``TableInfo`` as registered-version text, its full name made certain."""
    data = dict(info)
    name = data.get("full_name")
    if not isinstance(name, str) or name.count(".") != 2:
        data["full_name"] = full_name
    return json.dumps(data, separators=(",", ":"))
