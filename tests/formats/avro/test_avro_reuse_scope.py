"""One call of ``check_compatibility``: its parses share their fields, and nothing outlives the call."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from pytest_schemafed import check_compatibility
from pytest_schemafed.errors import SchemaParseError
from pytest_schemafed.formats.avro import AvroFormat, reuse

FMT = AvroFormat()

_INNER: dict[str, Any] = {
    "name": "address",
    "type": {"type": "record", "name": "Address", "fields": [{"name": "street", "type": "string"}]},
}


def _text(*fields: dict[str, Any]) -> str:
    return json.dumps({"type": "record", "name": "Order", "namespace": "n", "fields": list(fields)})


NEW = _text(_INNER, {"name": "id", "type": "long"})
OLD = _text(_INNER, {"name": "id", "type": "int"})


def test_check_compatibility__leaves_the_process_table_as_it_found_it() -> None:
    """Fields a call parses are not kept after it: the caller's heap does not grow with each call."""
    reuse.clear()
    before = dict(reuse.ENTRIES)
    verdict = check_compatibility(NEW, [OLD], format="avro", level="FULL")
    assert not verdict.compatible  # int -> long reads, long -> int does not
    assert reuse.ENTRIES == before == {}


def test_parse_scope__shares_fields_between_the_parses_inside() -> None:
    """Inside one scope the old version reuses the new one's field: the very same node."""
    with FMT.parse_scope():
        new = FMT.parse(NEW)
        old = FMT.parse(OLD)
        assert reuse.table(), "the scope's table holds the remembered field"
    assert new.root.types["address"] is old.root.types["address"]  # type: ignore[attr-defined]
    assert reuse.table() is reuse.ENTRIES


def test_parse_scope__a_shared_field_still_validates_the_version_that_reuses_it() -> None:
    """Reuse never lets an invalid version through: a duplicate field in the old text is still an error."""
    bad_old = _text(_INNER, _INNER)
    with pytest.raises(SchemaParseError, match="two fields named `address`"):
        check_compatibility(NEW, [bad_old], format="avro", level="BACKWARD")


def test_parse_scope__is_private_to_its_thread() -> None:
    """A scope opened in one thread does not change the table another thread parses with."""
    reuse.clear()
    entered, release = threading.Event(), threading.Event()
    seen: list[object] = []

    def inside() -> None:
        with FMT.parse_scope():
            FMT.parse(NEW)
            entered.set()
            release.wait(5)

    worker = threading.Thread(target=inside)
    worker.start()
    try:
        assert entered.wait(5)
        seen.append(reuse.table())
        FMT.parse(OLD)
    finally:
        release.set()
        worker.join(5)
    assert seen == [reuse.ENTRIES]
    assert list(reuse.ENTRIES) == [("n.Order", "address")], "this thread remembered into the process table"
    reuse.clear()


def test_check_compatibility__same_findings_as_parsing_without_a_scope() -> None:
    """The scope changes what is kept, not what is decided: both directions, as two plain comparisons."""
    reuse.clear()
    scoped = check_compatibility(NEW, [OLD], format="avro", level="FULL")
    new, old = FMT.parse(NEW), FMT.parse(OLD)
    plain = {"backward": FMT.compare(new, old, local="reader"), "forward": FMT.compare(old, new, local="writer")}
    reuse.clear()
    for direction, findings in plain.items():
        got = [(f.rule, f.path, f.line) for f in scoped.findings if f.direction == direction]
        assert got == [(f.rule, f.path, f.line) for f in findings]
    assert plain["forward"] and not plain["backward"]
