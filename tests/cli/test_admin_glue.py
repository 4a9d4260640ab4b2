"""Registry commands against the Glue backend: moto in server mode, and botocore's Stubber for ListSchemas."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_schemafed.backends.base import BackendSpec, RunContext
from pytest_schemafed.backends.glue import GlueBackend
from pytest_schemafed.cli import main
from pytest_schemafed.registry import default_registry

from ..servers.moto_glue import FAKE_ENV, REGION, MotoGlue
from .test_admin_confluent import T_V1, T_V2, T_V3

pytestmark = [pytest.mark.skipif("glue" not in default_registry().backends, reason="glue backend not registered"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


@pytest.fixture(scope="module")
def moto_server() -> Iterator[MotoGlue]:
    """moto in server mode on 127.0.0.1, started once for this module."""
    server = MotoGlue()
    yield server
    server.stop()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials only: nothing of the host's AWS setup."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in FAKE_ENV.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto(moto_server: MotoGlue, aws_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MotoGlue:
    """Registry `events`: `user` (FULL; its history breaks FULL_ALL), `order` (BACKWARD_ALL, one version)
    and `frozen` (DISABLED); cwd names the registry `glue-eu`."""
    moto_server.reset()
    moto_server.create_registry("events")
    moto_server.seed("user", [T_V1, T_V2, T_V3], compatibility="FULL")
    moto_server.seed("order", [T_V1], compatibility="BACKWARD_ALL")
    moto_server.seed("frozen", [T_V1], compatibility="DISABLED")
    (tmp_path / "schemafed.yaml").write_text(
        "registries:\n  - id: glue-eu\n    type: glue\n    registry_name: events\n"
        f"    region: {REGION}\n    endpoint_url: {moto_server.url}\n    max_attempts: 1\n")
    monkeypatch.chdir(tmp_path)
    return moto_server


def compatibility(moto: MotoGlue, schema: str) -> str:
    """The Compatibility moto holds for ``schema`` (read from its state, not through the backend)."""
    return str(next(v[0] for k, v in moto.snapshot().items() if k.endswith(f"/events/{schema}")))


def test_registries__glue_reachable_without_global_level(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """`registries` pings Glue (GetRegistry) and says the level is per subject."""
    assert main(["registries"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("glue-eu"))
    assert "reachable" in line and " ms " in line and line.endswith("none (per subject)")


def test_levels__glue_modes_mapped(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """FULL stays FULL, BACKWARD_ALL is BACKWARD_TRANSITIVE, DISABLED has no level; no global level."""
    assert main(["levels", "glue-eu", "user", "order", "frozen", "nope"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "global: none (each subject has its own level)", "user: FULL", "order: BACKWARD_TRANSITIVE",
        "frozen: no level (accepts no new version)", "nope: not registered"]


def test_find__glue_latest_version_and_format(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """`find user` shows version 3, an AVRO schema."""
    assert main(["find", "user"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("glue-eu"))
    assert line.split()[2:4] == ["3", "AVRO"]


def test_audit__glue_full_all_violation_named(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """Every version of `user` read from moto; version 3 breaks version 1 at FULL_TRANSITIVE: exit 1."""
    assert main(["audit", "glue-eu", "--level", "FULL_ALL", "--subjects", "user"]) == 1
    out = capsys.readouterr().out
    assert "user:\n  version 3 vs 1: TYPE_MISMATCH at /fields/0/type" in out
    assert "audit of glue-eu at FULL_TRANSITIVE: 1 subject(s), 1 with violations" in out


def test_audit__glue_full_holds(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """The same history satisfies FULL (each version against the one before it)."""
    assert main(["audit", "glue-eu", "--level", "FULL", "--subjects", "user"]) == 0
    assert "1 subject(s), 0 with violations" in capsys.readouterr().out


def test_levels_set__glue_refused_then_forced(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """FULL_TRANSITIVE on `user` is refused (its history breaks it); --force sets FULL_ALL through UpdateSchema."""
    assert main(["levels", "set", "glue-eu", "FULL_TRANSITIVE", "--subject", "user", "--yes"]) == 1
    assert "refused" in capsys.readouterr().out and compatibility(moto, "user") == "FULL"
    assert main(["levels", "set", "glue-eu", "FULL_TRANSITIVE", "--subject", "user", "--yes", "--force"]) == 0
    assert compatibility(moto, "user") == "FULL_ALL"


def test_levels_set__glue_dry_run_then_yes(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --yes nothing changes; with it `order` becomes FULL."""
    assert main(["levels", "set", "glue-eu", "FULL", "--subject", "order"]) == 0
    out = capsys.readouterr().out
    assert "subject order: BACKWARD_TRANSITIVE -> FULL" in out and "dry run" in out
    assert compatibility(moto, "order") == "BACKWARD_ALL"
    assert main(["levels", "set", "glue-eu", "FULL", "--subject", "order", "--yes"]) == 0
    assert compatibility(moto, "order") == "FULL"


def test_levels_set__glue_has_no_global_level_exit_2(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """A global change on Glue is a usage error that says to name subjects; nothing is written."""
    assert main(["levels", "set", "glue-eu", "FULL", "--yes"]) == 2
    assert "the registry has no global level; name subjects with --subject" in capsys.readouterr().err
    assert compatibility(moto, "user") == "FULL"


def test_levels__missing_glue_registry_exit_3(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """A registry_name Glue does not have is a backend error: exit 3 with the fix."""
    path = Path("schemafed.yaml")
    path.write_text(path.read_text().replace("registry_name: events", "registry_name: evnts"))
    assert main(["levels", "glue-eu"]) == 3
    assert "Glue registry 'evnts' does not exist" in capsys.readouterr().err


def test_subjects__glue_failure_while_listing_exit_3(moto: MotoGlue, capsys: pytest.CaptureFixture[str]) -> None:
    """moto answers ListSchemas with HTTP 500 (not implemented): a registry failure, exit 3, one line."""
    assert main(["subjects", "glue-eu"]) == 3
    assert "Glue failed to list the schemas for Glue registry 'events'" in capsys.readouterr().err


# ---------------------------------------------------------------- ListSchemas (moto has none): Stubber
@pytest.fixture
def stubbed(aws_env: None) -> Iterator[tuple[Any, Any]]:
    """A Glue client in an active Stubber: (client, stubber); every stub must be used."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("glue", region_name=REGION)
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _page(stubber: Any, names: list[tuple[str, str]], token: str | None = None, after: str | None = None) -> None:
    answer: dict[str, Any] = {"Schemas": [{"RegistryName": "events", "SchemaName": n, "SchemaStatus": s}
                                          for n, s in names]}
    if token:
        answer["NextToken"] = token
    expected: dict[str, Any] = {"RegistryId": {"RegistryName": "events"}, "MaxResults": 100}
    if after:
        expected["NextToken"] = after
    stubber.add_response("list_schemas", answer, expected)


def test_list_subjects__pages_prefix_and_deleting_left_out(stubbed: tuple[Any, Any], tmp_path: Path) -> None:
    """ListSchemas is paged through; DELETING schemas are left out; the prefix filters here, sorted."""
    client, stubber = stubbed
    _page(stubber, [("users", "AVAILABLE"), ("orders", "AVAILABLE")], token="p2")
    _page(stubber, [("user-old", "DELETING"), ("user-events", "PENDING")], after="p2")
    spec = BackendSpec(id="glue-eu", type="glue", options={"registry_name": "events", "region": REGION})
    backend = GlueBackend(spec, RunContext(rootdir=tmp_path, registry=default_registry()), client=client)
    assert backend.list_subjects(prefix="user") == ["user-events", "users"]
