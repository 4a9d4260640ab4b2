"""A Confluent-API schema registry for tests, answering as the real ones do.

Answers follow the real Karapace 6.2 responses captured in
``/work/shared/registry-captures/karapace-6.2.md`` (status codes, ``error_code``,
content type ``application/vnd.schemaregistry.v1+json``, message texts) and, where
a test picks another ``flavour``, the documented differences of Confluent Schema
Registry and Apicurio's ccompat API (see the README beside the captures):

=================================  ==========================  ======================  =================
behaviour                          karapace                    confluent               apicurio
=================================  ==========================  ======================  =================
POST /compatibility/.../versions   404 ``"Not Found"`` (json)  checks per level        checks per level
compat vs latest, unknown subject  404 / 40402 Version -1      404 / 40401             404 / 40401
``messages`` when incompatible     always, Karapace texts      only with verbose=true  never
unknown route                      404 ``"Not Found"``         404 / error_code 404    404 / error_code 404
base path                          ``/``                       ``/``                   ``/apis/ccompat/v7``
ids/{id}/versions, id not held     200 ``[]``                  404 / 40403             404 / 40403 (docs)
DELETE subject or version          as captured (71-125)        as its source           500 (not modelled)
re-registering a soft-deleted id   keeps the old version       drops the old version   (not modelled)
=================================  ==========================  ======================  =================

Stored versions, their numbering and the soft and permanent deletes live in
:mod:`tests.servers.confluent_store`.

Avro compatibility is decided by Apache Avro's own checker (the one Karapace uses, so
messages match: ``["b"]``, ``"reader type: int not compatible with writer type: string"``);
other schema types by ``judge`` (a callable a test passes), else by the labelled cases of
:mod:`tests.servers.labelled` (never by our engines, never by comparing text): a pair no
label covers is answered with HTTP 500, so a test cannot pass on a guess.

The server records every request (method, raw path) and can inject faults (status,
``Retry-After``, delays), require basic / bearer / OAuth auth (it then also serves a
token endpoint at ``/oauth/token``), add latency, and serve TLS (see ``confluent_tls``).
"""

from __future__ import annotations

import base64
import functools
import json
import secrets
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.servers.confluent_store import Registered, Reply, Store
from tests.servers.labelled import LabelledJudge, Unlabelled

FLAVOURS = ("karapace", "confluent", "apicurio")
APICURIO_PREFIX = "/apis/ccompat/v7"
LEVELS = ("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE")

# (schema_type, reader_text, writer_text, references name -> text) -> [(errorType, message, location)]
Judge = Callable[[str, str, str, dict[str, str]], list[tuple[str, str, str]]]

@dataclass
class Fault:
    """An injected answer: for requests whose path contains ``path``, ``times`` times."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    path: str = ""
    times: int = 1


def avro_judge(schema_type: str, reader: str, writer: str, refs: dict[str, str]) -> list[tuple[str, str, str]]:
    """Apache Avro's checker: can ``reader`` read ``writer``'s data? (errorType, message, location)."""
    import avro.schema
    from avro.compatibility import ReaderWriterCompatibilityChecker

    def parse(text: str) -> Any:
        names = avro.schema.Names()
        for ref in refs.values():
            avro.schema.make_avsc_object(json.loads(ref), names)
        return avro.schema.make_avsc_object(json.loads(text), names)

    result = ReaderWriterCompatibilityChecker().get_compatibility(parse(reader), parse(writer))
    kinds = [k.name.upper() for k in result.incompatibilities] or ["INCOMPATIBLE"]
    locations = sorted(result.locations) or [""]
    return [(kinds[i % len(kinds)], m, locations[i % len(locations)]) for i, m in enumerate(sorted(result.messages))]

class ConfluentTestServer(Store):
    """A threaded registry on 127.0.0.1; use as a context manager.

    :param flavour: ``karapace`` (default), ``confluent`` or ``apicurio``.
    :param latency: seconds added to every request (the benchmark uses 0.02).
    :param basic: required (username, password); :param bearer: required static token;
    :param oauth: required (client_id, client_secret): tokens come from ``/oauth/token``.
    :param tls: an ``ssl.SSLContext`` to serve HTTPS with.
    """

    def __init__(
        self,
        flavour: str = "karapace",
        *,
        latency: float = 0.0,
        basic: tuple[str, str] | None = None,
        bearer: str | None = None,
        oauth: tuple[str, str] | None = None,
        token_ttl: int = 3600,
        tls: ssl.SSLContext | None = None,
        judge: Judge | None = None,
        global_level: str = "BACKWARD",
    ) -> None:
        assert flavour in FLAVOURS, flavour
        self.flavour = flavour
        self.latency = latency
        self.basic, self.bearer, self.oauth, self.token_ttl = basic, bearer, oauth, token_ttl
        self.judge = judge
        self.global_level = global_level
        self.subjects: dict[str, dict[int, Registered]] = {}  # every stored version, soft-deleted ones too
        self.levels: dict[str, str] = {}
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.bodies: list[tuple[str, Any]] = []
        self.tokens: dict[str, float] = {}
        self._ids: dict[tuple[str, str, str], int] = {}
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.registry = self  # type: ignore[attr-defined]
        if tls is not None:  # handshake per connection, in the handler thread (see _Server)
            self._httpd.tls = tls
        self.scheme = "https" if tls is not None else "http"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    # ------------------------------------------------------------- lifecycle
    @property
    def url(self) -> str:
        """The registry's base URL (with the ccompat prefix for apicurio)."""
        prefix = APICURIO_PREFIX if self.flavour == "apicurio" else ""
        return f"{self.scheme}://127.0.0.1:{self._httpd.server_address[1]}{prefix}"

    @property
    def token_url(self) -> str:
        """The OAuth token endpoint."""
        return f"{self.scheme}://127.0.0.1:{self._httpd.server_address[1]}/oauth/token"

    def start(self) -> ConfluentTestServer:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ConfluentTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----------------------------------------------------------------- state
    def set_level(self, level: str, subject: str | None = None) -> None:
        """Set the global level, or a subject's level."""
        if subject is None:
            self.global_level = level
        else:
            self.levels[subject] = level

    def fail(self, status: int, body: Any = None, *, path: str = "", times: int = 1,
             headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        """Answer the next ``times`` requests (whose path contains ``path``) with ``status``."""
        with self._lock:
            self.faults.append(Fault(status, body, dict(headers or {}), delay, path, times))

    def expire_tokens(self) -> None:
        """Make every OAuth token issued so far invalid (the client must fetch a new one)."""
        self.tokens.clear()

    def method_counts(self) -> Counter[str]:
        """How many requests of each HTTP method arrived."""
        return Counter(m for m, _ in self.requests)

    # --------------------------------------------------------------- answers
    def not_found_route(self) -> Reply:
        if self.flavour == "karapace":
            return Reply(404, "Not Found", "application/json")
        return Reply(404, {"error_code": 404, "message": "HTTP 404 Not Found"})

    def level_of(self, subject: str) -> str:
        return self.levels.get(subject, self.global_level)

    def ref_texts(self, references: list[dict[str, Any]] | None) -> dict[str, str]:
        """name -> text of references (nested ones included); 42201 when one is not registered."""
        texts: dict[str, str] = {}
        for ref in references or ():
            stored = self.subjects.get(ref.get("subject", ""), {})
            version = ref.get("version", -1)
            live = self.live(ref.get("subject", ""))
            target = stored.get(live[-1] if version == -1 and live else int(version))
            if target is None:
                raise Reply(422, {"error_code": 42201, "message": f"Invalid schema: reference {ref.get('name')} "
                                  "could not be resolved"})
            texts.update(self.ref_texts(target.references))
            texts[ref["name"]] = target.schema
        return texts

    def compare(self, schema_type: str, new: str, old: str, level: str, refs: dict[str, str]
                ) -> list[tuple[str, str, str]]:
        judge = self.judge or (avro_judge if schema_type == "AVRO" else _labelled())
        problems: list[tuple[str, str, str]] = []
        if level.startswith(("BACKWARD", "FULL")):
            problems += judge(schema_type, new, old, refs)
        if level.startswith(("FORWARD", "FULL")):
            problems += judge(schema_type, old, new, refs)
        return problems

    def check(self, subject: str, body: dict[str, Any], against: list[tuple[int, Registered]],
              verbose: bool) -> dict[str, Any]:
        schema_type = body.get("schemaType", "AVRO")
        level = self.level_of(subject)
        new_refs = self.ref_texts(body.get("references"))
        for number, old in against:
            if old.schema_type != schema_type:
                problems = [("TYPE_MISMATCH", f"Comparing different schema types: SchemaType.{old.schema_type} "
                             f"with SchemaType.{schema_type.replace('JSON', 'JSONSCHEMA')}", "/")]
            elif level == "NONE":
                problems = []
            else:
                refs = {**self.ref_texts(old.references), **new_refs}
                try:
                    problems = self.compare(schema_type, body["schema"], old.schema, level, refs)
                except Unlabelled as exc:
                    raise Reply(500, {"error_code": 50001, "message": str(exc)}) from None
            if problems:
                return self.incompatible(problems, number, old, level, verbose)
        return {"is_compatible": True}

    def incompatible(self, problems: list[tuple[str, str, str]], number: int, old: Registered, level: str,
                     verbose: bool) -> dict[str, Any]:
        if self.flavour == "karapace":
            return {"is_compatible": False, "messages": [m for _, m, _ in problems]}
        if self.flavour == "apicurio" or not verbose:
            return {"is_compatible": False}
        messages = [f"{{errorType:'{kind}', description:'The new schema breaks at path '{loc}': {msg}', "
                    f"additionalInfo:'{msg}'}}" for kind, msg, loc in problems]
        messages += [f"{{oldSchemaVersion: {number}}}", f"{{oldSchema: '{old.schema}'}}",
                     f"{{validateFields: 'false', compatibility: '{level}'}}"]
        return {"is_compatible": False, "messages": messages}

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Any:
        prefix = APICURIO_PREFIX if self.flavour == "apicurio" else ""
        if method == "POST" and path == "/oauth/token":
            return self.issue_token(body)
        if not path.startswith(prefix + "/"):
            raise self.not_found_route()
        parts = [unquote(p) for p in path[len(prefix) + 1:].split("/")]
        verbose = query.get("verbose", ["false"])[0] == "true"
        deleted = query.get("deleted", ["false"])[0] == "true"
        permanent = query.get("permanent", ["false"])[0] == "true"
        match (method, parts):
            case ("GET", ["schemas", "types"]):
                return ["JSON", "AVRO", "PROTOBUF"]
            case ("GET", ["config"]):
                return {"compatibilityLevel": self.global_level}
            case ("GET", ["config", subject]):
                if subject in self.levels:
                    return {"compatibilityLevel": self.levels[subject]}
                if subject not in self.subjects and not (self.flavour == "confluent" and "defaultToGlobal" in query):
                    raise Reply(404, {"error_code": 40401, "message": f"Subject '{subject}' not found."})
                if query.get("defaultToGlobal", ["false"])[0] == "true":
                    return {"compatibilityLevel": self.global_level}
                raise Reply(404, {"error_code": 40408, "message": f"Subject '{subject}' does not have "
                                  "subject-level compatibility configured"})
            case ("PUT", ["config", *rest]) if len(rest) <= 1:
                if not isinstance(body, dict) or "compatibility" not in body:  # Karapace: pydantic's 422 list
                    missing = {"type": "missing", "loc": ["body", "compatibility"], "msg": "Field required",
                               "input": body}
                    raise Reply(422, {"error_code": 422, "message": [missing]})
                if body["compatibility"] not in LEVELS:
                    raise Reply(422, {"error_code": 42203, "message": "Invalid compatibility level"})
                self.set_level(body["compatibility"], rest[0] if rest else None)
                return {"compatibility": body["compatibility"]}
            case ("GET", ["subjects"]):
                # Karapace knows only ?deleted=; it ignores subjectPrefix (FastAPI drops unknown parameters)
                prefix = query.get("subjectPrefix", [""])[0] if self.flavour == "confluent" else ""
                return sorted(s for s, stored in self.subjects.items() if s.startswith(prefix)
                              and any(deleted or not r.deleted for r in stored.values()))
            case ("GET", ["subjects", subject, "versions"]):
                return [n for n, _ in self.versions_of(subject, deleted=deleted)]
            case ("GET", ["subjects", subject, "versions", raw]):
                number, reg = self.version(subject, raw, deleted=deleted)
                return self.describe(subject, number, reg)
            case ("GET", ["subjects", subject, "versions", raw, "schema"]):
                return json.loads(self.version(subject, raw)[1].schema)
            case ("GET", ["schemas", "ids", raw]):
                for stored in self.subjects.values():
                    for reg in stored.values():
                        if str(reg.id) == raw:
                            return {"schema": reg.schema, **self.type_field(reg)}
                raise Reply(404, {"error_code": 40403, "message": "Schema not found"})
            case ("GET", ["schemas", "ids", raw, "versions"]):
                return self.versions_of_id(raw, deleted)
            case ("DELETE", ["subjects", subject]):
                return self.delete_subject(subject, permanent)
            case ("DELETE", ["subjects", subject, "versions", raw]):
                return self.delete_version(subject, raw, permanent)
            case ("POST", ["subjects", subject, "versions"]):
                self.validate(body)
                number = self.register(subject, body["schema"], body.get("schemaType", "AVRO"),
                                       body.get("references"))
                return {"id": self.subjects[subject][number].id}
            case ("POST", ["compatibility", "subjects", subject, "versions", raw]):
                self.validate(body)
                return self.check(subject, body, [self.version(subject, raw, compat=True)], verbose)
            case ("POST", ["compatibility", "subjects", subject, "versions"]):
                if self.flavour == "karapace":
                    raise self.not_found_route()
                self.validate(body)
                numbered = self.versions_of(subject)
                chosen = numbered if self.level_of(subject).endswith("TRANSITIVE") else numbered[-1:]
                return self.check(subject, body, chosen, verbose)
        raise self.not_found_route()

    def describe(self, subject: str, number: int, reg: Registered) -> dict[str, Any]:
        out: dict[str, Any] = {"subject": subject, "version": number, "id": reg.id, "schema": reg.schema}
        out.update(self.type_field(reg))
        if reg.references:
            out["references"] = reg.references
        return out

    @staticmethod
    def type_field(reg: Registered) -> dict[str, str]:
        return {} if reg.schema_type == "AVRO" else {"schemaType": reg.schema_type}

    def validate(self, body: Any) -> None:
        if not isinstance(body, dict) or "schema" not in body:
            raise Reply(422, {"error_code": 422, "message": [{"type": "missing", "loc": ["body", "schema"],
                                                               "msg": "Field required", "input": body}]})
        if body.get("schemaType", "AVRO") not in ("AVRO", "JSON", "PROTOBUF"):
            raise Reply(422, {"error_code": 422, "message": [
                {"type": "enum", "loc": ["body", "schemaType"], "msg": "Input should be 'AVRO', 'JSON' or "
                 "'PROTOBUF'", "input": body["schemaType"], "ctx": {"expected": "'AVRO', 'JSON' or 'PROTOBUF'"}}]})
        if body.get("schemaType", "AVRO") == "AVRO":
            try:
                json.loads(body["schema"])
            except ValueError as exc:
                raise Reply(422, {"error_code": 42201, "message": f"Invalid AVRO schema. Error: {exc}"}) from None

    # ------------------------------------------------------------------ auth
    def issue_token(self, form: Any) -> dict[str, Any]:
        if not isinstance(form, dict) or self.oauth is None or form.get("grant_type") != "client_credentials" \
                or (form.get("client_id"), form.get("client_secret")) != self.oauth:
            raise Reply(401, {"error": "invalid_client"}, "application/json")
        token = secrets.token_hex(16)
        self.tokens[token] = time.monotonic() + self.token_ttl
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}

    def authorized(self, header: str) -> bool:
        if self.basic is not None:
            expected = base64.b64encode(":".join(self.basic).encode()).decode()
            return header == f"Basic {expected}"
        if self.bearer is not None:
            return header == f"Bearer {self.bearer}"
        if self.oauth is not None:
            return self.tokens.get(header.removeprefix("Bearer "), 0) > time.monotonic()
        return True

    def take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.path in path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None


def _fault_body(status: int) -> Any:
    if status == 500:  # Karapace during its start-up window
        return {"error_code": 50003, "message": "Error while forwarding the request to the master."}
    return {"error_code": status, "message": "Injected failure"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    tls: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is not None:
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client refused our certificate, or sent none for mTLS
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is not the server's problem


@functools.lru_cache(maxsize=1)
def _labelled() -> LabelledJudge:
    return LabelledJudge()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each answer (headers, then body) waits for a delayed ACK

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def do_PUT(self) -> None:
        self.dispatch("PUT")

    def do_DELETE(self) -> None:
        self.dispatch("DELETE")

    def dispatch(self, method: str) -> None:
        reg: ConfluentTestServer = self.server.registry  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        with reg._lock:
            reg.requests.append((method, self.path))
        if reg.latency:
            time.sleep(reg.latency)
        split = urlsplit(self.path)
        fault = reg.take_fault(split.path)
        try:
            if fault is not None:
                time.sleep(fault.delay)
                if fault.status:  # status 0: only the delay, then the normal answer
                    raise Reply(fault.status, fault.body if fault.body is not None else _fault_body(fault.status))
            if split.path == "/oauth/token":
                body: Any = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            else:
                if not reg.authorized(self.headers.get("Authorization", "")):
                    raise Reply(401, {"error_code": 40101 if reg.flavour == "karapace" else 401,
                                      "message": "Unauthorized"})
                body = self.json_body(raw, method)
                if body is not None:
                    with reg._lock:
                        reg.bodies.append((self.path, body))
            answer = reg.route(method, split.path, parse_qs(split.query), body)
            self.reply(Reply(200, answer), None)
        except Reply as reply:
            self.reply(reply, fault)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def json_body(self, raw: bytes, method: str) -> Any:
        if method not in ("POST", "PUT"):
            return None
        content_type = self.headers.get("Content-Type", "")
        if not content_type:
            raise Reply(500, "Internal Server Error", "text/plain; charset=utf-8")
        if "json" not in content_type:
            raise Reply(415, {"message": "HTTP 415 Unsupported Media Type"})
        try:
            return json.loads(raw or b"null")
        except ValueError:
            raise Reply(422, {"error_code": 422, "message": [{"type": "json_invalid", "loc": ["body", 0],
                              "msg": "JSON decode error", "input": {}, "ctx": {"error": "Expecting value"}}]}) \
                from None

    def reply(self, reply: Reply, fault: Fault | None) -> None:
        if isinstance(reply.body, str) and reply.content_type.startswith("text/"):
            data = reply.body.encode()
        else:
            data = json.dumps(reply.body, separators=(",", ":")).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (fault.headers if fault else {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
