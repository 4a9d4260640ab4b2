"""One masking mechanism: every form of a secret, log records of every logger, pytest reports."""

from __future__ import annotations

import base64
import logging
from urllib.parse import quote

import pytest

from pytest_schemafed import masking
from pytest_schemafed.backends.glue_client import GlueSettings
from pytest_schemafed.backends.http import AuthSettings
from pytest_schemafed.secrets import MASK, Secret, register_basic, scrub

PASSWORD = "canary/pw+5d21:c9 f3"  # characters that percent-encoding changes
TOKEN = "canary-tok-1f0c99ab"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_scrub__every_form_of_a_basic_password() -> None:
    """The password, user:password, its base64 (the Basic value) and percent-encoded forms are all masked."""
    register_basic("canary-user", PASSWORD)
    forms = [PASSWORD, f"canary-user:{PASSWORD}", _b64(f"canary-user:{PASSWORD}"),
             _b64(f"canary-user:{PASSWORD}").rstrip("="), quote(PASSWORD, safe=""), quote(PASSWORD)]
    for form in forms:
        assert form not in scrub(f"before {form} after"), form
        assert MASK in scrub(f"before {form} after")


def test_scrub__auth_settings_register_the_basic_pair_at_load() -> None:
    """AuthSettings.from_options (backend build) registers base64(user:password), not only the password."""
    password = "canary-pw-from-config-77"
    AuthSettings.from_options({"username": "svc", "password": Secret(password)}, backend_id="x")
    assert _b64(f"svc:{password}") not in scrub(f"Authorization: Basic {_b64(f'svc:{password}')}x")
    assert scrub(f"echo {_b64(f'svc:{password}')}") == f"echo {MASK}"


def test_scrub__url_userinfo_and_authorization_values_whoever_made_them() -> None:
    """Unregistered URL user info and Authorization header values are masked by their shape."""
    assert scrub("GET https://someone:unknown-pass@sr.example/x") == f"GET https://{MASK}@sr.example/x"
    assert scrub('{"authorization": "Bearer abc.def.ghi"}') == f'{{"authorization": "{MASK}"}}'
    assert scrub("Authorization: Basic Zm9vOmJhcg==\r\nHost: x") == f"Authorization: {MASK}\r\nHost: x"
    assert scrub("plain text with no secret") == "plain text with no secret"


def test_secret__never_shows_itself() -> None:
    """repr, str and format all give the mask."""
    secret = Secret(TOKEN)
    assert TOKEN not in repr(secret) + str(secret) + f"{secret}" + f"{secret!r}" + f"{secret}"


def test_glue__environment_keys_are_registered_at_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS keys and session token from the environment are masked once a glue registry is read."""
    values = {"AWS_ACCESS_KEY_ID": "AKIACANARY0000000001", "AWS_SECRET_ACCESS_KEY": "canary-aws-secret-4b1e9",
              "AWS_SESSION_TOKEN": "canary-aws-session-77c3"}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    GlueSettings.from_options("glue", {"registry_name": "events"})
    for value in values.values():
        assert value not in scrub(f"x {value} y")


@pytest.mark.parametrize("logger_name", [*masking.MASKED_LOGGERS, "some.other.library"])
def test_logging__records_of_every_logger_are_masked_at_creation(
        logger_name: str, caplog: pytest.LogCaptureFixture) -> None:
    """msg % args, the exception text and the stack are masked before any handler (caplog here) sees them."""
    Secret(TOKEN)
    uninstall = masking.install()
    try:
        logger = logging.getLogger(logger_name)
        with caplog.at_level(logging.DEBUG, logger=logger_name):
            logger.debug("sending Authorization: Bearer %s to %s", TOKEN, f"https://u:{TOKEN}@h/")
            try:
                raise ValueError(f"token {TOKEN}")
            except ValueError:
                logger.exception("failed")
    finally:
        uninstall()
    assert len(caplog.records) == 2
    assert TOKEN not in caplog.text
    assert all(TOKEN not in (r.exc_text or "") and TOKEN not in r.getMessage() for r in caplog.records)


def test_logging__installs_nest_and_the_last_undo_restores_the_factory() -> None:
    """Nested runs (pytester, the command running pytest) share one masking; the factory is put back at the end."""
    before = logging.getLogRecordFactory()
    first, second = masking.install(), masking.install()
    second()
    assert getattr(logging.getLogRecordFactory(), "schemafed_masking", False)
    first()
    assert logging.getLogRecordFactory() is before


def test_report_scrubber__showlocals_traceback_of_a_test_is_masked(pytester: pytest.Pytester) -> None:
    """A test whose locals hold a raw registered secret: --showlocals, -rA and JUnit show only the mask."""
    pytester.makeconftest("""
        from pytest_schemafed import masking
        from pytest_schemafed.secrets import register_basic

        def pytest_configure(config):
            register_basic("canary-user", "canary-pw-showlocals-31")
            masking.install(config)
    """)
    pytester.makepyfile("""
        import base64, logging
        def test_leaky():
            password = "canary-pw-showlocals-31"
            header = "Basic " + base64.b64encode(b"canary-user:canary-pw-showlocals-31").decode()
            print("stdout", header)
            logging.getLogger("pytest_schemafed").warning("header %s", header)
            assert password == header
    """)
    result = pytester.runpytest("--showlocals", "-rA", "--junitxml=j.xml", "-o", "junit_logging=all")
    result.assert_outcomes(failed=1)
    text = result.stdout.str() + (pytester.path / "j.xml").read_text()
    assert "password" in text and MASK in text
    for form in ("canary-pw-showlocals-31", _b64("canary-user:canary-pw-showlocals-31")):
        assert form not in text
