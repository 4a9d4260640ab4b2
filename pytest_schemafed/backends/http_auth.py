"""Credentials of the HTTP backends: basic, bearer and OAuth client credentials.

Every secret is registered for masking (:mod:`pytest_schemafed.secrets`) as soon as it is
read, in every form it takes on the wire; nothing here keeps a revealed secret longer
than the request that needs it.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from ..errors import BackendAuthError, BackendProtocolError, BackendUnavailable, ConfigError
from ..secrets import Secret, register_basic, register_secret

if TYPE_CHECKING:
    from .http import HttpClient

__all__ = ["AuthSettings", "OAuthToken", "reveal", "userinfo_to_auth"]


def reveal(value: Any) -> str | None:
    """The plain text of a config value that may be a :class:`Secret` (registered for scrubbing)."""
    if value is None:
        return None
    if isinstance(value, Secret):
        return value.reveal()
    text = str(value)
    register_secret(text)
    return text


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
        if auth.kind == "basic":
            register_basic(auth.username, reveal(auth.password))
        if auth.kind == "oauth":
            register_basic(auth.client_id, reveal(auth.client_secret))
        return auth


def userinfo_to_auth(base_url: str, auth: AuthSettings, backend_id: str) -> tuple[str, AuthSettings]:
    """``https://user:pass@host`` -> (``https://host``, basic auth ``user``/``pass``), secrets registered."""
    url = httpx.URL(base_url)
    if not url.userinfo:
        return base_url, auth
    username, password = url.username, url.password
    register_basic(username, password)
    register_secret(url.userinfo.decode("ascii", "replace"))
    if auth.kind != "none":
        raise ConfigError("give the credentials either in the url or in auth, not both",
                          key=f"registries[{backend_id}].url")
    stripped = str(url.copy_with(username=None, password=None))
    return stripped, AuthSettings(username=username, password=Secret(password))


class OAuthToken:
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
        from .http import safe_url

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
