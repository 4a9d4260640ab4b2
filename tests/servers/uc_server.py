"""A Unity Catalog tables API for tests, answering in the documented Databricks and OSS shapes.

Routes (all under ``/api/2.1/unity-catalog``):

* ``GET /tables/{full_name}``: one ``TableInfo`` (``columns`` with ``type_json``,
  ``type_text``, ``type_name``, ``position``, ``nullable``; ``data_source_format``;
  ``properties``); Databricks adds ``full_name`` and ``table_id``, OSS has no ``full_name``.
* ``GET /tables?catalog_name=&schema_name=&max_results=&page_token=``: pages of
  ``page_size`` tables with ``next_page_token``; with ``empty_pages`` every other page is
  empty (Databricks may answer empty pages that still carry a token).
* ``POST /oidc/v1/token``: OAuth M2M, client id/secret as HTTP basic auth,
  ``grant_type=client_credentials`` and ``scope=all-apis``.

Errors: a missing table is 404 with ``TABLE_DOES_NOT_EXIST`` (flavour ``databricks``,
with an ``ErrorInfo`` detail), ``NOT_FOUND`` (``oss``) or ``TABLE_NOT_FOUND``
(``oss-legacy``); a missing schema ``SCHEMA_DOES_NOT_EXIST`` / ``NOT_FOUND`` "Schema not
found"; a bad token 401 (Databricks: ``{"error_code": "401", "message": "Unauthorized"}``).
Faults (429 with ``Retry-After``, 5xx) are injected per path. Every request is recorded.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

PREFIX = "/api/2.1/unity-catalog"
FLAVOURS = ("databricks", "oss", "oss-legacy")
_SQL = {"integer": "int", "long": "bigint", "short": "smallint", "byte": "tinyint"}
_TYPE_NAME = {"integer": "INT", "long": "LONG", "short": "SHORT", "byte": "BYTE", "string": "STRING",
              "boolean": "BOOLEAN", "float": "FLOAT", "double": "DOUBLE", "binary": "BINARY", "date": "DATE",
              "timestamp": "TIMESTAMP", "timestamp_ntz": "TIMESTAMP_NTZ", "variant": "VARIANT"}


def sql_text(spark_type: Any) -> str:
    """Spark SQL text of a Spark type JSON value (what UC puts in ``type_text``)."""
    if isinstance(spark_type, str):
        return _SQL.get(spark_type, spark_type)
    kind = spark_type["type"]
    if kind == "struct":
        inner = ",".join(f"{f['name']}:{sql_text(f['type'])}" + ("" if f.get("nullable", True) else " NOT NULL")
                         for f in spark_type["fields"])
        return f"struct<{inner}>"
    if kind == "array":
        return f"array<{sql_text(spark_type['elementType'])}>"
    if kind == "map":
        return f"map<{sql_text(spark_type['keyType'])},{sql_text(spark_type['valueType'])}>"
    return str(kind)


def column(name: str, spark_type: Any, nullable: bool = True, *, metadata: dict[str, Any] | None = None,
           type_json: bool = True, type_text: str | None = None) -> dict[str, Any]:
    """One UC ``ColumnInfo`` (``position`` is filled in by :meth:`UCTestServer.add_table`)."""
    text = type_text or sql_text(spark_type)
    if isinstance(spark_type, str):
        type_name = "DECIMAL" if spark_type.startswith("decimal") else _TYPE_NAME.get(spark_type, spark_type.upper())
    else:
        type_name = spark_type["type"].upper()
    info: dict[str, Any] = {"name": name, "type_text": text, "type_name": type_name, "nullable": nullable,
                            "type_precision": 0, "type_scale": 0}
    if isinstance(spark_type, str) and spark_type.startswith("decimal("):
        p, s = spark_type[8:-1].split(",")
        info["type_precision"], info["type_scale"] = int(p), int(s)
    if type_json:
        info["type_json"] = json.dumps({"name": name, "type": spark_type, "nullable": nullable,
                                        "metadata": metadata or {}})
    return info


@dataclass
class Fault:
    """An injected answer for requests whose path contains ``path``, ``times`` times."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    path: str = ""
    times: int = 1


class UCTestServer:
    """The server; use as a context manager. ``url`` is its base address.

    :param flavour: ``databricks``, ``oss`` or ``oss-legacy`` (error codes, ``full_name``).
    :param token: the accepted bearer token (``None``: no auth required).
    :param client_id: with ``client_secret``: OAuth M2M is served and its tokens accepted.
    :param page_size: tables per listing page when the client does not say.
    :param empty_pages: answer an empty page (with a token) before every real page.
    """

    def __init__(self, flavour: str = "databricks", *, token: str | None = None, client_id: str | None = None,
                 client_secret: str | None = None, page_size: int = 50, empty_pages: bool = True) -> None:
        assert flavour in FLAVOURS
        self.flavour = flavour
        self.token = token
        self.client_id = client_id
        self.client_secret = client_secret
        self.page_size = page_size
        self.empty_pages = empty_pages
        self.tables: dict[str, dict[str, Any]] = {}
        self.schemas: set[str] = set()
        self.issued: dict[str, int] = {}
        self.requests: list[tuple[str, str]] = []
        self.auth_headers: list[str] = []
        self.token_requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.app = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> UCTestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ----------------------------------------------------------------- setup
    def add_table(self, full_name: str, columns: list[dict[str, Any]], *, data_source_format: str = "DELTA",
                  properties: dict[str, str] | None = None, table_type: str = "MANAGED") -> None:
        """Serve a table; ``columns`` are built with :func:`column`."""
        catalog, schema, name = full_name.split(".")
        info: dict[str, Any] = {
            "name": name, "catalog_name": catalog, "schema_name": schema, "table_type": table_type,
            "data_source_format": data_source_format,
            "columns": [{**c, "position": i} for i, c in enumerate(columns)],
            "storage_location": f"s3://bucket/{catalog}/{schema}/{name}",
            "properties": dict(properties or {}), "owner": "data-eng", "created_at": 1700000000000,
        }
        if self.flavour == "databricks":
            info["full_name"] = full_name
            info["table_id"] = secrets.token_hex(8)
        self.tables[full_name.lower()] = info
        self.schemas.add(f"{catalog}.{schema}".lower())

    def add_schema(self, catalog_schema: str) -> None:
        """Make an (empty) schema exist."""
        self.schemas.add(catalog_schema.lower())

    def fail(self, status: int, body: Any = None, *, path: str = "", times: int = 1,
             headers: dict[str, str] | None = None) -> None:
        """Answer ``status`` to the next ``times`` requests whose path contains ``path``."""
        self.faults.append(Fault(status, body, dict(headers or {}), path, times))

    def counts(self) -> Counter[str]:
        """Requests by kind: ``get``, ``list``, ``token``."""
        out: Counter[str] = Counter()
        for _method, path in self.requests:
            if path.startswith("/oidc/"):
                out["token"] += 1
            elif path.startswith(PREFIX + "/tables/"):
                out["get"] += 1
            elif path.startswith(PREFIX + "/tables"):
                out["list"] += 1
            else:
                out["other"] += 1
        return out

    # --------------------------------------------------------------- answers
    def not_found(self, what: str, name: str) -> tuple[int, Any]:
        if self.flavour == "databricks":
            code = {"table": "TABLE_DOES_NOT_EXIST", "schema": "SCHEMA_DOES_NOT_EXIST"}[what]
            message = f"{what.title()} '{name}' does not exist."
            return 404, {"error_code": code, "message": message, "details": [
                {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": code,
                 "domain": "unity-catalog.databricks.com"}]}
        code = "NOT_FOUND" if self.flavour == "oss" or what != "table" else "TABLE_NOT_FOUND"
        return 404, {"error_code": code, "message": f"{what.title()} not found: {name}"}

    def authorized(self, header: str) -> bool:
        if self.token is None and self.client_id is None:
            return True
        value = header.removeprefix("Bearer ")
        return (self.token is not None and value == self.token) or value in self.issued

    def issue_token(self, header: str, form: dict[str, list[str]]) -> tuple[int, Any]:
        self.token_requests.append({"authorization": header, "form": form})
        expected = "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if self.client_id is None or header != expected:
            return 401, {"error": "invalid_client", "error_description": "Client authentication failed"}
        if form.get("grant_type") != ["client_credentials"] or form.get("scope") != ["all-apis"]:
            return 400, {"error": "invalid_request", "error_description": "grant_type / scope"}
        token = "dapi-oauth-" + secrets.token_hex(12)
        self.issued[token] = 3600
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": "all-apis"}

    def route(self, method: str, raw_path: str, headers: Any, body: bytes) -> tuple[int, Any, dict[str, str]]:
        split = urlsplit(raw_path)
        path, query = split.path, parse_qs(split.query)
        with self._lock:
            self.requests.append((method, path))
            self.auth_headers.append(headers.get("Authorization", ""))
            for fault in self.faults:
                if fault.times > 0 and fault.path in path:
                    fault.times -= 1
                    return fault.status, fault.body if fault.body is not None else {
                        "error_code": "TEMPORARILY_UNAVAILABLE", "message": "injected"}, fault.headers
        if method == "POST" and path == "/oidc/v1/token":
            form = parse_qs(body.decode())
            status, answer = self.issue_token(headers.get("Authorization", ""), form)
            return status, answer, {}
        if not self.authorized(headers.get("Authorization", "")):
            if self.flavour == "databricks":
                return 401, {"error_code": "401", "message": "Unauthorized"}, {}
            return 401, {"error_code": "UNAUTHENTICATED", "message": "Invalid token"}, {}
        if method == "GET" and path.startswith(PREFIX + "/tables/"):
            name = unquote(path[len(PREFIX) + len("/tables/"):]).lower()
            if name in self.tables:
                return 200, self.tables[name], {}
            parent = name.rsplit(".", 1)[0]
            if parent not in self.schemas:
                status, answer = self.not_found("schema", parent)
                return status, answer, {}
            status, answer = self.not_found("table", name)
            return status, answer, {}
        if method == "GET" and path == PREFIX + "/tables":
            return self.list_tables(query)
        return 404, {"error_code": "ENDPOINT_NOT_FOUND", "message": f"No API found for '{method} {path}'"}, {}

    def list_tables(self, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        catalog = (query.get("catalog_name") or [""])[0].lower()
        schema = (query.get("schema_name") or [""])[0].lower()
        if f"{catalog}.{schema}" not in self.schemas:
            status, answer = self.not_found("schema", f"{catalog}.{schema}")
            return status, answer, {}
        size = int((query.get("max_results") or [self.page_size])[0]) or self.page_size
        names = sorted(n for n in self.tables if n.startswith(f"{catalog}.{schema}."))
        token = (query.get("page_token") or [""])[0]
        # token "e<i>" = the empty page before page i; "p<i>" = page i
        if not token:
            token = "e0" if self.empty_pages else "p0"
        index = int(token[1:])
        if token.startswith("e"):
            return 200, {"tables": [], "next_page_token": f"p{index}"}, {}
        page = names[index * size:(index + 1) * size]
        answer: dict[str, Any] = {"tables": [self.tables[n] for n in page]}
        if (index + 1) * size < len(names):
            answer["next_page_token"] = f"{'e' if self.empty_pages else 'p'}{index + 1}"
        return 200, answer, {}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    app: UCTestServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, answer, headers = self.server.app.route(method, self.path, self.headers, body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        """Serve a GET."""
        self._answer("GET")

    def do_POST(self) -> None:
        """Serve a POST."""
        self._answer("POST")
