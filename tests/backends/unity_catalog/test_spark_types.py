"""Unity Catalog column JSON into the table model: type_json, the type_text fallback, unknown types."""

from __future__ import annotations

import json

import pytest

from pytest_schemafed.tables.model import UnsupportedType
from pytest_schemafed.tables.spark import parse_type_text, table_from_info, type_from_json

NESTED = {"type": "struct", "fields": [
    {"name": "zip", "type": "string", "nullable": False, "metadata": {}},
    {"name": "geo", "type": {"type": "array", "elementType": "decimal(9,6)", "containsNull": False},
     "nullable": True, "metadata": {"delta.columnMapping.id": 7}},
    {"name": "attrs", "type": {"type": "map", "keyType": "string", "valueType": "long", "valueContainsNull": True},
     "nullable": True, "metadata": {}}]}


def test_type_json__nested_struct_array_map_decimal() -> None:
    """Struct fields, array containsNull, map valueContainsNull, decimals and field ids are read."""
    parsed = type_from_json(NESTED)
    assert parsed.sql() == "struct<zip:string not null,geo:array<decimal(9,6)>,attrs:map<string,bigint>>"
    geo = parsed.field("GEO")
    assert geo is not None and geo.field_id == 7 and geo.type.element_nullable is False


def test_type_text__nested_types_and_not_null() -> None:
    """The type_text fallback reads nested types, NOT NULL, backquoted names and comments."""
    parsed = parse_type_text("struct<a:int NOT NULL,`b c`:array<map<string,decimal(5,2)>> COMMENT 'x'>")
    assert parsed.sql() == "struct<a:int not null,b c:array<map<string,decimal(5,2)>>>"


@pytest.mark.parametrize("value", ["variant", "interval day to second", "interval year to month", "geography",
                                   {"type": "udt", "class": "x.Y"}, "decimal(40,2)"])
def test_type_json__unknown_types_raise(value: object) -> None:
    """Types the model does not know raise UnsupportedType: never silently accepted."""
    with pytest.raises(UnsupportedType):
        type_from_json(value, "col")


@pytest.mark.parametrize("text", ["variant", "interval day", "struct<a:variant>", "array<int", "int int"])
def test_type_text__unknown_or_malformed_raise(text: str) -> None:
    """Unknown or malformed type_text raises UnsupportedType."""
    with pytest.raises(UnsupportedType):
        parse_type_text(text, "col")


def test_table_info__columns_by_position_and_properties() -> None:
    """Columns are ordered by position; format and properties are kept; nullable comes from type_json."""
    info = {"catalog_name": "c", "schema_name": "s", "name": "t", "data_source_format": "delta",
            "properties": {"delta.enableTypeWidening": "true"}, "columns": [
                {"name": "b", "position": 1, "type_text": "string"},
                {"name": "a", "position": 0, "type_json": json.dumps(
                    {"name": "a", "type": "long", "nullable": False, "metadata": {}})}]}
    tbl = table_from_info(info)
    assert [c.name for c in tbl.columns] == ["a", "b"] and tbl.columns[0].nullable is False
    assert tbl.name == "c.s.t" and tbl.data_format == "DELTA"
    assert tbl.properties["delta.enableTypeWidening"] == "true"


def test_table_info__column_without_any_type_raises() -> None:
    """A column with neither type_json nor type_text is an error, not an untyped pass."""
    with pytest.raises(UnsupportedType):
        table_from_info({"full_name": "c.s.t", "columns": [{"name": "x", "type_name": "LONG"}]})
