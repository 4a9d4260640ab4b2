"""Setting up a glue registry as a new user would: each mistake gives one clear line."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from typing import Any

import pytest

from pytest_schemafed.backends.glue import GlueBackend
from pytest_schemafed.backends.glue_client import GlueRegistryNotFound
from pytest_schemafed.config import validate_options
from pytest_schemafed.errors import BackendAuthError, BackendError, BackendUnavailable, ConfigError
from pytest_schemafed.registry import Registry
from pytest_schemafed.secrets import Secret
from tests.backends.glue.glue_helpers import make_check
from tests.backends.glue.glue_samples import AVRO_COMPATIBLE, AVRO_VERSIONS
from tests.servers.moto_glue import MotoGlue

MakeBackend = Callable[..., GlueBackend]
SECRET = "wJalrXUtnFEMI-K7MDENG-secret-value"


def prepare_error(backend: GlueBackend) -> BackendError:
    """Run prepare, which must fail; return the error."""
    with pytest.raises(BackendError) as info:
        backend.prepare([make_check(AVRO_COMPATIBLE)])
    return info.value


def one_line(error: BackendError) -> str:
    """The error's text, checked to be one line that names the registry id and holds no secret."""
    text = str(error)
    assert "\n" not in text
    assert text.startswith("registry 'glue-eu': ")
    assert SECRET not in text
    return text


def free_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_prepare__no_credentials_says_how_to_provide_them(
    make_backend: MakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key in the environment, no profile file: BackendAuthError naming the variables and `profile:`."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    error = prepare_error(make_backend())
    assert isinstance(error, BackendAuthError)
    text = one_line(error)
    assert "no AWS credentials found for Glue registry 'events' (region eu-west-1)" in text
    assert "AWS_ACCESS_KEY_ID" in text and "`profile:`" in text


def test_prepare__registry_that_does_not_exist_lists_the_ones_there(
    make_backend: MakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GetRegistry's EntityNotFoundException: GlueRegistryNotFound, with the registries of the region."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    error = prepare_error(make_backend(registry_name="evnts"))
    assert isinstance(error, GlueRegistryNotFound)
    assert one_line(error) == ("registry 'glue-eu': Glue registry 'evnts' does not exist in region eu-west-1; "
                               "registries there: events: fix `registry_name:` or `region:`")


def test_prepare__registry_in_another_region_names_the_region(make_backend: MakeBackend) -> None:
    """A real but wrong region: the registry is not found there, and the message says which region."""
    error = prepare_error(make_backend(region="us-east-1"))
    assert isinstance(error, GlueRegistryNotFound)
    assert "does not exist in region us-east-1" in one_line(error)


def test_prepare__misspelt_region_suggests_the_close_one(make_backend: MakeBackend) -> None:
    """`eu-wst-1` cannot be reached (no such endpoint): BackendUnavailable suggesting eu-west-1."""
    error = prepare_error(make_backend(region="eu-wst-1", endpoint_url=None, max_attempts=1))
    assert isinstance(error, BackendUnavailable)
    text = one_line(error)
    assert "check `region:`" in text and "did you mean eu-west-1?" in text


def test_prepare__invalid_region_name_is_refused(make_backend: MakeBackend) -> None:
    """A region with characters no region has: BackendError saying to fix `region:`."""
    assert "'eu west 1' is not a valid AWS region name: fix `region:`" in one_line(
        prepare_error(make_backend(region="eu west 1")))


def test_prepare__no_region_anywhere_asks_for_one(make_backend: MakeBackend) -> None:
    """Neither `region:` nor AWS_REGION / a profile: BackendError asking for `region:`."""
    assert "no AWS region for Glue registry 'events': set `region:`" in one_line(
        prepare_error(make_backend(region=None)))


def test_prepare__unreachable_endpoint_names_it(make_backend: MakeBackend) -> None:
    """Nothing listens at endpoint_url: BackendUnavailable naming the URL and `endpoint_url:`."""
    url = f"http://127.0.0.1:{free_port()}"
    error = prepare_error(make_backend(endpoint_url=url, max_attempts=1))
    assert isinstance(error, BackendUnavailable)
    text = one_line(error)
    assert url in text and "check `endpoint_url:`" in text


def test_prepare__unknown_profile_is_an_auth_error(make_backend: MakeBackend) -> None:
    """`profile:` naming no profile of the shared files: BackendAuthError naming it."""
    error = prepare_error(make_backend(profile="nope"))
    assert isinstance(error, BackendAuthError)
    assert "AWS profile 'nope' is not in the shared AWS config files" in one_line(error)


def test_prepare__missing_boto3_says_which_extra_to_install(
    make_backend: MakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without boto3 the backend asks for pytest-schemafed[glue] instead of an ImportError traceback."""
    monkeypatch.setitem(sys.modules, "boto3", None)
    assert "install pytest-schemafed[glue]" in str(prepare_error(make_backend()))


def test_prepare__role_arn_is_assumed_through_sts(make_backend: MakeBackend, moto: MotoGlue) -> None:
    """With role_arn the Glue client signs with the role's temporary credentials, not the caller's."""
    moto.seed("user", AVRO_VERSIONS)
    backend = make_backend(role_arn="arn:aws:iam::123456789012:role/schemafed-read", sts_endpoint_url=moto.url,
                           external_id=Secret("ext-id-1234"))
    backend.prepare([])
    assert backend.client._get_credentials().access_key != "testing"
    assert backend.history(make_check(AVRO_COMPATIBLE)).versions[-1].version == "3"


def test_client__standard_retries_and_pool_follow_the_options(make_backend: MakeBackend) -> None:
    """Throttling is retried in botocore's standard mode; the pool holds max_in_flight connections."""
    backend = make_backend(max_attempts=7, max_in_flight=3)
    config = backend.client.meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 7}
    assert config.max_pool_connections == 3
    assert backend.max_in_flight == 3


def test_throttling__is_retried_with_backoff_then_succeeds(moto: MotoGlue, make_backend: MakeBackend) -> None:
    """A ThrottlingException answer is retried by botocore; the next attempt reaches moto and succeeds."""
    from botocore.awsrequest import AWSResponse

    moto.seed("user", AVRO_VERSIONS)
    backend = make_backend(max_attempts=3)
    calls: list[str] = []

    class Raw:
        def stream(self, **_: Any) -> Any:
            yield b'{"__type": "ThrottlingException", "message": "Rate exceeded"}'

    def throttle_once(request: Any, **_: Any) -> AWSResponse | None:
        calls.append(request.url)
        if len(calls) == 1:
            return AWSResponse(request.url, 400, {"x-amzn-ErrorType": "ThrottlingException"}, Raw())
        return None

    backend.client.meta.events.register("before-send.glue.GetSchema", throttle_once)
    history = backend.history(make_check(AVRO_COMPATIBLE))
    assert len(calls) == 2
    assert history.versions[-1].version == "3"


def test_options__validated_by_the_config_with_external_id_masked() -> None:
    """The declared options pass the config validator; external_id becomes a Secret; typos are refused."""
    registry = Registry()
    registry.add_backend("glue", GlueBackend)
    values = validate_options(
        {"registry_name": "events", "region": "eu-west-1", "external_id": "abcd1234", "max_attempts": 4,
         "subjects": {"orders-value": "orders"}},
        GlueBackend.options, source="schemafed.yaml", key="registries[0]",
    )
    assert isinstance(values["external_id"], Secret) and "abcd1234" not in repr(values)
    with pytest.raises(ConfigError, match=r"registries\[0\]\.registry"):
        validate_options({"registry": "events"}, GlueBackend.options, source="schemafed.yaml", key="registries[0]")


@pytest.mark.parametrize(("option", "value"), [("max_attempts", 0), ("max_attempts", 10**20),
                                               ("connect_timeout", -1.0), ("connect_timeout", float("nan")),
                                               ("read_timeout", float("inf")), ("read_timeout", 0.0)])
def test_settings__bounded_retries_and_finite_timeouts(option: str, value: float) -> None:
    """Issue 14 for Glue too: botocore's attempts and timeouts are bounded and finite, one line naming the key."""
    from pytest_schemafed.backends.glue_client import GlueSettings
    from pytest_schemafed.errors import ConfigError

    with pytest.raises(ConfigError, match=f"registries\\[glue-eu\\].{option}"):
        GlueSettings.from_options("glue-eu", {"registry_name": "events", option: value})
