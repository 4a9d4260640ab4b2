"""The shared HTTP layer of the registry backends (Confluent API, Unity Catalog, ...).

One :class:`HttpClient` per configured registry wraps one ``httpx.Client`` (thread-safe,
keep-alive connection pool) and adds what every HTTP backend needs:

* timeouts: connect, each read, and a total deadline per request (connect, send and the
  whole answer, redirects included; see :mod:`.deadline`), all finite and positive;
  TLS verification on by default, a CA bundle, mTLS;
* proxies from the environment (httpx ``trust_env``);
* auth: basic, bearer, or OAuth client credentials (token cached until it expires,
  refreshed once when the server answers 401); extra headers;
* retries (0 to 10) with exponential backoff and jitter, each wait capped at
  :data:`BACKOFF_CAP` seconds, on connect errors, 429 and 5xx (``Retry-After`` honoured
  up to the cap; a longer one fails the request at once);
* redirects: followed only within the registry's origin (scheme, host and port), at most
  :data:`MAX_REDIRECTS`; a redirect to another origin fails the request with one line
  naming that origin, so no credential, extra header or cookie ever reaches it. Cookies
  are never stored; extra headers only go to the registry's origin;
* user info in the url (``https://user:pass@host``) becomes basic auth and leaves the url;
* one place (:func:`map_exception`, :data:`EXCEPTION_TABLE`) where every httpx
  exception becomes one of our :class:`~pytest_schemafed.errors.BackendError` classes,
  raised ``from`` the original; messages name the registry id and the URL without
  credentials, never a secret;
* once the registry proved unreachable or refused the credentials, later requests
  fail at once with the same message (a down registry costs one timeout, not one
  per item);
* an injectable ``transport`` (``httpx.MockTransport`` in unit tests).
"""

from __future__ import annotations

import base64
import email.utils
import math
import random
import ssl
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from ..errors import BackendAuthError, BackendError, BackendProtocolError, BackendUnavailable, ConfigError
from ..secrets import Secret, register_basic, scrub
from . import deadline
from .base import Option
from .http_auth import AuthSettings, OAuthToken, reveal, userinfo_to_auth
from .http_errors import EXCEPTION_TABLE, map_exception, reconnectable

# The connection keys every HTTP backend accepts, declared once.
CONNECTION_OPTIONS: Mapping[str, Option] = {
    "timeout": Option((float, dict), keys={"connect": Option(float), "read": Option(float),
                                           "total": Option(float)},
                      doc="seconds; a number (all three) or {connect, read, total} (default 10 / 30 / 30); "
                          "total bounds a whole request: connect, send, the whole answer"),
    "retries": Option(int, doc="retries on connect errors, 429 and 5xx, 0 to 10 (default 3)"),
    "verify": Option(bool, doc="verify the TLS certificate (default true)"),
    "ca_bundle": Option(str, doc="CA file to verify the server's certificate with"),
    "cert": Option(str, doc="client certificate (PEM) for mutual TLS"),
    "key": Option(str, doc="client key (PEM) for mutual TLS"),
}

__all__ = [
    "BACKOFF_CAP",
    "CONNECTION_OPTIONS",
    "EXCEPTION_TABLE",
    "MAX_REDIRECTS",
    "MAX_RETRIES",
    "AuthSettings",
    "HttpClient",
    "HttpSettings",
    "body_message",
    "map_exception",
    "reveal",
    "safe_url",
    "settings_from_options",
]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MAX_RETRIES = 10
BACKOFF_CAP = 10.0
"""The longest single wait between two attempts, computed or asked for by ``Retry-After``."""
DEFAULT_CONNECT, DEFAULT_READ, DEFAULT_TOTAL = 10.0, 30.0, 30.0
_SENSITIVE_HEADER_WORDS = ("auth", "key", "token", "secret", "password", "cookie")


def safe_url(url: httpx.URL | str) -> str:
    """``url`` without user info and query string: safe to show."""
    parsed = httpx.URL(str(url))
    return str(parsed.copy_with(username=None, password=None, query=None, fragment=None))


@dataclass(frozen=True)
class HttpSettings:
    """Everything :class:`HttpClient` needs; built by a backend from its options.

    :param retries: how many times a request is repeated after a retryable failure (0 to 10).
    :param backoff: the first backoff in seconds; it doubles each retry (with jitter), up to
        ``max_retry_after``.
    :param max_retry_after: the longest wait between attempts, computed or asked for by
        ``Retry-After`` (a longer ``Retry-After`` fails the request at once).
    :param total_timeout: the deadline of one attempt: connect, send, every redirect and the
        whole answer.
    :param sleep: injectable for tests.

    :raises ConfigError: a timeout that is not a finite number above 0, or retries outside 0-10.
    """

    base_url: str
    backend_id: str
    auth: AuthSettings = field(default_factory=AuthSettings)
    headers: Mapping[str, Any] = field(default_factory=dict)
    connect_timeout: float = DEFAULT_CONNECT
    read_timeout: float = DEFAULT_READ
    total_timeout: float = DEFAULT_TOTAL
    verify: bool = True
    ca_bundle: str | None = None
    cert: str | None = None
    key: str | None = None
    retries: int = 3
    backoff: float = 0.25
    max_retry_after: float = BACKOFF_CAP
    max_connections: int = 16
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    user_agent: str = "pytest-schemafed"

    def __post_init__(self) -> None:
        key = f"registries[{self.backend_id}]"
        for name, value in (("timeout.connect", self.connect_timeout), ("timeout.read", self.read_timeout),
                            ("timeout.total", self.total_timeout)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or value <= 0:
                raise ConfigError(f"expected a finite number of seconds above 0, got {value!r}",
                                  key=f"{key}.{name}")
        retries = self.retries
        if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= MAX_RETRIES:
            raise ConfigError(f"expected a whole number from 0 to {MAX_RETRIES}, got {retries!r}",
                              key=f"{key}.retries")


def settings_from_options(
    options: Mapping[str, Any],
    *,
    base_url: str,
    backend_id: str,
    rootdir: Any,
    auth: AuthSettings,
    headers: Mapping[str, Any] | None = None,
    max_in_flight: int = 8,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
) -> HttpSettings:
    """Build :class:`HttpSettings` from a registry entry's :data:`CONNECTION_OPTIONS` keys.

    Relative certificate paths are relative to ``rootdir``. User info in ``base_url``
    (``https://user:pass@host``) becomes basic auth and is removed from the url.

    :raises ConfigError: an invalid timeout or retries value (one line naming the key), or
        credentials both in the url and in ``auth``.
    """
    timeout = options.get("timeout")
    connect, read, total = DEFAULT_CONNECT, DEFAULT_READ, DEFAULT_TOTAL
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        connect = read = total = timeout
    elif isinstance(timeout, Mapping):
        connect, read, total = (timeout.get("connect", connect), timeout.get("read", read),
                                timeout.get("total", total))
    base_url, auth = userinfo_to_auth(base_url, auth, backend_id)

    def path(key: str) -> str | None:
        value = options.get(key)
        return str(rootdir / str(value)) if value else None

    extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
    return HttpSettings(
        base_url=base_url,
        backend_id=backend_id,
        auth=auth,
        headers=dict(headers or {}),
        connect_timeout=connect,
        read_timeout=read,
        total_timeout=total,
        verify=bool(options.get("verify", True)),
        ca_bundle=path("ca_bundle"),
        cert=path("cert"),
        key=path("key"),
        retries=options.get("retries", 3),
        max_connections=max(max_in_flight, 4),
        transport=transport,
        **extra,
    )


def body_message(response: httpx.Response) -> str:
    """A short, scrubbed rendering of an error answer: ``error <code>: <message>`` when it is JSON."""
    try:
        body = response.json()
    except ValueError:
        return scrub(response.text.strip())[:160] or response.reason_phrase
    if isinstance(body, dict) and ("message" in body or "error_code" in body):
        code = body.get("error_code")
        text = f"error {code}: {body.get('message', '')}" if code is not None else str(body.get("message"))
        return scrub(text)[:160]
    return scrub(str(body))[:160]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class HttpClient:
    """One registry's HTTP client: thread-safe, retrying, error-mapping. See the module docstring."""

    def __init__(self, settings: HttpSettings) -> None:
        self.settings = settings
        self._oauth = OAuthToken(settings.auth) if settings.auth.kind == "oauth" else None
        self._fatal: BackendError | None = None
        self._lock = threading.Lock()
        self.requests_sent = 0  # every request put on the wire, retries and redirects included
        self._count_lock = threading.Lock()
        base = httpx.URL(settings.base_url.rstrip("/") + "/")
        if base.userinfo:  # settings built by hand: never send or show the url's user info
            register_basic(base.username, base.password)
            base = base.copy_with(username=None, password=None)
        self._origin = deadline.origin(base)
        # Extra headers go only to the registry's own origin (not to an OAuth token endpoint elsewhere).
        self._extra_headers = {str(name): (reveal(value) or "") if isinstance(value, Secret) or any(
            w in str(name).lower() for w in _SENSITIVE_HEADER_WORDS) else str(value)
            for name, value in settings.headers.items()}
        limits = httpx.Limits(max_connections=settings.max_connections,
                              max_keepalive_connections=settings.max_connections)
        timeout = httpx.Timeout(connect=settings.connect_timeout, read=settings.read_timeout,
                                write=settings.read_timeout, pool=settings.total_timeout)
        self._client = httpx.Client(
            base_url=base,
            headers={"User-Agent": settings.user_agent},
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),  # never store a cookie
            timeout=timeout,
            limits=limits,
            verify=self._ssl_context(),
            transport=settings.transport,
            trust_env=True,
            follow_redirects=False,  # see _send: only within the registry's origin
        )
        deadline.install(self._client)

    def _ssl_context(self) -> ssl.SSLContext | bool:
        s = self.settings
        try:
            if not s.verify:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            else:
                context = ssl.create_default_context(cafile=s.ca_bundle)
            if s.cert:
                context.load_cert_chain(s.cert, s.key)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"cannot load TLS files ({exc.__class__.__name__}: {exc}); check ca_bundle, "
                              "cert and key", key=f"registries[{s.backend_id}]") from exc
        return context

    def latch(self, error: BackendError) -> BackendError:
        """Remember ``error``: every later request fails at once with the same message."""
        with self._lock:
            if self._fatal is None:
                self._fatal = error
        return error

    def _fail_fast(self) -> None:
        fatal = self._fatal
        if fatal is not None:
            raise type(fatal)(fatal.message.removeprefix(f"registry {fatal.backend_id!r}: "),
                              backend_id=fatal.backend_id, url=fatal.url)

    def send_raw(self, method: str, url: str, *, authenticate: bool = True, **kwargs: Any) -> httpx.Response:
        """Send with retries on connect errors, 429 and 5xx; map exceptions. No status checks.

        Each attempt has ``total_timeout`` seconds in all (redirects included). The number of
        retries made is in ``response.extensions["schemafed_retries"]``.
        """
        s = self.settings
        target = self._client.base_url.join(url)
        shown = safe_url(target)
        attempt = 0
        while True:
            self._fail_fast()
            try:
                with deadline.within(s.total_timeout) as due:
                    response = self._send(method, target, kwargs, authenticate=authenticate)
            except BackendError:
                raise
            except Exception as exc:
                error = self._failure(exc, shown, attempt, due)
                if reconnectable(exc) and attempt < s.retries and "TLS handshake" not in error.message:
                    s.sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                if reconnectable(exc) or isinstance(exc, httpx.UnsupportedProtocol) or _past(exc, due):
                    self.latch(error)  # down, or too slow to answer within timeout.total: fail the rest at once
                raise error from exc.with_traceback(None)  # its frames hold the request's headers
            response.extensions["schemafed_retries"] = attempt
            if response.status_code in RETRY_STATUSES and attempt < s.retries:
                wait = _retry_after(response) if response.status_code in (429, 503) else None
                if wait is not None and wait > s.max_retry_after:
                    return response
                s.sleep(wait if wait is not None else self._backoff(attempt))
                attempt += 1
                continue
            return response

    def _failure(self, exc: Exception, shown: str, attempt: int, due: float) -> BackendError:
        s = self.settings
        if _past(exc, due):
            return BackendUnavailable(
                f"no complete answer from {shown} within timeout.total={s.total_timeout:g}s{_tried(attempt)}; "
                "the registry is down or too slow, or raise timeout.total", backend_id=s.backend_id, url=shown)
        error = map_exception(exc, settings=s, url=shown)
        if attempt and reconnectable(exc):
            what, sep, fix = error.message.removeprefix(f"registry {s.backend_id!r}: ").partition("; ")
            error = type(error)(f"{what}{_tried(attempt)}{sep}{fix}", backend_id=s.backend_id, url=shown)
        return error

    def _send(self, method: str, target: httpx.URL, kwargs: dict[str, Any], *,
              authenticate: bool) -> httpx.Response:
        """One attempt: the request and its same-origin redirects (at most :data:`MAX_REDIRECTS`)."""
        start = deadline.origin(target)
        for hop in range(MAX_REDIRECTS + 1):
            with self._count_lock:
                self.requests_sent += 1
            response = self._client.request(method, target, headers=self._headers_for(target, kwargs, authenticate),
                                            **{k: v for k, v in kwargs.items() if k != "headers"})
            location = response.headers.get("Location")
            if response.status_code not in REDIRECT_STATUSES or location is None:
                return response
            try:
                next_url = target.join(location)
            except httpx.InvalidURL:
                raise BackendProtocolError(f"HTTP {response.status_code} from {safe_url(target)} with an invalid "
                                           "Location; check the url", backend_id=self.settings.backend_id,
                                           url=safe_url(target)) from None
            if deadline.origin(next_url) != start:
                raise BackendProtocolError(
                    f"HTTP {response.status_code} from {safe_url(target)} redirects to another origin, "
                    f"{deadline.origin(next_url)}; not followed (credentials stay with {start}): set the url "
                    "to the registry's own address", backend_id=self.settings.backend_id, url=safe_url(target))
            if hop == MAX_REDIRECTS:
                break
            if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                method = "GET"
                kwargs = {k: v for k, v in kwargs.items() if k not in ("json", "data", "content", "files")}
            kwargs = {k: v for k, v in kwargs.items() if k != "params"}  # the Location carries its own query
            target = next_url
        raise BackendProtocolError(f"more than {MAX_REDIRECTS} redirects from {safe_url(target)}; check the url",
                                   backend_id=self.settings.backend_id, url=safe_url(target))

    def _headers_for(self, target: httpx.URL, kwargs: Mapping[str, Any], authenticate: bool) -> dict[str, str]:
        """The request's headers: extra and auth headers only for the registry's own origin."""
        headers = dict(kwargs.get("headers") or {})
        if deadline.origin(target) == self._origin:
            headers.update(self._extra_headers)
            if authenticate:
                headers.update(self._auth_headers())
        return headers

    def _backoff(self, attempt: int) -> float:
        s = self.settings
        return float(min(s.max_retry_after, s.backoff * (2 ** attempt)) * (0.5 + random.random() / 2))

    def _auth_headers(self) -> dict[str, str]:
        # No local holds a revealed secret: a --showlocals traceback through here shows none.
        auth = self.settings.auth
        if auth.kind == "basic":
            return {"Authorization": "Basic " + base64.b64encode(
                f"{auth.username or ''}:{reveal(auth.password) or ''}".encode()).decode()}
        if auth.kind == "bearer":
            return {"Authorization": f"Bearer {reveal(auth.token)}"}
        if self._oauth is not None:
            return {"Authorization": f"Bearer {self._oauth.get(self)}"}
        return {}

    def request(self, method: str, url: str, *, passthrough: Collection[int] = (), **kwargs: Any) -> httpx.Response:
        """Send a request; 401/403 and exhausted retries become errors, other statuses are returned.

        :param passthrough: statuses returned to the caller rather than raised (e.g. 501 for a
            route a registry does not implement, where the caller has another way).
        :raises BackendAuthError: the registry refused the credentials (after one OAuth refresh).
        :raises BackendUnavailable: unreachable, rate limited or 5xx after the retries.
        :raises BackendProtocolError: a redirect to another origin, or too many redirects.
        """
        response = self.send_raw(method, url, **kwargs)
        if response.status_code == 401 and self._oauth is not None:
            self._oauth.invalidate(response.request.headers.get("Authorization", "").removeprefix("Bearer "))
            response = self.send_raw(method, url, **kwargs)
        if response.status_code in passthrough:
            return response
        shown = safe_url(response.request.url)
        s = self.settings
        retried = _tried(int(response.extensions.get("schemafed_retries", 0)))
        if response.status_code in (401, 403):
            what = "refused the credentials" if response.status_code == 401 else "denied access"
            raise self.latch(BackendAuthError(
                f"the registry {what} (HTTP {response.status_code} at {shown}); {s.auth.fix}",
                backend_id=s.backend_id, url=shown))
        if response.status_code == 429:
            wait = _retry_after(response)
            detail = f", Retry-After {wait:.0f}s" if wait is not None else ""
            cap = f" (beyond the {s.max_retry_after:g}s cap)" if wait is not None and wait > s.max_retry_after \
                else ""
            raise BackendUnavailable(f"rate limited (HTTP 429{detail}){cap} at {shown}{retried}; "
                                     "lower max_in_flight", backend_id=s.backend_id, url=shown)
        if response.status_code >= 500:
            raise BackendUnavailable(f"server error HTTP {response.status_code} at {shown}{retried}: "
                                     f"{body_message(response)}", backend_id=s.backend_id, url=shown)
        if response.status_code in REDIRECT_STATUSES:
            raise BackendProtocolError(f"HTTP {response.status_code} at {shown} without a Location to follow",
                                       backend_id=s.backend_id, url=shown)
        return response

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()


def _past(exc: Exception, due: float) -> bool:
    """Whether ``exc`` is the request's total deadline (``due``) running out."""
    return isinstance(exc, httpx.TimeoutException) and deadline.expired(due)


def _tried(retries: int) -> str:
    """`` after 2 retries`` / `` after 1 retry`` / ``""``: what really happened."""
    if retries <= 0:
        return ""
    return f" after {retries} {'retry' if retries == 1 else 'retries'}"
