"""Compatibility verdicts for the test registry that come from labelled cases, never from our engines.

The Confluent-API test server decides Avro with Apache Avro's own checker. JSON Schema and
Protobuf have no such checker in Python, so the server answers them from labels: the checks
captured from a real Karapace registry (``../shared/registry-captures/karapace-6.2.md``, its
own verdicts and messages), the labelled cases of the shared conformance corpus
(``../shared/conformance/*.jsonl``: the verdicts asserted by Confluent's and Karapace's own
test suites), and the pairs a test labels itself. A pair that
no label covers is not guessed: the server answers HTTP 500, so the test fails loudly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CAPTURES", "CONFORMANCE", "CapturedCheck", "LabelledJudge", "Unlabelled", "captured_checks"]

CONFORMANCE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance"
CAPTURES = Path(__file__).resolve().parents[2].parent / "shared" / "registry-captures" / "karapace-6.2.md"
_TYPES = {"json": "JSON", "protobuf": "PROTOBUF"}


_ENTRY = re.compile(r"^### \d+\. (?P<method>[A-Z]+) (?P<path>\S+)\n(?P<body>.*?)(?=^### |\Z)", re.M | re.S)
_JSON_BLOCK = re.compile(r"```json\n(.*?)\n```", re.S)


@dataclass(frozen=True)
class CapturedCheck:
    """One ``POST /compatibility/...`` a real registry answered, with the version it was checked against."""

    schema_type: str
    level: str
    old: str
    new: str
    compatible: bool
    messages: tuple[str, ...]


def captured_checks(path: Path = CAPTURES) -> list[CapturedCheck]:
    """The JSON Schema and Protobuf compatibility checks captured from a real Karapace registry.

    The capture file is read in order: registrations (answered 200) set each subject's
    latest version, ``PUT /config/{s}`` its level, and each compatibility check against
    ``latest`` is one :class:`CapturedCheck` with the registry's own verdict and messages.
    """
    latest: dict[str, str] = {}
    levels: dict[str, str] = {}
    types: dict[str, str] = {}
    found: list[CapturedCheck] = []
    for entry in _ENTRY.finditer(path.read_text(encoding="utf-8")):
        method, route, body = entry.group("method"), entry.group("path"), entry.group("body")
        blocks = _JSON_BLOCK.findall(body)
        status = re.search(r"Response: HTTP (\d+)", body)
        if len(blocks) < 2 or status is None:
            continue
        request, answer = json.loads(blocks[0]), json.loads(blocks[-1])
        parts = route.split("?")[0].split("/")
        subject = parts[3] if route.startswith("/compatibility/") and len(parts) > 3 else \
            parts[2] if len(parts) > 2 else ""
        if method == "POST" and route.startswith("/subjects/") and route.endswith("/versions") \
                and status.group(1) == "200":
            latest[subject] = request["schema"]
            types[subject] = request.get("schemaType", "AVRO")
        elif method == "PUT" and route.startswith("/config/") and status.group(1) == "200":
            levels[subject] = request["compatibility"]
        elif method == "POST" and route.startswith("/compatibility/") and "/versions/latest" in route:
            schema_type = request.get("schemaType", "AVRO")
            if schema_type in ("JSON", "PROTOBUF") and types.get(subject) == schema_type and status.group(1) == "200":
                found.append(CapturedCheck(schema_type, levels.get(subject, "BACKWARD"), latest[subject],
                                           request["schema"], bool(answer["is_compatible"]),
                                           tuple(str(m) for m in answer.get("messages") or ())))
    return found


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
        if corpus is None and CAPTURES.exists():  # the real registry's own answers come first
            for case in captured_checks():
                message = "; ".join(case.messages) or "incompatible"
                if case.level.startswith(("BACKWARD", "FULL")):
                    self.label(case.schema_type, case.new, case.old, case.compatible, message, source="captured")
                if case.level.startswith(("FORWARD", "FULL")):
                    self.label(case.schema_type, case.old, case.new, case.compatible, message, source="captured")
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
        if key in self.labels and known.startswith(("confluent", "captured")) and source != "test":
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
