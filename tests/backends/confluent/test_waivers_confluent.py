"""Waivers where the registry decides: a Confluent-API registry (Karapace answers) rejects, the waiver accepts."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.conftest import git, write_files
from tests.servers.confluent_server import ConfluentTestServer

from .conftest import T_ADD_B_NO_DEFAULT, T_V1

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
Server = Callable[..., ConfluentTestServer]


def _config(url: str, waiver_registry: str) -> str:
    return f"""
schemas:
  - path: "schemas/*.avsc"
    subject: "{{stem}}-value"
registries:
  - id: dev
    type: confluent
    url: {url}
  - id: base
    type: git
    ref: main
waivers:
  - rule: "*"
    subject: "t-value"
    registry: {waiver_registry}
    reason: "t is consumed by one service, redeployed with the change"
    expires: 2999-12-31
"""


@pytest.mark.parametrize(("waiver_registry", "dev_outcome"), [("dev", "compatible"), ("base", "incompatible")])
def test_registry_rejection__waived_on_that_registry_only(pytester: pytest.Pytester, make_server: Server,
                                                          waiver_registry: str, dev_outcome: str) -> None:
    """The registry rejects t.avsc: a waiver for dev passes its item (the registry's answer kept), one for base not."""
    dev = make_server("karapace")
    dev.register("t-value", T_V1)
    root = pytester.path
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"schemas/t.avsc": T_V1})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "released")
    write_files(root, {"schemafed.yaml": _config(dev.url, waiver_registry), "schemas/t.avsc": T_ADD_B_NO_DEFAULT})
    result = pytester.runpytest_subprocess("--schemafed-only", "-p", "no:cacheprovider",
                                           "--schemafed-report=json=r.json")
    items = {i["registry"]: i for i in json.loads((root / "r.json").read_text())["items"]}
    dev_item, base_item = items["dev"], items["base"]
    assert dev_item["decided_by"] == "registry" and dev_item["remote"]["compatible"] is False
    assert dev_item["outcome"] == dev_outcome
    assert base_item["outcome"] == ("compatible" if waiver_registry == "base" else "incompatible")
    waived = [f for f in dev_item["findings"] if f["waived"]]
    assert bool(waived) is (waiver_registry == "dev")
    if waiver_registry == "dev":
        assert any("registry 'dev' rejects this schema, but every break is waived" in n for n in dev_item["notes"])
    result.assert_outcomes(passed=1, failed=1)
