"""A check that runs past ``check_timeout`` fails with one line; the run goes on and ends."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import ClassVar

from pytest_schemafed.backends.base import Backend
from pytest_schemafed.config import load_settings
from pytest_schemafed.gate import Gate
from pytest_schemafed.model import Check, History, HistoryVersion, Outcome
from pytest_schemafed.registry import default_registry

from ..conftest import write_files
from .conftest import VALID

RELEASE = threading.Event()


class StallingBackend(Backend):
    """A remote-like backend (several requests in flight) whose answer for ``slow`` never comes."""

    type_name = "stalling"
    options: ClassVar = {}
    max_in_flight = 4

    def history(self, check: Check) -> History:
        if check.subject == "slow":
            RELEASE.wait(60)  # released by the test once it has its verdicts
        return History(versions=(HistoryVersion(version="1", text=check.text or VALID),))


def test_check_past_its_budget__fails_with_one_line_others_pass(tmp_path: Path) -> None:
    write_files(tmp_path, {"schemas/slow.avsc": VALID, "schemas/fast.avsc": VALID, "schemas/user.avsc": VALID})
    (tmp_path / "schemafed.yaml").write_text(
        "check_timeout: 1\nregistries:\n  - id: remote\n    type: stalling\n"
    )
    registry = default_registry()
    registry.add_backend("stalling", StallingBackend)
    settings = load_settings(tmp_path, registry)
    assert settings.check_timeout == 1.0
    gate = Gate(settings, registry, tmp_path, workers=0)
    checks = []
    for path in sorted((tmp_path / "schemas").glob("*.avsc")):
        source = gate.source_for(path)
        assert source is not None
        checks.append(gate.plan(source, "remote"))
    started = time.monotonic()
    try:
        gate.evaluate(checks)
        verdicts = {c.subject: gate.verdict(c) for c in checks}
    finally:
        RELEASE.set()
        gate.close()
    assert time.monotonic() - started < 30  # a generous bound: the budget is 1 s, the stall 60 s
    slow = verdicts.pop("slow")
    assert slow.outcome is Outcome.ERROR and slow.error is not None
    assert slow.error == ("schemas/slow.avsc: the check against remote ran past check_timeout=1 s; "
                          "stopped waiting for it")
    assert all(v.outcome is Outcome.COMPATIBLE for v in verdicts.values()), verdicts


def test_default_budget_is_sixty_seconds(tmp_path: Path) -> None:
    assert load_settings(tmp_path, default_registry()).check_timeout == 60.0
