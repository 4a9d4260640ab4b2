"""Confluent's change taxonomy: each change type is produced, with Confluent's path, and only the
incompatible ones fail. The cases mirror Confluent's documented behaviour (SchemaDiff test data)."""

from __future__ import annotations

import pytest

from pytest_schemafed.formats.protobuf import COMPATIBLE_CHANGES

from .protobuf_kit import ProtoKit

P3 = 'syntax = "proto3";\n'
P2 = 'syntax = "proto2";\n'
ENUM = "enum Status {\n  ACTIVE = 0;\n  INACTIVE = 1;\n}\n"
CASES = [
    # (change type, old, new, expected Confluent changes)
    (
        "MESSAGE_ADDED",
        P3 + "message M {\n  int32 x = 1;\n}\n",
        P3 + "message M {\n  int32 x = 1;\n}\nmessage N {\n  int32 y = 1;\n}\n",
        ["MESSAGE_ADDED #/N"],
    ),
    (
        "MESSAGE_MOVED",
        P3 + "message M {\n  int32 x = 1;\n}\nmessage N {\n  int32 y = 1;\n}\n",
        P3 + "message N {\n  int32 y = 1;\n}\nmessage M {\n  int32 x = 1;\n}\n",
        ["MESSAGE_MOVED #/M", "MESSAGE_MOVED #/N"],
    ),
    (
        "ENUM_ADDED",
        P3 + "message M {\n  int32 x = 1;\n}\n",
        P3 + "message M {\n  Status x = 1;\n}\n" + ENUM,
        ["ENUM_ADDED #/Status"],
    ),
    (
        "ENUM_REMOVED",
        P3 + "message M {\n  Status x = 1;\n}\n" + ENUM,
        P3 + "message M {\n  int32 x = 1;\n}\n",
        ["ENUM_REMOVED #/Status"],
    ),
    (
        "ENUM_CONST_ADDED",
        P3 + "message M {\n  Status x = 1;\n}\n" + ENUM,
        P3 + "message M {\n  Status x = 1;\n}\n" + ENUM.replace("}", "  GONE = 2;\n}"),
        ["ENUM_CONST_ADDED #/Status/2"],
    ),
    (
        "ENUM_CONST_CHANGED",
        P3 + "message M {\n  Status x = 1;\n}\n" + ENUM,
        P3 + "message M {\n  Status x = 1;\n}\n" + ENUM.replace("INACTIVE", "DISABLED"),
        ["ENUM_CONST_CHANGED #/Status/1"],
    ),
    (
        "ENUM_CONST_REMOVED",
        P3 + "message M {\n  Status x = 1;\n}\n" + ENUM,
        P3 + "message M {\n  Status x = 1;\n}\n" + ENUM.replace("  INACTIVE = 1;\n", ""),
        ["ENUM_CONST_REMOVED #/Status/1"],
    ),
    (
        "FIELD_ADDED",
        P3 + "message M {\n  int32 x = 1;\n}\n",
        P3 + "message M {\n  int32 x = 1;\n  string y = 2;\n}\n",
        ["FIELD_ADDED #/M/2"],
    ),
    (
        "FIELD_REMOVED",
        P3 + "message M {\n  int32 x = 1;\n  string y = 2;\n}\n",
        P3 + "message M {\n  int32 x = 1;\n}\n",
        ["FIELD_REMOVED #/M/2"],
    ),
    (
        "FIELD_NAME_CHANGED",
        P3 + "message M {\n  int32 x = 1;\n}\n",
        P3 + "message M {\n  int64 renamed = 1;\n}\n",
        ["FIELD_NAME_CHANGED #/M/1"],
    ),
    (
        "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
        P3 + "message M {\n  optional bytes b = 1;\n}\n",
        P3 + "message M {\n  repeated bytes b = 1;\n}\n",
        ["FIELD_STRING_OR_BYTES_LABEL_CHANGED #/M/1"],
    ),
    (
        "ONEOF_ADDED",
        P3 + "message M {\n  string a = 1;\n}\n",
        P3 + "message M {\n  oneof choice {\n    string a = 1;\n    int32 b = 2;\n  }\n}\n",
        ["ONEOF_ADDED #/M/choice"],
    ),
    (
        "ONEOF_REMOVED",
        P3 + "message M {\n  oneof choice {\n    string a = 1;\n  }\n}\n",
        P3 + "message M {\n  string a = 1;\n}\n",
        ["FIELD_ADDED #/M/1", "ONEOF_REMOVED #/M/choice"],
    ),
    (
        "ONEOF_FIELD_ADDED",
        P3 + "message M {\n  oneof choice {\n    string a = 1;\n  }\n}\n",
        P3 + "message M {\n  oneof choice {\n    string a = 1;\n    int32 b = 2;\n  }\n}\n",
        ["ONEOF_FIELD_ADDED #/M/choice/2"],
    ),
]


@pytest.mark.parametrize(("change", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_compatible_change__reported_with_confluent_path_and_never_a_finding(
    kit: ProtoKit, change: str, old: str, new: str, expected: list[str]
) -> None:
    """Each compatible change type appears in the diff with Confluent's path and fails nothing."""
    assert change in COMPATIBLE_CHANGES
    assert kit.changes(old, new) == sorted(expected)
    assert kit.backward(new, old) == []


def test_syntax_changed__proto2_to_proto3_is_reported_and_compatible(kit: ProtoKit) -> None:
    """SYNTAX_CHANGED (ours; Confluent has none) is listed as a difference and is compatible."""
    from pytest_schemafed.formats.protobuf import schema_diff

    old = P2 + "message M {\n  optional int32 x = 1;\n}\n"
    new = P3 + "message M {\n  optional int32 x = 1;\n}\n"
    assert [d.type for d in schema_diff(kit.parse(old), kit.parse(new))] == ["SYNTAX_CHANGED"]
    assert kit.backward(new, old) == []


def test_renumbered_field__is_removal_plus_addition_and_compatible(kit: ProtoKit) -> None:
    """Confluent: changing a field's number is FIELD_REMOVED + FIELD_ADDED, both allowed."""
    old = P3 + "message M {\n  string s = 1;\n}\n"
    new = P3 + "message M {\n  string s = 2;\n}\n"
    assert kit.changes(old, new) == ["FIELD_ADDED #/M/2", "FIELD_REMOVED #/M/1"]
    assert kit.backward(new, old) == [] and kit.forward(new, old) == []


def test_compatible_scalar_groups__int_widening_enum_and_string_bytes(kit: ProtoKit) -> None:
    """int32->int64->uint64->bool->enum stay in one wire group, and so do string and bytes."""
    old = P3 + "message M {\n  int32 a = 1;\n  string b = 2;\n  int32 c = 3;\n}\n"
    new = P3 + "message M {\n  uint64 a = 1;\n  bytes b = 2;\n  E c = 3;\n}\nenum E {\n  Z = 0;\n}\n"
    assert kit.backward(new, old) == []


def test_sint_and_fixed__are_their_own_wire_groups(kit: ProtoKit) -> None:
    """int32 -> sint32 (zigzag) and fixed32 -> fixed64 change the wire encoding."""
    old = P3 + "message M {\n  int32 a = 1;\n  fixed32 b = 2;\n  float c = 3;\n}\n"
    new = P3 + "message M {\n  sint32 a = 1;\n  fixed64 b = 2;\n  double c = 3;\n}\n"
    assert sorted(f.path for f in kit.backward(new, old)) == ["M.a", "M.b", "M.c"]


def test_name_qualification__relative_and_full_names_are_the_same_type(kit: ProtoKit) -> None:
    """`Status`, `M.Status` and `.pkg.M.Status` name one type: no change."""
    old = (
        P3
        + "package pkg;\nmessage M {\n  Status s = 1;\n  map<string, Status> m = 2;\n"
        + "  message Status {\n    int32 a = 1;\n  }\n}\n"
    )
    new = old.replace("  Status s", "  .pkg.M.Status s").replace("string, Status>", "string, M.Status>")
    assert kit.changes(old, new) == []


def test_field_moved_out_of_oneof__is_compatible_but_its_type_is_still_compared(kit: ProtoKit) -> None:
    """Leaving a oneof loses no data (no ONEOF_FIELD_REMOVED); a type change on the way still breaks."""
    old = P3 + "message M {\n  oneof c {\n    string a = 1;\n    int32 b = 2;\n  }\n}\n"
    new = P3 + "message M {\n  oneof c {\n    string a = 1;\n  }\n  int32 b = 2;\n}\n"
    assert kit.backward(new, old) == []
    changed = new.replace("int32 b = 2", "string b = 2")
    assert [f.rule for f in kit.backward(changed, old)] == ["FIELD_SCALAR_KIND_CHANGED"]


def test_recursive_message__compares_without_looping(kit: ProtoKit) -> None:
    """A self-referencing message through an imported file terminates."""
    dep1 = P3 + "package d;\nmessage Node {\n  Node next = 1;\n  int32 v = 2;\n}\n"
    dep2 = P3 + "package d;\nmessage Node {\n  Node next = 1;\n  string v = 2;\n}\n"
    old = P3 + 'import "a.proto";\nmessage M {\n  d.Node n = 1;\n}\n'
    new = P3 + 'import "b.proto";\nmessage M {\n  d.Node n = 1;\n}\n'
    rules = sorted(f.rule for f in kit.backward(new, old, {"a.proto": dep1, "b.proto": dep2}))
    assert "FIELD_SCALAR_KIND_CHANGED" in rules and "FIELD_NAMED_TYPE_CHANGED" in rules


def test_moving_a_message_into_an_import__is_message_removed(kit: ProtoKit) -> None:
    """Confluent: a message moved from the schema into an imported file is MESSAGE_REMOVED."""
    dep = P3 + "package d;\nmessage Home {\n  int32 id = 1;\n}\n"
    old = P3 + "message M {\n  Home h = 1;\n}\nmessage Home {\n  int32 id = 1;\n}\n"
    new = P3 + 'import "dep.proto";\nmessage M {\n  .d.Home h = 1;\n}\n'
    assert [f.rule for f in kit.backward(new, old, {"dep.proto": dep})] == ["MESSAGE_REMOVED"]
    assert kit.backward(old, new, {"dep.proto": dep}) == []


def test_imported_type_under_another_package__same_local_name_is_compatible(kit: ProtoKit) -> None:
    """Confluent compares imported types by their name within their package."""
    d1 = P3 + "package x.v1;\nmessage Outer {\n  message Home {\n    int32 id = 1;\n  }\n}\n"
    d2 = d1.replace("x.v1", "x.v2")
    old = P3 + 'import "d1.proto";\nmessage M {\n  .x.v1.Outer.Home h = 1;\n}\n'
    new = P3 + 'import "d2.proto";\nmessage M {\n  .x.v2.Outer.Home h = 1;\n}\n'
    assert kit.backward(new, old, {"d1.proto": d1, "d2.proto": d2}) == []
