"""One shared helper for the Avro tests: fixtures on disk and a BACKWARD/FORWARD check."""

from __future__ import annotations

from pathlib import Path

from pytest_schemafed import check_compatibility
from pytest_schemafed.model import Verdict

DATA = Path(__file__).parent / "data"


def fixture_text(rule_id: str, name: str) -> str:
    """Text of ``data/<rule id lower>/<name>.avsc``."""
    return (DATA / rule_id.lower() / f"{name}.avsc").read_text()


def check(new: str, old: str, level: str = "BACKWARD") -> Verdict:
    """The verdict of ``new`` against one registered version ``old``."""
    return check_compatibility(new, [old], format="avro", level=level)
