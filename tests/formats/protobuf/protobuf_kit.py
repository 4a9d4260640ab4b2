"""Shared helpers for the Protobuf format tests: parse, compare, read rule fixtures.

A module with a unique name (not conftest.py), so that other test folders' conftest
modules cannot shadow it; ``conftest.py`` here only exposes the ``kit`` fixture.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pytest_schemafed.formats.protobuf import ProtobufFormat, ProtobufSchema, schema_diff
from pytest_schemafed.model import Finding, Severity

DATA = Path(__file__).with_name("data")


class ProtoKit:
    """Parse texts and run the comparison the engine runs for BACKWARD and FORWARD."""

    fmt = ProtobufFormat()

    def parse(self, text: str, refs: Mapping[str, str] | None = None, path: str = "x.proto") -> ProtobufSchema:
        return self.fmt.parse(text, path=path, references=refs)

    def backward(self, new: str, old: str, refs: Mapping[str, str] | None = None) -> list[Finding]:
        """Error findings for BACKWARD: a reader using ``new`` reads ``old``'s data (local = new)."""
        return [f for f in self.backward_all(new, old, refs) if f.severity is Severity.ERROR]

    def backward_all(self, new: str, old: str, refs: Mapping[str, str] | None = None) -> list[Finding]:
        """Every finding for BACKWARD, warnings (advisories) included."""
        return self.fmt.compare(self.parse(new, refs), self.parse(old, refs), local="reader")

    def forward(self, new: str, old: str, refs: Mapping[str, str] | None = None) -> list[Finding]:
        """Error findings for FORWARD: a reader using ``old`` reads ``new``'s data (local = new)."""
        return [f for f in self.forward_all(new, old, refs) if f.severity is Severity.ERROR]

    def forward_all(self, new: str, old: str, refs: Mapping[str, str] | None = None) -> list[Finding]:
        """Every finding for FORWARD, warnings included."""
        return self.fmt.compare(self.parse(old, refs), self.parse(new, refs), local="writer")

    def changes(self, old: str, new: str, refs: Mapping[str, str] | None = None) -> list[str]:
        """Confluent-style ``TYPE #/path`` strings from ``old`` (writer) to ``new`` (reader), sorted."""
        diffs = schema_diff(self.parse(old, refs), self.parse(new, refs))
        return sorted(f"{d.type} {d.path}" for d in diffs if d.type != "SYNTAX_CHANGED")


def marker_line(text: str, rule: str) -> int:
    """The 1-based line carrying ``// <- RULE`` in a fixture file."""
    for number, line in enumerate(text.splitlines(), 1):
        if f"// <- {rule}" in line:
            return number
    raise AssertionError(f"no marker for {rule}")
