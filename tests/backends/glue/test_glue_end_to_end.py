"""`pytest --schemafed` with a glue registry (moto) and a Confluent-API registry, as a user runs it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.glue.glue_helpers import requires_format
from tests.backends.glue.glue_samples import AVRO_BREAKS_BACKWARD, AVRO_BREAKS_BOTH, AVRO_COMPATIBLE, AVRO_VERSIONS
from tests.servers.confluent_server import ConfluentTestServer
from tests.servers.moto_glue import MotoGlue

pytestmark = [requires_format("avro"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@pytest.fixture
def confluent() -> Iterator[ConfluentTestServer]:
    """A Confluent-API registry (Confluent flavour: it checks compatibility per level)."""
    with ConfluentTestServer("confluent") as server:
        yield server


def write_project(
    root: Path, moto: MotoGlue, confluent: ConfluentTestServer | None = None, glue: dict[str, str] | None = None
) -> None:
    """schemafed.yaml with the glue registry `glue-eu` (and `prod`, Confluent API) and no local files yet."""
    options = {"registry_name": "events", "region": "eu-west-1", "endpoint_url": moto.url, "max_attempts": "2"}
    options.update(glue or {})
    lines = ['schemas:', '  - path: "schemas/**/*.avsc"', '    subject: "{stem}"', 'registries:',
             '  - id: glue-eu', '    type: glue']
    lines += [f"    {key}: {value}" for key, value in options.items()]
    if confluent is not None:
        lines += ['  - id: prod', '    type: confluent', f'    url: {confluent.url}']
    (root / "schemafed.yaml").write_text("\n".join(lines) + "\n")
    (root / "schemas").mkdir(exist_ok=True)


def test_glue_and_confluent__a_change_glue_allows_fails_only_the_confluent_item(
    pytester: pytest.Pytester, moto: MotoGlue, confluent: ConfluentTestServer
) -> None:
    """Glue FORWARD allows a field added without default; Confluent BACKWARD forbids it: only `::prod` fails.
    Neither registry holds a new version afterwards."""
    moto.seed("user", AVRO_VERSIONS, compatibility="FORWARD")
    moto.seed("order", AVRO_VERSIONS, compatibility="FULL_ALL")
    for text in AVRO_VERSIONS:
        confluent.register("user", text)
        confluent.register("order", text)
    confluent.set_level("BACKWARD", "user")
    write_project(pytester.path, moto, confluent)
    (pytester.path / "schemas/user.avsc").write_text(AVRO_BREAKS_BACKWARD)
    (pytester.path / "schemas/order.avsc").write_text(AVRO_COMPATIBLE.replace('"User"', '"User"'))
    before = (moto.snapshot(), [len(confluent.versions_of(s)) for s in ("user", "order")])

    result = pytester.runpytest("--schemafed", "-v", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines([
        "*schemas/order.avsc::glue-eu PASSED*",
        "*schemas/order.avsc::prod PASSED*",
        "*schemas/user.avsc::glue-eu PASSED*",
        "*schemas/user.avsc::prod FAILED*",
    ])
    assert (moto.snapshot(), [len(confluent.versions_of(s)) for s in ("user", "order")]) == before


def test_glue__breaking_change_fails_with_the_line_and_rule(pytester: pytest.Pytester, moto: MotoGlue) -> None:
    """A type change on a FULL_ALL Glue schema fails its item, pointing into the local file."""
    moto.seed("user", AVRO_VERSIONS, compatibility="FULL_ALL")
    write_project(pytester.path, moto)
    (pytester.path / "schemas/user.avsc").write_text(AVRO_BREAKS_BOTH)
    result = pytester.runpytest("--schemafed", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    line = next(i for i, text in enumerate(AVRO_BREAKS_BOTH.splitlines(), 1) if '"id"' in text)
    assert f"schemas/user.avsc:{line}" in out or f"schemas/user.avsc:{line + 1}" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("no-credentials", "registry 'glue-eu': no AWS credentials found for Glue registry 'events'"),
        ("wrong-region", "registry 'glue-eu': Glue registry 'events' does not exist in region us-east-1"),
        ("unknown-registry", "registry 'glue-eu': Glue registry 'evnts' does not exist in region eu-west-1"),
        ("disabled", "Glue schema 'user' in registry 'glue-eu' has compatibility DISABLED: "
                     "no new version would be accepted"),
    ],
)
def test_glue__new_user_mistakes_give_one_clear_line(
    pytester: pytest.Pytester, moto: MotoGlue, monkeypatch: pytest.MonkeyPatch, setup: str, expected: str
) -> None:
    """No credentials, a wrong region, an unknown registry, a DISABLED schema: the item fails with one line
    naming the registry id and the fix, and no traceback."""
    moto.seed("user", AVRO_VERSIONS, compatibility="DISABLED" if setup == "disabled" else "BACKWARD")
    glue = {"wrong-region": {"region": "us-east-1"}, "unknown-registry": {"registry_name": "evnts"}}.get(setup, {})
    if setup == "no-credentials":
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            monkeypatch.delenv(name)
    write_project(pytester.path, moto, glue=glue)
    (pytester.path / "schemas/user.avsc").write_text(AVRO_COMPATIBLE)
    result = pytester.runpytest("--schemafed", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert expected in out
    assert "Traceback" not in out and "testing" not in out.replace("pytester", "")


def test_modes_check__every_glue_mode_gives_the_verdict_it_implies(aws_env: None) -> None:
    """benchmarks/glue_modes_check: every (format, change, mode) item agrees and moto is unchanged."""
    from benchmarks.glue_modes_check import run

    result = run(show=False)
    assert result["wrong"] == []
    assert result["registry_unchanged"] is True
    assert result["items"] >= 6 * 8 + 1
