"""Hostile HTTP servers on 127.0.0.1 for the security tests: what a registry, proxy or attacker may do.

Each server records every request it receives (method, path, headers, body). Kinds:

* ``echo``: answers every request with ``status`` (default 500) and a body that quotes the
  request's headers, the way some proxies and registries do in their error pages: the
  Confluent error shape (``error_code``, ``message``) with AWS's ``__type`` beside it, so
  that the Confluent, Unity Catalog and Glue clients all show the message. It also sets
  a cookie. ``POST .../token`` paths answer an OAuth token (``token``) instead.
* ``redirect``: answers ``status`` (default 307) with ``Location`` on ``target`` (another
  origin: 127.0.0.1 on another port) and the same path and query; ``same_origin_hops``
  > 0 first redirects that many times within its own origin (``/hop/N/...``) and then
  answers ``200 {"compatibilityLevel": "BACKWARD"}``.
* ``trickle``: answers ``200`` with a JSON body of ``length`` bytes sent one byte every
  ``interval`` seconds; with ``trickle_headers`` the status line and headers trickle too.

:func:`refused_url` gives a URL on which nothing listens (connection refused).
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["HostileServer", "Request", "refused_url"]

SENSITIVE_FIRST = ("x-amz-security-token", "x-api-key", "authorization", "cookie", "proxy-authorization")


class Request:
    """One request the server received."""

    def __init__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> None:
        self.method, self.path, self.headers, self.body = method, path, headers, body

    def __repr__(self) -> str:
        return f"Request({self.method} {self.path})"


def refused_url() -> str:
    """``http://127.0.0.1:<port>`` where nothing listens: a connect is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class HostileServer:
    """One hostile server (see the module docstring); ``start()`` it, ``stop()`` it."""

    def __init__(self, kind: str = "echo", *, status: int | None = None, target: str = "",
                 same_origin_hops: int = 0, length: int = 200, interval: float = 1.0,
                 trickle_headers: bool = False, token: str = "server-issued-token-0000") -> None:
        if kind not in ("echo", "redirect", "trickle", "record"):
            raise ValueError(f"unknown kind {kind!r}")
        self.kind = kind
        self.status = status or {"echo": 500, "redirect": 307}.get(kind, 200)
        self.target = target.rstrip("/")
        self.same_origin_hops = same_origin_hops
        self.length = length
        self.interval = interval
        self.trickle_headers = trickle_headers
        self.token = token
        self.requests: list[Request] = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> HostileServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (trickling answers end too)."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ answers
    def _record(self, handler: BaseHTTPRequestHandler) -> Request:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        request = Request(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()}, body)
        with self._lock:
            self.requests.append(request)
        return request

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        request = self._record(handler)
        if self.kind == "trickle":
            self._trickle(handler)
        elif self.kind == "redirect":
            self._redirect(handler, request)
        elif self.kind == "echo" and request.method == "POST" and request.path.split("?")[0].endswith("/token"):
            self._send(handler, 200, {"access_token": self.token, "token_type": "Bearer", "expires_in": 3600})
        elif self.kind == "echo":
            self._send(handler, self.status, self._echo_body(request), cookie=True)
        else:
            self._send(handler, 200, {"compatibilityLevel": "BACKWARD"})

    @staticmethod
    def _echo_body(request: Request) -> dict[str, Any]:
        names = sorted(request.headers, key=lambda n: (*SENSITIVE_FIRST, n).index(n))
        dump = "; ".join(f"{name}: {request.headers[name]}" for name in names)
        message = f"echo {request.method} {request.path} {dump} body={request.body.decode('utf-8', 'replace')}"
        return {"error_code": 50001, "message": message, "__type": "InternalServiceException"}

    def _redirect(self, handler: BaseHTTPRequestHandler, request: Request) -> None:
        path = request.path
        if self.same_origin_hops:
            hop = 0
            if path.startswith("/hop/"):
                number, _, rest = path[len("/hop/"):].partition("/")
                hop, path = int(number), "/" + rest
            if hop >= self.same_origin_hops:
                self._send(handler, 200, {"compatibilityLevel": "BACKWARD"})
                return
            location = f"/hop/{hop + 1}{path}"
        else:
            location = f"{self.target}{path}"
        handler.send_response(self.status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any], *, cookie: bool = False) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        if cookie:
            handler.send_header("Set-Cookie", "session=hostile-session-cookie; Path=/")
        handler.end_headers()
        handler.wfile.write(data)

    def _trickle(self, handler: BaseHTTPRequestHandler) -> None:
        body = json.dumps({"compatibilityLevel": "BACKWARD", "pad": "x" * self.length}).encode()
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
                ).encode()
        handler.close_connection = True
        if not self.trickle_headers:
            handler.wfile.write(head)
            handler.wfile.flush()
            head = b""
        for i in range(len(head) + len(body)):
            if self._stopping.wait(self.interval):
                return
            byte = (head + body)[i:i + 1]
            try:
                handler.wfile.write(byte)
                handler.wfile.flush()
            except OSError:
                return

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server._answer(self)

            do_POST = do_PUT = do_DELETE = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler
