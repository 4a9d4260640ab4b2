"""The shared HTTP layer of the registry backends (Confluent API, Unity Catalog, ...).

One :class:`HttpClient` per configured registry wraps one ``httpx.Client`` (thread-safe,
keep-alive connection pool) and adds what every HTTP backend needs:

* timeouts (connect / read), TLS verification on by default, a CA bundle, mTLS;
* proxies from the environment (httpx ``trust_env``);
* auth: basic, bearer, or OAuth client credentials (token cached until it expires,
  refreshed once when the server answers 401); extra headers;
* retries with exponential backoff on connect errors, 429 (``Retry-After`` honoured)
  and 5xx;
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
import random
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import BackendAuthError, BackendError, BackendProtocolError, BackendUnavailable, ConfigError
from ..secrets import Secret, register_secret, scrub
from .base import Option

# The connection keys every HTTP backend accepts, declared once.
CONNECTION_OPTIONS: Mapping[str, Option] = {
    "timeout": Option((float, dict), keys={"connect": Option(float), "read": Option(float)},
                      doc="seconds; a number or {connect, read} (default 10 / 30)"),
    "retries": Option(int, doc="retries on connect errors, 429 and 5xx (default 3)"),
    "verify": Option(bool, doc="verify the TLS certificate (default true)"),
    "ca_bundle": Option(str, doc="CA file to verify the server's certificate with"),
    "cert": Option(str, doc="client certificate (PEM) for mutual TLS"),
    "key": Option(str, doc="client key (PEM) for mutual TLS"),
}

__all__ = [
    "CONNECTION_OPTIONS",
    "EXCEPTION_TABLE",
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
_SENSITIVE_HEADER_WORDS = ("auth", "key", "token", "secret", "password", "cookie")


def reveal(value: Any) -> str | None:
    """The plain text of a config value that may be a :class:`Secret` (registered for scrubbing)."""
    if value is None:
        return None
    if isinstance(value, Secret):
        return value.reveal()
    text = str(value)
    register_secret(text)
    return text


def safe_url(url: httpx.URL | str) -> str:
    """``url`` without user info and query string: safe to show."""
    parsed = httpx.URL(str(url))
    return str(parsed.copy_with(username=None, password=None, query=None, fragment=None))


@dataclass(frozen=True)
class AuthSettings:
    """Credentials for one registry; the kind follows from the keys present.

    ``username``/``password``: HTTP basic (Confluent Cloud API key/secret);
    ``token``: a bearer token; ``client_id``/``client_secret``/``token_url`` (+ ``scope``):
    OAuth 2 client credentials, sent in the form body (``client_auth="post"``, RFC 6749's
    ``client_secret_post``) or as HTTP basic auth (``client_auth="basic"``, what Databricks
    asks for).
    """

    username: str | None = None
    password: Any = None
    token: Any = None
    client_id: str | None = None
    client_secret: Any = None
    token_url: str | None = None
    scope: str | None = None
    client_auth: str = "post"

    @property
    def kind(self) -> str:
        """``none``, ``basic``, ``bearer`` or ``oauth``."""
        if self.client_id or self.client_secret or self.token_url:
            return "oauth"
        if self.token:
            return "bearer"
        if self.username or self.password:
            return "basic"
        return "none"

    @property
    def fix(self) -> str:
        """Which keys to check when the registry refuses these credentials."""
        return {
            "basic": "check auth.username and auth.password",
            "bearer": "the token may be expired or wrong: renew auth.token",
            "oauth": "check auth.client_id, auth.client_secret, auth.scope and auth.token_url",
            "none": "configure auth (username/password, token, or client_id/client_secret/token_url)",
        }[self.kind]

    @classmethod
    def from_options(cls, raw: Mapping[str, Any] | None, *, backend_id: str) -> AuthSettings:
        """Build from the ``auth:`` mapping of a registry entry.

        :raises ConfigError: incomplete or mixed credentials.
        """
        raw = dict(raw or {})
        fields: dict[str, Any] = {k: raw.get(k) for k in cls.__dataclass_fields__}
        fields["client_auth"] = raw.get("client_auth") or "post"
        auth = cls(**fields)
        key = f"registries[{backend_id}].auth"
        kinds = [k for k, keys in (("basic", ("username", "password")), ("bearer", ("token",)),
                                   ("oauth", ("client_id", "client_secret", "token_url")))
                 if any(raw.get(n) for n in keys)]
        if len(kinds) > 1:
            raise ConfigError(f"give one kind of credentials, not {' and '.join(kinds)}", key=key)
        if auth.kind == "basic" and not (auth.username and auth.password):
            raise ConfigError("basic auth needs both username and password", key=key)
        if auth.kind == "oauth" and not (auth.client_id and auth.client_secret and auth.token_url):
            raise ConfigError("OAuth needs client_id, client_secret and token_url", key=key)
        for value in (auth.password, auth.token, auth.client_secret):
            reveal(value)
        return auth


@dataclass(frozen=True)
class HttpSettings:
    """Everything :class:`HttpClient` needs; built by a backend from its options.

    :param retries: how many times a request is repeated after a retryable failure.
    :param backoff: the first backoff in seconds; it doubles each retry (with jitter).
    :param max_retry_after: the longest ``Retry-After`` honoured; beyond it the request fails.
    :param sleep: injectable for tests.
    """

    base_url: str
    backend_id: str
    auth: AuthSettings = field(default_factory=AuthSettings)
    headers: Mapping[str, Any] = field(default_factory=dict)
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    verify: bool = True
    ca_bundle: str | None = None
    cert: str | None = None
    key: str | None = None
    retries: int = 3
    backoff: float = 0.25
    max_retry_after: float = 30.0
    max_connections: int = 16
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    user_agent: str = "pytest-schemafed"


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

    Relative certificate paths are relative to ``rootdir``.
    """
    timeout = options.get("timeout")
    connect, read = 10.0, 30.0
    if isinstance(timeout, (int, float)):
        connect = read = float(timeout)
    elif isinstance(timeout, Mapping):
        connect, read = float(timeout.get("connect", connect)), float(timeout.get("read", read))

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
        verify=bool(options.get("verify", True)),
        ca_bundle=path("ca_bundle"),
        cert=path("cert"),
        key=path("key"),
        retries=int(options.get("retries", 3)),
        max_connections=max(max_in_flight, 4),
        transport=transport,
        **extra,
    )


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


def _reconnectable(exc: BaseException) -> bool:
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
                             url=url, origin=origin)
        if "{url}" not in row[2] and "{origin}" not in row[2]:
            text += f" [{url}]"
        return row[1](text, backend_id=settings.backend_id, url=url)
    return BackendUnavailable(f"request failed ({type(exc).__name__}: {reason}) [{url}]",
                              backend_id=settings.backend_id, url=url)


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


class _OAuthToken:
    """Client-credentials token, fetched on first use and cached until shortly before expiry."""

    def __init__(self, auth: AuthSettings) -> None:
        self.auth = auth
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires = 0.0

    def get(self, client: HttpClient) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires:
                self._token, self._expires = self._fetch(client)
            return self._token

    def invalidate(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None

    def _fetch(self, client: HttpClient) -> tuple[str, float]:
        auth = self.auth
        assert auth.token_url is not None
        data = {"grant_type": "client_credentials"}
        headers: dict[str, str] = {}
        if auth.client_auth == "basic":
            pair = f"{auth.client_id}:{reveal(auth.client_secret) or ''}".encode()
            encoded = base64.b64encode(pair).decode()
            register_secret(encoded)
            headers["Authorization"] = f"Basic {encoded}"
        else:
            data.update(client_id=auth.client_id or "", client_secret=reveal(auth.client_secret) or "")
        if auth.scope:
            data["scope"] = auth.scope
        url = safe_url(auth.token_url)
        response = client.send_raw("POST", auth.token_url, data=data, authenticate=False, headers=headers)
        if response.status_code in (400, 401, 403):
            raise client.latch(BackendAuthError(
                f"the OAuth token endpoint {url} refused the client credentials (HTTP {response.status_code}); "
                f"{auth.fix}", backend_id=client.settings.backend_id, url=url))
        if response.status_code != 200:
            raise BackendUnavailable(f"the OAuth token endpoint {url} answered HTTP {response.status_code}",
                                     backend_id=client.settings.backend_id, url=url)
        try:
            body = response.json()
            token = str(body["access_token"])
        except (ValueError, KeyError, TypeError):
            raise BackendProtocolError(f"the OAuth token endpoint {url} gave no access_token",
                                       backend_id=client.settings.backend_id, url=url) from None
        register_secret(token)
        lifetime = float(body.get("expires_in") or 300)
        return token, time.monotonic() + max(lifetime - min(30.0, lifetime / 10), 0.0)


class HttpClient:
    """One registry's HTTP client: thread-safe, retrying, error-mapping. See the module docstring."""

    def __init__(self, settings: HttpSettings) -> None:
        self.settings = settings
        self._oauth = _OAuthToken(settings.auth) if settings.auth.kind == "oauth" else None
        self._fatal: BackendError | None = None
        self._lock = threading.Lock()
        self.requests_sent = 0
        userinfo = httpx.URL(settings.base_url).password
        if userinfo:  # https://key:secret@host also authenticates; keep the secret out of messages
            register_secret(userinfo)
        headers = {"User-Agent": settings.user_agent}
        for name, value in settings.headers.items():
            if isinstance(value, Secret) or any(w in name.lower() for w in _SENSITIVE_HEADER_WORDS):
                headers[str(name)] = reveal(value) or ""
            else:
                headers[str(name)] = str(value)
        limits = httpx.Limits(max_connections=settings.max_connections,
                              max_keepalive_connections=settings.max_connections)
        timeout = httpx.Timeout(connect=settings.connect_timeout, read=settings.read_timeout,
                                write=settings.read_timeout, pool=None)
        self._client = httpx.Client(
            base_url=settings.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=timeout,
            limits=limits,
            verify=self._ssl_context(),
            transport=settings.transport,
            trust_env=True,
            follow_redirects=True,
        )

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
        """Send once with retries on connect errors, 429 and 5xx; map exceptions. No status checks."""
        s = self.settings
        shown = safe_url(self._client.base_url.join(url))
        extra = dict(kwargs.pop("headers", None) or {})
        attempt = 0
        while True:
            self._fail_fast()
            try:
                headers = {**extra, **(self._auth_headers() if authenticate else {})}
                with self._lock:
                    self.requests_sent += 1
                response = self._client.request(method, url, headers=headers, **kwargs)
            except BackendError:
                raise
            except Exception as exc:
                error = map_exception(exc, settings=s, url=shown)
                if _reconnectable(exc) and attempt < s.retries and "TLS handshake" not in error.message:
                    s.sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                if _reconnectable(exc) or isinstance(exc, httpx.UnsupportedProtocol):
                    self.latch(error)
                raise error from exc
            if response.status_code in RETRY_STATUSES and attempt < s.retries:
                wait = _retry_after(response) if response.status_code in (429, 503) else None
                if wait is not None and wait > s.max_retry_after:
                    return response
                s.sleep(wait if wait is not None else self._backoff(attempt))
                attempt += 1
                continue
            return response

    def _backoff(self, attempt: int) -> float:
        base: float = self.settings.backoff * (2**attempt)
        return base * (0.5 + random.random() / 2)

    def _auth_headers(self) -> dict[str, str]:
        auth = self.settings.auth
        if auth.kind == "basic":
            raw = f"{auth.username}:{reveal(auth.password)}".encode()
            return {"Authorization": "Basic " + base64.b64encode(raw).decode()}
        if auth.kind == "bearer":
            return {"Authorization": f"Bearer {reveal(auth.token)}"}
        if self._oauth is not None:
            return {"Authorization": f"Bearer {self._oauth.get(self)}"}
        return {}

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request; 401/403 and exhausted retries become errors, other statuses are returned.

        :raises BackendAuthError: the registry refused the credentials (after one OAuth refresh).
        :raises BackendUnavailable: unreachable, rate limited or 5xx after the retries.
        """
        response = self.send_raw(method, url, **kwargs)
        if response.status_code == 401 and self._oauth is not None:
            token = response.request.headers.get("Authorization", "").removeprefix("Bearer ")
            self._oauth.invalidate(token)
            response = self.send_raw(method, url, **kwargs)
        shown = safe_url(response.request.url)
        s = self.settings
        if response.status_code in (401, 403):
            what = "refused the credentials" if response.status_code == 401 else "denied access"
            raise self.latch(BackendAuthError(
                f"the registry {what} (HTTP {response.status_code} at {shown}); {s.auth.fix}",
                backend_id=s.backend_id, url=shown))
        if response.status_code == 429:
            wait = _retry_after(response)
            detail = f", Retry-After {wait:.0f}s" if wait is not None else ""
            raise BackendUnavailable(f"rate limited (HTTP 429{detail}) at {shown} after {s.retries} retries; "
                                     "lower max_in_flight", backend_id=s.backend_id, url=shown)
        if response.status_code >= 500:
            raise BackendUnavailable(f"server error HTTP {response.status_code} at {shown} after {s.retries} "
                                     f"retries: {body_message(response)}",
                                     backend_id=s.backend_id, url=shown)
        return response

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()
