"""Building the boto3 Glue client of a ``glue`` registry, and mapping AWS errors to ours.

boto3 is an optional dependency (``pytest-schemafed[glue]``): it is imported here,
lazily, only when a ``glue`` registry is used. Every botocore exception a call can
raise is turned into one :class:`~pytest_schemafed.errors.BackendError` line that
names the registry and says what to fix; credentials never appear in it.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import BackendAuthError, BackendError, BackendProtocolError, BackendUnavailable, ConfigError
from ..secrets import Secret, register_secret, scrub

__all__ = [
    "AUTH_CODES",
    "THROTTLING_CODES",
    "EntityNotFound",
    "GlueRegistryNotFound",
    "GlueSettings",
    "build_client",
    "error_code",
    "http_status",
    "map_error",
    "register_aws_credentials",
]


class EntityNotFound(Exception):
    """Glue answered ``EntityNotFoundException`` (the backend turns it into a new subject or an error)."""

AUTH_CODES = frozenset({
    "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidSignatureException",
    "ExpiredTokenException", "ExpiredToken", "InvalidClientTokenId", "AuthFailure",
    "SignatureDoesNotMatch", "MissingAuthenticationTokenException",
})
THROTTLING_CODES = frozenset({
    "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
    "ProvisionedThroughputExceededException", "SlowDown",
})
_CREDENTIALS_FIX = (
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), "
    "or `profile:` in this registry's entry"
)


class GlueRegistryNotFound(BackendError):
    """The Glue registry named by ``registry_name`` does not exist in the region."""


@dataclass(frozen=True, slots=True)
class GlueSettings:
    """The options of one ``glue`` registry entry that reach AWS.

    :param backend_id: the registry's ``id`` in the configuration (for messages).
    :param registry_name: the Glue registry holding the schemas.
    :param region: the AWS region, ``None`` = from the environment / profile.
    :param profile: a named profile of the shared AWS config files.
    :param endpoint_url: another Glue endpoint (VPC endpoint, moto, LocalStack).
    :param role_arn: a role to assume for the run.
    :param external_id: the external id the role's trust policy requires.
    :param sts_endpoint_url: another STS endpoint for ``role_arn``.
    :param max_attempts: attempts per call including the first (botocore standard retries).
    :param max_in_flight: the connection pool size.
    :param connect_timeout: seconds to open a connection.
    :param read_timeout: seconds to wait for an answer.
    """

    backend_id: str
    registry_name: str
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    sts_endpoint_url: str | None = None
    max_attempts: int = 5
    max_in_flight: int = 8
    connect_timeout: float = 10.0
    read_timeout: float = 30.0

    @classmethod
    def from_options(cls, backend_id: str, options: Mapping[str, Any]) -> GlueSettings:
        """Read the validated ``options`` of a registry entry (secrets revealed here only).

        The AWS keys of the environment are registered for scrubbing now, at load time.
        """
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            _register_aws(os.environ.get(name))

        def text(name: str) -> str | None:
            value = options.get(name)
            if isinstance(value, Secret):
                return value.reveal()
            return None if value is None else str(value)

        return cls(
            backend_id=backend_id,
            registry_name=text("registry_name") or "",
            region=text("region"),
            profile=text("profile"),
            endpoint_url=text("endpoint_url"),
            role_arn=text("role_arn"),
            external_id=text("external_id"),
            sts_endpoint_url=text("sts_endpoint_url"),
            max_attempts=int(options.get("max_attempts", 5)),
            max_in_flight=int(options.get("max_in_flight", 8)),
            connect_timeout=float(options.get("connect_timeout", 10.0)),
            read_timeout=float(options.get("read_timeout", 30.0)),
        )

    def __post_init__(self) -> None:
        key = f"registries[{self.backend_id}]"
        if not 1 <= self.max_attempts <= 11:
            raise ConfigError(f"expected max_attempts from 1 to 11 (retries 0 to 10), got {self.max_attempts}",
                              key=f"{key}.max_attempts")
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0 < value <= 3600):
                raise ConfigError(f"expected a number of seconds above 0 and at most 3600, got {value}",
                                  key=f"{key}.{name}")

    def where(self, region: str | None = None) -> str:
        """``Glue registry 'events' (region eu-west-1)``, for messages."""
        region = region or self.region
        return f"Glue registry {self.registry_name!r}" + (f" (region {region})" if region else "")


def _import_boto3() -> Any:
    try:
        import boto3
    except ImportError:
        raise BackendError(
            "the glue backend needs boto3: install pytest-schemafed[glue] (pip install 'pytest-schemafed[glue]')"
        ) from None
    return boto3


def build_client(settings: GlueSettings) -> Any:
    """Create the registry's Glue client: credentials, region and retries resolved now.

    One client serves every check of the registry (botocore clients are thread-safe);
    its pool holds ``max_in_flight`` connections and it retries throttling and 5xx
    answers with botocore's *standard* mode (exponential backoff with jitter).

    :raises BackendError: boto3 is missing, the profile, region or endpoint is wrong,
        or there are no credentials; the message names the registry and the fix.
    """
    boto3 = _import_boto3()
    import botocore.exceptions as bx
    from botocore.config import Config

    sid = settings.backend_id
    try:
        session = boto3.session.Session(profile_name=settings.profile, region_name=settings.region)
    except bx.ProfileNotFound:
        raise BackendAuthError(
            f"AWS profile {settings.profile!r} is not in the shared AWS config files: "
            "fix `profile:` or create it with `aws configure --profile`", backend_id=sid,
        ) from None
    region = session.region_name
    if not region:
        raise BackendError(
            f"no AWS region for {settings.where()}: set `region:` in this registry's entry or AWS_REGION",
            backend_id=sid,
        )
    config = Config(
        retries={"mode": "standard", "total_max_attempts": max(1, settings.max_attempts)},
        max_pool_connections=max(1, settings.max_in_flight),
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        user_agent_extra="pytest-schemafed",
    )
    credentials = session.get_credentials()
    if credentials is None:
        raise BackendAuthError(f"no AWS credentials found for {settings.where(region)}: {_CREDENTIALS_FIX}",
                               backend_id=sid)
    register_aws_credentials(credentials)
    del credentials  # no local of a frame that may reach a traceback holds them
    if settings.role_arn:
        session = _assume_role(boto3, session, settings, region, config)
    try:
        return session.client("glue", region_name=region, endpoint_url=settings.endpoint_url, config=config)
    except bx.InvalidRegionError:
        raise BackendError(f"{region!r} is not a valid AWS region name: fix `region:`", backend_id=sid) from None
    except ValueError as exc:  # botocore: "Invalid endpoint: ..."
        raise BackendError(f"{exc}: fix `endpoint_url:` (e.g. https://glue.{region}.amazonaws.com)",
                           backend_id=sid) from None


def _assume_role(boto3: Any, session: Any, settings: GlueSettings, region: str, config: Any) -> Any:
    """A session with the temporary credentials of ``role_arn`` (secrets registered for scrubbing)."""
    sts = session.client("sts", region_name=region, endpoint_url=settings.sts_endpoint_url, config=config)
    kwargs: dict[str, Any] = {"RoleArn": settings.role_arn, "RoleSessionName": "pytest-schemafed"}
    if settings.external_id:
        kwargs["ExternalId"] = settings.external_id
    try:
        answer = sts.assume_role(**kwargs)
    except Exception as exc:
        raise map_error(exc, settings, action="assume `role_arn`", region=region,
                        url=settings.sts_endpoint_url) from None
    creds = answer.get("Credentials") if isinstance(answer, Mapping) else None
    wanted = ("AccessKeyId", "SecretAccessKey", "SessionToken")
    lacking = [k for k in wanted if not (isinstance(creds, Mapping) and isinstance(creds.get(k), str) and creds[k])]
    if lacking:  # names only: never a value of the answer, which may hold a secret
        raise BackendProtocolError(
            f"unexpected answer from STS to AssumeRole: Credentials without {', '.join(lacking)}",
            backend_id=settings.backend_id)
    assert isinstance(creds, Mapping)
    for key in wanted:
        _register_aws(creds.get(key))
    return boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
    )


AWS_MIN_LENGTH = 8
"""Real AWS keys are 16 to 128 characters; shorter ones (moto's ``testing``) are not masked everywhere."""


def _register_aws(value: Any) -> None:
    if isinstance(value, str) and len(value) >= AWS_MIN_LENGTH:
        register_secret(value)


def register_aws_credentials(credentials: Any) -> None:
    """Register the access key id, secret key and session token a boto3 session resolved
    (environment, profile or role) for scrubbing."""
    try:
        frozen = credentials.get_frozen_credentials()
    except Exception:  # credentials that cannot be resolved yet fail later, with their own message
        return
    for value in (frozen.access_key, frozen.secret_key, frozen.token):
        _register_aws(value)


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ``ClientError`` (``""`` for anything else)."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return ""
    return str(response.get("Error", {}).get("Code", ""))


def http_status(exc: BaseException) -> int:
    """The HTTP status of a botocore ``ClientError`` (0 when there is none)."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return 0
    return int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


def _region_hint(region: str | None) -> str:
    """``; 'eu-wst-1' is not a known Glue region (did you mean eu-west-1?)`` or ``""``."""
    if not region:
        return ""
    try:
        import botocore.session

        known = botocore.session.get_session().get_available_regions("glue")
    except Exception:  # the hint is a courtesy: never fail on it
        return ""
    if not known or region in known:
        return ""
    close = difflib.get_close_matches(region, known, n=1)
    return f"; {region!r} is not a known Glue region" + (f" (did you mean {close[0]}?)" if close else "")


def map_error(
    exc: BaseException, settings: GlueSettings, *, action: str, region: str | None = None,
    url: str | None = None,
) -> BackendError:
    """Turn a botocore exception raised while doing ``action`` into one of our errors.

    :param action: what was being done, e.g. ``read schema 'orders'``.
    :returns: the error to raise (``raise map_error(...) from None``).
    """
    import botocore.exceptions as bx

    sid = settings.backend_id
    where = settings.where(region)
    if isinstance(exc, (bx.NoCredentialsError, bx.PartialCredentialsError)):
        return BackendAuthError(f"no usable AWS credentials for {where}: {_CREDENTIALS_FIX}", backend_id=sid)
    if isinstance(exc, bx.CredentialRetrievalError):
        return BackendAuthError(f"cannot obtain AWS credentials for {where} ({exc}): {_CREDENTIALS_FIX}",
                                backend_id=sid)
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ConnectionClosedError)):
        target = getattr(exc, "kwargs", {}).get("endpoint_url") or url or settings.endpoint_url or "Glue"
        fix = "check `endpoint_url:`" if settings.endpoint_url else "check `region:`"
        return BackendUnavailable(
            f"cannot reach {target} to {action} for {where}: {fix} and the network{_region_hint(region)}",
            backend_id=sid, url=settings.endpoint_url,
        )
    if isinstance(exc, bx.ReadTimeoutError):
        return BackendUnavailable(
            f"Glue did not answer in {settings.read_timeout:g}s while trying to {action} for {where}: "
            "retry later or raise `read_timeout:`", backend_id=sid, url=settings.endpoint_url,
        )
    if isinstance(exc, bx.ParamValidationError):
        return BackendError(f"cannot {action} for {where}: {exc}", backend_id=sid)
    code = error_code(exc)
    if code:
        # scrubbed before it is cut: a cut through a secret would leave a prefix no mask matches
        message = scrub(str(getattr(exc, "response", {}).get("Error", {}).get("Message", "")).strip())
        message = message.splitlines()[0][:200] if message and not message.startswith("<") else ""
        detail = f"{code}: {message}" if message else code
        if code in AUTH_CODES:
            return BackendAuthError(
                f"AWS refused to {action} for {where} ({detail}): check the credentials and that they "
                "allow glue:GetRegistry, glue:GetSchema, glue:GetSchemaVersion and glue:ListSchemaVersions",
                backend_id=sid,
            )
        if code in THROTTLING_CODES:
            return BackendUnavailable(
                f"Glue kept throttling requests to {action} for {where} after {settings.max_attempts} attempts: "
                "lower `max_in_flight:` or raise `max_attempts:`", backend_id=sid,
            )
        if http_status(exc) >= 500:
            return BackendUnavailable(f"Glue failed to {action} for {where} ({detail}): retry later",
                                      backend_id=sid)
        return BackendError(f"Glue refused to {action} for {where} ({detail})", backend_id=sid)
    if isinstance(exc, bx.BotoCoreError):
        return BackendError(f"cannot {action} for {where}: {exc}", backend_id=sid)
    return BackendError(f"cannot {action} for {where}: {type(exc).__name__}: {exc}", backend_id=sid)
