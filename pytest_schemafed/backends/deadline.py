"""A total deadline for each HTTP request, enforced at the socket, and the origin of a URL.

httpx has per-phase timeouts only (connect, each read, each write): a server that sends
one byte a second satisfies every one of them for ever. :func:`install` wraps the
network backend of an ``httpx.Client``'s connection pools (the direct one and the
proxies' ones) so that every socket operation, from connect through the TLS
handshake to the last read of the body, is given at most the time left before the
deadline of the request being sent on this thread (:func:`within`); once it has
passed, the operation fails at once with httpcore's own timeout. The client is
synchronous, so a request and all of its socket operations run on the calling thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

__all__ = ["expired", "install", "origin", "within"]

_state = threading.local()


@contextmanager
def within(seconds: float) -> Iterator[float]:
    """Give the requests sent on this thread inside the block ``seconds`` in all; yields the deadline."""
    outer: float | None = getattr(_state, "deadline", None)
    deadline = time.monotonic() + seconds
    if outer is not None:
        deadline = min(deadline, outer)
    _state.deadline = deadline
    try:
        yield deadline
    finally:
        _state.deadline = outer


def expired(deadline: float) -> bool:
    """Whether ``deadline`` (from :func:`within`) has passed (within the timer's resolution)."""
    return time.monotonic() >= deadline - 0.05


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    deadline: float | None = getattr(_state, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the request's total deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_tcp(host, port, _clamp(timeout, httpcore.ConnectTimeout),
                                               local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _clamp(timeout, httpcore.ConnectTimeout),
                                                       socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install(client: httpx.Client) -> int:
    """Put the deadline under every connection pool of ``client``; returns how many pools it covers.

    A transport that is not httpx's own (``httpx.MockTransport`` in tests) has no
    sockets and is left alone.
    """
    transports = [client._transport, *client._mounts.values()]  # no public access to the pools
    covered = 0
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is None:
            continue
        if not isinstance(backend, _Backend):
            pool._network_backend = _Backend(backend)  # type: ignore[union-attr]
        covered += 1
    return covered


def origin(url: httpx.URL) -> str:
    """``scheme://host[:port]`` of ``url`` (no user info, path or query): what a redirect is judged by."""
    port = f":{url.port}" if url.port is not None else ""
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}{port}"
