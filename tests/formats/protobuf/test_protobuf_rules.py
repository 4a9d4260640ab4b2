"""Every Protobuf rule: one breaking and one compatible fixture, and where the finding points."""

from __future__ import annotations

import re

import pytest

from pytest_schemafed.formats.protobuf import COMPATIBLE_CHANGES
from pytest_schemafed.formats.protobuf.diff import CHANGE_TYPES
from pytest_schemafed.formats.protobuf.rules import RULES, TEMPLATES

from .protobuf_kit import DATA, ProtoKit, marker_line

RULE_IDS = [r.id for r in RULES]


def test_rule_table__ids_unique_upper_snake_with_sentences_templates_and_fixtures() -> None:
    """The rule table is well formed and every rule has a template and a fixture folder."""
    assert len(RULE_IDS) == len(set(RULE_IDS))
    for rule in RULES:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", rule.id)
        assert rule.purpose.startswith("Checks that ") and rule.purpose.endswith(".")
        assert rule.id in TEMPLATES
        folder = DATA / rule.id.lower()
        assert {p.name for p in folder.iterdir()} >= {"previous.proto", "current.proto", "current_ok.proto"}


def test_rule_table__is_exactly_confluents_incompatible_change_types() -> None:
    """Rules are Confluent's Difference.Type values outside COMPATIBLE_CHANGES, no more, no less."""
    assert set(RULE_IDS) == set(CHANGE_TYPES) - COMPATIBLE_CHANGES


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule__breaking_fixture_is_found_at_the_marked_line(kit: ProtoKit, rule: str) -> None:
    """BACKWARD of current.proto against previous.proto reports the rule at the marked line."""
    folder = DATA / rule.lower()
    current = (folder / "current.proto").read_text()
    findings = kit.backward(current, (folder / "previous.proto").read_text())
    hits = [f for f in findings if f.rule == rule]
    assert hits, findings
    assert hits[0].line == marker_line(current, rule)
    assert hits[0].column is not None
    assert f"(Confluent: {rule} #/" in hits[0].message
    assert hits[0].hint


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule__compatible_fixture_has_no_finding(kit: ProtoKit, rule: str) -> None:
    """BACKWARD of current_ok.proto against previous.proto is compatible."""
    folder = DATA / rule.lower()
    assert kit.backward((folder / "current_ok.proto").read_text(), (folder / "previous.proto").read_text()) == []


def test_field_scalar_kind_changed__message_names_field_number_and_message(kit: ProtoKit) -> None:
    """A finding names the field, its number, its message and both types."""
    folder = DATA / "field_scalar_kind_changed"
    (finding,) = kit.backward((folder / "current.proto").read_text(), (folder / "previous.proto").read_text())
    assert finding.path == "shop.v1.Order.quantity"
    assert "`quantity` = 2" in finding.message and "`shop.v1.Order`" in finding.message
    assert "`int32`" in finding.message and "`string`" in finding.message


def test_required_field_removed__deletion_points_at_enclosing_message_and_names_old_line(kit: ProtoKit) -> None:
    """A removed element is located at the nearest local element; the message gives its old line."""
    folder = DATA / "required_field_removed"
    (finding,) = kit.backward((folder / "current.proto").read_text(), (folder / "previous.proto").read_text())
    assert finding.path == "shop.v1.Order"
    assert "line 6 of the registered schema" in finding.message
    assert "`customer` = 2" in finding.message


def test_required_field_added__forward_points_into_the_local_writer(kit: ProtoKit) -> None:
    """FORWARD: the local file is the writer; a required field it drops is located in it."""
    folder = DATA / "required_field_added"
    # new = previous.proto (no `customer`), old = current.proto (requires it): old readers break.
    new = (folder / "previous.proto").read_text()
    findings = kit.forward(new, (folder / "current.proto").read_text())
    assert [f.rule for f in findings] == ["REQUIRED_FIELD_ADDED"]
    assert findings[0].line == 4 and findings[0].path == "shop.v1.Order"
    assert "the registered schema" in findings[0].message


def test_field_numeric_label_changed__implicit_to_repeated_is_caught(kit: ProtoKit) -> None:
    """`int64 x` -> `repeated int64 x` breaks (packed numbers); Confluent skips labels it leaves unset."""
    old = 'syntax = "proto3";\nmessage M {\n  int64 x = 1;\n}\n'
    new = 'syntax = "proto3";\nmessage M {\n  repeated int64 x = 1;\n}\n'
    assert [f.rule for f in kit.backward(new, old)] == ["FIELD_NUMERIC_LABEL_CHANGED"]


def test_field_kind_changed__map_to_message_and_back(kit: ProtoKit) -> None:
    """A map field that becomes a message field (or back) changes kind."""
    old = 'syntax = "proto3";\nmessage M {\n  map<string, int32> tags = 1;\n}\nmessage T {\n  int32 a = 1;\n}\n'
    new = 'syntax = "proto3";\nmessage M {\n  T tags = 1;\n}\nmessage T {\n  int32 a = 1;\n}\n'
    assert [f.rule for f in kit.backward(new, old)] == ["FIELD_KIND_CHANGED"]
    assert [f.rule for f in kit.backward(old, new)] == ["FIELD_KIND_CHANGED"]


def test_field_scalar_kind_changed__map_value_type(kit: ProtoKit) -> None:
    """A map's value type is compared like a scalar field's type."""
    old = 'syntax = "proto3";\nmessage M {\n  map<string, int32> tags = 1;\n}\n'
    new = 'syntax = "proto3";\nmessage M {\n  map<string, double> tags = 1;\n}\n'
    assert [f.rule for f in kit.backward(new, old)] == ["FIELD_SCALAR_KIND_CHANGED"]


def test_field_named_type_changed__incompatible_change_inside_referenced_file(kit: ProtoKit) -> None:
    """A message type from another file is compared too; its break is located at the local field."""
    dep_old = 'syntax = "proto3";\npackage dep;\nmessage Hint {\n  string text = 1;\n}\n'
    dep_new = 'syntax = "proto3";\npackage dep;\nmessage Hint {\n  int32 text = 1;\n}\n'
    old = 'syntax = "proto3";\nimport "dep_v1.proto";\nmessage M {\n  dep.Hint hint = 1;\n}\n'
    new = 'syntax = "proto3";\nimport "dep_v2.proto";\nmessage M {\n  dep.Hint hint = 1;\n}\n'
    refs = {"dep_v1.proto": dep_old, "dep_v2.proto": dep_new}
    findings = kit.backward(new, old, refs)
    assert sorted(f.rule for f in findings) == ["FIELD_NAMED_TYPE_CHANGED", "FIELD_SCALAR_KIND_CHANGED"]
    assert all(f.line == 4 for f in findings)
