"""One breaking and one compatible fixture per Avro rule, and the rule table's meta-test."""

from __future__ import annotations

import re

import pytest

from pytest_schemafed.formats.avro import AvroFormat
from pytest_schemafed.formats.avro.messages import TEMPLATES
from pytest_schemafed.formats.avro.rules import HANDLERS, RULES

from .helpers import DATA, check, fixture_text


def _only(rule_id: str, level: str = "BACKWARD") -> tuple[str, str, int | None, str]:
    verdict = check(fixture_text(rule_id, "breaking"), fixture_text(rule_id, "previous"), level)
    assert not verdict.compatible
    assert [f.rule for f in verdict.findings] == [rule_id]
    finding = verdict.findings[0]
    assert finding.hint
    return finding.path, finding.message, finding.line, finding.version or ""


def _compatible(rule_id: str) -> bool:
    return check(fixture_text(rule_id, "compatible"), fixture_text(rule_id, "previous"), "FULL").compatible


def test_reader_field_missing_default_value__added_without_default() -> None:
    """A field added without a default breaks BACKWARD at the field, on its line."""
    path, message, line, version = _only("READER_FIELD_MISSING_DEFAULT_VALUE")
    assert (path, line, version) == ("/fields/1", 7, "1")
    assert message.startswith("field `email` of record `com.acme.User` was added without a default")


def test_reader_field_missing_default_value__optional_field_is_compatible() -> None:
    """An added union with null and default null is compatible both ways."""
    assert _compatible("READER_FIELD_MISSING_DEFAULT_VALUE")


def test_type_mismatch__int_to_string() -> None:
    """int -> string is no promotion: the field's type is reported."""
    path, message, line, _ = _only("TYPE_MISMATCH")
    assert (path, line) == ("/fields/1/type", 6)
    assert "field `quantity` of record `Order` changed type" in message
    assert "`int`" in message and "`string`" in message


def test_type_mismatch__int_to_long_is_a_promotion() -> None:
    """int -> long reads old data (BACKWARD holds) but not FORWARD."""
    new, old = fixture_text("TYPE_MISMATCH", "compatible"), fixture_text("TYPE_MISMATCH", "previous")
    assert check(new, old, "BACKWARD").compatible
    forward = check(new, old, "FORWARD")
    assert [(f.rule, f.path, f.direction) for f in forward.findings] == [("TYPE_MISMATCH", "/fields/1/type", "forward")]


def test_missing_union_branch__branch_removed() -> None:
    """Dropping a union branch breaks BACKWARD at Apache's location (writer branch index)."""
    path, message, line, _ = _only("MISSING_UNION_BRANCH")
    assert (path, line) == ("/fields/0/type/2", 5)
    assert "`string`" in message


def test_missing_union_branch__widened_union_is_backward_compatible() -> None:
    """A union that gains promoted branches still reads every old branch."""
    new = fixture_text("MISSING_UNION_BRANCH", "compatible")
    assert check(new, fixture_text("MISSING_UNION_BRANCH", "previous"), "BACKWARD").compatible


def test_missing_enum_symbols__symbol_removed() -> None:
    """Removing an enum symbol breaks BACKWARD at the enum's symbols."""
    path, message, line, _ = _only("MISSING_ENUM_SYMBOLS")
    assert (path, line) == ("/fields/0/type/symbols", 5)
    assert "`LOST`" in message


def test_missing_enum_symbols__reader_default_makes_it_compatible() -> None:
    """A reader enum with a default reads unknown symbols (Avro 1.9+ enum defaults)."""
    new = fixture_text("MISSING_ENUM_SYMBOLS", "compatible")
    assert check(new, fixture_text("MISSING_ENUM_SYMBOLS", "previous"), "BACKWARD").compatible


def test_name_mismatch__enum_renamed() -> None:
    """Renaming a named type without an alias breaks at its name."""
    path, message, line, _ = _only("NAME_MISMATCH")
    assert (path, line) == ("/fields/0/type/name", 5)
    assert "`Kind` was renamed to `DeviceKind`" in message


def test_name_mismatch__alias_keeps_it_compatible() -> None:
    """The reader's alias naming the old type makes the rename readable."""
    new = fixture_text("NAME_MISMATCH", "compatible")
    assert check(new, fixture_text("NAME_MISMATCH", "previous"), "BACKWARD").compatible


def test_fixed_size_mismatch__size_changed() -> None:
    """A fixed that changes size breaks at its size, in both directions."""
    path, message, line, _ = _only("FIXED_SIZE_MISMATCH")
    assert (path, line) == ("/fields/1/type/size", 6)
    assert "from 16 to 32" in message
    forward = check(
        fixture_text("FIXED_SIZE_MISMATCH", "breaking"), fixture_text("FIXED_SIZE_MISMATCH", "previous"), "FORWARD"
    )
    assert [f.rule for f in forward.findings] == ["FIXED_SIZE_MISMATCH"]


def test_fixed_size_mismatch__same_size_is_compatible() -> None:
    """Documentation changes around a fixed of the same size are compatible."""
    assert _compatible("FIXED_SIZE_MISMATCH")


# ------------------------------------------------------------------ meta-test
@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_table_entry_is_complete(rule: object) -> None:
    """Each rule: UPPER_SNAKE id, a "Checks that ..." sentence, a hint, handler, template, fixtures."""
    from pytest_schemafed.formats.base import Rule

    assert isinstance(rule, Rule)
    assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", rule.id)
    assert rule.purpose.startswith("Checks that ") and rule.purpose.endswith(".")
    assert rule.hint
    assert rule.id in HANDLERS and rule.id in TEMPLATES
    for name in ("previous", "breaking", "compatible"):
        assert (DATA / rule.id.lower() / f"{name}.avsc").is_file()
    breaking = check(fixture_text(rule.id, "breaking"), fixture_text(rule.id, "previous"))
    assert rule.id in {f.rule for f in breaking.findings}


def test_rule_table_ids_are_unique_and_exposed_by_the_format() -> None:
    """Rule ids are unique and the format publishes exactly this table."""
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert tuple(AvroFormat.rules) == RULES
    assert set(HANDLERS) == set(ids) == set(TEMPLATES)
