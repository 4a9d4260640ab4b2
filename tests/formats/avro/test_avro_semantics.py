"""Resolution semantics beyond single rules: directions, locations, recursion, aliases, logical types."""

from __future__ import annotations

import json
from typing import Any

from pytest_schemafed.formats.avro import AvroFormat

from .helpers import check, fixture_text

FMT = AvroFormat()


def _rec(fields: list[dict[str, Any]], name: str = "R", **extra: Any) -> str:
    return json.dumps({"type": "record", "name": name, "fields": fields, **extra}, indent=2)


def test_forward_findings_point_into_the_local_writer_file() -> None:
    """FORWARD compares old reader with new writer; the path and line are the new file's."""
    old = _rec([{"name": "a", "type": "int"}, {"name": "b", "type": "string"}])
    new = _rec([{"name": "b", "type": "string"}, {"name": "a", "type": "long"}])
    verdict = check(new, old, "FORWARD")
    assert [(f.rule, f.path, f.line, f.direction) for f in verdict.findings] == [
        ("TYPE_MISMATCH", "/fields/1/type", 11, "forward")
    ]
    assert "this schema writes `long`" in verdict.findings[0].message


def test_forward_removed_field_without_default_points_at_the_writer_record() -> None:
    """A field only the old reader has is located at the enclosing record of the new file."""
    old = _rec([{"name": "a", "type": "int"}, {"name": "b", "type": "string"}])
    new = _rec([{"name": "a", "type": "int"}])
    verdict = check(new, old, "FORWARD")
    assert [(f.rule, f.path, f.line) for f in verdict.findings] == [("READER_FIELD_MISSING_DEFAULT_VALUE", "/", 1)]
    assert "field `b` of record `R` was removed" in verdict.findings[0].message


def test_all_findings_are_reported_not_only_the_first() -> None:
    """Three independent breaks give three findings, sorted by line."""
    old = _rec([{"name": "a", "type": "int"}, {"name": "b", "type": "string"}, {"name": "c", "type": "long"}])
    new = _rec([{"name": "a", "type": "string"}, {"name": "b", "type": "boolean"}, {"name": "d", "type": "int"}])
    rules = [(f.rule, f.path) for f in check(new, old).findings]
    assert rules == [
        ("TYPE_MISMATCH", "/fields/0/type"),
        ("TYPE_MISMATCH", "/fields/1/type"),
        ("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/2"),
    ]


def test_recursive_types_terminate_and_report_inner_changes() -> None:
    """A recursive linked list compares in finite time and finds the changed head type."""

    def linked(head: str) -> str:
        return _rec([{"name": "head", "type": head}, {"name": "tail", "type": ["null", "R"], "default": None}])

    assert check(linked("long"), linked("int")).compatible
    verdict = check(linked("int"), linked("long"))
    assert [(f.rule, f.path) for f in verdict.findings] == [("TYPE_MISMATCH", "/fields/0/type")]


def test_aliases_match_renamed_records_and_fields() -> None:
    """A reader record alias and a reader field alias read the writer's old names."""
    old = _rec([{"name": "old_name", "type": "int"}], name="Old", namespace="ns")
    new = _rec(
        [{"name": "new_name", "type": "int", "aliases": ["old_name"]}], name="New", namespace="ns", aliases=["Old"]
    )
    assert check(new, old).compatible
    assert not check(new, old, "FORWARD").compatible


def test_record_names_compare_without_namespace_like_java() -> None:
    """Apache's checker compares simple names: a namespace move alone is compatible."""
    old = _rec([{"name": "a", "type": "int"}], namespace="one")
    new = _rec([{"name": "a", "type": "int"}], namespace="two")
    assert check(new, old, "FULL").compatible


def test_logical_types_do_not_change_compatibility() -> None:
    """As in Java, only the underlying type counts: timestamp-millis long reads a plain long."""
    old = _rec([{"name": "t", "type": "long"}, {"name": "d", "type": {"type": "int", "logicalType": "date"}}])
    new = _rec(
        [
            {"name": "t", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "d", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        ]
    )
    assert check(new, old).compatible
    assert [f.rule for f in check(new, old, "FORWARD").findings] == ["TYPE_MISMATCH"]


def test_string_and_bytes_promote_both_ways() -> None:
    """string <-> bytes is a promotion in each direction, so FULL holds."""
    assert check(_rec([{"name": "s", "type": "bytes"}]), _rec([{"name": "s", "type": "string"}]), "FULL").compatible


def test_writer_union_needs_every_branch_readable() -> None:
    """A non-union reader fails on each writer branch it cannot read, at Java's branch location."""
    verdict = check('"long"', '["int", "string", "null"]')
    assert [(f.rule, f.path) for f in verdict.findings] == [("TYPE_MISMATCH", "/1"), ("TYPE_MISMATCH", "/2")]


def test_union_branch_message_explains_the_closest_branch() -> None:
    """When a same-named branch exists but differs, the message says how."""
    inner_old = {"type": "record", "name": "Inner", "fields": [{"name": "x", "type": "int"}]}
    inner_new = {
        "type": "record",
        "name": "Inner",
        "fields": [{"name": "x", "type": "int"}, {"name": "y", "type": "int"}],
    }
    old = _rec([{"name": "u", "type": ["null", inner_old], "default": None}])
    new = _rec([{"name": "u", "type": ["null", inner_new], "default": None}])
    verdict = check(new, old)
    assert [f.rule for f in verdict.findings] == ["MISSING_UNION_BRANCH"]
    assert "field `y` of record `Inner` was added without a default" in verdict.findings[0].message


def test_transitive_levels_report_the_version_of_each_finding() -> None:
    """BACKWARD_TRANSITIVE checks every version and says which one each finding is against."""
    v1 = _rec([{"name": "a", "type": "int"}])
    v2 = _rec([{"name": "a", "type": "int"}, {"name": "b", "type": "string", "default": ""}])
    new = _rec([{"name": "a", "type": "int"}, {"name": "b", "type": "boolean", "default": False}])
    from pytest_schemafed import check_compatibility

    verdict = check_compatibility(new, [v1, v2], format="avro", level="BACKWARD_TRANSITIVE")
    assert [(f.rule, f.version) for f in verdict.findings] == [("TYPE_MISMATCH", "2")]


def test_identical_fixture_schemas_are_fully_compatible() -> None:
    """Every previous fixture is FULL-compatible with itself."""
    for rule in ("TYPE_MISMATCH", "NAME_MISMATCH", "MISSING_UNION_BRANCH"):
        text = fixture_text(rule, "previous")
        assert check(text, text, "FULL_TRANSITIVE").compatible


def test_field_finding_is_placed_on_the_line_of_the_field_name() -> None:
    """An added field's finding keeps Apache's path but points at its "name", not its lone opening brace."""
    old = _rec([{"name": "a", "type": "int"}])
    new = _rec([{"name": "a", "type": "int"}, {"name": "email", "type": "string"}])
    (finding,) = check(new, old).findings
    line = next(i for i, text in enumerate(new.splitlines(), 1) if '"email"' in text)
    assert (finding.path, finding.line, finding.column) == ("/fields/1", line, 7)


def test_field_name_shortcut_agrees_with_the_json_walk() -> None:
    """The unique-name shortcut for a field's line gives exactly what walking the JSON gives."""
    email = {"name": "email", "type": "string"}
    spaced = '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"},\n {"name"  :\n  "email"}]}'
    texts = [
        _rec([{"name": "a", "type": "int"}, email]),
        json.dumps({"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}, email]}),
        spaced.replace('"email"}', '"email", "type": "string"}'),
        _rec([{"name": "a", "type": "int", "doc": 'not "email"'}, email]),  # escapes: no shortcut
        _rec([{"name": "a", "type": _rec_obj([email])}, email]),  # two of them: no shortcut
    ]
    for text in texts:
        parsed = FMT.parse(text)
        assert parsed.locate_field_name("/fields/1", "email") == parsed.locate("/fields/1/name"), text
    assert FMT.parse(texts[2]).locate_field_name("/fields/1", "email") == (2, 3)


def _rec_obj(fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "record", "name": "Inner", "fields": fields}
