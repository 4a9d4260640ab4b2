"""Oneof moves, merges and renames as Confluent checks them since June 2026, and changes in imports.

Confluent's protobuf-provider tests are under the Confluent Community License, so these cases
are our own, one per rule of its current ``MessageSchemaDiff``: a reader's oneof whose earlier
members come from more than one place in the writer's schema (a top-level field, or another
oneof) makes fields exclusive that the writer could set together.
"""

from __future__ import annotations

import pytest

from pytest_schemafed import check_compatibility
from pytest_schemafed.model import Severity

from .protobuf_kit import ProtoKit

P3 = 'syntax = "proto3";\npackage shop.v1;\n'


def _msg(body: str) -> str:
    return P3 + "message Pay {\n" + body + "}\n"


TWO_ONEOFS = _msg("  oneof a {\n    string x = 1;\n  }\n  oneof b {\n    string y = 2;\n  }\n")
ONE_ONEOF = _msg("  oneof a {\n    string x = 1;\n    string y = 2;\n  }\n")

# (name, old, new, Confluent's changes, compatible for BACKWARD)
CASES = [
    (
        "two_oneofs_merged",
        TWO_ONEOFS,
        ONE_ONEOF,
        ["FIELD_MOVED_TO_EXISTING_ONEOF #/Pay/a", "ONEOF_FIELD_ADDED #/Pay/a/2", "ONEOF_REMOVED #/Pay/b"],
        False,
    ),
    (
        "field_moved_from_one_oneof_into_another",
        _msg("  oneof a {\n    string x = 1;\n    string z = 3;\n  }\n  oneof b {\n    string y = 2;\n  }\n"),
        _msg("  oneof a {\n    string x = 1;\n  }\n  oneof b {\n    string y = 2;\n    string z = 3;\n  }\n"),
        ["FIELD_MOVED_TO_EXISTING_ONEOF #/Pay/b", "ONEOF_FIELD_ADDED #/Pay/b/3"],
        False,
    ),
    (
        "top_level_field_moved_into_existing_oneof",
        _msg("  string x = 1;\n  oneof a {\n    string y = 2;\n  }\n"),
        _msg("  oneof a {\n    string x = 1;\n    string y = 2;\n  }\n"),
        ["FIELD_MOVED_TO_EXISTING_ONEOF #/Pay/a", "ONEOF_FIELD_ADDED #/Pay/a/1"],
        False,
    ),
    (
        "top_level_field_moved_into_renamed_oneof",
        _msg("  string x = 1;\n  oneof a {\n    string y = 2;\n  }\n"),
        _msg("  oneof c {\n    string x = 1;\n    string y = 2;\n  }\n"),
        ["FIELD_MOVED_TO_EXISTING_ONEOF #/Pay/c", "ONEOF_ADDED #/Pay/c", "ONEOF_REMOVED #/Pay/a"],
        False,
    ),
    (
        "two_top_level_fields_moved_into_existing_oneof",
        _msg("  string x = 1;\n  string z = 3;\n  oneof a {\n    string y = 2;\n  }\n"),
        _msg("  oneof a {\n    string x = 1;\n    string y = 2;\n    string z = 3;\n  }\n"),
        [
            "MULTIPLE_FIELDS_MOVED_TO_ONEOF #/Pay/a",
            "ONEOF_FIELD_ADDED #/Pay/a/1",
            "ONEOF_FIELD_ADDED #/Pay/a/3",
        ],
        False,
    ),
    (
        "oneof_renamed",
        ONE_ONEOF,
        ONE_ONEOF.replace("oneof a", "oneof b"),
        ["ONEOF_ADDED #/Pay/b", "ONEOF_REMOVED #/Pay/a"],
        True,
    ),
    (
        "renamed_oneof_with_an_incompatible_member_type",
        ONE_ONEOF,
        ONE_ONEOF.replace("oneof a", "oneof b").replace("string y", "int32 y"),
        ["FIELD_SCALAR_KIND_CHANGED #/Pay/2", "ONEOF_ADDED #/Pay/b", "ONEOF_REMOVED #/Pay/a"],
        False,
    ),
    ("oneof_split_in_two", ONE_ONEOF, TWO_ONEOFS, ["ONEOF_ADDED #/Pay/b"], True),
    (
        "one_field_moved_into_a_new_oneof_with_new_fields",
        _msg("  string x = 1;\n"),
        _msg("  oneof a {\n    string x = 1;\n    string w = 4;\n  }\n"),
        ["ONEOF_ADDED #/Pay/a"],
        True,
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "changes", "compatible"), CASES, ids=[c[0] for c in CASES])
def test_oneof_change__confluent_changes_and_verdict(
    kit: ProtoKit, name: str, old: str, new: str, changes: list[str], compatible: bool
) -> None:
    """The difference list and the BACKWARD verdict are Confluent's for each kind of oneof change."""
    assert kit.changes(old, new) == sorted(changes)
    assert check_compatibility(new, [old], format="protobuf", level="BACKWARD").compatible is compatible


def test_two_oneofs_merged__finding_names_both_oneofs_at_the_merged_oneof(kit: ProtoKit) -> None:
    """The merge is FIELD_MOVED_TO_EXISTING_ONEOF at the oneof's line, naming where each member was."""
    (finding,) = kit.backward(ONE_ONEOF, TWO_ONEOFS)
    assert finding.rule == "FIELD_MOVED_TO_EXISTING_ONEOF"
    assert (finding.path, finding.line) == ("shop.v1.Pay.a", 4)
    assert "oneof `a` (`x`) and oneof `b` (`y`)" in finding.message
    assert finding.hint and finding.severity is Severity.ERROR


def test_top_level_field_moved_in__finding_says_it_was_outside_any_oneof(kit: ProtoKit) -> None:
    """The sentence names the moved field as a top-level one."""
    old = _msg("  string x = 1;\n  oneof a {\n    string y = 2;\n  }\n")
    new = _msg("  oneof a {\n    string x = 1;\n    string y = 2;\n  }\n")
    (finding,) = kit.backward(new, old)
    assert "field `x` (outside any oneof)" in finding.message and "oneof `a` (`y`)" in finding.message


def test_oneof_split__forward_is_the_merge_seen_from_the_old_reader(kit: ProtoKit) -> None:
    """FORWARD of a split: the registered reader's single oneof joins what the new writer keeps apart."""
    findings = kit.forward(TWO_ONEOFS, ONE_ONEOF)
    assert [f.rule for f in findings] == ["FIELD_MOVED_TO_EXISTING_ONEOF"]
    assert (findings[0].path, findings[0].line) == ("shop.v1.Pay.a", 4)  # the local oneof of that name
    assert "in the writer's schema (the local schema)" in findings[0].message


@pytest.mark.parametrize("direction", ["backward", "forward"])
def test_oneof_renamed__a_warning_at_the_new_oneof_and_never_an_error(kit: ProtoKit, direction: str) -> None:
    """Confluent accepts a rename (ONEOF_REMOVED + ONEOF_ADDED); generated code breaks: an advisory."""
    new = ONE_ONEOF.replace("oneof a", "oneof b")
    findings = kit.backward_all(new, ONE_ONEOF) if direction == "backward" else kit.forward_all(new, ONE_ONEOF)
    assert [(f.rule, f.severity) for f in findings] == [("ONEOF_RENAMED", Severity.WARNING)]
    assert "oneof `a` of message `shop.v1.Pay` is renamed to `b`" in findings[0].message
    assert (findings[0].path, findings[0].line) == ("shop.v1.Pay.b", 4)


def test_oneof_that_takes_only_part_of_an_old_one__is_not_a_rename(kit: ProtoKit) -> None:
    """A new oneof holding some of a removed oneof's fields is not reported as renamed."""
    new = _msg("  oneof b {\n    string x = 1;\n  }\n  string y = 2;\n")
    assert [f.rule for f in kit.backward_all(new, ONE_ONEOF)] == []


PROFILE_OLD = 'syntax = "proto3";\npackage common;\nmessage Profile {\n  string name = 1;\n}\n'
PROFILE_NEW = PROFILE_OLD.replace("string name", "int32 name")
ORDERS = (
    P3 + 'import "common/profile.proto";\nmessage Order {\n  string id = 1;\n  common.Profile profile = 2;\n}\n'
)


def _import_findings(kit: ProtoKit, old_profile: str, new_profile: str, direction: str = "backward") -> list:
    new = kit.parse(ORDERS, {"common/profile.proto": new_profile}, path="orders.proto")
    old = kit.parse(ORDERS, {"common/profile.proto": old_profile}, path="orders.proto")
    if direction == "backward":
        return kit.fmt.compare(new, old, local="reader")
    return kit.fmt.compare(old, new, local="writer")


@pytest.mark.parametrize("direction", ["backward", "forward"])
def test_change_in_imported_file__reported_at_the_changed_element_with_its_own_path(
    kit: ProtoKit, direction: str
) -> None:
    """The change is named at `common.Profile.name` (a path in the imported file), and the message
    gives the imported file and its line; line/column stay in the checked file, at the field using it."""
    findings = _import_findings(kit, PROFILE_OLD, PROFILE_NEW, direction)
    inner = next(f for f in findings if f.rule == "FIELD_SCALAR_KIND_CHANGED")
    assert inner.path == "common.Profile.name"
    assert "line 4 of the imported file `common/profile.proto` in the local schema" in inner.message
    assert "field `profile` = 2 of message `shop.v1.Order`" in inner.message
    assert (inner.line, inner.column) == (6, 3)


def test_change_in_imported_file__importing_field_never_says_the_type_is_the_same_in_both(kit: ProtoKit) -> None:
    """Confluent's FIELD_NAMED_TYPE_CHANGED at the importing field says the definition changed."""
    findings = _import_findings(kit, PROFILE_OLD, PROFILE_NEW)
    outer = next(f for f in findings if f.rule == "FIELD_NAMED_TYPE_CHANGED")
    assert outer.path == "shop.v1.Order.profile"
    assert "keeps its name, but its definition" in outer.message
    assert "is `common.Profile` in the writer's schema" not in outer.message
    assert not any(f.path == "common.Profile.profile" for f in findings)


def test_element_removed_from_imported_file__located_in_the_registered_version(kit: ProtoKit) -> None:
    """A required field deleted from an import: its path and line are those of the registered file."""
    p2 = 'syntax = "proto2";\npackage common;\nmessage Profile {\n'
    p2 += "  required string name = 1;\n  optional string x = 2;\n}\n"
    gone = p2.replace("  required string name = 1;\n", "")
    main = 'syntax = "proto2";\npackage shop.v1;\nimport "common/profile.proto";\nmessage Order {\n'
    main += "  optional common.Profile profile = 2;\n}\n"
    new = kit.parse(main, {"common/profile.proto": gone})
    old = kit.parse(main, {"common/profile.proto": p2})
    findings = kit.fmt.compare(new, old, local="reader")
    removed = next(f for f in findings if f.rule == "REQUIRED_FIELD_REMOVED")
    assert removed.path == "common.Profile.name"
    assert "line 4 of the imported file `common/profile.proto` in the registered schema" in removed.message


@pytest.mark.parametrize("direction", ["backward", "forward"])
def test_field_moved_into_a_new_oneof__is_not_reported_as_removed(kit: ProtoKit, direction: str) -> None:
    """Moving a field into a oneof keeps its number: no FIELD_REMOVED_WITHOUT_RESERVED in either direction."""
    old = _msg("  string x = 1;\n")
    new = _msg("  oneof a {\n    string x = 1;\n  }\n")
    findings = kit.backward_all(new, old) if direction == "backward" else kit.forward_all(new, old)
    assert findings == []
