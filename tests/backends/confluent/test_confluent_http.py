"""The shared HTTP layer (backends/http.py): error mapping, retries, auth kinds, secrets, headers."""

from __future__ import annotations

import inspect
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pytest_schemafed.backends.http import (
    EXCEPTION_TABLE,
    AuthSettings,
    HttpClient,
    HttpSettings,
    map_exception,
    safe_url,
)
from pytest_schemafed.errors import BackendAuthError, BackendError, BackendUnavailable, ConfigError
from pytest_schemafed.secrets import Secret
from tests.servers.confluent_server import ConfluentTestServer

from .conftest import Sleeps

CANARY = "canary-s3cret-7f3a"
HTTPX_EXCEPTIONS: list[type[Exception]] = sorted(
    (c for _, c in inspect.getmembers(httpx, inspect.isclass) if issubclass(c, Exception)), key=lambda c: c.__name__)


def _client(url: str, sleeps: Sleeps, **kw: Any) -> HttpClient:
    return HttpClient(HttpSettings(base_url=url, backend_id="prod", sleep=sleeps, **kw))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_exception_table__every_httpx_exception_class_has_its_own_row() -> None:
    """An httpx exception class without an explicit row (say, one added by a new httpx) fails here."""
    rows = {row[0] for row in EXCEPTION_TABLE}
    assert set(HTTPX_EXCEPTIONS) - rows == set() and len(HTTPX_EXCEPTIONS) > 20
    assert all(issubclass(row[1], BackendError) for row in EXCEPTION_TABLE)


@pytest.mark.parametrize("exc_class", HTTPX_EXCEPTIONS)
def test_map_exception__each_httpx_exception_becomes_a_one_line_backend_error(exc_class: type[Exception]) -> None:
    """Each httpx exception maps to a BackendError subclass naming the registry id and url, in one line."""
    request = httpx.Request("GET", "http://sr.example/subjects")
    attempts: list[Callable[[], Exception]] = [
        lambda: exc_class("boom", request=request),  # type: ignore[call-arg]
        lambda: exc_class("boom", request=request, response=httpx.Response(500, request=request)),  # type: ignore[call-arg]
        lambda: exc_class("boom"),
        lambda: exc_class(),
    ]
    for attempt in attempts:
        try:
            exc = attempt()
            break
        except TypeError:
            continue
    error = map_exception(exc, settings=HttpSettings(base_url="http://sr.example", backend_id="prod"),
                          url="http://sr.example/subjects")
    assert type(error) is not BackendError and isinstance(error, BackendError)
    assert str(error).startswith("registry 'prod': ") and "\n" not in str(error)


def test_safe_url__drops_user_info_and_query() -> None:
    """Credentials embedded in a URL never reach a message."""
    assert safe_url(f"https://key:{CANARY}@sr.example/x?token={CANARY}") == "https://sr.example/x"


def test_retry__429_waits_retry_after_then_succeeds(make_server: Callable[..., ConfluentTestServer],
                                                     sleeps: Sleeps) -> None:
    """A 429 with Retry-After: 2 is retried after exactly the 2 seconds the server asked for."""
    server = make_server()
    server.fail(429, path="/config", headers={"Retry-After": "2"})
    response = _client(server.url, sleeps).request("GET", "config")
    assert response.status_code == 200 and sleeps == [2.0]
    assert [p for _, p in server.requests] == ["/config", "/config"]


def test_retry__429_beyond_retries_is_one_line_unavailable(make_server: Callable[..., ConfluentTestServer],
                                                           sleeps: Sleeps) -> None:
    """A registry that keeps answering 429 fails the request with 'rate limited', after the retries."""
    server = make_server()
    server.fail(429, path="/config", headers={"Retry-After": "1"}, times=10)
    with pytest.raises(BackendUnavailable, match=r"rate limited \(HTTP 429, Retry-After 1s\)"):
        _client(server.url, sleeps, retries=2).request("GET", "config")
    assert len(server.requests) == 3


def test_retry__5xx_backs_off_exponentially_then_succeeds(make_server: Callable[..., ConfluentTestServer],
                                                          sleeps: Sleeps) -> None:
    """Karapace's 500/50003 during start-up is retried with growing backoff until it answers."""
    server = make_server()
    server.fail(500, path="/config", times=2)
    response = _client(server.url, sleeps, backoff=1.0).request("GET", "config")
    assert response.json() == {"compatibilityLevel": "BACKWARD"}
    assert len(sleeps) == 2 and 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0


def test_retry__5xx_exhausted_is_unavailable_with_the_body(make_server: Callable[..., ConfluentTestServer],
                                                           sleeps: Sleeps) -> None:
    """After the retries a 5xx becomes BackendUnavailable quoting the registry's own message."""
    server = make_server()
    server.fail(503, path="/config", times=10)
    with pytest.raises(BackendUnavailable, match=r"server error HTTP 503 .* error 503: Injected failure"):
        _client(server.url, sleeps, retries=1).request("GET", "config")


def test_down_registry__connect_error_is_retried_then_latched(sleeps: Sleeps) -> None:
    """Connection refused: retried, then every later request fails at once without touching the network."""
    calls: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    client = _client("http://sr.example", sleeps, retries=2, transport=httpx.MockTransport(refuse))
    with pytest.raises(BackendUnavailable, match=r"cannot connect .*Connection refused.* check the url") as first:
        client.request("GET", "config")
    with pytest.raises(BackendUnavailable) as second:
        client.request("GET", "subjects")
    assert len(calls) == 3 and str(second.value) == str(first.value)
    assert isinstance(first.value.__cause__, httpx.ConnectError)


def test_down_registry__real_refused_port_names_registry_and_url(sleeps: Sleeps) -> None:
    """Nothing listening on the port: one line with the registry id, the url, and what to check."""
    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(BackendUnavailable) as info:
        _client(url, sleeps, retries=0).request("GET", "config")
    assert str(info.value).startswith("registry 'prod': cannot connect") and url in str(info.value)


def test_timeout__read_timeout_names_the_setting(make_server: Callable[..., ConfluentTestServer],
                                                 sleeps: Sleeps) -> None:
    """A registry slower than timeout.read fails with a message naming timeout.read."""
    server = make_server()
    server.fail(0, path="/config", delay=1.0)
    with pytest.raises(BackendUnavailable, match=r"did not answer within timeout.read=0.2s"):
        _client(server.url, sleeps, read_timeout=0.2).request("GET", "config")


def test_auth_basic__sends_credentials_and_401_names_the_keys(make_server: Callable[..., ConfluentTestServer],
                                                             sleeps: Sleeps) -> None:
    """Basic auth passes with the right password; a wrong one gives BackendAuthError without the secret."""
    server = make_server(basic=("key", CANARY))
    good = _client(server.url, sleeps, auth=AuthSettings(username="key", password=Secret(CANARY)))
    assert good.request("GET", "config").status_code == 200
    bad = _client(server.url, sleeps, auth=AuthSettings(username="key", password=Secret("wrong-" + CANARY)))
    with pytest.raises(BackendAuthError, match=r"refused the credentials .HTTP 401.*auth.username and auth.password") \
            as info:
        bad.request("GET", "config")
    assert CANARY not in str(info.value)


def test_auth_bearer__expired_token_says_renew(make_server: Callable[..., ConfluentTestServer],
                                               sleeps: Sleeps) -> None:
    """A refused bearer token says it may be expired and which key to renew."""
    server = make_server(bearer=CANARY)
    assert _client(server.url, sleeps, auth=AuthSettings(token=Secret(CANARY))).request("GET", "config").is_success
    with pytest.raises(BackendAuthError, match=r"may be expired or wrong: renew auth.token"):
        _client(server.url, sleeps, auth=AuthSettings(token=Secret("old"))).request("GET", "config")


def test_auth_oauth__token_fetched_once_and_cached(make_server: Callable[..., ConfluentTestServer],
                                                   sleeps: Sleeps) -> None:
    """OAuth client credentials: one token request serves many registry requests."""
    server = make_server(oauth=("app", CANARY))
    auth = AuthSettings(client_id="app", client_secret=Secret(CANARY), token_url=server.token_url, scope="sr")
    client = _client(server.url, sleeps, auth=auth)
    for _ in range(3):
        assert client.request("GET", "config").status_code == 200
    assert [p for _, p in server.requests].count("/oauth/token") == 1


def test_auth_oauth__expired_token_is_refreshed_once(make_server: Callable[..., ConfluentTestServer],
                                                     sleeps: Sleeps) -> None:
    """When the registry stops accepting the cached token (401), a new one is fetched and the request passes."""
    server = make_server(oauth=("app", CANARY))
    client = _client(server.url, sleeps, auth=AuthSettings(client_id="app", client_secret=Secret(CANARY),
                                                           token_url=server.token_url))
    client.request("GET", "config")
    server.expire_tokens()
    assert client.request("GET", "config").status_code == 200
    assert [p for _, p in server.requests].count("/oauth/token") == 2


def test_auth_oauth__wrong_client_secret_is_one_clear_line(make_server: Callable[..., ConfluentTestServer],
                                                           sleeps: Sleeps) -> None:
    """The token endpoint refusing the client credentials names the endpoint and the keys, not the secret."""
    server = make_server(oauth=("app", "the-secret-4d2"))
    client = _client(server.url, sleeps, auth=AuthSettings(client_id="app", client_secret=Secret(CANARY),
                                                           token_url=server.token_url))
    with pytest.raises(BackendAuthError, match=r"OAuth token endpoint .*/oauth/token refused the client credentials"
                       ) as info:
        client.request("GET", "config")
    assert CANARY not in str(info.value)


def test_auth_settings__mixed_kinds_are_a_config_error() -> None:
    """A password and a token together are ambiguous: a ConfigError, not a guess."""
    with pytest.raises(ConfigError, match=r"one kind of credentials, not basic and bearer"):
        AuthSettings.from_options({"username": "u", "password": Secret("p"), "token": Secret("t")}, backend_id="x")


def test_headers__extra_and_sensitive_headers_are_sent_and_masked(sleeps: Sleeps) -> None:
    """Extra headers reach the registry; a header that carries a key is scrubbed from messages."""
    seen: list[httpx.Headers] = []

    def echo(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(500, text=f"bad key {CANARY}x")

    client = _client("http://sr.example", sleeps, retries=0, transport=httpx.MockTransport(echo),
                     headers={"target-sr-cluster": "lsrc-123", "X-Api-Key": CANARY + "x"})
    with pytest.raises(BackendUnavailable) as info:
        client.request("GET", "config")
    assert seen[0]["target-sr-cluster"] == "lsrc-123" and seen[0]["x-api-key"] == CANARY + "x"
    assert CANARY not in str(info.value) and "***" in str(info.value)
