"""The HTTP layer against hostile servers: redirects, cookies, deadlines, retries, validation, url user info."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.confluent import ConfluentBackend
from pytest_schemafed.backends.http import BACKOFF_CAP, AuthSettings, HttpClient, HttpSettings
from pytest_schemafed.errors import BackendProtocolError, BackendUnavailable, ConfigError
from pytest_schemafed.registry import default_registry
from pytest_schemafed.secrets import Secret
from tests.servers.hostile_http import HostileServer, refused_url

HEADER_CANARY = "canary-hdr-0e4b7a19"
PASSWORD_CANARY = "canary-pw-5d21c9f3"
URL_CANARY = "canary-urlpw-8a6e"


class Sleeps(list[float]):
    """Records the waits instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def servers() -> Iterator[list[HostileServer]]:
    """Servers appended here are stopped at teardown."""
    started: list[HostileServer] = []
    yield started
    for server in started:
        server.stop()


def _serve(servers: list[HostileServer], kind: str, **kw: Any) -> HostileServer:
    server = HostileServer(kind, **kw).start()
    servers.append(server)
    return server


def _client(url: str, **kw: Any) -> HttpClient:
    kw.setdefault("sleep", Sleeps())
    return HttpClient(HttpSettings(base_url=url, backend_id="prod", **kw))


def _backend(tmp_path: Path, **options: Any) -> ConfluentBackend:
    spec = BackendSpec(id="prod", type="confluent", options={"url": "http://127.0.0.1:9", **options})
    return ConfluentBackend(spec, RunContext(rootdir=tmp_path, registry=default_registry()))


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect__to_another_port_is_not_followed_and_nothing_reaches_it(
        servers: list[HostileServer], status: int) -> None:
    """A redirect to another origin fails with one line naming it; that origin receives no request at all."""
    other = _serve(servers, "record")
    hostile = _serve(servers, "redirect", status=status, target=other.url)
    client = _client(hostile.url, headers={"X-Api-Key": Secret(HEADER_CANARY)},
                     auth=AuthSettings(username="u", password=Secret(PASSWORD_CANARY)))
    with pytest.raises(BackendProtocolError) as info:
        client.request("POST", "compatibility/subjects/t/versions/latest", json={"schema": "{}"})
    message = str(info.value)
    assert f"redirects to another origin, {other.url}; not followed" in message and "\n" not in message
    assert other.requests == []
    assert hostile.requests[0].headers["x-api-key"] == HEADER_CANARY  # the registry's own origin does get it


def test_redirect__other_scheme_on_same_host_and_port_is_another_origin(servers: list[HostileServer]) -> None:
    """https://same-host:same-port is another origin than http://same-host:same-port."""
    hostile = _serve(servers, "redirect", target="")
    hostile.target = hostile.url.replace("http://", "https://")
    with pytest.raises(BackendProtocolError, match=r"another origin, https://127\.0\.0\.1:\d+"):
        _client(hostile.url).request("GET", "config")
    assert len(hostile.requests) == 1


def test_redirect__same_origin_is_followed_up_to_five_hops(servers: list[HostileServer]) -> None:
    """Five same-origin redirects are followed (credentials kept); a sixth is one line."""
    five = _serve(servers, "redirect", same_origin_hops=5)
    client = _client(five.url, auth=AuthSettings(token=Secret(PASSWORD_CANARY)))
    assert client.request("GET", "config").json() == {"compatibilityLevel": "BACKWARD"}
    assert len(five.requests) == 6 and all(r.headers["authorization"] == f"Bearer {PASSWORD_CANARY}"
                                           for r in five.requests)
    six = _serve(servers, "redirect", same_origin_hops=6)
    with pytest.raises(BackendProtocolError, match=r"more than 5 redirects"):
        _client(six.url).request("GET", "config")
    assert len(six.requests) == 6


def test_cookies__a_registry_cookie_is_never_sent_back(servers: list[HostileServer]) -> None:
    """Set-Cookie is ignored: no later request carries a cookie (to any origin)."""
    echo = _serve(servers, "echo", status=404)
    client = _client(echo.url, retries=0)
    for _ in range(2):
        client.request("GET", "config")
    assert [r.headers.get("cookie") for r in echo.requests] == [None, None]


def test_oauth__token_endpoint_on_another_origin_gets_no_extra_headers(servers: list[HostileServer]) -> None:
    """The configured token endpoint gets the client credentials, never the registry's extra secret headers."""
    issuer = _serve(servers, "echo")
    registry = _serve(servers, "record")
    auth = AuthSettings(client_id="app", client_secret=Secret(PASSWORD_CANARY), token_url=f"{issuer.url}/token")
    client = _client(registry.url, auth=auth, headers={"X-Api-Key": Secret(HEADER_CANARY)})
    client.request("GET", "config")
    assert "x-api-key" not in issuer.requests[0].headers
    assert registry.requests[0].headers["x-api-key"] == HEADER_CANARY
    assert registry.requests[0].headers["authorization"] == "Bearer server-issued-token-0000"


@pytest.mark.parametrize("trickle_headers", [False, True], ids=["body", "headers"])
def test_deadline__a_trickling_server_fails_at_timeout_total(servers: list[HostileServer],
                                                             trickle_headers: bool) -> None:
    """One byte every 0.5 s keeps each read within timeout.read=3; timeout.total=2 ends the request anyway."""
    slow = _serve(servers, "trickle", interval=0.5, length=200, trickle_headers=trickle_headers)
    client = _client(slow.url, read_timeout=3.0, total_timeout=2.0, retries=3)
    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as info:
        client.request("GET", "config")
    elapsed = time.monotonic() - started
    assert "no complete answer" in str(info.value) and "timeout.total=2s" in str(info.value)
    assert "\n" not in str(info.value)
    assert elapsed < 8, f"the request outlived its deadline: {elapsed:.1f}s"  # generous bound
    with pytest.raises(BackendUnavailable, match=r"timeout.total=2s"):  # latched: the next one fails at once
        client.request("GET", "subjects")
    assert len(slow.requests) == 1


def test_retries__backoff_is_capped_and_counted_for_a_refused_connection() -> None:
    """retries=10 against a refused port: 10 waits, none above the cap, and the message counts them."""
    sleeps = Sleeps()
    with pytest.raises(BackendUnavailable) as info:
        _client(refused_url(), retries=10, sleep=sleeps).request("GET", "config")
    assert len(sleeps) == 10 and max(sleeps) <= BACKOFF_CAP
    assert sum(sleeps) <= sum(min(BACKOFF_CAP, 0.25 * 2**n) for n in range(10))
    assert "Connection refused) after 10 retries; check the url" in str(info.value)


def test_retries__retry_after_beyond_the_cap_fails_at_once_and_says_so() -> None:
    """Retry-After: 3600 is not slept; the message says the cap and claims no retries."""
    sleeps = Sleeps()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "3600"})

    client = _client("http://sr.example", retries=3, sleep=sleeps, transport=httpx.MockTransport(answer))
    with pytest.raises(BackendUnavailable) as info:
        client.request("GET", "config")
    assert sleeps == [] and "beyond the 10s cap" in str(info.value) and "retr" not in str(info.value)


def test_retries__5xx_message_counts_the_retries_made() -> None:
    """'after N retries' is the number really made."""
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="bad gateway")

    with pytest.raises(BackendUnavailable, match=r"after 2 retries: bad gateway"):
        _client("http://sr.example", retries=2, transport=httpx.MockTransport(answer)).request("GET", "config")
    with pytest.raises(BackendUnavailable) as info:
        _client("http://sr.example", retries=0, transport=httpx.MockTransport(answer)).request("GET", "config")
    assert "retr" not in str(info.value)


@pytest.mark.parametrize(("options", "key"), [
    ({"retries": -1}, "registries[prod].retries"),
    ({"retries": 11}, "registries[prod].retries"),
    ({"retries": 100000000000000000000}, "registries[prod].retries"),
    ({"timeout": 0}, "registries[prod].timeout.connect"),
    ({"timeout": -1.0}, "registries[prod].timeout.connect"),
    ({"timeout": float("inf")}, "registries[prod].timeout.connect"),
    ({"timeout": float("nan")}, "registries[prod].timeout.connect"),
    ({"timeout": {"read": float("inf")}}, "registries[prod].timeout.read"),
    ({"timeout": {"total": 0.0}}, "registries[prod].timeout.total"),
])
def test_validation__bad_retries_and_timeouts_are_one_config_line(tmp_path: Path, options: dict[str, Any],
                                                                  key: str) -> None:
    """Unbounded or meaningless values are refused when the backend is built, naming the key."""
    with pytest.raises(ConfigError) as info:
        _backend(tmp_path, **options)
    assert f"key {key}:" in str(info.value) and "\n" not in str(info.value)


def test_url_userinfo__becomes_basic_auth_and_leaves_the_url(servers: list[HostileServer], tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    """https://user:pass@host: the registry gets Basic auth, no URL or log record carries the user info."""
    registry = _serve(servers, "record")
    url = registry.url.replace("http://", f"http://url-user:{URL_CANARY}@")
    backend = _backend(tmp_path, url=url)
    try:
        with caplog.at_level(logging.DEBUG):
            assert backend.http.request("GET", "config").status_code == 200
    finally:
        backend.close()
    expected = base64.b64encode(f"url-user:{URL_CANARY}".encode()).decode()
    assert registry.requests[0].headers["authorization"] == f"Basic {expected}"
    assert str(backend.http._client.base_url).startswith(registry.url)  # no user info kept
    assert caplog.records and URL_CANARY not in caplog.text and "url-user" not in caplog.text


def test_url_userinfo__and_auth_together_is_a_config_error(tmp_path: Path) -> None:
    """Credentials in both places are ambiguous: one config line naming the url key."""
    with pytest.raises(ConfigError, match=r"key registries\[prod\].url: give the credentials either"):
        _backend(tmp_path, url=f"http://u:{URL_CANARY}@127.0.0.1:9", auth={"token": Secret("tok-123456")})
