"""Compatibility verdicts for the test registry that come from labelled cases, never from our engines.

The Confluent-API test server decides Avro with Apache Avro's own checker. JSON Schema and
Protobuf have no such checker in Python, so the server answers them from the labelled cases
of the shared conformance corpus (``../shared/conformance/*.jsonl``: the verdicts asserted by
Confluent's and Karapace's own test suites) plus the pairs a test labels itself. A pair that
no label covers is not guessed: the server answers HTTP 500, so the test fails loudly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

__all__ = ["CONFORMANCE", "LabelledJudge", "Unlabelled"]

CONFORMANCE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance"
_TYPES = {"json": "JSON", "protobuf": "PROTOBUF"}


class Unlabelled(Exception):
    """No labelled case covers this (reader, writer) pair."""


def _key(schema_type: str, reader: str, writer: str) -> tuple[str, str, str]:
    if schema_type == "JSON":  # the registry stores JSON re-serialised: compare the documents as data
        reader, writer = (json.dumps(json.loads(t), sort_keys=True) for t in (reader, writer))
    return schema_type, reader, writer


class LabelledJudge:
    """Answers "can ``reader`` read ``writer``'s data?" from labels (see the module docstring).

    :param extra: further labels, ``(schema_type, reader, writer, compatible, message)``.
    :param corpus: the conformance folder to load (``None``: the shared one).
    """

    def __init__(self, extra: Iterable[tuple[str, str, str, bool, str]] = (), corpus: Path | None = None) -> None:
        self.labels: dict[tuple[str, str, str], tuple[bool, str]] = {}
        self.sources: dict[tuple[str, str, str], str] = {}
        folder = CONFORMANCE if corpus is None else corpus
        for path in sorted(folder.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                self._add_case(json.loads(line))
        for schema_type, reader, writer, compatible, message in extra:
            self.label(schema_type, reader, writer, compatible, message)

    def _add_case(self, case: dict[str, object]) -> None:
        schema_type = _TYPES.get(str(case.get("format")))
        if schema_type is None or case.get("old_refs") or case.get("new_refs") or case.get("history"):
            return
        old, new, ok = str(case["old"]), str(case["new"]), bool(case["compatible"])
        message = "; ".join(str(m) for m in case.get("expect_changes") or ()) or f"incompatible ({case['id']})"
        direction = case.get("direction")
        pairs = {"backward": [(new, old)], "forward": [(old, new)], "full": [(new, old), (old, new)] if ok else []}
        for reader, writer in pairs.get(str(direction), []):
            self.label(schema_type, reader, writer, ok, message, source=str(case["id"]))

    def label(self, schema_type: str, reader: str, writer: str, compatible: bool, message: str = "",
              source: str = "test") -> None:
        """Add (or confirm) one label; two sources that disagree on a pair keep Confluent's."""
        key = _key(schema_type, reader, writer)
        known = self.sources.get(key, "")
        if key in self.labels and known.startswith("confluent") and not source.startswith("confluent"):
            return
        self.labels[key] = (compatible, message or "incompatible")
        self.sources[key] = source

    def __call__(self, schema_type: str, reader: str, writer: str, refs: dict[str, str]
                 ) -> list[tuple[str, str, str]]:
        """The server's judge signature: the problems found (none when compatible).

        :raises Unlabelled: no label covers the pair.
        """
        found = self.labels.get(_key(schema_type, reader, writer))
        if found is None:
            raise Unlabelled(f"the test registry has no labelled verdict for this {schema_type} pair")
        compatible, message = found
        return [] if compatible else [("INCOMPATIBLE", message, "/")]
