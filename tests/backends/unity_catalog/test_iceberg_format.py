"""The `iceberg` format: detection by shape, parsing with located errors, evolution via the table rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_schemafed.engine import check_compatibility
from pytest_schemafed.errors import SchemaParseError
from pytest_schemafed.model import Outcome
from pytest_schemafed.registry import default_registry
from pytest_schemafed.tables import judge_table, local_table
from pytest_schemafed.tables.iceberg import IcebergFormat, parse_iceberg

from .conftest import column, table


def schema(*fields: dict[str, object], schema_id: int = 0) -> str:
    """An Iceberg schema JSON text, indented."""
    return json.dumps({"type": "struct", "schema-id": schema_id, "fields": list(fields)}, indent=2)


ID = {"id": 1, "name": "id", "required": True, "type": "long"}
EMAIL = {"id": 2, "name": "email", "required": False, "type": "string"}
QTY = {"id": 3, "name": "qty", "required": True, "type": "int"}


def test_detect__by_shape_and_registered(tmp_path: Path) -> None:
    """A .json Iceberg schema is claimed as `iceberg`; JSON Schema and other JSON are not."""
    ice = tmp_path / "orders.json"
    ice.write_text(schema(ID))
    other = tmp_path / "package.json"
    other.write_text('{"name": "x", "type": "struct"}')
    js = tmp_path / "user.json"
    js.write_text('{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}')
    registry = default_registry()
    detected = registry.detect(ice)
    assert detected is not None and detected.name == "iceberg"
    assert not IcebergFormat().detect(other) and not IcebergFormat().detect(js)
    assert registry.detect(js) is not None and registry.detect(js).name == "json"  # type: ignore[union-attr]


def test_parse__nested_list_map_decimal_and_ids() -> None:
    """Lists, maps, structs, decimals, fixed and uuid are read, with field ids and required flags."""
    text = schema(ID, {"id": 4, "name": "lines", "required": False, "type": {
        "type": "list", "element-id": 5, "element-required": True, "element": {
            "type": "struct", "fields": [{"id": 6, "name": "sku", "required": True, "type": "uuid"},
                                         {"id": 7, "name": "price", "required": False, "type": "decimal(10,2)"}]}}},
        {"id": 8, "name": "attrs", "required": False, "type": {
            "type": "map", "key-id": 9, "key": "string", "value-id": 10, "value": "fixed[16]",
            "value-required": False}})
    cols = {c.name: c for c in parse_iceberg(text).table.columns}
    assert cols["lines"].type.sql() == "array<struct<sku:string not null,price:decimal(10,2)>>"
    assert cols["lines"].type.element_nullable is False and cols["attrs"].type.sql() == "map<string,binary>"
    assert cols["id"].field_id == 1 and not cols["id"].nullable


def test_parse__unknown_type_is_an_error_with_its_line() -> None:
    """`variant` (or any unknown type) is a SchemaParseError pointing at the field's type."""
    text = schema(ID, {"id": 2, "name": "payload", "required": False, "type": "variant"})
    with pytest.raises(SchemaParseError) as info:
        parse_iceberg(text, path="orders.json")
    assert "variant" in str(info.value) and info.value.line == text.splitlines().index(
        next(line for line in text.splitlines() if '"variant"' in line)) + 1


def test_parse__field_without_id_is_an_error() -> None:
    """Every Iceberg field needs an integer id."""
    with pytest.raises(SchemaParseError, match='needs an integer "id"'):
        parse_iceberg(schema({"name": "id", "required": True, "type": "long"}))


def test_evolution__rename_with_same_id_is_compatible() -> None:
    """Renaming `email` to `email_address` keeping id 2 passes at FULL_TRANSITIVE."""
    verdict = check_compatibility(schema(ID, {**EMAIL, "name": "email_address"}), [schema(ID, EMAIL)],
                                  format="iceberg", level="FULL_TRANSITIVE")
    assert verdict.outcome is Outcome.COMPATIBLE, verdict


def test_evolution__int_to_long_is_a_promotion_long_to_int_is_not() -> None:
    """int -> long is an Iceberg promotion; long -> int fails BACKWARD (old long rows do not fit)."""
    promoted = check_compatibility(schema(ID, {**QTY, "type": "long"}), [schema(ID, QTY)], format="iceberg",
                                   level="FORWARD")
    assert promoted.compatible
    narrowed = check_compatibility(schema(ID, QTY), [schema(ID, {**QTY, "type": "long"})], format="iceberg",
                                   level="BACKWARD")
    assert [(f.rule, f.path) for f in narrowed.findings] == [("TYPE_WIDENING_REQUIRED", "qty")]


def test_evolution__new_required_field_fails_located_in_new_file() -> None:
    """A new required field breaks BACKWARD (old rows lack it), located at its line in the new file."""
    new = schema(ID, QTY)
    verdict = check_compatibility(new, [schema(ID)], format="iceberg", level="BACKWARD")
    (finding,) = verdict.findings
    assert finding.rule == "COLUMN_MISSING_NOT_NULL" and finding.path == "qty"
    assert '"qty"' in "".join(new.splitlines()[finding.line - 1:finding.line + 2])


def test_iceberg_local_side__against_a_delta_table() -> None:
    """An Iceberg schema file is a local side for a UC table too (here: a nullable into NOT NULL)."""
    local = local_table(parse_iceberg(schema(ID, EMAIL), path="orders.json"))
    judged = judge_table(table(column("id", "long", nullable=False), column("email", "string", nullable=False)),
                         local)
    assert [(f.rule, f.path) for f in judged.findings] == [("NULLABLE_INTO_NOT_NULL", "email")]
