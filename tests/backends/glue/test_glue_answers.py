"""Glue answers of the wrong shape: one line naming the operation and the member, never a traceback.

The answers are moto's own, passed through a proxy on 127.0.0.1 that changes one member
of one operation's answer (what a Glue-compatible endpoint or a proxy might send).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from pytest_schemafed.backends.glue import GlueBackend
from pytest_schemafed.errors import BackendProtocolError
from tests.backends.glue.glue_helpers import make_check
from tests.backends.glue.glue_samples import AVRO_COMPATIBLE, AVRO_VERSIONS
from tests.servers.moto_glue import MotoGlue

Mutation = Callable[[bytes], bytes]


class _Proxy(ThreadingHTTPServer):
    upstream: str
    mutations: dict[str, Mutation]


class _Handler(BaseHTTPRequestHandler):
    server: _Proxy

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        answer = httpx.post(self.server.upstream + self.path, content=body, headers=headers, timeout=30)
        data = answer.content
        operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
        if b"Action=AssumeRole" in body:  # STS: the query protocol, XML answers
            operation = "AssumeRole"
        mutate = self.server.mutations.get(operation)
        if mutate is not None and answer.status_code == 200:
            data = mutate(data)
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers.get("Content-Type", "application/x-amz-json-1.1"))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def proxy(moto: MotoGlue) -> Iterator[_Proxy]:
    server = _Proxy(("127.0.0.1", 0), _Handler)
    server.upstream, server.mutations = moto.url, {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _set(member: str, value: Any) -> Mutation:
    return lambda data: json.dumps({**json.loads(data), member: value}).encode()


def _drop(member: str) -> Mutation:
    return lambda data: json.dumps({k: v for k, v in json.loads(data).items() if k != member}).encode()


@pytest.mark.parametrize(("operation", "mutate", "said"), [
    pytest.param("GetSchema", _set("LatestSchemaVersion", 0), "LatestSchemaVersion is 0, expected at least 1",
                 id="latest-zero"),
    pytest.param("GetSchema", _drop("Compatibility"), "Compatibility is missing", id="no-compatibility"),
    pytest.param("GetSchema", _set("DataFormat", ["AVRO"]), "DataFormat is list", id="format-list"),
    pytest.param("GetSchemaVersion", _set("VersionNumber", "3"), "VersionNumber is str '3', not a whole number",
                 id="version-text"),
    pytest.param("GetSchemaVersion", _drop("SchemaDefinition"), "SchemaDefinition is missing", id="no-definition"),
    pytest.param("GetSchemaVersion", _set("Status", None), "Status is missing", id="status-null"),
])
def test_wrong_shape__one_line_naming_operation_and_member(
    moto: MotoGlue, proxy: _Proxy, make_backend: Callable[..., GlueBackend], operation: str, mutate: Mutation,
    said: str,
) -> None:
    moto.seed("user", AVRO_VERSIONS, compatibility="BACKWARD")
    proxy.mutations[operation] = mutate
    backend = make_backend(endpoint_url=f"http://127.0.0.1:{proxy.server_address[1]}")
    with pytest.raises(BackendProtocolError) as info:
        backend.history(make_check(AVRO_COMPATIBLE))
    message = str(info.value)
    assert message.startswith(f"registry '{backend.id}': unexpected answer from Glue to {operation}: "), message
    assert said in message, message
    assert "\n" not in message


def test_right_shape_through_the_proxy__history_as_without_it(
    moto: MotoGlue, proxy: _Proxy, make_backend: Callable[..., GlueBackend]
) -> None:
    """The proxy itself changes nothing: the valid answer beside the hostile ones."""
    moto.seed("user", AVRO_VERSIONS, compatibility="BACKWARD")
    backend = make_backend(endpoint_url=f"http://127.0.0.1:{proxy.server_address[1]}")
    history = backend.history(make_check(AVRO_COMPATIBLE))
    assert [(v.version, v.text) for v in history.versions] == [("3", AVRO_VERSIONS[2])]


def test_assume_role_answer_without_a_session_token__one_line_no_secret(
    moto: MotoGlue, proxy: _Proxy, make_backend: Callable[..., GlueBackend]
) -> None:
    """STS's answer (XML) without SessionToken: one line naming what is lacking, no value of the answer."""
    import re

    seen: list[bytes] = []

    def drop_token(data: bytes) -> bytes:
        seen.append(data)
        return re.sub(rb"<SessionToken>.*?</SessionToken>", b"", data, flags=re.S)

    proxy.mutations["AssumeRole"] = drop_token
    moto.seed("user", AVRO_VERSIONS, compatibility="BACKWARD")
    url = f"http://127.0.0.1:{proxy.server_address[1]}"
    backend = make_backend(role_arn="arn:aws:iam::123456789012:role/schemafed-read", sts_endpoint_url=url)
    with pytest.raises(BackendProtocolError) as info:
        backend.prepare([make_check(AVRO_COMPATIBLE)])
        backend.history(make_check(AVRO_COMPATIBLE))
    message = str(info.value)
    assert message == (f"registry '{backend.id}': unexpected answer from STS to AssumeRole: "
                       "Credentials without SessionToken")
    secret = re.search(rb"<SecretAccessKey>(.*?)</SecretAccessKey>", seen[0])
    assert secret is not None and secret.group(1).decode() not in message
