"""The table evolution rules: one firing and one quiet case per rule id, plus the rule table."""

from __future__ import annotations

import re

import pytest

from pytest_schemafed.tables.casts import fits, widening
from pytest_schemafed.tables.model import TType, primitive
from pytest_schemafed.tables.rules import RULES, SEVERITY

from .conftest import column, judge_avro, record, rules_of, table

ID = {"name": "id", "type": "long"}
ID_COL = column("id", "long", nullable=False)
DEC = {"type": "bytes", "logicalType": "decimal"}


def test_rule_table__ids_unique_upper_snake_with_sentences() -> None:
    """Every rule has a unique UPPER_SNAKE id, a 'Checks that ...' sentence and a severity."""
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", rule.id)
        assert rule.purpose.startswith("Checks that ") and rule.purpose.endswith(".")
        assert SEVERITY[rule.id] in ("error", "note")
        assert (rule.hint is not None) == (SEVERITY[rule.id] == "error")


def test_rule_table__every_rule_has_a_test_here() -> None:
    """Each rule id is named by a test of this module (firing and quiet cases)."""
    names = " ".join(n for n in globals() if n.startswith("test_"))
    for rule in RULES:
        assert f"test_{rule.id.lower()}__" in names, rule.id


def test_column_added_nullable__noted_as_schema_evolution() -> None:
    """A new optional field is compatible, with a note that the write needs schema evolution."""
    judged = judge_avro(table(ID_COL), ID, {"name": "note", "type": ["null", "string"], "default": None})
    assert judged.compatible and rules_of(judged) == ["COLUMN_ADDED_NULLABLE"]
    assert "schema evolution" in judged.notes[0]


def test_column_added_not_null__required_new_field_fails() -> None:
    """A new required field cannot become a NOT NULL column of a table with rows."""
    judged = judge_avro(table(ID_COL), ID, {"name": "channel", "type": "string"})
    assert not judged.compatible and rules_of(judged) == ["COLUMN_ADDED_NOT_NULL"]
    finding = judged.findings[0]
    assert finding.path == "channel" and finding.line == 10 and finding.hint


def test_column_missing_nullable__written_as_null() -> None:
    """A nullable table column the schema no longer has is written as null: compatible, noted."""
    judged = judge_avro(table(ID_COL, column("coupon", "string")), ID)
    assert judged.compatible and rules_of(judged) == ["COLUMN_MISSING_NULLABLE"]


def test_column_missing_not_null__every_write_fails() -> None:
    """A NOT NULL table column missing from the schema breaks every write."""
    judged = judge_avro(table(ID_COL, column("created", "timestamp", nullable=False)), ID)
    assert rules_of(judged) == ["COLUMN_MISSING_NOT_NULL"]
    assert "created" in judged.findings[0].message and "DROP NOT NULL" in (judged.findings[0].hint or "")


def test_column_missing_not_null__generated_column_is_not_written() -> None:
    """A NOT NULL generated/identity column is computed by the table: not reported."""
    gen = column("day", "date", nullable=False, metadata={"delta.generationExpression": "CAST(ts AS DATE)"})
    assert judge_avro(table(ID_COL, gen), ID).compatible


def test_nullable_into_not_null__union_with_null_into_not_null_column() -> None:
    """A field that allows null, written into a NOT NULL column, fails and says so."""
    judged = judge_avro(table(ID_COL, column("customer", "string", nullable=False)), ID,
                        {"name": "customer", "type": ["null", "string"], "default": None})
    assert rules_of(judged) == ["NULLABLE_INTO_NOT_NULL"]
    assert "NOT NULL" in judged.findings[0].message and "null" in judged.findings[0].message


def test_nullable_into_not_null__required_into_nullable_is_fine() -> None:
    """A required field written into a nullable column is compatible with no finding."""
    judged = judge_avro(table(ID_COL, column("customer", "string")), ID, {"name": "customer", "type": "string"})
    assert judged.compatible and rules_of(judged) == []


def test_nullable_into_not_null__array_elements_not_null() -> None:
    """Nullable array items written into an array whose elements are NOT NULL fail at `tags.element`."""
    tags = column("tags", {"type": "array", "elementType": "string", "containsNull": False})
    judged = judge_avro(table(ID_COL, tags), ID,
                        {"name": "tags", "type": {"type": "array", "items": ["null", "string"]}})
    assert [f.path for f in judged.findings] == ["tags.element"]


def test_field_renamed_by_id__same_iceberg_id_is_a_rename() -> None:
    """With field ids on both sides, a renamed field with the same id is compatible (noted)."""
    tbl = table(column("id", "long", nullable=False, metadata={"parquet.field.id": 1}),
                column("email", "string", metadata={"parquet.field.id": 2}), fmt="ICEBERG")
    judged = judge_avro(tbl, {**ID, "field-id": 1},
                        {"name": "email_address", "type": ["null", "string"], "default": None, "field-id": 2})
    assert judged.compatible and rules_of(judged) == ["FIELD_RENAMED_BY_ID"]


def test_field_renamed_by_id__without_ids_a_rename_is_add_and_drop() -> None:
    """Without field ids a rename is a new column plus a missing one."""
    judged = judge_avro(table(ID_COL, column("email", "string", nullable=False)), ID,
                        {"name": "email_address", "type": "string"})
    assert sorted(rules_of(judged)) == ["COLUMN_ADDED_NOT_NULL", "COLUMN_MISSING_NOT_NULL"]


def test_type_upcast_on_write__int_into_bigint_and_float_into_double() -> None:
    """int into bigint, float into double, decimal(8,2) into decimal(10,2): compatible, noted."""
    judged = judge_avro(table(ID_COL, column("qty", "long", nullable=False), column("w", "double", nullable=False),
                              column("amt", "decimal(10,2)", nullable=False)),
                        ID, {"name": "qty", "type": "int"}, {"name": "w", "type": "float"},
                        {"name": "amt", "type": {**DEC, "precision": 8, "scale": 2}})
    assert judged.compatible and rules_of(judged) == ["TYPE_UPCAST_ON_WRITE"] * 3


def test_type_upcast_on_write__equal_types_say_nothing() -> None:
    """Equal types produce neither findings nor notes."""
    judged = judge_avro(table(ID_COL, column("qty", "integer", nullable=False)), ID, {"name": "qty", "type": "int"})
    assert rules_of(judged) == []


def test_type_widening_allowed__delta_with_type_widening_enabled() -> None:
    """long into an int column of a Delta table with delta.enableTypeWidening=true: compatible, noted."""
    tbl = table(ID_COL, column("qty", "integer", nullable=False), properties={"delta.enableTypeWidening": "true"})
    judged = judge_avro(tbl, ID, {"name": "qty", "type": "long"})
    assert judged.compatible and rules_of(judged) == ["TYPE_WIDENING_ALLOWED"]


def test_type_widening_allowed__iceberg_decimal_precision_increase() -> None:
    """Iceberg widens decimal(10,2) to decimal(12,2) in place."""
    tbl = table(ID_COL, column("amt", "decimal(10,2)", nullable=False), fmt="ICEBERG")
    judged = judge_avro(tbl, ID, {"name": "amt", "type": {**DEC, "precision": 12, "scale": 2}})
    assert judged.compatible and rules_of(judged) == ["TYPE_WIDENING_ALLOWED"]


def test_type_widening_required__delta_without_the_property() -> None:
    """long into int on a Delta table without type widening fails, with the ALTER TABLE hint."""
    judged = judge_avro(table(ID_COL, column("qty", "integer", nullable=False)), ID, {"name": "qty", "type": "long"})
    assert rules_of(judged) == ["TYPE_WIDENING_REQUIRED"]
    hint = judged.findings[0].hint or ""
    assert "delta.enableTypeWidening" in hint and "ALTER TABLE main.sales.orders ALTER COLUMN qty TYPE bigint" in hint


def test_type_widening_required__iceberg_cannot_change_decimal_scale() -> None:
    """Iceberg cannot widen decimal(10,2) to decimal(12,4) (scale change): fails."""
    tbl = table(ID_COL, column("amt", "decimal(10,2)", nullable=False), fmt="ICEBERG")
    judged = judge_avro(tbl, ID, {"name": "amt", "type": {**DEC, "precision": 12, "scale": 4}})
    assert rules_of(judged) == ["TYPE_WIDENING_REQUIRED"]


def test_type_widening_required__parquet_tables_never_widen() -> None:
    """A non-Delta, non-Iceberg table cannot widen even double from float."""
    tbl = table(ID_COL, column("w", "float", nullable=False), fmt="PARQUET")
    assert rules_of(judge_avro(tbl, ID, {"name": "w", "type": "double"})) == ["TYPE_WIDENING_REQUIRED"]


def test_type_changed__string_into_bigint_fails() -> None:
    """string written into a bigint column is a type change no cast makes safe."""
    judged = judge_avro(table(ID_COL, column("qty", "long", nullable=False)), ID, {"name": "qty", "type": "string"})
    assert rules_of(judged) == ["TYPE_CHANGED"]
    assert "bigint" in judged.findings[0].message and "string" in judged.findings[0].message


def test_type_changed__struct_into_string_column() -> None:
    """A record written where the table has a string column is a type change."""
    judged = judge_avro(table(ID_COL, column("address", "string")), ID,
                        {"name": "address", "type": {"type": "record", "name": "A", "fields": [
                            {"name": "zip", "type": "string"}]}})
    assert rules_of(judged) == ["TYPE_CHANGED"]


def test_nested__struct_field_path_and_line() -> None:
    """A change inside a struct is reported at `address.zip` with the line of the nested field."""
    addr = column("address", {"type": "struct", "fields": [
        {"name": "zip", "type": "integer", "nullable": False, "metadata": {}}]})
    text = record(ID, {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
        {"name": "zip", "type": "string"}]}})
    from pytest_schemafed.tables import judge_table, local_table

    from .conftest import avro
    judged = judge_table(table(ID_COL, addr), local_table(avro(text)))
    finding = judged.findings[0]
    assert (finding.rule, finding.path) == ("TYPE_CHANGED", "address.zip")
    assert text.splitlines()[finding.line - 1].strip() == "{"  # the zip field object
    assert '"zip"' in text.splitlines()[finding.line]


def test_names__compared_case_insensitively() -> None:
    """`ID` in the table and `id` in the schema are the same column, as in Spark."""
    judged = judge_avro(table(column("ID", "long", nullable=False)), ID)
    assert rules_of(judged) == []


def test_map__value_types_compared() -> None:
    """A map's values are compared like columns (`attrs.value`)."""
    attrs = column("attrs", {"type": "map", "keyType": "string", "valueType": "integer", "valueContainsNull": True})
    judged = judge_avro(table(ID_COL, attrs), ID, {"name": "attrs", "type": {"type": "map", "values": "string"}})
    assert [(f.rule, f.path) for f in judged.findings] == [("TYPE_CHANGED", "attrs.value")]


@pytest.mark.parametrize(("local", "target", "expected"), [
    ("integer", "long", True), ("long", "integer", False), ("float", "double", True), ("long", "double", False),
    ("date", "timestamp", True), ("string", "binary", False),
])
def test_casts__fits_follows_safe_spark_casts(local: str, target: str, expected: bool) -> None:
    """The safe-cast table: narrower integers, float into double, date into timestamp."""
    assert fits(primitive(local), primitive(target)) is expected


def test_casts__delta_and_iceberg_widening_rules_differ() -> None:
    """Delta widens int to double and date to timestamp_ntz; Iceberg does neither."""
    assert widening(primitive("integer"), primitive("double"), "DELTA")
    assert not widening(primitive("integer"), primitive("double"), "ICEBERG")
    assert widening(primitive("date"), primitive("timestamp_ntz"), "DELTA")
    assert widening(TType("decimal", precision=10, scale=2), TType("decimal", precision=12, scale=4), "DELTA")
    assert not widening(TType("decimal", precision=10, scale=2), TType("decimal", precision=8, scale=4), "ICEBERG")
