"""TLS to the registry: verification on by default, a custom CA bundle, mutual TLS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed.backends.confluent import ConfluentBackend
from pytest_schemafed.errors import BackendUnavailable, ConfigError
from pytest_schemafed.model import Outcome
from tests.servers.confluent_server import ConfluentTestServer
from tests.servers.confluent_tls import TlsFiles, make_tls

from .conftest import T_ADD_B_DEFAULT, T_V1, make_check

Server = Callable[..., ConfluentTestServer]
Make = Callable[..., ConfluentBackend]


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A CA, a server certificate for 127.0.0.1 and a client certificate."""
    return make_tls(tmp_path_factory.mktemp("tls"))


def test_tls__unknown_ca_fails_with_one_line_naming_ca_bundle(make_server: Server, make_backend: Make,
                                                              judge: Any, tls: TlsFiles) -> None:
    """Verification is on by default: a certificate from an unknown CA says to set ca_bundle."""
    server = make_server(tls=tls.server_context())
    with pytest.raises(BackendUnavailable, match=r"registry 'prod': TLS handshake with .* failed .*set ca_bundle"):
        make_backend(server.url).evaluate(make_check(T_V1), judge)


def test_tls__ca_bundle_verifies_the_registry(make_server: Server, make_backend: Make, judge: Any,
                                              tls: TlsFiles) -> None:
    """With ca_bundle pointing at the CA, the check runs over HTTPS."""
    server = make_server(tls=tls.server_context())
    server.register("t-value", T_V1)
    verdict = make_backend(server.url, ca_bundle=str(tls.ca)).evaluate(make_check(T_ADD_B_DEFAULT), judge)
    assert server.url.startswith("https://") and verdict.outcome is Outcome.COMPATIBLE


def test_tls__verify_false_skips_verification(make_server: Server, make_backend: Make, judge: Any,
                                              tls: TlsFiles) -> None:
    """verify: false accepts any certificate (for test setups only)."""
    server = make_server(tls=tls.server_context())
    server.register("t-value", T_V1)
    verdict = make_backend(server.url, verify=False).evaluate(make_check(T_ADD_B_DEFAULT), judge)
    assert verdict.outcome is Outcome.COMPATIBLE


def test_mtls__client_certificate_required_and_sent(make_server: Server, make_backend: Make, judge: Any,
                                                    tls: TlsFiles) -> None:
    """A registry that requires a client certificate accepts cert/key and refuses a client without one."""
    server = make_server(tls=tls.server_context(require_client_cert=True))
    server.register("t-value", T_V1)
    good = make_backend(server.url, ca_bundle=str(tls.ca), cert=str(tls.client_cert), key=str(tls.client_key))
    assert good.evaluate(make_check(T_ADD_B_DEFAULT), judge).outcome is Outcome.COMPATIBLE
    with pytest.raises(BackendUnavailable, match=r"registry 'prod': "):
        make_backend(server.url, ca_bundle=str(tls.ca), retries=0).evaluate(make_check(T_V1), judge)


def test_tls__missing_ca_file_is_a_config_error(make_backend: Make, tmp_path: Path) -> None:
    """A ca_bundle that does not exist is a ConfigError naming the keys to check."""
    with pytest.raises(ConfigError, match=r"check ca_bundle, cert and key"):
        make_backend("https://127.0.0.1:1", ca_bundle=str(tmp_path / "missing.pem"))
