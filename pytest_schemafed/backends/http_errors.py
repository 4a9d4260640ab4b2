"""One place where httpx's (and the socket's) exceptions become our :class:`BackendError` classes.

:data:`EXCEPTION_TABLE` holds one row per httpx exception class (a test requires it);
:func:`map_exception` turns an exception into one line naming the registry id, the
url without credentials and what to fix, scrubbed of every secret.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING

import httpx

from ..errors import BackendError, BackendProtocolError, BackendUnavailable
from ..secrets import scrub

if TYPE_CHECKING:
    from .http import HttpSettings

__all__ = ["EXCEPTION_TABLE", "map_exception", "reconnectable"]


# One place where httpx's exceptions become ours: (class, our class, what to say/fix).
# Ordered most specific first; a test requires an exact row for every httpx exception class.
EXCEPTION_TABLE: tuple[tuple[type[Exception], type[BackendError], str], ...] = (
    (httpx.ConnectTimeout, BackendUnavailable, "timed out connecting to {origin} (timeout.connect={connect}s); "
     "check the url and the network, or raise timeout.connect"),
    (httpx.ReadTimeout, BackendUnavailable, "{url} did not answer within timeout.read={read}s; "
     "the registry is overloaded or raise timeout.read"),
    (httpx.WriteTimeout, BackendUnavailable, "timed out sending the request; check the network"),
    (httpx.PoolTimeout, BackendUnavailable, "no free connection in time; lower max_in_flight"),
    (httpx.TimeoutException, BackendUnavailable, "timed out; check the network"),
    (httpx.ConnectError, BackendUnavailable, "cannot connect to {origin} ({reason}); check the url and that the "
     "registry is running"),
    (httpx.ReadError, BackendUnavailable, "the connection broke while reading ({reason})"),
    (httpx.WriteError, BackendUnavailable, "the connection broke while sending ({reason})"),
    (httpx.CloseError, BackendUnavailable, "the connection broke while closing ({reason})"),
    (httpx.NetworkError, BackendUnavailable, "network error ({reason})"),
    (httpx.ProxyError, BackendUnavailable, "the proxy refused the request ({reason}); check HTTPS_PROXY / "
     "NO_PROXY"),
    (httpx.UnsupportedProtocol, BackendUnavailable, "unsupported url scheme; the url must start with "
     "http:// or https://"),
    (httpx.RemoteProtocolError, BackendProtocolError, "the server broke the HTTP protocol ({reason}); "
     "is the url a schema registry?"),
    (httpx.LocalProtocolError, BackendProtocolError, "invalid HTTP request ({reason}); check headers"),
    (httpx.ProtocolError, BackendProtocolError, "HTTP protocol error ({reason})"),
    (httpx.DecodingError, BackendProtocolError, "cannot decode the answer ({reason})"),
    (httpx.TooManyRedirects, BackendProtocolError, "too many redirects; check the url"),
    (httpx.TransportError, BackendUnavailable, "transport error ({reason})"),
    (httpx.RequestError, BackendUnavailable, "request failed ({reason})"),
    (httpx.HTTPStatusError, BackendProtocolError, "unexpected HTTP status ({reason})"),
    (httpx.HTTPError, BackendUnavailable, "HTTP error ({reason})"),
    (httpx.InvalidURL, BackendProtocolError, "invalid url ({reason}); check the url"),
    (httpx.CookieConflict, BackendProtocolError, "conflicting cookies ({reason})"),
    (httpx.StreamConsumed, BackendProtocolError, "internal: response stream consumed twice"),
    (httpx.StreamClosed, BackendProtocolError, "internal: response stream closed"),
    (httpx.ResponseNotRead, BackendProtocolError, "internal: response not read"),
    (httpx.RequestNotRead, BackendProtocolError, "internal: request not read"),
    (httpx.StreamError, BackendProtocolError, "internal: stream error ({reason})"),
    (OSError, BackendUnavailable, "network error ({reason})"),
)


def _tls_reason(exc: BaseException) -> str | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(current)
        if isinstance(current, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
            return getattr(current, "verify_message", None) or getattr(current, "reason", None) or text
        current = current.__cause__ or current.__context__
    return None


def _row(exc: BaseException) -> tuple[type[Exception], type[BackendError], str] | None:
    """The table row for ``exc``; an httpcore exception httpx left unmapped matches by class name."""
    for row in EXCEPTION_TABLE:
        if isinstance(exc, row[0]):
            return row
    for row in EXCEPTION_TABLE:
        if any(k.__name__ == row[0].__name__ for k in type(exc).__mro__):
            return row
    return None


def reconnectable(exc: BaseException) -> bool:
    """Whether ``exc`` failed before the request reached the server (safe to retry)."""
    row = _row(exc)
    return row is not None and row[0] in (httpx.ConnectError, httpx.ConnectTimeout)


def map_exception(exc: Exception, *, settings: HttpSettings, url: str) -> BackendError:
    """Turn an httpx (or socket) exception into our error: one line, registry id, url, fix."""
    reason = scrub(str(exc).strip() or type(exc).__name__)[:200]
    tls = _tls_reason(exc) if isinstance(exc, (httpx.ConnectError, OSError)) else None
    if tls is not None:
        fix = "set ca_bundle to the registry's CA file" if "verify" in tls.lower() or "certificate" in tls.lower() \
            else "check cert, key and ca_bundle"
        return BackendUnavailable(f"TLS handshake with {url} failed ({scrub(str(tls))}); {fix}",
                                  backend_id=settings.backend_id, url=url)
    row = _row(exc)
    if row is not None:
        origin = str(httpx.URL(url).copy_with(path="/", query=None)).rstrip("/")
        text = row[2].format(reason=reason, connect=settings.connect_timeout, read=settings.read_timeout,
                             total=settings.total_timeout,
                             url=url, origin=origin)
        if "{url}" not in row[2] and "{origin}" not in row[2]:
            text += f" [{url}]"
        return row[1](text, backend_id=settings.backend_id, url=url)
    return BackendUnavailable(f"request failed ({type(exc).__name__}: {reason}) [{url}]",
                              backend_id=settings.backend_id, url=url)
